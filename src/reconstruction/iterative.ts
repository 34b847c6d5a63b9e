/**
 * Iterative reconstruction of a mu volume x from line integrals b = A x (+ noise), with A
 * the exact Siddon projector of acquisition/projector.ts and A^T its exact transpose
 * (backprojector.ts). Both are geometry-generic, so these solvers work unchanged for
 * parallel, cone-beam and laminography scans.
 *
 * SIRT (P. Gilbert, "Iterative methods for the three-dimensional reconstruction of an
 * object from projections", J. Theor. Biol. 36 (1972) 105,
 * doi:10.1016/0022-5193(72)90180-4), in the weighted form of J. Gregor and T. Benson,
 * "Computational analysis and improvement of SIRT", IEEE Trans. Med. Imaging 27 (2008) 918,
 * doi:10.1109/TMI.2008.923696:
 *   x <- P( x + lambda C A^T R (b - A x) ),
 *   R = diag(1 / row sums of A)  (1 / length of each ray inside the grid),
 *   C = diag(1 / column sums of A)  (1 / total chord length through each voxel),
 * with P the clip to [minValue, maxValue] (0 and +inf by default: mu >= 0). Rows and
 * columns with a zero sum (rays missing the grid, voxels no ray crosses) get weight 0.
 * Unconstrained, it converges for 0 < lambda < 2 to a minimiser of ||b - A x||_R (Gregor
 * & Benson 2008, Thm 1); with the clip, for 0 < lambda <= 1 each step is a projected
 * gradient step in the C^-1 metric that does not increase ||b - A x||_R.
 *
 * CGLS (M. R. Hestenes, E. Stiefel, J. Res. Natl. Bur. Stand. 49 (1952) 409,
 * doi:10.6028/jres.049.044; A. Björck, "Numerical Methods for Least Squares Problems",
 * SIAM 1996, doi:10.1137/1.9781611971484, Alg. 7.4.1): conjugate gradients on the normal
 * equations A^T A x = A^T b without forming them. With r = b - A x, s = A^T r, p = s,
 * gamma = ||s||^2, one iteration is
 *   q = A p,  alpha = gamma / ||q||^2,  x += alpha p,  r -= alpha q,
 *   s = A^T r,  gamma' = ||s||^2,  p = s + (gamma'/gamma) p,  gamma = gamma'.
 * In exact arithmetic ||r|| never increases. Plain CGLS is unconstrained; bounds are
 * imposed by projection and restart: every `restartEvery` iterations, and at any iteration
 * where a stopping rule (below) would stop, x is clipped to [minValue, maxValue]; if that
 * changed any voxel, r = b - A x is recomputed (one extra forward projection), the rules
 * are judged on that residual, and if they do not stop, the recursion restarts from
 * p = s = A^T r (a steepest-descent step), because the clipped x breaks the conjugacy of
 * the earlier directions. So the returned volume is always within the bounds and the
 * residual that stopped the run is its own. Between restarts iterates may leave the
 * bounds, and a clip can raise ||r||. restartEvery = 1 is projected steepest descent with
 * exact line search; minValue = -Infinity, maxValue = +Infinity give plain CGLS.
 *
 * Stopping rules, checked after every iteration (whichever comes first):
 *   - maxIterations reached;
 *   - tolerance: (||r_{k-1}|| - ||r_k||) / ||r_{k-1}|| < tolerance (the residual no longer
 *     falls by that fraction per iteration; off unless given);
 *   - discrepancy principle (V. A. Morozov, "On the solution of functional equations by the
 *     method of regularization", Soviet Math. Dokl. 7 (1966) 414): with the standard
 *     deviation sigma of each datum given, stop once ||b - A x|| <= tau sigma sqrt(m),
 *     m = number of data values, tau = 1 by default. Iterating further would fit the noise
 *     (semi-convergence);
 *   - the progress callback returns false.
 * Residual norms are Euclidean, ||b - A x||_2, in the data's unit (dimensionless).
 *
 * Cost per iteration: one forward projection and one back-projection of the whole scan
 * (plus, for CGLS, one more projection at each restart that clipped). Memory: SIRT holds 3
 * volume-sized and 2 data-sized Float32Arrays, CGLS 3 and 2; nothing per ray. Sums are in
 * float64.
 *
 * Pure module: runs in a browser too.
 */
