/**
 * Energy deposited per voxel by one projection of a polychromatic beam.
 *
 * The narrow-beam model of acquisition/polychromatic.ts `depositedEnergy`, for every
 * energy bin of a spectrum at once: each pixel ray is walked once (visitProjection) and
 * carries the photon count n_e of every bin e. In a voxel of chord l, bin e loses
 *   n_e (1 - exp(-mu_e l))                       photons, of which it deposits
 *   n_e (1 - exp(-mu_e l)) (mu_en,e / mu_e) E_e  joules locally,
 * and n_e exp(-mu_e l) go on. mu_en / mu is the fraction of the interacting photons'
 * energy transferred to electrons and absorbed (mass energy-absorption coefficient,
 * Hubbell & Seltzer, NIST SRD 126 / NISTIR 5632, https://physics.nist.gov/PhysRefData/XrayMassCoef/);
 * the rest (scattered photons, escaping fluorescence) leaves the sample and is not
 * deposited anywhere. Secondary electrons are absorbed in the voxel where they start
 * (their ranges, < 10 um below 50 keV in light materials, are under typical voxel sizes).
 *
 * Partial volumes: a voxel of primary fraction f mixes its two classes linearly in mu and
 * in mu_en (both are linear in the mass of each constituent, Bragg additivity).
 *
 * Bins carrying less than 1e-7 of the spectrum's photons are skipped (and left out of the
 * three totals returned). Pure module; one allocation per call, none per ray or voxel.
 */
import { ELECTRONVOLT_J } from "../core/constants.js";
import { type VolumeGrid, voxelCount } from "../core/grid.js";
import type { SpectrumLike } from "../beam/tubeSpectrum.js";
import type { Material } from "../materials/library.js";
import { opticsTable } from "../materials/optics.js";
import type { LabelledVolume } from "../phantoms/scene.js";
import { checkGeometry, projectionCount, type ProjectionGeometry } from "../acquisition/geometry.js";
import type { DepositSummary } from "../acquisition/polychromatic.js";
import { visitProjection, type RayVisitor } from "../acquisition/projector.js";
import { checkLabels } from "./mass.js";

const KEV_J = 1e3 * ELECTRONVOLT_J;

/** Bins with fewer than this fraction of the spectrum's photons are skipped. */
export const SKIP_BIN_FRACTION = 1e-7;

/**
 * Per class per kept bin, [class][bin]: mu and mu_en (1/m); `null` materials are vacuum
 * (0). Also the kept bins' photons per pixel and energies (J).
 */
export interface SpectralOptics {
  readonly bins: number;
  readonly mu: Float64Array;
  readonly muEn: Float64Array;
  readonly photons: Float64Array;
  readonly energyJ: Float64Array;
}

/** The kept bins of `spectrum` (see SKIP_BIN_FRACTION) and every class's optics there. */
export function spectralOptics(spectrum: SpectrumLike, classMaterials: readonly (Material | null)[]): SpectralOptics {
  const nE = spectrum.energyKeV.length;
  if (spectrum.photons.length !== nE) throw new RangeError(`spectrum has ${nE} energies but ${spectrum.photons.length} photon bins; they must match`);
  let total = 0;
  for (let e = 0; e < nE; e++) {
    const p = spectrum.photons[e]!;
    if (!(p >= 0 && Number.isFinite(p))) throw new RangeError(`spectrum bin ${e} has ${p} photons; expected a finite number >= 0`);
    total += p;
  }
  const kept: number[] = [];
  for (let e = 0; e < nE; e++) {
    const p = spectrum.photons[e]!;
    if (p > 0 && p >= SKIP_BIN_FRACTION * total) {
      const E = spectrum.energyKeV[e]!;
      if (!(E > 0 && Number.isFinite(E))) throw new RangeError(`spectrum bin ${e} has energy ${E} keV; expected a positive number`);
      kept.push(e);
    }
  }
  const nA = kept.length;
  const energyKeV = Float64Array.from(kept, (e) => spectrum.energyKeV[e]!);
  const classes = classMaterials.length;
  const mu = new Float64Array(classes * nA);
  const muEn = new Float64Array(classes * nA);
  classMaterials.forEach((m, k) => {
    if (m === null || nA === 0) return;
    const t = opticsTable(m, energyKeV);
    for (let a = 0; a < nA; a++) {
      mu[k * nA + a] = t.mu[a]!;
      // cm^2/g x g/cm^3 = 1/cm; x 100 -> 1/m.
      muEn[k * nA + a] = t.muEnRho[a]! * m.densityGcm3 * 100;
    }
  });
  return {
    bins: nA,
    mu,
    muEn,
    photons: Float64Array.from(kept, (e) => spectrum.photons[e]!),
    energyJ: Float64Array.from(energyKeV, (E) => E * KEV_J),
  };
}

