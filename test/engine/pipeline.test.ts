/**
 * The whole pipeline: analytic phantom -> voxels -> projector -> counts -> DXchange, checked
 * against analytic line integrals, Beer-Lambert, the seed, and the file read back.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { firstValueFrom, lastValueFrom, take, toArray, filter } from "rxjs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parallelBeamGeometry } from "../../src/acquisition/geometry.js";
import { projectOne } from "../../src/acquisition/projector.js";
import type { FrameEvent, SimEvent } from "../../src/engine/events.js";
import { validateScenario } from "../../src/engine/scenario.js";
import { simulate } from "../../src/engine/simulate.js";
import { readDxchange } from "../../src/io/dxchange.js";
import { verifyManifest } from "../../src/io/manifest.js";
import { writeRun } from "../../src/io/runWriter.js";
import { resolveMaterial } from "../../src/materials/library.js";
import { materialOptics } from "../../src/materials/optics.js";
import { createAnalyticObject, type AnalyticObjectSpec } from "../../src/phantoms/analytic/index.js";
import { attenuationMap, sceneLineIntegral, voxelizeScene } from "../../src/phantoms/scene.js";

const um = 1e-6;

function centralRayError(spec: AnalyticObjectSpec): { projected: number; analytic: number; angle: number } {
  const grid = { nx: 128, ny: 128, nz: 128, voxelSizeM: um };
  const scene = { grid, background: "air", objects: [createAnalyticObject(spec)] };
  const volume = voxelizeScene(scene);
  const muPerClass = Float64Array.from(volume.classNames, (n) => materialOptics(resolveMaterial(n), 20).mu);
  const mu = attenuationMap(volume, muPerClass);
  // Even detector (128 columns): the centre lies between columns 63 and 64, so use an odd
  // detector of 129 x 129 whose middle pixel (64, 64) looks through the centre.
  const geometry = parallelBeamGeometry({ anglesRad: Float64Array.of(0, Math.PI / 3), rows: 129, cols: 129, pixelSizeM: um });
  const out = new Float32Array(129 * 129);
  let worst: { projected: number; analytic: number; angle: number } | undefined;
  for (const k of [0, 1]) {
    projectOne(mu, grid, geometry, k, out);
    const projected = out[64 * 129 + 64]!;
    const a = (k * Math.PI) / 3;
    const analytic = sceneLineIntegral(scene, muPerClass, { origin: [0, 0, 0], direction: [Math.sin(a), -Math.cos(a), 0] });
    if (worst === undefined || Math.abs(projected / analytic - 1) > Math.abs(worst.projected / worst.analytic - 1)) {
      worst = { projected, analytic, angle: a };
    }
  }
  return worst!;
}

test("projector vs analytic line integral through the centre of a sphere at 128^3: < 0.5%", () => {
  const r = 40 * um;
  const { projected, analytic, angle } = centralRayError({ type: "sphere", material: "NMC811", center: [0, 0, 0], radius: r });
  const muNmc = materialOptics(resolveMaterial("NMC811"), 20).mu;
  const muAir = materialOptics(resolveMaterial("air"), 20).mu;
  // The exact value: 2r of NMC811 and the rest of the ray's chord through the 128 um box, air.
  const box = (128 * um) / Math.max(Math.abs(Math.sin(angle)), Math.abs(Math.cos(angle)));
  assert.ok(Math.abs(analytic - (2 * r * muNmc + (box - 2 * r) * muAir)) < 1e-9 * analytic, `analytic ${analytic}`);
  assert.ok(Math.abs(projected / analytic - 1) < 0.005, `sphere: ${projected} vs ${analytic}`);
});

test("projector vs analytic line integral through the centre of a cylinder at 128^3: < 0.5%", () => {
  const { projected, analytic } = centralRayError({
    type: "cylinder",
    material: "Al",
    center: [0, 0, 0],
    radius: 40 * um,
    height: 100 * um,
    axis: [0, 0, 1],
  });
  assert.ok(Math.abs(projected / analytic - 1) < 0.005, `cylinder: ${projected} vs ${analytic}`);
});

const tiny = (seed: number, noise = true) =>
  validateScenario({
    name: "tiny",
    seed,
    sample: {
      voxelSize: "2 um",
      shape: [24, 24, 8],
      background: "air",
      objects: [
        { type: "cylinder", material: "Al", center: ["0 um", "0 um", "0 um"], radius: "16 um", height: "12 um", axis: "z" },
        { type: "sphere", material: "NMC811", center: ["6 um", "0 um", "0 um"], radius: "6 um" },
      ],
    },
    beam: { energy: "25 keV", photonsPerPixel: 2000 },
    geometry: { type: "parallel", angles: 6, range: "180 deg" },
    detector: { cols: 24, rows: 8, pixelSize: "2 um", noise },
    scan: { flats: 2, darks: 2 },
  });

async function runTo(dir: string, seed: number, noise = true): Promise<SimEvent[]> {
  return lastValueFrom(simulate(tiny(seed, noise)).pipe(writeRun(dir), toArray()));
}

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

test("events arrive in order: start, phantom, flats, darks, projections, artifacts, done", async () => {
  const dir = mkdtempSync(join(tmpdir(), "xtwin-run-"));
  const events = await runTo(dir, 1);
  const kinds = events.filter((e) => e.type !== "progress").map((e) => e.type);
  assert.equal(kinds, [
    "start", "phantom", "flat", "flat", "dark", "dark",
    "projection", "projection", "projection", "projection", "projection", "projection",
    "artifact", "artifact", "done",
  ]);
});

test("same scenario and seed: byte-identical dataset (sha256); another seed differs; manifest verifies", async () => {
  const a = mkdtempSync(join(tmpdir(), "xtwin-run-"));
  const b = mkdtempSync(join(tmpdir(), "xtwin-run-"));
  const c = mkdtempSync(join(tmpdir(), "xtwin-run-"));
  await runTo(a, 7);
  await runTo(b, 7);
  await runTo(c, 8);
  assert.is(sha256(join(a, "tiny.h5")), sha256(join(b, "tiny.h5")));
  assert.is(sha256(join(a, "manifest.json")), sha256(join(b, "manifest.json")));
  assert.is.not(sha256(join(a, "tiny.h5")), sha256(join(c, "tiny.h5")));
  const verified = await verifyManifest(a);
  assert.ok(verified.ok, JSON.stringify(verified.mismatches));
  assert.equal(readdirSync(a).sort(), ["manifest.json", "tiny.h5"]);
});

test("without noise the file holds I0 exp(-integral of mu) exactly, and -log(I/I0) returns the truth", async () => {
  const dir = mkdtempSync(join(tmpdir(), "xtwin-run-"));
  await runTo(dir, 1, false);
  const file = await readDxchange(join(dir, "tiny.h5"));
  try {
    assert.is(file.dtype, "float32");
    const truth = file.readTruth()!;
    const flat = file.readFlat(0);
    assert.is(flat[0], 2000);
    const geometry = file.readGeometry()!;
    const grid = { nx: 24, ny: 24, nz: 8, voxelSizeM: 2 * um };
    const g = { type: "parallel3d_vec" as const, rows: 8, cols: 24, vectors: Float64Array.from(geometry.vectors as ArrayLike<number>) };
    const expected = new Float32Array(8 * 24);
    for (let k = 0; k < 6; k++) {
      projectOne(Float32Array.from(truth.mu as ArrayLike<number>), grid, g, k, expected);
      const data = file.readProjection(k);
      for (let p = 0; p < expected.length; p++) {
        const lineIntegral = -Math.log(Number(data[p]) / 2000);
        assert.ok(Math.abs(lineIntegral - expected[p]!) < 1e-5 + 1e-5 * expected[p]!, `projection ${k} pixel ${p}`);
      }
    }
    assert.equal(truth.classNames, ["air", "Al", "NMC811"]);
    assert.ok(Math.abs(file.energyKeV! - 25) < 1e-12);
    assert.equal(Array.from(file.theta!), [0, 30, 60, 90, 120, 150]);
  } finally {
    file.close();
  }
});

test("noisy counts scatter as Poisson about the expected value", async () => {
  // Flat fields: mean I0, variance I0.
  const events = await lastValueFrom(
    simulate(validateScenario({ ...(tiny(3).source as object), scan: { flats: 20, darks: 0 } })).pipe(
      filter((e): e is FrameEvent => e.type === "flat"),
      toArray(),
    ),
  );
  let n = 0;
  let sum = 0;
  let sum2 = 0;
  for (const e of events) for (const c of e.counts) {
    n++;
    sum += c;
    sum2 += c * c;
  }
  const mean = sum / n;
  const variance = sum2 / n - mean * mean;
  // n = 3840 samples of Poisson(2000): the mean is within 5 standard errors, the variance within 15%.
  assert.ok(Math.abs(mean - 2000) < 5 * Math.sqrt(2000 / n), `mean ${mean}`);
  assert.ok(Math.abs(variance / 2000 - 1) < 0.15, `variance ${variance}`);
});

test("unsubscribing cancels the run and leaves no dataset or partial file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "xtwin-run-"));
  const first = await firstValueFrom(
    simulate(tiny(1)).pipe(
      writeRun(dir),
      filter((e) => e.type === "projection"),
      take(1),
    ),
  );
  assert.is(first.type, "projection");
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(readdirSync(dir), []);
});

test("a lab tube spectrum: the scan is the spectrum-weighted mean of monochromatic scans", async () => {
  const raw = { ...(tiny(1, false).source as object) } as Record<string, any>;
  raw.beam = { spectrum: { anode: "W", voltage: "40 kV", filters: [{ material: "Al", thickness: "0.5 mm" }] }, photonsPerPixel: 2000 };
  const s = validateScenario(raw);
  const spectrum = s.beam.spectrum!;
  assert.ok(s.beam.energyKeV > 15 && s.beam.energyKeV < 40, `mean energy ${s.beam.energyKeV}`);
  const frames = await lastValueFrom(simulate(s).pipe(filter((e): e is FrameEvent => e.type === "projection"), toArray()));
  const phantom = await firstValueFrom(simulate(s).pipe(filter((e) => e.type === "phantom")));
  if (phantom.type !== "phantom") throw new Error("no phantom");
  // Direct sum over the spectrum for every pixel of projection 0, from the true path lengths.
  const grid = phantom.grid;
  const geometry = parallelBeamGeometry({ anglesRad: Float64Array.of(0), rows: 8, cols: 24, pixelSizeM: 2 * um });
  const classes = phantom.volume.classNames.length;
  const { projectPathLengths } = await import("../../src/acquisition/polychromatic.js");
  const paths = new Float32Array(classes * 8 * 24);
  projectPathLengths(phantom.volume, grid, geometry, 0, paths);
  const total = spectrum.photons.reduce((a, b) => a + b, 0);
  const mats = phantom.volume.classNames.map((n) => resolveMaterial(n));
  for (let p = 0; p < 8 * 24; p++) {
    let n = 0;
    spectrum.energyKeV.forEach((e, k) => {
      let att = 0;
      for (let c = 0; c < classes; c++) att += materialOptics(mats[c]!, e).mu * paths[c * 8 * 24 + p]!;
      n += (spectrum.photons[k]! / total) * Math.exp(-att);
    });
    assert.ok(Math.abs(frames[0]!.counts[p]! / (2000 * n) - 1) < 1e-4, `pixel ${p}: ${frames[0]!.counts[p]} vs ${2000 * n}`);
  }
});

test("a detector model: flat fields have the model's mean and variance (gain, scintillator, read noise, offset)", async () => {
  const raw = { ...(tiny(9).source as object) } as Record<string, any>;
  raw.detector = {
    ...raw.detector,
    model: { scintillator: { material: "LuAG", thickness: "20 um" }, gain: 2, readNoise: 3, offset: 100, bitDepth: 16 },
  };
  raw.scan = { flats: 20, darks: 0 };
  const s = validateScenario(raw);
  const { scintillatorEfficiency, scintillatorMaterial } = await import("../../src/acquisition/detectorModel.js");
  const eta = scintillatorEfficiency(scintillatorMaterial("LuAG"), 20e-6, 25);
  const flats = await lastValueFrom(simulate(s).pipe(filter((e): e is FrameEvent => e.type === "flat"), toArray()));
  let n = 0, sum = 0, sum2 = 0;
  for (const f of flats) for (const c of f.counts) { n++; sum += c; sum2 += c * c; }
  const mean = sum / n;
  const variance = sum2 / n - mean * mean;
  const expectedMean = 100 + 2 * 2000 * eta;
  const expectedVariance = 4 * 2000 * eta + 9 + 1 / 12;
  assert.ok(Math.abs(mean - expectedMean) < 5 * Math.sqrt(expectedVariance / n), `mean ${mean} vs ${expectedMean}`);
  assert.ok(Math.abs(variance / expectedVariance - 1) < 0.15, `variance ${variance} vs ${expectedVariance}`);
  assert.throws(() => validateScenario({ ...raw, detector: { ...raw.detector, darkCounts: 5 } }), /detector\.darkCounts: with a detector model, give its darkCurrent instead/);
});

test("frames are time-stamped by the exposure; scan.dose emits the energy left per projection", async () => {
  const raw = { ...(tiny(2, false).source as object) } as Record<string, any>;
  raw.scan = { flats: 2, darks: 1, exposure: "0.5 s", dose: true };
  const events = await lastValueFrom(simulate(validateScenario(raw)).pipe(toArray()));
  const frames = events.filter((e): e is FrameEvent => e.type === "flat" || e.type === "dark" || e.type === "projection");
  assert.equal(frames.map((f) => f.timeS), [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4]);
  const doses = events.filter((e): e is Extract<SimEvent, { type: "dose" }> => e.type === "dose");
  assert.is(doses.length, 6);
  for (const d of doses) {
    let sum = 0;
    for (const v of d.depositedJ) sum += v;
    assertClose(sum, d.totalDepositedJ, 1e-4, "voxel sum");
    // Photons removed from the beam carry more energy than they leave (mu_en < mu).
    assert.ok(d.totalDepositedJ > 0 && d.totalDepositedJ < d.incidentJ - d.transmittedJ, `${d.totalDepositedJ} J`);
  }
  assert.equal(doses.map((d) => d.timeS), [1.5, 2, 2.5, 3, 3.5, 4]);
});

function assertClose(a: number, b: number, rel: number, what: string) {
  assert.ok(Math.abs(a / b - 1) < rel, `${what}: ${a} vs ${b}`);
}

test("flats before, every N projections and after, with beam drift: the flats follow the beam", async () => {
  const dir = mkdtempSync(join(tmpdir(), "xtwin-run-"));
  const raw = { ...(tiny(2, false).source as object) } as Record<string, any>;
  raw.beam = { energy: "25 keV", photonsPerPixel: 2000, drift: 0.1 };
  raw.scan = { flats: 2, darks: 1, flatsAt: "both", flatsEvery: 3 };
  const events = await lastValueFrom(simulate(validateScenario(raw)).pipe(writeRun(dir), toArray()));
  const kinds = events.filter((e) => e.type === "flat" || e.type === "dark" || e.type === "projection").map((e) => e.type[0]).join("");
  assert.is(kinds, "ffdpppffpppff");
  const flats = events.filter((e): e is FrameEvent => e.type === "flat");
  // 13 frames of 1 s: the frame starting at t has I0 (1 + 0.1 t / 13).
  flats.forEach((f) => assertClose(f.counts[0]!, 2000 * (1 + (0.1 * f.timeS) / 13), 1e-6, `flat at ${f.timeS} s`));
  const file = await readDxchange(join(dir, "tiny.h5"));
  try {
    assert.is(file.nFlat, 6);
    assertClose(Number(file.readFlat(5)[0]), 2000 * (1 + (0.1 * 12) / 13), 1e-6, "last flat in the file");
  } finally {
    file.close();
  }
});

test("a finite focal spot blurs cone-beam projections by its magnified shadow", async () => {
  const { penumbraSigmaPx } = await import("../../src/engine/simulate.js");
  // 10 um spot, SOD 10 mm, SDD 100 mm: shadow magnified 9x = 90 um FWHM = 38.2 um sigma = 3.82 px of 10 um.
  assertClose(penumbraSigmaPx(10e-6, 0.01, 0.1, 10e-6), (90e-6 / 2.35482) / 10e-6, 1e-4, "sigma");
  const geometry = { type: "cone", angles: 1, range: "180 deg", sourceObject: "100 um", sourceDetector: "400 um" };
  const run = async (extra: Record<string, unknown>) => {
    const raw = { ...(tiny(1, false).source as object), geometry: { ...geometry, ...extra } } as Record<string, unknown>;
    const frames = await lastValueFrom(simulate(validateScenario(raw)).pipe(filter((e): e is FrameEvent => e.type === "projection"), toArray()));
    return frames[0]!.counts;
  };
  const sharp = await run({});
  const blurred = await run({ sourceSize: "2 um" });
  let sumSharp = 0, sumBlurred = 0;
  for (let p = 0; p < sharp.length; p++) { sumSharp += sharp[p]!; sumBlurred += blurred[p]!; }
  assertClose(sumBlurred, sumSharp, 0.01, "counts conserved by the blur");
  assert.ok(Math.min(...blurred) > Math.min(...sharp), "the darkest pixel is less dark when blurred");
});

test("cone-beam and laminography scans run end to end and record their geometry", async () => {
  for (const geometry of [
    { type: "cone", angles: 4, range: "360 deg", sourceObject: "100 um", sourceDetector: "400 um" },
    { type: "laminography", angles: 4, range: "360 deg", tilt: "30 deg" },
  ]) {
    const dir = mkdtempSync(join(tmpdir(), "xtwin-run-"));
    const raw = { ...(tiny(1, false).source as object), geometry } as Record<string, unknown>;
    const events = await lastValueFrom(simulate(validateScenario(raw)).pipe(writeRun(dir), toArray()));
    assert.is(events.filter((e) => e.type === "projection").length, 4);
    const file = await readDxchange(join(dir, "tiny.h5"));
    try {
      const g = file.readGeometry()!;
      assert.is(g.type, geometry.type === "cone" ? "cone_vec" : "parallel3d_vec");
      if (geometry.type === "cone") {
        assert.ok(Math.abs(file.sampleDetectorDistanceM! - 300e-6) < 1e-12, `distance ${file.sampleDetectorDistanceM}`);
        // Magnification 4: the pixel at the sample is a quarter of the 2 um pitch.
        assert.ok(Math.abs(file.samplePixelSizeM!.x - 0.5e-6) < 1e-15);
      }
      // The sample absorbs: some pixel reads below the flat field.
      const p0 = file.readProjection(0);
      assert.ok(Math.min(...Array.from(p0, Number)) < 2000);
    } finally {
      file.close();
    }
  }
});

test.run();
