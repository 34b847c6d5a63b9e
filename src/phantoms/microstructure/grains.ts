/**
 * Primary grains, grain-boundary cracks and closed internal pores inside a particle.
 *
 * Grains: a Voronoi tessellation of the particle by `grainCount` seeds drawn inside it
 * (uniform, with a hard-core distance so primary grains come out of similar size: random
 * sequential addition, each seed retried up to SEED_TRIES times to stay at least
 * 0.6 (V / n)^(1/3) from the seeds before it, then accepted wherever it fell). Each particle
 * voxel gets the 1-based index of its nearest seed (Euclidean, sample frame).
 *
 * The nearest seed is found row by row without testing every seed at every voxel: along a
 * row (fixed j, k) the squared distance to seed g is (x - x_g)^2 + h_g with
 * h_g = (y - y_g)^2 + (z - z_g)^2, so argmin_g is argmin_g of the LINES
 * -2 x_g x + (x_g^2 + h_g) (the common x^2 drops out). Their lower envelope is built in
 * O(n) per row from seeds pre-sorted by x_g (the "convex hull trick"; the same lower
 * envelope of parabolas as in P. F. Felzenszwalb, D. P. Huttenlocher, "Distance transforms of
 * sampled functions", Theory of Computing 8 (2012) 415-428, and the Voronoi diagram cut by the
 * lines through the voxel centres as in H. Breu, J. Gil, D. Kirkpatrick, M. Werman, "Linear
 * time Euclidean distance transform algorithms"), then walked left to right with one
 * pointer. Only the seeds near the row are candidates (SeedRowEnvelope, with an exactness
 * check), so the cost is about one candidate per voxel whatever the grain count.
 *
 * Cracks (Particle.cracked): a voxel of grain g1 is a crack voxel when it lies within the
 * crack half-width w of its cell's boundary, i.e. min over g of the distance to the
 * bisector plane of (s_g1, s_g), (|p - s_g|^2 - |p - s_g1|^2) / (2 |s_g - s_g1|), is < w.
 * Cracks are therefore slabs of uniform full width 2w centred on the grain-boundary facets
 * (the alternative test |p - s_2| - |p - s_1| < w widens cracks away from the seed axis).
 * Only the grain's Voronoi neighbours (read off the voxel grain map) can hold the nearest
 * facet, and the bisector distance is linear along a row, so each run of one grain along a
 * row is cracked at its two ends over lengths found once per run (crackGrainBoundaries).
 *
 * Internal porosity: closed spherical pores of a given radius, centres uniform in the
 * particle shrunk so every pore stays at least one voxel inside the surface; pores are
 * added one at a time until the converted voxels reach the fraction (overshoot at most one
 * pore), overlapping pores merge.
 *
 * Crack and pore voxels take the pore class with instance 0 and grain 0: the invariant
 * "instance != 0 <=> solid voxel of that particle" holds everywhere, and particle volumes
 * (ParticleRecord) are solid volumes.
 *
 * Pure module (no Node APIs).
 */
import type { Random } from "../../core/random.js";
import type { Microstructure } from "./types.js";
import { imageShifts, rowInterval, type VoxelEllipsoid } from "./voxelEllipsoid.js";

/** Largest number of grains a particle can hold (localGrains is uint8). */
export const MAX_GRAINS = 255;
/** Candidate cells of the row envelope: edge, and exclusion radius, in mean seed spacings. */
const CELL_EDGE = 0.5;
/**
 * 1.25 makes full rebuilds rare (< 1% of rows; at 1.0 about 10% of rows near the particle
 * surface, where seeds are sparser, need one).
 */
const EXCLUSION = 1.25;
/** Tries per seed to respect the hard-core distance before accepting it anyway. */
export const SEED_TRIES = 30;
/** Hard-core distance as a fraction of the mean seed spacing (V / n)^(1/3). */
export const SEED_HARD_CORE = 0.6;

