/**
 * Filtered back-projection (FBP) for parallel-beam rotation scans about the z axis
 * (`parallelBeamGeometry`, any angle set, centre offset, any pixel/voxel ratio).
 *
 * Inversion formula (A. C. Kak, M. Slaney, "Principles of Computerized Tomographic
 * Imaging", IEEE Press 1988, ch. 3, eqs. (45) and (60)-(62)):
 *   mu(x, y) = integral over [0, pi) of q_theta(x cos theta + y sin theta) d theta,
 *   q_theta = p_theta (*) h,
 * with p the line integrals (dimensionless), h the band-limited ramp of filters.ts and the
 * convolution taken in metres (so q is in 1/m: the pixel-unit filtered row / pitch). A
 * discrete angle set replaces d theta by each angle's share of the half circle: with the
 * angles reduced modulo pi and sorted, w_p = half the gap to the previous plus half the gap
 * to the next (circularly), so sum w_p = pi for any set. That is pi / n for n equal angles
 * over 180 degrees, pi / n for each of a 360-degree scan's pair (theta, theta + pi), which
 * are the same line set seen from both sides, and the right weights for golden-angle or
 * other non-uniform scans.
 *
 * Each slice (voxel layer k at height z) is reconstructed from the detector row at z
 * (linearly interpolated between rows when the voxel and row grids differ): gather the
 * sinogram, ramp-filter its rows (the weight w_p / pitch folded into the filter), then
 * back-project voxel by voxel with linear interpolation between columns. The column of a
 * voxel is affine in (x, y), so along a voxel row it advances by a constant step: no trig
 * per voxel, and the range of i whose column falls on the detector is found once per row,
 * so the inner loop has no bounds test.
 *
 * Pure module: runs in a browser too. `fbpPool.ts` runs the same slices on worker threads.
 */
import { checkGrid, type VolumeGrid, voxelCentre } from "../core/grid.js";
import { checkGeometry, type ProjectionGeometry, projectionCount, VECTORS_PER_PROJECTION } from "../acquisition/geometry.js";
import { checkFilterName, type RampFilterName, RowFilter } from "./filters.js";

export interface FbpOptions {
  /** Output grid (default: nx = ny = cols, nz = rows, voxel = detector pitch). */
  readonly grid?: VolumeGrid;
  /** Ramp filter window (default "ram-lak"). */
  readonly filter?: RampFilterName;
  /**
   * Reconstruct only the disc every projection sees (radius: the shortest distance from the
   * rotation axis to a detector edge over the angles), zero outside, as
   * skimage.transform.iradon(circle=True) and TomoPy's circular masks do. Default false.
   */
  readonly circle?: boolean;
  /** Called after each slice with (slices done, nz). */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Everything the slice reconstruction needs, in plain arrays (structured-clone friendly,
 * so workers can receive it). A voxel at (x, y, z) reads column col0[p] + colX[p] x +
 * colY[p] y of projection p, and detector row row0 + rowZ z.
 */
export interface ParallelFbpPlan {
  readonly grid: VolumeGrid;
  readonly rows: number;
  readonly cols: number;
  readonly projections: number;
  readonly filter: RampFilterName;
  readonly col0: Float64Array;
  readonly colX: Float64Array;
  readonly colY: Float64Array;
  /** Angular weight / pitch of each projection (rad/m), folded into the filter. */
  readonly scale: Float64Array;
  readonly row0: number;
  readonly rowZ: number;
  /** Radius (m) of the reconstructed disc about the axis; Infinity: the whole grid. */
  readonly circleRadiusM: number;
}

/**
 * Each angle's share (rad) of the half circle: the angles reduced modulo pi, sorted, and
 * each given half the gap to its neighbours (circularly, period pi). Sums to pi.
 */
export function parallelAngularWeights(anglesRad: ArrayLike<number>): Float64Array {
  const n = anglesRad.length;
  if (n < 1) throw new RangeError("angular weights need at least one angle");
  const w = new Float64Array(n);
  if (n === 1) {
    w[0] = Math.PI;
    return w;
  }
  const reduced = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const a = anglesRad[p]!;
    if (!Number.isFinite(a)) throw new RangeError(`angle ${p} is not finite: ${a}`);
    let r = a % Math.PI;
    if (r < 0) r += Math.PI;
    // Angles within 1e-12 rad of pi are the same line set as 0.
    if (Math.PI - r < 1e-12) r = 0;
    reduced[p] = r;
  }
  const order = Array.from({ length: n }, (_, p) => p).sort((a, b) => reduced[a]! - reduced[b]!);
  for (let q = 0; q < n; q++) {
    const prev = q === 0 ? reduced[order[n - 1]!]! - Math.PI : reduced[order[q - 1]!]!;
    const next = q === n - 1 ? reduced[order[0]!]! + Math.PI : reduced[order[q + 1]!]!;
    w[order[q]!] = 0.5 * (next - prev);
  }
  return w;
}

