/**
 * Choosing the photon energy from optics alone: the energy that maximises the
 * contrast-to-noise ratio squared per unit dose for telling material A from material B.
 *
 * Model (a small detail of A, thickness d, inside a slab of B of thickness T, imaged in
 * absorption with a monochromatic beam, N0 photons on a pixel of area a):
 *   background counts  N  = N0 exp(-mu_B T)
 *   signal             dN = N (1 - exp(-(mu_A - mu_B) d))        (~ N dmu d for small d)
 *   noise              sqrt(N) (Poisson)
 *   CNR^2              = N0 exp(-mu_B T) (1 - exp(-dmu d))^2
 *   mean dose in B     D  = (N0 / a) E (mu_en/mu)_B (1 - exp(-mu_B T)) / (rho_B T)
 * so CNR^2 / D = a rho_B T exp(-mu_B T) (1 - exp(-dmu d))^2 / (E (mu_en/mu)_B (1 - exp(-mu_B T))).
 *
 * Without the dose (CNR^2 per incident photon) the optimum for a weak detail is at
 * mu_B T = 2 (Grodzins, Nucl. Instrum. Methods Phys. Res. 206 (1983) 541); dividing by the dose
 * weights against energies whose photons deposit much and transmit little. CNR^2 per dose
 * is the dose-efficiency figure of merit of projection imaging (Tapiovaara & Wagner,
 * Phys. Med. Biol. 30 (1985) 519). The Rose criterion CNR >= 5 (Rose, J. Opt. Soc. Am. 38
 * (1948) 196) turns it into the least dose that makes the detail visible.
 */
import { ELECTRONVOLT_J } from "../core/constants.js";
import { MAX_ENERGY_KEV, MIN_ENERGY_KEV } from "./elementTable.js";
import type { Material } from "./library.js";
import { newOpticalConstants, opticsEvaluator } from "./optics.js";

export interface ContrastEnergyOptions {
  /** Thickness of the sample (slab of B), m. */
  readonly thicknessM: number;
  /** Thickness of the detail of A, m (default 1 um). */
  readonly detailM?: number;
  /** Pixel edge length, m (default 1 um): CNR is per pixel of this area. */
  readonly pixelM?: number;
  /** Energies to evaluate, keV (default 1-200 keV, 400 points on a log grid). */
  readonly energiesKeV?: ArrayLike<number>;
}

export interface ContrastEnergyPoint {
  energyKeV: number;
  muA: number;
  muB: number;
  /** Transmission of the sample exp(-mu_B T). */
  transmission: number;
  /** CNR^2 per incident photon on the pixel. */
  cnr2PerPhoton: number;
  /** Mean dose in the sample per incident photon per m^2 (Gy m^2). */
  dosePerFluenceGyM2: number;
  /** CNR^2 per Gy of mean dose in the sample. */
  cnr2PerGy: number;
  /** Mean dose (Gy) that makes CNR = 5 (Rose criterion). */
  roseDoseGy: number;
}

export interface ContrastEnergyResult {
  readonly a: string;
  readonly b: string;
  readonly thicknessM: number;
  readonly detailM: number;
  readonly pixelM: number;
  readonly curve: ContrastEnergyPoint[];
  readonly best: ContrastEnergyPoint;
}

export const ROSE_CNR = 5;

/** Log-spaced energies from lo to hi keV, n points. */
export function logEnergyGrid(loKeV: number, hiKeV: number, n: number): Float64Array {
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) g[i] = loKeV * Math.pow(hiKeV / loKeV, i / (n - 1));
  g[n - 1] = hiKeV;
  return g;
}

export function contrastEnergyCurve(a: Material, b: Material, options: ContrastEnergyOptions): ContrastEnergyResult {
  const { thicknessM } = options;
  const detailM = options.detailM ?? 1e-6;
  const pixelM = options.pixelM ?? 1e-6;
  for (const [name, v] of [["thickness", thicknessM], ["detail", detailM], ["pixel", pixelM]] as const) {
    if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`${name} must be a positive length, got ${v} m`);
  }
  const energies = options.energiesKeV ?? logEnergyGrid(MIN_ENERGY_KEV, MAX_ENERGY_KEV, 400);
  const evA = opticsEvaluator(a);
  const evB = opticsEvaluator(b);
  const ca = newOpticalConstants();
  const cb = newOpticalConstants();
  const rhoB = b.densityGcm3 * 1000; // kg/m^3
  const pixelArea = pixelM * pixelM;
  const pointAt = (e: number): ContrastEnergyPoint => {
    evA.evaluate(e, ca);
    evB.evaluate(e, cb);
    const transmission = Math.exp(-cb.mu * thicknessM);
    const contrast = -Math.expm1(-(ca.mu - cb.mu) * detailM);
    const cnr2PerPhoton = transmission * contrast * contrast;
    const photonJ = e * 1e3 * ELECTRONVOLT_J;
    const dosePerFluenceGyM2 = (photonJ * (cb.muEnRho / cb.muRho) * -Math.expm1(-cb.mu * thicknessM)) / (rhoB * thicknessM);
    const cnr2PerGy = (cnr2PerPhoton * pixelArea) / dosePerFluenceGyM2;
    return {
      energyKeV: e,
      muA: ca.mu,
      muB: cb.mu,
      transmission,
      cnr2PerPhoton,
      dosePerFluenceGyM2,
      cnr2PerGy,
      roseDoseGy: (ROSE_CNR * ROSE_CNR) / cnr2PerGy,
    };
  };
  const curve = Array.from(energies, pointAt);
  if (curve.length === 0) throw new RangeError("no energies to evaluate");
  let bestIndex = 0;
  curve.forEach((p, i) => {
    if (p.cnr2PerGy > curve[bestIndex]!.cnr2PerGy) bestIndex = i;
  });
  // Golden-section refinement between the grid neighbours of the best grid point.
  let lo = curve[Math.max(bestIndex - 1, 0)]!.energyKeV;
  let hi = curve[Math.min(bestIndex + 1, curve.length - 1)]!.energyKeV;
  let best = curve[bestIndex]!;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let k = 0; k < 40 && hi - lo > 1e-6 * hi; k++) {
    const x1 = hi - g * (hi - lo);
    const x2 = lo + g * (hi - lo);
    const p1 = pointAt(x1);
    const p2 = pointAt(x2);
    if (p1.cnr2PerGy >= p2.cnr2PerGy) hi = x2;
    else lo = x1;
    const better = p1.cnr2PerGy >= p2.cnr2PerGy ? p1 : p2;
    if (better.cnr2PerGy > best.cnr2PerGy) best = better;
  }
  return { a: a.name, b: b.name, thicknessM, detailM, pixelM, curve, best };
}
