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
export function prepareParallelFbp(geometry: ProjectionGeometry, grid: VolumeGrid, filter: RampFilterName = "ram-lak"): ParallelFbpPlan {
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
    angles[p] = Math.atan2(rx, -ry);
  }
  const w = parallelAngularWeights(angles);
  for (let p = 0; p < n; p++) scale[p] = scale[p]! * w[p]!;
  return { grid, rows, cols, projections: n, filter, col0, colX, colY, scale, row0: (rows - 1) / 2 - dz / vz, rowZ: 1 / vz };
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

/**
 * Back-project filtered sinogram rows (stride cols + 1, projection p at p (cols + 1)) onto
 * an nx x ny slice accumulator (+=). Shared by FBP and its worker.
 */
export function backprojectSlice(plan: ParallelFbpPlan, filtered: Float32Array, acc: Float64Array): void {
  const { nx, ny, voxelSizeM: s } = plan.grid;
  const { cols, projections: n, col0, colX, colY } = plan;
  const stride = cols + 1;
  const x0 = voxelCentre(nx, 0, s);
  const y0 = voxelCentre(ny, 0, s);
  const last = cols - 1;
  // Voxel row outermost, angles inside: the row of the accumulator stays in L1 cache while
  // every projection adds to it.
  for (let j = 0; j < ny; j++) {
    const ao = j * nx;
    const y = y0 + j * s;
    for (let p = 0; p < n; p++) {
      const qo = p * stride;
      const a = colX[p]! * s;
      const start = col0[p]! + colX[p]! * x0 + colY[p]! * y;
      // Voxels i whose column lies in [0, cols - 1].
      let iLo: number, iHi: number;
      if (a > 0) {
        iLo = Math.ceil(-start / a);
        iHi = Math.floor((last - start) / a);
      } else if (a < 0) {
        iLo = Math.ceil((last - start) / a);
        iHi = Math.floor(-start / a);
      } else if (start >= 0 && start <= last) {
        iLo = 0;
        iHi = nx - 1;
      } else continue;
      if (iLo < 0) iLo = 0;
      if (iHi > nx - 1) iHi = nx - 1;
      for (let i = iLo; i <= iHi; i++) {
        const col = start + i * a;
        const c = col | 0; // col >= 0 (up to rounding, where truncation gives 0)
        const f = col - c;
        const q0 = filtered[qo + c]!;
        acc[ao + i] += q0 + f * (filtered[qo + c + 1]! - q0);
      }
    }
  }
}

/**
 * Reconstruct slices kFrom .. kTo - 1 of the plan's grid from projections
 * [projection][row][col] into `out` (the whole volume, x fastest). Used by fbpParallel and
 * by the worker pool.
 */
export function reconstructParallelSlices(
  plan: ParallelFbpPlan, projections: Float32Array, kFrom: number, kTo: number, out: Float32Array,
  scratch: SliceScratch = createSliceScratch(plan), onSlice?: (k: number) => void,
): void {
  const { rows, cols, projections: n, scale, row0, rowZ } = plan;
  const { nx, ny, nz, voxelSizeM: s } = plan.grid;
  const { sino, filtered, acc, filterer } = scratch;
  const frame = rows * cols;
  const stride = cols + 1;
  for (let k = kFrom; k < kTo; k++) {
    const slice = out.subarray(k * nx * ny, (k + 1) * nx * ny);
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
    acc.fill(0);
    backprojectSlice(plan, filtered, acc);
    for (let v = 0; v < nx * ny; v++) slice[v] = acc[v]!;
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
  const plan = prepareParallelFbp(geometry, grid, options.filter ?? "ram-lak");
  const out = new Float32Array(grid.nx * grid.ny * grid.nz);
  const onProgress = options.onProgress;
  let done = 0;
  reconstructParallelSlices(plan, projections, 0, grid.nz, out, undefined, onProgress ? () => onProgress(++done, grid.nz) : undefined);
  return out;
}
