/**
 * Exact ray-driven forward projector: line integrals of a voxel volume treated as piecewise
 * constant (each voxel a uniform cube), by Siddon's method in the incremental form of
 * Jacobs et al.:
 *   R. L. Siddon, "Fast calculation of the exact radiological path for a three-dimensional
 *   CT array", Med. Phys. 12 (1985) 252;
 *   F. Jacobs, E. Sundermann, B. De Sutter, M. Christiaens, I. Lemahieu, "A fast algorithm
 *   to calculate the exact radiological path through a pixel or voxel space",
 *   J. Comput. Inf. Technol. 6 (1998) 89.
 *
 * The line is p(alpha) = o + alpha d. Planes of the grid (core/grid.ts: centred on the
 * origin, voxel edge s) are X_i = -n_x s / 2 + i s, i = 0 .. n_x (same for y, z). The ray
 * meets the x planes at alpha_x(i) = (X_i - o_x) / d_x; the volume is entered at
 *   alpha_min = max(min(alpha_x(0), alpha_x(n_x)), same for y, z, lower clip)
 * and left at
 *   alpha_max = min(max(alpha_x(0), alpha_x(n_x)), same for y, z, upper clip).
 * From the voxel containing p(alpha_min), Jacobs' incremental walk repeatedly takes the
 * nearest next plane crossing alpha_c = min(alpha_x, alpha_y, alpha_z), adds
 * (alpha_c - alpha) mu(voxel) to the sum, steps one voxel along that axis and advances that
 * axis' crossing by s / |d_axis|. The line integral is |d| * sum: exactly
 *   integral of mu along the line = sum over voxels of mu_v * (length of the chord in v),
 * up to floating-point rounding. No allocation per ray.
 *
 * Lines lying in a grid plane: a line parallel to a plane X_i (d_x = 0) and within 1e-9
 * voxel of it lies in the common face of two voxel layers, where the piecewise-constant
 * volume is ambiguous. It gets the mean of the integrals just on either side (the outside
 * of the grid counting as 0), so a line in an outer face gets half the boundary layer and
 * mirror-symmetric volumes give mirror-symmetric projections whatever the parity of the
 * grid and detector. This happens at 0 and 90 degrees when the detector and grid
 * parities differ. Lines crossing a plane, even exactly through an edge or corner, need no
 * special care: coinciding crossings produce zero-length steps.
 *
 * Units: with the volume in mu (1/m) and lengths in metres, integrals are dimensionless.
 * Pure module: runs in a browser too.
 */
import { type VolumeGrid, voxelCount } from "../core/grid.js";
import { checkGeometry, type ProjectionGeometry, projectionCount, VECTORS_PER_PROJECTION } from "./geometry.js";

function checkVolume(volume: Float32Array, grid: VolumeGrid): void {
  if (volume.length !== voxelCount(grid)) {
    throw new RangeError(`volume has ${volume.length} voxels, grid ${grid.nx}x${grid.ny}x${grid.nz} needs ${voxelCount(grid)}`);
  }
}

/** Plane coordinate f (in voxels from the grid's lower face) within 1e-9 of a plane 0..n. */
function onPlane(f: number, n: number): boolean {
  const r = Math.round(f);
  return r >= 0 && r <= n && Math.abs(f - r) <= 1e-9;
}

/**
 * Walk state filled by `walkStart` and copied into locals by each walk before it steps:
 * entry and exit alpha, and per axis the next crossing, its increment, the index stride and
 * the steps left; then the first voxel's index. One buffer for the module: a walk reads it
 * before anything else can start another.
 */
const W = new Float64Array(15);
const A_MIN = 0, A_MAX = 1, AX = 2, DAX = 3, SX = 4, LX = 5, AY = 6, DAY = 7, SY = 8, LY = 9, AZ = 10, DAZ = 11, SZ = 12, LZ = 13, IDX = 14;

/**
 * The start of a Siddon-Jacobs walk, shared by every walk here: clip the line to the grid
 * for alpha in [tLo, tHi], find its first voxel and each axis's first crossing. Returns
 * false when the line misses the grid; else fills W.
 */
