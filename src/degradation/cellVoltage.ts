/**
 * Terminal voltage of a graphite | layered-oxide cell at a current and state of charge, the
 * quantity that ends the constant-current phase of a CC-CV charge and sets the current of its
 * constant-voltage phase (chargeProfile.ts).
 *
 *   V(I, s) = U_pos(y) - U_neg(x) + eta_pos(I) + eta_neg(I) + I R_ohm
 *
 * with I the charge current per electrode area (A/m^2; negative = discharge) and s the state
 * of charge as a fraction of the full-depth window, x = x0 + s (x100 - x0) in the graphite and
 * y = y0 - s (y0 - y100) in the oxide (the windows of Chen et al. 2020 are tied together by s).
 *
 * - U_neg: graphite OCP (plating.ts); U_pos: NMC811 OCP fit of C.-H. Chen et al.,
 *   J. Electrochem. Soc. 167 (2020) 080534, doi:10.1149/1945-7111/ab9050 (the fit PyBaMM
 *   ships as nmc_LGM50_ocp_Chen2020).
 * - eta: symmetric Butler-Volmer for a uniform reaction in each electrode,
 *   eta = (2RT/F) asinh(j / 2 j0), j = I / (a L) per particle area, j0 = m c_e^0.5 c_s^0.5
 *   (c_max - c_s)^0.5 with m Arrhenius in T (Chen 2020: m_pos = 3.42e-6 A m^-2 (m^3/mol)^1.5,
 *   Ea = 17.8 kJ/mol; m_neg = 6.48e-7, Ea = 35 kJ/mol). Particle surface = particle average
 *   (no solid diffusion polarisation).
 * - R_ohm: ionic resistance of the electrolyte, L_sep / (kappa eps_sep^1.5) across the
 *   separator and L / (3 kappa eps^1.5) across each porous electrode, the effective resistance
 *   of an electrode with a uniform reaction distribution and a well-conducting solid
 *   (J. Newman, K. E. Thomas-Alyea, Electrochemical Systems, 3rd ed., Wiley 2004, ch. 22);
 *   kappa(c, T) of Valøen & Reimers 2005 (plating.ts).
 *
 * Pure module (no Node APIs). Allocation-free.
 */
import { electrolyteConductivitySPerM, exchangeCurrentDensity, graphiteOcpV, type GraphiteElectrode, type PorousElectrode } from "./plating.js";
import { FARADAY_C_PER_MOL, GAS_CONSTANT_J_PER_MOL_K, arrhenius } from "./sei.js";

/** Layered-oxide positive electrode, per unit electrode area (stoichiometry window: y in Li_yMO2 at 100 % and 0 % state of charge). */
export type OxideElectrode = PorousElectrode;

/** The porous separator between the electrodes. */
export interface Separator {
  thicknessM: number;
  porosity: number;
}

/** What the voltage model needs of a cell. */
export interface CellStack {
  negative: GraphiteElectrode;
  positive: OxideElectrode;
  separator: Separator;
}

/** LG M50 separator, Chen et al. 2020: 12 um, porosity 0.47. */
export const LG_M50_SEPARATOR: Readonly<Separator> = Object.freeze({ thicknessM: 12e-6, porosity: 0.47 });

const REFERENCE_TEMPERATURE_K = 298.15;
/** Bisection steps for the CV current: 2^-60 of the bracket is far below any current of interest. */
const BISECTION_STEPS = 60;

/** NMC811 open-circuit potential vs Li/Li+ (V) at stoichiometry y (Chen et al. 2020). */
export function nmc811OcpV(y: number): number {
  return -0.809 * y + 4.4875 - 0.0428 * Math.tanh(18.5138 * (y - 0.5542)) - 17.7326 * Math.tanh(15.789 * (y - 0.3117)) + 17.5842 * Math.tanh(15.9308 * (y - 0.312));
}

/** Exchange current density of the oxide (A/m^2 of particle surface) at stoichiometry y. */
export function oxideExchangeCurrentDensity(p: OxideElectrode, y: number, electrolyteMolPerM3: number, temperatureK: number): number {
  const m = arrhenius(p.kineticRateConstant, p.kineticActivationEnergyJPerMol, temperatureK, REFERENCE_TEMPERATURE_K);
  const cs = y * p.maxConcentrationMolPerM3;
  return m * Math.sqrt(electrolyteMolPerM3 * cs * (p.maxConcentrationMolPerM3 - cs));
}