const AXIS_TOL = 1e-9;

/**
 * Read a parallel-beam rotation scan about z from its vectors and lay out the plan for the
 * grid. Throws RangeError when the geometry is not parallel3d_vec with rays and columns in
 * the x-y plane and rows along z (a laminography scan goes to laminography.ts).
 */
export function prepareParallelFbp(geometry: ProjectionGeometry, grid: VolumeGrid, filter: RampFilterName = "ram-lak", circle = false): ParallelFbpPlan {
  checkGeometry(geometry);
  checkGrid(grid);
  checkFilterName(filter);
  if (geometry.type !== "parallel3d_vec") {
    throw new RangeError(`parallel-beam FBP needs a parallel3d_vec geometry, got ${geometry.type} (use fdk for cone beam)`);
  }
  const n = projectionCount(geometry);
  if (n < 1) throw new RangeError("geometry has no projections");
  const V = geometry.vectors;
  const { rows, cols } = geometry;
  const col0 = new Float64Array(n), colX = new Float64Array(n), colY = new Float64Array(n), scale = new Float64Array(n);
  const angles = new Float64Array(n);
  let radius = Infinity;
  const vz = V[11]!, dz = V[5]!;
  for (let p = 0; p < n; p++) {
    const o = p * VECTORS_PER_PROJECTION;
    const rx = V[o]!, ry = V[o + 1]!, rz = V[o + 2]!;
    const dx = V[o + 3]!, dy = V[o + 4]!;
    const ux = V[o + 6]!, uy = V[o + 7]!, uz = V[o + 8]!;
    const rn = Math.hypot(rx, ry, rz);
    const un = Math.hypot(ux, uy, uz);
    if (Math.abs(rz) > AXIS_TOL * rn || Math.abs(uz) > AXIS_TOL * un || Math.abs(V[o + 9]!) > AXIS_TOL * Math.abs(vz) ||
      Math.abs(V[o + 10]!) > AXIS_TOL * Math.abs(vz) || V[o + 11] !== vz || V[o + 5] !== dz) {
      throw new RangeError(
        `projection ${p} is not a rotation about z with rays and columns in the x-y plane and the same rows (v, d_z) as projection 0: ` +
          "parallel-beam FBP expects parallelBeamGeometry scans (use laminography.ts for a tilted axis)",
      );
    }
    // Column of (x, y): solve P + t r = d + a u + b v in the x-y plane (rz = uz = 0):
    // a = ((P - d) . (-ry, rx)) / (u . (-ry, rx)).
    const den = -ux * ry + uy * rx;
    if (Math.abs(den) < 1e-12 * rn * un) throw new RangeError(`projection ${p}: detector u is parallel to the rays`);
    colX[p] = -ry / den;
    colY[p] = rx / den;
    col0[p] = (cols - 1) / 2 - (dx * -ry + dy * rx) / den;
    // Spacing of neighbouring rays across the beam (the convolution's tau), metres.
    const pitch = Math.abs(den) / Math.hypot(rx, ry);
    scale[p] = 1 / pitch;
    // The axis projects onto column col0[p]; the detector reaches min(col0, cols - 1 - col0) pixels either side.
    if (circle) radius = Math.min(radius, Math.max(0, Math.min(col0[p]!, cols - 1 - col0[p]!)) * pitch);
    angles[p] = Math.atan2(rx, -ry);
  }
  const w = parallelAngularWeights(angles);
  for (let p = 0; p < n; p++) scale[p] = scale[p]! * w[p]!;
  return { grid, rows, cols, projections: n, filter, col0, colX, colY, scale, row0: (rows - 1) / 2 - dz / vz, rowZ: 1 / vz, circleRadiusM: radius };
}

