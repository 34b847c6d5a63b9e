/**
 * Separable Gaussian smoothing of a volume, used to calm the ripples a digital surface leaves
 * in a distance map before its maxima become watershed markers.
 *
 * The kernel is the sampled Gaussian exp(-x^2 / 2 sigma^2), truncated at 4 sigma and
 * normalised to unit sum (as scipy.ndimage.gaussian_filter); borders are mirrored with the
 * edge sample repeated ("reflect": d c b a | a b c d | d c b a), so a constant volume stays
 * constant. An axis of length 1 is left alone (2-D images).
 */
import { checkShape, type VolumeShape } from "./shape.js";

/** Gaussian-smoothed copy of `values` with standard deviation `sigma` in voxels (0: a copy). */
export function gaussianSmooth(values: ArrayLike<number>, shape: VolumeShape, sigma: number): Float64Array {
  const n = checkShape(shape, values.length, "volume");
  if (!(sigma >= 0 && Number.isFinite(sigma))) throw new RangeError(`Gaussian sigma must be a non-negative number of voxels, got ${sigma}`);
  const out = Float64Array.from(values);
  if (sigma === 0 || n === 0) return out;
  const radius = Math.max(1, Math.ceil(4 * sigma));
  const kernel = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let t = -radius; t <= radius; t++) sum += kernel[t + radius] = Math.exp((-t * t) / (2 * sigma * sigma));
  for (let t = 0; t < kernel.length; t++) kernel[t]! /= sum;
  const { nx, ny, nz } = shape;
  const longest = Math.max(nx, ny, nz);
  const line = new Float64Array(longest);
  const axes: [number, number, number][] = [
    [nx, 1, ny * nz],
    [ny, nx, nx * nz],
    [nz, nx * ny, nx * ny],
  ];
  for (let axis = 0; axis < 3; axis++) {
    const [len, stride, lines] = axes[axis]!;
    if (len === 1) continue;
    for (let l = 0; l < lines; l++) {
      const base = lineStart(axis, l, nx, ny);
      for (let t = 0; t < len; t++) line[t] = out[base + t * stride]!;
      for (let t = 0; t < len; t++) {
        let acc = 0;
        for (let u = -radius; u <= radius; u++) acc += kernel[u + radius]! * line[reflect(t + u, len)]!;
        out[base + t * stride] = acc;
      }
    }
  }
  return out;
}

/** Flat index of the first voxel of line `l` along `axis`. */
function lineStart(axis: number, l: number, nx: number, ny: number): number {
  if (axis === 0) return l * nx;
  if (axis === 1) {
    const k = Math.floor(l / nx);
    return (l - k * nx) + nx * ny * k;
  }
  return l;
}

/** Mirror index t into 0..n-1 with the edge sample repeated. */
function reflect(t: number, n: number): number {
  const period = 2 * n;
  let r = t % period;
  if (r < 0) r += period;
  return r < n ? r : period - 1 - r;
}
