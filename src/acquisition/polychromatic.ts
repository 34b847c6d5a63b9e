/**
 * Polychromatic forward model on a labelled (two-class partial-volume) phantom:
 *
 * 1. `projectPathLengths`: per-class path lengths L_k of every pixel ray (Siddon-Jacobs walk,
 *    projector.ts `visitProjection`); a voxel of primary fraction f and chord l adds f l to
 *    its label and (1 - f) l to its secondary class, so sum_k L_k = chord through the grid.
 * 2. `polychromaticExpected`: expected counts N = sum_E S(E) eta(E) exp(-sum_k mu_k(E) L_k).
 *    Beam hardening follows from the sum over energies; no correction term is added.
 * 3. `depositedEnergy`: energy (J) deposited per voxel by one projection, walking each ray in
 *    order: photons n entering a voxel of chord l deposit n (1 - exp(-mu l)) (mu_en / mu) E
 *    and n exp(-mu l) go on. Scattered photons are assumed to leave (narrow-beam
 *    approximation; their energy not in mu_en is not deposited anywhere).
 *
 * Units: lengths m, mu and mu_en in 1/m, energies keV in, J out. Pure module.
 */
import type { VolumeGrid } from "../core/grid.js";
import { voxelCount } from "../core/grid.js";
import { ELECTRONVOLT_J } from "../core/constants.js";
import type { LabelledVolume } from "../phantoms/scene.js";
import type { SpectrumLike } from "../beam/tubeSpectrum.js";
import { type Material, resolveMaterial } from "../materials/library.js";
import { materialOptics, opticsTable } from "../materials/optics.js";
import { checkGeometry, type ProjectionGeometry } from "./geometry.js";
import { visitProjection, type RayVisitor } from "./projector.js";

const KEV_J = 1e3 * ELECTRONVOLT_J;

class PathLengthVisitor implements RayVisitor {
  pix = 0;
  w = 1;
  constructor(
    readonly labels: Uint8Array,
    readonly secondary: Uint8Array,
    readonly frac: Float32Array,
    readonly out: Float32Array,
    readonly nPix: number,
  ) {}
  pixel(p: number): void { this.pix = p; }
  begin(weight: number): void { this.w = weight; }
  segment(idx: number, len: number): void {
    const l = len * this.w;
    const f = this.frac[idx]!;
    const out = this.out;
    out[this.labels[idx]! * this.nPix + this.pix] += f * l;
    out[this.secondary[idx]! * this.nPix + this.pix] += (1 - f) * l;
  }
  finish(): void {}
}

/**
 * Per-class path lengths (m) of every pixel ray of projection `projectionIndex`, into
 * `out` laid out [class][row][col] (classNames.length x rows x cols; overwritten).
 * Rays are those of `projectOne`. Labels must be < classNames.length (not checked per voxel).
 */
export function projectPathLengths(
  volume: LabelledVolume,
  grid: VolumeGrid,
  geometry: ProjectionGeometry,
  projectionIndex: number,
  out: Float32Array,
): void {
  const n = voxelCount(grid);
  if (volume.labels.length !== n || volume.secondary.length !== n || volume.primaryFraction.length !== n) {
    throw new RangeError(`labelled volume has ${volume.labels.length} voxels, grid needs ${n}`);
  }
  const nPix = geometry.rows * geometry.cols;
  const classes = volume.classNames.length;
  if (out.length !== classes * nPix) throw new RangeError(`output holds ${out.length} values, needs ${classes} classes x ${nPix} pixels`);
  out.fill(0);
  visitProjection(grid, geometry, projectionIndex, new PathLengthVisitor(volume.labels, volume.secondary, volume.primaryFraction, out, nPix));
}

/** Linear energy-absorption coefficient mu_en (1/m) of each material at one energy. */
export function muEnPerClass(materials: readonly Material[], energyKeV: number): Float64Array {
  return Float64Array.from(materials, (m) => {
    const o = materialOptics(m, energyKeV);
    return o.muEnRho * o.densityGcm3 * 100;
  });
}

/**
 * Linear attenuation (1/m) per class per energy, [class][energy], from the materials
 * library (`opticsTable`); also mu_en (1/m) in the same layout.
 */
export function classOptics(classNames: readonly string[], energyKeV: ArrayLike<number>): { mu: Float64Array; muEn: Float64Array } {
  const nE = energyKeV.length;
  const mu = new Float64Array(classNames.length * nE);
  const muEn = new Float64Array(classNames.length * nE);
  classNames.forEach((name, k) => {
    const m = resolveMaterial(name);
    const t = opticsTable(m, energyKeV);
    for (let e = 0; e < nE; e++) {
      mu[k * nE + e] = t.mu[e]!;
      muEn[k * nE + e] = t.muEnRho[e]! * m.densityGcm3 * 100;
    }
  });
  return { mu, muEn };
}

/**
 * Expected counts per pixel: out[p] = sum_E S(E) eta(E) exp(-sum_k mu[k][E] L[k][p]).
 * `pathLengths` [class][pixel] (m), `muPerClassPerEnergy` [class][energy] (1/m),
 * `detectorEfficiency` a function of E (keV) or one value per energy (default 1).
 * The number of pixels is pathLengths.length / classes; `out` must hold that many.
 */
