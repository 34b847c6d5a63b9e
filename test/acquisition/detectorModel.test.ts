import { test } from "uvu";
import * as assert from "uvu/assert";
import { minusLog } from "../../src/acquisition/detector.js";
import {
  DetectorModel,
  SCINTILLATORS,
  gaussianKernel1d,
  psfVarianceFactor,
  scintillatorEfficiency,
  scintillatorMaterial,
  type ScintillatorName,
} from "../../src/acquisition/detectorModel.js";
import { createRandom, gaussian } from "../../src/core/random.js";
import { elementTable } from "../../src/materials/elementTable.js";
import { resolveMaterial } from "../../src/materials/library.js";
import { materialOptics } from "../../src/materials/optics.js";

/** Mean and (unbiased) variance of a[y][x] over rows y0..y1-1, cols x0..x1-1. */
function stats(a: Float32Array, cols: number, y0 = 0, y1 = a.length / cols, x0 = 0, x1 = cols): { mean: number; variance: number } {
  let s = 0;
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) (s += a[y * cols + x]!), n++;
  const mean = s / n;
  let ss = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ss += (a[y * cols + x]! - mean) ** 2;
  return { mean, variance: ss / (n - 1) };
}

function rms(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m += a[i]!;
  m /= a.length;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - m) ** 2;
  return Math.sqrt(s / a.length);
}

const SIZE = 200;

test("flat field: mean = offset + dark + g N eta, variance = g^2 N eta + read^2 + dark (+1/12 ADC)", () => {
  const g = 2.5;
  const eta = 0.6;
  const photons = 1000;
  const read = 5;
  const offset = 100;
  const dark = 20 * 0.5;
  const det = new DetectorModel({
    rows: SIZE,
    cols: SIZE,
    efficiency: eta,
    gainAduPerPhoton: g,
    readNoiseAdu: read,
    darkCurrentAduPerS: 20,
    exposureS: 0.5,
    offsetAdu: offset,
    seed: 1,
  });
  const frame = det.frame(photons, createRandom(11), new Float32Array(SIZE * SIZE));
  const { mean, variance } = stats(frame, SIZE);
  const wantMean = offset + dark + g * photons * eta;
  const wantVar = g * g * photons * eta + read * read + dark + 1 / 12;
  const n = SIZE * SIZE;
  assert.ok(Math.abs(mean - wantMean) < 5 * Math.sqrt(wantVar / n), `mean ${mean} vs ${wantMean}`);
  assert.ok(Math.abs(variance / wantVar - 1) < 4 * Math.sqrt(2 / n), `variance ${variance} vs ${wantVar}`);
  // The classic bug, Var = g N eta + ..., would be 1535: far outside.
  assert.ok(variance > 3000);
  assert.ok(Math.abs(det.expectedMean(photons) - wantMean) < 1e-9);
  assert.ok(Math.abs(det.expectedVariance(photons) - wantVar) < 1e-9);
  // Integer ADU values; deterministic for a seed.
  assert.ok(frame.every((v) => Number.isInteger(v)));
  const again = det.frame(photons, createRandom(11), new Float32Array(n));
  assert.equal(Array.from(again.subarray(0, 50)), Array.from(frame.subarray(0, 50)));
});

test("PSF: mean unchanged, variance of the noise falls by (sum w_k^2)^2 of the normalised kernel", () => {
  const sigma = 1;
  const w = gaussianKernel1d(sigma);
  assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  const factor = psfVarianceFactor(w);
  // Continuous limit: 1 / (4 pi sigma^2).
  assert.ok(Math.abs(factor * 4 * Math.PI * sigma * sigma - 1) < 0.01, `factor ${factor}`);
  const g = 2;
  const eta = 0.5;
  const photons = 2000;
  const opts = { rows: SIZE, cols: SIZE, efficiency: eta, gainAduPerPhoton: g, offsetAdu: 10, seed: 2 };
  const sharp = new DetectorModel(opts).frame(photons, createRandom(21), new Float32Array(SIZE * SIZE));
  const blurredDet = new DetectorModel({ ...opts, psfSigmaPx: sigma });
  assert.is(blurredDet.psfVarianceFactor, factor);
  const blurred = blurredDet.frame(photons, createRandom(21), new Float32Array(SIZE * SIZE));
  const r = (w.length - 1) / 2;
  const s0 = stats(sharp, SIZE, r, SIZE - r, r, SIZE - r);
  const s1 = stats(blurred, SIZE, r, SIZE - r, r, SIZE - r);
  const white = g * g * photons * eta;
  const wantMean = 10 + g * photons * eta;
  assert.ok(Math.abs(s0.mean - wantMean) < 2, `sharp mean ${s0.mean}`);
  assert.ok(Math.abs(s1.mean - wantMean) < 2, `blurred mean ${s1.mean}`);
  assert.ok(Math.abs(s0.variance / (white + 1 / 12) - 1) < 0.03, `sharp variance ${s0.variance}`);
  const wantBlurred = white * factor + 1 / 12;
  assert.ok(Math.abs(s1.variance / wantBlurred - 1) < 0.08, `blurred variance ${s1.variance} vs ${wantBlurred}`);
  assert.ok(Math.abs(blurredDet.expectedVariance(photons) - wantBlurred) < 1e-9);
});