import { type VolumeGrid, checkGrid, voxelCount } from "../core/grid.js";
import { checkGeometry, type ProjectionGeometry, projectionCount } from "../acquisition/geometry.js";
import { projectAll } from "../acquisition/projector.js";
import { backprojectAll } from "./backprojector.js";

/** What the progress callback receives after each iteration. */
export interface IterationProgress {
  /** Iterations done so far, 1-based. */
  readonly iteration: number;
  /** ||b - A x|| of the current iterate (dimensionless). */
  readonly residualNorm: number;
}

export type StopReason = "maxIterations" | "tolerance" | "discrepancy" | "callback" | "exact" | "stationary";

export interface IterativeOptions {
  /** Upper limit on iterations (default 100). */
  readonly maxIterations?: number;
  /** Stop when the residual falls by less than this fraction in one iteration (default: off). */
  readonly tolerance?: number;
  /** Standard deviation of each datum (line integral); enables the discrepancy principle. */
  readonly noiseSigma?: number;
  /** Safety factor tau of the discrepancy principle (default 1.0). */
  readonly discrepancyTau?: number;
  /** Lower bound on mu (1/m), default 0 (non-negativity); -Infinity for none. */
  readonly minValue?: number;
  /** Upper bound on mu (1/m), default +Infinity (none). */
  readonly maxValue?: number;
  /** Starting volume (copied, then clipped to the bounds); default zeros. */
  readonly initial?: Float32Array;
  /** Called after each iteration; return false to stop. */
  readonly onIteration?: (progress: IterationProgress) => void | boolean;
}

export interface SirtOptions extends IterativeOptions {
  /** Relaxation lambda in (0, 2) (default 1; monotone descent with bounds needs <= 1). */
  readonly relaxation?: number;
}

export interface CglsOptions extends IterativeOptions {
  /** Project onto the bounds and restart every this many iterations (default 10). */
  readonly restartEvery?: number;
}

export interface IterativeResult {
  /** Reconstructed mu (1/m) on the grid. */
  readonly volume: Float32Array;
  /**
   * ||b - A x_k|| for k = 0 (the starting volume) .. iterations: iterations + 1 values; the
   * last is the residual of the returned volume.
   */
  readonly residualNorms: Float64Array;
  /** Iterations done. */
  readonly iterations: number;
  readonly stopReason: StopReason;
}

interface Resolved {
  readonly maxIterations: number;
  readonly tolerance: number;
  /** Residual norm at or below which the discrepancy principle stops (-1: off). */
  readonly discrepancyTarget: number;
  readonly lo: number;
  readonly hi: number;
  readonly onIteration: ((progress: IterationProgress) => void | boolean) | undefined;
}

function resolve(
  b: Float32Array,
  grid: VolumeGrid,
  geometry: ProjectionGeometry,
  opts: IterativeOptions,
): Resolved {
  checkGrid(grid);
  checkGeometry(geometry);
  const m = projectionCount(geometry) * geometry.rows * geometry.cols;
  if (b.length !== m) {
    throw new RangeError(`projections hold ${b.length} values, scan of ${projectionCount(geometry)} projections of ${geometry.rows}x${geometry.cols} needs ${m}`);
  }
  for (let i = 0; i < m; i++) {
    if (!Number.isFinite(b[i]!)) throw new RangeError(`projection value ${i} is not finite: ${b[i]} (expected line integrals)`);
  }
  const maxIterations = opts.maxIterations ?? 100;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) throw new RangeError(`maxIterations must be a non-negative integer, got ${maxIterations}`);
  const tolerance = opts.tolerance ?? -Infinity;
  if (Number.isNaN(tolerance) || tolerance >= 1) throw new RangeError(`tolerance must be a fraction below 1, got ${tolerance}`);
  let discrepancyTarget = -1;
  if (opts.noiseSigma !== undefined) {
    const sigma = opts.noiseSigma;
    const tau = opts.discrepancyTau ?? 1;
    if (!(sigma >= 0 && Number.isFinite(sigma))) throw new RangeError(`noiseSigma must be a finite standard deviation >= 0, got ${sigma}`);
    if (!(tau > 0 && Number.isFinite(tau))) throw new RangeError(`discrepancyTau must be positive, got ${tau}`);
    discrepancyTarget = tau * sigma * Math.sqrt(m);
  } else if (opts.discrepancyTau !== undefined) {
    throw new RangeError("discrepancyTau needs noiseSigma (the standard deviation of the data)");
  }
  const lo = opts.minValue ?? 0;
  const hi = opts.maxValue ?? Infinity;
  if (Number.isNaN(lo) || Number.isNaN(hi) || !(lo < hi)) throw new RangeError(`bounds must satisfy minValue < maxValue, got [${lo}, ${hi}]`);
  if (opts.initial !== undefined && opts.initial.length !== voxelCount(grid)) {
    throw new RangeError(`initial volume has ${opts.initial.length} voxels, grid ${grid.nx}x${grid.ny}x${grid.nz} needs ${voxelCount(grid)}`);
  }
  return { maxIterations, tolerance, discrepancyTarget, lo, hi, onIteration: opts.onIteration };
}

