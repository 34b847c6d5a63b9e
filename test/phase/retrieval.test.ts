/**
 * Phase retrieval against the forward model of src/phase (exit wave, Fresnel propagation):
 * each method must give back the object that made the images.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { wavelengthM } from "../../src/core/constants.js";
import { resolveMaterial } from "../../src/materials/library.js";
import { materialOptics } from "../../src/materials/optics.js";
import { fresnelPropagate } from "../../src/phase/fresnel.js";
import {
  ctfRetrieve,
  iterativeRetrieve,
  paganinLineIntegral,
  paganinRetrieve,
  phaseToDeltaIntegral,
  phaseToLineIntegral,
} from "../../src/phase/retrieval.js";
import { exitWave, intensity } from "../../src/phase/wave.js";

const ENERGY_KEV = 17;
const LAMBDA = wavelengthM(ENERGY_KEV);
const K = (2 * Math.PI) / LAMBDA;

/** Detector images I/I0 of an object (delta and beta integrals, m) at each distance. */
function images(D: Float64Array, B: Float64Array, n: number, pixelSizeM: number, distancesM: number[]): Float64Array[] {
  const t = exitWave(D, B, ENERGY_KEV);
  return distancesM.map((z) => intensity(fresnelPropagate(t, n, n, pixelSizeM, LAMBDA, z, { pad: 2 })));
}

/** Sum of Gaussian blobs (amplitude, centre, sigma in pixels) on an n x n image. */
function blobs(n: number, list: Array<[number, number, number, number]>): Float64Array {
  const out = new Float64Array(n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      let v = 0;
      for (const [a, cx, cy, s] of list) v += a * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s * s));
      out[x + n * y] = v;
    }
  }
  return out;
}

/** RMS of (a - b) over RMS of b, both with their means removed. */
function relativeRms(a: Float64Array, b: Float64Array): number {
  let ma = 0, mb = 0;
  for (let i = 0; i < a.length; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= a.length;
  mb /= b.length;
  let e = 0, s = 0;
  for (let i = 0; i < a.length; i++) {
    e += (a[i]! - ma - (b[i]! - mb)) ** 2;
    s += (b[i]! - mb) ** 2;
  }
  return Math.sqrt(e / s);
}

test("Paganin gives back the thickness of an NMC811 sphere within 2 % (centre and mean)", () => {
  const n = 128;
  const dx = 0.5e-6;
  const radius = 20e-6;
  const z = 0.05; // Fresnel number radius^2 / (lambda z) = 110: near field
  const nmc = materialOptics(resolveMaterial("NMC811"), ENERGY_KEV);
  // Thickness of the sphere, averaged over 4 x 4 sub-pixels so the rim is not aliased.
  const t = new Float64Array(n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      let sum = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const rx = (x + (sx + 0.5) / 4 - 0.5 - (n - 1) / 2) * dx;
          const ry = (y + (sy + 0.5) / 4 - 0.5 - (n - 1) / 2) * dx;
          const r2 = radius * radius - rx * rx - ry * ry;
          sum += r2 > 0 ? 2 * Math.sqrt(r2) : 0;
        }
      }
      t[x + n * y] = sum / 16;
    }
  }
  const D = t.map((v) => v * nmc.delta);
  const B = t.map((v) => v * nmc.beta);
  const [I] = images(D, B, n, dx, [z]);
  const opts = { pixelSizeM: dx, energyKeV: ENERGY_KEV, distanceM: z, deltaOverBeta: nmc.delta / nmc.beta, beta: nmc.beta };
  const T = paganinRetrieve(I!, n, n, opts);
  const centre = (n / 2) * n + n / 2;
  const centreErr = Math.abs(T[centre]! / t[centre]! - 1);
  let sumT = 0, sumTrue = 0;
  for (let i = 0; i < t.length; i++) {
    sumT += T[i]!;
    sumTrue += t[i]!;
  }
  const meanErr = Math.abs(sumT / sumTrue - 1);
  assert.ok(centreErr < 0.02, `centre thickness ${T[centre]} vs ${t[centre]} (${(centreErr * 100).toFixed(2)} %)`);
  assert.ok(meanErr < 0.02, `projected volume off by ${(meanErr * 100).toFixed(2)} %`);
  // Without the filter the raw -ln(I) / mu would be wrong by the edge fringes; with it the
  // line integral is mu T, the same map times mu (no material mu needed).
  const L = paganinLineIntegral(I!, n, n, opts);
  assert.ok(Math.abs(L[centre]! / (nmc.mu * T[centre]!) - 1) < 1e-9, "line integral = mu T");
  console.log(`  Paganin: centre ${(centreErr * 100).toFixed(2)} %, projected volume ${(meanErr * 100).toFixed(2)} %`);
});

