/**
 * A solid ellipsoid with semi-axes `radii` along its body axes, rotated by Euler angles
 * (R = Rz Ry Rx, body to world; see core/rotation.ts). Value 1 inside (closed).
 */
import type { Vec3 } from "../../core/grid.js";
import { rotationFromEuler, type Mat3 } from "../../core/rotation.js";
import { OUTSIDE, type AnalyticObject, type Ray } from "./types.js";
import {
  boundsAround, checkMaterial, checkPositive, checkVec3, rotatedEllipsoidHalfExtent, unitSphereInterval, type Bounds,
} from "./intersect.js";
import type { ThinFeatures } from "./thin.js";

export interface EllipsoidParams {
  readonly material: string;
  /** Centre (m), relative to the volume centre. */
  readonly center: Vec3;
  /** Semi-axes (m) along the body x, y, z axes. */
  readonly radii: Vec3;
  /** Euler angles [rx, ry, rz] (rad), R = Rz(rz) Ry(ry) Rx(rx). */
  readonly rotation: Vec3;
}

/**
 * The matrix taking a world offset p - centre to the ellipsoid's unit-sphere frame:
 * q = diag(1/a, 1/b, 1/c) R^T (p - centre); the ellipsoid is |q| <= 1.
 */
export function ellipsoidUnitMatrix(rotation: Mat3, radii: Vec3): Mat3 {
  const m = new Float64Array(9);
  for (let row = 0; row < 3; row++) {
    const inv = 1 / radii[row]!;
    // Row `row` of R^T is column `row` of R.
    m[3 * row] = rotation[row]! * inv;
    m[3 * row + 1] = rotation[3 + row]! * inv;
    m[3 * row + 2] = rotation[6 + row]! * inv;
  }
  return m;
}

const interval = new Float64Array(2);

/**
 * Chord interval of a ray with the ellipsoid (centre c, unit matrix m), into `out`.
 * Shared with the Shepp-Logan phantom.
 */
export function ellipsoidInterval(m: Mat3, cx: number, cy: number, cz: number, ray: Ray, out: Float64Array): boolean {
  const o = ray.origin, d = ray.direction;
  const px = o[0] - cx, py = o[1] - cy, pz = o[2] - cz;
  return unitSphereInterval(
    m[0]! * px + m[1]! * py + m[2]! * pz,
    m[3]! * px + m[4]! * py + m[5]! * pz,
    m[6]! * px + m[7]! * py + m[8]! * pz,
    m[0]! * d[0] + m[1]! * d[1] + m[2]! * d[2],
    m[3]! * d[0] + m[4]! * d[1] + m[5]! * d[2],
    m[6]! * d[0] + m[7]! * d[1] + m[8]! * d[2],
    out,
  );
}

/** Whether a world point is inside the ellipsoid (closed). */
export function insideEllipsoid(m: Mat3, cx: number, cy: number, cz: number, x: number, y: number, z: number): boolean {
  const px = x - cx, py = y - cy, pz = z - cz;
  const q0 = m[0]! * px + m[1]! * py + m[2]! * pz;
  const q1 = m[3]! * px + m[4]! * py + m[5]! * pz;
  const q2 = m[6]! * px + m[7]! * py + m[8]! * pz;
  return q0 * q0 + q1 * q1 + q2 * q2 <= 1;
}

class Ellipsoid implements AnalyticObject, ThinFeatures {
  readonly type = "ellipsoid";
  readonly material: string;
  readonly bounds: Bounds;
  private readonly m: Mat3;
  private readonly cx: number;
  private readonly cy: number;
  private readonly cz: number;
  private readonly minRadius: number;

  constructor(p: EllipsoidParams) {
    checkMaterial(p.material, "ellipsoid");
    checkVec3(p.center, "ellipsoid center");
    checkVec3(p.radii, "ellipsoid radii");
    p.radii.forEach((r, i) => checkPositive(r, `ellipsoid radii[${i}]`));
    checkVec3(p.rotation, "ellipsoid rotation");
    this.material = p.material;
    [this.cx, this.cy, this.cz] = p.center;
    const rot = rotationFromEuler(p.rotation);
    this.m = ellipsoidUnitMatrix(rot, p.radii);
    this.minRadius = Math.min(...p.radii);
    this.bounds = boundsAround(p.center, rotatedEllipsoidHalfExtent(rot, p.radii[0], p.radii[1], p.radii[2]));
  }

  valueAt(x: number, y: number, z: number): number {
    return insideEllipsoid(this.m, this.cx, this.cy, this.cz, x, y, z) ? 1 : OUTSIDE;
  }

  crossings(ray: Ray, out: number[]): void {
    if (ellipsoidInterval(this.m, this.cx, this.cy, this.cz, ray, interval)) out.push(interval[0]!, interval[1]!);
  }

  thinBounds(widthM: number): Bounds[] {
    return 2 * this.minRadius < widthM ? [this.bounds] : [];
  }
}

export function createEllipsoid(params: EllipsoidParams): AnalyticObject & ThinFeatures {
  return new Ellipsoid(params);
}