function walkStart(
  nx: number, ny: number, nz: number, s: number,
  ox: number, oy: number, oz: number, dx: number, dy: number, dz: number,
  tLo: number, tHi: number,
): boolean {
  const hx = 0.5 * nx * s;
  const hy = 0.5 * ny * s;
  const hz = 0.5 * nz * s;
  const invS = 1 / s;
  let aMin = tLo;
  let aMax = tHi;

  // Entry and exit parameters: intersect the slabs [-h, h] of the three axes (Siddon 1985).
  if (dx !== 0) {
    let a0 = (-hx - ox) / dx;
    let a1 = (hx - ox) / dx;
    if (a0 > a1) { const t = a0; a0 = a1; a1 = t; }
    if (a0 > aMin) aMin = a0;
    if (a1 < aMax) aMax = a1;
  } else if (!(ox >= -hx && ox < hx)) return false;
  if (dy !== 0) {
    let a0 = (-hy - oy) / dy;
    let a1 = (hy - oy) / dy;
    if (a0 > a1) { const t = a0; a0 = a1; a1 = t; }
    if (a0 > aMin) aMin = a0;
    if (a1 < aMax) aMax = a1;
  } else if (!(oy >= -hy && oy < hy)) return false;
  if (dz !== 0) {
    let a0 = (-hz - oz) / dz;
    let a1 = (hz - oz) / dz;
    if (a0 > a1) { const t = a0; a0 = a1; a1 = t; }
    if (a0 > aMin) aMin = a0;
    if (a1 < aMax) aMax = a1;
  } else if (!(oz >= -hz && oz < hz)) return false;
  if (!(aMin < aMax)) return false; // misses (also NaN input)

  // First voxel: the one the line occupies just after alpha_min. On a plane, the direction
  // decides (floor going up, ceil - 1 going down); clamping absorbs rounding at the faces.
  const fx = ((dx !== 0 ? ox + aMin * dx : ox) + hx) * invS;
  const fy = ((dy !== 0 ? oy + aMin * dy : oy) + hy) * invS;
  const fz = ((dz !== 0 ? oz + aMin * dz : oz) + hz) * invS;
  let i = dx < 0 ? Math.ceil(fx) - 1 : Math.floor(fx);
  let j = dy < 0 ? Math.ceil(fy) - 1 : Math.floor(fy);
  let k = dz < 0 ? Math.ceil(fz) - 1 : Math.floor(fz);
  if (i < 0) i = 0; else if (i >= nx) i = nx - 1;
  if (j < 0) j = 0; else if (j >= ny) j = ny - 1;
  if (k < 0) k = 0; else if (k >= nz) k = nz - 1;

  // Next crossing of each axis, its increment s / |d| (Jacobs 1998), the index stride
  // of a step, and how many steps remain before the line leaves the grid on that axis.
  const nxy = nx * ny;
  let ax = Infinity, dax = 0, sx = 0, leftX = 0;
  if (dx > 0) { ax = (-hx + (i + 1) * s - ox) / dx; dax = s / dx; sx = 1; leftX = nx - 1 - i; }
  else if (dx < 0) { ax = (-hx + i * s - ox) / dx; dax = -s / dx; sx = -1; leftX = i; }
  let ay = Infinity, day = 0, sy = 0, leftY = 0;
  if (dy > 0) { ay = (-hy + (j + 1) * s - oy) / dy; day = s / dy; sy = nx; leftY = ny - 1 - j; }
  else if (dy < 0) { ay = (-hy + j * s - oy) / dy; day = -s / dy; sy = -nx; leftY = j; }
  let az = Infinity, daz = 0, sz = 0, leftZ = 0;
  if (dz > 0) { az = (-hz + (k + 1) * s - oz) / dz; daz = s / dz; sz = nxy; leftZ = nz - 1 - k; }
  else if (dz < 0) { az = (-hz + k * s - oz) / dz; daz = -s / dz; sz = -nxy; leftZ = k; }

  W[A_MIN] = aMin; W[A_MAX] = aMax;
  W[AX] = ax; W[DAX] = dax; W[SX] = sx; W[LX] = leftX;
  W[AY] = ay; W[DAY] = day; W[SY] = sy; W[LY] = leftY;
  W[AZ] = az; W[DAZ] = daz; W[SZ] = sz; W[LZ] = leftZ;
  W[IDX] = i + nx * j + nxy * k;
  return true;
}

/**
 * Siddon-Jacobs walk: sum of mu(voxel) * (alpha-length of the line inside the voxel) for
 * alpha in [tLo, tHi]. Multiply by |d| for a length. Returns 0 for a line that misses.
 */
