/**
 * Dose of a planned scan without simulating every projection (what `xtwin plan` calls).
 *
 * A scan of N projections, each of exposure t, deposits per voxel
 *   E_v = sum_{p=1..N} E_v(theta_p).
 * The deposit of a projection depends on its angle only through the path the beam takes to
 * the voxel. `scanPlanDose` estimates the sum from S sampled angles,
 *   E_v ~ (N / S) sum_{s=1..S} E_v(theta_s),
 * i.e. N times the mean deposit of the sampled angles. `planScanDose` samples S angles
 * evenly spread over the geometry's projections (indices floor(s n / S), s = 0..S-1;
 * default S = 8, i.e. every 22.5 degrees of a 180-degree scan). The estimate is exact
 * for S = N, and for any S when the sample is rotationally symmetric about the axis; for
 * a flat or elongated sample (electrode sheet, pouch cell) the deposit varies with angle
 * and more samples are needed near the angles where the beam runs along the sheet. The
 * total energy deposited converges fastest (it depends only on the path-length spectrum);
 * per-voxel values near strongly absorbing features converge slower.
 *
 * The peak dose rate per voxel is the maximum over the sampled angles of (dose of one
 * projection) / t: a lower bound on the true maximum over all N angles.
 *
 * `thinSampleScanDoseGy`: the closed-form limit for a sample thin compared with its
 * attenuation length (mu d << 1): every voxel in the beam receives the entrance surface
 * dose at every projection, D = N Phi E (mu_en/rho). An upper bound for thicker samples
 * of that material (the beam only weakens inside), useful before any phantom exists.
 *
 * Pure module.
 */
import type { VolumeGrid } from "../core/grid.js";
import type { SpectrumLike } from "../beam/tubeSpectrum.js";
import type { Material } from "../materials/library.js";
import type { LabelledVolume } from "../phantoms/scene.js";
import { projectionCount, type ProjectionGeometry } from "../acquisition/geometry.js";
import { depositedEnergyWithOptics, spectralOptics } from "./polychromaticDeposit.js";
import { entranceSurfaceDoseGy, fluenceFromPhotonsPerPixel } from "./surfaceDose.js";

/** Mean dose rate (Gy/s) of a dose (Gy) delivered over `timeS` seconds (> 0). */
export function doseRateGyPerS(doseGy: number, timeS: number): number {
  if (!(timeS > 0 && Number.isFinite(timeS))) throw new RangeError(`time must be a positive number of seconds, got ${timeS}`);
  return doseGy / timeS;
}

/** Time (s) to reach `doseGy` at a constant `rateGyPerS` (> 0): e.g. the time to a damage threshold. */
export function timeToDoseS(doseGy: number, rateGyPerS: number): number {
  if (!(rateGyPerS > 0 && Number.isFinite(rateGyPerS))) throw new RangeError(`dose rate must be a positive number of Gy/s, got ${rateGyPerS}`);
  if (!(doseGy >= 0)) throw new RangeError(`dose must be >= 0 Gy, got ${doseGy}`);
  return doseGy / rateGyPerS;
}

/** The spectrum's shape carrying `photonsPerPixel` photons per pixel ray in all. */
export function spectrumWithPhotons(spectrum: SpectrumLike, photonsPerPixel: number): SpectrumLike {
  let total = 0;
  for (let e = 0; e < spectrum.photons.length; e++) total += spectrum.photons[e]!;
  return { energyKeV: Array.from(spectrum.energyKeV), photons: Array.from(spectrum.photons, (p) => (p / total) * photonsPerPixel) };
}

/** A single-energy beam as a one-bin spectrum: `photonsPerPixel` photons of `energyKeV`. */
export function monochromaticBeam(energyKeV: number, photonsPerPixel: number): SpectrumLike {
  return { energyKeV: [energyKeV], photons: [photonsPerPixel] };
}

export interface ScanPlan {
  /** Projections per scan (N). */
  readonly projections: number;
  /** Beam-on time per projection (s). */
  readonly exposurePerProjectionS: number;
  /** Photons per pixel ray per energy bin, for one projection (see monochromaticBeam). */
  readonly beam: SpectrumLike;
  /** Identical scans in an in situ series (default 1); assumes the sample does not change. */
  readonly scans?: number;
}

export interface PlannedDose {
  /** Estimated cumulative dose per voxel over all projections and scans (Gy). */
  readonly doseGy: Float32Array;
  /** Max over the sampled angles of one projection's dose / its exposure, per voxel (Gy/s). */
  readonly peakDoseRateGyPerS: Float32Array;
  /** Beam-on time of the whole series (s): projections x exposure x scans. */
  readonly beamOnTimeS: number;
  /** Estimated energy deposited in the volume over the whole series (J). */
  readonly depositedJ: number;
  /** How many angles the estimate averaged. */
  readonly sampledAngles: number;
}

