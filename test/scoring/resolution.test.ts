import { test } from "uvu";
import * as assert from "uvu/assert";
import { fft2d } from "../../src/core/fft.js";
import { createRandom, gaussian } from "../../src/core/random.js";
import { edgeMtf, fourierShellCorrelation, halfBitThreshold, resolutionFromFsc, resolutionFromMtf10, slantedEdgeEsf } from "../../src/scoring/resolution.js";

/** erf by its Maclaurin series / continued fraction (|error| < 1e-14), for the analytic edge. */
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = ax, sum = ax;
    for (let n = 1; n < 200; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc continued fraction (Lentz), ample for x >= 3.
  let f = ax, C = ax, D = 0;
  for (let n = 1; n < 200; n++) {
    const an = n / 2;
    D = ax + an * D; D = 1 / D;
    C = ax + an / C;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / (Math.sqrt(Math.PI) * f);
  return Math.sign(x) * (1 - erfc);
}

/** Edge blurred by a Gaussian of sigma (samples), sampled at n points around x0. */
function gaussianEdge(n: number, sigma: number, x0: number, falling = false): Float64Array {
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = 0.5 * (1 + erf((i - x0) / (Math.SQRT2 * sigma)));
    e[i] = falling ? 2 - 3 * v : 1 + 2 * v;
  }
  return e;
}

test("erf helper is accurate (erf(0.5), erf(1), erf(3.5) to 1e-13)", () => {
  assert.ok(Math.abs(erf(0.5) - 0.5204998778130465) < 1e-13);
  assert.ok(Math.abs(erf(1) - 0.8427007929497149) < 1e-13);
  assert.ok(Math.abs(erf(3.5) - 0.9999992569016276) < 1e-13);
});

test("MTF of a Gaussian-blurred edge is exp(-2 pi^2 sigma^2 f^2); MTF10 within 2 % (rising and falling)", () => {
  const dx = 1e-6;
  for (const sigmaPx of [1.5, 3]) {
    for (const falling of [false, true]) {
      const r = edgeMtf(gaussianEdge(128, sigmaPx, 63.3, falling), dx);
      const sigma = sigmaPx * dx;
      const f10 = Math.sqrt(Math.log(10) / (2 * Math.PI ** 2)) / sigma;
      assert.ok(Math.abs(r.mtf10PerM / f10 - 1) < 0.02, `sigma ${sigmaPx}: mtf10 ${r.mtf10PerM} vs ${f10}`);
      assert.ok(Math.abs(r.mtf10PerM / f10 - 1) < 2e-3, `and closely: ${r.mtf10PerM / f10 - 1}`);
      for (let k = 0; k < r.mtf.length; k++) {
        const f = r.frequencyPerM[k]!;
        if (f * dx > 0.35) break;
        const exact = Math.exp(-2 * Math.PI ** 2 * sigma ** 2 * f * f);
        assert.ok(Math.abs(r.mtf[k]! - exact) < 2e-3, `f=${f}: ${r.mtf[k]} vs ${exact}`);
      }
      assert.is(r.mtf[0], 1);
      assert.ok(Math.abs(r.frequencyPerM[r.frequencyPerM.length - 1]! - 0.5 / dx) < 1e-6 / dx);
      assert.is(r.resolutionM, 1 / (2 * r.mtf10PerM));
    }
  }
});

test("without the derivative correction the MTF carries the central difference's sin(2 pi f d)/(2 pi f d)", () => {
  const dx = 2e-6, sigmaPx = 2;
  const r = edgeMtf(gaussianEdge(128, sigmaPx, 64, false), dx, { derivativeCorrection: false });
  for (const k of [20, 40, 60]) {
    const fs = r.frequencyPerM[k]! * dx;
    const exact = Math.exp(-2 * Math.PI ** 2 * sigmaPx ** 2 * fs * fs) * (Math.sin(2 * Math.PI * fs) / (2 * Math.PI * fs));
    assert.ok(Math.abs(r.mtf[k]! - exact) < 1e-3, `k=${k}: ${r.mtf[k]} vs ${exact}`);
  }
});