test("Paganin leaves a flat field at zero thickness", () => {
  const I = new Float64Array(64 * 64).fill(1);
  const T = paganinLineIntegral(I, 64, 64, { pixelSizeM: 1e-6, wavelengthM: LAMBDA, distanceM: 0.1, deltaOverBeta: 500 });
  for (const v of T) assert.ok(Math.abs(v) < 1e-12);
});

const WEAK_N = 128;
const WEAK_DX = 1e-6;
const WEAK_Z = [0.02, 0.06, 0.15, 0.3];
/** Weak smooth phase (down to -0.05 rad) with an unrelated weak absorption. */
function weakObject(): { phi: Float64Array; b: Float64Array } {
  const phi = blobs(WEAK_N, [[-0.05, 50, 60, 6], [-0.03, 80, 70, 4], [-0.04, 64, 40, 3]]);
  const b = blobs(WEAK_N, [[0.004, 60, 75, 5], [0.002, 40, 45, 3]]);
  return { phi, b };
}

test("CTF recovers a weak phase object and its absorption from 4 distances (< 5 % RMS)", () => {
  const { phi, b } = weakObject();
  const D = phi.map((v) => -v / K);
  const B = b.map((v) => v / K);
  const I = images(D, B, WEAK_N, WEAK_DX, WEAK_Z);
  const r = ctfRetrieve(I, WEAK_N, WEAK_N, { pixelSizeM: WEAK_DX, energyKeV: ENERGY_KEV, distancesM: WEAK_Z, alpha: 1e-6 });
  const ePhase = relativeRms(r.phase, phi);
  const eAbs = relativeRms(r.absorption, b.map((v) => 2 * v));
  assert.ok(ePhase < 0.05, `phase relative RMS error ${ePhase}`);
  assert.ok(eAbs < 0.05, `absorption relative RMS error ${eAbs}`);
  // The reused work buffers leave nothing behind: a second call gives the same phase.
  const again = ctfRetrieve(I, WEAK_N, WEAK_N, { pixelSizeM: WEAK_DX, energyKeV: ENERGY_KEV, distancesM: WEAK_Z, alpha: 1e-6 });
  assert.equal(Array.from(again.phase), Array.from(r.phase));
  // D = -phi / k
  assert.ok(Math.abs(r.deltaIntegralM[1000]! + r.phase[1000]! / K) < 1e-25);
  console.log(`  CTF (phase + absorption): phase ${(ePhase * 100).toFixed(2)} %, absorption ${(eAbs * 100).toFixed(2)} %`);
});

test("homogeneous CTF (delta/beta) recovers the phase, its mean and the line integral", () => {
  const { phi } = weakObject();
  const dOverB = 100;
  const D = phi.map((v) => -v / K);
  const B = D.map((v) => v / dOverB);
  const I = images(D, B, WEAK_N, WEAK_DX, WEAK_Z);
  const r = ctfRetrieve(I, WEAK_N, WEAK_N, { pixelSizeM: WEAK_DX, energyKeV: ENERGY_KEV, distancesM: WEAK_Z, alpha: 1e-6, deltaOverBeta: dOverB });
  const e = relativeRms(r.phase, phi);
  assert.ok(e < 0.05, `phase relative RMS error ${e}`);
  // The mean is determined here: the minimum (-0.05 - tails) within 5 %.
  let minTrue = 0, minGot = 0;
  for (let i = 0; i < phi.length; i++) {
    minTrue = Math.min(minTrue, phi[i]!);
    minGot = Math.min(minGot, r.phase[i]!);
  }
  assert.ok(Math.abs(minGot / minTrue - 1) < 0.05, `deepest phase ${minGot} vs ${minTrue}`);
  const mu = B.map((v) => 2 * K * v);
  assert.ok(relativeRms(r.absorption, mu) < 0.05);
  console.log(`  CTF (delta/beta): phase ${(e * 100).toFixed(2)} %, deepest ${minGot.toFixed(4)} vs ${minTrue.toFixed(4)}`);
});