/** Scratch buffers of one slice worker. */
export interface SliceScratch {
  readonly sino: Float32Array;
  readonly filtered: Float32Array;
  readonly acc: Float64Array;
  readonly filterer: RowFilter;
}

export function createSliceScratch(plan: ParallelFbpPlan): SliceScratch {
  const stride = plan.cols + 1; // one trailing zero per row: interpolation at col = cols - 1 reads it
  return {
    sino: new Float32Array(plan.projections * plan.cols),
    filtered: new Float32Array(plan.projections * stride),
    acc: new Float64Array(plan.grid.nx * plan.grid.ny),
    filterer: new RowFilter(plan.cols, plan.filter),
  };
}

/** Voxel range [lo, hi] of one angle on a voxel row (lo > hi when none), set by `voxelRange`. */
let rangeLo = 0;
let rangeHi = -1;

/** The voxels i in [0, nx - 1] whose column start + i a lies in [0, last]. */
function voxelRange(start: number, a: number, nx: number, last: number): void {
  let lo: number, hi: number;
  if (a > 0) {
    lo = Math.ceil(-start / a);
    hi = Math.floor((last - start) / a);
  } else if (a < 0) {
    lo = Math.ceil((last - start) / a);
    hi = Math.floor(-start / a);
  } else if (start >= 0 && start <= last) {
    lo = 0;
    hi = nx - 1;
  } else {
    lo = 0;
    hi = -1;
  }
  rangeLo = lo < rowLo ? rowLo : lo;
  rangeHi = hi > rowHi ? rowHi : hi;
}

/** Voxels of the current row inside the reconstructed disc (all of [0, nx - 1] without one). */
let rowLo = 0;
let rowHi = -1;

/** One angle's linear-interpolation back-projection onto voxels lo..hi of a row. */
function addAngle(filtered: Float32Array, qo: number, start: number, a: number, acc: Float64Array, ao: number, lo: number, hi: number): void {
  for (let i = lo; i <= hi; i++) {
    const col = start + i * a;
    const c = col | 0; // col >= 0 (up to rounding, where truncation gives 0)
    const q0 = filtered[qo + c]!;
    acc[ao + i] += q0 + (col - c) * (filtered[qo + c + 1]! - q0);
  }
}

/**
 * Back-project filtered sinogram rows (stride cols + 1, projection p at p (cols + 1)) onto
 * an nx x ny slice accumulator (+=). Shared by FBP and its worker. Voxel rows outermost,
 * angles inside: the accumulator row stays in L1 cache while every projection adds to it.
 * Four angles are interpolated per pass over the voxels they all see and their sum added
 * once (the accumulator's load and store, not the arithmetic, bounded the one-angle loop:
 * bench/fbp.bench.ts); each angle's remaining voxels, near the field of view's edge, are
 * added alone. Same sums as one angle at a time, up to the order of the additions.
 */
