/**
 * Free-space propagation of a complex field by the transfer-function (convolution) method:
 * u(z) = IFFT[ FFT[u(0)] H ], on a power-of-two grid with the field padded to limit the
 * wrap-around of the periodic FFT, then cropped back to its own size.
 *
 * Transfer functions (time dependence exp(-i omega t), J. W. Goodman, "Introduction to
 * Fourier Optics", 3rd ed., 2005):
 *   - "fresnel" (paraxial, Goodman eq. 4-21 without its constant phase exp(i k z)):
 *       H(fx, fy) = exp(-i pi lambda z (fx^2 + fy^2));
 *   - "angular-spectrum" (exact scalar, Goodman eq. 3-74, times exp(-i k z) to drop the
 *       same constant): H = exp(i 2 pi z (sqrt(1/lambda^2 - fx^2 - fy^2) - 1/lambda)),
 *       evanescent components (fx^2 + fy^2 > 1/lambda^2) set to zero.
 * A negative distance propagates backwards (H(-z) = conj H(z) for the propagating part).
 * The transfer function is adequately sampled while lambda |z| <= N dx^2 on the padded grid
 * of N pixels (see sampling.ts).
 *
 * Speed: the 2-D transforms are those of src/core/fft.ts (fft.js 1-D plans) but fused: rows
 * forward, then for each block of 16 columns gather, forward FFT, multiply by H, inverse
 * FFT, scatter, then rows inverse. This saves one strided pass over the image and the
 * separate multiplication pass against fft2d - multiply - fft2d (see bench/fresnel.bench.ts).
 * Buffers: one padded work image per grid size and one column block per height are reused;
 * the Fresnel transfer function is separable, so only its two 1-D factors are cached;
 * angular-spectrum ones are cached whole (stored column by column) within a memory budget.
 * Nothing is allocated per row, column or pixel.
 */
import { fft, fftFrequency, fftInPlace, forEachColumnBlock, ifft, nextPowerOfTwo } from "../core/fft.js";

export type PropagationMethod = "fresnel" | "angular-spectrum";
/** How the field is extended to the padded grid: replicate its edge values, 0, or 1 (a unit plane wave). */
export type PadMode = "edge" | "zero" | "one";

export interface PropagationOptions {
  /** Transfer function; default "fresnel". */
  method?: PropagationMethod;
  /**
   * Padded size factor, default 2: each axis is padded to the smallest power of two
   * >= pad * n, then cropped back. 1 with a power-of-two field means no padding (periodic).
   */
  pad?: number;
  /** Padding values, default "edge" (edge values replicated). */
  padMode?: PadMode;
}

/** Fresnel number N_F = a^2 / (lambda |z|) of a feature of size a at distance z. */
export function fresnelNumber(featureSizeM: number, wavelengthM: number, distanceM: number): number {
  checkPositive(featureSizeM, "feature size (m)");
  checkPositive(wavelengthM, "wavelength (m)");
  if (!(Number.isFinite(distanceM) && distanceM !== 0)) throw new RangeError(`propagation distance must be a non-zero finite number of metres, got ${distanceM}`);
  return (featureSizeM * featureSizeM) / (wavelengthM * Math.abs(distanceM));
}

/** Size of the FFT grid for n pixels at padding factor `pad`. */
export function paddedSize(n: number, pad = 2): number {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`field size must be a positive integer, got ${n}`);
  if (!(Number.isFinite(pad) && pad >= 1)) throw new RangeError(`pad factor must be a finite number >= 1, got ${pad}`);
  return nextPowerOfTwo(Math.ceil(pad * n - 1e-9));
}

/**
 * The transfer function H on an nx x ny FFT grid (unshifted FFT order, frequencies
 * fftFrequency(k, n) / pixelSizeM), as a new interleaved complex array. For inspection and
 * for callers that filter spectra themselves; fresnelPropagate uses cached factors.
 */
