/**
 * A cycling protocol for an ageing study, parsed and checked, in SI.
 *
 * Rates are C-rates: 1C is the current that (dis)charges the nominal capacity in one hour,
 * so a constant-current half-cycle at full depth lasts 3600 / C-rate seconds. Text such as
 * "4C", "1C", "C/3", "0.5C" or "2C/3" is accepted, and a bare positive number is taken as a
 * C-rate. The charge is CC-CV: constant current at the charge rate up to the upper cut-off
 * voltage, then constant voltage until the current falls below `cvCutoffRate` (default C/20);
 * the ageing loop (ageing.ts, chargeProfile.ts) computes its duration from the cell's voltage
 * model. No rests.
 *
 * Pure module (no Node APIs).
 */

/** Seconds in one hour: the definition of a C-rate. */
export const SECONDS_PER_HOUR = 3600;

/** A protocol as written by a user (rates as text or numbers). */
export interface CyclingProtocolInput {
  cycles: number;
  chargeRate: string | number;
  dischargeRate: string | number;
  temperatureK: number;
  /** [lower, upper] cut-off voltages (V). */
  voltageWindow: readonly [number, number] | readonly number[];
  /** Cycles after which a CT scan is taken (0 = before cycling). */
  scanAtCycles?: readonly number[];
  /** Current that ends the constant-voltage phase of the charge, as a C-rate; default "C/20". */
  cvCutoffRate?: string | number;
}

/** A checked protocol in SI. */
export interface CyclingProtocol {
  cycles: number;
  chargeCRate: number;
  dischargeCRate: number;
  temperatureK: number;
  voltageWindowV: readonly [number, number];
  /** Sorted, unique, each in [0, cycles]. */
  scanAtCycles: readonly number[];
  /** C-rate at which the CV phase of the charge ends (default 1/20). */
  cvCutoffCRate: number;
  /**
   * Duration of a full-depth charge at the CC rate (s) = 3600 / chargeCRate: the nominal
   * time scale. The CC-CV charge's actual duration comes from ageing.ts cycleCharge.
   */
  chargeTimeS: number;
  /** Duration of one full-depth constant-current discharge (s). */
  dischargeTimeS: number;
  /** chargeTimeS + dischargeTimeS. */
  cycleTimeS: number;
}

// Lowest and highest cell temperatures the models are meant for: the electrolyte freezes
// near 240 K and breaks down fast above ~330 K; outside [200, 400] K the input is surely a typo
// (e.g. degrees Celsius given as kelvin).
const MIN_TEMPERATURE_K = 200;
const MAX_TEMPERATURE_K = 400;
// No lithium-ion chemistry has a cut-off beyond 5.5 V; a larger number is a unit error (mV).
const MAX_VOLTAGE_V = 5.5;
// C/20: a common end-of-charge current of CC-CV cycling protocols (a convention, not a fit).
const DEFAULT_CV_CUTOFF_C_RATE = 1 / 20;

const C_RATE_PATTERN = /^\s*(\d+(?:\.\d*)?|\.\d+)?(?:e([+-]?\d+))?\s*C\s*(?:\/\s*(\d+(?:\.\d*)?|\.\d+))?\s*$/i;

/** Parse a C-rate: "4C" -> 4, "C/3" -> 1/3, "0.5C" -> 0.5, 2 -> 2. */
export function parseCRate(rate: string | number, label = "rate"): number {
  let value: number;
  if (typeof rate === "number") {
    value = rate;
  } else if (typeof rate === "string") {
    const m = C_RATE_PATTERN.exec(rate);
    if (m === null) throw new RangeError(`${label}: expected a C-rate such as "1C", "C/3" or "0.5C", got "${rate}"`);
    const multiplier = m[1] === undefined ? 1 : Number(m[1]) * (m[2] === undefined ? 1 : 10 ** Number(m[2]));
    const divisor = m[3] === undefined ? 1 : Number(m[3]);
    value = multiplier / divisor;
  } else {
    throw new RangeError(`${label}: expected a C-rate as text ("1C", "C/3") or a number, got ${typeof rate}`);
  }
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${label}: expected a positive finite C-rate, got ${String(rate)}`);
  return value;
}

/** Check a protocol and convert it to SI; every problem is a RangeError naming the field. */
export function parseProtocol(input: CyclingProtocolInput): CyclingProtocol {
  if (typeof input !== "object" || input === null) throw new RangeError(`protocol: expected an object, got ${String(input)}`);
  const { cycles, temperatureK, voltageWindow } = input;
  if (typeof cycles !== "number" || !Number.isInteger(cycles) || cycles < 1) {
    throw new RangeError(`protocol.cycles: expected a positive integer, got ${String(cycles)}`);
  }
  const chargeCRate = parseCRate(input.chargeRate, "protocol.chargeRate");
  const dischargeCRate = parseCRate(input.dischargeRate, "protocol.dischargeRate");
  if (typeof temperatureK !== "number" || !Number.isFinite(temperatureK) || temperatureK < MIN_TEMPERATURE_K || temperatureK > MAX_TEMPERATURE_K) {
    throw new RangeError(
      `protocol.temperatureK: expected a temperature in kelvin within [${MIN_TEMPERATURE_K}, ${MAX_TEMPERATURE_K}], got ${String(temperatureK)} (25 °C is 298.15 K)`,
    );
  }
  if (!Array.isArray(voltageWindow) || voltageWindow.length !== 2) {
    throw new RangeError(`protocol.voltageWindow: expected [lower, upper] in volts, got ${JSON.stringify(voltageWindow)}`);
  }
  const [low, high] = voltageWindow as [unknown, unknown];
  if (typeof low !== "number" || typeof high !== "number" || !Number.isFinite(low) || !Number.isFinite(high) || low <= 0 || high > MAX_VOLTAGE_V || low >= high) {
    throw new RangeError(
      `protocol.voltageWindow: expected 0 < lower < upper <= ${MAX_VOLTAGE_V} V, got ${JSON.stringify(voltageWindow)}`,
    );
  }
  const cvCutoffCRate = input.cvCutoffRate === undefined ? DEFAULT_CV_CUTOFF_C_RATE : parseCRate(input.cvCutoffRate, "protocol.cvCutoffRate");
  if (cvCutoffCRate >= chargeCRate) {
    throw new RangeError(`protocol.cvCutoffRate: expected a C-rate below the charge rate (${chargeCRate}C), got ${String(input.cvCutoffRate)}`);
  }
  const scans = input.scanAtCycles ?? [];
  if (!Array.isArray(scans)) throw new RangeError(`protocol.scanAtCycles: expected an array of cycle numbers, got ${String(scans)}`);
  for (const n of scans) {
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > cycles) {
      throw new RangeError(`protocol.scanAtCycles: expected integers in [0, ${cycles}], got ${String(n)}`);
    }
  }
  const scanAtCycles = [...new Set(scans as number[])].sort((a, b) => a - b);
  const chargeTimeS = SECONDS_PER_HOUR / chargeCRate;
  const dischargeTimeS = SECONDS_PER_HOUR / dischargeCRate;
  return {
    cycles,
    chargeCRate,
    dischargeCRate,
    temperatureK,
    voltageWindowV: [low, high],
    scanAtCycles,
    cvCutoffCRate,
    chargeTimeS,
    dischargeTimeS,
    cycleTimeS: chargeTimeS + dischargeTimeS,
  };
}