test("slanted edge (5 deg, Gaussian blur sigma 1 px, 64^2): angle recovered, 4x oversampled ESF gives MTF10 within 2 %", () => {
  const n = 64, sigmaPx = 1, pixel = 5e-6;
  const angle = (5 * Math.PI) / 180;
  const t = Math.tan(angle);
  const img = new Float32Array(n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const d = (x - 31.7 - t * (y - 31.5)) / Math.sqrt(1 + t * t);
      img[x + n * y] = 10 + 20 * 0.5 * (1 + erf(d / (Math.SQRT2 * sigmaPx)));
    }
  }
  const e = slantedEdgeEsf(img, n, n, 4);
  assert.ok(Math.abs(e.angleRad - angle) < (0.1 * Math.PI) / 180, `angle ${(e.angleRad * 180) / Math.PI} deg`);
  assert.is(e.sampleSpacingPx, 0.25);
  const r = edgeMtf(e.esf, pixel * e.sampleSpacingPx);
  const f10 = Math.sqrt(Math.log(10) / (2 * Math.PI ** 2)) / (sigmaPx * pixel);
  assert.ok(Math.abs(r.mtf10PerM / f10 - 1) < 0.02, `slanted-edge MTF10 ${r.mtf10PerM} vs ${f10}`);
  // The edge along x instead of y must be transposed first.
  const transposed = new Float32Array(n * n);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) transposed[y + n * x] = img[x + n * y]!;
  assert.throws(() => slantedEdgeEsf(transposed, n, n), RangeError);
});

test("resolutionFromMtf10 is half the period at MTF10; bad input is refused", () => {
  assert.is(resolutionFromMtf10(2.5e5), 2e-6);
  assert.throws(() => edgeMtf(new Float64Array(4), 1e-6), RangeError);
  assert.throws(() => edgeMtf(new Float64Array(32).fill(1), 1e-6), RangeError);
  assert.throws(() => edgeMtf(gaussianEdge(32, 1, 16), 0), RangeError);
});

test("half-bit threshold: van Heel & Schatz eq. 17 = general formula with half-set SNR (sqrt2 - 1)/2; T(1) = 1", () => {
  const e = (Math.SQRT2 - 1) / 2;
  for (const n of [1, 8, 100, 1e4, 1e8]) {
    const general = (e + (2 * Math.sqrt(e) + 1) / Math.sqrt(n)) / (e + 1 + (2 * Math.sqrt(e)) / Math.sqrt(n));
    assert.ok(Math.abs(halfBitThreshold(n) - general) < 1e-4, `n=${n}: ${halfBitThreshold(n)} vs ${general}`);
  }
  assert.ok(Math.abs(halfBitThreshold(1) - 1) < 1e-12);
  assert.ok(Math.abs(halfBitThreshold(1e16) - 0.2071 / 1.2071) < 1e-7); // n -> infinity: 0.1716
});

test("FSC of identical volumes is 1 at every shell; shell 1 holds 8 (rings) and 18 (shells) Fourier voxels", () => {
  const rng = createRandom(11);
  const v2 = Float64Array.from({ length: 32 * 32 }, () => rng.next());
  const c2 = fourierShellCorrelation(v2, v2, { nx: 32, ny: 32, nz: 1 });
  assert.is(c2.fsc.length, 17);
  for (const f of c2.fsc) assert.ok(Math.abs(f - 1) < 1e-12);
  assert.is(c2.nVoxels[0], 1);
  assert.is(c2.nVoxels[1], 8); // (+-1, 0), (0, +-1), (+-1, +-1): radius 1 and sqrt 2 round to 1
  assert.is(c2.frequency[16], 0.5);
  const v3 = Float32Array.from({ length: 16 ** 3 }, () => rng.next());
  const c3 = fourierShellCorrelation(v3, v3, { nx: 16, ny: 16, nz: 16 });
  for (const f of c3.fsc) assert.ok(Math.abs(f - 1) < 1e-12);
  assert.is(c3.nVoxels[1], 18); // 6 at radius 1, 12 at sqrt 2; sqrt 3 rounds to 2
  assert.is(resolutionFromFsc(c3, 1e-6).crossed, false);
  // A non-power-of-two image is zero-padded: 20 -> 32.
  assert.is(fourierShellCorrelation(v2.subarray(0, 20 * 20), v2.subarray(0, 20 * 20), { nx: 20, ny: 20, nz: 1 }).fsc.length, 17);
  assert.throws(() => fourierShellCorrelation(v2, v2, { nx: 32, ny: 16, nz: 1 }), RangeError);
});

