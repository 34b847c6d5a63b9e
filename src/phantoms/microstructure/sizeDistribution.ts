/**
 * Particle size distributions of battery powders: lognormal diameters given as D50 and span.
 *
 * Convention. Powder data sheets quote D10/D50/D90 from laser diffraction (ISO 13320), which
 * reports a VOLUME-weighted distribution: D50 is the diameter below which half of the
 * particle VOLUME lies, and span = (D90 - D10) / D50. Diameters here are volume-equivalent
 * sphere diameters (the diameter of the sphere of equal volume, which is also what the
 * ellipsoidal shapes of packing.ts are scaled to).
 *
 * Lognormal. If ln D is normal with mean mu_N and standard deviation s when particles are
 * COUNTED (number weighting), then weighting each particle by D^3 (its volume) gives another
 * lognormal with the same s and mu_V = mu_N + 3 s^2. This is the Hatch-Choate relation
 * (T. Hatch, S. P. Choate, "Statistical description of the size properties of non uniform
 * particulate substances", J. Franklin Inst. 207 (1929) 369-387; also ISO 9276-5:2005): the
 * median of the k-th moment distribution is the number median times exp(k s^2), so
 *     volume-weighted median = number median * exp(3 s^2).
 * With z90 = Phi^-1(0.9), the volume quantiles are D10 = D50 exp(-z90 s), D90 = D50 exp(z90 s),
 * so span = 2 sinh(z90 s) and s = asinh(span / 2) / z90.
 *
 * Sampling draws particles BY NUMBER (a population is a list of particles) from the number-
 * weighted lognormal N(mu_V - 3 s^2, s), so that the VOLUME-weighted statistics of the
 * population are those asked for. Draws are stratified in the number quantile (one draw per
 * stratum of width 1/N, in random order) to cut the sampling noise of the volume-weighted
 * percentiles, which a few large particles otherwise dominate.
 *
 * Pure module (no Node APIs), deterministic given the Random passed in.
 */
import type { Random } from "../../core/random.js";

/** Phi^-1(0.9): the standard normal 90th percentile. */
export const Z90 = 1.2815515655446004;

/** Parameters of ln D ~ Normal(mu, sigma), D in metres. */
export interface LognormalParams {
  /** Mean of ln(D / 1 m). */
  readonly mu: number;
  /** Standard deviation of ln D (dimensionless, the "log-sd"). */
  readonly sigma: number;
}

/** A lognormal size distribution as powder data sheets state it (volume-weighted). */
export interface SizeDistributionSpec {
  /** Volume-weighted median diameter D50 (m). */
  readonly d50M: number;
  /** (D90 - D10) / D50 of the volume-weighted distribution; 0 = all particles of diameter D50. */
  readonly span: number;
  /**
   * Optional truncation of the diameters (m), e.g. not below two voxels. Applied to the
   * number-weighted distribution (particles outside are never drawn); cut-offs inside the
   * body of the distribution shift the volume-weighted percentiles accordingly.
   */
  readonly minDiameterM?: number;
  readonly maxDiameterM?: number;
}

/** Percentiles of a volume-weighted size distribution (m), and its span. */
export interface VolumePercentiles {
  readonly d10: number;
  readonly d50: number;
  readonly d90: number;
  readonly span: number;
}

// ---------------------------------------------------------------------------------------
// Standard normal CDF and quantile.

/**
 * Standard normal CDF Phi(x). Hart's double-precision rational approximation (J. F. Hart
 * et al., "Computer Approximations", Wiley 1968, algorithm 5666) as given by G. West, "Better
 * approximations to cumulative normal functions", Wilmott Magazine (2005) 70-76: absolute
 * error about 1e-15; a continued fraction beyond |x| = 7.07; 0 / 1 beyond 37.
 */
