/**
 * The 3-D Shepp-Logan phantom (parameters and sources in sheppLoganData.ts), scaled so
 * that its unit cube [-1, 1]^3 maps to [-scale, scale]^3 around `center`.
 *
 * valueAt: inside the outer ellipsoid, the sum of the intensities of every ellipsoid that
 * contains the point, clamped to [0, 1]; OUTSIDE beyond the outer ellipsoid. The value is
 * the volume fraction of `material`; the rest of the point is the scene background.
 */
import type { Vec3 } from "../../core/grid.js";
import { rotationFromEuler, type Mat3 } from "../../core/rotation.js";
import { OUTSIDE, type AnalyticObject, type Ray } from "./types.js";
import { ellipsoidInterval, ellipsoidUnitMatrix, insideEllipsoid } from "./ellipsoid.js";
import { boundsAround, checkMaterial, checkPositive, checkVec3, rotatedEllipsoidHalfExtent, type Bounds } from "./intersect.js";
import { SHEPP_LOGAN_3D } from "./sheppLoganData.js";
import type { ThinFeatures } from "./thin.js";

export interface SheppLoganParams {
  readonly material: string;
  /** Centre (m) of the phantom, relative to the volume centre. */
  readonly center: Vec3;
  /** Half-width (m) of the phantom's unit cube: it occupies [-scale, scale]^3. */
  readonly scale: number;
}

interface WorldEllipsoid {
  readonly m: Mat3;
  readonly cx: number;
  readonly cy: number;
  readonly cz: number;
  readonly intensity: number;
  readonly bounds: Bounds;
  readonly minSemiAxis: number;
}

const interval = new Float64Array(2);

class SheppLogan implements AnalyticObject, ThinFeatures {
  readonly type = "shepp-logan";
  readonly material: string;
  readonly bounds: Bounds;
  private readonly ellipsoids: readonly WorldEllipsoid[];

  constructor(p: SheppLoganParams) {
    checkMaterial(p.material, "shepp-logan");
    checkVec3(p.center, "shepp-logan center");
    checkPositive(p.scale, "shepp-logan scale");
    this.material = p.material;
    const s = p.scale;
    this.ellipsoids = SHEPP_LOGAN_3D.map((e) => {
      const rot = rotationFromEuler([0, 0, (e.betaDeg * Math.PI) / 180]);
      const radii: Vec3 = [e.semiAxes[0] * s, e.semiAxes[1] * s, e.semiAxes[2] * s];
      const c: Vec3 = [p.center[0] + e.center[0] * s, p.center[1] + e.center[1] * s, p.center[2] + e.center[2] * s];
      return {
        m: ellipsoidUnitMatrix(rot, radii),
        cx: c[0], cy: c[1], cz: c[2],
        intensity: e.intensity,
        bounds: boundsAround(c, rotatedEllipsoidHalfExtent(rot, radii[0], radii[1], radii[2])),
        minSemiAxis: Math.min(...radii),
      };
    });
    this.bounds = this.ellipsoids[0]!.bounds;
  }

  valueAt(x: number, y: number, z: number): number {
    const es = this.ellipsoids;
    const outer = es[0]!;
    if (!insideEllipsoid(outer.m, outer.cx, outer.cy, outer.cz, x, y, z)) return OUTSIDE;
    let v = outer.intensity;
    for (let i = 1; i < es.length; i++) {
      const e = es[i]!;
      if (insideEllipsoid(e.m, e.cx, e.cy, e.cz, x, y, z)) v += e.intensity;
    }
    // Sums like 1 - 0.8 - 0.2 leave float dust (-5.6e-17): clamp to the documented range.
    return v < 0 ? 0 : v > 1 ? 1 : v;
  }

  crossings(ray: Ray, out: number[]): void {
    for (const e of this.ellipsoids) {
      if (ellipsoidInterval(e.m, e.cx, e.cy, e.cz, ray, interval)) out.push(interval[0]!, interval[1]!);
    }
  }

  /**
   * Small ellipsoids thinner than widthM. The skull wall, however thin, is not reported: it
   * separates two different states (brain inside, absent outside), so every voxel it
   * crosses has corners that disagree, and a voxel whose corners are all in the brain lies
   * entirely inside the convex inner ellipsoid. Supersampling the whole phantom for it
   * would cost ten times the time for nothing.
   */
  thinBounds(widthM: number): Bounds[] {
    return this.ellipsoids.filter((e) => 2 * e.minSemiAxis < widthM).map((e) => e.bounds);
  }
}

export function createSheppLogan(params: SheppLoganParams): AnalyticObject & ThinFeatures {
  return new SheppLogan(params);
}
