/**
 * X-ray optical constants of a material: attenuation by process, energy absorption,
 * and the complex refractive index n = 1 - delta + i beta.
 *
 * Conventions (docs/materials.md states and tests each):
 * - mu/rho (cm^2/g) is the total of photoelectric, coherent and incoherent scattering
 *   (no pair production below 1.022 MeV); linear mu (1/m) = mu/rho * rho * 100.
 * - beta = mu lambda / (4 pi) with the TOTAL mu, so that the exit-wave intensity
 *   |exp(-k beta t)|^2 = exp(-mu t) reproduces Beer-Lambert: mu = 4 pi beta / lambda
 *   (intensity), not 2 pi (amplitude). Henke's f2 covers photoabsorption only.
 * - delta = r_e lambda^2 / (2 pi) * sum_i n_i f1_i, n_i atoms per m^3, f1 = Z + f'
 *   (Als-Nielsen & McMorrow, Elements of Modern X-ray Physics, 2nd ed. (2011), eq. 3.5).
 * - mu_en/rho = sum_i w_i [tau_i (1 - X_i/E) + sigma_inc,i f_inc,i(E)], coherent
 *   scattering deposits nothing, X the fluorescence energy escaping per photoabsorption
 *   and f_inc the bound-electron mean energy-transfer fraction (Seltzer, Radiat. Res.
 *   136 (1993) 147; Hubbell & Seltzer, NISTIR 5632, section 3).
 *   Bremsstrahlung by the secondary electrons (g) is below 1% under 200 keV and is omitted.
 *   mu_en feeds dose; mu feeds attenuation and beta.
 */
import { AVOGADRO, CLASSICAL_ELECTRON_RADIUS_M, wavelengthM } from "../core/constants.js";
import type { Composition } from "./composition.js";
import { assertPhotonEnergy, elementTable, newElementInteraction, type ElementTable } from "./elementTable.js";
import type { Material } from "./library.js";

/** Optical constants at one energy; reused in place by the evaluator. */
export interface OpticalConstants {
  /** Total mass attenuation coefficient (cm^2/g). */
  muRho: number;
  muRhoPhoto: number;
  muRhoCoherent: number;
  muRhoIncoherent: number;
  /** Mass energy-absorption coefficient (cm^2/g). */
  muEnRho: number;
  /** Linear attenuation coefficient (1/m). */
  mu: number;
  /** Refractive index decrement. */
  delta: number;
  /** Absorption index (imaginary part of n). */
  beta: number;
}

export function newOpticalConstants(): OpticalConstants {
  return { muRho: 0, muRhoPhoto: 0, muRhoCoherent: 0, muRhoIncoherent: 0, muEnRho: 0, mu: 0, delta: 0, beta: 0 };
}

/** Linear attenuation coefficient (1/m) from mu/rho (cm^2/g) and density (g/cm^3). */
export function linearAttenuation(muRhoCm2g: number, densityGcm3: number): number {
  return muRhoCm2g * densityGcm3 * 100;
}

/** 1/e attenuation length (m) of a linear attenuation coefficient (1/m). */
export function attenuationLength(muPerM: number): number {
  return 1 / muPerM;
}

/** Transmitted fraction of intensity through a thickness (m): exp(-mu t), Beer-Lambert. */
export function transmission(muPerM: number, thicknessM: number): number {
  return Math.exp(-muPerM * thicknessM);
}

/** Phase shift per unit thickness (rad/m) relative to vacuum: k delta = 2 pi delta / lambda. */
export function phaseShiftPerLength(delta: number, energyKeV: number): number {
  return (2 * Math.PI * delta) / wavelengthM(energyKeV);
}

/** beta = mu lambda / (4 pi), mu in 1/m. */
export function betaFromMu(muPerM: number, energyKeV: number): number {
  return (muPerM * wavelengthM(energyKeV)) / (4 * Math.PI);
}

/** mu = 4 pi beta / lambda (1/m), the inverse of betaFromMu. */
export function muFromBeta(beta: number, energyKeV: number): number {
  return (4 * Math.PI * beta) / wavelengthM(energyKeV);
}

/**
 * Fast evaluator for one composition and density: holds the element tables, mass
 * fractions and atom densities so that each energy costs one table lookup per element
 * and allocates nothing.
 */
export class OpticsEvaluator {
  private readonly tables: ElementTable[];
  private readonly massFractions: Float64Array;
  /** Atoms per m^3 of each element. */
  private readonly atomDensities: Float64Array;
  private readonly scratch = newElementInteraction();

  constructor(
    composition: Composition,
    readonly densityGcm3: number,
  ) {
    if (!(densityGcm3 > 0)) throw new RangeError(`density must be positive, got ${densityGcm3} g/cm^3`);
    this.tables = composition.map((e) => elementTable(e.z));
    this.massFractions = Float64Array.from(composition, (e) => e.massFraction);
    // n_i = rho w_i N_A / A_i; rho in g/cm^3 -> per cm^3, x 1e6 -> per m^3.
    this.atomDensities = Float64Array.from(
      composition,
      (e, i) => (densityGcm3 * e.massFraction * AVOGADRO * 1e6) / this.tables[i]!.atomicWeight,
    );
  }

