/**
 * Discrete Fourier transforms for the whole project, on top of fft.js (F. Indutny, MIT; a
 * radix-4 Cooley-Tukey FFT over power-of-two sizes). One plan per size is cached; 1-D
 * transforms run on interleaved complex Float64Arrays ([re0, im0, re1, im1, ...]) and the
 * 2-D transform reuses one block of column buffers per size, so nothing is allocated per row.
 *
 * Conventions (numpy.fft's): forward X[k] = sum_n x[n] exp(-2 pi i k n / N); inverse
 * x[n] = (1/N) sum_k X[k] exp(+2 pi i k n / N). Frequencies of bin k: k / N for
 * k < N/2, (k - N) / N above (`fftFrequency`).
 */
import FFT from "fft.js";

const plans = new Map<number, FFT>();
const scratch = new Map<number, Float64Array>();

/** Smallest power of two >= n (n >= 1; 2 for n <= 2, the smallest size fft.js takes). */
export function nextPowerOfTwo(n: number): number {
  if (!(Number.isFinite(n) && n >= 1)) throw new RangeError(`FFT length must be >= 1, got ${n}`);
  let p = 2;
  while (p < n) p *= 2;
  return p;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;
}

function plan(n: number): FFT {
  let p = plans.get(n);
  if (!p) {
    if (!isPowerOfTwo(n)) throw new RangeError(`FFT length must be a power of two >= 2, got ${n} (pad with nextPowerOfTwo)`);
    p = new FFT(n);
    plans.set(n, p);
  }
  return p;
}

/** Reused complex buffer of length n that receives transforms. */
function buffer(n: number): Float64Array {
  let b = scratch.get(n);
  if (!b) {
    b = new Float64Array(2 * n);
    scratch.set(n, b);
  }
  return b;
}

function checkComplex(a: Float64Array, n: number, what: string): void {
  if (a.length !== 2 * n) throw new RangeError(`${what} holds ${a.length} values, a complex length-${n} transform needs ${2 * n}`);
}

/** Forward complex FFT of `input` (interleaved, length 2n) into `out` (a different array). */
export function fft(input: Float64Array, out: Float64Array): void {
  const n = input.length >> 1;
  checkComplex(out, n, "output");
  plan(n).transform(out, input);
}

/** Inverse complex FFT (with the 1/N) of `input` into `out` (a different array). */
export function ifft(input: Float64Array, out: Float64Array): void {
  const n = input.length >> 1;
  checkComplex(out, n, "output");
  plan(n).inverseTransform(out, input);
}

/**
 * Forward FFT of a real signal of length n (a power of two) into the full complex spectrum
 * `out` (length 2n, Hermitian-symmetric).
 */
export function realFft(input: Float64Array, out: Float64Array): void {
  const n = input.length;
  checkComplex(out, n, "output");
  const p = plan(n);
  p.realTransform(out, input);
  p.completeSpectrum(out);
}

/** In-place forward (inverse = false) or inverse 1-D FFT of an interleaved array. */
export function fftInPlace(data: Float64Array, inverse = false): void {
  const n = data.length >> 1;
  const tmp = buffer(n);
  if (inverse) plan(n).inverseTransform(tmp, data);
  else plan(n).transform(tmp, data);
  data.set(tmp);
}

/** Columns transformed together by fft2d's column pass. */
const COLUMN_BLOCK = 16;
/**
 * Extra doubles between the columns of the column block: a stride of exactly 2 ny doubles
 * (a power of two) maps every column onto the same cache sets, which made the blocked gather
 * slower than the plain one; 32 more spreads them.
 */
const COLUMN_STRIDE_PAD = 32;
const columnBlocks = new Map<number, Float64Array>();

/**
 * In-place 2-D FFT of an interleaved complex image stored row-major ([y][x], nx fastest),
 * both sizes powers of two: rows first, then columns. The column pass gathers a block of
 * COLUMN_BLOCK columns at once (each image row then yields one contiguous run of 2 x 16
 * doubles instead of 16 strided reads), transforms them in the block and scatters them back;
 * the block buffer is reused per size, so nothing is allocated per row or column.
 */
export function fft2d(data: Float64Array, nx: number, ny: number, inverse = false): void {
  if (data.length !== 2 * nx * ny) throw new RangeError(`image holds ${data.length} values, a complex ${nx}x${ny} image needs ${2 * nx * ny}`);
  const px = plan(nx);
  const py = plan(ny);
  const rowOut = buffer(nx);
  for (let y = 0; y < ny; y++) {
    const row = data.subarray(2 * nx * y, 2 * nx * (y + 1));
    if (inverse) px.inverseTransform(rowOut, row);
    else px.transform(rowOut, row);
    row.set(rowOut);
  }
  const colOut = buffer(ny);
  forEachColumnBlock(data, nx, ny, (block, stride, _x0, width) => {
    for (let c = 0; c < width; c++) {
      const col = block.subarray(stride * c, stride * c + 2 * ny);
      if (inverse) py.inverseTransform(colOut, col);
      else py.transform(colOut, col);
      col.set(colOut);
    }
  });
}

/**
 * The column pass shared by the 2-D transforms here and in src/phase/fresnel.ts: gathers
 * COLUMN_BLOCK columns of an interleaved complex image [y][x] at a time into a reused block
 * (column c at block[stride c .. stride c + 2 ny)), lets `visit` transform them in place, and
 * scatters them back. Each image row yields one contiguous run per block instead of strided
 * single reads; nothing is allocated per row or column.
 */
export function forEachColumnBlock(
  data: Float64Array, nx: number, ny: number,
  visit: (block: Float64Array, stride: number, x0: number, width: number) => void,
): void {
  const stride = 2 * ny + COLUMN_STRIDE_PAD;
  let block = columnBlocks.get(ny);
  if (!block) {
    block = new Float64Array(stride * COLUMN_BLOCK);
    columnBlocks.set(ny, block);
  }
  for (let x0 = 0; x0 < nx; x0 += COLUMN_BLOCK) {
    const width = Math.min(COLUMN_BLOCK, nx - x0);
    for (let y = 0; y < ny; y++) {
      let src = 2 * (x0 + nx * y);
      let dst = 2 * y;
      for (let c = 0; c < width; c++) {
        block[dst] = data[src]!;
        block[dst + 1] = data[src + 1]!;
        src += 2;
        dst += stride;
      }
    }
    visit(block, stride, x0, width);
    for (let y = 0; y < ny; y++) {
      let dst = 2 * (x0 + nx * y);
      let src = 2 * y;
      for (let c = 0; c < width; c++) {
        data[dst] = block[src]!;
        data[dst + 1] = block[src + 1]!;
        dst += 2;
        src += stride;
      }
    }
  }
}

/** Frequency (cycles per sample) of bin k of an n-point transform, numpy.fft.fftfreq's. */
export function fftFrequency(k: number, n: number): number {
  return (k < Math.ceil(n / 2) ? k : k - n) / n;
}