/**
 * Electrolyte (ionic) resistance of the stack, ohm m^2: separator L/(kappa eps^1.5) plus
 * L/(3 kappa eps^1.5) for each electrode (uniform reaction, Bruggeman exponent 1.5).
 */
export function electrolyteResistanceOhmM2(cell: CellStack, temperatureK: number): number {
  const kappa = electrolyteConductivitySPerM(cell.negative.electrolyteConcentrationMolPerM3, temperatureK);
  const sep = cell.separator.thicknessM / (kappa * cell.separator.porosity ** 1.5);
  const neg = cell.negative.thicknessM / (3 * kappa * cell.negative.porosity ** 1.5);
  const pos = cell.positive.thicknessM / (3 * kappa * cell.positive.porosity ** 1.5);
  return sep + neg + pos;
}

/** Graphite stoichiometry at state of charge s (fraction of the full-depth window). */
export function negativeStoichiometry(cell: CellStack, soc: number): number {
  const [x0, x1] = cell.negative.stoichiometryWindow;
  return x0 + soc * (x1 - x0);
}

/** Oxide stoichiometry at state of charge s. */
export function positiveStoichiometry(cell: CellStack, soc: number): number {
  const [y100, y0] = cell.positive.stoichiometryWindow;
  return y0 - soc * (y0 - y100);
}

/** Open-circuit voltage U_pos(y) - U_neg(x) at state of charge s. */
export function openCircuitVoltageV(cell: CellStack, soc: number): number {
  return nmc811OcpV(positiveStoichiometry(cell, soc)) - graphiteOcpV(negativeStoichiometry(cell, soc));
}

/**
 * Terminal voltage at charge current I (A per m^2 of electrode, > 0 charging) and state of
 * charge s. The kinetic overpotentials and the ohmic drop add to the OCV on charge and
 * subtract on discharge (asinh is odd).
 */
export function cellVoltageV(cell: CellStack, currentAPerM2: number, soc: number, temperatureK: number): number {
  const neg = cell.negative;
  const pos = cell.positive;
  const x = negativeStoichiometry(cell, soc);
  const y = positiveStoichiometry(cell, soc);
  const ce = neg.electrolyteConcentrationMolPerM3;
  const twoRTOverF = (2 * GAS_CONSTANT_J_PER_MOL_K * temperatureK) / FARADAY_C_PER_MOL;
  const jNeg = currentAPerM2 / (((3 * neg.activeVolumeFraction) / neg.particleRadiusM) * neg.thicknessM);
  const jPos = currentAPerM2 / (((3 * pos.activeVolumeFraction) / pos.particleRadiusM) * pos.thicknessM);
  const etaNeg = twoRTOverF * Math.asinh(jNeg / (2 * exchangeCurrentDensity(neg, x, temperatureK)));
  const etaPos = twoRTOverF * Math.asinh(jPos / (2 * oxideExchangeCurrentDensity(pos, y, ce, temperatureK)));
  return nmc811OcpV(y) - graphiteOcpV(x) + etaNeg + etaPos + currentAPerM2 * electrolyteResistanceOhmM2(cell, temperatureK);
}

/**
 * The charge current at which the terminal voltage equals `voltageV` at state of charge s:
 * the current of a constant-voltage step. V rises monotonically with I (every term does), so
 * bisection on [0, maxCurrent] converges; returns 0 if the OCV is already at or above
 * `voltageV`, and maxCurrent if even that current stays below it.
 */
export function currentAtVoltage(cell: CellStack, voltageV: number, soc: number, temperatureK: number, maxCurrentAPerM2: number): number {
  if (cellVoltageV(cell, 0, soc, temperatureK) >= voltageV) return 0;
  if (cellVoltageV(cell, maxCurrentAPerM2, soc, temperatureK) <= voltageV) return maxCurrentAPerM2;
  let lo = 0;
  let hi = maxCurrentAPerM2;
  for (let k = 0; k < BISECTION_STEPS; k++) {
    const mid = 0.5 * (lo + hi);
    if (cellVoltageV(cell, mid, soc, temperatureK) < voltageV) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