function checkPlan(plan: ScanPlan): number {
  if (!(Number.isInteger(plan.projections) && plan.projections >= 1)) throw new RangeError(`projections must be an integer >= 1, got ${plan.projections}`);
  if (!(plan.exposurePerProjectionS > 0 && Number.isFinite(plan.exposurePerProjectionS))) {
    throw new RangeError(`exposure per projection must be a positive number of seconds, got ${plan.exposurePerProjectionS}`);
  }
  const scans = plan.scans ?? 1;
  if (!(Number.isInteger(scans) && scans >= 1)) throw new RangeError(`scans must be an integer >= 1, got ${scans}`);
  return scans;
}

/**
 * Cumulative dose of `plan` from the deposit (J per voxel) of one projection at each of a
 * few sampled angles (each made with the plan's beam): N x scans x their mean, divided by
 * the voxel mass. Voxels of zero mass get 0.
 */
export function scanPlanDose(plan: ScanPlan, sampledDepositsJ: readonly Float32Array[], massKg: Float32Array): PlannedDose {
  const scans = checkPlan(plan);
  const S = sampledDepositsJ.length;
  if (S < 1) throw new RangeError("need the deposit of at least one sampled projection");
  const n = massKg.length;
  sampledDepositsJ.forEach((d, s) => {
    if (d.length !== n) throw new RangeError(`sampled deposit ${s} has ${d.length} voxels, the mass ${n}; they must match`);
  });
  const factor = (plan.projections * scans) / S;
  const invT = 1 / plan.exposurePerProjectionS;
  const doseGy = new Float32Array(n);
  const peak = new Float32Array(n);
  let total = 0;
  for (let s = 0; s < S; s++) {
    const d = sampledDepositsJ[s]!;
    for (let v = 0; v < n; v++) {
      const e = d[v]!;
      total += e;
      const m = massKg[v]!;
      if (!(m > 0)) continue;
      const one = e / m;
      doseGy[v] += one;
      if (one * invT > peak[v]!) peak[v] = one * invT;
    }
  }
  for (let v = 0; v < n; v++) doseGy[v] = doseGy[v]! * factor;
  return {
    doseGy,
    peakDoseRateGyPerS: peak,
    beamOnTimeS: plan.projections * plan.exposurePerProjectionS * scans,
    depositedJ: total * factor,
    sampledAngles: S,
  };
}

export interface PlanScanDoseOptions {
  /** Angles to sample (default 8; at most the geometry's projection count). */
  readonly samples?: number;
  /** Relative beam intensity per detector pixel (beam profile). */
  readonly profile?: Float32Array;
}

/**
 * Simulate the deposit at `samples` angles evenly spread over `geometry`'s projections
 * (polychromatic narrow-beam model) and scale to the plan with `scanPlanDose`. `geometry`
 * may hold the full scan or only representative angles; `plan.projections` sets N.
 */
export function planScanDose(
  volume: LabelledVolume,
  grid: VolumeGrid,
  geometry: ProjectionGeometry,
  plan: ScanPlan,
  classMaterials: readonly (Material | null)[],
  massKg: Float32Array,
  options: PlanScanDoseOptions = {},
): PlannedDose {
  checkPlan(plan);
  const nGeom = projectionCount(geometry);
  const want = options.samples ?? 8;
  if (!(Number.isInteger(want) && want >= 1)) throw new RangeError(`samples must be an integer >= 1, got ${want}`);
  const S = Math.min(want, nGeom);
  const optics = spectralOptics(plan.beam, classMaterials);
  const deposits: Float32Array[] = [];
  for (let s = 0; s < S; s++) {
    const out = new Float32Array(massKg.length);
    depositedEnergyWithOptics(volume, grid, geometry, Math.floor((s * nGeom) / S), optics, out, options.profile);
    deposits.push(out);
  }
  return scanPlanDose(plan, deposits, massKg);
}

/**
 * Thin-sample limit (module comment): N x scans x the entrance surface dose of one
 * projection, the fluence being the beam's photons per pixel over the pixel area at the
 * sample (`pixelSizeAtSampleM`: detector pitch / geometric magnification).
 */
export function thinSampleScanDoseGy(plan: ScanPlan, material: Material | string, pixelSizeAtSampleM: number): number {
  const scans = checkPlan(plan);
  let photons = 0;
  for (let e = 0; e < plan.beam.photons.length; e++) photons += plan.beam.photons[e]!;
  const fluence = fluenceFromPhotonsPerPixel(photons, pixelSizeAtSampleM);
  return plan.projections * scans * entranceSurfaceDoseGy(fluence, plan.beam, material);
}
