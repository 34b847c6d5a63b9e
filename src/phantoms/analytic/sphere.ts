/** A solid sphere: value 1 inside (closed), OUTSIDE elsewhere. */
import type { Vec3 } from "../../core/grid.js";
import { OUTSIDE, type AnalyticObject, type Ray } from "./types.js";
import { boundsAround, checkMaterial, checkPositive, checkVec3, unitSphereInterval, type Bounds } from "./intersect.js";
import type { ThinFeatures } from "./thin.js";

export interface SphereParams {
  readonly material: string;
  /** Centre (m), relative to the volume centre. */
  readonly center: Vec3;
  /** Radius (m). */
  readonly radius: number;
}

const interval = new Float64Array(2);

class Sphere implements AnalyticObject, ThinFeatures {
  readonly type = "sphere";
  readonly material: string;
  readonly bounds: Bounds;
  private readonly cx: number;
  private readonly cy: number;
  private readonly cz: number;
  private readonly r: number;
  private readonly r2: number;

  constructor(p: SphereParams) {
    checkMaterial(p.material, "sphere");
    checkVec3(p.center, "sphere center");
    checkPositive(p.radius, "sphere radius");
    this.material = p.material;
    [this.cx, this.cy, this.cz] = p.center;
    this.r = p.radius;
    this.r2 = p.radius * p.radius;
    this.bounds = boundsAround(p.center, [p.radius, p.radius, p.radius]);
  }

  valueAt(x: number, y: number, z: number): number {
    const dx = x - this.cx, dy = y - this.cy, dz = z - this.cz;
    return dx * dx + dy * dy + dz * dz <= this.r2 ? 1 : OUTSIDE;
  }

  crossings(ray: Ray, out: number[]): void {
    const o = ray.origin, d = ray.direction, s = 1 / this.r;
    // Scale into the unit-sphere frame: t is unchanged by the scaling.
    if (unitSphereInterval((o[0] - this.cx) * s, (o[1] - this.cy) * s, (o[2] - this.cz) * s, d[0] * s, d[1] * s, d[2] * s, interval)) {
      out.push(interval[0]!, interval[1]!);
    }
  }

  thinBounds(widthM: number): Bounds[] {
    return 2 * this.r < widthM ? [this.bounds] : [];
  }
}

export function createSphere(params: SphereParams): AnalyticObject & ThinFeatures {
  return new Sphere(params);
}