function walk(
  vol: Float32Array,
  nx: number,
  ny: number,
  nz: number,
  s: number,
  ox: number,
  oy: number,
  oz: number,
  dx: number,
  dy: number,
  dz: number,
  tLo: number,
  tHi: number,
): number {
  const hx = 0.5 * nx * s;
  const hy = 0.5 * ny * s;
  const hz = 0.5 * nz * s;
  const invS = 1 / s;

  // A line parallel to and lying in a grid plane: mean of the two sides (module comment).
  // Shifting o by s/4 along an axis with d = 0 selects a side without moving alpha.
  if (dx === 0 && onPlane((ox + hx) * invS, nx)) {
    return 0.5 * (walk(vol, nx, ny, nz, s, ox - 0.25 * s, oy, oz, dx, dy, dz, tLo, tHi) +
      walk(vol, nx, ny, nz, s, ox + 0.25 * s, oy, oz, dx, dy, dz, tLo, tHi));
  }
  if (dy === 0 && onPlane((oy + hy) * invS, ny)) {
    return 0.5 * (walk(vol, nx, ny, nz, s, ox, oy - 0.25 * s, oz, dx, dy, dz, tLo, tHi) +
      walk(vol, nx, ny, nz, s, ox, oy + 0.25 * s, oz, dx, dy, dz, tLo, tHi));
  }
  if (dz === 0 && onPlane((oz + hz) * invS, nz)) {
    return 0.5 * (walk(vol, nx, ny, nz, s, ox, oy, oz - 0.25 * s, dx, dy, dz, tLo, tHi) +
      walk(vol, nx, ny, nz, s, ox, oy, oz + 0.25 * s, dx, dy, dz, tLo, tHi));
  }

  if (!walkStart(nx, ny, nz, s, ox, oy, oz, dx, dy, dz, tLo, tHi)) return 0;
  const aMin = W[A_MIN]!, aMax = W[A_MAX]!;
  let ax = W[AX]!, ay = W[AY]!, az = W[AZ]!;
  const dax = W[DAX]!, day = W[DAY]!, daz = W[DAZ]!;
  const sx = W[SX]!, sy = W[SY]!, sz = W[SZ]!;
  let leftX = W[LX]!, leftY = W[LY]!, leftZ = W[LZ]!;
  let idx = W[IDX]!;
  if (dz === 0) return walkXY(vol, idx, aMin, aMax, ax, dax, sx, leftX, ay, day, sy, leftY);
  let a = aMin;
  let sum = 0;
  for (;;) {
    const mu = vol[idx]!;
    if (ax <= ay && ax <= az) {
      if (ax >= aMax) return sum + (aMax - a) * mu;
      sum += (ax - a) * mu;
      if (leftX-- === 0) return sum;
      a = ax;
      ax += dax;
      idx += sx;
    } else if (ay <= az) {
      if (ay >= aMax) return sum + (aMax - a) * mu;
      sum += (ay - a) * mu;
      if (leftY-- === 0) return sum;
      a = ay;
      ay += day;
      idx += sy;
    } else {
      if (az >= aMax) return sum + (aMax - a) * mu;
      sum += (az - a) * mu;
      if (leftZ-- === 0) return sum;
      a = az;
      az += daz;
      idx += sz;
    }
  }
}

/**
 * The walk of a line in a plane z = const (d_z = 0: every parallel3d_vec ray, whose
 * direction is horizontal): the same steps as `walk` with the z comparisons dropped.
 */
function walkXY(
  vol: Float32Array,
  idx: number,
  aMin: number,
  aMax: number,
  ax: number,
  dax: number,
  sx: number,
  leftX: number,
  ay: number,
  day: number,
  sy: number,
  leftY: number,
): number {
  let a = aMin;
  let sum = 0;
  for (;;) {
    const mu = vol[idx]!;
    if (ax <= ay) {
      if (ax >= aMax) return sum + (aMax - a) * mu;
      sum += (ax - a) * mu;
      if (leftX-- === 0) return sum;
      a = ax;
      ax += dax;
      idx += sx;
    } else {
      if (ay >= aMax) return sum + (aMax - a) * mu;
      sum += (ay - a) * mu;
      if (leftY-- === 0) return sum;
      a = ay;
      ay += day;
      idx += sy;
    }
  }
}

/**
 * Integral of the volume along the whole line o + t d, t in (-inf, +inf), in metres times
 * the volume's unit (dimensionless for mu in 1/m). `d` need not be a unit vector (the
 * result is scaled by |d|) but must not be zero. Returns 0 for a line that misses the grid.
 */
export function rayIntegral(
  volume: Float32Array,
  grid: VolumeGrid,
  ox: number,
  oy: number,
  oz: number,
  dx: number,
  dy: number,
  dz: number,
): number {
  return segmentIntegral(volume, grid, ox, oy, oz, dx, dy, dz, -Infinity, Infinity);
}

/**
 * Integral of the volume along the segment o + t d, t in [t0, t1] (t in units of |d|; in
 * metres when d is a unit vector). For a cone-beam ray from a source at o to a pixel at
 * o + d, take t in [0, 1].
 */
