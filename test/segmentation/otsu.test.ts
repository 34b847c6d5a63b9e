import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRandom, gaussian } from "../../src/core/random.js";
import { applyThresholds, histogram, multiOtsuBins, multiOtsuThresholds, otsuThreshold } from "../../src/segmentation/otsu.js";

/** `count` samples from a mixture of Gaussians [weight, mean, sigma]. */
function mixture(seed: number, count: number, modes: [number, number, number][]): Float32Array {
  const rng = createRandom(seed);
  const out = new Float32Array(count);
  let p = 0;
  for (const [weight, mean, sigma] of modes) {
    const m = Math.round(weight * count);
    for (let i = 0; i < m && p < count; i++) out[p++] = mean + sigma * gaussian(rng);
  }
  return out.subarray(0, p);
}

/** Between-class variance sum_k w_k (mu_k - mu_T)^2 of a histogram split after the given bins. */
function betweenClassVariance(counts: Float64Array, lastBins: number[]): number {
  let total = 0;
  let moment = 0;
  for (let i = 0; i < counts.length; i++) {
    total += counts[i]!;
    moment += i * counts[i]!;
  }
  const muT = moment / total;
  let variance = 0;
  let start = 0;
  for (const end of [...lastBins, counts.length - 1]) {
    let w = 0;
    let s = 0;
    for (let i = start; i <= end; i++) {
      w += counts[i]!;
      s += i * counts[i]!;
    }
    if (w > 0) variance += (w / total) * (s / w - muT) ** 2;
    start = end + 1;
  }
  return variance;
}

/** Number of values at or below t. */
const countBelow = (values: ArrayLike<number>, t: number): number => Array.from(values).filter((v) => v <= t).length;

test("Otsu on two equal overlapping Gaussians: threshold within a bin of the midpoint, same split as brute force", () => {
  const values = mixture(1, 40000, [[0.5, 0.2, 0.1], [0.5, 0.8, 0.1]]);
  const h = histogram(values, 256);
  const t = otsuThreshold(values);
  assert.ok(Math.abs(t - 0.5) <= h.binWidth, `threshold ${t} vs midpoint 0.5 (bin ${h.binWidth})`);
  let best = -1;
  let bestBin = -1;
  for (let b = 0; b < 255; b++) {
    const v = betweenClassVariance(h.counts, [b]);
    if (v > best) {
      best = v;
      bestBin = b;
    }
  }
  assert.is(multiOtsuBins(h.counts, 2)[0], bestBin);
  let below = 0;
  for (let b = 0; b <= bestBin; b++) below += h.counts[b]!;
  assert.is(countBelow(values, t), below);
});

test("Otsu on two separated Gaussians: threshold in the middle of the empty gap between the modes", () => {
  const values = mixture(5, 4000, [[0.5, 0.2, 0.02], [0.5, 0.8, 0.02]]);
  const h = histogram(values, 256);
  const lowerMax = Math.max(...Array.from(values.subarray(0, 2000)));
  const upperMin = Math.min(...Array.from(values.subarray(2000)));
  const t = otsuThreshold(values);
  assert.ok(Math.abs(t - (lowerMax + upperMin) / 2) <= h.binWidth, `threshold ${t}, gap ${lowerMax}..${upperMin}`);
});

test("NaN and infinite values are ignored", () => {
  const values = Array.from(mixture(2, 4000, [[0.5, 1, 0.1], [0.5, 3, 0.1]]));
  const clean = otsuThreshold(values);
  values.push(NaN, NaN, Infinity, -Infinity);
  assert.is(otsuThreshold(values), clean);
});

test("multi-Otsu, 3 classes on a trimodal mix, equals brute force over all threshold pairs", () => {
  const values = mixture(3, 30000, [[0.5, 0.1, 0.04], [0.2, 0.45, 0.05], [0.3, 0.85, 0.06]]);
  const h = histogram(values, 256);
  const bins = multiOtsuBins(h.counts, 3);
  let best = -1;
  let bestPair = [-1, -1];
  for (let a = 0; a < 254; a++) {
    for (let b = a + 1; b < 255; b++) {
      const v = betweenClassVariance(h.counts, [a, b]);
      if (v > best) {
        best = v;
        bestPair = [a, b];
      }
    }
  }
  assert.equal(bins, bestPair);
  const t = multiOtsuThresholds(values, 3);
  const below = (b: number): number => h.counts.subarray(0, b + 1).reduce((a, c) => a + c, 0);
  assert.is(countBelow(values, t[0]!), below(bestPair[0]!));
  assert.is(countBelow(values, t[1]!), below(bestPair[1]!));
  // The thresholds sit between the modes.
  assert.ok(t[0]! > 0.2 && t[0]! < 0.35 && t[1]! > 0.55 && t[1]! < 0.75, `thresholds ${t}`);
});

test("multi-Otsu, 4 classes on 64 bins, equals brute force over all triples", () => {
  const values = mixture(4, 20000, [[0.25, 0, 1], [0.25, 5, 1], [0.3, 10, 1.5], [0.2, 16, 1]]);
  const h = histogram(values, 64);
  let best = -1;
  let bestTriple: number[] = [];
  for (let a = 0; a < 61; a++) {
    for (let b = a + 1; b < 62; b++) {
      for (let c = b + 1; c < 63; c++) {
        const v = betweenClassVariance(h.counts, [a, b, c]);
        if (v > best) {
          best = v;
          bestTriple = [a, b, c];
        }
      }
    }
  }
  assert.equal(multiOtsuBins(h.counts, 4), bestTriple);
});

test("applyThresholds: class = number of thresholds below the value", () => {
  const classes = applyThresholds([-1, 0, 0.5, 1, 1.5, 2, 3, NaN], [0, 1, 2]);
  assert.equal(Array.from(classes), [0, 0, 1, 1, 2, 2, 3, 0]);
});

test("constant data: every threshold is the value; bad input is a RangeError", () => {
  assert.equal(multiOtsuThresholds([2, 2, 2], 3), [2, 2]);
  assert.throws(() => otsuThreshold([NaN, NaN]), RangeError);
  assert.throws(() => multiOtsuThresholds([1, 2, 3], 1), RangeError);
  assert.throws(() => applyThresholds([1], [2, 1]), RangeError);
  assert.throws(() => histogram([1, 2], 1), RangeError);
});

test.run();
