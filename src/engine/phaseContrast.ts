/**
 * Propagation-based phase contrast in the engine: per projection, the sample's projected
 * delta and beta on a detector grid `oversampling` times finer than the pixels (two
 * projectors over delta and beta volumes), the exit wave in the projection approximation,
 * Fresnel propagation to each sample-detector distance, the projected source's blur, then
 * the detector integrating intensity over each pixel's area (src/phase/). What comes out is
 * I / I0 per distance, which the engine turns into counts like any transmission.
 * Monochromatic, parallel beam (the scenario refuses the rest so far).
 */
import type { ProjectionGeometry } from "../acquisition/geometry.js";
import type { VolumeGrid } from "../core/grid.js";
import type { Material } from "../materials/library.js";
import { materialOptics } from "../materials/optics.js";
import { attenuationMap, type LabelledVolume } from "../phantoms/scene.js";
import { sourceSizeBlur } from "../phase/coherence.js";
import { integratePixels } from "../phase/detectorSampling.js";
import { fresnelPropagate } from "../phase/fresnel.js";
import { projectionApproximationWarning, propagationSamplingWarnings } from "../phase/sampling.js";
import { exitWave, intensity, wavelengthM } from "../phase/wave.js";
import type { Scenario } from "./scenario.js";
import type { ProjectorFactory } from "./simulate.js";

export interface PhaseContrastImager {
  /** I / I0 at the detector pixels, one image per distance of the scenario, for projection `index`. */
  project(index: number): Promise<Float32Array[]>;
  close(): void;
}

/** The scan's geometry on the wavefield grid: `factor` sub-pixels per pixel edge. */
export function fineGeometry(build: (rows: number, cols: number, pixelSizeM: number, centerOffsetPx: number) => ProjectionGeometry, s: Scenario): ProjectionGeometry {
  const f = s.detector.oversampling;
  // The fine grid's centre must stay the coarse grid's centre: offsets scale with the pitch.
  return build(s.detector.rows * f, s.detector.cols * f, s.detector.pixelSizeM / f, s.geometry.centerOffsetPx * f);
}

/** Warnings about the sampling of the propagator and the validity of the projection approximation. */
export function phaseContrastWarnings(s: Scenario, grid: VolumeGrid): string[] {
  const f = s.detector.oversampling;
  const lambda = wavelengthM(s.beam.energyKeV);
  const out: string[] = [];
  for (const z of s.detector.distancesM) {
    if (z > 0) out.push(...propagationSamplingWarnings(s.detector.cols * f, s.detector.rows * f, s.detector.pixelSizeM / f, lambda, z, "fresnel"));
  }
  // The thickest path through the sample against its finest feature, one voxel.
  const thickness = Math.max(grid.nx, grid.ny) * grid.voxelSizeM;
  out.push(...projectionApproximationWarning(thickness, grid.voxelSizeM, lambda));
  return out;
}

export function phaseContrastImager(
  s: Scenario,
  volume: LabelledVolume,
  classMaterials: readonly Material[],
  grid: VolumeGrid,
  geometry: ProjectionGeometry,
  factory: ProjectorFactory,
): PhaseContrastImager {
  const energy = s.beam.energyKeV;
  const optics = classMaterials.map((m) => materialOptics(m, energy));
  const delta = attenuationMap(volume, Float64Array.from(optics, (o) => o.delta));
  const beta = attenuationMap(volume, Float64Array.from(optics, (o) => o.beta));
  const projectDelta = factory(delta, grid, geometry);
  const projectBeta = factory(beta, grid, geometry);
  const { rows, cols } = geometry;
  const f = s.detector.oversampling;
  const pixel = s.detector.pixelSizeM / f;
  const lambda = wavelengthM(energy);
  const source = s.beam.source;
  return {
    async project(index) {
      const [d, b] = await Promise.all([projectDelta.project(index), projectBeta.project(index)]);
      const field = exitWave(d, b, energy);
      return s.detector.distancesM.map((z) => {
        const fine = intensity(z > 0 ? fresnelPropagate(field, cols, rows, pixel, lambda, z, { padMode: "edge" }) : field);
        // The source, seen from the detector through each sample point, blurs by its size x z / source distance.
        const blurred = source !== undefined && z > 0 ? sourceSizeBlur(fine, cols, rows, pixel, source.sizeM, source.distanceM, z) : fine;
        return Float32Array.from(f > 1 ? integratePixels(blurred, cols, rows, f) : blurred);
      });
    },
    close() {
      projectDelta.close();
      projectBeta.close();
    },
  };
}