export function normalCdf(x: number): number {
  const y = Math.abs(x);
  let tail = 0;
  if (y < 37) {
    const e = Math.exp(-0.5 * y * y);
    if (y < 7.07106781186547) {
      const num = ((((((0.0352624965998911 * y + 0.700383064443688) * y + 6.37396220353165) * y + 33.912866078383) * y +
        112.079291497871) * y + 221.213596169931) * y + 220.206867912376);
      const den = (((((((0.0883883476483184 * y + 1.75566716318264) * y + 16.064177579207) * y + 86.7807322029461) * y +
        296.564248779674) * y + 637.333633378831) * y + 793.826512519948) * y + 440.413735824752);
      tail = (e * num) / den;
    } else {
      tail = e / (y + 1 / (y + 2 / (y + 3 / (y + 4 / (y + 0.65))))) / 2.506628274631;
    }
  }
  return x > 0 ? 1 - tail : tail;
}

const AS241_A = [3.3871328727963666080, 1.3314166789178437745e2, 1.9715909503065514427e3, 1.3731693765509461125e4,
  4.5921953931549871457e4, 6.7265770927008700853e4, 3.3430575583588128105e4, 2.5090809287301226727e3];
const AS241_B = [1, 4.2313330701600911252e1, 6.8718700749205790830e2, 5.3941960214247511077e3,
  2.1213794301586595867e4, 3.9307895800092710610e4, 2.8729085735721942674e4, 5.2264952788528545610e3];
const AS241_C = [1.42343711074968357734, 4.63033784615654529590, 5.76949722146069140550, 3.64784832476320460504,
  1.27045825245236838258, 2.41780725177450611770e-1, 2.27238449892691845833e-2, 7.74545014278341407640e-4];
const AS241_D = [1, 2.05319162663775882187, 1.67638483018380384940, 6.89767334985100004550e-1,
  1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4, 1.05075007164441684324e-9];
const AS241_E = [6.65790464350110377720, 5.46378491116411436990, 1.78482653991729133580, 2.96560571828504891230e-1,
  2.65321895265761230930e-2, 1.24266094738807843860e-3, 2.71155556874348757815e-5, 2.01033439929228813265e-7];
const AS241_F = [1, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
  7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7, 2.04426310338993978564e-15];

function poly(c: readonly number[], x: number): number {
  let v = 0;
  for (let i = c.length - 1; i >= 0; i--) v = v * x + c[i]!;
  return v;
}

/**
 * Standard normal quantile Phi^-1(p), p in (0, 1): algorithm AS 241 PPND16 (M. J. Wichura,
 * "The percentage points of the normal distribution", Applied Statistics 37 (1988) 477-484),
 * relative accuracy about 1e-16. Returns -Infinity / +Infinity at p = 0 / 1.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(AS241_A, r)) / poly(AS241_B, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let v: number;
  if (r <= 5) {
    r -= 1.6;
    v = poly(AS241_C, r) / poly(AS241_D, r);
  } else {
    r -= 5;
    v = poly(AS241_E, r) / poly(AS241_F, r);
  }
  return q < 0 ? -v : v;
}

// ---------------------------------------------------------------------------------------
// Lognormal parameters.

function checkD50Span(d50: number, span: number): void {
  if (!(d50 > 0 && Number.isFinite(d50))) throw new RangeError(`D50 must be a positive length, got ${d50} m`);
  if (!(span >= 0 && Number.isFinite(span))) throw new RangeError(`span must be finite and >= 0, got ${span}`);
}

/** Log-sd of the lognormal whose (D90 - D10)/D50 is `span`: s = asinh(span / 2) / z90. */
export function sigmaFromSpan(span: number): number {
  if (!(span >= 0 && Number.isFinite(span))) throw new RangeError(`span must be finite and >= 0, got ${span}`);
  return Math.asinh(span / 2) / Z90;
}

/** Span (D90 - D10)/D50 of any lognormal of log-sd s (the same for every weighting): 2 sinh(z90 s). */
export function spanFromSigma(sigma: number): number {
  return 2 * Math.sinh(Z90 * sigma);
}

/**
 * The VOLUME-weighted lognormal with the given volume-weighted D50 (m) and span: mu = ln D50,
 * sigma = asinh(span / 2) / z90.
 */
export function lognormalFromD50Span(d50: number, span: number): LognormalParams {
  checkD50Span(d50, span);
  return { mu: Math.log(d50), sigma: sigmaFromSpan(span) };
}

