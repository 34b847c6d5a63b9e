/**
 * Lithium plating on graphite during a charge (constant current, or any current profile such
 * as the CC-CV charge of chargeProfile.ts).
 *
 * Plating is thermodynamically possible where the graphite potential vs a Li/Li+ reference in
 * the local electrolyte falls below 0 V:
 *   phi(z) = U_ocp(x) - eta(z),
 * with eta(z) the cathodic charge-transfer overpotential at depth z from the separator.
 *
 * - U_ocp(x): graphite open-circuit potential of the LG M50 cell, C.-H. Chen et al.,
 *   J. Electrochem. Soc. 167 (2020) 080534, doi:10.1149/1945-7111/ab9050 (the fit used as
 *   PyBaMM's graphite_LGM50_ocp_Chen2020).
 * - eta from symmetric Butler-Volmer kinetics, j = 2 j0 sinh(F eta / 2RT), with
 *   j0 = m c_e^0.5 c_s^0.5 (c_max - c_s)^0.5 and m Arrhenius in T (Chen et al. 2020:
 *   m = 6.48e-7 A m^-2 (m^3/mol)^1.5, Ea = 35 kJ/mol).
 * - The reaction is not uniform through the electrode: limited ionic conduction in the
 *   electrolyte drives it towards the separator. For linear kinetics and an electrode whose
 *   solid conducts much better than its electrolyte, the current per particle area is
 *   j(z) = j_mean nu cosh(nu (1 - z/L)) / sinh(nu),  nu^2 = L^2 a (dj/deta) / kappa_eff
 *   (J. Newman, C. W. Tobias, J. Electrochem. Soc. 109 (1962) 1183, doi:10.1149/1.2425269;
 *   J. Newman, K. E. Thomas-Alyea, Electrochemical Systems, 3rd ed., Wiley 2004, ch. 22).
 *   We linearise Butler-Volmer at the mean operating point, dj/deta = (F/RT) j0 cosh(F eta/2RT),
 *   so nu grows with the charge rate (Tafel regime) and with falling temperature (kappa falls).
 *   This ohmic term stands for the electrolyte polarisation; concentration gradients in the
 *   electrolyte are not modelled.
 * - kappa(c, T): LiPF6 in EC/PC/DMC, L. O. Valøen, J. N. Reimers, J. Electrochem. Soc. 152 (2005)
 *   A882, doi:10.1149/1.1872737 (their eq. for the conductivity as a function of c and T);
 *   kappa_eff = kappa eps^1.5 (Bruggeman).
 *
 * Plating rate: where j(z) exceeds the largest intercalation current compatible with phi >= 0,
 * j_max = 2 j0 sinh(F U_ocp / 2RT), the excess j(z) - j_max plates lithium metal (the
 * electrode potential is then pinned near 0 V vs Li/Li+ and the surplus current goes to the
 * faster Li/Li+ couple). So plating begins at the separator side, where j is largest, and the
 * returned depth says how far into the electrode it reaches.
 *
 * Pure module (no Node APIs).
 */
import { FARADAY_C_PER_MOL, GAS_CONSTANT_J_PER_MOL_K, arrhenius } from "./sei.js";

/** A porous intercalation electrode of spherical particles, per unit electrode (separator) area. */
export interface PorousElectrode {
  thicknessM: number;
  /** Volume fraction of the active particles. */
  activeVolumeFraction: number;
  /** Electrolyte volume fraction. */
  porosity: number;
  particleRadiusM: number;
  /** Lithium concentration in the fully lithiated host (mol/m^3). */
  maxConcentrationMolPerM3: number;
  /** Stoichiometry window of the host: [x at 0 %, x at 100 %] state of charge for graphite, [y at 100 %, y at 0 %] for an oxide. */
  stoichiometryWindow: readonly [number, number];
  /** Kinetic rate constant m of j0 at 298.15 K, A m^-2 (m^3/mol)^1.5. */
  kineticRateConstant: number;
  /** Activation energy of the exchange current density (J/mol). */
  kineticActivationEnergyJPerMol: number;
}

/** The graphite electrode and electrolyte, per unit electrode (separator) area. */
export interface GraphiteElectrode extends PorousElectrode {
  /** Electrolyte salt concentration (mol/m^3). */
  electrolyteConcentrationMolPerM3: number;
}

/** LG M50 (INR21700-M50) negative electrode, Chen et al. 2020 (doi:10.1149/1945-7111/ab9050). */
export const LG_M50_GRAPHITE: Readonly<GraphiteElectrode> = Object.freeze({
  thicknessM: 85.2e-6,
  activeVolumeFraction: 0.75,
  porosity: 0.25,
  particleRadiusM: 5.86e-6,
  maxConcentrationMolPerM3: 33133,
  stoichiometryWindow: [0.0279, 0.9014] as const,
  electrolyteConcentrationMolPerM3: 1000,
  kineticRateConstant: 6.48e-7,
  kineticActivationEnergyJPerMol: 35000,
});

