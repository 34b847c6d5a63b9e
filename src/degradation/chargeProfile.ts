/**
 * A constant-current / constant-voltage (CC-CV) charge of a graphite | oxide cell from the
 * discharged state (s = 0), as a current profile.
 *
 * CC: the current is the charge rate times the nominal capacity per hour until the terminal
 * voltage (cellVoltage.ts) reaches the upper cut-off; the step that crosses it is cut at the
 * crossing (bisection in s). CV: the voltage is held at the cut-off, so at each step the
 * current solves V(I, s) = V_max (currentAtVoltage); it falls as the OCV rises. The charge
 * ends when the CV current drops below the cut-off current (e.g. C/20) or the window is full
 * (s = 1). Explicit midpoint steps in time: the current of a CV step is solved at the
 * predicted mid-step state of charge.
 *
 * The state of charge advances with the whole current (intercalation plus any plating: the
 * plated share is a few % at most at the rates where it happens, and is booked separately by
 * the ageing loop).
 *
 * Pure module (no Node APIs).
 */
import { cellVoltageV, currentAtVoltage, negativeStoichiometry, type CellStack } from "./cellVoltage.js";
import { usableLithiumPerArea, type CurrentProfile } from "./plating.js";
import { FARADAY_C_PER_MOL } from "./sei.js";

export interface CcCvOptions {
  /** Charge C-rate of the CC phase (1C charges the nominal capacity in an hour). */
  cRate: number;
  /** Upper cut-off voltage held in the CV phase (V). */
  upperVoltageV: number;
  /** C-rate below which the CV phase ends (e.g. 1/20). */
  cutoffCRate: number;
  temperatureK: number;
  /** Steps per nominal CC charge at cRate (time step 3600 / (cRate stepsPerCharge)); default 400. */
  stepsPerCharge?: number;
}

/** A CC-CV charge, step by step (midpoint values), plus its totals. */
export interface CcCvProfile extends CurrentProfile {
  readonly currentAPerM2: Float64Array;
  readonly negativeStoichiometry: Float64Array;
  readonly durationS: Float64Array;
  /** Mid-step state of charge (fraction of the full-depth window). */
  readonly stateOfCharge: Float64Array;
  /** Terminal voltage at the mid-step current and state of charge (V). */
  readonly voltageV: Float64Array;
  /** 0 = constant current, 1 = constant voltage. */
  readonly phase: Uint8Array;
  /** Nominal capacity per electrode area (C/m^2): the charge of 1 h at 1C. */
  readonly nominalChargeCPerM2: number;
  /** The CC current (A/m^2). */
  readonly constantCurrentAPerM2: number;
  /** State of charge at the end of the CC phase and at the end of the charge. */
  readonly cvStartStateOfCharge: number;
  readonly finalStateOfCharge: number;
  /** Charge passed / nominal capacity (= finalStateOfCharge, as the charge starts at 0). */
  readonly chargedFraction: number;
  /** Duration of the CC phase and of the whole charge (s). */
  readonly constantCurrentTimeS: number;
  readonly totalTimeS: number;
}

/** Upper bound on steps: a CV phase longer than this many CC-charge time steps means a bad input. */
const MAX_STEPS = 200000;
/** Bisection steps to place the CC -> CV switch. */
const SWITCH_BISECTION_STEPS = 50;