/** A point uniform in the unit ball, by rejection from the cube (3 uniforms per try). */
function unitBallPoint(rng: Random, out: Float64Array): void {
  for (;;) {
    const x = 2 * rng.next() - 1, y = 2 * rng.next() - 1, z = 2 * rng.next() - 1;
    if (x * x + y * y + z * z <= 1) {
      out[0] = x;
      out[1] = y;
      out[2] = z;
      return;
    }
  }
}

const ball = new Float64Array(3);

/** Offset (voxels, sample axes) of body-frame unit-ball point `u` scaled by `scale`. */
function bodyToOffset(e: VoxelEllipsoid, u: Float64Array, scale: number, out: Float64Array, o: number): void {
  const a = e.semi[0]! * u[0]! * scale, b = e.semi[1]! * u[1]! * scale, c = e.semi[2]! * u[2]! * scale;
  const R = e.rot;
  out[o] = R[0]! * a + R[1]! * b + R[2]! * c;
  out[o + 1] = R[3]! * a + R[4]! * b + R[5]! * c;
  out[o + 2] = R[6]! * a + R[7]! * b + R[8]! * c;
}

/**
 * `count` grain seeds inside ellipsoid `e`, as offsets from its centre (voxels), written
 * interleaved (x, y, z) into `out` and sorted by x (ascending; the order defines the grain
 * indices 1..count). Deterministic for a given rng state.
 */
export function drawGrainSeeds(e: VoxelEllipsoid, count: number, rng: Random, out: Float64Array): void {
  const volume = (4 / 3) * Math.PI * e.semi[0]! * e.semi[1]! * e.semi[2]!;
  const hardCore = SEED_HARD_CORE * Math.cbrt(volume / count);
  const hc2 = hardCore * hardCore;
  // Hard-core test against a uniform grid of cell edge >= hardCore over the bounding box:
  // only the 27 cells around a candidate can hold a seed closer than hardCore.
  const cell = Math.max(hardCore, 1e-9);
  const gx = Math.max(1, Math.ceil((2 * e.hx) / cell)), gy = Math.max(1, Math.ceil((2 * e.hy) / cell));
  const gz = Math.max(1, Math.ceil((2 * e.hz) / cell));
  const ncell = gx * gy * gz;
  if (seedHead.length < ncell) seedHead = new Int16Array(2 * ncell);
  seedHead.fill(-1, 0, ncell);
  const cellOf = (v: number, h: number, n: number): number => Math.min(n - 1, Math.max(0, Math.floor((v + h) / cell)));
  for (let n = 0; n < count; n++) {
    let ci = 0;
    for (let attempt = 0; ; attempt++) {
      unitBallPoint(rng, ball);
      bodyToOffset(e, ball, 1, out, 3 * n);
      const x = out[3 * n]!, y = out[3 * n + 1]!, z = out[3 * n + 2]!;
      const a = cellOf(x, e.hx, gx), b = cellOf(y, e.hy, gy), c = cellOf(z, e.hz, gz);
      ci = a + gx * (b + gy * c);
      if (attempt + 1 >= SEED_TRIES) break;
      let ok = true;
      for (let cc = Math.max(0, c - 1); ok && cc <= Math.min(gz - 1, c + 1); cc++) {
        for (let bb = Math.max(0, b - 1); ok && bb <= Math.min(gy - 1, b + 1); bb++) {
          for (let aa = Math.max(0, a - 1); ok && aa <= Math.min(gx - 1, a + 1); aa++) {
            for (let m = seedHead[aa + gx * (bb + gy * cc)]!; m >= 0; m = seedNext[m]!) {
              const dx = out[3 * m]! - x, dy = out[3 * m + 1]! - y, dz = out[3 * m + 2]! - z;
              if (dx * dx + dy * dy + dz * dz < hc2) {
                ok = false;
                break;
              }
            }
          }
        }
      }
      if (ok) break;
    }
    seedNext[n] = seedHead[ci]!;
    seedHead[ci] = n;
  }
  sortSeedsByX(out, count);
}

let seedHead = new Int16Array(1024);
const seedNext = new Int16Array(MAX_GRAINS);

const sortKeys = new Float64Array(MAX_GRAINS);
const sortTmp = new Float64Array(3 * MAX_GRAINS);

