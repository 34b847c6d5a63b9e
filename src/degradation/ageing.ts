/**
 * Cycle-by-cycle ageing of a graphite | layered-oxide cell under a cycling protocol: SEI growth
 * (sei.ts), lithium plating (plating.ts), cathode surface reconstruction (cathodeSurface.ts),
 * with all lithium booked in inventory.ts, and hooks for particle cracking and internal
 * shorts supplied by other models.
 *
 * One cycle = CC-CV charge (CC at the charge rate to the upper cut-off voltage, then CV at the
 * cut-off until the current falls below the protocol's cut-off current; chargeProfile.ts),
 * then a CC discharge of the same charge at the discharge rate:
 * 1. charge: lithium plates wherever the actual current at each step of the CC-CV profile
 *    exceeds what the graphite takes at 0 V vs Li/Li+ (cyclable -> platedReversible);
 * 2. SEI grows over the cycle's duration (CC-CV charge time + discharge time; cyclable -> sei);
 * 3. discharge: a fraction of the plated metal is stranded as dead lithium
 *    (platedReversible -> platedDead), the rest strips back (-> cyclable);
 * 4. cathode: the rock-salt shell thickens (inactive, lithium-free: loss of active material
 *    without lithium loss); particles that a hook reports as isolated take their lithium
 *    (cyclable -> isolated), counted in the discharged state where the cyclable lithium is in
 *    the cathode;
 * 5. transition metal dissolved from the cathode deposits on the graphite, and the deposit
 *    catalyses electrolyte reduction there (J. A. Gilbert, I. A. Shkrob, D. P. Abraham,
 *    J. Electrochem. Soc. 164 (2017) A389, doi:10.1149/2.1111702jes): each deposited atom binds
 *    cell.tmCatalysedSeiLiPerAtomPerCycle lithium per cycle into the SEI (cyclable -> sei), a
 *    catalytic turnover on top of the solvent-diffusion-limited growth of step 2.
 * Capacity: the charge a cycle passes is chargedFraction (the CC-CV charge's end state of
 * charge, < 1) times min(cyclable lithium, remaining cathode host capacity, anode host
 * capacity); chargeCapacityFraction is that over the nominal (full-window) capacity and
 * capacityFraction the same over the fresh cell's CC-CV charge (capacity retention, 1 at
 * cycle 0). The electrode windows are fixed, so chargedFraction is the same every cycle.
 *
 * Deterministic for a seed: the seed draws this cell's SEI rate from a log-normal cell-to-cell
 * spread (cell.seiRateSpread; 0 gives the nominal cell exactly).
 *
 * Pure module (no Node APIs).
 */
import { createRandom, gaussian } from "../core/random.js";
import { NMC_SURFACE_PARAMETERS, dissolutionPerCycle, rockSaltThicknessM, shellVolumeFraction, type CathodeSurfaceParameters } from "./cathodeSurface.js";
import { createInventory, transferLithium, type LithiumInventory } from "./inventory.js";
import { LG_M50_SEPARATOR, type OxideElectrode, type Separator } from "./cellVoltage.js";
import { ccCvCharge, type CcCvProfile } from "./chargeProfile.js";
import { LG_M50_GRAPHITE, platingDuringProfile, specificSurfaceArea, usableLithiumPerArea, type ChargePlating, type GraphiteElectrode } from "./plating.js";
import type { CyclingProtocol } from "./protocol.js";
import { SEI_LEDC_PARAMETERS, seiGrowthConstant, seiLithiumPerSurfaceArea, seiThicknessAfter, type SeiParameters } from "./sei.js";

export type { OxideElectrode, Separator } from "./cellVoltage.js";

