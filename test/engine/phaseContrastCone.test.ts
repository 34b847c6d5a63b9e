/**
 * Cone-beam propagation phase contrast through the engine (detector.phaseContrast): the
 * Fresnel scaling theorem against parallel-beam scans, energy conservation, the focal spot's
 * blur applied once, and the scenario keys.
 */
import { lastValueFrom, toArray } from "rxjs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { FrameEvent } from "../../src/engine/events.js";
import { fineGeometry, phaseContrastImager, phaseContrastWarnings } from "../../src/engine/phaseContrast.js";
import { validateScenario, type Scenario } from "../../src/engine/scenario.js";
import { buildPhantom, inThreadProjector, scanAngles, scanGeometry, scenarioGrid, simulate } from "../../src/engine/simulate.js";

const I0 = 1e5;

/** A rod along z in air at 20 keV on a 64 x 64 x 4 grid of 1 um voxels, four angles, noiseless. */
const raw = (rod: { material: string; radius: string; center?: string[] }, geometry: Record<string, unknown>, detector: Record<string, unknown>) => ({
  name: "cone-rod",
  seed: 3,
  sample: {
    voxelSize: "1 um",
    shape: [64, 64, 4],
    background: "air",
    objects: [{ type: "cylinder", material: rod.material, center: rod.center ?? ["0 um", "0 um", "0 um"], radius: rod.radius, height: "20 um", axis: "z" }],
  },
  beam: { energy: "20 keV", photonsPerPixel: I0 },
  geometry: { angles: 4, range: "180 deg", ...geometry },
  detector: { cols: 64, rows: 4, noise: false, ...detector },
  scan: { flats: 1, darks: 0 },
});

/** I / I0 of every projection (noiseless counts over the open beam). */
async function transmissions(scenario: Scenario): Promise<Float32Array[]> {
  const events = await lastValueFrom(simulate(scenario).pipe(toArray()));
  return events.filter((e): e is FrameEvent => e.type === "projection").map((f) => Float32Array.from(f.counts, (c) => c / I0));
}

/** Largest |a - b| / b over every pixel of every projection. */
function maxRelativeDifference(a: Float32Array[], b: Float32Array[]): number {
  assert.is(a.length, b.length);
  let worst = 0;
  a.forEach((p, k) => {
    for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i]! - b[k]![i]!) / b[k]![i]!);
  });
  return worst;
}

/** Largest |I - 1| of a set of transmissions: the fringe (and absorption) contrast. */
function contrast(images: Float32Array[]): number {
  let worst = 0;
  for (const p of images) for (const v of p) worst = Math.max(worst, Math.abs(v - 1));
  return worst;
}

