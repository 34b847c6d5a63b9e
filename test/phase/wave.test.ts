import { test } from "uvu";
import * as assert from "uvu/assert";
import { integratePixels } from "../../src/phase/detectorSampling.js";
import { fresnelPropagate } from "../../src/phase/fresnel.js";
import { exitWave, intensity, wavelengthM } from "../../src/phase/wave.js";

test("wavelength: 12.398 keV is 1 angstrom (h c = 1.239841984e-9 keV m)", () => {
  assert.ok(Math.abs(wavelengthM(12.39841984) - 1e-10) < 1e-22);
  assert.ok(Math.abs(wavelengthM(17) - 7.2932e-11) < 1e-15);
  assert.throws(() => wavelengthM(0), /positive/);
});

test("exit wave: |T|^2 = exp(-mu t) with mu = 4 pi beta / lambda, phase -k D", () => {
  // A 10 um slab of beta = 1e-9, delta = 2e-6 at 20 keV.
  const e = 20, lambda = wavelengthM(e), t = 10e-6, beta = 1e-9, delta = 2e-6;
  const D = new Float32Array([delta * t, 0]);
  const B = new Float64Array([beta * t, 0]);
  const T = exitWave(D, B, e);
  const mu = (4 * Math.PI * beta) / lambda;
  const I = intensity(T);
  assert.ok(Math.abs(I[0]! - Math.exp(-mu * t)) < 1e-12, `${I[0]} vs ${Math.exp(-mu * t)}`);
  assert.is(I[1], 1, "no sample: unit plane wave");
  const phase = Math.atan2(T[1]!, T[0]!);
  const expected = (-2 * Math.PI * Number(D[0]!)) / lambda; // -k D, within (-pi, pi] here
  assert.ok(Math.abs(phase - expected) < 1e-9, `phase ${phase} vs ${expected}`);
  assert.ok(expected < -1 && expected > -Math.PI, "the test's phase is unwrapped");
  assert.throws(() => exitWave(D, new Float64Array(3), e), /same pixels/);
  assert.throws(() => exitWave(D, B, e, new Float64Array(3)), /need 4/);
});

test("detector integration: binning conserves photons, averages a ramp to its centre, and differs from centre sampling at a sharp edge", () => {
  const factor = 5, nxF = 320, nyF = 10;
  // A linear ramp: the block mean equals the value at the block's centre (sub-pixel 2).
  const ramp = new Float64Array(nxF * nyF).map((_, p) => 0.5 + 0.01 * (p % nxF) + 0.003 * Math.floor(p / nxF));
  const binnedRamp = integratePixels(ramp, nxF, nyF, factor);
  for (let y = 0; y < nyF / factor; y++) {
    for (let x = 0; x < nxF / factor; x++) {
      const centre = ramp[x * factor + 2 + nxF * (y * factor + 2)]!;
      assert.ok(Math.abs(binnedRamp[x + (nxF / factor) * y]! - centre) < 1e-12);
    }
  }
  // Fresnel fringes of an absorbing edge, 17 keV, 0.1 m, 0.1 um fine pixels, 0.5 um detector.
  const lambda = wavelengthM(17), dx = 0.1e-6;
  const u = new Float64Array(2 * nxF * nyF);
  for (let p = 0; p < nxF * nyF; p++) u[2 * p] = p % nxF < nxF / 2 ? 1 : 0.6;
  const fine = intensity(fresnelPropagate(u, nxF, nyF, dx, lambda, 0.1));
  const binned = integratePixels(fine, nxF, nyF, factor);
  const sumFine = fine.reduce((s, v) => s + v, 0);
  const sumCoarse = binned.reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(sumCoarse * factor * factor - sumFine) < 1e-12 * sumFine, "photons conserved");
  const nx = nxF / factor;
  let maxDiff = 0, rangeBinned = 0, rangeSampled = 0;
  let minB = Infinity, maxB = 0, minS = Infinity, maxS = 0;
  for (let x = 0; x < nx; x++) {
    const sampled = fine[x * factor + 2]!;
    const b = binned[x]!;
    maxDiff = Math.max(maxDiff, Math.abs(b - sampled));
    minB = Math.min(minB, b); maxB = Math.max(maxB, b);
    minS = Math.min(minS, sampled); maxS = Math.max(maxS, sampled);
  }
  rangeBinned = maxB - minB;
  rangeSampled = maxS - minS;
  assert.ok(maxDiff > 0.01, `binning differs from centre sampling near the edge (max ${maxDiff})`);
  assert.ok(rangeBinned < rangeSampled, `pixel integration lowers the fringe contrast: ${rangeBinned} < ${rangeSampled}`);
  assert.throws(() => integratePixels(fine, nxF, nyF, 3), /whole number/);
});

test.run();
