import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  darkFieldExpected,
  expectedCounts,
  flatFieldExpected,
  minusLog,
  poissonCounts,
  toUint16,
} from "../../src/acquisition/detector.js";
import { createRandom } from "../../src/core/random.js";

test("expectedCounts: N = I0 eta exp(-p) (+ dark), returns out, works in place", () => {
  const p = Float32Array.of(0, 1, 2.5);
  const out = new Float32Array(3);
  assert.is(expectedCounts(p, 1000, 0.8, out), out);
  [800, 800 * Math.exp(-1), 800 * Math.exp(-2.5)].forEach((w, i) => assert.ok(Math.abs(out[i]! - w) <= 1e-6 * w, `pixel ${i}`));
  expectedCounts(p, 1000, 0.8, p, 5);
  assert.ok(Math.abs(p[1]! - (800 * Math.exp(-1) + 5)) < 1e-4);
  assert.throws(() => expectedCounts(p, 1000, 1.2, out), /efficiency/);
  assert.throws(() => expectedCounts(p, -1, 1, out), /incident/);
  assert.throws(() => expectedCounts(p, 1, 1, new Float32Array(2)), /lengths differ/);
});

test("flat and dark fields", () => {
  const f = flatFieldExpected(new Float32Array(4), 1e4, 0.5, 3);
  assert.equal(Array.from(f), [5003, 5003, 5003, 5003]);
  assert.equal(Array.from(darkFieldExpected(new Float32Array(2))), [0, 0]);
  assert.equal(Array.from(darkFieldExpected(new Float32Array(2), 7)), [7, 7]);
});

test("-log round trip: expectedCounts then minusLog recovers p to 1e-6 relative", () => {
  const n = 2000;
  const p = new Float32Array(n);
  for (let i = 0; i < n; i++) p[i] = 0.5 + (9.5 * i) / (n - 1); // 0.5 .. 10
  const i0 = 1e6;
  const eta = 0.8;
  const dark = 12;
  const counts = expectedCounts(p, i0, eta, new Float32Array(n), dark);
  const flat = flatFieldExpected(new Float32Array(n), i0, eta, dark);
  const back = new Float32Array(n);
  const report = minusLog(counts, flat, darkFieldExpected(new Float32Array(n), dark), back);
  assert.equal(report, { floored: 0, badFlat: 0 });
  for (let i = 0; i < n; i++) assert.ok(Math.abs(back[i]! / p[i]! - 1) <= 1e-6, `p = ${p[i]}: got ${back[i]}`);
  // Scalar dark and p = 0.
  const zero = expectedCounts(new Float32Array(3), i0, eta, new Float32Array(3));
  minusLog(zero, flatFieldExpected(new Float32Array(3), i0, eta), 0, back.subarray(0, 3));
  assert.ok(Math.abs(back[0]!) < 1e-6);
});

test("minusLog guards: zero counts use minCounts, dead flat pixels give 0, both are reported", () => {
  const counts = Uint16Array.of(0, 100, 50, 3);
  const flat = Uint16Array.of(1000, 0, 1000, 5);
  const dark = Uint16Array.of(0, 0, 60, 5);
  const out = new Float32Array(4);
  const r = minusLog(counts, flat, dark, out);
  assert.equal(r, { floored: 2, badFlat: 2 });
  assert.ok(Math.abs(out[0]! - Math.log(1000 / 0.5)) < 1e-5);
  assert.is(out[1], 0);
  assert.ok(Math.abs(out[2]! - Math.log(940 / 0.5)) < 1e-5);
  assert.is(out[3], 0);
  minusLog(counts, flat, dark, out, { minCounts: 1 });
  assert.ok(Math.abs(out[0]! - Math.log(1000)) < 1e-5);
  assert.ok(out.every((x) => Number.isFinite(x)));
});

test("toUint16 rounds, clips and reports clipping", () => {
  const out = new Uint16Array(6);
  const r = toUint16(Float32Array.of(0.4, 1.6, 65535.4, 70000, -3, Number.NaN), out);
  assert.equal(Array.from(out), [0, 2, 65535, 65535, 0, 0]);
  assert.equal(r, { low: 2, high: 1, clipped: true });
  assert.equal(toUint16(Float32Array.of(1, 2), new Uint16Array(2)), { low: 0, high: 0, clipped: false });
});

test("poissonCounts: deterministic per seed, mean of a flat image close to the expectation", () => {
  const expected = new Float32Array(50000).fill(40);
  const a = poissonCounts(expected, createRandom("det-a"), new Float32Array(expected.length));
  const b = poissonCounts(expected, createRandom("det-a"), new Float32Array(expected.length));
  assert.equal(a, b);
  let sum = 0;
  for (const c of a) sum += c;
  const mean = sum / a.length;
  assert.ok(Math.abs(mean - 40) < 5 * Math.sqrt(40 / a.length), `mean ${mean}`);
  assert.ok(a.every((c) => Number.isInteger(c) && c >= 0));
});

test.run();
