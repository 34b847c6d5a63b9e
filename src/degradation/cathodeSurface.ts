/**
 * Surface reconstruction of layered-oxide cathodes (NMC, NCA) and transition-metal dissolution.
 *
 * Delithiated layered oxides lose lattice oxygen at the surface and their transition metals
 * migrate into the lithium layer, turning a surface shell into an electrochemically inactive
 * rock-salt (NiO-like) phase (F. Lin et al., Nat. Commun. 5 (2014) 3529,
 * doi:10.1038/ncomms4529; S.-K. Jung et al., Adv. Energy Mater. 4 (2014) 1300787,
 * doi:10.1002/aenm.201300787). The shell thickens like a diffusion-limited layer,
 *   L(n) = a(V) sqrt(n),
 * with n the number of cycles, and faster the higher the upper cut-off voltage, modelled as
 *   a(V) = a_ref exp((V - V_ref) / V_s).
 * Lin et al. report reconstruction layers of a few nm after tens of cycles, thicker after
 * cycling to 4.7 V than to 4.3 V; a_ref = 0.45 nm at V_ref = 4.3 V (2 nm after 20 cycles) and
 * V_s = 0.364 V (3x faster at 4.7 V: ~6 nm after 20 cycles) are read to that order of
 * magnitude, not fitted [unverified].
 *
 * The shell is inactive: the lost active fraction of a sphere of radius R is 1 - ((R - L)/R)^3.
 *
 * Transition-metal dissolution (Mn, Ni, Co) scales with the same voltage factor; the rate
 * r_ref = 1e-8 mol per m^2 of cathode particle surface per cycle at 4.3 V is an order-of-magnitude
 * placeholder [unverified]; the dissolved metal is counted as deposited on the anode
 * (J. A. Gilbert, I. A. Shkrob, D. P. Abraham, J. Electrochem. Soc. 164 (2017) A389,
 * doi:10.1149/2.1111702jes).
 *
 * Pure module (no Node APIs).
 */

export interface CathodeSurfaceParameters {
  /** Shell growth prefactor a at the reference voltage (m per sqrt(cycle)). */
  growthPrefactorM: number;
  referenceVoltageV: number;
  /** Voltage scale V_s of the exponential acceleration (V). */
  voltageScaleV: number;
  /** Dissolution rate at the reference voltage (mol per m^2 of particle surface per cycle). */
  dissolutionMolPerM2PerCycle: number;
}

/** Order-of-magnitude values after Lin et al. 2014 [unverified]; see the module comment. */
export const NMC_SURFACE_PARAMETERS: Readonly<CathodeSurfaceParameters> = Object.freeze({
  growthPrefactorM: 0.45e-9,
  referenceVoltageV: 4.3,
  voltageScaleV: 0.364,
  dissolutionMolPerM2PerCycle: 1e-8,
});

function voltageFactor(p: CathodeSurfaceParameters, upperCutoffV: number): number {
  if (!Number.isFinite(upperCutoffV) || upperCutoffV <= 0) throw new RangeError(`upper cut-off voltage: expected a positive number of volts, got ${upperCutoffV}`);
  return Math.exp((upperCutoffV - p.referenceVoltageV) / p.voltageScaleV);
}

/** Rock-salt shell thickness (m) after `cycles` cycles to the upper cut-off voltage. */
export function rockSaltThicknessM(p: CathodeSurfaceParameters, cycles: number, upperCutoffV: number): number {
  if (!(cycles >= 0)) throw new RangeError(`rockSaltThicknessM: expected cycles >= 0, got ${cycles}`);
  return p.growthPrefactorM * voltageFactor(p, upperCutoffV) * Math.sqrt(cycles);
}

/** Fraction of a spherical particle of radius R (m) inside an inactive shell of thickness L. */
export function shellVolumeFraction(shellThicknessM: number, particleRadiusM: number): number {
  if (!(particleRadiusM > 0)) throw new RangeError(`shellVolumeFraction: expected a particle radius > 0 m, got ${particleRadiusM}`);
  if (!(shellThicknessM >= 0)) throw new RangeError(`shellVolumeFraction: expected a shell thickness >= 0 m, got ${shellThicknessM}`);
  if (shellThicknessM >= particleRadiusM) return 1;
  const core = 1 - shellThicknessM / particleRadiusM;
  return 1 - core * core * core;
}

/** Transition metal dissolved in one cycle (mol per m^2 of cathode particle surface). */
export function dissolutionPerCycle(p: CathodeSurfaceParameters, upperCutoffV: number): number {
  return p.dissolutionMolPerM2PerCycle * voltageFactor(p, upperCutoffV);
}