/**
 * Sort interleaved seeds by x: native numeric sort of the x values, then each seed finds its
 * rank by binary search (seeds with equal x keep their order). Deterministic.
 */
function sortSeedsByX(s: Float64Array, n: number): void {
  const keys = sortKeys.subarray(0, n);
  for (let i = 0; i < n; i++) keys[i] = s[3 * i]!;
  keys.sort();
  sortTmp.fill(NaN, 0, 3 * n);
  for (let i = 0; i < n; i++) {
    const x = s[3 * i]!;
    let lo = 0, hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    while (!Number.isNaN(sortTmp[3 * lo]!)) lo++; // equal x: next free slot
    sortTmp[3 * lo] = x;
    sortTmp[3 * lo + 1] = s[3 * i + 1]!;
    sortTmp[3 * lo + 2] = s[3 * i + 2]!;
  }
  s.set(sortTmp.subarray(0, 3 * n));
}

/**
 * Nearest-seed queries along a row: lower envelope of the lines -2 x_g x + (x_g^2 + h_g).
 * One instance is reused for every row and particle (no allocation per row).
 *
 * Candidate pruning: the particle's (y, z) extent is cut into small square cells (edge
 * CELL_EDGE x lambda, lambda = mean seed spacing), and each cell lists (sorted by x) the seeds
 * within R = EXCLUSION x lambda of its square in (y, z). A row in that cell first builds its
 * envelope from that list; every seed left out is farther than R from the row, so when the
 * candidates' envelope stays below R^2 over the row's interval no left-out seed can be
 * nearest anywhere on it and the answer is exact; otherwise the row is rebuilt from all
 * seeds (rare: < 1% of rows). The cost per row then depends on the row length over lambda,
 * not on the grain count.
 */
export class SeedRowEnvelope {
  private readonly hull = new Int32Array(MAX_GRAINS);
  private readonly slope = new Float64Array(MAX_GRAINS);
  private readonly icept = new Float64Array(MAX_GRAINS);
  private readonly all = new Uint8Array(MAX_GRAINS);
  private size = 0;
  private ptr = 0;
  private count = 0;
  // (y, z) cells with CSR lists of candidate seed indices.
  private cellStart = new Int32Array(64);
  private cellItems = new Uint8Array(64 * MAX_GRAINS);
  /** Candidate coordinates, contiguous per cell (x, y, z interleaved), parallel to cellItems. */
  private cellXYZ = new Float64Array(3 * 64 * MAX_GRAINS);
  /** All seeds' coordinates and indices (the fallback list). */
  private allXYZ = new Float64Array(3 * MAX_GRAINS);
  private pruned = false;
  private y0 = 0;
  private z0 = 0;
  private cell = 1;
  private ncy = 1;
  private ncz = 1;
  private reach2 = 0;
  /** Rows answered from the candidates / rebuilt from all seeds (diagnostics). */
  prunedRows = 0;
  fullRows = 0;