const REFERENCE_TEMPERATURE_K = 298.15;
/** Depth samples through the electrode for the plating integral (midpoint rule). */
const DEPTH_SAMPLES = 64;
/** Time steps of one constant-current charge (midpoint rule in stoichiometry). */
const CHARGE_STEPS = 200;

/** Graphite open-circuit potential vs Li/Li+ (V) at stoichiometry x (Chen et al. 2020, eq. 9). */
export function graphiteOcpV(x: number): number {
  return (
    1.9793 * Math.exp(-39.3631 * x) +
    0.2482 -
    0.0909 * Math.tanh(29.8538 * (x - 0.1234)) -
    0.04478 * Math.tanh(14.9159 * (x - 0.2769)) -
    0.0205 * Math.tanh(30.4444 * (x - 0.6103))
  );
}

/** Electrolyte conductivity (S/m) of LiPF6 at c (mol/m^3) and T (K), Valøen & Reimers 2005. */
export function electrolyteConductivitySPerM(concentrationMolPerM3: number, temperatureK: number): number {
  const c = concentrationMolPerM3 / 1000; // mol/L
  const t = temperatureK;
  const inner = -10.5 + 0.074 * t - 6.96e-5 * t * t + 0.668 * c - 0.0178 * c * t + 2.8e-5 * c * t * t + 0.494 * c * c - 8.86e-4 * c * c * t;
  return (c * inner * inner) / 10; // mS/cm -> S/m
}

/** Exchange current density (A/m^2 of particle surface) at stoichiometry x and temperature T. */
export function exchangeCurrentDensity(e: GraphiteElectrode, x: number, temperatureK: number): number {
  const m = arrhenius(e.kineticRateConstant, e.kineticActivationEnergyJPerMol, temperatureK, REFERENCE_TEMPERATURE_K);
  const cs = x * e.maxConcentrationMolPerM3;
  return m * Math.sqrt(e.electrolyteConcentrationMolPerM3 * cs * (e.maxConcentrationMolPerM3 - cs));
}

/** Particle surface area per electrode volume, a = 3 eps_s / R (1/m), for spheres. */
export function specificSurfaceArea(e: GraphiteElectrode): number {
  return (3 * e.activeVolumeFraction) / e.particleRadiusM;
}

/** Usable lithium capacity of the electrode (mol per m^2 of electrode) over its window. */
export function usableLithiumPerArea(e: GraphiteElectrode): number {
  return e.maxConcentrationMolPerM3 * e.activeVolumeFraction * e.thicknessM * (e.stoichiometryWindow[1] - e.stoichiometryWindow[0]);
}

/** The state at one instant of a charge. */
export interface PlatingState {
  /** Graphite potential vs Li/Li+ at the separator side (V); < 0 means plating. */
  separatorPotentialV: number;
  /** Plating current per electrode area (A/m^2). */
  platingCurrentAPerM2: number;
  /** Fraction of the thickness, from the separator, where plating happens (0..1). */
  platingDepthFraction: number;
}

/**
 * Plating at one instant: charge current density (A per m^2 of electrode) at stoichiometry x.
 * Allocation-free; writes into `out`.
 */
export function platingAt(e: GraphiteElectrode, currentAPerM2: number, x: number, temperatureK: number, out: PlatingState): PlatingState {
  const a = specificSurfaceArea(e);
  const jMean = currentAPerM2 / (a * e.thicknessM);
  const j0 = exchangeCurrentDensity(e, x, temperatureK);
  const fOver2RT = FARADAY_C_PER_MOL / (2 * GAS_CONSTANT_J_PER_MOL_K * temperatureK);
  const etaMean = Math.asinh(jMean / (2 * j0)) / fOver2RT;
  const slope = 2 * fOver2RT * j0 * Math.cosh(fOver2RT * etaMean); // dj/deta
  const kappaEff = electrolyteConductivitySPerM(e.electrolyteConcentrationMolPerM3, temperatureK) * e.porosity ** 1.5;
  const nu = e.thicknessM * Math.sqrt((a * slope) / kappaEff);
  // nu -> 0 is the uniform limit; nu/sinh(nu) is well behaved there.
  const shape = nu < 1e-8 ? 1 : nu / Math.sinh(nu);
  const u = graphiteOcpV(x);
  const jSeparator = jMean * shape * Math.cosh(nu);
  out.separatorPotentialV = u - Math.asinh(jSeparator / (2 * j0)) / fOver2RT;
  // Intercalation current that keeps phi = 0 (no plating below it).
  const jMax = u > 0 ? 2 * j0 * Math.sinh(fOver2RT * u) : 0;
  let excess = 0;
  let deepest = 0;
  for (let s = 0; s < DEPTH_SAMPLES; s++) {
    const zFrac = (s + 0.5) / DEPTH_SAMPLES;
    const j = nu < 1e-8 ? jMean : jMean * shape * Math.cosh(nu * (1 - zFrac));
    if (j > jMax) {
      excess += j - jMax;
      deepest = (s + 1) / DEPTH_SAMPLES;
    }
  }
  out.platingCurrentAPerM2 = (excess / DEPTH_SAMPLES) * a * e.thicknessM;
  out.platingDepthFraction = deepest;
  return out;
}

