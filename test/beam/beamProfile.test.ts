import { test } from "uvu";
import * as assert from "uvu/assert";
import { lastValueFrom, toArray } from "rxjs";
import { erf, gaussianBeamProfile, peakDensityPerPhoton, SIGMA_PER_FWHM } from "../../src/beam/beamProfile.js";
import { validateScenario } from "../../src/engine/scenario.js";
import type { FrameEvent, SimEvent } from "../../src/engine/events.js";
import { simulate } from "../../src/engine/simulate.js";

test("erf against tabulated values (Abramowitz & Stegun table 7.1) within 1.2e-7", () => {
  const table: Array<[number, number]> = [[0, 0], [0.1, 0.1124629160], [0.5, 0.5204998778], [1, 0.8427007929], [1.5, 0.9661051465], [2, 0.9953222650], [3, 0.9999779095]];
  for (const [x, v] of table) {
    assert.ok(Math.abs(erf(x) - v) < 1.2e-7, `erf(${x}) = ${erf(x)} vs ${v}`);
    assert.ok(Math.abs(erf(-x) + v) < 1.2e-7, `erf is odd at ${x}`);
  }
});

test("the pixels of a Gaussian beam hold its whole flux, pi F_h F_v / (4 ln 2) per unit peak", () => {
  const p = 1e-6;
  const beam = { fwhmHorizontalM: 40e-6, fwhmVerticalM: 15e-6 };
  // 200 x 100 pixels reach beyond 5 sigma both ways.
  const prof = gaussianBeamProfile(beam, { rows: 100, cols: 200, pixelSizeM: p });
  let sum = 0;
  for (const v of prof) sum += v;
  const analytic = 1 / (peakDensityPerPhoton(beam) * p * p);
  assert.ok(Math.abs(sum / analytic - 1) < 2e-6, `${sum} vs ${analytic}`);
});

test("half maximum sits at +-FWHM/2 and the centre is on the optical axis, moved by the centre offset", () => {
  const p = 0.1e-6;
  const fwhm = 10e-6;
  const cols = 301;
  const prof = gaussianBeamProfile({ fwhmHorizontalM: fwhm, fwhmVerticalM: 1 }, { rows: 1, cols, pixelSizeM: p });
  // Find the half-maximum crossings by linear interpolation; pixel averaging shifts them
  // by under (p/sigma)^2 / 24 relative, negligible at 100 pixels per FWHM.
  const centre = (cols - 1) / 2;
  let right = NaN;
  for (let c = centre; c < cols - 1; c++) {
    if (prof[c]! >= 0.5 && prof[c + 1]! < 0.5) right = c + (prof[c]! - 0.5) / (prof[c]! - prof[c + 1]!);
  }
  assert.ok(Math.abs((right - centre) * p - fwhm / 2) < 0.01 * p, `half width ${(right - centre) * p} vs ${fwhm / 2}`);
  const shifted = gaussianBeamProfile({ fwhmHorizontalM: fwhm, fwhmVerticalM: 1 }, { rows: 1, cols, pixelSizeM: p, centerOffsetPx: 20 });
  let best = 0;
  for (let c = 1; c < cols; c++) if (shifted[c]! > shifted[best]!) best = c;
  assert.is(best, centre - 20);
});

test("a beam one pixel wide: each pixel holds the Gaussian's mean over its area, not its centre value", () => {
  const p = 1e-6;
  const fwhm = 1e-6;
  const prof = gaussianBeamProfile({ fwhmHorizontalM: fwhm, fwhmVerticalM: 1 }, { rows: 1, cols: 5, pixelSizeM: p });
  const sigma = fwhm * SIGMA_PER_FWHM;
  // Independent check: Simpson's rule over each pixel with 2000 intervals.
  for (let c = 0; c < 5; c++) {
    const a = (c - 2.5) * p;
    const n = 2000;
    const h = p / n;
    let s = 0;
    for (let i = 0; i <= n; i++) {
      const x = a + i * h;
      s += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * Math.exp(-(x * x) / (2 * sigma * sigma));
    }
    const mean = (s * h) / 3 / p;
    assert.ok(Math.abs(prof[c]! - mean) < 3e-7, `pixel ${c}: ${prof[c]} vs ${mean}`);
  }
  // sqrt(pi/2) sigma/p (erf(p/(2 sqrt2 sigma)) x 2) = 0.810 for p = FWHM: 19 % below the peak.
  assert.ok(Math.abs(prof[2]! - 0.81) < 0.001, `the centre pixel averages below the peak: ${prof[2]}`);
});

