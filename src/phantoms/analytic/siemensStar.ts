/**
 * A Siemens star: a disc of radius `radius` in the xy plane, `thickness` thick along z,
 * centred at `center`, cut into 2 * spokes equal angular sectors that alternate between
 * material (value 1) and absent (OUTSIDE). Sector k covers polar angles
 * [k pi / spokes, (k + 1) pi / spokes) measured counter-clockwise from +x; even k are
 * material, so the first material sector starts at +x.
 *
 * Its boundaries are the rim (a cylinder), the two faces z = +-thickness/2 and the
 * 2 * spokes half-planes through the star's axis at the sector edges. Exactly on an edge
 * (a set of zero volume) the value is 0.5, the mean of the two sides; see valueAt.
 */
import type { Vec3 } from "../../core/grid.js";
import { OUTSIDE, type AnalyticObject, type Ray } from "./types.js";
import { boundsAround, checkMaterial, checkPositive, checkVec3, clipSlab, discInterval, type Bounds } from "./intersect.js";
import type { ThinFeatures } from "./thin.js";

export interface SiemensStarParams {
  readonly material: string;
  /** Centre (m) of the disc, relative to the volume centre. */
  readonly center: Vec3;
  /** Disc radius (m). */
  readonly radius: number;
  /** Number of material spokes (there are as many gaps). */
  readonly spokes: number;
  /** Disc thickness (m) along z. */
  readonly thickness: number;
}

const interval = new Float64Array(2);
const TWO_PI = 2 * Math.PI;

/**
 * A ray whose xy projection passes closer than this fraction of the radius to the star's
 * axis is treated as passing through it: all sector edges meet there, so it is one
 * crossing rather than 2 * spokes nearly coincident ones whose order rounding would
 * scramble. The integral error this can cause is below 1e-9 radius per ray.
 */
const THROUGH_AXIS = 1e-9;

/**
 * Points within this many sectors of an edge are on it. atan2 and the scaling to sector
 * units are good to ~1e-14 sectors for up to a few hundred spokes; the band is a 1e-10
 * fraction of the disc, far below any voxel- or sub-sample-scale effect.
 */
const EDGE_TOLERANCE = 1e-10;

class SiemensStar implements AnalyticObject, ThinFeatures {
  readonly type = "siemens-star";
  readonly material: string;
  readonly bounds: Bounds;
  private readonly cx: number;
  private readonly cy: number;
  private readonly cz: number;
  private readonly r: number;
  private readonly r2: number;
  private readonly halfT: number;
  private readonly spokes: number;
  /** Sectors per radian: sector index = floor(angle * this). */
  private readonly perRad: number;
  /** cos and sin of each sector edge angle k pi / spokes. */
  private readonly edgeCos: Float64Array;
  private readonly edgeSin: Float64Array;

  constructor(p: SiemensStarParams) {
    checkMaterial(p.material, "siemens-star");
    checkVec3(p.center, "siemens-star center");
    checkPositive(p.radius, "siemens-star radius");
    checkPositive(p.thickness, "siemens-star thickness");
    if (!Number.isInteger(p.spokes) || p.spokes < 1) {
      throw new RangeError(`siemens-star spokes must be a positive integer, got ${String(p.spokes)}`);
    }
    this.material = p.material;
    [this.cx, this.cy, this.cz] = p.center;
    this.r = p.radius;
    this.r2 = p.radius * p.radius;
    this.halfT = p.thickness / 2;
    this.spokes = p.spokes;
    this.perRad = p.spokes / Math.PI;
    const n = 2 * p.spokes;
    this.edgeCos = new Float64Array(n);
    this.edgeSin = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const phi = (k * Math.PI) / p.spokes;
      this.edgeCos[k] = Math.cos(phi);
      this.edgeSin[k] = Math.sin(phi);
    }
    this.bounds = boundsAround(p.center, [p.radius, p.radius, this.halfT]);
  }

  valueAt(x: number, y: number, z: number): number {
    const dz = z - this.cz;
    if (dz > this.halfT || dz < -this.halfT) return OUTSIDE;
    const dx = x - this.cx, dy = y - this.cy;
    if (dx * dx + dy * dy > this.r2) return OUTSIDE;
    let phi = Math.atan2(dy, dx);
    if (phi < 0) phi += TWO_PI;
    const u = phi * this.perRad;
    // On a sector edge (and at the centre, where all edges meet) the point is half material:
    // the mean of the two sides. Without this, a star centred on a voxel corner or centre
    // with spokes a multiple of 4 has edges along the diagonals of the sub-sample lattice,
    // every sample on them falls on the same side of the half-open sector convention, and
    // the voxelised material comes out ~1.5% short (12 spokes, 14-voxel radius, s = 4).
    if (Math.abs(u - Math.round(u)) < EDGE_TOLERANCE) return 0.5;
    // Rounding can put phi just below 2 pi into sector 2 * spokes: that is angle 0, sector 0.
    return (Math.floor(u) & 1) === 0 ? 1 : OUTSIDE;
  }

  crossings(ray: Ray, out: number[]): void {
    const o = ray.origin, d = ray.direction;
    const ox = o[0] - this.cx, oy = o[1] - this.cy, oz = o[2] - this.cz;
    const dx = d[0], dy = d[1];
    // Rim and faces: the disc's convex hull is a short cylinder, one chord [t0, t1].
    if (!discInterval(ox, oy, dx, dy, this.r, interval)) return;
    if (!clipSlab(oz, d[2], this.halfT, interval)) return;
    const t0 = interval[0]!, t1 = interval[1]!;
    out.push(t0, t1);
    const a = dx * dx + dy * dy;
    // Parallel to the axis: the ray stays in one sector (or on an edge, measure zero).
    if (!(a > 1e-200)) return;
    // Distance of the xy line from the axis, |o x d| / |d|.
    const dist = Math.abs(ox * dy - oy * dx) / Math.sqrt(a);
    if (dist <= THROUGH_AXIS * this.r) {
      const tc = -(ox * dx + oy * dy) / a;
      if (tc > t0 && tc < t1) out.push(tc);
      return;
    }
    const n = this.edgeCos.length;
    for (let k = 0; k < n; k++) {
      const c = this.edgeCos[k]!, s = this.edgeSin[k]!;
      // Edge half-plane: points with -s x + c y = 0 and c x + s y > 0 (the half-line side).
      const dn = -s * dx + c * dy;
      if (dn === 0) continue;
      const t = (s * ox - c * oy) / dn;
      if (!(t > t0 && t < t1)) continue;
      if (c * (ox + t * dx) + s * (oy + t * dy) > 0) out.push(t);
    }
  }

  thinBounds(widthM: number): Bounds[] {
    if (2 * this.halfT < widthM) return [this.bounds];
    // A sector of angle pi / spokes is 2 rho sin(pi / (2 spokes)) wide at radius rho:
    // narrower than widthM inside rho < widthM / (2 sin(pi / (2 spokes))).
    const rho = Math.min(this.r, widthM / (2 * Math.sin(Math.PI / (2 * this.spokes))));
    return [boundsAround([this.cx, this.cy, this.cz], [rho, rho, this.halfT])];
  }
}

export function createSiemensStar(params: SiemensStarParams): AnalyticObject & ThinFeatures {
  return new SiemensStar(params);
}