export function segmentIntegral(
  volume: Float32Array,
  grid: VolumeGrid,
  ox: number,
  oy: number,
  oz: number,
  dx: number,
  dy: number,
  dz: number,
  t0: number,
  t1: number,
): number {
  checkVolume(volume, grid);
  const norm = Math.sqrt(dx * dx + dy * dy + dz * dz);
  if (!(norm > 0 && Number.isFinite(norm))) throw new RangeError(`ray direction must be a finite non-zero vector, got (${dx}, ${dy}, ${dz})`);
  return norm * walk(volume, grid.nx, grid.ny, grid.nz, grid.voxelSizeM, ox, oy, oz, dx, dy, dz, t0, t1);
}

/** One projection's vectors: a (ray direction or source), pixel steps u and v, and b, the centre of pixel (0, 0). */
interface ProjectionFrame {
  readonly ax: number; readonly ay: number; readonly az: number;
  readonly ux: number; readonly uy: number; readonly uz: number;
  readonly vx: number; readonly vy: number; readonly vz: number;
  readonly bx: number; readonly by: number; readonly bz: number;
}

/** The vectors of projection `index` (checked), with b = d + (0 - (cols-1)/2) u + (0 - (rows-1)/2) v. */
function projectionFrame(geometry: ProjectionGeometry, index: number): ProjectionFrame {
  if (!Number.isInteger(index) || index < 0 || index >= projectionCount(geometry)) {
    throw new RangeError(`projection ${index} out of range 0..${projectionCount(geometry) - 1}`);
  }
  const V = geometry.vectors;
  const o = index * VECTORS_PER_PROJECTION;
  const ux = V[o + 6]!, uy = V[o + 7]!, uz = V[o + 8]!;
  const vx = V[o + 9]!, vy = V[o + 10]!, vz = V[o + 11]!;
  // Pixel centre c(row, col) = d + (col - (cols-1)/2) u + (row - (rows-1)/2) v.
  const c0 = -(geometry.cols - 1) / 2;
  const r0 = -(geometry.rows - 1) / 2;
  return {
    ax: V[o]!, ay: V[o + 1]!, az: V[o + 2]!,
    ux, uy, uz, vx, vy, vz,
    bx: V[o + 3]! + c0 * ux + r0 * vx,
    by: V[o + 4]! + c0 * uy + r0 * vy,
    bz: V[o + 5]! + c0 * uz + r0 * vz,
  };
}

/**
 * Line integrals of one projection: out[row * cols + col] = integral along the ray through
 * the centre of pixel (row, col) (one ray per pixel; see geometry.ts for pixel positions).
 *   parallel3d_vec: the whole line through the pixel centre along r;
 *   cone_vec: the segment from the source to the pixel centre.
 * `out` must hold rows * cols values.
 */
export function projectOne(
  volume: Float32Array,
  grid: VolumeGrid,
  geometry: ProjectionGeometry,
  projectionIndex: number,
  out: Float32Array,
): void {
  checkVolume(volume, grid);
  const { rows, cols } = geometry;
  const { ax, ay, az, ux, uy, uz, vx, vy, vz, bx, by, bz } = projectionFrame(geometry, projectionIndex);
  if (out.length !== rows * cols) throw new RangeError(`output holds ${out.length} values, detector has ${rows}x${cols}`);
  const { nx, ny, nz, voxelSizeM: s } = grid;

  if (geometry.type === "parallel3d_vec") {
    const norm = Math.sqrt(ax * ax + ay * ay + az * az);
    if (!(norm > 0)) throw new RangeError(`projection ${projectionIndex}: zero ray direction`);
    const rx = ax / norm, ry = ay / norm, rz = az / norm;
    if (rz === 0 && vx === 0 && vy === 0 && Number.isFinite(norm) && Number.isFinite(bx + by + bz + ux + uy + uz + vz)) {
      projectParallelHorizontal(volume, nx, ny, nz, s, rows, cols, bx, by, bz, ux, uy, uz, vz, rx, ry, out);
      return;
    }
    for (let row = 0; row < rows; row++) {
      const px0 = bx + row * vx, py0 = by + row * vy, pz0 = bz + row * vz;
      const base = row * cols;
      for (let col = 0; col < cols; col++) {
        out[base + col] = walk(volume, nx, ny, nz, s, px0 + col * ux, py0 + col * uy, pz0 + col * uz, rx, ry, rz, -Infinity, Infinity);
      }
    }
    return;
  }
  // cone_vec: (ax, ay, az) is the source; integrate alpha in [0, 1] from source to pixel.
  for (let row = 0; row < rows; row++) {
    const px0 = bx + row * vx, py0 = by + row * vy, pz0 = bz + row * vz;
    const base = row * cols;
    for (let col = 0; col < cols; col++) {
      const dx = px0 + col * ux - ax, dy = py0 + col * uy - ay, dz = pz0 + col * uz - az;
      const len = Math.sqrt(dx * dx + dy * dy + dz * dz);
      out[base + col] = len > 0 ? len * walk(volume, nx, ny, nz, s, ax, ay, az, dx, dy, dz, 0, 1) : 0;
    }
  }
}