  /** Fill `out` with every constant at `energyKeV` (1-200 keV; checked). */
  evaluate(energyKeV: number, out: OpticalConstants): OpticalConstants {
    assertPhotonEnergy(energyKeV);
    const s = this.scratch;
    let photo = 0;
    let coherent = 0;
    let incoherent = 0;
    let muEn = 0;
    let f1Sum = 0;
    const lnE = Math.log(energyKeV);
    for (let i = 0; i < this.tables.length; i++) {
      this.tables[i]!.evaluate(energyKeV, s, lnE);
      const w = this.massFractions[i]!;
      photo += w * s.photo;
      coherent += w * s.coherent;
      incoherent += w * s.incoherent;
      muEn += w * (s.photo * (1 - s.fluorescenceKeV / energyKeV) + s.incoherent * s.incoherentTransfer);
      f1Sum += this.atomDensities[i]! * s.f1;
    }
    const lambda = wavelengthM(energyKeV);
    out.muRhoPhoto = photo;
    out.muRhoCoherent = coherent;
    out.muRhoIncoherent = incoherent;
    out.muRho = photo + coherent + incoherent;
    out.muEnRho = muEn;
    out.mu = linearAttenuation(out.muRho, this.densityGcm3);
    out.delta = (CLASSICAL_ELECTRON_RADIUS_M * lambda * lambda * f1Sum) / (2 * Math.PI);
    out.beta = (out.mu * lambda) / (4 * Math.PI);
    return out;
  }
}

const evaluators = new WeakMap<Material, OpticsEvaluator>();

/** The (cached) evaluator of a material. */
export function opticsEvaluator(material: Material): OpticsEvaluator {
  let ev = evaluators.get(material);
  if (ev === undefined) {
    ev = new OpticsEvaluator(material.composition, material.densityGcm3);
    evaluators.set(material, ev);
  }
  return ev;
}

/** Everything `xtwin optics --json` prints for one material at one energy. */
export interface MaterialOptics extends OpticalConstants {
  material: string;
  energyKeV: number;
  densityGcm3: number;
  attenuationLengthM: number;
}

export function materialOptics(material: Material, energyKeV: number): MaterialOptics {
  const c = opticsEvaluator(material).evaluate(energyKeV, newOpticalConstants());
  return {
    material: material.name,
    energyKeV,
    densityGcm3: material.densityGcm3,
    ...c,
    attenuationLengthM: attenuationLength(c.mu),
  };
}

/** Optical constants over many energies, column by column. */
export interface OpticsTable {
  readonly energyKeV: Float64Array;
  readonly muRho: Float64Array;
  readonly muEnRho: Float64Array;
  readonly mu: Float64Array;
  readonly delta: Float64Array;
  readonly beta: Float64Array;
}

export function opticsTable(material: Material, energiesKeV: ArrayLike<number>): OpticsTable {
  const n = energiesKeV.length;
  const table = {
    energyKeV: Float64Array.from(energiesKeV),
    muRho: new Float64Array(n),
    muEnRho: new Float64Array(n),
    mu: new Float64Array(n),
    delta: new Float64Array(n),
    beta: new Float64Array(n),
  };
  const ev = opticsEvaluator(material);
  const c = newOpticalConstants();
  for (let i = 0; i < n; i++) {
    ev.evaluate(table.energyKeV[i]!, c);
    table.muRho[i] = c.muRho;
    table.muEnRho[i] = c.muEnRho;
    table.mu[i] = c.mu;
    table.delta[i] = c.delta;
    table.beta[i] = c.beta;
  }
  return table;
}

/** Absorption and phase contrast between two materials of equal thickness. */
export interface OpticalContrast {
  energyKeV: number;
  thicknessM: number;
  /** mu_a - mu_b (1/m). */
  muDifference: number;
  /** (T_b - T_a) / T_b for intensity transmissions T = exp(-mu t): attenuation contrast. */
  absorptionContrast: number;
  deltaDifference: number;
  betaDifference: number;
  /** Phase difference accumulated through the thickness, k (delta_a - delta_b) t (rad). */
  phaseDifferenceRad: number;
  /** Delta-delta over delta-beta: how much stronger phase is than absorption contrast. */
  phaseToAbsorption: number;
}

export function opticalContrast(a: Material, b: Material, energyKeV: number, thicknessM: number): OpticalContrast {
  if (!(thicknessM > 0)) throw new RangeError(`thickness must be positive, got ${thicknessM} m`);
  const ca = opticsEvaluator(a).evaluate(energyKeV, newOpticalConstants());
  const cb = opticsEvaluator(b).evaluate(energyKeV, newOpticalConstants());
  const muDifference = ca.mu - cb.mu;
  const deltaDifference = ca.delta - cb.delta;
  const betaDifference = ca.beta - cb.beta;
  return {
    energyKeV,
    thicknessM,
    muDifference,
    absorptionContrast: -Math.expm1(-muDifference * thicknessM),
    deltaDifference,
    betaDifference,
    phaseDifferenceRad: phaseShiftPerLength(deltaDifference, energyKeV) * thicknessM,
    phaseToAbsorption: deltaDifference / betaDifference,
  };
}
