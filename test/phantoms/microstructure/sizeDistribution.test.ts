import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRandom } from "../../../src/core/random.js";
import {
  lognormalFromD50Span, lognormalQuantile, meanParticleVolume, normalCdf, normalQuantile, numberFromVolumeWeighted,
  sampleDiameter, sampleDiameters, sigmaFromSpan, spanFromSigma, volumeFromNumberWeighted, volumeWeightedPercentiles,
  volumeWeightedStats, Z90,
} from "../../../src/phantoms/microstructure/sizeDistribution.js";
import { assertRelClose } from "../../helpers.js";

const um = 1e-6;

test("normal CDF and AS241 quantile: reference values and round trips", () => {
  // Reference values (to 16 digits) of the standard normal quantile.
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959963984540054) < 1e-14, `q(0.975) = ${normalQuantile(0.975)}`);
  assert.ok(Math.abs(normalQuantile(0.9) - Z90) < 1e-14, `q(0.9) = ${normalQuantile(0.9)}`);
  assert.ok(Math.abs(normalQuantile(1e-10) + 6.361340902404056) < 1e-12, `q(1e-10) = ${normalQuantile(1e-10)}`);
  assert.is(normalQuantile(0.5), 0);
  assert.ok(Math.abs(normalCdf(1.959963984540054) - 0.975) < 1e-14);
  assert.ok(Math.abs(normalCdf(-3) - 0.0013498980316301) < 1e-15);
  for (const p of [1e-12, 1e-6, 0.01, 0.1, 0.3, 0.5, 0.77, 0.999, 1 - 1e-9]) {
    const x = normalQuantile(p);
    assert.ok(Math.abs(normalCdf(x) - p) <= 2e-15 + 1e-12 * Math.min(p, 1 - p), `Phi(q(${p})) = ${normalCdf(x)}`);
  }
  assert.is(normalQuantile(0), -Infinity);
  assert.is(normalQuantile(1), Infinity);
  assert.throws(() => normalQuantile(1.5), /probability/);
});

test("span <-> log-sd: span = 2 sinh(z90 s), and the volume quantiles give the span back", () => {
  for (const span of [0, 0.3, 0.8, 1.5, 3]) {
    const s = sigmaFromSpan(span);
    assert.ok(Math.abs(spanFromSigma(s) - span) < 1e-13, `span ${span}`);
    const v = lognormalFromD50Span(10 * um, span);
    assertRelClose(lognormalQuantile(v, 0.5), 10 * um, 1e-13, "D50");
    if (span > 0) {
      const back = (lognormalQuantile(v, 0.9) - lognormalQuantile(v, 0.1)) / lognormalQuantile(v, 0.5);
      assertRelClose(back, span, 1e-12, `span ${span} from D10/D90`);
    }
  }
  assert.throws(() => lognormalFromD50Span(-1, 0.8), /D50/);
  assert.throws(() => lognormalFromD50Span(1e-5, -0.1), /span/);
});

test("Hatch-Choate: the volume-weighted median is the number median times exp(3 s^2), checked by quadrature", () => {
  const v = lognormalFromD50Span(10 * um, 0.8);
  const n = numberFromVolumeWeighted(v);
  assertRelClose(Math.exp(v.mu) / Math.exp(n.mu), Math.exp(3 * v.sigma * v.sigma), 1e-13, "ratio of medians");
  const back = volumeFromNumberWeighted(n);
  assert.ok(Math.abs(back.mu - v.mu) < 1e-14 && back.sigma === v.sigma, "round trip");
  // Independent check: integrate the NUMBER density weighted by D^3 on a fine grid in ln D
  // and find where half the volume is reached.
  const steps = 200_000;
  const lo = n.mu - 10 * n.sigma, hi = n.mu + 14 * n.sigma, h = (hi - lo) / steps;
  const cum = new Float64Array(steps + 1);
  for (let k = 0; k < steps; k++) {
    const t = lo + (k + 0.5) * h;
    const w = Math.exp(-0.5 * ((t - n.mu) / n.sigma) ** 2) * Math.exp(3 * t);
    cum[k + 1] = cum[k]! + w * h;
  }
  const quantile = (p: number) => {
    const target = p * cum[steps]!;
    let k = 0;
    while (cum[k + 1]! < target) k++;
    return Math.exp(lo + (k + (target - cum[k]!) / (cum[k + 1]! - cum[k]!)) * h);
  };
  assertRelClose(quantile(0.5), 10 * um, 1e-6, "volume D50 by quadrature");
  assertRelClose((quantile(0.9) - quantile(0.1)) / quantile(0.5), 0.8, 1e-5, "volume span by quadrature");
});