export function backprojectSlice(plan: ParallelFbpPlan, filtered: Float32Array, acc: Float64Array, jFrom = 0, jTo = plan.grid.ny): void {
  const { nx, ny, voxelSizeM: s } = plan.grid;
  const { cols, projections: n, col0, colX, colY } = plan;
  const stride = cols + 1;
  const x0 = voxelCentre(nx, 0, s);
  const y0 = voxelCentre(ny, 0, s);
  const last = cols - 1;
  const lo = groupLo, hi = groupHi, st = groupStart, sl = groupSlope;
  if (!(Number.isInteger(jFrom) && Number.isInteger(jTo) && jFrom >= 0 && jTo <= ny && jFrom <= jTo)) {
    throw new RangeError(`voxel rows ${jFrom}..${jTo} are not within 0..${ny}`);
  }
  const R = plan.circleRadiusM;
  for (let j = jFrom; j < jTo; j++) {
    const ao = j * nx;
    const y = y0 + j * s;
    if (R === Infinity) {
      rowLo = 0;
      rowHi = nx - 1;
    } else {
      // Voxel centres with x^2 + y^2 <= R^2.
      if (y * y > R * R) continue;
      const half = Math.sqrt(R * R - y * y);
      rowLo = Math.max(0, Math.ceil((-half - x0) / s - 1e-9));
      rowHi = Math.min(nx - 1, Math.floor((half - x0) / s + 1e-9));
      if (rowLo > rowHi) continue;
    }
    let p = 0;
    for (; p + 4 <= n; p += 4) {
      let L = 0, H = nx - 1;
      for (let k = 0; k < 4; k++) {
        const a = colX[p + k]! * s;
        const start = col0[p + k]! + colX[p + k]! * x0 + colY[p + k]! * y;
        voxelRange(start, a, nx, last);
        lo[k] = rangeLo;
        hi[k] = rangeHi;
        st[k] = start;
        sl[k] = a;
        if (rangeLo > L) L = rangeLo;
        if (rangeHi < H) H = rangeHi;
      }
      if (L > H) {
        for (let k = 0; k < 4; k++) addAngle(filtered, (p + k) * stride, st[k]!, sl[k]!, acc, ao, lo[k]!, hi[k]!);
        continue;
      }
      for (let k = 0; k < 4; k++) {
        addAngle(filtered, (p + k) * stride, st[k]!, sl[k]!, acc, ao, lo[k]!, L - 1);
        addAngle(filtered, (p + k) * stride, st[k]!, sl[k]!, acc, ao, H + 1, hi[k]!);
      }
      const a0 = sl[0]!, a1 = sl[1]!, a2 = sl[2]!, a3 = sl[3]!;
      // Positions advance by one voxel's column step each (the rounding drift over a row,
      // ~1e-13 of a column, changes no interpolation weight that matters).
      let q0 = st[0]! + p * stride + L * a0, q1 = st[1]! + (p + 1) * stride + L * a1;
      let q2 = st[2]! + (p + 2) * stride + L * a2, q3 = st[3]! + (p + 3) * stride + L * a3;
      for (let i = L; i <= H; i++) {
        const c0 = q0 | 0, c1 = q1 | 0, c2 = q2 | 0, c3 = q3 | 0;
        const v0 = filtered[c0]!, v1 = filtered[c1]!, v2 = filtered[c2]!, v3 = filtered[c3]!;
        acc[ao + i] += v0 + (q0 - c0) * (filtered[c0 + 1]! - v0) + v1 + (q1 - c1) * (filtered[c1 + 1]! - v1) +
          v2 + (q2 - c2) * (filtered[c2 + 1]! - v2) + v3 + (q3 - c3) * (filtered[c3 + 1]! - v3);
        q0 += a0;
        q1 += a1;
        q2 += a2;
        q3 += a3;
      }
    }
    for (; p < n; p++) {
      const a = colX[p]! * s;
      const start = col0[p]! + colX[p]! * x0 + colY[p]! * y;
      voxelRange(start, a, nx, last);
      addAngle(filtered, p * stride, start, a, acc, ao, rangeLo, rangeHi);
    }
  }
}

/** Per-group scratch of backprojectSlice: each of the four angles' range, start and slope. */
const groupLo = new Int32Array(4);
const groupHi = new Int32Array(4);
const groupStart = new Float64Array(4);
const groupSlope = new Float64Array(4);

/**
 * Reconstruct slices kFrom .. kTo - 1 of the plan's grid from projections
 * [projection][row][col] into `out` (the whole volume, x fastest); only voxel rows
 * jFrom .. jTo - 1 of each slice (default all), so workers can share one slice. Used by
 * fbpParallel and by the worker pool (fbpPool.ts).
 */