export function fresnelTransferFunction(
  nx: number,
  ny: number,
  pixelSizeM: number,
  wavelengthM: number,
  distanceM: number,
  method: PropagationMethod = "fresnel",
): Float64Array {
  checkGrid(nx, ny, pixelSizeM, wavelengthM, distanceM);
  const h = new Float64Array(2 * nx * ny);
  if (method === "fresnel") {
    const { hx, hy } = fresnelFactors(nx, ny, pixelSizeM, wavelengthM, distanceM);
    for (let y = 0; y < ny; y++) {
      const ar = hy[2 * y]!, ai = hy[2 * y + 1]!;
      for (let x = 0; x < nx; x++) {
        const br = hx[2 * x]!, bi = hx[2 * x + 1]!;
        h[2 * (x + nx * y)] = ar * br - ai * bi;
        h[2 * (x + nx * y) + 1] = ar * bi + ai * br;
      }
    }
  } else if (method === "angular-spectrum") {
    fillAngularSpectrum(h, nx, ny, pixelSizeM, wavelengthM, distanceM);
  } else {
    throw new RangeError(`propagation method must be "fresnel" or "angular-spectrum", got ${String(method)}`);
  }
  return h;
}

/**
 * Propagates an interleaved complex field of ny rows x nx columns (pixel pitch pixelSizeM)
 * by distanceM (negative: backwards) at wavelength wavelengthM; returns a NEW field of the
 * same size. See PropagationOptions for the method and the padding.
 */
export function fresnelPropagate(
  field: Float64Array,
  nx: number,
  ny: number,
  pixelSizeM: number,
  wavelengthM: number,
  distanceM: number,
  options: PropagationOptions = {},
): Float64Array {
  const method = options.method ?? "fresnel";
  const padMode = options.padMode ?? "edge";
  if (method !== "fresnel" && method !== "angular-spectrum") throw new RangeError(`propagation method must be "fresnel" or "angular-spectrum", got ${String(method)}`);
  if (padMode !== "edge" && padMode !== "zero" && padMode !== "one") throw new RangeError(`padMode must be "edge", "zero" or "one", got ${String(padMode)}`);
  if (!(Number.isInteger(nx) && nx >= 1 && Number.isInteger(ny) && ny >= 1)) throw new RangeError(`field size must be positive integers, got ${nx} x ${ny}`);
  if (field.length !== 2 * nx * ny) throw new RangeError(`field holds ${field.length} values, a complex ${nx} x ${ny} field needs ${2 * nx * ny}`);
  checkPositive(pixelSizeM, "pixel size (m)");
  checkPositive(wavelengthM, "wavelength (m)");
  if (!Number.isFinite(distanceM)) throw new RangeError(`propagation distance must be a finite number of metres, got ${distanceM}`);
  const out = new Float64Array(field.length);
  if (distanceM === 0) {
    out.set(field);
    return out;
  }
  const pad = options.pad ?? 2;
  const px = paddedSize(nx, pad);
  const py = paddedSize(ny, pad);
  const ox = (px - nx) >> 1;
  const oy = (py - ny) >> 1;
  // Without padding the output array itself is the FFT grid: no work image, no crop copy.
  const unpadded = px === nx && py === ny;
  const work = unpadded ? out : workBuffer(px, py);
  if (unpadded) out.set(field);
  else padInto(work, px, py, field, nx, ny, ox, oy, padMode);
  if (method === "fresnel") {
    const { hx, hy } = fresnelFactors(px, py, pixelSizeM, wavelengthM, distanceM);
    filter2d(work, px, py, hx, hy, undefined);
  } else {
    filter2d(work, px, py, undefined, undefined, angularSpectrumByColumn(px, py, pixelSizeM, wavelengthM, distanceM));
  }
  if (unpadded) return out;
  for (let y = 0; y < ny; y++) {
    const from = 2 * (ox + px * (y + oy));
    out.set(work.subarray(from, from + 2 * nx), 2 * nx * y);
  }
  return out;
}

// ---------------------------------------------------------------------------------------

function checkPositive(v: number, what: string): void {
  if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`${what} must be a positive finite number, got ${v}`);
}