/** Number-weighted lognormal from the volume-weighted one (Hatch-Choate: mu_N = mu_V - 3 s^2). */
export function numberFromVolumeWeighted(v: LognormalParams): LognormalParams {
  return { mu: v.mu - 3 * v.sigma * v.sigma, sigma: v.sigma };
}

/** Volume-weighted lognormal from the number-weighted one (Hatch-Choate: mu_V = mu_N + 3 s^2). */
export function volumeFromNumberWeighted(n: LognormalParams): LognormalParams {
  return { mu: n.mu + 3 * n.sigma * n.sigma, sigma: n.sigma };
}

/** Quantile q of a lognormal: exp(mu + sigma Phi^-1(q)). */
export function lognormalQuantile(p: LognormalParams, q: number): number {
  return Math.exp(p.mu + p.sigma * normalQuantile(q));
}

// ---------------------------------------------------------------------------------------
// Sampling.

/** Number-weighted lognormal of a spec plus its truncation as normal probabilities. */
interface Sampler {
  readonly mu: number;
  readonly sigma: number;
  /** Phi at the lower / upper cut-off in units of the number-weighted ln D. */
  readonly pLo: number;
  readonly pHi: number;
  readonly alpha: number;
  readonly beta: number;
}

function samplerOf(spec: SizeDistributionSpec): Sampler {
  checkD50Span(spec.d50M, spec.span);
  const dMin = spec.minDiameterM ?? 0;
  const dMax = spec.maxDiameterM ?? Infinity;
  if (!(dMin >= 0) || !(dMax > dMin)) {
    throw new RangeError(`size truncation must satisfy 0 <= min < max, got [${dMin}, ${dMax}] m`);
  }
  const n = numberFromVolumeWeighted(lognormalFromD50Span(spec.d50M, spec.span));
  if (n.sigma === 0) {
    if (spec.d50M < dMin || spec.d50M > dMax) {
      throw new RangeError(`monodisperse diameter ${spec.d50M} m lies outside the truncation [${dMin}, ${dMax}] m`);
    }
    return { mu: n.mu, sigma: 0, pLo: 0, pHi: 1, alpha: -Infinity, beta: Infinity };
  }
  const alpha = dMin > 0 ? (Math.log(dMin) - n.mu) / n.sigma : -Infinity;
  const beta = Number.isFinite(dMax) ? (Math.log(dMax) - n.mu) / n.sigma : Infinity;
  const pLo = normalCdf(alpha), pHi = normalCdf(beta);
  if (!(pHi - pLo > 1e-12)) {
    throw new RangeError(`size truncation [${dMin}, ${dMax}] m leaves (almost) no probability of the distribution`);
  }
  return { mu: n.mu, sigma: n.sigma, pLo, pHi, alpha, beta };
}

/** Diameter at number quantile u in [0, 1) of the (truncated) number distribution. */
function diameterAt(s: Sampler, u: number): number {
  if (s.sigma === 0) return Math.exp(s.mu);
  // Keep q strictly inside (0, 1): u = 0 with no lower cut-off would give D = 0.
  const q = Math.min(Math.max(s.pLo + u * (s.pHi - s.pLo), 1e-300), 1 - 1e-16);
  const d = Math.exp(s.mu + s.sigma * normalQuantile(q));
  return d;
}

/** Mean particle volume (m^3) of the (truncated) number distribution: E[pi D^3 / 6]. */
export function meanParticleVolume(spec: SizeDistributionSpec): number {
  const s = samplerOf(spec);
  // E[D^3 | alpha < z < beta] = exp(3 mu + 9 s^2 / 2) [Phi(beta - 3s) - Phi(alpha - 3s)] / [Phi(beta) - Phi(alpha)]
  const moment = Math.exp(3 * s.mu + 4.5 * s.sigma * s.sigma);
  const ratio = s.sigma === 0 ? 1 : (normalCdf(s.beta - 3 * s.sigma) - normalCdf(s.alpha - 3 * s.sigma)) / (s.pHi - s.pLo);
  return (Math.PI / 6) * moment * ratio;
}

/** One diameter (m) drawn independently from the number-weighted distribution of `spec`. */
export function sampleDiameter(spec: SizeDistributionSpec, rng: Random): number {
  return diameterAt(samplerOf(spec), rng.next());
}