test("ADC: values clip to [0, 2^bits - 1]", () => {
  const det = new DetectorModel({ rows: 50, cols: 50, bitDepth: 12, readNoiseAdu: 3, seed: 3 });
  assert.is(det.saturationAdu, 4095);
  const expected = new Float32Array(2500);
  for (let i = 0; i < 2500; i++) expected[i] = i < 1250 ? 0 : 1e6;
  const f = det.frame(expected, createRandom(31), new Float32Array(2500));
  let zeros = 0;
  for (let i = 0; i < 2500; i++) {
    assert.ok(f[i]! >= 0 && f[i]! <= 4095);
    if (i >= 1250) assert.is(f[i], 4095);
    else if (f[i] === 0) zeros++;
  }
  assert.ok(zeros > 400, `read noise around 0 clips about half the dark pixels to 0, got ${zeros}`);
  assert.throws(() => new DetectorModel({ rows: 2, cols: 2, bitDepth: 25 }), /bit depth/);
});

test("gain map: divides out with flats through the same map; a changed map leaves column stripes of -ln(G_proj / G_flat)", () => {
  const cols = 256;
  const flatPhotons = 20000;
  const transmission = Math.exp(-1);
  const offset = 50;
  const base = { rows: 1, cols, readNoiseAdu: 2, offsetAdu: offset, gainNonUniformity: 0.03, seed: 4 };
  const detA = new DetectorModel(base);
  assert.ok(Math.abs(rms(detA.gainMap) - 0.03) < 0.006, `gain map rms ${rms(detA.gainMap)}`);
  // The same detector after a drift of the per-pixel gain by 1% rms.
  const driftRng = createRandom("drift");
  const drifted = detA.gainMap.map((v) => v * (1 + 0.01 * gaussian(driftRng)));
  const detB = new DetectorModel({ ...base, gainMap: drifted });

  const rng = createRandom(41);
  const nFlats = 20;
  const nAngles = 360;
  const flat = new Float32Array(cols);
  const buf = new Float32Array(cols);
  for (let k = 0; k < nFlats; k++) {
    detA.frame(flatPhotons, rng, buf);
    for (let i = 0; i < cols; i++) flat[i] = flat[i]! + buf[i]! / nFlats;
  }
  // Sinogram of a uniform object (p = 1 in every ray), column means over angles.
  const sinogramColumnMean = (det: DetectorModel, correct: boolean): Float64Array => {
    const profile = new Float64Array(cols);
    const p = new Float32Array(cols);
    const uniformFlat = new Float32Array(cols).fill(offset + flatPhotons);
    for (let a = 0; a < nAngles; a++) {
      det.frame(flatPhotons * transmission, rng, buf);
      const report = minusLog(buf, correct ? flat : uniformFlat, offset, p);
      assert.is(report.badFlat + report.floored, 0);
      for (let i = 0; i < cols; i++) profile[i] = profile[i]! + p[i]! / nAngles;
    }
    return profile;
  };
  // Predicted noise of a column mean: projections (1/(N T) / nAngles) + the common flat (1/(N nFlats)).
  const noise = Math.sqrt(1 / (flatPhotons * transmission * nAngles) + 1 / (flatPhotons * nFlats));

  const raw = sinogramColumnMean(detA, false);
  assert.ok(Math.abs(rms(raw) / 0.03 - 1) < 0.2, `uncorrected stripes ${rms(raw)} ~ gain rms 0.03`);

  const same = sinogramColumnMean(detA, true);
  const sameMean = same.reduce((a, b) => a + b, 0) / cols;
  assert.ok(Math.abs(sameMean - 1) < 0.002, `corrected p ${sameMean}`);
  assert.ok(rms(same) < 1.4 * noise && rms(same) > 0.6 * noise, `same-map residual ${rms(same)} vs noise ${noise}`);

  const changed = sinogramColumnMean(detB, true);
  const want = Float64Array.from(drifted, (v, i) => -Math.log(v / detA.gainMap[i]!));
  const wantRms = rms(want);
  assert.ok(wantRms > 5 * noise);
  assert.ok(Math.abs(rms(changed) / Math.hypot(wantRms, noise) - 1) < 0.15, `stripes ${rms(changed)} vs ${wantRms}`);
  const residual = Float64Array.from(changed, (v, i) => v - want[i]!);
  assert.ok(rms(residual) < 1.4 * noise, `stripes follow -ln(G_B/G_A): residual ${rms(residual)} vs noise ${noise}`);
});

