/**
 * Ramp filters for filtered back-projection, applied to detector rows.
 *
 * The ramp is not sampled as |f| in frequency (that sets the DC term to exactly 0 and
 * gives the reconstruction a negative offset, the "cupping" of Kak & Slaney sec. 3.3.3);
 * instead the band-limited ramp is defined in space and transformed by FFT:
 *   h(0) = 1 / (4 tau^2),  h(n) = 0 for even n,  h(n) = -1 / (n^2 pi^2 tau^2) for odd n
 * (A. C. Kak, M. Slaney, "Principles of Computerized Tomographic Imaging", IEEE Press
 * 1988, ch. 3, eq. (61)), with tau the detector pitch. Apodising windows multiply that
 * response, as functions of the normalised frequency f in [-1/2, 1/2) (cycles per pixel):
 *   ram-lak      1
 *   shepp-logan  sin(pi f) / (pi f)          (L. A. Shepp, B. F. Logan, IEEE Trans. Nucl. Sci. 21 (1974) 21)
 *   cosine       cos(pi f)
 *   hamming      0.54 + 0.46 cos(2 pi f)
 *   hann         0.5 + 0.5 cos(2 pi f)
 * (the same definitions as scikit-image's iradon, so the benchmark compares like with like).
 *
 * Rows are zero-padded to P = the power of two >= 2 cols, so the circular convolution of the
 * FFT equals the linear one over the whole row (Kak & Slaney sec. 3.3.3). The response is
 * computed once per (cols, filter) and cached; the row filter reuses its buffers, and
 * filters two rows per complex FFT (one in the real part, one in the imaginary part: the
 * response is real and even, so the two never mix).
 *
 * Units: the response is in pixel units (tau = 1). A filtered row in physical units is
 * filtered / pitch (1/m); the back-projectors apply that factor.
 *
 * Pure module: runs in a browser too.
 */
import { fft, fftFrequency, ifft, nextPowerOfTwo } from "../core/fft.js";

export type RampFilterName = "ram-lak" | "shepp-logan" | "cosine" | "hamming" | "hann";

export const RAMP_FILTER_NAMES: readonly RampFilterName[] = ["ram-lak", "shepp-logan", "cosine", "hamming", "hann"];

export function checkFilterName(name: string): asserts name is RampFilterName {
  if (!(RAMP_FILTER_NAMES as readonly string[]).includes(name)) {
    throw new RangeError(`unknown ramp filter ${JSON.stringify(name)}; expected one of ${RAMP_FILTER_NAMES.join(", ")}`);
  }
}

/** Padded FFT length for rows of `cols` pixels: the power of two >= 2 cols (at least 64). */
export function paddedLength(cols: number): number {
  if (!Number.isInteger(cols) || cols < 1) throw new RangeError(`row length must be a positive integer, got ${cols}`);
  return Math.max(64, nextPowerOfTwo(2 * cols));
}

/** Window value at normalised frequency f (cycles per pixel, |f| <= 1/2). */
function windowAt(name: RampFilterName, f: number): number {
  switch (name) {
    case "ram-lak": return 1;
    case "shepp-logan": return f === 0 ? 1 : Math.sin(Math.PI * f) / (Math.PI * f);
    case "cosine": return Math.cos(Math.PI * f);
    case "hamming": return 0.54 + 0.46 * Math.cos(2 * Math.PI * f);
    case "hann": return 0.5 + 0.5 * Math.cos(2 * Math.PI * f);
  }
}

const responses = new Map<string, Float64Array>();

/**
 * Frequency response (real, length P = paddedLength(cols), numpy bin order) of the
 * band-limited ramp (Kak & Slaney eq. 61, tau = 1 pixel) times the window. Cached; do not
 * modify the returned array.
 */
export function rampResponse(cols: number, name: RampFilterName = "ram-lak"): Float64Array {
  checkFilterName(name);
  const P = paddedLength(cols);
  const key = `${P}:${name}`;
  let H = responses.get(key);
  if (H) return H;
  // h(n) at circular positions: n = 0 .. P/2 then -(P/2 - 1) .. -1.
  const h = new Float64Array(2 * P);
  h[0] = 0.25;
  for (let m = 1; m < P; m++) {
    const n = m <= P / 2 ? m : m - P;
    if (n % 2 !== 0) h[2 * m] = -1 / (Math.PI * Math.PI * n * n);
  }
  const spectrum = new Float64Array(2 * P);
  fft(h, spectrum);
  H = new Float64Array(P);
  for (let k = 0; k < P; k++) H[k] = spectrum[2 * k]! * windowAt(name, fftFrequency(k, P));
  responses.set(key, H);
  return H;
}

/**
 * Filters detector rows of a fixed length with one ramp filter, reusing its buffers.
 * Not re-entrant (one instance per thread).
 */
export class RowFilter {
  readonly cols: number;
  readonly name: RampFilterName;
  readonly padded: number;
  private readonly H: Float64Array;
  private readonly buf: Float64Array;
  private readonly spec: Float64Array;

  constructor(cols: number, name: RampFilterName = "ram-lak") {
    this.cols = cols;
    this.name = name;
    this.H = rampResponse(cols, name);
    this.padded = this.H.length;
    this.buf = new Float64Array(2 * this.padded);
    this.spec = new Float64Array(2 * this.padded);
  }

  /**
   * Filter two rows at once (b may be null): out = row convolved with the ramp, in pixel
   * units, times `scale`. Each input and output holds `cols` values (read from offset
   * aOff/bOff, written at outAOff/outBOff).
   */
  filterPair(
    src: ArrayLike<number>, aOff: number, bOff: number,
    out: Float32Array, outAOff: number, outBOff: number,
    scale = 1, hasB = true,
  ): void {
    const { cols, padded: P, H, buf, spec } = this;
    buf.fill(0);
    if (hasB) {
      for (let c = 0; c < cols; c++) {
        buf[2 * c] = src[aOff + c]!;
        buf[2 * c + 1] = src[bOff + c]!;
      }
    } else {
      for (let c = 0; c < cols; c++) buf[2 * c] = src[aOff + c]!;
    }
    fft(buf, spec);
    for (let k = 0; k < P; k++) {
      const g = H[k]!;
      spec[2 * k] = spec[2 * k]! * g;
      spec[2 * k + 1] = spec[2 * k + 1]! * g;
    }
    ifft(spec, buf);
    for (let c = 0; c < cols; c++) out[outAOff + c] = buf[2 * c]! * scale;
    if (hasB) for (let c = 0; c < cols; c++) out[outBOff + c] = buf[2 * c + 1]! * scale;
  }

  /**
   * Filter `count` consecutive rows of `cols` values from `src` (starting at srcOffset)
   * into `out` (starting at outOffset), each times `scale`. src and out may be the same
   * array (rows are read before they are written).
   */
  filterRows(src: ArrayLike<number>, srcOffset: number, out: Float32Array, outOffset: number, count: number, scale = 1): void {
    const n = this.cols;
    let r = 0;
    for (; r + 1 < count; r += 2) {
      this.filterPair(src, srcOffset + r * n, srcOffset + (r + 1) * n, out, outOffset + r * n, outOffset + (r + 1) * n, scale, true);
    }
    if (r < count) this.filterPair(src, srcOffset + r * n, 0, out, outOffset + r * n, 0, scale, false);
  }
}