/*
 * Fast path of projectOne for horizontal parallel rays (r_z = 0) with a vertical detector
 * row vector (v = (0, 0, v_z)): every ordinary CT scan of parallelBeamGeometry. The pixel
 * (row, col) ray then has the same x, y origin for every row, so its path through the x-y
 * grid, and the alpha-length of each chord, are those of column col alone; the row only
 * selects the voxel layer k (from the ray's z, which may still vary along u). The 2-D
 * Siddon-Jacobs walk of `walk`/`walkXY` is done once per column into the scratch arrays
 * below (plane index i + n_x j, alpha-length times the in-plane weight), then each pixel
 * sums length * mu over the layer, with `walk`'s conventions: a line within 1e-9 voxel of
 * an x or y plane is the mean of the two sides (weights 0.5 on the two sub-walks' chords),
 * within 1e-9 voxel of a z plane the mean of the two layers, outside the slab in z 0.
 * Equal to the general walk up to the order of the floating-point additions. Columns are
 * processed in blocks whose chords fit the scratch arrays (so they stay small whatever
 * the grid), rows inside a block in groups of eight that share each pass over the chords.
 */

/** Scratch chords of one block of columns: in-plane voxel index and weighted alpha-length. */
let segIndex = new Int32Array(0);
let segLength = new Float64Array(0);
/** segStart[c]..segStart[c + 1] are the chords of column c of the current block. */
let segStart = new Int32Array(0);
/** Chords per block aimed for (the scratch arrays hold at least one column beyond it). */
const BLOCK_SEGMENTS = 1 << 18;

function projectParallelHorizontal(
  vol: Float32Array,
  nx: number,
  ny: number,
  nz: number,
  s: number,
  rows: number,
  cols: number,
  bx: number,
  by: number,
  bz: number,
  ux: number,
  uy: number,
  uz: number,
  vz: number,
  rx: number,
  ry: number,
  out: Float32Array,
): void {
  // A column's chords: at most 2 sub-walks (only one of r_x, r_y can be 0) of at most
  // n_x + n_y - 1 voxels each.
  const perColumn = 2 * (nx + ny);
  const block = Math.max(1, Math.min(cols, Math.floor(BLOCK_SEGMENTS / perColumn)));
  const capacity = block * perColumn;
  if (segIndex.length < capacity) {
    segIndex = new Int32Array(capacity);
    segLength = new Float64Array(capacity);
  }
  if (segStart.length < block + 1) segStart = new Int32Array(block + 1);
  const hz = 0.5 * nz * s;
  const invS = 1 / s;
  const quarter = 0.25 * s;
  const nxy = nx * ny;
  for (let c0 = 0; c0 < cols; c0 += block) {
    const c1 = Math.min(cols, c0 + block);
    let n = 0;
    for (let col = c0; col < c1; col++) {
      segStart[col - c0] = n;
      n = collectXY(nx, ny, s, bx + col * ux, by + col * uy, rx, ry, 1, n);
    }
    segStart[c1 - c0] = n;
    // Rows eight at a time: one pass over a column's chords feeds eight layer sums, so the
    // chord index and length are loaded once per eight voxel reads (2.8x faster than one
    // row per pass in bench/; the sums are the same additions in the same order).
    let row = 0;
    for (; row + ROW_GROUP <= rows; row += ROW_GROUP) {
      for (let col = c0; col < c1; col++) {
        const from = segStart[col - c0]!;
        const to = segStart[col - c0 + 1]!;
        let ordinary = true;
        for (let r = 0; r < ROW_GROUP; r++) {
          const off = layerOffset(nz, nxy, hz, invS, bz + (row + r) * vz + col * uz);
          if (off < 0) { ordinary = false; break; }
          groupOffset[r] = off;
        }
        if (ordinary && from < to) {
          layerSums8(vol, from, to, out, row * cols + col, cols);
        } else {
          for (let r = row; r < row + ROW_GROUP; r++) out[r * cols + col] = pixelSum(vol, nz, nxy, hz, invS, quarter, bz + r * vz + col * uz, from, to);
        }
      }
    }
    for (; row < rows; row++) {
      const pz0 = bz + row * vz;
      const base = row * cols;
      for (let col = c0; col < c1; col++) {
        out[base + col] = pixelSum(vol, nz, nxy, hz, invS, quarter, pz0 + col * uz, segStart[col - c0]!, segStart[col - c0 + 1]!);
      }
    }
  }
}