test("dead pixels: fixed seeded mask, value 0, fraction as asked", () => {
  const n = SIZE * SIZE;
  const fraction = 0.01;
  const det = new DetectorModel({ rows: SIZE, cols: SIZE, deadPixelFraction: fraction, seed: 5 });
  const sd = Math.sqrt(n * fraction * (1 - fraction));
  assert.ok(Math.abs(det.deadPixelCount - n * fraction) < 5 * sd, `dead ${det.deadPixelCount}`);
  assert.equal(Array.from(new DetectorModel({ rows: SIZE, cols: SIZE, deadPixelFraction: fraction, seed: 5 }).deadPixelMask), Array.from(det.deadPixelMask));
  const other = new DetectorModel({ rows: SIZE, cols: SIZE, deadPixelFraction: fraction, seed: 6 }).deadPixelMask;
  assert.ok(other.some((v, i) => v !== det.deadPixelMask[i]));
  for (const seed of [51, 52]) {
    const f = det.frame(5000, createRandom(seed), new Float32Array(n));
    for (let i = 0; i < n; i++) assert.ok(det.deadPixelMask[i] ? f[i] === 0 : f[i]! > 4000);
  }
});

test("zingers: rate matches the probability per pixel per frame", () => {
  const n = SIZE * SIZE;
  const p = 1e-3;
  const det = new DetectorModel({ rows: SIZE, cols: SIZE, zingerProbability: p, zingerAmplitudeAdu: 3000, seed: 7 });
  const rng = createRandom(71);
  const f = new Float32Array(n);
  const frames = 10;
  let hits = 0;
  const perFrame: number[] = [];
  for (let k = 0; k < frames; k++) {
    det.frame(1000, rng, f);
    let h = 0;
    for (let i = 0; i < n; i++) if (f[i]! > 2500) h++;
    perFrame.push(h);
    hits += h;
  }
  const want = frames * n * p;
  assert.ok(Math.abs(hits - want) < 4.5 * Math.sqrt(want), `zingers ${hits} vs ${want}`);
  assert.ok(new Set(perFrame).size > 1, "zingers differ frame to frame");
});

test("binning 2x2: sums of blocks (mean x4, variance x4 for independent pixels)", () => {
  const det = new DetectorModel({ rows: SIZE, cols: SIZE, binning: 2, gainAduPerPhoton: 1, seed: 8 });
  assert.is(det.outRows, SIZE / 2);
  const f = det.frame(500, createRandom(81), new Float32Array((SIZE / 2) ** 2));
  const s = stats(f, SIZE / 2);
  assert.ok(Math.abs(s.mean - 2000) < 2, `binned mean ${s.mean}`);
  assert.ok(Math.abs(s.variance / (4 * (500 + 1 / 12)) - 1) < 0.06, `binned variance ${s.variance}`);
  assert.throws(() => det.frame(500, createRandom(1), new Float32Array(SIZE * SIZE)), /out must hold/);
});

test("scintillator efficiency: 100 um CsI at 20 keV is 1 - exp(-mu t) from the materials layer", () => {
  const t = 100e-6;
  const byHand = 1 - Math.exp(-materialOptics(resolveMaterial("CsI", 4.51), 20).mu * t);
  const csi = scintillatorMaterial("CsI");
  assert.is(csi.densityGcm3, 4.51);
  assert.ok(Math.abs(scintillatorEfficiency(csi, t, 20) - byHand) < 1e-12);
  // Independent order of magnitude: mu/rho(CsI, 20 keV) = 26.86 cm^2/g (Crytur data table) gives 0.703.
  const crytur = 1 - Math.exp(-26.86 * 4.51 * t * 100);
  assert.ok(Math.abs(byHand / crytur - 1) < 0.03, `eta ${byHand} vs ${crytur}`);
  for (const name of Object.keys(SCINTILLATORS) as ScintillatorName[]) {
    const eta = scintillatorEfficiency(scintillatorMaterial(name), 20e-6, 30);
    assert.ok(eta > 0 && eta < 1, `${name}: ${eta}`);
  }
  assert.is(scintillatorEfficiency(csi, 0, 20), 0);
});

test("scintillator efficiency of CsI: decreasing between edges, jumps up at the I and Cs K edges", () => {
  const csi = scintillatorMaterial("CsI");
  const t = 100e-6;
  const kEdge = (z: number) => elementTable(z).edges.find((e) => e.shell === "K")!.energyKeV;
  const eI = kEdge(53);
  const eCs = kEdge(55);
  assert.ok(Math.abs(eI - 33.17) < 0.05 && Math.abs(eCs - 35.98) < 0.05, `edges ${eI} ${eCs}`);
  const eta = (e: number) => scintillatorEfficiency(csi, t, e);
  const decreasing = (lo: number, hi: number) => {
    let prev = Infinity;
    for (let k = 0; k <= 50; k++) {
      const e = lo + ((hi - lo) * k) / 50;
      const v = eta(e);
      assert.ok(v < prev, `eta not decreasing at ${e} keV`);
      prev = v;
    }
  };
  decreasing(10, eI - 0.01);
  decreasing(eI + 0.01, eCs - 0.01);
  decreasing(eCs + 0.01, 150);
  assert.ok(eta(eI + 0.01) > 1.5 * eta(eI - 0.01), "I K edge jump");
  assert.ok(eta(eCs + 0.01) > eta(eCs - 0.01) * 1.1, "Cs K edge jump");
});

test.run();
