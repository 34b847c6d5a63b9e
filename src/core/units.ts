/**
 * Quantities with units from user text ("20 keV", "650 nm", "2 mm"), parsed with mathjs
 * units (its prebuilt bundle: see src/types/mathjs-browser.d.ts). Every error names the
 * field, the value and what is allowed.
 */
import math from "mathjs/lib/browser/math.js";
import type { Unit } from "mathjs";

const mathUnit = math.unit;

export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QuantityError";
  }
}

export interface QuantityKind {
  /** The unit the value is returned in, e.g. "keV" or "m". */
  readonly unit: string;
  /** Word for messages: "an energy", "a length". */
  readonly noun: string;
  /** Example for messages: "20 keV". */
  readonly example: string;
  /** Unit assumed for a bare number; without it a bare number is an error. */
  readonly bareNumberUnit?: string;
}

export const ENERGY_KEV: QuantityKind = { unit: "keV", noun: "an energy", example: "20 keV", bareNumberUnit: "keV" };
export const LENGTH_M: QuantityKind = { unit: "m", noun: "a length", example: "100 um" };
export const ANGLE_DEG: QuantityKind = { unit: "deg", noun: "an angle", example: "30 deg", bareNumberUnit: "deg" };
export const VOLTAGE_KV: QuantityKind = { unit: "kV", noun: "a voltage", example: "60 kV", bareNumberUnit: "kV" };
export const TIME_S: QuantityKind = { unit: "s", noun: "a time", example: "0.1 s" };
export const TEMPERATURE_K: QuantityKind = { unit: "K", noun: "a temperature", example: "295 K" };
export const HEAT_TRANSFER_WM2K: QuantityKind = { unit: "W/(m^2 K)", noun: "a heat transfer coefficient", example: "10 W/(m^2 K)", bareNumberUnit: "W/(m^2 K)" };
export const DENSITY_GCM3: QuantityKind = {
  unit: "g/cm^3",
  noun: "a density",
  example: "4.7 g/cm^3",
  bareNumberUnit: "g/cm^3",
};

/**
 * Unit conversion through prefixes leaves float dust ("30keV" -> 29.999999999999996);
 * typed input never carries 12 significant digits, so round it away.
 */
function roundTyped(v: number): number {
  return Number(v.toPrecision(12));
}

/** What was expected and what came: `expected an energy such as "20 keV", got "20 kg"`. */
export function quantityMismatch(text: string | number, kind: QuantityKind): string {
  return `expected ${kind.noun} such as "${kind.example}", got "${String(text).trim()}"`;
}

/** Parse `text` as a quantity of `kind` and return its value in kind.unit. */
export function parseQuantity(text: string | number, kind: QuantityKind, field: string): number {
  const raw = String(text).trim();
  const fail = (): never => {
    throw new QuantityError(`${field}: ${quantityMismatch(raw, kind)}`);
  };
  if (raw.length === 0) fail();
  const bare = Number(raw);
  if (Number.isFinite(bare) && /^[-+0-9.eE]+$/.test(raw)) {
    if (kind.bareNumberUnit === undefined) fail();
    return roundTyped(mathUnit(bare, kind.bareNumberUnit!).toNumber(kind.unit));
  }
  let u: Unit;
  try {
    // mathjs reads "20keV" and "20 keV" alike; "um" is the micrometre.
    u = mathUnit(raw.replace(/µm/g, "um"));
  } catch {
    return fail();
  }
  try {
    const v = u.toNumber(kind.unit);
    if (!Number.isFinite(v)) fail();
    return roundTyped(v);
  } catch {
    return fail();
  }
}

/** Parse a comma-separated list of quantities. */
export function parseQuantityList(text: string, kind: QuantityKind, field: string): number[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => parseQuantity(s, kind, field));
}
