/** Voxel masses, dose accumulation over exposures, dose summaries and scan-plan dose. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type VolumeGrid, voxelCount } from "../../src/core/grid.js";
import { equalAngles, parallelBeamGeometry } from "../../src/acquisition/geometry.js";
import { resolveMaterial, type Material } from "../../src/materials/library.js";
import { materialOptics } from "../../src/materials/optics.js";
import type { LabelledVolume } from "../../src/phantoms/scene.js";
import { absorbedDoseGy, classDensitiesKgM3, voxelMassKg } from "../../src/dose/mass.js";
import { DoseAccumulator } from "../../src/dose/accumulator.js";
import { summarizeDose } from "../../src/dose/summary.js";
import { depositedEnergyPolychromatic } from "../../src/dose/polychromaticDeposit.js";
import { doseRateGyPerS, monochromaticBeam, planScanDose, scanPlanDose, thinSampleScanDoseGy, timeToDoseS } from "../../src/dose/plan.js";

function close(a: number, b: number, tol: number, label: string): void {
  assert.ok(Math.abs(a - b) <= tol * Math.abs(b), `${label}: ${a} vs ${b}`);
}

function labelled(grid: VolumeGrid, classNames: string[], labels: number[], secondary?: number[], fraction?: number[]): LabelledVolume {
  return {
    grid, classNames,
    labels: Uint8Array.from(labels),
    secondary: Uint8Array.from(secondary ?? labels),
    primaryFraction: Float32Array.from(fraction ?? labels.map(() => 1)),
  };
}

test("voxel mass: (f rho_a + (1 - f) rho_b) s^3; dose = J/kg, 0 in vacuum", () => {
  const g: VolumeGrid = { nx: 3, ny: 1, nz: 1, voxelSizeM: 1e-3 };
  const vol = labelled(g, ["vacuum", "a", "b"], [1, 2, 0], [2, 2, 0], [0.7, 1, 1]);
  const m = voxelMassKg(vol, Float64Array.from([0, 1000, 2000]), g.voxelSizeM);
  close(m[0]!, 1300e-9, 1e-6, "mixed voxel");
  close(m[1]!, 2000e-9, 1e-6, "pure voxel");
  assert.is(m[2], 0);
  const d = absorbedDoseGy(Float32Array.from([1.3e-6, 1e-6, 0]), m);
  close(d[0]!, 1, 1e-6, "1.3 uJ in 1.3 mg: 1 Gy");
  close(d[1]!, 0.5, 1e-6, "1 uJ in 2 mg: 0.5 Gy");
  assert.is(d[2], 0);
  close(classDensitiesKgM3([null, resolveMaterial("water")])[1]!, 997, 1e-12, "water density");
  assert.throws(() => voxelMassKg(vol, Float64Array.from([0, 1000]), 1e-3), /one density per class/);
  assert.throws(() => voxelMassKg(vol, Float64Array.from([0, -1, 1]), 1e-3), /density of class 1/);
  assert.throws(() => absorbedDoseGy(new Float32Array(2), m), /must match/);
});

test("accumulator: cumulative dose, peak rate, beam-on time, repeat for an in situ series", () => {
  const acc = new DoseAccumulator(Float32Array.from([1, 2, 0]));
  acc.add(Float32Array.from([2, 2, 5]), 1);
  acc.add(Float32Array.from([1, 8, 5]), 0.5);
  assert.equal([...acc.doseGy], [3, 5, 0]);
  assert.equal([...acc.peakDoseRateGyPerS], [2, 8, 0]);
  assert.is(acc.totalTimeS, 1.5);
  assert.is(acc.exposures, 2);
  assert.is(acc.depositedJ, 23);
  const mean = acc.meanDoseRateGyPerS();
  close(mean[1]!, 5 / 1.5, 1e-6, "mean rate");
  const series = acc.repeat(4);
  assert.equal([...series.doseGy], [12, 20, 0]);
  assert.equal([...series.peakDoseRateGyPerS], [2, 8, 0]);
  assert.is(series.totalTimeS, 6);
  assert.is(series.exposures, 8);
  assert.equal([...acc.doseGy], [3, 5, 0], "repeat leaves the original alone");
  assert.throws(() => acc.add(new Float32Array(3), 0), /exposure time/);
  assert.throws(() => acc.repeat(0), /scans/);
});

test("summary: max, mass-weighted and plain mean, p95, per majority class", () => {
  const g: VolumeGrid = { nx: 2, ny: 2, nz: 2, voxelSizeM: 1 };
  const vol = labelled(g, ["vacuum", "A", "B"], [0, 1, 1, 1, 2, 2, 2, 2], [0, 1, 2, 1, 2, 2, 1, 2], [1, 1, 0.6, 1, 1, 1, 0.9, 1]);
  const dose = Float32Array.from([0, 1, 2, 3, 10, 20, 30, 40]);
  const mass = Float32Array.from([0, 1, 1, 2, 1, 1, 1, 1]);
  const s = summarizeDose(dose, vol, mass);
  assert.is(s.voxels, 7);
  assert.is(s.massWeighted, true);
  assert.is(s.maxGy, 40);
  close(s.meanGy, 109 / 8, 1e-12, "mass-weighted mean");
  close(s.plainMeanGy, 106 / 7, 1e-12, "plain mean");
  close(s.p95Gy, 37, 1e-12, "p95 of 1,2,3,10,20,30,40 (rank 5.7)");
  assert.equal(s.byClass["A"], { maxGy: 3, meanGy: 9 / 4, plainMeanGy: 2, p95Gy: 2.9, voxels: 3 });
  close(s.byClass["B"]!.p95Gy, 38.5, 1e-12, "B p95 (rank 2.85)");
  assert.is(s.byClass["B"]!.meanGy, 25);
  assert.equal(s.byClass["vacuum"], { maxGy: 0, meanGy: 0, plainMeanGy: 0, p95Gy: 0, voxels: 0 });
  const u = summarizeDose(dose, vol);
  assert.is(u.voxels, 8);
  assert.is(u.massWeighted, false);
  close(u.meanGy, 106 / 8, 1e-12, "plain mean over all voxels without masses");
  close(u.p95Gy, 36.5, 1e-12, "p95 of 0,1,2,3,10,20,30,40 (rank 6.65)");
  assert.is(u.byClass["vacuum"]!.voxels, 1);
});

test("dose rate helpers", () => {
  assert.is(doseRateGyPerS(10, 4), 2.5);
  assert.is(timeToDoseS(1e4, 2.5), 4000);
  assert.throws(() => doseRateGyPerS(1, 0), /time/);
});

test("scan plan: N x mean of the sampled deposits; peak rate over the samples", () => {
  const p = scanPlanDose({ projections: 10, exposurePerProjectionS: 0.1, beam: monochromaticBeam(20, 1) },
    [Float32Array.from([1, 3, 4]), Float32Array.from([3, 1, 4])], Float32Array.from([1, 1, 0]));
  assert.equal([...p.doseGy], [20, 20, 0]);
  close(p.peakDoseRateGyPerS[0]!, 30, 1e-6, "peak rate");
  close(p.depositedJ, 80, 1e-12, "energy: (10 / 2) x (8 + 8) J, massless voxels included");
  assert.is(p.beamOnTimeS, 1);
  const series = scanPlanDose({ projections: 10, exposurePerProjectionS: 0.1, beam: monochromaticBeam(20, 1), scans: 3 },
    [Float32Array.from([1, 3, 4])], Float32Array.from([1, 1, 0]));
  assert.equal([...series.doseGy], [30, 90, 0]);
  close(series.beamOnTimeS, 3, 1e-12, "beam-on time of 3 scans");
});

test("scan plan sampling every angle = the dose accumulated over every projection", () => {
  const g: VolumeGrid = { nx: 9, ny: 9, nz: 3, voxelSizeM: 1e-4 };
  const n = voxelCount(g);
  const labels: number[] = [];
  for (let v = 0; v < n; v++) labels.push(((v * 7) % 5) % 3);
  const vol = labelled(g, ["vacuum", "LP30", "NMC811"], labels);
  const mats: (Material | null)[] = [null, resolveMaterial("LP30"), resolveMaterial("NMC811")];
  const mass = voxelMassKg(vol, classDensitiesKgM3(mats), g.voxelSizeM);
  const geom = parallelBeamGeometry({ anglesRad: equalAngles(6, Math.PI), rows: 4, cols: 14, pixelSizeM: 1e-4 });
  const beam = { energyKeV: [15, 25, 35], photons: [1e4, 3e4, 2e4] };
  const acc = new DoseAccumulator(mass);
  for (let i = 0; i < 6; i++) {
    const dep = new Float32Array(n);
    depositedEnergyPolychromatic(vol, g, geom, i, beam, mats, dep);
    acc.add(dep, 0.2);
  }
  const plan = planScanDose(vol, g, geom, { projections: 6, exposurePerProjectionS: 0.2, beam }, mats, mass, { samples: 6 });
  assert.is(plan.sampledAngles, 6);
  let max = 0;
  for (let v = 0; v < n; v++) max = Math.max(max, acc.doseGy[v]!);
  assert.ok(max > 0);
  for (let v = 0; v < n; v++) {
    assert.ok(Math.abs(plan.doseGy[v]! - acc.doseGy[v]!) <= 1e-6 * max, `voxel ${v}: ${plan.doseGy[v]} vs ${acc.doseGy[v]}`);
    close(plan.peakDoseRateGyPerS[v]!, acc.peakDoseRateGyPerS[v]!, 1e-6, `voxel ${v} peak rate`);
  }
  close(plan.depositedJ, acc.depositedJ, 1e-6, "energy");
});

test("thin sample: the simulated plan dose approaches N Phi E mu_en/rho (0.1 %)", () => {
  const water = resolveMaterial("water");
  const E = 20;
  const t = 1e-3 / materialOptics(water, E).mu;
  const g: VolumeGrid = { nx: 6, ny: 4, nz: 3, voxelSizeM: t / 4 };
  const vol = labelled(g, ["water"], new Array<number>(voxelCount(g)).fill(0));
  const mass = voxelMassKg(vol, classDensitiesKgM3([water]), g.voxelSizeM);
  // Two opposed views along y, each ray through a voxel column (pixel = voxel).
  const geom = parallelBeamGeometry({ anglesRad: [0, Math.PI], rows: 3, cols: 6, pixelSizeM: g.voxelSizeM });
  const plan = { projections: 2, exposurePerProjectionS: 1, beam: monochromaticBeam(E, 1e5) };
  const p = planScanDose(vol, g, geom, plan, [water], mass, { samples: 2 });
  const thin = thinSampleScanDoseGy(plan, water, g.voxelSizeM);
  const s = summarizeDose(p.doseGy, vol, mass);
  close(s.meanGy, thin, 1e-3, "mean dose vs thin-sample limit");
  assert.ok(s.maxGy < thin, "attenuation only lowers the dose");
});

test.run();