/** Rows summed per pass over a column's chords in projectParallelHorizontal. */
const ROW_GROUP = 8;
/** Voxel offsets (n_x n_y k) of the layers of the current group of rows. */
const groupOffset = new Int32Array(ROW_GROUP);

/**
 * Offset n_x n_y k of the layer holding z = oz when that is one whole layer, or -1 when the
 * pixel needs `pixelSum`'s care (outside the slab in z, or within 1e-9 voxel of a z plane).
 */
function layerOffset(nz: number, nxy: number, hz: number, invS: number, oz: number): number {
  if (!(oz >= -hz && oz < hz)) return -1;
  const f = (oz + hz) * invS;
  if (onPlane(f, nz)) return -1;
  let k = Math.floor(f);
  if (k >= nz) k = nz - 1;
  return nxy * k;
}

/** One pixel of the fast path: its layer's chord sum, the mean of two layers on a z plane. */
function pixelSum(vol: Float32Array, nz: number, nxy: number, hz: number, invS: number, quarter: number, oz: number, from: number, to: number): number {
  if (from === to) return 0;
  if (onPlane((oz + hz) * invS, nz)) {
    return 0.5 * (layerSum(vol, nz, nxy, hz, invS, oz - quarter, from, to) + layerSum(vol, nz, nxy, hz, invS, oz + quarter, from, to));
  }
  return layerSum(vol, nz, nxy, hz, invS, oz, from, to);
}

/**
 * The chord sums from..to over the eight layers of `groupOffset`, written to
 * out[first + r * stride] for r = 0..7. Eight scalar accumulators keep the sums in
 * registers.
 */
function layerSums8(vol: Float32Array, from: number, to: number, out: Float32Array, first: number, stride: number): void {
  const idx = segIndex;
  const len = segLength;
  const o0 = groupOffset[0]!, o1 = groupOffset[1]!, o2 = groupOffset[2]!, o3 = groupOffset[3]!;
  const o4 = groupOffset[4]!, o5 = groupOffset[5]!, o6 = groupOffset[6]!, o7 = groupOffset[7]!;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
  for (let q = from; q < to; q++) {
    const i = idx[q]!;
    const l = len[q]!;
    s0 += l * vol[i + o0]!;
    s1 += l * vol[i + o1]!;
    s2 += l * vol[i + o2]!;
    s3 += l * vol[i + o3]!;
    s4 += l * vol[i + o4]!;
    s5 += l * vol[i + o5]!;
    s6 += l * vol[i + o6]!;
    s7 += l * vol[i + o7]!;
  }
  out[first] = s0;
  out[first + stride] = s1;
  out[first + 2 * stride] = s2;
  out[first + 3 * stride] = s3;
  out[first + 4 * stride] = s4;
  out[first + 5 * stride] = s5;
  out[first + 6 * stride] = s6;
  out[first + 7 * stride] = s7;
}

/** Sum of the stored chords from..to over the voxel layer containing z = oz (0 outside). */
function layerSum(vol: Float32Array, nz: number, nxy: number, hz: number, invS: number, oz: number, from: number, to: number): number {
  if (!(oz >= -hz && oz < hz)) return 0;
  let k = Math.floor((oz + hz) * invS);
  if (k < 0) k = 0; else if (k >= nz) k = nz - 1;
  const offset = nxy * k;
  const idx = segIndex;
  const len = segLength;
  let sum = 0;
  for (let q = from; q < to; q++) sum += len[q]! * vol[idx[q]! + offset]!;
  return sum;
}

/**
 * The x-y part of `walk` for a line with d_z = 0, storing its chords (plane index, weight
 * times alpha-length) from segIndex/segLength[n]; returns the new count.
 */