test("scenario: detector.phaseContrast propagates a cone beam over sourceDetector - sourceObject; nonsense stays refused", () => {
  const cone = { type: "cone", sourceObject: "50 mm", sourceDetector: "150 mm" };
  const s = validateScenario(raw({ material: "PE", radius: "3 um" }, cone, { pixelSize: "3 um", phaseContrast: true }));
  assert.is(s.detector.distancesM.length, 1);
  assert.ok(Math.abs(s.detector.distancesM[0]! - 0.1) < 1e-15, `distance ${s.detector.distancesM[0]} m`);
  // M = 3, z_eff = 50 x 100 / 150 mm = 33.3 mm: sqrt(lambda z_eff) = sqrt(6.2e-11 x 0.0333) = 1.44 um
  // against the 1 um pixel at the sample: two sub-pixels (without the scaling, 3 um / 2.5 um: three).
  assert.is(s.detector.oversampling, 2);
  const contact = validateScenario(raw({ material: "PE", radius: "3 um" }, cone, { pixelSize: "3 um" }));
  assert.equal(contact.detector.distancesM, [0]);
  assert.is(contact.detector.oversampling, 1);
  const refused = (geometry: Record<string, unknown>, detector: Record<string, unknown>, beam: Record<string, unknown> | undefined, message: RegExp) => {
    const r = { ...raw({ material: "PE", radius: "3 um" }, geometry, { pixelSize: "3 um", ...detector }), ...(beam ? { beam } : {}) };
    assert.throws(() => validateScenario(r), message);
  };
  // A lab tube's spectrum: phase contrast is monochromatic so far, as for a parallel beam.
  refused(cone, { phaseContrast: true }, { spectrum: { anode: "W", voltage: "60 kV" }, photonsPerPixel: 1e4 }, /detector\.phaseContrast: phase contrast is simulated for a monochromatic beam/);
  refused(cone, { phaseContrast: true }, { energy: "20 keV", photonsPerPixel: 1e4, bandwidth: 0.01 }, /detector\.phaseContrast: phase contrast is simulated for a monochromatic beam/);
  // A cone beam's distance is its geometry's, not detector.distance.
  refused(cone, { distance: "100 mm" }, undefined, /detector\.distance: a cone beam propagates over its own sample-detector distance/);
  // The flag belongs to a cone beam; a parallel beam has detector.distance.
  refused({ type: "parallel" }, { phaseContrast: true }, undefined, /detector\.phaseContrast: belongs to a cone beam; a parallel beam propagates over detector\.distance/);
  // The synchrotron source keys do not describe a focal spot.
  refused(cone, { phaseContrast: true }, { energy: "20 keV", photonsPerPixel: 1e4, sourceSize: ["5 um", "5 um"], sourceDistance: "50 mm" }, /beam\.sourceSize: a cone beam's source is its focal spot, geometry\.sourceSize/);
  refused({ ...cone, sourceDetector: "40 mm" }, { phaseContrast: true }, undefined, /geometry\.sourceDetector: must exceed sourceObject/);
  refused(cone, { phaseContrast: "yes" }, undefined, /detector\.phaseContrast: expected true or false/);
});

test("far source (z1 = 1 km, M = 1 + 1e-4): the cone scan of a weak phase object equals the parallel scan at z2", async () => {
  // A PE rod of radius 3 um, 8 um off the axis: at most k delta t = 1.01e11 x 5.6e-7 x 6e-6 = 0.34 rad.
  const rod = { material: "PE", radius: "3 um", center: ["8 um", "0 um", "0 um"] };
  const cone = validateScenario(raw(rod, { type: "cone", sourceObject: "1000 m", sourceDetector: "1000.1 m" }, { pixelSize: "1 um", phaseContrast: true }));
  const parallel = validateScenario(raw(rod, { type: "parallel" }, { pixelSize: "1 um", distance: "100 mm" }));
  assert.is(cone.detector.oversampling, parallel.detector.oversampling);
  const a = await transmissions(cone);
  const b = await transmissions(parallel);
  assert.ok(contrast(b) > 0.05, `the parallel scan shows fringes (max |I - 1| = ${contrast(b)})`);
  // The residual magnification 1e-4 moves the rod's edges (at most 11 um off the axis) by
  // 1e-3 um, i.e. 1e-3 of a pixel across fringes that change I by ~0.1 per pixel. Measured: 7.9e-5.
  const d = maxRelativeDifference(a, b);
  assert.ok(d < 1e-3, `cone vs parallel: max relative difference ${d.toExponential(2)}`);
});

test("M = 2: the cone scan is the parallel scan at z_eff = z1 z2 / (z1 + z2) on the sample-plane pixel, magnified; energy is conserved", async () => {
  // A CBD rod of radius 18 um (phase up to 3 rad: strong fringes). Cone: z1 = z2 = 50 mm,
  // 2 um detector pitch (1 um at the sample). Parallel: 1 um pixels at z_eff = 25 mm.
  const rod = { material: "CBD", radius: "18 um" };
  const coneGeometry = { type: "cone", sourceObject: "50 mm", sourceDetector: "100 mm" };
  const cone = validateScenario(raw(rod, coneGeometry, { pixelSize: "2 um", phaseContrast: true }));
  const parallel = validateScenario(raw(rod, { type: "parallel" }, { pixelSize: "1 um", distance: "25 mm" }));
  assert.is(cone.detector.oversampling, parallel.detector.oversampling);
  const a = await transmissions(cone);
  const b = await transmissions(parallel);
  const fringes = contrast(b);
  assert.ok(fringes > 0.1, `the parallel scan shows fringes (max |I - 1| = ${fringes})`);
  // Detector pixel j of the cone scan sees sample point (j - 31.5) x 2 um / M, the parallel
  // scan's pixel j: the profiles compare pixel by pixel. Both propagate the exit wave from the
  // axis plane, so they differ only in the projected integrals: a cone ray through detector
  // point X passes the rod's axis at b = (X / M) cos(theta), theta <= 32 um / 50 mm, so the
  // chords differ by theta^2 / 2 <= 2e-7 relative, below the float32 rounding of the counts.
  // Measured: 1.2e-7; z2 for z_eff or the detector pitch for the sample pitch gives 0.11-0.13.
  const d = maxRelativeDifference(a, b);
  assert.ok(d < 1e-5, `cone (M = 2) vs parallel at z_eff: max relative difference ${d.toExponential(2)}`);
  // Without the scaling theorem (a parallel beam at the full z2 = 50 mm) the fringes differ by far more.
  const unscaled = await transmissions(validateScenario(raw(rod, { type: "parallel" }, { pixelSize: "1 um", distance: "50 mm" })));
  const wrong = maxRelativeDifference(a, unscaled);
  assert.ok(wrong > 0.02, `cone vs parallel at z2: ${wrong.toExponential(2)} (must be well above the tolerance)`);
  // Free-space propagation moves photons, it does not absorb them: the mean transmission of
  // each projection is the contact scan's (the edge padding lets a little light in or out at
  // the borders). Measured: within 1.3e-5.
  const contact = await transmissions(validateScenario(raw(rod, coneGeometry, { pixelSize: "2 um" })));
  a.forEach((p, k) => {
    const mean = (x: Float32Array) => x.reduce((s, v) => s + v, 0) / x.length;
    const ratio = mean(p) / mean(contact[k]!);
    assert.ok(Math.abs(ratio - 1) < 1e-4, `projection ${k}: mean transmission ${ratio} of contact`);
  });
});

test("the focal spot blurs the cone-beam intensity once, on the fine grid, by sigma_src z2 / z1", async () => {
  const rod = { material: "CBD", radius: "18 um" };
  const spot = validateScenario(raw(rod, { type: "cone", sourceObject: "50 mm", sourceDetector: "100 mm", sourceSize: "3 um" }, { pixelSize: "2 um", phaseContrast: true }));
  const sharp = validateScenario(raw(rod, { type: "cone", sourceObject: "50 mm", sourceDetector: "100 mm" }, { pixelSize: "2 um", phaseContrast: true }));
  const blurred = await transmissions(spot);
  const crisp = await transmissions(sharp);
  // A 3 um spot casts sigma = 3 / 2.3548 x 50 / 50 = 1.27 um on the detector: the fringes fade
  // (measured: max |I - 1| from 0.194 to 0.089).
  assert.ok(contrast(blurred) < 0.8 * contrast(crisp), `fringe contrast ${contrast(blurred)} with the spot, ${contrast(crisp)} without`);
  // The engine's counts are exactly the imager's I / I0 (blurred on the fine grid): simulate.ts
  // must not blur them again with its absorption-scan penumbra.
  const grid = scenarioGrid(spot);
  const { volume, materials } = buildPhantom(spot);
  const anglesRad = scanAngles(spot);
  const fine = fineGeometry((rows, cols, pixelSizeM, centerOffsetPx) => scanGeometry(spot, anglesRad, { rows, cols, pixelSizeM, centerOffsetPx }), spot);
  const imager = phaseContrastImager(spot, volume, volume.classNames.map((n) => materials.get(n)!), grid, fine, inThreadProjector);
  try {
    for (let k = 0; k < anglesRad.length; k++) {
      const direct = (await imager.project(k))[0]!;
      let worst = 0;
      for (let i = 0; i < direct.length; i++) worst = Math.max(worst, Math.abs(blurred[k]![i]! - direct[i]!) / direct[i]!);
      assert.ok(worst < 1e-6, `projection ${k}: engine vs imager ${worst.toExponential(2)}`);
    }
  } finally {
    imager.close();
  }
  assert.equal(phaseContrastWarnings(spot, grid), []);
});

test("warnings: a sample deep beside the effective distance breaks the thin-sample assumption of the scaling theorem", () => {
  // z1 = 0.2 mm, z2 = 100 mm: z_eff = 0.1996 mm, and the 64 um deep sample spans 16 % of it.
  const s = validateScenario(raw({ material: "PE", radius: "3 um" }, { type: "cone", sourceObject: "0.2 mm", sourceDetector: "100.2 mm" }, { pixelSize: "500 um", phaseContrast: true }));
  const warnings = phaseContrastWarnings(s, scenarioGrid(s));
  assert.ok(warnings.some((w) => /treats the sample as thin/.test(w)), warnings.join("\n"));
});

test.run();