function checkGrid(nx: number, ny: number, pixelSizeM: number, wavelengthM: number, distanceM: number): void {
  if (!(Number.isInteger(nx) && nx >= 2 && (nx & (nx - 1)) === 0 && Number.isInteger(ny) && ny >= 2 && (ny & (ny - 1)) === 0)) {
    throw new RangeError(`transfer-function grid must be powers of two >= 2, got ${nx} x ${ny}`);
  }
  checkPositive(pixelSizeM, "pixel size (m)");
  checkPositive(wavelengthM, "wavelength (m)");
  if (!Number.isFinite(distanceM)) throw new RangeError(`propagation distance must be a finite number of metres, got ${distanceM}`);
}

const work = new Map<string, Float64Array>();

function workBuffer(px: number, py: number): Float64Array {
  const key = `${px}x${py}`;
  let b = work.get(key);
  if (!b) {
    // Keep one work image: a propagator is usually called many times on one grid size.
    work.clear();
    b = new Float64Array(2 * px * py);
    work.set(key, b);
  }
  return b;
}

/** Copies the field into the padded grid at (ox, oy) and fills the border per padMode. */
function padInto(
  dst: Float64Array, px: number, py: number,
  src: Float64Array, nx: number, ny: number, ox: number, oy: number, mode: PadMode,
): void {
  if (mode !== "edge") {
    const fillRe = mode === "one" ? 1 : 0;
    for (let i = 0; i < dst.length; i += 2) {
      dst[i] = fillRe;
      dst[i + 1] = 0;
    }
  }
  for (let y = 0; y < ny; y++) {
    const row = 2 * px * (y + oy);
    dst.set(src.subarray(2 * nx * y, 2 * nx * (y + 1)), row + 2 * ox);
    if (mode === "edge") {
      const lr = src[2 * nx * y]!, li = src[2 * nx * y + 1]!;
      const rr = src[2 * nx * (y + 1) - 2]!, ri = src[2 * nx * (y + 1) - 1]!;
      for (let x = 0; x < ox; x++) {
        dst[row + 2 * x] = lr;
        dst[row + 2 * x + 1] = li;
      }
      for (let x = ox + nx; x < px; x++) {
        dst[row + 2 * x] = rr;
        dst[row + 2 * x + 1] = ri;
      }
    }
  }
  if (mode === "edge") {
    const first = dst.subarray(2 * px * oy, 2 * px * (oy + 1));
    const last = dst.subarray(2 * px * (oy + ny - 1), 2 * px * (oy + ny));
    for (let y = 0; y < oy; y++) dst.set(first, 2 * px * y);
    for (let y = oy + ny; y < py; y++) dst.set(last, 2 * px * y);
  }
}

interface SeparableFactors {
  hx: Float64Array;
  hy: Float64Array;
}

const separableCache = new Map<string, SeparableFactors>();
const SEPARABLE_CACHE_ENTRIES = 16;

/** 1-D factors exp(-i pi lambda z f^2) along x and y: H = hx(fx) hy(fy). */
function fresnelFactors(px: number, py: number, dx: number, lambda: number, z: number): SeparableFactors {
  const key = `${px},${py},${dx},${lambda},${z}`;
  let f = separableCache.get(key);
  if (f) return f;
  f = { hx: chirp(px, dx, lambda, z), hy: chirp(py, dx, lambda, z) };
  if (separableCache.size >= SEPARABLE_CACHE_ENTRIES) separableCache.delete(separableCache.keys().next().value!);
  separableCache.set(key, f);
  return f;
}

function chirp(n: number, dx: number, lambda: number, z: number): Float64Array {
  const h = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    const f = fftFrequency(k, n) / dx;
    const phase = -Math.PI * lambda * z * f * f;
    h[2 * k] = Math.cos(phase);
    h[2 * k + 1] = Math.sin(phase);
  }
  return h;
}

const angularCache = new Map<string, Float64Array>();
/** Bytes of angular-spectrum transfer functions kept (a 4096^2 one alone is 256 MiB). */
const ANGULAR_CACHE_BYTES = 1 << 27;
let angularCacheBytes = 0;