/** A cell design and the parameters of its ageing mechanisms. */
export interface CellDesign {
  negative: GraphiteElectrode;
  positive: OxideElectrode;
  separator: Separator;
  sei: SeiParameters;
  cathodeSurface: CathodeSurfaceParameters;
  /** Fraction of the lithium plated in a charge that is stranded as dead lithium. */
  deadLithiumFraction: number;
  /** Relative standard deviation of the SEI rate between cells (log-normal). */
  seiRateSpread: number;
  /**
   * Lithium bound in SEI per transition-metal atom on the anode per cycle (catalytic turnover of
   * the deposit). 0 or absent: dissolution does not feed the SEI.
   */
  tmCatalysedSeiLiPerAtomPerCycle?: number;
}

/**
 * LG M50 positive electrode (NMC811), Chen et al. 2020 (doi:10.1149/1945-7111/ab9050):
 * geometry, porosity and the exchange-current rate constant m = 3.42e-6 A m^-2 (m^3/mol)^1.5
 * with Ea = 17.8 kJ/mol.
 */
export const LG_M50_NMC811: Readonly<OxideElectrode> = Object.freeze({
  thicknessM: 75.6e-6,
  activeVolumeFraction: 0.665,
  particleRadiusM: 5.22e-6,
  maxConcentrationMolPerM3: 63104,
  stoichiometryWindow: [0.2661, 0.9084] as const,
  porosity: 0.335,
  kineticRateConstant: 3.42e-6,
  kineticActivationEnergyJPerMol: 17800,
});

/**
 * The LG M50 cell of Chen et al. 2020 with the ageing parameters of this module set.
 * deadLithiumFraction = 0.1: one minus a Coulombic efficiency of ~90 % for lithium-metal
 * plating/stripping in LiPF6/carbonate electrolytes (B. D. Adams et al., Adv. Energy Mater. 8
 * (2018) 1702097, doi:10.1002/aenm.201702097) [unverified: metal on copper, not on graphite].
 * seiRateSpread = 0.05 is a placeholder for cell-to-cell spread [unverified].
 * tmCatalysedSeiLiPerAtomPerCycle = 0.01 [unverified placeholder: no turnover number could be
 * read in Gilbert et al. 2017]: an atom deposited early in a 1000-cycle life binds ~10 Li. With
 * the deposit growing linearly in cycles the bound lithium grows as N^2; 0.1 would put ~400 nm
 * of catalysed SEI on the graphite after 5000 cycles at 1C, eight times the diffusion-limited
 * layer, so the smaller value was taken (not fitted to any fade curve).
 */
export const LG_M50_CELL: Readonly<CellDesign> = Object.freeze({
  negative: LG_M50_GRAPHITE,
  positive: LG_M50_NMC811,
  separator: LG_M50_SEPARATOR,
  sei: SEI_LEDC_PARAMETERS,
  cathodeSurface: NMC_SURFACE_PARAMETERS,
  deadLithiumFraction: 0.1,
  seiRateSpread: 0.05,
  tmCatalysedSeiLiPerAtomPerCycle: 0.01,
});

/** Models of other mechanisms that plug into the cycle loop. */
export interface AgeingHooks {
  /** Crack volume fraction of the cathode particles after `cycle` (cumulative). */
  crackVolumeFraction?(cycle: number, cRate: number, temperatureK: number): number;
  /** Fraction of the cathode active material electrically isolated after `cycle` (cumulative). */
  isolatedActiveFraction?(cycle: number, cRate: number, temperatureK: number): number;
  /** Whether the cell has an internal short after `cycle` (e.g. from plated lithium). */
  internalShort?(cycle: number, platedLiVolumeFraction: number): boolean;
}

/** The state of the cell after a cycle (cycle 0 = fresh, before cycling). */
export interface DegradationRecord {
  cycle: number;
  capacityFraction: number;
  /** Charge passed in this cycle's CC-CV charge / nominal (full-window) capacity of the fresh cell. */
  chargeCapacityFraction: number;
  /** Loss of lithium inventory / initial cyclable lithium. */
  lliFraction: number;
  /** Loss of active cathode material (fraction of the initial). */
  lamFraction: number;
  seiThicknessM: number;
  /** Volume of plated lithium metal left after the discharge / anode electrode volume. */
  platedLiVolumeFraction: number;
  crackVolumeFraction: number;
  rockSaltThicknessM: number;
  internalShort: boolean;
  /** Transition metal dissolved and deposited on the anode (mol per m^2 of electrode), cumulative. */
  transitionMetalOnAnodeMolPerM2: number;
  /** The lithium pools (mol per m^2 of electrode). */
  inventory: Readonly<LithiumInventory>;
}