/** CC-CV charge of `cell` from the discharged state. */
export function ccCvCharge(cell: CellStack, options: CcCvOptions): CcCvProfile {
  const { cRate, upperVoltageV, cutoffCRate, temperatureK } = options;
  const stepsPerCharge = options.stepsPerCharge ?? 400;
  if (!(cRate > 0 && Number.isFinite(cRate))) throw new RangeError(`ccCvCharge.cRate: expected a positive C-rate, got ${cRate}`);
  if (!(cutoffCRate > 0 && Number.isFinite(cutoffCRate))) throw new RangeError(`ccCvCharge.cutoffCRate: expected a positive C-rate, got ${cutoffCRate}`);
  if (!(upperVoltageV > 0 && upperVoltageV <= 5.5)) throw new RangeError(`ccCvCharge.upperVoltageV: expected a cut-off in (0, 5.5] V, got ${upperVoltageV}`);
  if (!(temperatureK > 0)) throw new RangeError(`ccCvCharge.temperatureK: expected kelvin > 0, got ${temperatureK}`);
  if (!(Number.isInteger(stepsPerCharge) && stepsPerCharge >= 10)) throw new RangeError(`ccCvCharge.stepsPerCharge: expected an integer >= 10, got ${stepsPerCharge}`);

  const nominal = usableLithiumPerArea(cell.negative) * FARADAY_C_PER_MOL;
  const iCc = (nominal * cRate) / 3600;
  const iCut = (nominal * cutoffCRate) / 3600;
  const dt = 3600 / (cRate * stepsPerCharge);
  const current: number[] = [];
  const soc: number[] = [];
  const duration: number[] = [];
  const voltage: number[] = [];
  const phase: number[] = [];
  const push = (i: number, sMid: number, t: number, p: number): void => {
    current.push(i);
    soc.push(sMid);
    duration.push(t);
    voltage.push(cellVoltageV(cell, i, sMid, temperatureK));
    phase.push(p);
  };

  let s = 0;
  let time = 0;
  // CC phase.
  while (s < 1 && current.length < MAX_STEPS) {
    let ds = (iCc * dt) / nominal;
    let end = Math.min(1, s + ds);
    if (cellVoltageV(cell, iCc, end, temperatureK) >= upperVoltageV) {
      // Cut the step where V(I_cc, s) crosses the cut-off (V rises with s).
      if (cellVoltageV(cell, iCc, s, temperatureK) >= upperVoltageV) break;
      let lo = s;
      let hi = end;
      for (let k = 0; k < SWITCH_BISECTION_STEPS; k++) {
        const mid = 0.5 * (lo + hi);
        if (cellVoltageV(cell, iCc, mid, temperatureK) < upperVoltageV) lo = mid;
        else hi = mid;
      }
      end = lo;
      ds = end - s;
      if (ds > 0) push(iCc, s + 0.5 * ds, (ds * nominal) / iCc, 0);
      time += (ds * nominal) / iCc;
      s = end;
      break;
    }
    ds = end - s;
    push(iCc, s + 0.5 * ds, (ds * nominal) / iCc, 0);
    time += (ds * nominal) / iCc;
    s = end;
  }
  const cvStart = s;
  const ccTime = time;
  // CV phase: hold V = V_max while the current is above the cut-off.
  while (s < 1 && current.length < MAX_STEPS) {
    const iStart = currentAtVoltage(cell, upperVoltageV, s, temperatureK, iCc);
    if (iStart <= iCut) break;
    const sMid = Math.min(1, s + (0.5 * iStart * dt) / nominal);
    const iMid = currentAtVoltage(cell, upperVoltageV, sMid, temperatureK, iCc);
    let step = dt;
    if (s + (iMid * step) / nominal > 1) step = ((1 - s) * nominal) / iMid;
    push(iMid, sMid, step, 1);
    s = Math.min(1, s + (iMid * step) / nominal);
    time += step;
  }
  if (current.length >= MAX_STEPS) throw new RangeError(`ccCvCharge: more than ${MAX_STEPS} steps; cutoffCRate ${cutoffCRate} is too small for the cell to reach`);

  const stateOfCharge = Float64Array.from(soc);
  const negX = new Float64Array(stateOfCharge.length);
  for (let k = 0; k < negX.length; k++) negX[k] = negativeStoichiometry(cell, stateOfCharge[k]!);
  return {
    steps: current.length,
    currentAPerM2: Float64Array.from(current),
    negativeStoichiometry: negX,
    durationS: Float64Array.from(duration),
    stateOfCharge,
    voltageV: Float64Array.from(voltage),
    phase: Uint8Array.from(phase),
    nominalChargeCPerM2: nominal,
    constantCurrentAPerM2: iCc,
    cvStartStateOfCharge: cvStart,
    finalStateOfCharge: s,
    chargedFraction: s,
    constantCurrentTimeS: ccTime,
    totalTimeS: time,
  };
}

/**
 * A charge's current relative to its CC current, on at most `maxSteps` steps: runs of
 * consecutive steps merge into one whose duration is their sum and whose current is their
 * duration-weighted mean, so the charge passed is kept exactly. For models that need the
 * shape of the charge but not the cell model's fine steps (e.g. particle diffusion in
 * stateOfCharge.ts, whose default is 200 steps per charge).
 */
export function relativeCurrentSteps(profile: CcCvProfile, maxSteps: number): { durationS: Float64Array; currentFraction: Float64Array } {
  if (!(Number.isInteger(maxSteps) && maxSteps >= 1)) throw new RangeError(`relativeCurrentSteps.maxSteps: expected an integer >= 1, got ${maxSteps}`);
  const n = profile.durationS.length;
  const per = Math.ceil(n / maxSteps);
  const m = Math.ceil(n / per);
  const durationS = new Float64Array(m);
  const currentFraction = new Float64Array(m);
  const iCc = profile.constantCurrentAPerM2;
  for (let k = 0; k < m; k++) {
    let t = 0, q = 0;
    for (let s = k * per; s < Math.min(n, (k + 1) * per); s++) {
      t += profile.durationS[s]!;
      q += profile.durationS[s]! * profile.currentAPerM2[s]!;
    }
    durationS[k] = t;
    currentFraction[k] = q / (t * iCc);
  }
  return { durationS, currentFraction };
}
