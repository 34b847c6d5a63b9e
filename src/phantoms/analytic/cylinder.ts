/**
 * A finite, capped solid cylinder: radius `radius` about the line through `center` along
 * `axis`, extending height/2 either side of the centre. Value 1 inside (closed).
 */
import type { Vec3 } from "../../core/grid.js";
import { frameFromAxis } from "../../core/rotation.js";
import { OUTSIDE, type AnalyticObject, type Ray } from "./types.js";
import { boundsAround, checkMaterial, checkPositive, checkVec3, clipSlab, discInterval, type Bounds } from "./intersect.js";
import type { ThinFeatures } from "./thin.js";

export interface CylinderParams {
  readonly material: string;
  /** Centre (m) of the cylinder (mid-height on the axis), relative to the volume centre. */
  readonly center: Vec3;
  /** Radius (m). */
  readonly radius: number;
  /** Full height (m) along the axis, cap to cap. */
  readonly height: number;
  /** Axis direction (unit vector; normalised if not). */
  readonly axis: Vec3;
}

const interval = new Float64Array(2);

class Cylinder implements AnalyticObject, ThinFeatures {
  readonly type = "cylinder";
  readonly material: string;
  readonly bounds: Bounds;
  private readonly cx: number;
  private readonly cy: number;
  private readonly cz: number;
  // Body frame: u, v span the cross-section, w is the axis (world components).
  private readonly ux: number; private readonly uy: number; private readonly uz: number;
  private readonly vx: number; private readonly vy: number; private readonly vz: number;
  private readonly wx: number; private readonly wy: number; private readonly wz: number;
  private readonly r: number;
  private readonly r2: number;
  private readonly halfH: number;

  constructor(p: CylinderParams) {
    checkMaterial(p.material, "cylinder");
    checkVec3(p.center, "cylinder center");
    checkPositive(p.radius, "cylinder radius");
    checkPositive(p.height, "cylinder height");
    checkVec3(p.axis, "cylinder axis");
    this.material = p.material;
    [this.cx, this.cy, this.cz] = p.center;
    const f = frameFromAxis(p.axis); // columns u, v, w
    this.ux = f[0]!; this.uy = f[3]!; this.uz = f[6]!;
    this.vx = f[1]!; this.vy = f[4]!; this.vz = f[7]!;
    this.wx = f[2]!; this.wy = f[5]!; this.wz = f[8]!;
    this.r = p.radius;
    this.r2 = p.radius * p.radius;
    this.halfH = p.height / 2;
    // Tight box: along world axis i the caps reach h/2 |w_i| and the rims add r sqrt(1 - w_i^2).
    const ext = (wi: number) => this.halfH * Math.abs(wi) + this.r * Math.sqrt(Math.max(0, 1 - wi * wi));
    this.bounds = boundsAround(p.center, [ext(this.wx), ext(this.wy), ext(this.wz)]);
  }

  valueAt(x: number, y: number, z: number): number {
    const px = x - this.cx, py = y - this.cy, pz = z - this.cz;
    const h = this.wx * px + this.wy * py + this.wz * pz;
    if (h > this.halfH || h < -this.halfH) return OUTSIDE;
    const a = this.ux * px + this.uy * py + this.uz * pz;
    const b = this.vx * px + this.vy * py + this.vz * pz;
    return a * a + b * b <= this.r2 ? 1 : OUTSIDE;
  }

  crossings(ray: Ray, out: number[]): void {
    const o = ray.origin, d = ray.direction;
    const px = o[0] - this.cx, py = o[1] - this.cy, pz = o[2] - this.cz;
    // The cylinder is convex: its chord is the lateral (infinite-cylinder) interval
    // intersected with the slab between the caps, so exactly two crossings or none.
    if (!discInterval(
      this.ux * px + this.uy * py + this.uz * pz,
      this.vx * px + this.vy * py + this.vz * pz,
      this.ux * d[0] + this.uy * d[1] + this.uz * d[2],
      this.vx * d[0] + this.vy * d[1] + this.vz * d[2],
      this.r, interval,
    )) return;
    if (!clipSlab(this.wx * px + this.wy * py + this.wz * pz, this.wx * d[0] + this.wy * d[1] + this.wz * d[2], this.halfH, interval)) return;
    out.push(interval[0]!, interval[1]!);
  }

  thinBounds(widthM: number): Bounds[] {
    return 2 * this.r < widthM || 2 * this.halfH < widthM ? [this.bounds] : [];
  }
}

export function createCylinder(params: CylinderParams): AnalyticObject & ThinFeatures {
  return new Cylinder(params);
}