/** Molar volume of lithium metal: 6.941e-3 kg/mol / 534 kg/m^3 (CRC Handbook). */
export const LITHIUM_MOLAR_VOLUME_M3_PER_MOL = 6.941e-3 / 534;

function checkFraction(value: number, what: string, cycle: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new RangeError(`${what} at cycle ${cycle}: expected a fraction in [0, 1], got ${value}`);
  return value;
}

/** The charge and the timing of one cycle of a protocol. */
export interface CycleCharge {
  /** The CC-CV charge, step by step. */
  profile: CcCvProfile;
  /** Plating integrated over that charge with its actual current. */
  plating: ChargePlating;
  /** CC-CV charge time, discharge time of the same charge at the discharge rate, and their sum (s). */
  chargeTimeS: number;
  dischargeTimeS: number;
  cycleTimeS: number;
}

/**
 * The CC-CV charge of `cell` under `protocol` (upper cut-off = the protocol's window top,
 * cut-off current = its cvCutoffCRate) and the plating it causes. The same every cycle:
 * the electrode windows do not move with ageing.
 */
export function cycleCharge(protocol: CyclingProtocol, cell: CellDesign): CycleCharge {
  const T = protocol.temperatureK;
  const profile = ccCvCharge(cell, { cRate: protocol.chargeCRate, upperVoltageV: protocol.voltageWindowV[1], cutoffCRate: protocol.cvCutoffCRate, temperatureK: T });
  const plating = platingDuringProfile(cell.negative, profile, T);
  // The discharge returns the charge passed, at constant current.
  const dischargeTimeS = (profile.chargedFraction * 3600) / protocol.dischargeCRate;
  return { profile, plating, chargeTimeS: profile.totalTimeS, dischargeTimeS, cycleTimeS: profile.totalTimeS + dischargeTimeS };
}

