/**
 * Fourier ring (2-D) and shell (3-D) correlation between two images of the same object, e.g.
 * reconstructions from two independent halves of the projections:
 *   FSC(r) = sum_{k in shell r} Re(F1(k) F2(k)*) / sqrt(sum |F1(k)|^2 * sum |F2(k)|^2),
 * with the half-bit information threshold of M. van Heel, M. Schatz, "Fourier shell
 * correlation threshold criteria", J. Struct. Biol. 151 (2005) 250-262,
 * doi:10.1016/j.jsb.2005.05.009, eq. 17:
 *   T_1/2bit(n) = (0.2071 + 1.9102 / sqrt(n)) / (1.2071 + 0.9102 / sqrt(n)),
 * n = number of Fourier voxels in the shell, and the fixed 1/7 threshold of P. B. Rosenthal,
 * R. Henderson, J. Mol. Biol. 333 (2003) 721, doi:10.1016/j.jmb.2003.07.013.
 *
 * Conventions: each axis is zero-padded at its end to a power of two P (src/core/fft.ts).
 * Shell s holds the frequencies with round(|f| * P_min) = s, |f| in cycles/voxel and P_min the
 * smallest padded size over the image's axes (nz = 1: rings in the xy plane), for s = 0 ..
 * P_min / 2 (Nyquist); corner frequencies beyond Nyquist are left out. Shell s's frequency is
 * s / P_min. n counts all Fourier voxels in the shell (both Hermitian halves), as van Heel
 * and Schatz do.
 *
 * Pure module.
 */
import { fft2d, fftInPlace, nextPowerOfTwo } from "../core/fft.js";
import type { RealArray, VolumeShape } from "./imageMetrics.js";

export interface FscCurve {
  /** Shell frequency, cycles/voxel (0 .. 0.5). */
  readonly frequency: Float64Array;
  /** Correlation per shell (NaN where both images have no power). */
  readonly fsc: Float64Array;
  /** Fourier voxels per shell. */
  readonly nVoxels: Float64Array;
  /** Half-bit threshold per shell. */
  readonly halfBit: Float64Array;
  /** The 1/7 threshold (same at every shell). */
  readonly oneSeventh: number;
}

/** van Heel & Schatz (2005) eq. 17: half-bit threshold for a shell of n Fourier voxels. */
export function halfBitThreshold(n: number): number {
  if (!(n >= 1)) throw new RangeError(`halfBitThreshold: shell must hold at least 1 voxel, got ${n}`);
  const r = 1 / Math.sqrt(n);
  return (0.2071 + 1.9102 * r) / (1.2071 + 0.9102 * r);
}

/** Complex padded copy of a real volume and its 2-D or 3-D forward FFT. */
function spectrum(v: RealArray, nx: number, ny: number, nz: number, px: number, py: number, pz: number): Float64Array {
  const out = new Float64Array(2 * px * py * pz);
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      const src = nx * (j + ny * k);
      const dst = 2 * px * (j + py * k);
      for (let i = 0; i < nx; i++) out[dst + 2 * i] = v[src + i]!;
    }
  }
  const plane = px * py;
  for (let k = 0; k < pz; k++) fft2d(out.subarray(2 * plane * k, 2 * plane * (k + 1)), px, py);
  if (pz > 1) {
    const col = new Float64Array(2 * pz);
    for (let p = 0; p < plane; p++) {
      for (let k = 0; k < pz; k++) {
        col[2 * k] = out[2 * (p + plane * k)]!;
        col[2 * k + 1] = out[2 * (p + plane * k) + 1]!;
      }
      fftInPlace(col);
      for (let k = 0; k < pz; k++) {
        out[2 * (p + plane * k)] = col[2 * k]!;
        out[2 * (p + plane * k) + 1] = col[2 * k + 1]!;
      }
    }
  }
  return out;
}

/** Signed frequency (cycles/voxel) of bin k of a p-point transform. */
function freq(k: number, p: number): number {
  return (k < p / 2 ? k : k - p) / p;
}

