/**
 * 3x3 rotation matrices, stored row-major in a Float64Array(9): m[3 * row + col].
 *
 * Convention: a rotation maps BODY coordinates to WORLD coordinates, world = R * body.
 * The inverse (world -> body) is the transpose, which is what point-in-object tests use:
 * body = R^T (p - centre). Euler angles [rx, ry, rz] (radians) compose as
 * R = Rz(rz) * Ry(ry) * Rx(rx): rotate about x first, then y, then z, all about the fixed
 * world axes (the extrinsic x-y-z sequence, equivalently intrinsic z-y'-x''), each a
 * right-handed (counter-clockwise seen from the axis tip) active rotation.
 *
 * No allocation in apply/applyTranspose: they write into a caller's array so they can sit
 * in per-ray or per-voxel loops.
 */
import type { Vec3 } from "./grid.js";

/** Row-major 3x3 matrix: m[3 * row + col]. */
export type Mat3 = Float64Array;

/** A writable 3-vector destination. */
export type Vec3Out = Float64Array | number[];

/** The 3x3 identity. */
export function identity3(out: Mat3 = new Float64Array(9)): Mat3 {
  out.fill(0);
  out[0] = 1;
  out[4] = 1;
  out[8] = 1;
  return out;
}

/**
 * R = Rz(rz) * Ry(ry) * Rx(rx) from Euler angles [rx, ry, rz] in radians, with the
 * right-handed elementary rotations Rx(a) = [[1,0,0],[0,c,-s],[0,s,c]],
 * Ry(a) = [[c,0,s],[0,1,0],[-s,0,c]], Rz(a) = [[c,-s,0],[s,c,0],[0,0,1]].
 */
export function rotationFromEuler(angles: Vec3, out: Mat3 = new Float64Array(9)): Mat3 {
  const [rx, ry, rz] = angles;
  if (!(Number.isFinite(rx) && Number.isFinite(ry) && Number.isFinite(rz))) {
    throw new RangeError(`rotation angles must be finite numbers (radians), got [${angles.join(", ")}]`);
  }
  const cx = Math.cos(rx), sx = Math.sin(rx);
  const cy = Math.cos(ry), sy = Math.sin(ry);
  const cz = Math.cos(rz), sz = Math.sin(rz);
  // The product Rz * Ry * Rx written out (multiplied symbolically, then checked in
  // test/phantoms/rotation.test.ts against the explicit matrix product).
  out[0] = cz * cy;
  out[1] = cz * sy * sx - sz * cx;
  out[2] = cz * sy * cx + sz * sx;
  out[3] = sz * cy;
  out[4] = sz * sy * sx + cz * cx;
  out[5] = sz * sy * cx - cz * sx;
  out[6] = -sy;
  out[7] = cy * sx;
  out[8] = cy * cx;
  return out;
}

/** out = m * v. `out` may be the same array as `v`. */
export function applyRotation(m: Mat3, v: ArrayLike<number>, out: Vec3Out): Vec3Out {
  const x = v[0]!, y = v[1]!, z = v[2]!;
  out[0] = m[0]! * x + m[1]! * y + m[2]! * z;
  out[1] = m[3]! * x + m[4]! * y + m[5]! * z;
  out[2] = m[6]! * x + m[7]! * y + m[8]! * z;
  return out;
}

/** out = m^T * v (the inverse rotation: world -> body). `out` may be the same array as `v`. */
export function applyRotationTranspose(m: Mat3, v: ArrayLike<number>, out: Vec3Out): Vec3Out {
  const x = v[0]!, y = v[1]!, z = v[2]!;
  out[0] = m[0]! * x + m[3]! * y + m[6]! * z;
  out[1] = m[1]! * x + m[4]! * y + m[7]! * z;
  out[2] = m[2]! * x + m[5]! * y + m[8]! * z;
  return out;
}

/** out = a * b (matrix product). `out` must not alias `a` or `b`. */
export function multiply3(a: Mat3, b: Mat3, out: Mat3 = new Float64Array(9)): Mat3 {
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      out[3 * r + c] = a[3 * r]! * b[c]! + a[3 * r + 1]! * b[3 + c]! + a[3 * r + 2]! * b[6 + c]!;
    }
  }
  return out;
}

/**
 * A right-handed orthonormal frame (u, v, w) with w = the given axis (normalised), returned
 * as the body-to-world rotation whose COLUMNS are u, v, w: a body point (x, y, z) is
 * x u + y v + z w in the world, so an object defined along the body z axis (a cylinder)
 * ends up along `axis`.
 *
 * Built with the branch-free construction of Duff et al., "Building an Orthonormal Basis,
 * Revisited", JCGT 6(1) (2017), which is continuous everywhere except w = -z and has no
 * precision loss near w = +-z (unlike crossing with a fixed helper vector).
 */
export function frameFromAxis(axis: Vec3, out: Mat3 = new Float64Array(9)): Mat3 {
  const n = Math.hypot(axis[0], axis[1], axis[2]);
  if (!(n > 0 && Number.isFinite(n))) {
    throw new RangeError(`axis must be a non-zero finite vector, got [${axis.join(", ")}]`);
  }
  const wx = axis[0] / n, wy = axis[1] / n, wz = axis[2] / n;
  // copysign(1, wz): -0 counts as negative so that w = (0, 0, -0) still gets a valid frame.
  const sign = wz > 0 || Object.is(wz, 0) ? 1 : -1;
  const a = -1 / (sign + wz);
  const b = wx * wy * a;
  // u = (1 + sign wx^2 a, sign b, -sign wx), v = (b, sign + wy^2 a, -wy)  (Duff et al., listing 3)
  out[0] = 1 + sign * wx * wx * a;
  out[3] = sign * b;
  out[6] = -sign * wx;
  out[1] = b;
  out[4] = sign + wy * wy * a;
  out[7] = -wy;
  out[2] = wx;
  out[5] = wy;
  out[8] = wz;
  return out;
}
