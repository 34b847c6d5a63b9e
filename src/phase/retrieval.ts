/**
 * Phase retrieval from flat-field-corrected propagation-based phase-contrast images I/I0,
 * one projection at a time (a scan streams through it projection by projection):
 * - paganinRetrieve / paganinLineIntegral: one distance, one material (TIE, Paganin 2002);
 * - ctfRetrieve: several distances, weak object (CTF, Cloetens 1999, Zabler 2005);
 * - iterativeRetrieve: several distances, strong object (multi-plane Gerchberg-Saxton).
 * The phase and the conversions below follow src/phase/wave.ts: T = exp(-k B - i k D),
 * exit phase phi = -k D, k = 2 pi / lambda; docs/phase-contrast.md, "Phase retrieval".
 */
import { resolveWavelength, type WavelengthOption } from "./retrievalGrid.js";

export { paganinLineIntegral, paganinRetrieve, type PaganinOptions, type PaganinThicknessOptions } from "./retrievalPaganin.js";
export { ctfRetrieve, type CtfOptions, type CtfResult } from "./retrievalCtf.js";
export { iterativeRetrieve, type IterativeOptions, type IterativeResult } from "./retrievalIterative.js";
export type { RetrievalImage, WavelengthOption } from "./retrievalGrid.js";

/** Projected delta integral D = -phi / k (m) of an exit phase phi (rad). */
export function phaseToDeltaIntegral(phase: ArrayLike<number>, wavelength: WavelengthOption, out?: Float64Array): Float64Array {
  const lambda = resolveWavelength(wavelength, "phaseToDeltaIntegral");
  const result = out ?? new Float64Array(phase.length);
  if (result.length !== phase.length) throw new RangeError(`phaseToDeltaIntegral: output holds ${result.length} values, expected ${phase.length}`);
  const k = (2 * Math.PI) / lambda;
  for (let i = 0; i < phase.length; i++) result[i] = -phase[i]! / k;
  return result;
}

/**
 * Attenuation-equivalent line integral (integral of mu, dimensionless) of a homogeneous
 * object from its exit phase: mu = 4 pi beta / lambda gives integral mu = 2 k B
 * = 2 k (beta/delta) D = -2 phi / (delta/beta). The energy cancels; filtered
 * back-projection of the result is the material's mu (1/m).
 */
export function phaseToLineIntegral(phase: ArrayLike<number>, deltaOverBeta: number, out?: Float64Array): Float64Array {
  if (!(deltaOverBeta > 0)) throw new RangeError(`phaseToLineIntegral: deltaOverBeta must be > 0, got ${deltaOverBeta}`);
  const result = out ?? new Float64Array(phase.length);
  if (result.length !== phase.length) throw new RangeError(`phaseToLineIntegral: output holds ${result.length} values, expected ${phase.length}`);
  const s = -2 / deltaOverBeta;
  for (let i = 0; i < phase.length; i++) result[i] = s * phase[i]!;
  return result;
}
