/**
 * A half-space: every point p with (p - point) . normal <= 0 (closed). The normal points
 * OUT of the filled side, like an outward surface normal. Value 1 where filled.
 */
import type { Vec3 } from "../../core/grid.js";
import { OUTSIDE, type AnalyticObject, type Ray } from "./types.js";
import { checkMaterial, checkVec3, type Bounds } from "./intersect.js";
import type { ThinFeatures } from "./thin.js";

export interface HalfplaneParams {
  readonly material: string;
  /** A point (m) on the bounding plane, relative to the volume centre. */
  readonly point: Vec3;
  /** Outward normal of the filled half-space (normalised if not unit). */
  readonly normal: Vec3;
}

class Halfplane implements AnalyticObject, ThinFeatures {
  readonly type = "halfplane";
  readonly material: string;
  readonly bounds: Bounds;
  private readonly nx: number;
  private readonly ny: number;
  private readonly nz: number;
  /** Plane offset: filled where n . p <= k. */
  private readonly k: number;

  constructor(p: HalfplaneParams) {
    checkMaterial(p.material, "halfplane");
    checkVec3(p.point, "halfplane point");
    checkVec3(p.normal, "halfplane normal");
    const len = Math.hypot(p.normal[0], p.normal[1], p.normal[2]);
    if (!(len > 0)) throw new RangeError(`halfplane normal must be non-zero, got [${p.normal.join(", ")}]`);
    this.material = p.material;
    this.nx = p.normal[0] / len;
    this.ny = p.normal[1] / len;
    this.nz = p.normal[2] / len;
    this.k = this.nx * p.point[0] + this.ny * p.point[1] + this.nz * p.point[2];
    // Bounded on one side only when the normal is along a coordinate axis; otherwise the
    // filled region reaches infinity along every axis.
    const n = [this.nx, this.ny, this.nz];
    const min = [-Infinity, -Infinity, -Infinity];
    const max = [Infinity, Infinity, Infinity];
    for (let i = 0; i < 3; i++) {
      if (n[(i + 1) % 3] === 0 && n[(i + 2) % 3] === 0) {
        if (n[i]! > 0) max[i] = p.point[i]!;
        else min[i] = p.point[i]!;
      }
    }
    this.bounds = { min: min as unknown as Vec3, max: max as unknown as Vec3 };
  }

  valueAt(x: number, y: number, z: number): number {
    return this.nx * x + this.ny * y + this.nz * z <= this.k ? 1 : OUTSIDE;
  }

  crossings(ray: Ray, out: number[]): void {
    const o = ray.origin, d = ray.direction;
    const dn = this.nx * d[0] + this.ny * d[1] + this.nz * d[2];
    // A ray parallel to the plane never crosses it (it is entirely in or out).
    if (dn === 0) return;
    const t = (this.k - (this.nx * o[0] + this.ny * o[1] + this.nz * o[2])) / dn;
    if (Number.isFinite(t)) out.push(t);
  }

  thinBounds(): Bounds[] {
    return [];
  }
}

export function createHalfplane(params: HalfplaneParams): AnalyticObject & ThinFeatures {
  return new Halfplane(params);
}