/** Clips x to [lo, hi] in place; returns whether any voxel changed. */
function clip(x: Float32Array, lo: number, hi: number): boolean {
  let changed = false;
  for (let v = 0; v < x.length; v++) {
    const xv = x[v]!;
    if (xv < lo) { x[v] = lo; changed = true; } else if (xv > hi) { x[v] = hi; changed = true; }
  }
  return changed;
}

/** The starting volume: a clipped copy of opts.initial, or the bounds' nearest value to 0. */
function startVolume(grid: VolumeGrid, opts: IterativeOptions, lo: number, hi: number): Float32Array {
  const x = new Float32Array(voxelCount(grid));
  if (opts.initial !== undefined) x.set(opts.initial);
  else x.fill(Math.min(Math.max(0, lo), hi));
  clip(x, lo, hi);
  return x;
}

/** r = b - A x into r (r is also the projector's output buffer); returns ||r||. */
function residual(b: Float32Array, x: Float32Array, grid: VolumeGrid, geometry: ProjectionGeometry, r: Float32Array): number {
  projectAll(x, grid, geometry, r);
  let ss = 0;
  for (let i = 0; i < r.length; i++) {
    const ri = b[i]! - r[i]!;
    r[i] = ri;
    ss += ri * ri;
  }
  return Math.sqrt(ss);
}

function norm2(a: Float32Array): number {
  let ss = 0;
  for (let i = 0; i < a.length; i++) ss += a[i]! * a[i]!;
  return ss;
}

/**
 * The stopping rule met after iteration k with residual norms prev -> cur (the callback
 * aside), or undefined to go on.
 */
function ruleStop(k: number, prev: number, cur: number, o: Resolved): StopReason | undefined {
  if (cur === 0) return "exact";
  if (cur <= o.discrepancyTarget) return "discrepancy";
  if ((prev - cur) / prev < o.tolerance) return "tolerance";
  if (k >= o.maxIterations) return "maxIterations";
  return undefined;
}

/**
 * The stop reason after iteration k, or undefined to go on. The callback runs first so
 * that it sees every iteration.
 */
function stopAfter(k: number, prev: number, cur: number, o: Resolved): StopReason | undefined {
  const goOn = o.onIteration?.({ iteration: k, residualNorm: cur });
  return ruleStop(k, prev, cur, o) ?? (goOn === false ? "callback" : undefined);
}

/** The reason to stop before any iteration, or undefined. */
function stopBefore(r0: number, o: Resolved): StopReason | undefined {
  if (r0 === 0) return "exact";
  if (r0 <= o.discrepancyTarget) return "discrepancy";
  if (o.maxIterations === 0) return "maxIterations";
  return undefined;
}

/**
 * SIRT with non-negativity (and optional upper bound): see the module comment.
 * `projections` are line integrals stacked [projection][row][col] (projectAll's layout).
 */
