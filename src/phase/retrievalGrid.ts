/**
 * Shared plumbing of the phase-retrieval methods (src/phase/retrieval.ts): checking the
 * inputs, resolving the wavelength, and the padded Fourier grid every method filters on.
 *
 * Images are [row][col] (x fastest), nx columns by ny rows, pixel pitch pixelSizeM (m). A
 * filter in Fourier space treats the image as periodic, so each image is embedded in a
 * power-of-two canvas of at least `pad` times its size, the margin filled by replicating the
 * nearest edge pixel (no jump at the border for the filter to ring on), and cropped back.
 * The frequencies are numpy.fft.fftfreq's (src/core/fft.ts) divided by the pixel size:
 * f in cycles per metre.
 */
import { wavelengthM as wavelengthOfEnergy } from "../core/constants.js";
import { fftFrequency, nextPowerOfTwo } from "../core/fft.js";

/** A flat-field-corrected image I/I0 (dimensionless). */
export type RetrievalImage = Float64Array | Float32Array;

/** The wavelength, given directly or as a photon energy. */
export interface WavelengthOption {
  /** X-ray wavelength (m). Give this or energyKeV. */
  wavelengthM?: number;
  /** Photon energy (keV), lambda = hc / E. Give this or wavelengthM. */
  energyKeV?: number;
}

/** The padded canvas: image size, canvas size, where the image sits, squared frequencies. */
export interface RetrievalGrid {
  nx: number;
  ny: number;
  /** Canvas columns and rows (powers of two). */
  px: number;
  py: number;
  /** Column and row of the canvas where the image's pixel (0, 0) sits. */
  ox: number;
  oy: number;
  /** fx^2 per canvas column and fy^2 per canvas row (cycles^2 / m^2). */
  fx2: Float64Array;
  fy2: Float64Array;
}

/** The wavelength (m) from the options; RangeError unless exactly one positive value is given. */
export function resolveWavelength(o: WavelengthOption, what: string): number {
  const hasL = o.wavelengthM !== undefined;
  const hasE = o.energyKeV !== undefined;
  if (hasL === hasE) throw new RangeError(`${what}: give exactly one of wavelengthM (m) or energyKeV (keV), got ${hasL ? "both" : "neither"}`);
  if (hasL) {
    const l = o.wavelengthM!;
    if (!(Number.isFinite(l) && l > 0)) throw new RangeError(`${what}: wavelengthM must be a positive number of metres, got ${l}`);
    return l;
  }
  const e = o.energyKeV!;
  if (!(Number.isFinite(e) && e > 0)) throw new RangeError(`${what}: energyKeV must be a positive photon energy in keV, got ${e}`);
  return wavelengthOfEnergy(e);
}

export function checkPositive(value: number, name: string, what: string, unit: string): void {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${what}: ${name} must be a positive number${unit}, got ${value}`);
}

/** RangeError unless nx, ny are positive integers and the image holds nx * ny values. */
export function checkImage(image: RetrievalImage, nx: number, ny: number, what: string): void {
  if (!(Number.isInteger(nx) && nx >= 1 && Number.isInteger(ny) && ny >= 1)) {
    throw new RangeError(`${what}: image size must be positive integers nx x ny, got ${nx} x ${ny}`);
  }
  if (image.length !== nx * ny) {
    throw new RangeError(`${what}: image holds ${image.length} values, an ${nx} x ${ny} image needs ${nx * ny}`);
  }
}

/** The canvas for an nx x ny image at least `pad` times larger per axis (pad >= 1). */
export function retrievalGrid(nx: number, ny: number, pixelSizeM: number, pad: number, what: string): RetrievalGrid {
  if (!(Number.isFinite(pad) && pad >= 1)) throw new RangeError(`${what}: pad must be a number >= 1 (canvas size / image size), got ${pad}`);
  const px = nextPowerOfTwo(Math.ceil(pad * nx));
  const py = nextPowerOfTwo(Math.ceil(pad * ny));
  const fx2 = new Float64Array(px);
  const fy2 = new Float64Array(py);
  for (let i = 0; i < px; i++) fx2[i] = (fftFrequency(i, px) / pixelSizeM) ** 2;
  for (let j = 0; j < py; j++) fy2[j] = (fftFrequency(j, py) / pixelSizeM) ** 2;
  return { nx, ny, px, py, ox: (px - nx) >> 1, oy: (py - ny) >> 1, fx2, fy2 };
}

/**
 * Writes image - offset into the real parts of the interleaved complex canvas `out`
 * (length 2 px py), the margin replicating the nearest edge pixel, imaginary parts zero.
 */
export function padInto(image: RetrievalImage, g: RetrievalGrid, out: Float64Array, offset: number): void {
  const { nx, ny, px, py, ox, oy } = g;
  for (let y = 0; y < py; y++) {
    const sy = Math.min(ny - 1, Math.max(0, y - oy));
    const row = nx * sy;
    for (let x = 0; x < px; x++) {
      const sx = Math.min(nx - 1, Math.max(0, x - ox));
      const o = 2 * (x + px * y);
      out[o] = image[row + sx]! - offset;
      out[o + 1] = 0;
    }
  }
}

/** Copies the real parts of the image's window of the canvas into `out` (nx * ny). */
export function cropReal(canvas: Float64Array, g: RetrievalGrid, out: Float64Array): void {
  const { nx, ny, px, ox, oy } = g;
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) out[x + nx * y] = canvas[2 * (x + ox + px * (y + oy))]!;
  }
}

const canvases = new Map<string, Float64Array>();

/**
 * A reused complex canvas (2 px py values, contents undefined) for slot `slot`: a scan calls
 * the retrieval once per projection on one size, so the big buffers are allocated once.
 * A new size drops the old buffers. Callers must not hand these out as results.
 */
export function canvasBuffer(g: RetrievalGrid, slot: number): Float64Array {
  const key = `${g.px}x${g.py}#${slot}`;
  let b = canvases.get(key);
  if (!b) {
    for (const k of canvases.keys()) if (!k.startsWith(`${g.px}x${g.py}#`)) canvases.delete(k);
    b = new Float64Array(2 * g.px * g.py);
    canvases.set(key, b);
  }
  return b;
}
