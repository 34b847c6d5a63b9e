/**
 * Physical constants, CODATA 2018 (Tiesinga et al., Rev. Mod. Phys. 93, 025010 (2021),
 * doi:10.1103/RevModPhys.93.025010). SI unless the name says otherwise.
 */

/** Classical electron radius r_e (m). */
export const CLASSICAL_ELECTRON_RADIUS_M = 2.8179403262e-15;
/** Avogadro constant (1/mol). */
export const AVOGADRO = 6.02214076e23;
/** h c in keV m: lambda(m) = HC_KEV_M / E(keV). */
export const HC_KEV_M = 1.239841984e-9;
/** Electron rest energy m_e c^2 (keV). */
export const ELECTRON_REST_ENERGY_KEV = 510.99895;
/** One electronvolt in joules. */
export const ELECTRONVOLT_J = 1.602176634e-19;

/** Photon wavelength (m) at a photon energy (keV). */
export function wavelengthM(energyKeV: number): number {
  return HC_KEV_M / energyKeV;
}

/** Photon energy (keV) at a wavelength (m). */
export function photonEnergyKeV(wavelength: number): number {
  return HC_KEV_M / wavelength;
}

/** Faraday constant F = N_A e (C/mol), exact since the 2019 SI (CODATA 2018). */
export const FARADAY_C_PER_MOL = 96485.33212331001;
/** Molar gas constant R = N_A k (J/(mol K)), exact since the 2019 SI (CODATA 2018). */
export const GAS_CONSTANT_J_PER_MOL_K = 8.314462618;