export function sirt(
  projections: Float32Array,
  geometry: ProjectionGeometry,
  grid: VolumeGrid,
  opts: SirtOptions = {},
): IterativeResult {
  const o = resolve(projections, grid, geometry, opts);
  const lambda = opts.relaxation ?? 1;
  if (!(lambda > 0 && lambda < 2)) throw new RangeError(`SIRT relaxation must be in (0, 2), got ${lambda}`);
  const n = voxelCount(grid);
  const m = projections.length;

  // R = 1 / (A 1): each ray's length inside the grid. C = 1 / (A^T 1): each voxel's total
  // chord length over the scan. Zero sums get weight 0 (Gregor & Benson 2008, eq. 4).
  const rowWeight = new Float32Array(m);
  const colWeight = new Float32Array(n);
  const x = startVolume(grid, opts, o.lo, o.hi);
  colWeight.fill(1);
  projectAll(colWeight, grid, geometry, rowWeight);
  for (let i = 0; i < m; i++) rowWeight[i] = rowWeight[i]! > 0 ? 1 / rowWeight[i]! : 0;
  const r = new Float32Array(m).fill(1);
  backprojectAll(r, grid, geometry, colWeight);
  for (let v = 0; v < n; v++) colWeight[v] = colWeight[v]! > 0 ? lambda / colWeight[v]! : 0;
  const update = new Float32Array(n);

  const history = [residual(projections, x, grid, geometry, r)];
  let stop = stopBefore(history[0]!, o);
  let k = 0;
  while (stop === undefined) {
    // R r in place: r is recomputed from the new x below.
    for (let i = 0; i < m; i++) r[i] = rowWeight[i]! * r[i]!;
    backprojectAll(r, grid, geometry, update);
    for (let v = 0; v < n; v++) x[v] = x[v]! + colWeight[v]! * update[v]!;
    clip(x, o.lo, o.hi);
    k++;
    history.push(residual(projections, x, grid, geometry, r));
    stop = stopAfter(k, history[k - 1]!, history[k]!, o);
  }
  return { volume: x, residualNorms: Float64Array.from(history), iterations: k, stopReason: stop };
}

/**
 * CGLS with bounds by projection and restart: see the module comment.
 * `projections` are line integrals stacked [projection][row][col] (projectAll's layout).
 */
export function cgls(
  projections: Float32Array,
  geometry: ProjectionGeometry,
  grid: VolumeGrid,
  opts: CglsOptions = {},
): IterativeResult {
  const o = resolve(projections, grid, geometry, opts);
  const restartEvery = opts.restartEvery ?? 10;
  if (!Number.isInteger(restartEvery) || restartEvery < 1) throw new RangeError(`restartEvery must be a positive integer, got ${restartEvery}`);
  const n = voxelCount(grid);
  const m = projections.length;
  const x = startVolume(grid, opts, o.lo, o.hi);
  const r = new Float32Array(m);
  const q = new Float32Array(m);
  const s = new Float32Array(n);
  const p = new Float32Array(n);

  const history = [residual(projections, x, grid, geometry, r)];
  let stop = stopBefore(history[0]!, o);
  // (Re)start: p = s = A^T r.
  backprojectAll(r, grid, geometry, s);
  p.set(s);
  let gamma = norm2(s);
  let k = 0;
  while (stop === undefined) {
    if (gamma === 0) {
      // A^T r = 0: x is a least-squares solution, nothing left to descend.
      stop = "stationary";
      break;
    }
    projectAll(p, grid, geometry, q);
    const qq = norm2(q);
    const alpha = qq > 0 ? gamma / qq : 0;
    for (let v = 0; v < n; v++) x[v] = x[v]! + alpha * p[v]!;
    let rr = 0;
    for (let i = 0; i < m; i++) {
      const ri = r[i]! - alpha * q[i]!;
      r[i] = ri;
      rr += ri * ri;
    }
    k++;
    let rNorm = Math.sqrt(rr);
    let restart = false;
    // Project at the restart period, and whenever a rule would stop here, so that the
    // rules judge the bounded volume that would be returned.
    const due = k % restartEvery === 0 || ruleStop(k, history[k - 1]!, rNorm, o) !== undefined;
    if (due && clip(x, o.lo, o.hi)) {
      rNorm = residual(projections, x, grid, geometry, r);
      restart = true;
    }
    history.push(rNorm);
    stop = stopAfter(k, history[k - 1]!, rNorm, o);
    if (stop !== undefined) break;
    backprojectAll(r, grid, geometry, s);
    const gammaNew = norm2(s);
    if (restart) {
      p.set(s);
    } else {
      const beta = gammaNew / gamma;
      for (let v = 0; v < n; v++) p[v] = s[v]! + beta * p[v]!;
    }
    gamma = gammaNew;
  }
  // The returned volume satisfies the bounds; its residual replaces the last entry.
  if (clip(x, o.lo, o.hi)) history[k] = residual(projections, x, grid, geometry, r);
  return { volume: x, residualNorms: Float64Array.from(history), iterations: k, stopReason: stop };
}