test("FRC of two noisy realisations follows SNR/(1+SNR) and crosses the half-bit curve where predicted", () => {
  // Signal: white noise low-passed by H(f) = exp(-f^2 / (2 f0^2)), so its expected power per
  // Fourier sample is N H^2; independent white noise of sigma_n adds N sigma_n^2. The expected
  // FRC is H^2 / (H^2 + sigma_n^2) (van Heel & Schatz 2005, eq. 4 with SNR = H^2 / sigma_n^2).
  const n = 128, f0 = 0.1, sn = 0.1;
  const rng = createRandom(7);
  const spec = new Float64Array(2 * n * n);
  for (let i = 0; i < n * n; i++) spec[2 * i] = gaussian(rng);
  fft2d(spec, n, n);
  const H = (f: number): number => Math.exp((-f * f) / (2 * f0 * f0));
  for (let y = 0; y < n; y++) {
    const fy = (y < n / 2 ? y : y - n) / n;
    for (let x = 0; x < n; x++) {
      const fx = (x < n / 2 ? x : x - n) / n;
      const h = H(Math.hypot(fx, fy));
      spec[2 * (x + n * y)]! *= h;
      spec[2 * (x + n * y) + 1]! *= h;
    }
  }
  fft2d(spec, n, n, true);
  const a = new Float64Array(n * n);
  const b = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    a[i] = spec[2 * i]! + sn * gaussian(rng);
    b[i] = spec[2 * i]! + sn * gaussian(rng);
  }
  const c = fourierShellCorrelation(a, b, { nx: n, ny: n, nz: 1 });
  for (let s = 1; s <= 10; s++) assert.ok(c.fsc[s]! > 0.95, `shell ${s}: ${c.fsc[s]}`);
  let worst = 0;
  for (let s = 1; s < c.fsc.length; s++) {
    const h2 = H(c.frequency[s]!) ** 2;
    const expected = h2 / (h2 + sn * sn);
    // Estimation scatter ~ (1 - FRC^2) / sqrt(n): allow 4 of those plus 0.02.
    const tol = (4 * (1 - expected * expected)) / Math.sqrt(c.nVoxels[s]!) + 0.02;
    worst = Math.max(worst, Math.abs(c.fsc[s]! - expected) / tol);
  }
  assert.ok(worst < 1, `FRC departs from SNR/(1+SNR) by ${worst} of the tolerance`);
  // Predicted crossing: expected FRC = half-bit threshold, solved by bisection on the shell grid.
  const diff = (f: number): number => {
    const h2 = H(f) ** 2;
    const nShell = Math.PI * 2 * f * n; // ring circumference in Fourier voxels
    return h2 / (h2 + sn * sn) - halfBitThreshold(nShell);
  };
  let lo = 0.05, hi = 0.5;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    if (diff(mid) > 0) lo = mid;
    else hi = mid;
  }
  const res = resolutionFromFsc(c, 0.5e-6);
  assert.ok(res.crossed);
  assert.ok(Math.abs(res.frequencyPerVoxel - lo) < 0.02, `crossing ${res.frequencyPerVoxel} vs predicted ${lo}`);
  assert.ok(Math.abs(res.resolutionM - 0.5e-6 / res.frequencyPerVoxel) < 1e-18);
  const r7 = resolutionFromFsc(c, 0.5e-6, "1/7");
  assert.ok(r7.frequencyPerVoxel > res.frequencyPerVoxel, "1/7 is below the half-bit curve here, so it crosses later");
});

test.run();
