/**
 * Solid-electrolyte interphase (SEI) growth on graphite, limited by solvent diffusion
 * through the SEI, and the lithium it consumes.
 *
 * Model (H. J. Ploehn, P. Ramadass, R. E. White, J. Electrochem. Soc. 151 (2004) A456,
 * doi:10.1149/1.1644601; M. B. Pinson, M. Z. Bazant, J. Electrochem. Soc. 160 (2013) A243,
 * doi:10.1149/2.044302jes): solvent (EC) at bulk concentration c_sol diffuses through an SEI of
 * thickness L with diffusivity D and is reduced at the graphite surface, where its
 * concentration is ~0. The solvent flux is D c_sol / L (mol m^-2 s^-1). The reaction
 * 2 EC + 2 Li+ + 2 e- -> (CH2OCO2Li)2 (LEDC) + C2H4 makes one SEI formula unit of molar
 * volume V per two solvent molecules, so
 *   dL/dt = V D c_sol / (2 L) = k / L,   k = V D c_sol / 2,
 *   L(t) = sqrt(L0^2 + 2 k t),
 * and each m^3 of SEI holds 2 / V mol of lithium taken from the cyclable inventory.
 * The diffusivity is Arrhenius in temperature: D(T) = D_ref exp(-Ea/R (1/T - 1/T_ref)),
 * so k inherits the same factor.
 *
 * Pure module (no Node APIs).
 */

import { FARADAY_C_PER_MOL, GAS_CONSTANT_J_PER_MOL_K } from "../core/constants.js";

export { FARADAY_C_PER_MOL, GAS_CONSTANT_J_PER_MOL_K };

/** SEI growth parameters. */
export interface SeiParameters {
  /** Solvent diffusivity through the SEI at the reference temperature (m^2/s). */
  solventDiffusivityRefM2PerS: number;
  /** Solvent concentration in the bulk electrolyte (mol/m^3). */
  solventConcentrationMolPerM3: number;
  /** Molar volume of the SEI product (m^3/mol). */
  seiMolarVolumeM3PerMol: number;
  /** Solvent molecules reduced per SEI formula unit. */
  solventPerSei: number;
  /** Lithium atoms per SEI formula unit. */
  lithiumPerSei: number;
  /** Activation energy of the diffusivity (J/mol). */
  activationEnergyJPerMol: number;
  /** Temperature at which solventDiffusivityRefM2PerS holds (K). */
  referenceTemperatureK: number;
  /** SEI thickness after formation, before the protocol starts (m). */
  initialThicknessM: number;
}

/**
 * Parameters for LEDC on graphite in LiPF6/EC:EMC.
 * - D_ref = 2.5e-22 m^2/s and c_sol = 2636 mol/m^3: the "solvent-diffusion limited" values of
 *   PyBaMM's Chen2020 parameter set (after Ploehn et al. 2004 and Single et al., ChemSusChem
 *   11 (2018) 1950, doi:10.1002/cssc.201800077) [unverified against the original papers].
 * - V = M/rho = 0.162 kg/mol / 1690 kg/m^3 = 9.585e-5 m^3/mol for LEDC (M. Safari et al.,
 *   J. Electrochem. Soc. 156 (2009) A145, doi:10.1149/1.3043429).
 * - Ea = 30 kJ/mol, inside the 20-50 kJ/mol range reported for calendar SEI growth
 *   [unverified: no single source measured it for this diffusivity].
 * - L0 = 2.5 nm after formation (PyBaMM Chen2020 "initial outer SEI thickness") [unverified].
 */
export const SEI_LEDC_PARAMETERS: Readonly<SeiParameters> = Object.freeze({
  solventDiffusivityRefM2PerS: 2.5e-22,
  solventConcentrationMolPerM3: 2636,
  seiMolarVolumeM3PerMol: 0.162 / 1690,
  solventPerSei: 2,
  lithiumPerSei: 2,
  activationEnergyJPerMol: 30e3,
  referenceTemperatureK: 298.15,
  initialThicknessM: 2.5e-9,
});

/** Arrhenius scaling: valueRef exp(-Ea/R (1/T - 1/T_ref)). */
export function arrhenius(valueRef: number, activationEnergyJPerMol: number, temperatureK: number, referenceTemperatureK: number): number {
  if (!(temperatureK > 0) || !(referenceTemperatureK > 0)) {
    throw new RangeError(`arrhenius: expected positive temperatures in kelvin, got T=${temperatureK}, T_ref=${referenceTemperatureK}`);
  }
  return valueRef * Math.exp((-activationEnergyJPerMol / GAS_CONSTANT_J_PER_MOL_K) * (1 / temperatureK - 1 / referenceTemperatureK));
}

/** Parabolic growth constant k (m^2/s) of dL/dt = k/L at temperature T. */
export function seiGrowthConstant(p: SeiParameters, temperatureK: number): number {
  const d = arrhenius(p.solventDiffusivityRefM2PerS, p.activationEnergyJPerMol, temperatureK, p.referenceTemperatureK);
  return (p.seiMolarVolumeM3PerMol * d * p.solventConcentrationMolPerM3) / p.solventPerSei;
}

/** SEI thickness (m) after a time t (s) from thickness L0: sqrt(L0^2 + 2 k t). */
export function seiThicknessAfter(initialThicknessM: number, growthConstantM2PerS: number, timeS: number): number {
  if (!(initialThicknessM >= 0) || !(growthConstantM2PerS >= 0) || !(timeS >= 0)) {
    throw new RangeError(
      `seiThicknessAfter: expected L0 >= 0, k >= 0, t >= 0, got L0=${initialThicknessM}, k=${growthConstantM2PerS}, t=${timeS}`,
    );
  }
  return Math.sqrt(initialThicknessM * initialThicknessM + 2 * growthConstantM2PerS * timeS);
}

/** Lithium (mol per m^2 of graphite surface) locked in an SEI layer grown by dL (m). */
export function seiLithiumPerSurfaceArea(thicknessGrowthM: number, p: SeiParameters): number {
  if (!(thicknessGrowthM >= 0)) throw new RangeError(`seiLithiumPerSurfaceArea: expected a growth >= 0 m, got ${thicknessGrowthM}`);
  return (p.lithiumPerSei * thicknessGrowthM) / p.seiMolarVolumeM3PerMol;
}