  /** Seeds as written by drawGrainSeeds (sorted by x); `e` bounds them. */
  setSeeds(seeds: Float64Array, count: number, e: VoxelEllipsoid): void {
    this.count = count;
    for (let g = 0; g < count; g++) this.all[g] = g;
    this.allXYZ.set(seeds.subarray(0, 3 * count));
    const lambda = Math.cbrt(((4 / 3) * Math.PI * e.semi[0]! * e.semi[1]! * e.semi[2]!) / count);
    const cell = Math.max(0.25, CELL_EDGE * lambda);
    const R = EXCLUSION * lambda;
    const ncy = Math.max(1, Math.ceil((2 * e.hy) / cell)), ncz = Math.max(1, Math.ceil((2 * e.hz) / cell));
    // Worth it when the lists are much shorter than the seed list.
    this.pruned = count >= 16 && 2 * R < e.hy && 2 * R < e.hz;
    if (!this.pruned) return;
    this.cell = cell;
    this.ncy = ncy;
    this.ncz = ncz;
    this.y0 = -e.hy;
    this.z0 = -e.hz;
    this.reach2 = R * R;
    const ncell = ncy * ncz;
    if (this.cellStart.length < ncell + 1) this.cellStart = new Int32Array(2 * ncell + 1);
    const start = this.cellStart;
    start.fill(0, 0, ncell + 1);
    const R2 = R * R;
    // Count, prefix-sum, fill (seeds in x order, so each list stays sorted by x).
    for (let pass = 0; pass < 2; pass++) {
      if (pass === 1 && this.cellItems.length < start[ncell]!) {
        this.cellItems = new Uint8Array(2 * start[ncell]!);
        this.cellXYZ = new Float64Array(6 * start[ncell]!);
      }
      const items = this.cellItems, xyz = this.cellXYZ;
      for (let g = 0; g < count; g++) {
        const y = seeds[3 * g + 1]!, z = seeds[3 * g + 2]!;
        const a0 = this.cellY(y - R), a1 = this.cellY(y + R), b0 = this.cellZ(z - R), b1 = this.cellZ(z + R);
        for (let bb = b0; bb <= b1; bb++) {
          const zLo = this.z0 + bb * cell;
          const ez = z < zLo ? zLo - z : z > zLo + cell ? z - zLo - cell : 0;
          const ez2 = ez * ez;
          if (ez2 > R2) continue;
          for (let aa = a0; aa <= a1; aa++) {
            const yLo = this.y0 + aa * cell;
            const ey = y < yLo ? yLo - y : y > yLo + cell ? y - yLo - cell : 0;
            if (ey * ey + ez2 > R2) continue;
            const c = aa + ncy * bb;
            if (pass === 0) {
              start[c + 1]!++;
            } else {
              const at = start[c]!++;
              items[at] = g;
              xyz[3 * at] = seeds[3 * g]!;
              xyz[3 * at + 1] = y;
              xyz[3 * at + 2] = z;
            }
          }
        }
      }
      if (pass === 0) {
        for (let c = 0; c < ncell; c++) start[c + 1]! += start[c]!;
      } else {
        // Filling advanced each start to the next cell's start: shift back.
        for (let c = ncell; c > 0; c--) start[c] = start[c - 1]!;
        start[0] = 0;
      }
    }
  }

  private cellY(y: number): number {
    return Math.min(this.ncy - 1, Math.max(0, Math.floor((y - this.y0) / this.cell)));
  }

  private cellZ(z: number): number {
    return Math.min(this.ncz - 1, Math.max(0, Math.floor((z - this.z0) / this.cell)));
  }

  /** Build the envelope for the row at offsets (dy, dz), exact over dx in [xLo, xHi]. */
  build(dy: number, dz: number, xLo: number, xHi: number): void {
    if (this.pruned) {
      const c = this.cellY(dy) + this.ncy * this.cellZ(dz);
      // Rows lie inside the (y, z) extent the cells cover, so the row is in cell c's square.
      this.buildFrom(this.cellItems, this.cellXYZ, this.cellStart[c]!, this.cellStart[c + 1]!, dy, dz);
      if (this.size > 0 && this.envelopeMax(xLo, xHi) <= this.reach2) {
        this.prunedRows++;
        return;
      }
      this.fullRows++;
    }
    this.buildFrom(this.all, this.allXYZ, 0, this.count, dy, dz);
  }

  private buildFrom(items: Uint8Array, s: Float64Array, from: number, to: number, dy: number, dz: number): void {
    const hull = this.hull, slope = this.slope, icept = this.icept;
    let size = 0;
    for (let n = from; n < to; n++) {
      const x = s[3 * n]!, ey = dy - s[3 * n + 1]!, ez = dz - s[3 * n + 2]!;
      const m = -2 * x, b = x * x + ey * ey + ez * ez;
      // Equal slopes: keep the lower line.
      if (size > 0 && slope[size - 1] === m) {
        if (icept[size - 1]! <= b) continue;
        size--;
      }
      // Pop while the top line is never strictly lowest: slopes are decreasing, so with
      // a = top-1, t = top, the top is useless when x(a, new) <= x(a, t).
      while (size >= 2) {
        const ma = slope[size - 2]!, ba = icept[size - 2]!, mt = slope[size - 1]!, bt = icept[size - 1]!;
        if ((b - ba) * (ma - mt) <= (bt - ba) * (ma - m)) size--;
        else break;
      }
      hull[size] = items[n]!;
      slope[size] = m;
      icept[size] = b;
      size++;
    }
    this.size = size;
    this.ptr = 0;
  }