test("sampled population: volume-weighted D50 and span of the sample match the target", () => {
  const spec = { d50M: 10 * um, span: 0.8 };
  const target = 5000 * meanParticleVolume(spec);
  const d = sampleDiameters(spec, target, createRandom(7));
  let vol = 0, vmax = 0;
  for (const x of d) {
    const v = (Math.PI / 6) * x ** 3;
    vol += v;
    vmax = Math.max(vmax, v);
  }
  assert.ok(Math.abs(vol - target) <= vmax / 2 + 1e-30, `total volume ${vol} vs target ${target}`);
  assert.ok(d.length > 4800 && d.length < 5200, `count ${d.length}`);
  const st = volumeWeightedStats(d);
  assertRelClose(st.d50, 10 * um, 0.02, "volume D50");
  assertRelClose(st.span, 0.8, 0.05, "volume span");
  // The NUMBER median is lower by exp(3 s^2) (Hatch-Choate).
  const sorted = Float64Array.from(d).sort();
  const s = sigmaFromSpan(0.8);
  assertRelClose(sorted[sorted.length >> 1]!, 10 * um * Math.exp(-3 * s * s), 0.02, "number median");
});

test("small populations of several seeds stay within 5% (D50) and 15% (span)", () => {
  const spec = { d50M: 5 * um, span: 1.2 };
  for (let seed = 1; seed <= 10; seed++) {
    const d = sampleDiameters(spec, 400 * meanParticleVolume(spec), createRandom(seed));
    const st = volumeWeightedStats(d);
    assertRelClose(st.d50, 5 * um, 0.05, `seed ${seed} D50`);
    assertRelClose(st.span, 1.2, 0.15, `seed ${seed} span`);
  }
});

test("truncation bounds every diameter; mean volume matches the truncated moment", () => {
  const spec = { d50M: 10 * um, span: 1.0, minDiameterM: 5 * um, maxDiameterM: 14 * um };
  const rng = createRandom(3);
  let sum = 0;
  const n = 40_000;
  for (let k = 0; k < n; k++) {
    const d = sampleDiameter(spec, rng);
    assert.ok(d >= 5 * um && d <= 14 * um, `diameter ${d}`);
    sum += (Math.PI / 6) * d ** 3;
  }
  assertRelClose(sum / n, meanParticleVolume(spec), 0.01, "mean particle volume");
  assert.throws(() => sampleDiameters({ d50M: 1e-5, span: 0.5, minDiameterM: 2e-5, maxDiameterM: 1e-5 }, 1e-12, rng), /truncation/);
});

test("monodisperse (span 0) and determinism", () => {
  const d = sampleDiameters({ d50M: 4 * um, span: 0 }, 100 * (Math.PI / 6) * (4 * um) ** 3, createRandom(1));
  assert.is(d.length, 100);
  assert.ok(d.every((x) => x === d[0]));
  assertRelClose(d[0]!, 4 * um, 1e-14, "diameter");
  const a = sampleDiameters({ d50M: 4 * um, span: 0.7 }, 1e-13, createRandom(11));
  const b = sampleDiameters({ d50M: 4 * um, span: 0.7 }, 1e-13, createRandom(11));
  const c = sampleDiameters({ d50M: 4 * um, span: 0.7 }, 1e-13, createRandom(12));
  assert.equal(Array.from(a), Array.from(b));
  assert.not.equal(Array.from(a), Array.from(c));
});

test("volume-weighted percentiles of explicit lists", () => {
  assert.equal(volumeWeightedPercentiles([3, 3, 3], [10, 50, 90]), [3, 3, 3]);
  // One particle of diameter 2 (volume weight 8) and eight of diameter 1 (weight 1 each):
  // half the volume is in the big one, whose weight spans cumulative [0.5, 1].
  const d = [2, 1, 1, 1, 1, 1, 1, 1, 1];
  const [p10, p75, p99] = volumeWeightedPercentiles(d, [10, 75, 99]) as [number, number, number];
  assert.ok(Math.abs(p10 - 1) < 1e-15, `p10 ${p10}`);
  assert.ok(Math.abs(p75 - 2) < 1e-15, `p75 ${p75}`);
  assert.ok(Math.abs(p99 - 2) < 1e-15, `p99 ${p99}`);
  assert.throws(() => volumeWeightedPercentiles([], [50]), /no diameters/);
});

test.run();