/**
 * Diameters (m) of a population whose total volume sum(pi d^3 / 6) reaches `targetVolumeM3`
 * (the last particle is kept only if it brings the total closer to the target).
 *
 * The expected count N = target / E[V] is split into N equal strata of the number quantile,
 * one uniform draw in each, visited in a random order (Fisher-Yates); if the target is not
 * reached after N particles, independent draws continue. Stratification keeps the sample
 * distribution close to the lognormal in the large-particle tail that dominates the volume-
 * weighted percentiles (the effective sample size of volume-weighted statistics is only
 * ~N exp(-9 s^2) for independent draws).
 */
export function sampleDiameters(spec: SizeDistributionSpec, targetVolumeM3: number, rng: Random): Float64Array {
  if (!(targetVolumeM3 >= 0 && Number.isFinite(targetVolumeM3))) {
    throw new RangeError(`target volume must be finite and >= 0, got ${targetVolumeM3} m^3`);
  }
  const s = samplerOf(spec);
  const meanV = meanParticleVolume(spec);
  const nExpected = Math.ceil(targetVolumeM3 / meanV);
  if (nExpected > 1e8) throw new RangeError(`population of ~${nExpected} particles is too large`);
  const order = new Int32Array(nExpected);
  for (let k = 0; k < nExpected; k++) order[k] = k;
  for (let k = nExpected - 1; k > 0; k--) {
    const m = Math.floor(rng.next() * (k + 1));
    const t = order[k]!;
    order[k] = order[m]!;
    order[m] = t;
  }
  const out: number[] = [];
  let total = 0;
  for (let k = 0; ; k++) {
    const u = k < nExpected ? (order[k]! + rng.next()) / nExpected : rng.next();
    const d = diameterAt(s, u);
    const v = (Math.PI / 6) * d * d * d;
    // Add while that brings the total closer to the target: total + v/2 < target.
    if (!(total + 0.5 * v < targetVolumeM3)) break;
    out.push(d);
    total += v;
  }
  return Float64Array.from(out);
}

// ---------------------------------------------------------------------------------------
// Volume-weighted statistics of a list of diameters.

/**
 * Volume-weighted percentiles (m) of a list of diameters, each particle weighted by d^3.
 *
 * Sorted by diameter, particle k sits at cumulative weight C_k = (W_<k + w_k / 2) / W (the
 * midpoint of its own weight, so a single-size population gives that size at every
 * percentile); between two particles ln d is interpolated linearly in C; outside
 * [C_first, C_last] the end diameter is returned.
 */
export function volumeWeightedPercentiles(diameters: ArrayLike<number>, percentiles: readonly number[]): number[] {
  const n = diameters.length;
  if (n === 0) throw new RangeError("no diameters");
  const d = Float64Array.from(diameters as ArrayLike<number>).sort();
  if (!(d[0]! > 0) || !Number.isFinite(d[n - 1]!)) throw new RangeError("diameters must be positive and finite");
  const c = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) total += d[k]! * d[k]! * d[k]!;
  let below = 0;
  for (let k = 0; k < n; k++) {
    const w = d[k]! * d[k]! * d[k]!;
    c[k] = (below + 0.5 * w) / total;
    below += w;
  }
  return percentiles.map((pct) => {
    if (!(pct >= 0 && pct <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${pct}`);
    const p = pct / 100;
    if (p <= c[0]!) return d[0]!;
    if (p >= c[n - 1]!) return d[n - 1]!;
    let lo = 0, hi = n - 1; // c[lo] < p <= c[hi]
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (c[mid]! < p) lo = mid;
      else hi = mid;
    }
    const t = (p - c[lo]!) / (c[hi]! - c[lo]!);
    return d[lo]! * Math.pow(d[hi]! / d[lo]!, t);
  });
}

/** Volume-weighted D10, D50, D90 (m) and span of a list of diameters. */
export function volumeWeightedStats(diameters: ArrayLike<number>): VolumePercentiles {
  const [d10, d50, d90] = volumeWeightedPercentiles(diameters, [10, 50, 90]) as [number, number, number];
  return { d10, d50, d90, span: (d90 - d10) / d50 };
}