  /** Largest squared nearest-seed distance over [xLo, xHi] (pieces are convex: ends and breakpoints). */
  private envelopeMax(xLo: number, xHi: number): number {
    const slope = this.slope, icept = this.icept, size = this.size;
    let t = 0;
    while (t + 1 < size && slope[t + 1]! * xLo + icept[t + 1]! <= slope[t]! * xLo + icept[t]!) t++;
    let max = xLo * xLo + slope[t]! * xLo + icept[t]!;
    for (; t + 1 < size; t++) {
      const xb = (icept[t + 1]! - icept[t]!) / (slope[t]! - slope[t + 1]!);
      if (xb >= xHi) break;
      const v = xb * xb + slope[t]! * xb + icept[t]!;
      if (v > max) max = v;
    }
    const vHi = xHi * xHi + slope[t]! * xHi + icept[t]!;
    return vHi > max ? vHi : max;
  }

  /** 0-based index of the nearest seed at row offset dx; dx must not decrease between calls after build. */
  nearest(dx: number): number {
    const slope = this.slope, icept = this.icept;
    let p = this.ptr;
    while (p + 1 < this.size && slope[p + 1]! * dx + icept[p + 1]! <= slope[p]! * dx + icept[p]!) p++;
    this.ptr = p;
    return this.hull[p]!;
  }
}

/** Scratch shared by the crack pass. */
const adjacency = new Uint8Array(MAX_GRAINS * MAX_GRAINS);
const listStart = new Int32Array(MAX_GRAINS + 1);
let pairB = new Float64Array(0);
let pairA0 = new Float64Array(0);
let pairAy = new Float64Array(0);
let pairAz = new Float64Array(0);
const ivl = new Float64Array(2);
const shiftsX = new Int32Array(4);
const shiftsY = new Int32Array(4);

/**
 * Visit the rows of particle `id`'s envelope (ellipsoid `e`, periodic images included):
 * `visit(base, i0, i1, ccx, j, k, dy, dz)` for voxel indices base + i, i in [i0, i1].
 */
function forEachRowOf(
  ms: Microstructure, e: VoxelEllipsoid, periodic: boolean,
  visit: (base: number, i0: number, i1: number, ccx: number, j: number, k: number, dy: number, dz: number) => void,
): void {
  const { nx, ny, nz } = ms.grid;
  const k0 = Math.max(0, Math.ceil(e.cz - e.hz)), k1 = Math.min(nz - 1, Math.floor(e.cz + e.hz));
  const nsx = imageShifts(e.cx - e.hx, e.cx + e.hx, nx, periodic, shiftsX);
  const nsy = imageShifts(e.cy - e.hy, e.cy + e.hy, ny, periodic, shiftsY);
  for (let a = 0; a < nsx; a++) {
    const ccx = e.cx + shiftsX[a]!;
    for (let bIdx = 0; bIdx < nsy; bIdx++) {
      const ccy = e.cy + shiftsY[bIdx]!;
      const j0 = Math.max(0, Math.ceil(ccy - e.hy)), j1 = Math.min(ny - 1, Math.floor(ccy + e.hy));
      for (let k = k0; k <= k1; k++) {
        const dz = k - e.cz;
        for (let j = j0; j <= j1; j++) {
          const dy = j - ccy;
          const b = e.q01 * dy + e.q02 * dz;
          const c = e.q11 * dy * dy + 2 * e.q12 * dy * dz + e.q22 * dz * dz;
          if (!rowInterval(e.q00, b, c, 1, ivl)) continue;
          const i0 = Math.max(0, Math.ceil(ccx + ivl[0]!)), i1 = Math.min(nx - 1, Math.floor(ccx + ivl[1]!));
          if (i0 <= i1) visit(nx * (j + ny * k), i0, i1, ccx, j, k, dy, dz);
        }
      }
    }
  }
}

