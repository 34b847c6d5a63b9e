import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRandom } from "../../src/core/random.js";
import { equivalentDiameters, particleSizeDistributionError, wasserstein1 } from "../../src/scoring/distributions.js";

test("Wasserstein-1 of a sample set and its shift by c is |c|", () => {
  const r = createRandom(3);
  const a = Float64Array.from({ length: 500 }, () => r.next() * 10);
  for (const c of [0.37, -2.5]) {
    const b = a.map((v) => v + c);
    assert.ok(Math.abs(wasserstein1(a, b) - Math.abs(c)) < 1e-12, `shift ${c}: ${wasserstein1(a, b)}`);
  }
  assert.is(wasserstein1(a, a), 0);
});

test("Wasserstein-1 by hand and against scipy.stats.wasserstein_distance", () => {
  // [0, 1] vs [0, 3]: |F_A - F_B| = 1/2 on [1, 3) -> 1.
  assert.is(wasserstein1([0, 1], [0, 3]), 1);
  // Values printed by SciPy 1.17.1: python3 -c "from scipy.stats import wasserstein_distance as w;
  //   print(w([0,1,3],[5,6,8]), w([3.4,3.9,7.5,7.8],[4.5,1.4]), w([0.5,2.0,2.0,7.25,-1.0],[1.0,3.5,0.0]))"
  assert.ok(Math.abs(wasserstein1([0, 1, 3], [5, 6, 8]) - 5.0) < 1e-15);
  assert.ok(Math.abs(wasserstein1([3.4, 3.9, 7.5, 7.8], [4.5, 1.4]) - 2.7) < 1e-14);
  // By hand: 0.2*1 + (2/15)*0.5 + (1/15)*0.5 + (4/15)*1 + (2/15)*1.5 + 0.2*3.75 = 1.51666...
  assert.ok(Math.abs(wasserstein1([0.5, 2.0, 2.0, 7.25, -1.0], [1.0, 3.5, 0.0]) - 1.5166666666666666) < 1e-14);
  assert.is(wasserstein1([2, 1], [1, 2]), 0); // order does not matter
  assert.throws(() => wasserstein1([], [1]), RangeError);
  assert.throws(() => wasserstein1([NaN], [1]), RangeError);
});

test("equivalent diameter of a 4^3-voxel cube is (6 * 64 s^3 / pi)^(1/3); size-distribution error", () => {
  const n = 16, s = 2e-6;
  const t = new Int32Array(n ** 3);
  const p = new Int32Array(n ** 3);
  const cube = (v: Int32Array, label: number, x0: number, e: number): void => {
    for (let k = 0; k < e; k++) for (let j = 0; j < e; j++) for (let i = x0; i < x0 + e; i++) v[i + n * (j + n * k)] = label;
  };
  cube(t, 3, 0, 4);
  cube(t, 8, 8, 2);
  cube(p, 1, 0, 4);
  cube(p, 2, 8, 4);
  const d = equivalentDiameters(t, s);
  assert.equal(Array.from(d.labels), [3, 8]);
  const d64 = Math.cbrt((6 * 64 * s ** 3) / Math.PI);
  const d8 = Math.cbrt((6 * 8 * s ** 3) / Math.PI);
  assert.ok(Math.abs(d.diametersM[0]! - d64) < 1e-20 && Math.abs(d.diametersM[1]! - d8) < 1e-20);
  const e = particleSizeDistributionError(t, p, s);
  // Truth {d8, d64}, prediction {d64, d64}: the CDFs differ by 1/2 on [d8, d64).
  assert.ok(Math.abs(e.wasserstein1M - (d64 - d8) / 2) < 1e-20, `${e.wasserstein1M}`);
  assert.ok(Math.abs(e.meanDiameterTrue - (d64 + d8) / 2) < 1e-20);
  assert.ok(Math.abs(e.meanDiameterPred - d64) < 1e-20);
  assert.throws(() => equivalentDiameters(t, 0), RangeError);
  assert.throws(() => particleSizeDistributionError(t, new Int32Array(n ** 3), s), RangeError);
});

test.run();
