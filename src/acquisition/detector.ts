/**
 * From line integrals to detector counts and back.
 *
 * Beer-Lambert with a detector of quantum efficiency eta: a pixel behind a path with line
 * integral p = integral of mu dl receives on average
 *   N = I0 eta exp(-p) (+ D, the dark counts),
 * and records a Poisson(N) count (photon counting / quantum-limited detector). The flat field
 * is the same without the sample (p = 0: N = I0 eta + D), the dark field the beam off
 * (N = D). Flat- and dark-field correction inverts this:
 *   p = -ln((I - D) / (F - D)).
 *
 * Pure module: runs in a browser too. All loops write into caller-provided arrays.
 */
import { poisson, type Random } from "../core/random.js";

/** Any typed array of counts the detector functions accept. */
export type CountArray = Float32Array | Float64Array | Uint16Array | Uint32Array;

function checkSameLength(a: { length: number }, b: { length: number }, what: string): void {
  if (a.length !== b.length) throw new RangeError(`${what}: lengths differ (${a.length} vs ${b.length})`);
}

function checkNonNegative(x: number, what: string): void {
  if (!(x >= 0 && Number.isFinite(x))) throw new RangeError(`${what} must be finite and >= 0, got ${x}`);
}

/**
 * Expected counts N = I0 eta exp(-p) + darkCounts per pixel (Beer-Lambert).
 * `incidentPhotons` I0 is photons per pixel per exposure, `efficiency` eta in [0, 1];
 * with a beam `profile` (relative intensity per pixel, src/beam/beamProfile.ts) pixel i
 * receives I0 profile[i]. `out` may be `lineIntegrals` (in place); returns `out`.
 */
export function expectedCounts(
  lineIntegrals: Float32Array,
  incidentPhotons: number,
  efficiency: number,
  out: Float32Array,
  darkCounts = 0,
  profile?: Float32Array,
): Float32Array {
  checkSameLength(lineIntegrals, out, "expectedCounts");
  checkIncident(incidentPhotons, efficiency, darkCounts, profile, out.length);
  const n0 = incidentPhotons * efficiency;
  if (profile === undefined) for (let i = 0; i < out.length; i++) out[i] = n0 * Math.exp(-lineIntegrals[i]!) + darkCounts;
  else for (let i = 0; i < out.length; i++) out[i] = n0 * profile[i]! * Math.exp(-lineIntegrals[i]!) + darkCounts;
  return out;
}

/**
 * Flat field expectation: out[i] = I0 eta + darkCounts (no sample, p = 0), I0 times the
 * beam profile's relative intensity at pixel i when a profile is given.
 */
export function flatFieldExpected(out: Float32Array, incidentPhotons: number, efficiency: number, darkCounts = 0, profile?: Float32Array): Float32Array {
  checkIncident(incidentPhotons, efficiency, darkCounts, profile, out.length);
  if (profile === undefined) return out.fill(incidentPhotons * efficiency + darkCounts);
  const n0 = incidentPhotons * efficiency;
  for (let i = 0; i < out.length; i++) out[i] = n0 * profile[i]! + darkCounts;
  return out;
}

function checkIncident(incidentPhotons: number, efficiency: number, darkCounts: number, profile: Float32Array | undefined, pixels: number): void {
  checkNonNegative(incidentPhotons, "incident photons");
  if (!(efficiency >= 0 && efficiency <= 1)) throw new RangeError(`efficiency must be in [0, 1], got ${efficiency}`);
  checkNonNegative(darkCounts, "dark counts");
  if (profile !== undefined && profile.length !== pixels) throw new RangeError(`beam profile has ${profile.length} pixels, the detector ${pixels}`);
}

/** Dark field expectation: out[i] = darkCounts (beam off; default 0). */
export function darkFieldExpected(out: Float32Array, darkCounts = 0): Float32Array {
  checkNonNegative(darkCounts, "dark counts");
  return out.fill(darkCounts);
}

/**
 * Quantum noise: out[i] ~ Poisson(expected[i]), exact sampling (core/random.ts). Draws from
 * `rng` in pixel order, so a given seed reproduces the same image. `out` may be `expected`;
 * returns `out`.
 */
export function poissonCounts(expected: Float32Array, rng: Random, out: Float32Array): Float32Array {
  checkSameLength(expected, out, "poissonCounts");
  for (let i = 0; i < out.length; i++) out[i] = poisson(rng, expected[i]!);
  return out;
}

export interface ClipReport {
  /** Pixels clipped to 0 (negative or NaN). */
  readonly low: number;
  /** Pixels clipped to 65535. */
  readonly high: number;
  /** True when any pixel was clipped. */
  readonly clipped: boolean;
}

/**
 * Counts to a 16-bit image: rounded to the nearest integer and clipped to [0, 65535]
 * (NaN -> 0). Returns how many pixels were clipped at each end: saturation (high) means
 * the exposure was too long for a 16-bit detector.
 */
export function toUint16(counts: Float32Array | Float64Array, out: Uint16Array): ClipReport {
  checkSameLength(counts, out, "toUint16");
  let low = 0;
  let high = 0;
  for (let i = 0; i < out.length; i++) {
    const c = Math.round(counts[i]!);
    if (c >= 0 && c <= 65535) out[i] = c;
    else if (c > 65535) {
      out[i] = 65535;
      high++;
    } else {
      out[i] = 0; // negative or NaN
      low++;
    }
  }
  return { low, high, clipped: low + high > 0 };
}

export interface MinusLogOptions {
  /**
   * Value used for I - D when it is <= 0 (e.g. a zero count behind a dense object), so the
   * result stays finite: p = ln((F - D) / minCounts). Default 0.5 (half a photon).
   * Positive I - D is used as is.
   */
  readonly minCounts?: number;
}

export interface MinusLogReport {
  /** Pixels where I - D <= 0 (or NaN) and `minCounts` was used. */
  readonly floored: number;
  /** Pixels with F - D <= 0 (or NaN): no information, output set to 0. */
  readonly badFlat: number;
}

/**
 * Flat- and dark-field correction: out[i] = -ln((I_i - D_i) / (F_i - D_i)) = ln(F - D) - ln(I - D).
 * `dark` may be one number for all pixels. Guards: I - D <= 0 uses `minCounts`; F - D <= 0
 * gives 0 and is counted in the report.
 */
export function minusLog(
  counts: CountArray,
  flat: CountArray,
  dark: CountArray | number,
  out: Float32Array,
  options: MinusLogOptions = {},
): MinusLogReport {
  checkSameLength(counts, out, "minusLog counts");
  checkSameLength(flat, out, "minusLog flat");
  if (typeof dark !== "number") checkSameLength(dark, out, "minusLog dark");
  else if (!Number.isFinite(dark)) throw new RangeError(`dark counts must be finite, got ${dark}`);
  const floor = options.minCounts ?? 0.5;
  if (!(floor > 0 && Number.isFinite(floor))) throw new RangeError(`minCounts must be positive, got ${floor}`);
  let floored = 0;
  let badFlat = 0;
  for (let i = 0; i < out.length; i++) {
    const d = typeof dark === "number" ? dark : dark[i]!;
    const f = flat[i]! - d;
    if (!(f > 0)) {
      out[i] = 0;
      badFlat++;
      continue;
    }
    let s = counts[i]! - d;
    if (!(s > 0)) {
      s = floor;
      floored++;
    }
    out[i] = Math.log(f / s);
  }
  return { floored, badFlat };
}