/**
 * Open grain boundaries as cracks in particle `id` (ellipsoid `e`, seeds as drawn): every
 * voxel of the particle within `halfWidthVox` of its Voronoi cell boundary becomes the pore
 * class, instance 0, grain 0. Returns how many voxels were converted.
 *
 * The distance from a point inside a convex cell to the cell's boundary is the smallest
 * distance to the planes of its facets, and the facets are shared with the cell's Voronoi
 * neighbours, read off the voxel grain map (grains meeting across a voxel face). The signed
 * distance to the bisector plane of (s_1, s_g), (|p - s_g|^2 - |p - s_1|^2) / (2 |s_g - s_1|),
 * is LINEAR in p, so along a run of voxels of one grain each neighbour's condition
 * "distance < w" is a half-line in x: a run is cracked at x < XL or x > XR, with XL, XR
 * found once per run (O(neighbours) per run, O(1) per voxel).
 */
export function crackGrainBoundaries(
  ms: Microstructure, e: VoxelEllipsoid, id: number, seeds: Float64Array, count: number,
  halfWidthVox: number, poreLabel: number, periodic: boolean,
): number {
  if (count < 2) return 0;
  const { nx, ny, nz } = ms.grid;
  const labels = ms.labels, grains = ms.localGrains, instances = ms.instances;
  const slab = nx * ny;
  const w = halfWidthVox;
  adjacency.fill(0, 0, count * count);
  const link = (g: number, v: number): void => {
    if (instances[v] !== id) return;
    const h = grains[v]! - 1;
    if (h !== g) {
      adjacency[g * count + h] = 1;
      adjacency[h * count + g] = 1;
    }
  };
  forEachRowOf(ms, e, periodic, (base, i0, i1, _ccx, j, k) => {
    const vy = j + 1 < ny ? nx : periodic ? nx - slab : 0;
    const vz = k + 1 < nz ? slab : 0;
    for (let i = i0; i <= i1; i++) {
      const v = base + i;
      if (instances[v] !== id) continue;
      const g = grains[v]! - 1;
      if (i + 1 < nx) link(g, v + 1);
      else if (periodic) link(g, v + 1 - nx);
      if (vy !== 0) link(g, v + vy);
      if (vz !== 0) link(g, v + vz);
    }
  });
  // Per (grain, neighbour) pair the bisector distance is t(x, y, z) = A0 + Ay y + Az z + B x.
  if (pairB.length < count * count) {
    pairB = new Float64Array(count * count);
    pairA0 = new Float64Array(count * count);
    pairAy = new Float64Array(count * count);
    pairAz = new Float64Array(count * count);
  }
  let n = 0;
  for (let g = 0; g < count; g++) {
    listStart[g] = n;
    const gx = seeds[3 * g]!, gy = seeds[3 * g + 1]!, gz = seeds[3 * g + 2]!;
    const g2 = gx * gx + gy * gy + gz * gz;
    for (let h = 0; h < count; h++) {
      if (adjacency[g * count + h] === 0) continue;
      const hx = seeds[3 * h]!, hy = seeds[3 * h + 1]!, hz = seeds[3 * h + 2]!;
      const inv2L = 1 / (2 * Math.sqrt((hx - gx) ** 2 + (hy - gy) ** 2 + (hz - gz) ** 2));
      pairB[n] = -2 * (hx - gx) * inv2L;
      pairA0[n] = (hx * hx + hy * hy + hz * hz - g2) * inv2L;
      pairAy[n] = -2 * (hy - gy) * inv2L;
      pairAz[n] = -2 * (hz - gz) * inv2L;
      n++;
    }
  }
  listStart[count] = n;
  let converted = 0;
  forEachRowOf(ms, e, periodic, (base, i0, i1, ccx, _j, _k, dy, dz) => {
    let i = i0;
    while (i <= i1) {
      if (instances[base + i] !== id) {
        i++;
        continue;
      }
      // A run of voxels of grain g1: [i, runEnd].
      const g1 = grains[base + i]! - 1;
      let runEnd = i;
      while (runEnd + 1 <= i1 && instances[base + runEnd + 1] === id && grains[base + runEnd + 1] === g1 + 1) runEnd++;
      // t_g(x) = A + B x; cracked where t_g < w for some g: x < xl or x > xr.
      let xl = -Infinity, xr = Infinity;
      for (let m = listStart[g1]!, end = listStart[g1 + 1]!; m < end; m++) {
        const A = pairA0[m]! + pairAy[m]! * dy + pairAz[m]! * dz;
        const B = pairB[m]!;
        if (B > 0) {
          const x = (w - A) / B;
          if (x > xl) xl = x;
        } else if (B < 0) {
          const x = (w - A) / B;
          if (x < xr) xr = x;
        } else if (A < w) {
          xl = Infinity;
          break;
        }
      }
      for (let ii = i; ii <= runEnd; ii++) {
        const dx = ii - ccx;
        if (dx < xl || dx > xr) {
          const v = base + ii;
          labels[v] = poreLabel;
          instances[v] = 0;
          grains[v] = 0;
          converted++;
        }
      }
      i = runEnd + 1;
    }
  });
  return converted;
}

