/**
 * A solid rectangular box with full edge lengths `size` along its body axes, rotated by
 * Euler angles (R = Rz Ry Rx, body to world; see core/rotation.ts). Value 1 inside (closed).
 */
import type { Vec3 } from "../../core/grid.js";
import { rotationFromEuler } from "../../core/rotation.js";
import { OUTSIDE, type AnalyticObject, type Ray } from "./types.js";
import { boundsAround, checkMaterial, checkPositive, checkVec3, clipSlab, rotatedBoxHalfExtent, type Bounds } from "./intersect.js";
import type { ThinFeatures } from "./thin.js";

export interface BoxParams {
  readonly material: string;
  /** Centre (m), relative to the volume centre. */
  readonly center: Vec3;
  /** Full edge lengths (m) along the body x, y, z axes. */
  readonly size: Vec3;
  /** Euler angles [rx, ry, rz] (rad), R = Rz(rz) Ry(ry) Rx(rx). */
  readonly rotation: Vec3;
}

const interval = new Float64Array(2);

class Box implements AnalyticObject, ThinFeatures {
  readonly type = "box";
  readonly material: string;
  readonly bounds: Bounds;
  private readonly cx: number;
  private readonly cy: number;
  private readonly cz: number;
  /** R^T row-major: body coordinate i = row i . (p - centre). */
  private readonly m: Float64Array;
  private readonly hx: number;
  private readonly hy: number;
  private readonly hz: number;

  constructor(p: BoxParams) {
    checkMaterial(p.material, "box");
    checkVec3(p.center, "box center");
    checkVec3(p.size, "box size");
    p.size.forEach((s, i) => checkPositive(s, `box size[${i}]`));
    checkVec3(p.rotation, "box rotation");
    this.material = p.material;
    [this.cx, this.cy, this.cz] = p.center;
    const r = rotationFromEuler(p.rotation);
    this.m = Float64Array.of(r[0]!, r[3]!, r[6]!, r[1]!, r[4]!, r[7]!, r[2]!, r[5]!, r[8]!);
    this.hx = p.size[0] / 2;
    this.hy = p.size[1] / 2;
    this.hz = p.size[2] / 2;
    this.bounds = boundsAround(p.center, rotatedBoxHalfExtent(r, this.hx, this.hy, this.hz));
  }

  valueAt(x: number, y: number, z: number): number {
    const m = this.m;
    const px = x - this.cx, py = y - this.cy, pz = z - this.cz;
    const a = m[0]! * px + m[1]! * py + m[2]! * pz;
    if (a > this.hx || a < -this.hx) return OUTSIDE;
    const b = m[3]! * px + m[4]! * py + m[5]! * pz;
    if (b > this.hy || b < -this.hy) return OUTSIDE;
    const c = m[6]! * px + m[7]! * py + m[8]! * pz;
    return c > this.hz || c < -this.hz ? OUTSIDE : 1;
  }

  crossings(ray: Ray, out: number[]): void {
    const m = this.m, o = ray.origin, d = ray.direction;
    const px = o[0] - this.cx, py = o[1] - this.cy, pz = o[2] - this.cz;
    // Slab method (Kay & Kajiya, "Ray tracing complex scenes", SIGGRAPH 1986) in the body
    // frame; a convex box gives one chord: two crossings or none.
    interval[0] = -Infinity;
    interval[1] = Infinity;
    if (!clipSlab(m[0]! * px + m[1]! * py + m[2]! * pz, m[0]! * d[0] + m[1]! * d[1] + m[2]! * d[2], this.hx, interval)) return;
    if (!clipSlab(m[3]! * px + m[4]! * py + m[5]! * pz, m[3]! * d[0] + m[4]! * d[1] + m[5]! * d[2], this.hy, interval)) return;
    if (!clipSlab(m[6]! * px + m[7]! * py + m[8]! * pz, m[6]! * d[0] + m[7]! * d[1] + m[8]! * d[2], this.hz, interval)) return;
    out.push(interval[0]!, interval[1]!);
  }

  thinBounds(widthM: number): Bounds[] {
    return 2 * Math.min(this.hx, this.hy, this.hz) < widthM ? [this.bounds] : [];
  }
}

export function createBox(params: BoxParams): AnalyticObject & ThinFeatures {
  return new Box(params);
}