/** Fourier ring (nz = 1) or shell correlation of two volumes of the same shape. */
export function fourierShellCorrelation(a: RealArray, b: RealArray, shape: VolumeShape): FscCurve {
  const { nx, ny, nz } = shape;
  for (const [k, v] of [["nx", nx], ["ny", ny], ["nz", nz]] as const) {
    if (!(Number.isInteger(v) && v >= 1)) throw new RangeError(`fourierShellCorrelation: shape.${k} must be a positive integer, got ${v}`);
  }
  if (nx < 2 || ny < 2) throw new RangeError(`fourierShellCorrelation: image is ${nx}x${ny} in-plane, expected at least 2x2`);
  if (a.length !== nx * ny * nz || b.length !== nx * ny * nz) {
    throw new RangeError(`fourierShellCorrelation: volumes hold ${a.length} and ${b.length} values, shape ${nx}x${ny}x${nz} needs ${nx * ny * nz}`);
  }
  const px = nextPowerOfTwo(nx);
  const py = nextPowerOfTwo(ny);
  const pz = nz === 1 ? 1 : nextPowerOfTwo(nz);
  const pMin = Math.min(px, py, nz === 1 ? Infinity : pz);
  const nShells = pMin / 2 + 1;
  const fa = spectrum(a, nx, ny, nz, px, py, pz);
  const fb = spectrum(b, nx, ny, nz, px, py, pz);

  const cross = new Float64Array(nShells);
  const powA = new Float64Array(nShells);
  const powB = new Float64Array(nShells);
  const nVoxels = new Float64Array(nShells);
  for (let k = 0; k < pz; k++) {
    const fz = pz === 1 ? 0 : freq(k, pz);
    for (let j = 0; j < py; j++) {
      const fy = freq(j, py);
      for (let i = 0; i < px; i++) {
        const fx = freq(i, px);
        const s = Math.round(Math.sqrt(fx * fx + fy * fy + fz * fz) * pMin);
        if (s >= nShells) continue;
        const o = 2 * (i + px * (j + py * k));
        const ar = fa[o]!, ai = fa[o + 1]!, br = fb[o]!, bi = fb[o + 1]!;
        cross[s]! += ar * br + ai * bi;
        powA[s]! += ar * ar + ai * ai;
        powB[s]! += br * br + bi * bi;
        nVoxels[s]!++;
      }
    }
  }
  const frequency = new Float64Array(nShells);
  const fsc = new Float64Array(nShells);
  const halfBit = new Float64Array(nShells);
  for (let s = 0; s < nShells; s++) {
    frequency[s] = s / pMin;
    const den = Math.sqrt(powA[s]! * powB[s]!);
    fsc[s] = den > 0 ? cross[s]! / den : NaN;
    halfBit[s] = halfBitThreshold(nVoxels[s]!);
  }
  return { frequency, fsc, nVoxels, halfBit, oneSeventh: 1 / 7 };
}

export interface FscResolution {
  /** Whether the FSC fell below the threshold before Nyquist. */
  readonly crossed: boolean;
  /** Crossing frequency, cycles/voxel (the last shell's if it never crossed). */
  readonly frequencyPerVoxel: number;
  /** Crossing frequency, cycles/m. */
  readonly frequencyPerM: number;
  /** Resolution = 1 / frequency (the full period, the cryo-EM convention), m. */
  readonly resolutionM: number;
}

/**
 * Resolution where the FSC first falls below the half-bit curve (or 1/7), searched from
 * shell 1 (shell 0 is the mean alone), the crossing linearly interpolated between shells.
 */
export function resolutionFromFsc(curve: FscCurve, voxelSizeM: number, threshold: "half-bit" | "1/7" = "half-bit"): FscResolution {
  if (!(voxelSizeM > 0 && Number.isFinite(voxelSizeM))) throw new RangeError(`resolutionFromFsc: voxel size must be a positive length in m, got ${voxelSizeM}`);
  const n = curve.fsc.length;
  if (n < 2) throw new RangeError(`resolutionFromFsc: curve has ${n} shells, expected at least 2`);
  const t = (s: number): number => (threshold === "1/7" ? curve.oneSeventh : curve.halfBit[s]!);
  let f = curve.frequency[n - 1]!;
  let crossed = false;
  for (let s = 1; s < n; s++) {
    const d = curve.fsc[s]! - t(s);
    if (!(d < 0)) continue; // NaN (no power) does not count as a crossing
    crossed = true;
    const d0 = s === 1 ? NaN : curve.fsc[s - 1]! - t(s - 1);
    f = d0 >= 0 ? curve.frequency[s - 1]! + (d0 / (d0 - d)) * (curve.frequency[s]! - curve.frequency[s - 1]!) : curve.frequency[s]!;
    break;
  }
  return { crossed, frequencyPerVoxel: f, frequencyPerM: f / voxelSizeM, resolutionM: voxelSizeM / f };
}