function collectXY(nx: number, ny: number, s: number, ox: number, oy: number, dx: number, dy: number, weight: number, n: number): number {
  const hx = 0.5 * nx * s;
  const hy = 0.5 * ny * s;
  const invS = 1 / s;
  if (dx === 0 && onPlane((ox + hx) * invS, nx)) {
    n = collectXY(nx, ny, s, ox - 0.25 * s, oy, dx, dy, 0.5 * weight, n);
    return collectXY(nx, ny, s, ox + 0.25 * s, oy, dx, dy, 0.5 * weight, n);
  }
  if (dy === 0 && onPlane((oy + hy) * invS, ny)) {
    n = collectXY(nx, ny, s, ox, oy - 0.25 * s, dx, dy, 0.5 * weight, n);
    return collectXY(nx, ny, s, ox, oy + 0.25 * s, dx, dy, 0.5 * weight, n);
  }
  // The 3-D start on a one-layer grid (z = 0 inside it) is the 2-D start.
  if (!walkStart(nx, ny, 1, s, ox, oy, 0, dx, dy, 0, -Infinity, Infinity)) return n;
  const aMin = W[A_MIN]!, aMax = W[A_MAX]!;
  let ax = W[AX]!, ay = W[AY]!;
  const dax = W[DAX]!, day = W[DAY]!, sx = W[SX]!, sy = W[SY]!;
  let leftX = W[LX]!, leftY = W[LY]!;
  const idxOut = segIndex;
  const lenOut = segLength;
  let idx = W[IDX]!;
  let a = aMin;
  for (;;) {
    if (ax <= ay) {
      if (ax >= aMax) { idxOut[n] = idx; lenOut[n++] = weight * (aMax - a); return n; }
      idxOut[n] = idx; lenOut[n++] = weight * (ax - a);
      if (leftX-- === 0) return n;
      a = ax;
      ax += dax;
      idx += sx;
    } else {
      if (ay >= aMax) { idxOut[n] = idx; lenOut[n++] = weight * (aMax - a); return n; }
      idxOut[n] = idx; lenOut[n++] = weight * (ay - a);
      if (leftY-- === 0) return n;
      a = ay;
      ay += day;
      idx += sy;
    }
  }
}

/**
 * All projections of a scan on this thread, stacked as [projection][row][col]
 * (nProjections * rows * cols values). `out` is allocated when not given.
 */
export function projectAll(volume: Float32Array, grid: VolumeGrid, geometry: ProjectionGeometry, out?: Float32Array): Float32Array {
  checkGeometry(geometry);
  const n = projectionCount(geometry);
  const size = geometry.rows * geometry.cols;
  const stack = out ?? new Float32Array(n * size);
  if (stack.length !== n * size) throw new RangeError(`output holds ${stack.length} values, scan needs ${n * size}`);
  for (let p = 0; p < n; p++) projectOne(volume, grid, geometry, p, stack.subarray(p * size, (p + 1) * size));
  return stack;
}

/**
 * Receives the voxels a ray crosses, in order along the ray, from `walkSegments` and
 * `visitProjection`. Implementations should be classes with preallocated state so the
 * walk allocates nothing per ray.
 */
export interface RayVisitor {
  /**
   * A (sub-)ray starts, carrying `weight` of the pixel's ray: 1 normally; 0.5 for each of
   * the two sides of a line lying in a grid plane (0.25 along a grid edge), which are
   * walked one after the other. Called even when the ray misses the grid.
   */
  begin(weight: number): void;
  /** The ray crosses voxel `index` over `lengthM` metres (may be 0 at edges/corners). */
  segment(index: number, lengthM: number): void;
  /** The (sub-)ray begun by the last `begin` has left the grid. */
  finish(): void;
}

/**
 * The Siddon-Jacobs walk of `walk` above, reporting each voxel chord (in metres: alpha
 * lengths times |d|) to a visitor instead of summing one volume. Same entry/exit, first
 * voxel and in-plane conventions, so sum over segments of value * length equals
 * `segmentIntegral` up to rounding.
 */
export function walkSegments(
  grid: VolumeGrid,
  ox: number,
  oy: number,
  oz: number,
  dx: number,
  dy: number,
  dz: number,
  tLo: number,
  tHi: number,
  visitor: RayVisitor,
): void {
  const norm = Math.sqrt(dx * dx + dy * dy + dz * dz);
  if (!(norm > 0 && Number.isFinite(norm))) throw new RangeError(`ray direction must be a finite non-zero vector, got (${dx}, ${dy}, ${dz})`);
  visitWalk(grid.nx, grid.ny, grid.nz, grid.voxelSizeM, ox, oy, oz, dx, dy, dz, tLo, tHi, norm, 1, visitor);
}

