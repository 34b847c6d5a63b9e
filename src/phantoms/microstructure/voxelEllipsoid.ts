/**
 * An ellipsoidal particle expressed in voxel-index units, as the rasteriser, the grain
 * tessellation and the carbon-binder placement walk it row by row.
 *
 * Index space: voxel (i, j, k) sits at (i, j, k); a sample-frame point x (m) is at
 * x / s + (n - 1) / 2 along each axis (src/core/grid.ts). For an offset d = p - c (voxels)
 * the squared normalised distance is q(d) = d^T Q d with Q = R diag(1/a^2, 1/b^2, 1/c^2) R^T
 * (a, b, c in voxels, R body-to-sample): q < 1 inside, 1 on the surface. Along a row
 * (fixed dy, dz), q is the quadratic q00 dx^2 + 2 b dx + c, so the run of voxels whose
 * centres are inside q <= T is found by one square root per row.
 *
 * Pure module (no Node APIs).
 */
import type { VolumeGrid } from "../../core/grid.js";
import type { Particle } from "./types.js";

/** Slack (in q) on interval ends, so a voxel centre exactly on a surface counts as inside. */
export const SURFACE_EPS = 1e-9;

/** Ellipsoid in voxel-index units. Reused between particles (mutable, no allocation per particle). */
export class VoxelEllipsoid {
  /** Centre (voxel index units). */
  cx = 0;
  cy = 0;
  cz = 0;
  /** Q, symmetric: q00 q01 q02 / q11 q12 / q22. */
  q00 = 0;
  q01 = 0;
  q02 = 0;
  q11 = 0;
  q12 = 0;
  q22 = 0;
  /** Half extents of the axis-aligned bounding box (voxels). */
  hx = 0;
  hy = 0;
  hz = 0;
  /** Semi-axes (voxels) and the body-to-sample rotation (row-major), for seeding. */
  readonly semi = new Float64Array(3);
  readonly rot = new Float64Array(9);
  /** Smallest semi-axis (voxels). */
  minSemi = 0;

  /** Load a particle; throws on non-finite or non-positive geometry. */
  set(p: Particle, grid: VolumeGrid): this {
    const s = grid.voxelSizeM;
    const c = p.center, ax = p.semiAxes, r = p.rotation;
    if (!(Array.isArray(c) && c.length === 3 && c.every(Number.isFinite))) {
      throw new RangeError(`particle ${p.id}: centre must be three finite numbers, got ${JSON.stringify(c)}`);
    }
    if (!(Array.isArray(ax) && ax.length === 3 && ax.every((v) => v > 0 && Number.isFinite(v)))) {
      throw new RangeError(`particle ${p.id}: semi-axes must be three positive lengths (m), got ${JSON.stringify(ax)}`);
    }
    if (!(r && r.length === 9 && Array.prototype.every.call(r, (v: number) => Number.isFinite(v)))) {
      throw new RangeError(`particle ${p.id}: rotation must be a 3x3 row-major matrix of finite numbers`);
    }
    this.cx = c[0] / s + (grid.nx - 1) / 2;
    this.cy = c[1] / s + (grid.ny - 1) / 2;
    this.cz = c[2] / s + (grid.nz - 1) / 2;
    const a = ax[0] / s, b = ax[1] / s, cc = ax[2] / s;
    this.semi[0] = a;
    this.semi[1] = b;
    this.semi[2] = cc;
    this.minSemi = Math.min(a, b, cc);
    for (let i = 0; i < 9; i++) this.rot[i] = r[i]!;
    const ia = 1 / (a * a), ib = 1 / (b * b), ic = 1 / (cc * cc);
    const R = this.rot;
    // Q_ij = sum_m R_im R_jm / semi_m^2
    const qij = (i: number, j: number): number =>
      R[3 * i]! * R[3 * j]! * ia + R[3 * i + 1]! * R[3 * j + 1]! * ib + R[3 * i + 2]! * R[3 * j + 2]! * ic;
    this.q00 = qij(0, 0);
    this.q01 = qij(0, 1);
    this.q02 = qij(0, 2);
    this.q11 = qij(1, 1);
    this.q12 = qij(1, 2);
    this.q22 = qij(2, 2);
    // Bounding box of a rotated ellipsoid: h_i = |row i of R diag(a, b, c)|.
    this.hx = Math.hypot(R[0]! * a, R[1]! * b, R[2]! * cc);
    this.hy = Math.hypot(R[3]! * a, R[4]! * b, R[5]! * cc);
    this.hz = Math.hypot(R[6]! * a, R[7]! * b, R[8]! * cc);
    return this;
  }

  /** Squared normalised distance q at offset (dx, dy, dz) voxels from the centre. */
  q(dx: number, dy: number, dz: number): number {
    return (
      this.q00 * dx * dx + this.q11 * dy * dy + this.q22 * dz * dz +
      2 * (this.q01 * dx * dy + this.q02 * dx * dz + this.q12 * dy * dz)
    );
  }
}

/**
 * Offsets (dx, relative to the centre) of the row interval where q <= T, written to out[0..1];
 * false when the row misses. `b` and `c` are the row's linear and constant terms.
 */
export function rowInterval(q00: number, b: number, c: number, T: number, out: Float64Array): boolean {
  const disc = b * b - q00 * (c - T - SURFACE_EPS);
  if (disc < 0) return false;
  const root = Math.sqrt(disc);
  out[0] = (-b - root) / q00;
  out[1] = (-b + root) / q00;
  return true;
}

/**
 * Periodic images of an interval [lo, hi] (index units) on an axis of n voxels: the shifts
 * (multiples of n) for which the shifted interval meets [0, n - 1], written to `shifts`;
 * returns how many. Non-periodic axes give the single shift 0.
 */
export function imageShifts(lo: number, hi: number, n: number, periodic: boolean, shifts: Int32Array): number {
  if (!periodic) {
    shifts[0] = 0;
    return 1;
  }
  let count = 0;
  // Shift m * n moves the interval to [lo + m n, hi + m n]; keep those meeting [-0.5, n - 0.5].
  const mMin = Math.ceil((-0.5 - hi) / n);
  const mMax = Math.floor((n - 0.5 - lo) / n);
  for (let m = mMin; m <= mMax && count < shifts.length; m++) shifts[count++] = m * n;
  return count;
}
