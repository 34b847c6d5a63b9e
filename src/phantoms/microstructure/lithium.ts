/**
 * Lithium-metal anode: a flat lithium layer (on the copper foil below it), mossy lithium
 * deposits rising from its surface into the electrolyte, and an SEI layer coating every
 * lithium surface that faces the electrolyte, the deposits included.
 *
 * Mossy deposits (a geometric stand-in, not a growth simulation): each deposit is a
 * branching filament grown as a chain of small spheres (radius r_f) by a persistent random
 * walk with an upward bias, started at a uniform random point of the lithium surface:
 *   dir <- normalise(persistence dir + (1 - persistence) u + upwardBias e_z),  u uniform on S^2
 *   position <- position + r_f dir
 * Each step may fork a new tip (probability `branchProbability`, at most MAX_TIPS tips per
 * deposit). A tip stops at the deposit's own height (uniform in [0.4, 1] x heightM) and
 * nothing rises above heightM; tips are reflected at the flat surface. Deposits are added
 * until the lithium volume fraction of the region [surface, surface + heightM) over the
 * whole x-y face reaches the target (the last deposit stops mid-growth). The model gives
 * branching filaments of the right size and height for imaging tests; it has no
 * electrochemistry (no current density, no diffusion-limited growth).
 *
 * Lithium only replaces pore (electrolyte) voxels: deposits never cut a separator or each
 * other. Each deposit has its own instance id (from firstInstanceId up; grain 1) and a
 * ParticleRecord row (kind "active", material = the lithium class name, centre and
 * semi-axes of the deposit's bounding box); the flat layer is instance 0.
 *
 * SEI: the union of the dilations of the lithium by the SEI thickness t, minus the lithium,
 * restricted to pore voxels. Dilation distributes over union, so this is stamped exactly as
 * the slab [surface, surface + t) plus, for each deposit sphere, the ball of radius r_f + t.
 * (A thickness below half a voxel gives no SEI voxels on the flat surface: voxel truth.)
 *
 * Pure module (no Node APIs).
 */
import type { Vec3 } from "../../core/grid.js";
import type { Random } from "../../core/random.js";
import { fillSlab, zRangeOf, type LayerRange } from "./layers.js";
import { withParticleRecords } from "./rasterize.js";
import type { Microstructure, ParticleRecord } from "./types.js";
import { stampBall } from "./stamp.js";

/** Most growing tips one deposit keeps at once. */
export const MAX_TIPS = 64;

export interface MossyLithiumOptions {
  /** Largest height of deposits above the lithium surface (m). */
  readonly heightM: number;
  /** Lithium volume fraction of the deposit region [surface, surface + heightM), 0-1. */
  readonly volumeFraction: number;
  /** Filament (sphere) radius (m); default 1.5 voxel edges, at least 1 voxel. */
  readonly filamentRadiusM?: number;
  /** Chance per step that a tip forks (default 0.08). */
  readonly branchProbability?: number;
  /** Weight of the previous direction, 0-1 (default 0.7). */
  readonly persistence?: number;
  /** Weight of +z in each step (default 0.35). */
  readonly upwardBias?: number;
}

export interface LithiumAnodeOptions {
  /** The flat lithium layer (e.g. from layerZRanges, on top of the copper foil). */
  readonly lithiumRange: LayerRange;
  readonly lithiumLabel: number;
  /** SEI class (e.g. a LiF / Li2CO3 mix material named by the caller). */
  readonly seiLabel: number;
  /** Pore (electrolyte) class: the only class lithium and SEI replace. */
  readonly poreLabel: number;
  /** SEI thickness (m), >= 0. */
  readonly seiThicknessM: number;
  /** Mossy deposits; none when omitted. */
  readonly mossy?: MossyLithiumOptions;
  /** Instance id of the first deposit; default 1 + the largest id recorded in the microstructure. */
  readonly firstInstanceId?: number;
  readonly rng: Random;
  /** x and y periodic (default true). */
  readonly periodic?: boolean;
}

export interface LithiumDeposit {
  readonly id: number;
  readonly voxels: number;
  /** Root of the deposit on the lithium surface (m, sample frame). */
  readonly baseM: Vec3;
  /** Highest point of the deposit above the surface (m). */
  readonly heightM: number;
  /** Spheres in its chain. */
  readonly spheres: number;
}

export interface LithiumAnodeResult {
  readonly microstructure: Microstructure;
  readonly deposits: LithiumDeposit[];
  /** Region of the deposits, [surface, surface + heightM). */
  readonly mossyRange: LayerRange | null;
  /** Lithium voxel fraction of the mossy region (deposits only). */
  readonly mossyFraction: number;
  readonly seiVoxels: number;
}