function visitWalk(
  nx: number,
  ny: number,
  nz: number,
  s: number,
  ox: number,
  oy: number,
  oz: number,
  dx: number,
  dy: number,
  dz: number,
  tLo: number,
  tHi: number,
  norm: number,
  weight: number,
  v: RayVisitor,
): void {
  const hx = 0.5 * nx * s;
  const hy = 0.5 * ny * s;
  const hz = 0.5 * nz * s;
  const invS = 1 / s;
  const w2 = 0.5 * weight;
  if (dx === 0 && onPlane((ox + hx) * invS, nx)) {
    visitWalk(nx, ny, nz, s, ox - 0.25 * s, oy, oz, dx, dy, dz, tLo, tHi, norm, w2, v);
    visitWalk(nx, ny, nz, s, ox + 0.25 * s, oy, oz, dx, dy, dz, tLo, tHi, norm, w2, v);
    return;
  }
  if (dy === 0 && onPlane((oy + hy) * invS, ny)) {
    visitWalk(nx, ny, nz, s, ox, oy - 0.25 * s, oz, dx, dy, dz, tLo, tHi, norm, w2, v);
    visitWalk(nx, ny, nz, s, ox, oy + 0.25 * s, oz, dx, dy, dz, tLo, tHi, norm, w2, v);
    return;
  }
  if (dz === 0 && onPlane((oz + hz) * invS, nz)) {
    visitWalk(nx, ny, nz, s, ox, oy, oz - 0.25 * s, dx, dy, dz, tLo, tHi, norm, w2, v);
    visitWalk(nx, ny, nz, s, ox, oy, oz + 0.25 * s, dx, dy, dz, tLo, tHi, norm, w2, v);
    return;
  }
  v.begin(weight);
  if (!walkStart(nx, ny, nz, s, ox, oy, oz, dx, dy, dz, tLo, tHi)) { v.finish(); return; }
  const aMin = W[A_MIN]!, aMax = W[A_MAX]!;
  let ax = W[AX]!, ay = W[AY]!, az = W[AZ]!;
  const dax = W[DAX]!, day = W[DAY]!, daz = W[DAZ]!;
  const sx = W[SX]!, sy = W[SY]!, sz = W[SZ]!;
  let leftX = W[LX]!, leftY = W[LY]!, leftZ = W[LZ]!;
  let idx = W[IDX]!;
  let a = aMin;
  for (;;) {
    if (ax <= ay && ax <= az) {
      if (ax >= aMax) { v.segment(idx, (aMax - a) * norm); break; }
      v.segment(idx, (ax - a) * norm);
      if (leftX-- === 0) break;
      a = ax;
      ax += dax;
      idx += sx;
    } else if (ay <= az) {
      if (ay >= aMax) { v.segment(idx, (aMax - a) * norm); break; }
      v.segment(idx, (ay - a) * norm);
      if (leftY-- === 0) break;
      a = ay;
      ay += day;
      idx += sy;
    } else {
      if (az >= aMax) { v.segment(idx, (aMax - a) * norm); break; }
      v.segment(idx, (az - a) * norm);
      if (leftZ-- === 0) break;
      a = az;
      az += daz;
      idx += sz;
    }
  }
  v.finish();
}

/**
 * Walks every pixel ray of one projection (same rays as `projectOne`), calling
 * `onPixel(pixelIndex)` (pixel index row * cols + col) before the ray's walk.
 */
export function visitProjection(
  grid: VolumeGrid,
  geometry: ProjectionGeometry,
  projectionIndex: number,
  visitor: RayVisitor & { pixel(pixelIndex: number): void },
): void {
  const { rows, cols } = geometry;
  const { ax, ay, az, ux, uy, uz, vx, vy, vz, bx, by, bz } = projectionFrame(geometry, projectionIndex);
  const { nx, ny, nz, voxelSizeM: s } = grid;
  const parallel = geometry.type === "parallel3d_vec";
  let rx = 0, ry = 0, rz = 0;
  if (parallel) {
    const norm = Math.sqrt(ax * ax + ay * ay + az * az);
    if (!(norm > 0)) throw new RangeError(`projection ${projectionIndex}: zero ray direction`);
    rx = ax / norm; ry = ay / norm; rz = az / norm;
  }
  for (let row = 0; row < rows; row++) {
    const px0 = bx + row * vx, py0 = by + row * vy, pz0 = bz + row * vz;
    const base = row * cols;
    for (let col = 0; col < cols; col++) {
      visitor.pixel(base + col);
      const px = px0 + col * ux, py = py0 + col * uy, pz = pz0 + col * uz;
      if (parallel) {
        visitWalk(nx, ny, nz, s, px, py, pz, rx, ry, rz, -Infinity, Infinity, 1, 1, visitor);
      } else {
        const dx = px - ax, dy = py - ay, dz = pz - az;
        const len = Math.sqrt(dx * dx + dy * dy + dz * dz);
        if (len > 0) visitWalk(nx, ny, nz, s, ax, ay, az, dx, dy, dz, 0, 1, len, 1, visitor);
        else { visitor.begin(1); visitor.finish(); }
      }
    }
  }
}