/** The angular-spectrum H transposed ([x][y], y fastest), the order the column pass reads it in. */
function angularSpectrumByColumn(px: number, py: number, dx: number, lambda: number, z: number): Float64Array {
  const key = `${px},${py},${dx},${lambda},${z}`;
  let h = angularCache.get(key);
  if (h) return h;
  h = new Float64Array(2 * px * py);
  // fillAngularSpectrum writes [rows][cols]; rows of length py indexed by x give [x][y].
  fillAngularSpectrum(h, py, px, dx, lambda, z);
  if (h.byteLength <= ANGULAR_CACHE_BYTES) {
    while (angularCacheBytes + h.byteLength > ANGULAR_CACHE_BYTES) {
      const oldest = angularCache.keys().next().value!;
      angularCacheBytes -= angularCache.get(oldest)!.byteLength;
      angularCache.delete(oldest);
    }
    angularCache.set(key, h);
    angularCacheBytes += h.byteLength;
  }
  return h;
}

function fillAngularSpectrum(h: Float64Array, px: number, py: number, dx: number, lambda: number, z: number): void {
  const kMax2 = 1 / (lambda * lambda);
  const invLambda = 1 / lambda;
  for (let y = 0; y < py; y++) {
    const fy = fftFrequency(y, py) / dx;
    for (let x = 0; x < px; x++) {
      const fx = fftFrequency(x, px) / dx;
      const f2 = fx * fx + fy * fy;
      const i = 2 * (x + px * y);
      if (f2 >= kMax2) {
        h[i] = 0;
        h[i + 1] = 0;
        continue;
      }
      // sqrt(1/lambda^2 - f^2) - 1/lambda, rationalised: no cancellation at X-ray lambda.
      const kz = -f2 / (invLambda + Math.sqrt(kMax2 - f2));
      const phase = 2 * Math.PI * z * kz;
      h[i] = Math.cos(phase);
      h[i + 1] = Math.sin(phase);
    }
  }
}

/** Per column length: the scratch column the transfer function is applied in. */
const columnScratch = new Map<number, Float64Array>();

/**
 * In place: data <- IFFT2[ FFT2[data] H ], H either separable (hx[x] hy[y]) or given whole
 * column by column (hByColumn[2 (y + py x)]). numpy.fft conventions (see src/core/fft.ts).
 */
function filter2d(
  data: Float64Array, px: number, py: number,
  hx: Float64Array | undefined, hy: Float64Array | undefined, hByColumn: Float64Array | undefined,
): void {
  for (let y = 0; y < py; y++) fftInPlace(data.subarray(2 * px * y, 2 * px * (y + 1)));
  let column = columnScratch.get(py);
  if (!column) {
    column = new Float64Array(2 * py);
    columnScratch.set(py, column);
  }
  const scratch = column;
  forEachColumnBlock(data, px, py, (block, stride, x0, width) => {
    for (let c = 0; c < width; c++) {
      const col = block.subarray(stride * c, stride * c + 2 * py);
      fft(col, scratch);
      const x = x0 + c;
      if (hx && hy) {
        const br = hx[2 * x]!, bi = hx[2 * x + 1]!;
        for (let y = 0; y < py; y++) {
          const ar = hy[2 * y]!, ai = hy[2 * y + 1]!;
          const hr = ar * br - ai * bi;
          const hi = ar * bi + ai * br;
          const ur = scratch[2 * y]!, ui = scratch[2 * y + 1]!;
          scratch[2 * y] = ur * hr - ui * hi;
          scratch[2 * y + 1] = ur * hi + ui * hr;
        }
      } else {
        const h = hByColumn!;
        const base = 2 * py * x;
        for (let y = 0; y < py; y++) {
          const hr = h[base + 2 * y]!, hi = h[base + 2 * y + 1]!;
          const ur = scratch[2 * y]!, ui = scratch[2 * y + 1]!;
          scratch[2 * y] = ur * hr - ui * hi;
          scratch[2 * y + 1] = ur * hi + ui * hr;
        }
      }
      ifft(scratch, col);
    }
  });
  for (let y = 0; y < py; y++) fftInPlace(data.subarray(2 * px * y, 2 * px * (y + 1)), true);
}
