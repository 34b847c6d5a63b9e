/**
 * Exact Euclidean distance transform of a mask.
 *
 * P. F. Felzenszwalb, D. P. Huttenlocher, "Distance transforms of sampled functions",
 * Theory of Computing 8 (2012) 415, doi:10.4086/toc.2012.v008a019. The squared distance
 * D(p) = min_q (|p - q|^2 + f(q)), with f = 0 on the target voxels and +infinity elsewhere,
 * separates into one 1-D transform per axis: along a line, D is the lower envelope of the
 * parabolas (w (p - q))^2 + f(q), found in O(n) by sweeping the parabolas in order and
 * dropping those hidden by the next (Section 3 of the paper). Applying it along x, then y,
 * then z is exact, so the result equals the brute-force minimum over all target voxels (up
 * to rounding of the final square root). Anisotropic voxels scale each axis by its spacing w.
 *
 * Distances are between voxel centres: a foreground voxel touching the background face-on
 * is at distance 1 (in voxel units), as in scipy.ndimage.distance_transform_edt. Samples at
 * +infinity take no part in an envelope, so lines without a target stay at +infinity; a
 * volume with no target voxel at all is +infinity everywhere outside the target.
 */
import { checkShape, type VolumeShape } from "./shape.js";

export interface DistanceOptions {
  /**
   * Voxel spacing per axis, [sx, sy, sz], or one number for cubic voxels (default 1: distances
   * in voxel units; pass the grid's voxelSizeM for metres).
   */
  readonly spacing?: number | readonly [number, number, number];
  /**
   * "background" (default): for each foreground (non-zero) voxel, the distance to the nearest
   * background voxel (0 on the background). "foreground": for each background voxel, the
   * distance to the nearest foreground voxel (0 on the foreground).
   */
  readonly to?: "background" | "foreground";
}

/** Squared Euclidean distance of each voxel to the nearest target voxel (see DistanceOptions). */
export function squaredDistanceTransform(mask: ArrayLike<number>, shape: VolumeShape, options: DistanceOptions = {}): Float64Array {
  const n = checkShape(shape, mask.length, "mask");
  const [sx, sy, sz] = spacingOf(options.spacing);
  const to = options.to ?? "background";
  if (to !== "background" && to !== "foreground") throw new RangeError(`distance "to" must be "background" or "foreground", got ${String(to)}`);
  const targetIsZero = to === "background";
  const d = new Float64Array(n);
  for (let p = 0; p < n; p++) d[p] = (mask[p] === 0) === targetIsZero ? 0 : Infinity;
  const { nx, ny, nz } = shape;
  const longest = Math.max(nx, ny, nz);
  const line = new Float64Array(longest);
  const out = new Float64Array(longest);
  const sites = new Int32Array(longest);
  const bounds = new Float64Array(longest + 1);
  // x lines
  if (nx > 1) {
    for (let r = 0; r < ny * nz; r++) {
      const base = r * nx;
      for (let i = 0; i < nx; i++) line[i] = d[base + i]!;
      envelope1d(line, nx, sx, out, sites, bounds);
      for (let i = 0; i < nx; i++) d[base + i] = out[i]!;
    }
  }
  if (ny > 1) {
    for (let k = 0; k < nz; k++) {
      for (let i = 0; i < nx; i++) {
        const base = i + nx * ny * k;
        for (let j = 0; j < ny; j++) line[j] = d[base + nx * j]!;
        envelope1d(line, ny, sy, out, sites, bounds);
        for (let j = 0; j < ny; j++) d[base + nx * j] = out[j]!;
      }
    }
  }
  if (nz > 1) {
    const nxy = nx * ny;
    for (let q = 0; q < nxy; q++) {
      for (let k = 0; k < nz; k++) line[k] = d[q + nxy * k]!;
      envelope1d(line, nz, sz, out, sites, bounds);
      for (let k = 0; k < nz; k++) d[q + nxy * k] = out[k]!;
    }
  }
  return d;
}

/** Euclidean distance of each voxel to the nearest target voxel: sqrt of the squared transform. */
export function distanceTransform(mask: ArrayLike<number>, shape: VolumeShape, options: DistanceOptions = {}): Float64Array {
  const d = squaredDistanceTransform(mask, shape, options);
  for (let p = 0; p < d.length; p++) d[p] = Math.sqrt(d[p]!);
  return d;
}

/**
 * 1-D squared distance transform of f[0..n) with sample spacing w into out: the lower
 * envelope of the parabolas w^2 (p - q)^2 + f(q) over the finite samples q (algorithm DT(f)
 * of Felzenszwalb & Huttenlocher 2012, Section 3). `sites` holds the envelope's parabola
 * positions and `bounds` the abscissae where each takes over.
 */
function envelope1d(f: Float64Array, n: number, w: number, out: Float64Array, sites: Int32Array, bounds: Float64Array): void {
  const w2 = w * w;
  let top = -1;
  for (let q = 0; q < n; q++) {
    const fq = f[q]!;
    if (fq === Infinity) continue;
    if (top < 0) {
      top = 0;
      sites[0] = q;
      bounds[0] = -Infinity;
      bounds[1] = Infinity;
      continue;
    }
    // Drop the parabolas that the one from q hides (bounds[0] = -infinity stops the loop).
    let v = sites[top]!;
    let s = (fq + w2 * q * q - (f[v]! + w2 * v * v)) / (2 * w2 * (q - v));
    while (s <= bounds[top]!) {
      top--;
      v = sites[top]!;
      s = (fq + w2 * q * q - (f[v]! + w2 * v * v)) / (2 * w2 * (q - v));
    }
    top++;
    sites[top] = q;
    bounds[top] = s;
    bounds[top + 1] = Infinity;
  }
  if (top < 0) {
    for (let p = 0; p < n; p++) out[p] = Infinity;
    return;
  }
  let e = 0;
  for (let p = 0; p < n; p++) {
    while (bounds[e + 1]! < p) e++;
    const v = sites[e]!;
    const dp = p - v;
    out[p] = w2 * dp * dp + f[v]!;
  }
}

function spacingOf(spacing: DistanceOptions["spacing"]): [number, number, number] {
  const s: [number, number, number] = spacing === undefined ? [1, 1, 1] : typeof spacing === "number" ? [spacing, spacing, spacing] : [spacing[0], spacing[1], spacing[2]];
  for (const v of s) {
    if (!(v > 0 && Number.isFinite(v))) throw new RangeError(`voxel spacing must be positive and finite, got ${v}`);
  }
  return s;
}