test("bad beam profiles are refused with the value", () => {
  assert.throws(() => gaussianBeamProfile({ fwhmHorizontalM: 0, fwhmVerticalM: 1e-6 }, { rows: 2, cols: 2, pixelSizeM: 1e-6 }), /horizontal FWHM must be a positive length, got 0 m/);
});

const raw = () => ({
  name: "profile",
  seed: 3,
  sample: { voxelSize: "2 um", shape: [16, 16, 6], background: "air", objects: [{ type: "sphere", material: "Al", center: ["0 um", "0 um", "0 um"], radius: "8 um" }] },
  beam: { energy: "20 keV", photonsPerPixel: 5000, profile: { fwhm: ["20 um", "8 um"] } },
  geometry: { type: "parallel", angles: 3, range: "180 deg" },
  detector: { cols: 16, rows: 6, pixelSize: "2 um", noise: false },
  scan: { flats: 1, darks: 0, dose: true },
});

test("scenario beam.profile: flats follow the profile, flat-field correction removes it, dose counts the photons sent", async () => {
  const s = validateScenario(raw());
  const events = await lastValueFrom(simulate(s).pipe(toArray()));
  const frames = events.filter((e): e is FrameEvent => e.type === "flat" || e.type === "projection");
  const flat = frames.find((f) => f.type === "flat")!.counts;
  const prof = gaussianBeamProfile({ fwhmHorizontalM: 20e-6, fwhmVerticalM: 8e-6 }, { rows: 6, cols: 16, pixelSizeM: 2e-6 });
  for (let i = 0; i < flat.length; i++) assert.ok(Math.abs(flat[i]! - 5000 * prof[i]!) < 1e-3 * 5000 * prof[i]! + 1e-6, `flat pixel ${i}`);
  // Corrected transmission is the same as with a uniform beam.
  const uniform = validateScenario({ ...raw(), beam: { energy: "20 keV", photonsPerPixel: 5000 } });
  const uFrames = (await lastValueFrom(simulate(uniform).pipe(toArray()))).filter((e): e is FrameEvent => e.type === "projection");
  const proj = frames.filter((f) => f.type === "projection");
  for (let i = 0; i < flat.length; i++) {
    const tProfile = proj[1]!.counts[i]! / flat[i]!;
    const tUniform = uFrames[1]!.counts[i]! / 5000;
    assert.ok(Math.abs(tProfile - tUniform) < 1e-5, `pixel ${i}: ${tProfile} vs ${tUniform}`);
  }
  const dose = events.find((e): e is Extract<SimEvent, { type: "dose" }> => e.type === "dose")!;
  let sent = 0;
  for (const v of prof) sent += v;
  const eJ = 20 * 1.602176634e-16;
  assert.ok(Math.abs(dose.incidentJ / (5000 * sent * eJ) - 1) < 1e-6, "incident energy = photons x profile sum x E");
});

test("scenario beam.profile with a flux: peak photons per pixel = flux t a^2 4 ln 2 / (pi F_h F_v); size or cone refused", () => {
  const r = raw() as Record<string, any>;
  delete r.beam.photonsPerPixel;
  r.beam.flux = 1e12;
  r.scan = { exposure: "0.1 s" };
  const expected = (1e12 * 0.1 * 4e-12 * 4 * Math.LN2) / (Math.PI * 20e-6 * 8e-6);
  assert.ok(Math.abs(validateScenario(r).beam.photonsPerPixel / expected - 1) < 1e-12);
  r.beam.size = ["1 mm", "1 mm"];
  assert.throws(() => validateScenario(r), /beam: give either a size \(uniform beam\) or a profile \(Gaussian\), not both/);
  const c = raw() as Record<string, any>;
  c.geometry = { type: "cone", angles: 3, sourceObject: "10 mm", sourceDetector: "40 mm" };
  assert.throws(() => validateScenario(c), /beam\.profile: a Gaussian profile describes a synchrotron beam/);
});

test.run();
