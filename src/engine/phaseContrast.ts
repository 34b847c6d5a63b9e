/**
 * Propagation-based phase contrast in the engine: per projection, the sample's projected
 * delta and beta on a detector grid `oversampling` times finer than the pixels (two
 * projectors over delta and beta volumes), the exit wave in the projection approximation,
 * Fresnel propagation to each sample-detector distance, the projected source's blur, then
 * the detector integrating intensity over each pixel's area (src/phase/). What comes out is
 * I / I0 per distance, which the engine turns into counts like any transmission.
 * Monochromatic; parallel beam (and laminography) at detector.distance, or cone beam at its
 * own sample-detector distance through the Fresnel scaling theorem (`wavefieldPropagation`).
 */
import type { ProjectionGeometry } from "../acquisition/geometry.js";
import type { VolumeGrid } from "../core/grid.js";
import type { Material } from "../materials/library.js";
import { materialOptics } from "../materials/optics.js";
import { attenuationMap, type LabelledVolume } from "../phantoms/scene.js";
import { fresnelScaling, sourceSizeBlur } from "../phase/coherence.js";
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

/**
 * How the scan's exit waves propagate: the grid pitch and distance of the plane-wave
 * propagation for each of the scenario's distances, and the source that blurs the result.
 *
 * Parallel beam: the exit wave on the detector's fine grid (pitch / f) propagates over each
 * distance z; a synchrotron source (beam.sourceSize at beam.sourceDistance) blurs it.
 *
 * Cone beam (Fresnel scaling theorem: Paganin, Coherent X-Ray Optics, OUP 2006, sec. 2.5;
 * Mokso, Cloetens et al., Appl. Phys. Lett. 90 (2007) 144104): a point source z1 =
 * sourceObject before the sample, a detector z2 = sourceDetector - sourceObject behind it.
 * The intensity at detector point X is the plane-wave intensity at z_eff = z1 z2 / (z1 + z2)
 * at sample point X / M, M = (z1 + z2) / z1, divided by M^2; the flat field is divided by the
 * same M^2, so I / I0 is the plane-wave pattern magnified. The cone projector already maps
 * detector sub-pixel X to the sample point X / M (its rays diverge from the source), so its
 * fine projection is the exit wave on the sample plane at pitch (pitch / f) / M: propagating
 * it over z_eff with that pitch leaves the intensity on the detector's fine grid. The focal
 * spot (geometry.sourceSize) blurs it by its shadow, sigma_src z2 / z1 on the detector
 * (simulate.ts's penumbraSigmaPx; applied here on the fine grid, not again there). The
 * sample is taken as thin beside z1 and z2: see `phaseContrastWarnings`.
 */
export interface WavefieldPropagation {
  /** Pitch of the wavefield grid in the plane the exit wave is propagated from (m). */
  readonly fieldPixelM: number;
  /** Plane-wave propagation distance for each of the scenario's distances (m). */
  readonly effectiveDistancesM: readonly number[];
  /** Pitch of the fine grid at the detector (m), where the source blur applies. */
  readonly detectorPixelM: number;
  /** The source whose projected size blurs the intensity: FWHM (m) and distance to the sample (m). */
  readonly source?: { readonly sizeM: number | readonly [number, number]; readonly distanceM: number };
}

