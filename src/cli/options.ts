/** Parsing of command-line option values shared by the commands. */
import { UsageError } from "./usageError.js";

/** A whole number from min to max, or a UsageError naming the option: `--size: expected a whole number from 1 to 65535, got "x"`. */
export function wholeNumber(text: string, what: string, min = 1, max = 65535): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${what}: expected a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}

/** wholeNumber of an optional option: `fallback` when it was not given. */
export function optionalWholeNumber(text: string | undefined, what: string, fallback: number, min = 1, max = 65535): number {
  return text === undefined ? fallback : wholeNumber(text, what, min, max);
}
