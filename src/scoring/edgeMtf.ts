/**
 * Modulation transfer function from an edge: edge-spread function (ESF) -> line-spread
 * function (LSF, its derivative) -> |DFT| normalised to 1 at zero frequency.
 *
 * Method of ISO 12233 (slanted-edge SFR) as described by P. D. Burns, "Slanted-edge MTF for
 * digital camera and scanner analysis", Proc. IS&T PICS (2000) 135-138, and for radiography
 * E. Samei, M. J. Flynn, D. A. Reimann, "A method for measuring the presampled MTF of digital
 * radiographic systems using an edge test device", Med. Phys. 25 (1998) 102-113,
 * doi:10.1118/1.598165. The derivative is the central difference (e[i+1] - e[i-1]) / 2, which
 * equals the LSF averaged over a 2-sample box; its transfer function sin(2 pi f d)/(2 pi f d)
 * (d = sample spacing) is divided out, capped at a gain of 10 like Burns' sfrmat, so that a
 * finely sampled Gaussian edge returns its analytic MTF exp(-2 pi^2 sigma^2 f^2).
 *
 * The LSF is zero-padded to at least 4x the next power of two (>= 256 points): this samples
 * the same discrete-time Fourier transform on a finer frequency grid for the MTF10
 * interpolation and adds no information.
 *
 * Pure module.
 */
import { nextPowerOfTwo, realFft } from "../core/fft.js";

export interface EdgeMtfOptions {
  /** Window applied to the LSF around its centroid: "none" (default) or ISO's "hamming". */
  readonly window?: "none" | "hamming";
  /** Divide out the central difference's sinc response (default true). */
  readonly derivativeCorrection?: boolean;
}

export interface MtfCurve {
  /** Spatial frequency of each point (cycles/m), 0 .. Nyquist = 1 / (2 * spacing). */
  readonly frequencyPerM: Float64Array;
  /** MTF at each frequency, 1 at 0. */
  readonly mtf: Float64Array;
  /** Line-spread function (central difference of the ESF, before windowing). */
  readonly lsf: Float64Array;
  /** First frequency where the MTF falls to 0.1 (linear interpolation), NaN if it stays above. */
  readonly mtf10PerM: number;
  /** resolutionFromMtf10(mtf10PerM): 1 / (2 f10) in m. */
  readonly resolutionM: number;
}

/** Largest gain applied by the derivative correction (Burns' sfrmat caps it at 10). */
const MAX_DERIVATIVE_CORRECTION = 10;

/**
 * MTF of a sampled edge profile (an ESF, rising or falling) with samples `sampleSpacingM`
 * apart (the bin width of an oversampled ESF, or the pixel size of a plain one).
 */
export function edgeMtf(profile: Float64Array, sampleSpacingM: number, opts: EdgeMtfOptions = {}): MtfCurve {
  const n = profile.length;
  if (n < 5) throw new RangeError(`edgeMtf: edge profile has ${n} samples, expected at least 5`);
  if (!(sampleSpacingM > 0 && Number.isFinite(sampleSpacingM))) {
    throw new RangeError(`edgeMtf: sample spacing must be a positive length in m, got ${sampleSpacingM}`);
  }
  const m = n - 2;
  const lsf = new Float64Array(m);
  for (let i = 1; i < n - 1; i++) lsf[i - 1] = 0.5 * (profile[i + 1]! - profile[i - 1]!);

  const size = Math.max(256, 4 * nextPowerOfTwo(m));
  const padded = new Float64Array(size);
  padded.set(lsf);
  if (opts.window === "hamming") {
    // Hamming window of the LSF's length, centred on the centroid of |LSF| (ISO 12233).
    let s = 0, sx = 0;
    for (let i = 0; i < m; i++) {
      s += Math.abs(lsf[i]!);
      sx += i * Math.abs(lsf[i]!);
    }
    const c = s > 0 ? sx / s : (m - 1) / 2;
    const half = Math.max(c, m - 1 - c);
    for (let i = 0; i < m; i++) padded[i]! *= 0.54 + 0.46 * Math.cos((Math.PI * (i - c)) / half);
  }
  const spectrum = new Float64Array(2 * size);
  realFft(padded, spectrum);
  const dc = Math.hypot(spectrum[0]!, spectrum[1]!);
  if (!(dc > 0)) throw new RangeError("edgeMtf: the profile has no net edge (its derivative sums to 0), expected a step");

  const nf = size / 2 + 1;
  const frequencyPerM = new Float64Array(nf);
  const mtf = new Float64Array(nf);
  const correct = opts.derivativeCorrection ?? true;
  for (let k = 0; k < nf; k++) {
    const fs = k / size; // cycles per sample
    frequencyPerM[k] = fs / sampleSpacingM;
    let v = Math.hypot(spectrum[2 * k]!, spectrum[2 * k + 1]!) / dc;
    if (correct && k > 0) {
      const x = 2 * Math.PI * fs;
      v *= Math.min(MAX_DERIVATIVE_CORRECTION, x / Math.sin(x));
    }
    mtf[k] = v;
  }
  const mtf10PerM = mtfCrossing(frequencyPerM, mtf, 0.1);
  return { frequencyPerM, mtf, lsf, mtf10PerM, resolutionM: resolutionFromMtf10(mtf10PerM) };
}

/** First frequency where `mtf` falls to `level`, linear between samples; NaN if it never does. */
export function mtfCrossing(frequency: Float64Array, mtf: Float64Array, level: number): number {
  for (let k = 1; k < mtf.length; k++) {
    if (mtf[k]! <= level) {
      const a = mtf[k - 1]!;
      const b = mtf[k]!;
      return frequency[k - 1]! + ((a - level) / (a - b)) * (frequency[k]! - frequency[k - 1]!);
    }
  }
  return NaN;
}

/**
 * Spatial resolution from the 10 % MTF frequency: 1 / (2 f10), the width of one bar of a
 * bar pattern (half a line pair) whose contrast falls to 10 %. (Some papers quote the full
 * period 1 / f10; halve theirs to compare.)
 */
export function resolutionFromMtf10(mtf10PerM: number): number {
  return 1 / (2 * mtf10PerM);
}