const poreCentre = new Float64Array(3);

/**
 * Closed spherical pores (radius `radiusVox`) in particle `id` until at least
 * round(fraction * solidVoxels) of its voxels are pore class (instance 0, grain 0).
 * Returns the voxels converted (0 when the particle is too small to hold a closed pore).
 */
export function addInternalPores(
  ms: Microstructure, e: VoxelEllipsoid, id: number, fraction: number, solidVoxels: number,
  radiusVox: number, poreLabel: number, periodic: boolean, rng: Random,
): number {
  const target = Math.round(fraction * solidVoxels);
  if (target <= 0) return 0;
  // Pore centres within normalised radius rhoMax keep the pore >= 1 voxel inside the surface.
  const rhoMax = 1 - (radiusVox + 1) / e.minSemi;
  if (!(rhoMax > 0)) return 0;
  const { nx, ny, nz } = ms.grid;
  const labels = ms.labels, instances = ms.instances, grains = ms.localGrains;
  const poreVolume = Math.max(1, (4 / 3) * Math.PI * radiusVox ** 3);
  const maxAttempts = 50 + 20 * Math.ceil(target / poreVolume);
  const r2 = radiusVox * radiusVox;
  const reach = Math.ceil(radiusVox);
  let converted = 0;
  for (let attempt = 0; attempt < maxAttempts && converted < target; attempt++) {
    unitBallPoint(rng, ball);
    bodyToOffset(e, ball, rhoMax, poreCentre, 0);
    const px = e.cx + poreCentre[0]!, py = e.cy + poreCentre[1]!, pz = e.cz + poreCentre[2]!;
    const kLo = Math.max(0, Math.ceil(pz - radiusVox)), kHi = Math.min(nz - 1, Math.floor(pz + radiusVox));
    const jC = Math.round(py);
    for (let k = kLo; k <= kHi; k++) {
      const dz = k - pz;
      for (let jj = jC - reach - 1; jj <= jC + reach + 1; jj++) {
        const dy = jj - py;
        const rem = r2 - dz * dz - dy * dy;
        if (rem < 0) continue;
        let j = jj;
        if (j < 0 || j >= ny) {
          if (!periodic) continue;
          j = ((j % ny) + ny) % ny;
        }
        const half = Math.sqrt(rem);
        const iLo = Math.ceil(px - half), iHi = Math.floor(px + half);
        const base = nx * (j + ny * k);
        for (let ii = iLo; ii <= iHi; ii++) {
          let i = ii;
          if (i < 0 || i >= nx) {
            if (!periodic) continue;
            i = ((i % nx) + nx) % nx;
          }
          const v = base + i;
          if (instances[v] !== id) continue;
          labels[v] = poreLabel;
          instances[v] = 0;
          grains[v] = 0;
          converted++;
        }
      }
    }
  }
  return converted;
}