export function polychromaticExpected(
  pathLengths: Float32Array | Float64Array,
  classes: number,
  spectrum: SpectrumLike,
  muPerClassPerEnergy: Float64Array,
  detectorEfficiency: ((energyKeV: number) => number) | ArrayLike<number> | undefined,
  out: Float32Array | Float64Array,
): void {
  if (!Number.isInteger(classes) || classes < 1) throw new RangeError(`classes must be a positive integer, got ${classes}`);
  if (pathLengths.length % classes !== 0) throw new RangeError(`pathLengths length ${pathLengths.length} is not a multiple of ${classes} classes`);
  const nPix = pathLengths.length / classes;
  const nE = spectrum.energyKeV.length;
  if (spectrum.photons.length !== nE) throw new RangeError(`spectrum has ${nE} energies and ${spectrum.photons.length} photon bins`);
  if (muPerClassPerEnergy.length !== classes * nE) throw new RangeError(`mu table holds ${muPerClassPerEnergy.length} values, needs ${classes} x ${nE}`);
  if (out.length !== nPix) throw new RangeError(`output holds ${out.length} values, needs ${nPix}`);
  const weight = new Float64Array(nE);
  for (let e = 0; e < nE; e++) {
    const eta = detectorEfficiency === undefined ? 1
      : typeof detectorEfficiency === "function" ? detectorEfficiency(spectrum.energyKeV[e]!) : detectorEfficiency[e]!;
    weight[e] = spectrum.photons[e]! * eta;
  }
  // Transposed mu table [energy][class] for a contiguous inner loop.
  const muT = new Float64Array(nE * classes);
  for (let k = 0; k < classes; k++) for (let e = 0; e < nE; e++) muT[e * classes + k] = muPerClassPerEnergy[k * nE + e]!;
  const L = new Float64Array(classes);
  for (let p = 0; p < nPix; p++) {
    for (let k = 0; k < classes; k++) L[k] = pathLengths[k * nPix + p]!;
    let n = 0;
    for (let e = 0; e < nE; e++) {
      const w = weight[e]!;
      if (w === 0) continue;
      let x = 0;
      const b = e * classes;
      for (let k = 0; k < classes; k++) x += muT[b + k]! * L[k]!;
      n += w * Math.exp(-x);
    }
    out[p] = n;
  }
}

class DepositVisitor implements RayVisitor {
  n = 0;
  transmitted = 0;
  deposited = 0;
  constructor(
    readonly mu: Float32Array,
    readonly muEn: Float32Array,
    readonly out: Float32Array,
    readonly photons: number,
    readonly eJ: number,
    readonly profile: Float32Array | undefined,
  ) {}
  private pixelPhotons = 0;
  pixel(index: number): void { this.pixelPhotons = this.profile === undefined ? this.photons : this.photons * this.profile[index]!; }
  begin(weight: number): void { this.n = this.pixelPhotons * weight; }
  segment(idx: number, len: number): void {
    const m = this.mu[idx]!;
    if (!(m > 0) || len === 0) return;
    const absorbed = -this.n * Math.expm1(-m * len);
    const d = absorbed * (this.muEn[idx]! / m) * this.eJ;
    this.out[idx] += d;
    this.deposited += d;
    this.n -= absorbed;
  }
  finish(): void { this.transmitted += this.n; }
}

export interface DepositSummary {
  /** Energy (J) of all photons sent: photonsPerPixel x pixels x E (x the mean profile). */
  readonly incidentJ: number;
  /** Energy (J) leaving unattenuated (primary beam behind the grid, misses included). */
  readonly transmittedJ: number;
  /** Energy (J) added to `out` by this call. */
  readonly depositedJ: number;
}

/**
 * Monochromatic energy deposited per voxel (J) by one projection of `photonsPerPixel`
 * photons of `energyKeV` per pixel ray, ADDED to `out` (so projections and energies can be
 * accumulated). `muVolume` and `muEnVolume` are per voxel (1/m); pass muEn = mu for a pure
 * absorber (then deposited + transmitted = incident). With a beam `profile` (relative
 * intensity per pixel) pixel i's ray carries photonsPerPixel x profile[i].
 */
export function depositedEnergy(
  muVolume: Float32Array,
  muEnVolume: Float32Array,
  grid: VolumeGrid,
  geometry: ProjectionGeometry,
  projectionIndex: number,
  photonsPerPixel: number,
  energyKeV: number,
  out: Float32Array,
  profile?: Float32Array,
): DepositSummary {
  const n = voxelCount(grid);
  if (muVolume.length !== n || muEnVolume.length !== n || out.length !== n) {
    throw new RangeError(`mu, mu_en and output must hold ${n} voxels, got ${muVolume.length}, ${muEnVolume.length}, ${out.length}`);
  }
  if (!(photonsPerPixel >= 0) || !(energyKeV > 0)) throw new RangeError(`need photonsPerPixel >= 0 and energyKeV > 0`);
  checkGeometry(geometry);
  const eJ = energyKeV * KEV_J;
  const nPix = geometry.rows * geometry.cols;
  if (profile !== undefined && profile.length !== nPix) throw new RangeError(`beam profile has ${profile.length} pixels, the detector ${nPix}`);
  const v = new DepositVisitor(muVolume, muEnVolume, out, photonsPerPixel, eJ, profile);
  visitProjection(grid, geometry, projectionIndex, v);
  let sent = nPix;
  if (profile !== undefined) {
    sent = 0;
    for (let p = 0; p < nPix; p++) sent += profile[p]!;
  }
  const incidentJ = photonsPerPixel * sent * eJ;
  const transmittedJ = v.transmitted * eJ;
  return { incidentJ, transmittedJ, depositedJ: v.deposited };
}