/** Plating over a whole charge. */
export interface ChargePlating {
  /** Plated lithium (mol per m^2 of electrode). */
  platedMolPerM2: number;
  /** Lowest separator-side potential during the charge (V vs Li/Li+). */
  minSeparatorPotentialV: number;
  /** Stoichiometry x at which plating began (NaN if it did not). */
  onsetStoichiometry: number;
  /** Deepest reach of plating (fraction of thickness from the separator). */
  maxDepthFraction: number;
}

/**
 * A charge as a sequence of steps: the current (A per m^2 of electrode) and the graphite
 * stoichiometry x at the middle of each step, and its duration. chargeProfile.ts builds the
 * CC-CV ones; constantCurrentProfile below the full-depth CC one.
 */
export interface CurrentProfile {
  readonly steps: number;
  readonly currentAPerM2: ArrayLike<number>;
  readonly negativeStoichiometry: ArrayLike<number>;
  readonly durationS: ArrayLike<number>;
}

/**
 * Integrate plating over a charge given as a current profile: at each step the excess of the
 * local current over j_max plates (platingAt), times the step's duration (midpoint rule).
 */
export function platingDuringProfile(e: GraphiteElectrode, profile: CurrentProfile, temperatureK: number): ChargePlating {
  if (!(temperatureK > 0)) throw new RangeError(`platingDuringProfile: expected a temperature in kelvin > 0, got ${temperatureK}`);
  const state: PlatingState = { separatorPotentialV: 0, platingCurrentAPerM2: 0, platingDepthFraction: 0 };
  let charge = 0;
  let minPhi = Infinity;
  let onset = NaN;
  let depth = 0;
  for (let s = 0; s < profile.steps; s++) {
    const current = profile.currentAPerM2[s]!;
    if (!(current >= 0)) throw new RangeError(`platingDuringProfile: step ${s}: expected a charge current >= 0 A/m^2, got ${current}`);
    const x = profile.negativeStoichiometry[s]!;
    platingAt(e, current, x, temperatureK, state);
    if (state.separatorPotentialV < minPhi) minPhi = state.separatorPotentialV;
    if (state.platingCurrentAPerM2 > 0) {
      if (Number.isNaN(onset)) onset = x;
      charge += state.platingCurrentAPerM2 * profile.durationS[s]!;
      if (state.platingDepthFraction > depth) depth = state.platingDepthFraction;
    }
  }
  return { platedMolPerM2: charge / FARADAY_C_PER_MOL, minSeparatorPotentialV: minPhi, onsetStoichiometry: onset, maxDepthFraction: depth };
}

/**
 * The full-depth constant-current charge at `cRate` from x0 to x100 as a profile of
 * CHARGE_STEPS equal steps. The charge current is cRate times the electrode's usable capacity
 * per hour.
 */
export function constantCurrentProfile(e: GraphiteElectrode, cRate: number): CurrentProfile {
  if (!(cRate > 0) || !Number.isFinite(cRate)) throw new RangeError(`platingDuringCharge: expected a positive C-rate, got ${cRate}`);
  const [x0, x1] = e.stoichiometryWindow;
  if (!(x0 >= 0 && x0 < x1 && x1 <= 1)) throw new RangeError(`graphite stoichiometryWindow: expected 0 <= x0 < x100 <= 1, got [${x0}, ${x1}]`);
  const current = (usableLithiumPerArea(e) * FARADAY_C_PER_MOL * cRate) / 3600;
  const currentAPerM2 = new Float64Array(CHARGE_STEPS).fill(current);
  const durationS = new Float64Array(CHARGE_STEPS).fill(3600 / cRate / CHARGE_STEPS);
  const negativeStoichiometry = new Float64Array(CHARGE_STEPS);
  for (let s = 0; s < CHARGE_STEPS; s++) negativeStoichiometry[s] = x0 + ((s + 0.5) / CHARGE_STEPS) * (x1 - x0);
  return { steps: CHARGE_STEPS, currentAPerM2, negativeStoichiometry, durationS };
}

/**
 * Plating over a full-depth constant-current charge at `cRate` (no CV step): the worst case
 * of a charge at that rate, kept as the reference the CC-CV charge (chargeProfile.ts) is
 * compared with.
 */
export function platingDuringCharge(e: GraphiteElectrode, cRate: number, temperatureK: number): ChargePlating {
  if (!(temperatureK > 0)) throw new RangeError(`platingDuringCharge: expected a temperature in kelvin > 0, got ${temperatureK}`);
  return platingDuringProfile(e, constantCurrentProfile(e, cRate), temperatureK);
}