test("iterative retrieval lowers the residual monotonically and beats its CTF start on a strong object", () => {
  // Phase down to -3.4 rad over 3-5 px: far outside the weak-object CTF's validity.
  const n = 128;
  const dx = 1e-6;
  const zs = [0.02, 0.06, 0.15, 0.3];
  const dOverB = 100;
  const iterations = 30;
  const phi = blobs(n, [[-3, 50, 60, 4.5], [-2.1, 80, 70, 3], [-2.4, 64, 40, 3]]);
  const D = phi.map((v) => -v / K);
  const B = D.map((v) => v / dOverB);
  const I = images(D, B, n, dx, zs);
  const base = { pixelSizeM: dx, energyKeV: ENERGY_KEV, distancesM: zs };
  const start = ctfRetrieve(I, n, n, { ...base, alpha: 1e-4, deltaOverBeta: dOverB });
  // pad 1: the object sits in a flat field far from the border, and 4x fewer FFT pixels.
  const r = iterativeRetrieve(I, n, n, { ...base, iterations, initial: start, pad: 1 });
  const eStart = relativeRms(start.phase, phi);
  const eEnd = relativeRms(r.phase, phi);
  const res = r.residuals;
  assert.is(res.length, iterations + 1);
  for (let i = 1; i < res.length; i++) assert.ok(res[i]! <= res[i - 1]! * (1 + 1e-9), `residual rose at iteration ${i}: ${res[i - 1]} -> ${res[i]}`);
  assert.ok(res[iterations]! < 0.2 * res[0]!, `residual ${res[0]} -> ${res[iterations]}`);
  assert.ok(eEnd < 0.5 * eStart, `phase error ${eStart} (CTF) -> ${eEnd} (iterative)`);
  // Without `initial` it starts from the same CTF itself.
  const explicit = iterativeRetrieve(I, n, n, { ...base, iterations: 2, initial: start, pad: 1 });
  const implicit = iterativeRetrieve(I, n, n, { ...base, iterations: 2, alpha: 1e-4, deltaOverBeta: dOverB, pad: 1 });
  assert.ok(Math.abs(implicit.residuals[0]! / explicit.residuals[0]! - 1) < 1e-6, "default start is the CTF start");
  const plane = iterativeRetrieve(I, n, n, { ...base, iterations: 0, initial: "plane", pad: 1 });
  assert.ok(plane.residuals[0]! > res[0]!, "the CTF start fits the data better than a plane wave");
  console.log(`  iterative: residual ${res[0]!.toExponential(3)} -> ${res[iterations]!.toExponential(3)}, phase error ${(eStart * 100).toFixed(2)} % -> ${(eEnd * 100).toFixed(2)} %`);
});

test("phase conversions: D = -phi / k and the line integral -2 phi beta / delta equal mu t", () => {
  const nmc = materialOptics(resolveMaterial("NMC811"), ENERGY_KEV);
  const t = 10e-6;
  const phase = new Float64Array([-K * nmc.delta * t, 0]);
  const D = phaseToDeltaIntegral(phase, { energyKeV: ENERGY_KEV });
  assert.ok(Math.abs(D[0]! / (nmc.delta * t) - 1) < 1e-12);
  const L = phaseToLineIntegral(phase, nmc.delta / nmc.beta);
  assert.ok(Math.abs(L[0]! / (nmc.mu * t) - 1) < 1e-9, `line integral ${L[0]} vs mu t ${nmc.mu * t}`);
  assert.is(L[1], 0);
});

test("bad input throws RangeError with the reason", () => {
  const I = new Float64Array(16 * 16).fill(1);
  const base = { pixelSizeM: 1e-6, energyKeV: 17 };
  const throwsWith = (f: () => unknown, pattern: RegExp): void => {
    try {
      f();
    } catch (e) {
      assert.instance(e, RangeError);
      assert.match((e as Error).message, pattern);
      return;
    }
    assert.unreachable(`expected a RangeError matching ${pattern}`);
  };
  throwsWith(() => paganinLineIntegral(I, 16, 15, { ...base, distanceM: 0.1, deltaOverBeta: 100 }), /holds 256 values.*needs 240/);
  throwsWith(() => paganinLineIntegral(I, 16, 16, { ...base, distanceM: 0, deltaOverBeta: 100 }), /distanceM must be a positive/);
  throwsWith(() => paganinRetrieve(I, 16, 16, { ...base, distanceM: 0.1, deltaOverBeta: 100 }), /muPerM.*or beta/);
  throwsWith(() => paganinLineIntegral(I, 16, 16, { pixelSizeM: 1e-6, distanceM: 0.1, deltaOverBeta: 100 }), /wavelengthM.*energyKeV/);
  throwsWith(() => ctfRetrieve([I, new Float64Array(10)], 16, 16, { ...base, distancesM: [0.1, 0.2], alpha: 1e-4 }), /image 1.*holds 10 values/);
  throwsWith(() => ctfRetrieve([I, I], 16, 16, { ...base, distancesM: [0.1], alpha: 1e-4 }), /2 images but 1 distances/);
  throwsWith(() => ctfRetrieve([I, I], 16, 16, { ...base, distancesM: [0.1, -0.2], alpha: 1e-4 }), /distancesM\[1\] must be a positive/);
  throwsWith(() => ctfRetrieve([I, I], 16, 16, { ...base, distancesM: [0.1, 0.2], alpha: 0 }), /alpha must be a positive/);
  throwsWith(() => ctfRetrieve([I, I], 16, 16, { ...base, distancesM: [0.1, 0.1], alpha: 1e-4 }), /two different distances/);
  throwsWith(() => iterativeRetrieve([I], 16, 16, { ...base, distancesM: [0.1], iterations: 2.5 }), /iterations must be an integer/);
  throwsWith(() => iterativeRetrieve([I], 16, 16, { ...base, distancesM: [0.1], iterations: 2, initial: { phase: new Float64Array(3) } }), /initial.phase holds 3/);
});

test.run();