export function wavefieldPropagation(s: Scenario): WavefieldPropagation {
  const pixel = s.detector.pixelSizeM / s.detector.oversampling;
  const g = s.geometry;
  if (g.type !== "cone") {
    return { fieldPixelM: pixel, effectiveDistancesM: s.detector.distancesM, detectorPixelM: pixel, ...(s.beam.source !== undefined ? { source: s.beam.source } : {}) };
  }
  const z1 = g.sourceObjectM;
  const sdd = g.sourceDetectorM;
  if (z1 === undefined || sdd === undefined) throw new RangeError(`geometry: a cone beam needs sourceObjectM and sourceDetectorM, got ${z1} and ${sdd}`);
  const z2 = sdd - z1;
  const d = s.detector.distancesM;
  // The scenario sets the one distance of a cone beam from its geometry; anything else is a hand-made Scenario.
  if (d.length !== 1 || Math.abs(d[0]! - z2) > 1e-12 * sdd) {
    throw new RangeError(`detector.distancesM: a cone beam propagates over sourceDetector - sourceObject = ${z2} m only, got [${d.join(", ")}] m`);
  }
  const { magnification, effectiveDistanceM } = fresnelScaling(z1, z2);
  return {
    fieldPixelM: pixel / magnification,
    effectiveDistancesM: [effectiveDistanceM],
    detectorPixelM: pixel,
    ...(g.sourceSizeM !== undefined ? { source: { sizeM: g.sourceSizeM, distanceM: z1 } } : {}),
  };
}

/** Largest relative error of the effective distance across a cone-beam sample's depth before a warning. */
const THIN_SAMPLE_LIMIT = 0.1;

/**
 * Warnings about the sampling of the propagator, the validity of the projection approximation
 * and, for a cone beam, the thin-sample assumption of the scaling theorem.
 */
export function phaseContrastWarnings(s: Scenario, grid: VolumeGrid): string[] {
  const f = s.detector.oversampling;
  const lambda = wavelengthM(s.beam.energyKeV);
  const plan = wavefieldPropagation(s);
  const out: string[] = [];
  s.detector.distancesM.forEach((z, k) => {
    if (z > 0) out.push(...propagationSamplingWarnings(s.detector.cols * f, s.detector.rows * f, plan.fieldPixelM, lambda, plan.effectiveDistancesM[k]!, "fresnel"));
  });
  // The thickest path through the sample against its finest feature, one voxel.
  const thickness = Math.max(grid.nx, grid.ny) * grid.voxelSizeM;
  out.push(...projectionApproximationWarning(thickness, grid.voxelSizeM, lambda));
  if (s.geometry.type === "cone" && plan.effectiveDistancesM[0]! > 0) {
    // A feature y nearer the detector than the axis has M' = (z1 + z2) / (z1 + y) and
    // z_eff' = (z1 + y)(z2 - y) / (z1 + z2): its fringes on the detector scale with
    // M'^2 z_eff' = M^2 z_eff (1 - y / z_eff + O(y^2)), but all are propagated as if at the axis.
    const error = thickness / 2 / plan.effectiveDistancesM[0]!;
    if (error > THIN_SAMPLE_LIMIT) {
      out.push(
        `cone-beam phase contrast treats the sample as thin: its faces, ${thickness / 2} m before and behind the axis, ` +
          `have an effective distance ${(100 * error).toPrecision(3)} % off the axis plane's ${plan.effectiveDistancesM[0]} m (limit ${100 * THIN_SAMPLE_LIMIT} %)`,
      );
    }
  }
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
  const lambda = wavelengthM(energy);
  const plan = wavefieldPropagation(s);
  const source = plan.source;
  return {
    async project(index) {
      const [d, b] = await Promise.all([projectDelta.project(index), projectBeta.project(index)]);
      const field = exitWave(d, b, energy);
      return s.detector.distancesM.map((z, k) => {
        const propagated = z > 0 ? fresnelPropagate(field, cols, rows, plan.fieldPixelM, lambda, plan.effectiveDistancesM[k]!, { padMode: "edge" }) : field;
        const fine = intensity(propagated);
        // The source, seen from the detector through each sample point, blurs by its size x z / source distance.
        const blurred = source !== undefined && z > 0 ? sourceSizeBlur(fine, cols, rows, plan.detectorPixelM, source.sizeM, source.distanceM, z) : fine;
        return Float32Array.from(f > 1 ? integratePixels(blurred, cols, rows, f) : blurred);
      });
    },
    close() {
      projectDelta.close();
      projectBeta.close();
    },
  };
}