/** Simulate `protocol.cycles` cycles; returns cycles + 1 records (cycle 0 is the fresh cell). */
export function simulateAgeing(protocol: CyclingProtocol, cell: CellDesign, seed: number | string, hooks: AgeingHooks = {}): DegradationRecord[] {
  if (!(cell.deadLithiumFraction >= 0 && cell.deadLithiumFraction <= 1)) {
    throw new RangeError(`cell.deadLithiumFraction: expected a fraction in [0, 1], got ${cell.deadLithiumFraction}`);
  }
  if (!(cell.seiRateSpread >= 0)) throw new RangeError(`cell.seiRateSpread: expected >= 0, got ${cell.seiRateSpread}`);
  const turnover = cell.tmCatalysedSeiLiPerAtomPerCycle ?? 0;
  if (!(turnover >= 0 && Number.isFinite(turnover))) {
    throw new RangeError(`cell.tmCatalysedSeiLiPerAtomPerCycle: expected a number >= 0 (Li per TM atom per cycle), got ${cell.tmCatalysedSeiLiPerAtomPerCycle}`);
  }
  const neg = cell.negative;
  const pos = cell.positive;
  const T = protocol.temperatureK;
  const upperV = protocol.voltageWindowV[1];

  const negHost = usableLithiumPerArea(neg);
  const posHost = pos.maxConcentrationMolPerM3 * pos.activeVolumeFraction * pos.thicknessM * (pos.stoichiometryWindow[1] - pos.stoichiometryWindow[0]);
  const initial = Math.min(negHost, posHost);
  const inv = createInventory(initial);

  const graphiteAreaPerArea = specificSurfaceArea(neg) * neg.thicknessM;
  const cathodeAreaPerArea = ((3 * pos.activeVolumeFraction) / pos.particleRadiusM) * pos.thicknessM;
  const rng = createRandom(seed);
  const spread = Math.exp(cell.seiRateSpread * gaussian(rng) - 0.5 * cell.seiRateSpread * cell.seiRateSpread);
  const k = seiGrowthConstant(cell.sei, T) * spread;
  const charge = cycleCharge(protocol, cell);
  const plating = charge.plating;
  const chargedFraction = charge.profile.chargedFraction;
  const tmPerCycle = dissolutionPerCycle(cell.cathodeSurface, upperV) * cathodeAreaPerArea;

  const records: DegradationRecord[] = [];
  let sei = cell.sei.initialThicknessM;
  // SEI grown by the deposit's catalysis, kept apart from the diffusion-limited layer whose
  // closed form sqrt(L0^2 + 2 k t) is evaluated from `sei`.
  let seiCatalysed = 0;
  let isolated = 0;
  let tm = 0;
  const record = (cycle: number, rockSalt: number, crack: number, lam: number): void => {
    const hostLeft = posHost * (1 - lam);
    const platedVolFrac = ((inv.platedDead + inv.platedReversible) * LITHIUM_MOLAR_VOLUME_M3_PER_MOL) / neg.thicknessM;
    const short = hooks.internalShort?.(cycle, platedVolFrac) ?? false;
    records.push({
      cycle,
      capacityFraction: Math.min(inv.cyclable, hostLeft, negHost) / initial,
      chargeCapacityFraction: (chargedFraction * Math.min(inv.cyclable, hostLeft, negHost)) / initial,
      lliFraction: (initial - inv.cyclable) / initial,
      lamFraction: lam,
      seiThicknessM: seiCatalysed === 0 ? sei : sei + seiCatalysed,
      platedLiVolumeFraction: platedVolFrac,
      crackVolumeFraction: crack,
      rockSaltThicknessM: rockSalt,
      internalShort: short,
      transitionMetalOnAnodeMolPerM2: tm,
      inventory: { ...inv },
    });
  };
  record(0, 0, 0, 0);
  for (let n = 1; n <= protocol.cycles; n++) {
    transferLithium(inv, "cyclable", "platedReversible", plating.platedMolPerM2);
    const seiNext = seiThicknessAfter(cell.sei.initialThicknessM, k, n * charge.cycleTimeS);
    transferLithium(inv, "cyclable", "sei", seiLithiumPerSurfaceArea(seiNext - sei, cell.sei) * graphiteAreaPerArea);
    sei = seiNext;
    transferLithium(inv, "platedReversible", "platedDead", inv.platedReversible * cell.deadLithiumFraction);
    transferLithium(inv, "platedReversible", "cyclable", inv.platedReversible);

    const rockSalt = rockSaltThicknessM(cell.cathodeSurface, n, upperV);
    const isolatedNow = hooks.isolatedActiveFraction === undefined ? 0 : checkFraction(hooks.isolatedActiveFraction(n, protocol.chargeCRate, T), "isolatedActiveFraction", n);
    if (isolatedNow > isolated) {
      // The cyclable lithium sits in the cathode's connected particles after discharge;
      // isolating a part d of what was still connected strands the same part of it.
      transferLithium(inv, "cyclable", "isolated", (inv.cyclable * (isolatedNow - isolated)) / (1 - isolated));
      isolated = isolatedNow;
    }
    const crack = hooks.crackVolumeFraction === undefined ? 0 : checkFraction(hooks.crackVolumeFraction(n, protocol.chargeCRate, T), "crackVolumeFraction", n);
    const lam = 1 - (1 - shellVolumeFraction(rockSalt, pos.particleRadiusM)) * (1 - isolated);
    tm += tmPerCycle;
    if (turnover > 0) {
      // The metal on the anode after this cycle's dissolution catalyses through the cycle.
      const bound = transferLithium(inv, "cyclable", "sei", turnover * tm);
      seiCatalysed += (bound / graphiteAreaPerArea) * (cell.sei.seiMolarVolumeM3PerMol / cell.sei.lithiumPerSei);
    }
    record(n, rockSalt, crack, lam);
  }
  return records;
}
