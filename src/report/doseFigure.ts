/**
 * Figure 4a of the report: the dose the scan left in the sample. A run stores no dose map,
 * so it is recomputed from the scenario and the true labels with the project's dose model:
 * the narrow-beam deposit at a few angles spread over the scan, scaled to every projection
 * (src/dose/plan.ts planScanDose, as `xtwin plan` does), divided by the voxel mass
 * (src/dose/mass.ts). Shown as the central x-z slice (z up, the plane `xtwin plan --figures`
 * draws), log scale.
 */
import { gaussianBeamProfile } from "../beam/beamProfile.js";
import type { VolumeGrid } from "../core/grid.js";
import { classDensitiesKgM3, voxelMassKg } from "../dose/mass.js";
import { monochromaticBeam, planScanDose, spectrumWithPhotons, type PlannedDose } from "../dose/plan.js";
import { summarizeDose } from "../dose/summary.js";
import type { Scenario } from "../engine/scenario.js";
import { scanAngles, scanGeometry } from "../engine/simulate.js";
import type { Material } from "../materials/library.js";
import type { LabelledVolume } from "../phantoms/scene.js";
import { hex, INFERNO } from "./colourMaps.js";
import type { DoseFigure } from "./figureTypes.js";
import { displayRange, scalarImage, shrinkFactor, shrinkMean } from "./raster.js";

export const DOSE_MAX_SIDE = 384;

export interface RunDose {
  readonly planned: PlannedDose;
  readonly massKg: Float32Array;
  readonly grid: VolumeGrid;
}

/** The scan's dose per voxel (Gy) from `samples` sampled angles (module comment). */
export function runDose(s: Scenario, volume: LabelledVolume, classMaterials: readonly Material[], samples = 8): RunDose {
  const grid = volume.grid;
  const [nx, ny, nz] = s.sample.shape;
  if (grid.nx !== nx || grid.ny !== ny || grid.nz !== nz) {
    throw new RangeError(`dose: the truth is ${grid.nx}x${grid.ny}x${grid.nz} voxels, the scenario's sample.shape ${nx}x${ny}x${nz}`);
  }
  const geometry = scanGeometry(s, scanAngles(s));
  const poly = s.beam.polychromatic;
  const beam = poly === undefined ? monochromaticBeam(s.beam.energyKeV, s.beam.photonsPerPixel) : spectrumWithPhotons(poly, s.beam.photonsPerPixel);
  const profile = s.beam.profile
    ? gaussianBeamProfile(s.beam.profile, { rows: s.detector.rows, cols: s.detector.cols, pixelSizeM: s.detector.pixelSizeM, centerOffsetPx: s.geometry.centerOffsetPx })
    : undefined;
  const massKg = voxelMassKg(volume, classDensitiesKgM3(classMaterials), grid.voxelSizeM);
  const projections = s.geometry.angles * s.detector.distancesM.length;
  const planned = planScanDose(volume, grid, geometry, { projections, exposurePerProjectionS: s.scan.exposureS, beam }, classMaterials, massKg, {
    samples,
    ...(profile ? { profile } : {}),
  });
  return { planned, massKg, grid };
}

/** The x-z plane through y = ny / 2 of a volume [z][y][x], as rows of z. */
export function centralXzSlice(values: ArrayLike<number>, nx: number, ny: number, nz: number): Float32Array {
  const j = ny >> 1;
  const out = new Float32Array(nx * nz);
  for (let k = 0; k < nz; k++) for (let i = 0; i < nx; i++) out[i + nx * k] = values[i + nx * (j + ny * k)]!;
  return out;
}

export function doseFigure(dose: RunDose, volume: LabelledVolume): DoseFigure {
  const { nx, ny, nz, voxelSizeM } = dose.grid;
  const slice = centralXzSlice(dose.planned.doseGy, nx, ny, nz);
  const f = shrinkFactor(nx, nz, DOSE_MAX_SIDE);
  const small = shrinkMean({ width: nx, height: nz, data: slice }, f);
  let range = displayRange(small.data, { log: true });
  if (!(range.min > 0)) range = { min: 1, max: 10 };
  if (range.max <= range.min) range = { min: range.min, max: range.min * 10 };
  const summary = summarizeDose(dose.planned.doseGy, volume, dose.massKg);
  const um = voxelSizeM * 1e6;
  return {
    status: "ok",
    map: {
      title: `dose, x-z slice through y = ${ny >> 1}`,
      src: scalarImage(small, { ...range, log: true, map: INFERNO, flipY: true }),
      width: small.width,
      height: small.height,
      x: [(-nx * um) / 2, (nx * um) / 2],
      y: [(-nz * um) / 2, (nz * um) / 2],
      xLabel: "x (um)",
      yLabel: "z (um)",
      colourBar: { stops: INFERNO.stops.map(hex), min: range.min, max: range.max, log: true, label: "dose (Gy)" },
    },
    maxGy: summary.maxGy,
    meanGy: summary.meanGy,
    note: `computed from the scenario and the true labels: narrow-beam deposit at ${dose.planned.sampledAngles} angles spread over the scan, ` +
      `scaled to all projections (${dose.planned.beamOnTimeS.toPrecision(3)} s of beam); no dose is stored in a run`,
  };
}
