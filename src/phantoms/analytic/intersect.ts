/**
 * Ray-interval primitives shared by the analytic objects. Each narrows or produces a
 * parameter interval [t0, t1] of a ray o + t d written into a caller's Float64Array(2), so
 * nothing allocates per ray.
 *
 * Degenerate cases are decided explicitly rather than left to IEEE arithmetic: a ray
 * parallel to a slab or to a cylinder's axis is tested for being inside, and tangent rays
 * (zero-length chords) return "no interval". Nothing here can produce NaN for finite input.
 */
import type { Vec3 } from "../../core/grid.js";
import type { Mat3 } from "../../core/rotation.js";

export type Bounds = { readonly min: Vec3; readonly max: Vec3 };

/**
 * Below this squared direction length a ray counts as parallel (to a cylinder axis, in the
 * plane of a disc). Directions are unit vectors, so this is an angle of 1e-100 rad: no
 * representable geometry can tell the difference, and it keeps 1/a far from overflow.
 */
const PARALLEL_A = 1e-200;

/**
 * The interval where |o + t d| <= 1 (o, d already mapped into the unit-sphere frame of a
 * sphere or ellipsoid). Written as the closest approach t_c = -(o.d)/|d|^2 plus or minus a
 * half chord computed from the closest point itself, 1 - |o + t_c d|^2, instead of the
 * textbook discriminant b^2 - 4ac: when the ray starts far from a small object the
 * discriminant cancels catastrophically, the closest-point form does not (Haines et al.,
 * "Precision Improvements for Ray/Sphere Intersection", Ray Tracing Gems (2019), ch. 7).
 * Returns false for a miss or a tangent ray.
 */
export function unitSphereInterval(
  ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, out: Float64Array,
): boolean {
  const a = dx * dx + dy * dy + dz * dz;
  if (!(a > PARALLEL_A)) return false;
  const tc = -(ox * dx + oy * dy + oz * dz) / a;
  const px = ox + tc * dx, py = oy + tc * dy, pz = oz + tc * dz;
  const h2 = (1 - (px * px + py * py + pz * pz)) / a;
  if (!(h2 > 0)) return false;
  const h = Math.sqrt(h2);
  out[0] = tc - h;
  out[1] = tc + h;
  return true;
}

/**
 * The interval where x^2 + y^2 <= r^2 for the 2-D line (ox + t dx, oy + t dy): the lateral
 * surface of an infinite cylinder in its own frame. A line parallel to the axis is inside
 * for all t or for none. Same closest-point form as unitSphereInterval.
 */
export function discInterval(ox: number, oy: number, dx: number, dy: number, r: number, out: Float64Array): boolean {
  const a = dx * dx + dy * dy;
  if (!(a > PARALLEL_A)) {
    if (ox * ox + oy * oy > r * r) return false;
    out[0] = -Infinity;
    out[1] = Infinity;
    return true;
  }
  const tc = -(ox * dx + oy * dy) / a;
  const px = ox + tc * dx, py = oy + tc * dy;
  const h2 = (r * r - (px * px + py * py)) / a;
  if (!(h2 > 0)) return false;
  const h = Math.sqrt(h2);
  out[0] = tc - h;
  out[1] = tc + h;
  return true;
}

/**
 * Narrow the interval in `io` to where |o + t d| <= half along one axis (a slab). A ray
 * parallel to the slab (d = 0) keeps the interval if it lies inside (closed), else empties
 * it. Returns false once the interval is empty or degenerate (t0 >= t1).
 */
export function clipSlab(o: number, d: number, half: number, io: Float64Array): boolean {
  if (d === 0) {
    if (Math.abs(o) > half) return false;
    return io[0]! < io[1]!;
  }
  let t0 = (-half - o) / d;
  let t1 = (half - o) / d;
  if (t0 > t1) {
    const tmp = t0;
    t0 = t1;
    t1 = tmp;
  }
  if (t0 > io[0]!) io[0] = t0;
  if (t1 < io[1]!) io[1] = t1;
  return io[0]! < io[1]!;
}

/** Half extents of the axis-aligned box around a rotated box: sum_j |R_ij| h_j. */
export function rotatedBoxHalfExtent(m: Mat3, hx: number, hy: number, hz: number): Vec3 {
  return [
    Math.abs(m[0]!) * hx + Math.abs(m[1]!) * hy + Math.abs(m[2]!) * hz,
    Math.abs(m[3]!) * hx + Math.abs(m[4]!) * hy + Math.abs(m[5]!) * hz,
    Math.abs(m[6]!) * hx + Math.abs(m[7]!) * hy + Math.abs(m[8]!) * hz,
  ];
}

/**
 * Half extents of the tight axis-aligned box around a rotated ellipsoid with semi-axes
 * (a, b, c) along the columns of m: the support function of the ellipsoid along world axis
 * i is sqrt(sum_j (R_ij r_j)^2).
 */
export function rotatedEllipsoidHalfExtent(m: Mat3, a: number, b: number, c: number): Vec3 {
  return [
    Math.hypot(m[0]! * a, m[1]! * b, m[2]! * c),
    Math.hypot(m[3]! * a, m[4]! * b, m[5]! * c),
    Math.hypot(m[6]! * a, m[7]! * b, m[8]! * c),
  ];
}

export function boundsAround(center: Vec3, half: Vec3): Bounds {
  return {
    min: [center[0] - half[0], center[1] - half[1], center[2] - half[2]],
    max: [center[0] + half[0], center[1] + half[1], center[2] + half[2]],
  };
}

/** Throw unless v is a finite 3-vector. */
export function checkVec3(v: unknown, what: string): asserts v is Vec3 {
  if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => typeof x === "number" && Number.isFinite(x))) {
    throw new RangeError(`${what} must be three finite numbers, got ${JSON.stringify(v)}`);
  }
}

/** Throw unless x is a finite length > 0. */
export function checkPositive(x: unknown, what: string): asserts x is number {
  if (typeof x !== "number" || !(x > 0) || !Number.isFinite(x)) {
    throw new RangeError(`${what} must be a positive finite length (m), got ${String(x)}`);
  }
}

export function checkMaterial(material: unknown, type: string): asserts material is string {
  if (typeof material !== "string" || material.trim() === "") {
    throw new RangeError(`${type}: material must be a non-empty string, got ${JSON.stringify(material)}`);
  }
}
