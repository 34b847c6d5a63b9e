/**
 * Seeded random numbers for the simulator: a uniform stream and exact Poisson samples.
 *
 * The uniform stream is Johannes Baagøe's Alea generator as packaged by seedrandom 3
 * (`seedrandom.alea`): a multiply-with-carry generator that uses only IEEE-754 double
 * additions and multiplications and a 32-bit truncation, all exactly specified by
 * ECMAScript. The same seed therefore gives the bit-identical stream on every platform and
 * every conforming JavaScript engine (Node, browsers, any CPU). A numeric seed is converted
 * with `String(seed)` before hashing, so `createRandom(42)` and `createRandom("42")` are the
 * same stream.
 *
 * Derived variates (`poisson`, `gaussian`) also call Math.exp/log/sqrt/cos. ECMAScript
 * requires sqrt to be correctly rounded but only "implementation-approximated" exp, log and
 * cos; V8, SpiderMonkey and JavaScriptCore all use fdlibm-derived code and agree in
 * practice, but strictly the guarantee of identical output across engines holds for the
 * uniform stream. A last-bit difference in exp/log could change a Poisson sample only when
 * an acceptance test lands within one ulp of its threshold.
 *
 * Pure module (no Node APIs): runs in a browser too.
 */
import seedrandom from "seedrandom";

/** A source of uniform random numbers in [0, 1). */
export interface Random {
  /** Next uniform number in [0, 1), 32 bits of resolution (Alea's native output). */
  next(): number;
}

/** Seeded generator: Alea (seedrandom 3), deterministic for a given seed on every platform. */
export function createRandom(seed: number | string): Random {
  if (typeof seed === "number" && !Number.isFinite(seed)) throw new RangeError(`random seed must be finite, got ${seed}`);
  const prng = seedrandom.alea(String(seed));
  return { next: prng };
}

// ---------------------------------------------------------------------------------------
// log(k!) for the Poisson acceptance test.

const LOG_FACTORIAL_TABLE_SIZE = 128;
const LOG_FACTORIAL = new Float64Array(LOG_FACTORIAL_TABLE_SIZE);
for (let k = 2; k < LOG_FACTORIAL_TABLE_SIZE; k++) LOG_FACTORIAL[k] = LOG_FACTORIAL[k - 1]! + Math.log(k);
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln(k!) for integer k >= 0. Table below 128; above, Stirling's series
 * ln Gamma(x) = (x - 1/2) ln x - x + ln(2 pi)/2 + 1/(12x) - 1/(360x^3) + 1/(1260x^5) - ...
 * with x = k + 1 (Abramowitz & Stegun 6.1.41); the first omitted term, 1/(1680 x^7), is
 * below 1e-18 for x >= 128.
 */
export function logFactorial(k: number): number {
  if (k < LOG_FACTORIAL_TABLE_SIZE) return LOG_FACTORIAL[k]!;
  const x = k + 1;
  const r = 1 / x;
  const r2 = r * r;
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + r * (1 / 12 - r2 * (1 / 360 - r2 / 1260));
}

// ---------------------------------------------------------------------------------------
// Poisson.

/** Mean at and above which `poisson` switches from Knuth's multiplication to PTRS. */
export const POISSON_PTRS_THRESHOLD = 10;

/**
 * One exact Poisson(mean) sample, as a non-negative integer-valued number.
 *
 * - mean < 10: multiplication method (Knuth, TAOCP vol. 2, 3.4.1): the smallest k with
 *   U_1 U_2 ... U_{k+1} <= exp(-mean). Cost ~ mean + 1 uniforms.
 * - mean >= 10: PTRS, transformed rejection with squeeze (W. Hörmann, "The transformed
 *   rejection method for generating Poisson random variables", Insurance: Mathematics and
 *   Economics 12 (1993) 39-45). Constants of the paper:
 *     b = 0.931 + 2.53 sqrt(mean),  a = -0.059 + 0.02483 b,
 *     1/alpha = 1.1239 + 1.1328 / (b - 3.4),  v_r = 0.9277 - 3.6224 / (b - 2);
 *   per trial, U uniform on (-1/2, 1/2), V on (0, 1), u_s = 1/2 - |U|,
 *     k = floor((2a / u_s + b) U + mean + 0.43);
 *   accept at once if u_s >= 0.07 and V <= v_r; reject if k < 0 or (u_s < 0.013 and V > u_s);
 *   otherwise accept iff ln V + ln(1/alpha) - ln(a / u_s^2 + b) <= -mean + k ln(mean) - ln k!.
 *   About 1.1-1.2 trials (two uniforms each) on average, independent of the mean.
 *
 * `mean` must be finite and >= 0 (0 gives 0).
 */
export function poisson(rng: Random, mean: number): number {
  if (mean < POISSON_PTRS_THRESHOLD) {
    if (!(mean >= 0)) throw new RangeError(`Poisson mean must be finite and >= 0, got ${mean}`);
    // Knuth: count uniforms until their running product drops to exp(-mean) or below.
    const limit = Math.exp(-mean);
    let k = 0;
    let product = rng.next();
    while (product > limit) {
      k++;
      product *= rng.next();
    }
    return k;
  }
  if (!Number.isFinite(mean)) throw new RangeError(`Poisson mean must be finite and >= 0, got ${mean}`);
  return poissonPtrs(rng, mean);
}

function poissonPtrs(rng: Random, mean: number): number {
  const logMean = Math.log(mean);
  const b = 0.931 + 2.53 * Math.sqrt(mean);
  const a = -0.059 + 0.02483 * b;
  const logInvAlpha = Math.log(1.1239 + 1.1328 / (b - 3.4));
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.next() - 0.5;
    const v = rng.next();
    const us = 0.5 - Math.abs(u);
    // us = 0 (u = -1/2 exactly) gives k = -Infinity: rejected below, as it should be.
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + logInvAlpha - Math.log(a / (us * us) + b) <= -mean + k * logMean - logFactorial(k)) return k;
  }
}

/**
 * One standard normal sample by the Box-Muller transform (Box & Muller, Ann. Math. Stat. 29
 * (1958) 610): z = sqrt(-2 ln U1) cos(2 pi U2), with U1 in (0, 1]. Uses two uniforms and
 * discards the sine partner so that the generator needs no hidden state.
 */
export function gaussian(rng: Random): number {
  const u1 = 1 - rng.next();
  const u2 = rng.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