/** Growable list of sphere centres (index units). */
class SphereList {
  data = new Float64Array(3 * 4096);
  size = 0;
  push(x: number, y: number, z: number): void {
    if (3 * this.size + 3 > this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[3 * this.size] = x;
    this.data[3 * this.size + 1] = y;
    this.data[3 * this.size + 2] = z;
    this.size++;
  }
}


/** a modulo n in [0, n). */
function wrap(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/** Uniform direction on the unit sphere (Marsaglia 1972 style rejection in the cube). */
function randomUnit(rng: Random, out: Float64Array): void {
  for (;;) {
    const x = 2 * rng.next() - 1, y = 2 * rng.next() - 1, z = 2 * rng.next() - 1;
    const n2 = x * x + y * y + z * z;
    if (n2 > 1e-6 && n2 <= 1) {
      const inv = 1 / Math.sqrt(n2);
      out[0] = x * inv;
      out[1] = y * inv;
      out[2] = z * inv;
      return;
    }
  }
}

/**
 * Build the lithium anode in place (flat lithium, deposits, SEI) and return the
 * microstructure with the deposits' records added.
 */
export function buildLithiumAnode(ms: Microstructure, options: LithiumAnodeOptions): LithiumAnodeResult {
  const grid = ms.grid;
  const { nx, ny, nz, voxelSizeM: s } = grid;
  const { lithiumRange: li, lithiumLabel, seiLabel, poreLabel, rng } = options;
  for (const [what, l] of [["lithium label", lithiumLabel], ["SEI label", seiLabel], ["pore label", poreLabel]] as const) {
    if (!Number.isInteger(l) || l < 0 || l >= ms.classNames.length) throw new RangeError(`${what} must index the class names, got ${l}`);
  }
  if (new Set([lithiumLabel, seiLabel, poreLabel]).size !== 3) throw new RangeError("lithium, SEI and pore labels must differ");
  if (!(options.seiThicknessM >= 0 && Number.isFinite(options.seiThicknessM))) {
    throw new RangeError(`SEI thickness must be a length >= 0 (m), got ${options.seiThicknessM}`);
  }
  if (!(li.k1 > li.k0)) throw new RangeError("the lithium layer covers no voxel layer");
  const periodic = options.periodic ?? true;
  fillSlab(ms, li, lithiumLabel);
  const surfaceM = li.z1M;
  const zs = li.k1 - 0.5; // surface in index units (face between k1 - 1 and k1)
  const seiVox = options.seiThicknessM / s;

  const spheres = new SphereList();
  const deposits: LithiumDeposit[] = [];
  const records: ParticleRecord[] = [];
  let mossyRange: LayerRange | null = null;
  let mossyFraction = 0;
  let rf = 0;
  const m = options.mossy;
  if (m) {
    const H = m.heightM / s;
    rf = (m.filamentRadiusM ?? 1.5 * s) / s;
    const pb = m.branchProbability ?? 0.08;
    const persist = m.persistence ?? 0.7;
    const bias = m.upwardBias ?? 0.35;
    if (!(rf >= 1 && Number.isFinite(rf))) throw new RangeError(`filament radius must be at least one voxel edge, got ${rf * s} m`);
    if (!(H >= 2 * rf && Number.isFinite(H))) throw new RangeError("mossy height must be at least one filament diameter");
    if (!(m.volumeFraction >= 0 && m.volumeFraction < 1)) throw new RangeError(`mossy volume fraction must be in [0, 1), got ${m.volumeFraction}`);
    if (!(pb >= 0 && pb <= 1 && persist >= 0 && persist <= 1 && bias >= 0)) {
      throw new RangeError("branchProbability and persistence must be in [0, 1], upwardBias >= 0");
    }
    mossyRange = zRangeOf(grid, surfaceM, surfaceM + m.heightM);
    const regionVoxels = nx * ny * (mossyRange.k1 - mossyRange.k0);
    const target = Math.round(m.volumeFraction * regionVoxels);
    let firstId = options.firstInstanceId;
    if (firstId === undefined) {
      firstId = 1;
      for (const r of ms.particles) firstId = Math.max(firstId, r.id + 1);
    }
    if (!Number.isInteger(firstId) || firstId < 1) throw new RangeError(`firstInstanceId must be an integer >= 1, got ${firstId}`);
    const zMaxCentre = zs + H - rf;
    const tipX = new Float64Array(MAX_TIPS), tipY = new Float64Array(MAX_TIPS), tipZ = new Float64Array(MAX_TIPS);
    const dirX = new Float64Array(MAX_TIPS), dirY = new Float64Array(MAX_TIPS), dirZ = new Float64Array(MAX_TIPS);
    const u = new Float64Array(3);
    const maxSteps = Math.ceil((4 * H) / rf) + 10;
    const sphereVoxels = (4 / 3) * Math.PI * rf ** 3;
    const maxDeposits = 1000 + Math.ceil((20 * target) / sphereVoxels);
    let placed = 0;
    let id = firstId;
    for (let attempt = 0; attempt < maxDeposits && placed < target; attempt++) {
      const bx = rng.next() * nx - 0.5, by = rng.next() * ny - 0.5;
      const top = Math.min(zMaxCentre, zs + H * (0.4 + 0.6 * rng.next()));
      let tips = 1;
      tipX[0] = bx;
      tipY[0] = by;
      tipZ[0] = zs;
      dirX[0] = 0;
      dirY[0] = 0;
      dirZ[0] = 1;
      let voxels = 0, count = 0;
      let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity, maxZ = zs;
      while (tips > 0 && placed < target) {
        tips--;
        let x = tipX[tips]!, y = tipY[tips]!, z = tipZ[tips]!;
        let ex = dirX[tips]!, ey = dirY[tips]!, ez = dirZ[tips]!;
        for (let step = 0; step < maxSteps && placed < target; step++) {
          const added = stampBall(ms, x, y, z, rf, mossyRange.k0, mossyRange.k1, poreLabel, lithiumLabel, id, 1, periodic);
          voxels += added;
          placed += added;
          spheres.push(x, y, z);
          count++;
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
          maxZ = Math.max(maxZ, z);
          randomUnit(rng, u);
          ex = persist * ex + (1 - persist) * u[0]!;
          ey = persist * ey + (1 - persist) * u[1]!;
          ez = persist * ez + (1 - persist) * u[2]! + bias;
          const norm = Math.hypot(ex, ey, ez) || 1;
          ex /= norm;
          ey /= norm;
          ez /= norm;
          if (tips < MAX_TIPS && rng.next() < pb) {
            // Fork: the new tip leaves in a fresh random direction tilted upward.
            randomUnit(rng, u);
            const fz = Math.abs(u[2]!) + bias;
            const fn = Math.hypot(u[0]!, u[1]!, fz);
            tipX[tips] = x;
            tipY[tips] = y;
            tipZ[tips] = z;
            dirX[tips] = u[0]! / fn;
            dirY[tips] = u[1]! / fn;
            dirZ[tips] = fz / fn;
            tips++;
          }
          x += rf * ex;
          y += rf * ey;
          z += rf * ez;
          if (z < zs + 0.5 * rf) {
            z = zs + 0.5 * rf;
            ez = Math.abs(ez);
          }
          if (z > top) break;
        }
      }
      if (voxels === 0) continue; // nothing stamped: the id stays free
      const c: Vec3 = [
        (wrap((minX + maxX) / 2 + 0.5, nx) - 0.5 - (nx - 1) / 2) * s,
        (wrap((minY + maxY) / 2 + 0.5, ny) - 0.5 - (ny - 1) / 2) * s,
        ((zs + maxZ + rf) / 2 - (nz - 1) / 2) * s,
      ];
      const semi: Vec3 = [((maxX - minX) / 2 + rf) * s, ((maxY - minY) / 2 + rf) * s, ((maxZ + rf - zs) / 2) * s];
      const volumeM3 = voxels * s ** 3;
      records.push({
        id, material: ms.classNames[lithiumLabel]!, kind: "active", center: c, semiAxes: semi,
        equivalentDiameterM: Math.cbrt((6 * volumeM3) / Math.PI), volumeM3, grainCount: 1, cracked: false, agglomerate: 0,
      });
      deposits.push({ id, voxels, baseM: [(bx - (nx - 1) / 2) * s, (by - (ny - 1) / 2) * s, surfaceM], heightM: (maxZ + rf - zs) * s, spheres: count });
      id++;
    }
    mossyFraction = regionVoxels > 0 ? placed / regionVoxels : 0;
  }

  // SEI: flat slab, then the dilated deposit spheres; pore voxels only.
  let seiVoxels = 0;
  const seiSlab = zRangeOf(grid, surfaceM, surfaceM + options.seiThicknessM);
  const slab = nx * ny;
  for (let v = slab * seiSlab.k0; v < slab * seiSlab.k1; v++) {
    if (ms.labels[v] !== poreLabel) continue;
    ms.labels[v] = seiLabel;
    ms.instances[v] = 0;
    ms.localGrains[v] = 0;
    seiVoxels++;
  }
  if (seiVox > 0) {
    const d = spheres.data;
    for (let n = 0; n < spheres.size; n++) {
      seiVoxels += stampBall(ms, d[3 * n]!, d[3 * n + 1]!, d[3 * n + 2]!, rf + seiVox, li.k1, nz, poreLabel, seiLabel, 0, 0, periodic);
    }
  }
  return { microstructure: withParticleRecords(ms, records), deposits, mossyRange, mossyFraction, seiVoxels };
}