export function reconstructParallelSlices(
  plan: ParallelFbpPlan, projections: Float32Array, kFrom: number, kTo: number, out: Float32Array,
  scratch: SliceScratch = createSliceScratch(plan), onSlice?: (k: number) => void, jFrom = 0, jTo = plan.grid.ny,
): void {
  const { rows, cols, projections: n, scale, row0, rowZ } = plan;
  const { nx, ny, nz, voxelSizeM: s } = plan.grid;
  const { sino, filtered, acc, filterer } = scratch;
  const frame = rows * cols;
  const stride = cols + 1;
  for (let k = kFrom; k < kTo; k++) {
    const slice = out.subarray(k * nx * ny + jFrom * nx, k * nx * ny + jTo * nx);
    const row = row0 + rowZ * voxelCentre(nz, k, s);
    // Rows within 1e-6 of an integer are read as that row (the default grid).
    const rr = Math.round(row);
    const exact = Math.abs(row - rr) <= 1e-6;
    const r0 = exact ? rr : Math.floor(row);
    const fr = exact ? 0 : row - r0;
    if (r0 < 0 || r0 > rows - 1 || (r0 === rows - 1 && fr > 0)) {
      slice.fill(0);
      onSlice?.(k);
      continue;
    }
    for (let p = 0; p < n; p++) {
      const src = p * frame + r0 * cols;
      const dst = p * cols;
      if (fr === 0) {
        for (let c = 0; c < cols; c++) sino[dst + c] = projections[src + c]!;
      } else {
        for (let c = 0; c < cols; c++) sino[dst + c] = (1 - fr) * projections[src + c]! + fr * projections[src + cols + c]!;
      }
    }
    // Filter with each projection's weight / pitch; rows land at stride cols + 1.
    for (let p = 0; p < n; p += 2) {
      const hasB = p + 1 < n;
      filterer.filterPair(sino, p * cols, hasB ? (p + 1) * cols : 0, filtered, p * stride, hasB ? (p + 1) * stride : 0, 1, hasB);
      const sa = scale[p]!;
      for (let c = 0; c < cols; c++) filtered[p * stride + c] = filtered[p * stride + c]! * sa;
      filtered[p * stride + cols] = 0;
      if (hasB) {
        const sb = scale[p + 1]!;
        for (let c = 0; c < cols; c++) filtered[(p + 1) * stride + c] = filtered[(p + 1) * stride + c]! * sb;
        filtered[(p + 1) * stride + cols] = 0;
      }
    }
    acc.fill(0, jFrom * nx, jTo * nx);
    backprojectSlice(plan, filtered, acc, jFrom, jTo);
    for (let v = 0; v < slice.length; v++) slice[v] = acc[jFrom * nx + v]!;
    onSlice?.(k);
  }
}

export function checkProjections(projections: Float32Array, geometry: ProjectionGeometry): void {
  const expected = projectionCount(geometry) * geometry.rows * geometry.cols;
  if (projections.length !== expected) {
    throw new RangeError(
      `projections hold ${projections.length} values, ${projectionCount(geometry)} projections of ${geometry.rows} x ${geometry.cols} need ${expected}`,
    );
  }
}

/** The default reconstruction grid of a scan: cols x cols x rows voxels of the detector pitch. */
export function defaultParallelGrid(geometry: ProjectionGeometry): VolumeGrid {
  const V = geometry.vectors;
  return { nx: geometry.cols, ny: geometry.cols, nz: geometry.rows, voxelSizeM: Math.hypot(V[6]!, V[7]!, V[8]!) };
}

/**
 * Parallel-beam FBP of projections [projection][row][col] (line integrals, dimensionless)
 * to mu (1/m) on `options.grid` (x fastest). projectAll(mu) reconstructs to mu up to the
 * resolution of the scan.
 */
export function fbpParallel(projections: Float32Array, geometry: ProjectionGeometry, options: FbpOptions = {}): Float32Array {
  checkGeometry(geometry);
  checkProjections(projections, geometry);
  const grid = options.grid ?? defaultParallelGrid(geometry);
  const plan = prepareParallelFbp(geometry, grid, options.filter ?? "ram-lak", options.circle === true);
  const out = new Float32Array(grid.nx * grid.ny * grid.nz);
  const onProgress = options.onProgress;
  let done = 0;
  reconstructParallelSlices(plan, projections, 0, grid.nz, out, undefined, onProgress ? () => onProgress(++done, grid.nz) : undefined);
  return out;
}