class SpectralDepositVisitor implements RayVisitor {
  private pixelScale = 1;
  transmittedJ = 0;
  depositedJ = 0;
  /** Photons of each bin still in the ray. */
  private readonly n: Float64Array;
  constructor(
    private readonly labels: Uint8Array,
    private readonly secondary: Uint8Array,
    private readonly frac: Float32Array,
    private readonly o: SpectralOptics,
    private readonly out: Float32Array,
    private readonly profile: Float32Array | undefined,
  ) {
    this.n = new Float64Array(o.bins);
  }
  pixel(index: number): void {
    this.pixelScale = this.profile === undefined ? 1 : this.profile[index]!;
  }
  begin(weight: number): void {
    const s = this.pixelScale * weight;
    const n = this.n, p = this.o.photons;
    for (let a = 0; a < n.length; a++) n[a] = p[a]! * s;
  }
  segment(idx: number, len: number): void {
    if (len === 0) return;
    const nA = this.o.bins;
    const f = this.frac[idx]!;
    const g = 1 - f;
    const ka = this.labels[idx]! * nA, kb = this.secondary[idx]! * nA;
    const mu = this.o.mu, muEn = this.o.muEn, eJ = this.o.energyJ, n = this.n;
    let d = 0;
    for (let a = 0; a < nA; a++) {
      const m = f * mu[ka + a]! + g * mu[kb + a]!;
      if (!(m > 0)) continue;
      const absorbed = -n[a]! * Math.expm1(-m * len);
      d += absorbed * ((f * muEn[ka + a]! + g * muEn[kb + a]!) / m) * eJ[a]!;
      n[a] = n[a]! - absorbed;
    }
    this.out[idx] += d;
    this.depositedJ += d;
  }
  finish(): void {
    const n = this.n, eJ = this.o.energyJ;
    let t = 0;
    for (let a = 0; a < n.length; a++) t += n[a]! * eJ[a]!;
    this.transmittedJ += t;
  }
}

/**
 * Energy (J) deposited per voxel by projection `projectionIndex` of a polychromatic beam,
 * ADDED to `out` (so projections accumulate). `spectrum.photons[e]` is photons per pixel
 * ray in bin e; `classMaterials[k]` the material of class k (`null` = vacuum); a beam
 * `profile` (relative intensity per pixel) scales pixel i's photons by profile[i].
 * Returns the energy sent, leaving unattenuated, and deposited (J), over the kept bins:
 * with mu_en = mu, deposited + transmitted = incident.
 */
export function depositedEnergyPolychromatic(
  volume: LabelledVolume,
  grid: VolumeGrid,
  geometry: ProjectionGeometry,
  projectionIndex: number,
  spectrum: SpectrumLike,
  classMaterials: readonly (Material | null)[],
  out: Float32Array,
  profile?: Float32Array,
): DepositSummary {
  return depositedEnergyWithOptics(volume, grid, geometry, projectionIndex, spectralOptics(spectrum, classMaterials), out, profile);
}

/**
 * `depositedEnergyPolychromatic` with the optics precomputed by `spectralOptics` (once per
 * scan instead of once per projection), or made up (tests: mu_en = mu).
 */
export function depositedEnergyWithOptics(
  volume: LabelledVolume,
  grid: VolumeGrid,
  geometry: ProjectionGeometry,
  projectionIndex: number,
  optics: SpectralOptics,
  out: Float32Array,
  profile?: Float32Array,
): DepositSummary {
  const nV = voxelCount(grid);
  if (volume.labels.length !== nV) throw new RangeError(`labelled volume has ${volume.labels.length} voxels, the grid ${grid.nx}x${grid.ny}x${grid.nz} needs ${nV}`);
  if (out.length !== nV) throw new RangeError(`output holds ${out.length} voxels, the grid needs ${nV}`);
  const classes = volume.classNames.length;
  if (optics.mu.length !== classes * optics.bins || optics.muEn.length !== classes * optics.bins) {
    throw new RangeError(`optics tables must hold ${classes} classes x ${optics.bins} bins, got ${optics.mu.length} and ${optics.muEn.length} (one material per class: ${volume.classNames.join(", ")})`);
  }
  checkLabels(volume);
  checkGeometry(geometry);
  const nP = projectionCount(geometry);
  if (!Number.isInteger(projectionIndex) || projectionIndex < 0 || projectionIndex >= nP) {
    throw new RangeError(`projection index must be an integer in [0, ${nP}), got ${projectionIndex}`);
  }
  const nPix = geometry.rows * geometry.cols;
  if (profile !== undefined && profile.length !== nPix) throw new RangeError(`beam profile has ${profile.length} pixels, the detector ${nPix}`);
  const v = new SpectralDepositVisitor(volume.labels, volume.secondary, volume.primaryFraction, optics, out, profile);
  visitProjection(grid, geometry, projectionIndex, v);
  let sent = nPix;
  if (profile !== undefined) {
    sent = 0;
    for (let p = 0; p < nPix; p++) sent += profile[p]!;
  }
  let perPixelJ = 0;
  for (let a = 0; a < optics.bins; a++) perPixelJ += optics.photons[a]! * optics.energyJ[a]!;
  return { incidentJ: perPixelJ * sent, transmittedJ: v.transmittedJ, depositedJ: v.depositedJ };
}
