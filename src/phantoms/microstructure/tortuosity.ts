/**
 * Through-plane (z) tortuosity factor of one phase, by solving steady diffusion in it, as
 * TauFactor does (Cooper, Bertei, Shearing, Kilner & Brandon, "TauFactor: An open-source
 * application for calculating tortuosity factors from tomographic data", SoftwareX 5 (2016)
 * 203-210, doi:10.1016/j.softx.2016.09.002; TauFactor 2: Kench et al., J. Open Source Softw.
 * 8 (2023) 5358, doi:10.21105/joss.05358).
 *
 * Problem (cubic voxels of edge h, unit diffusivity D = 1 inside the phase, 0 outside):
 * - concentration c = 1 on the z-min face and c = 0 on the z-max face, imposed ON the face,
 *   i.e. half a voxel outside the first and last voxel centres (a boundary link therefore has
 *   conductance 2 D h, an interior link D h);
 * - zero flux through the x and y faces and across every phase boundary;
 * - finite volumes, 7-point stencil: for phase voxel i, sum over phase neighbours j of
 *   (c_i - c_j) + 2 (c_i - c_face) over its z faces on the volume boundary = 0.
 * The system is symmetric positive definite; it is solved matrix-free (a neighbour index
 * table, no assembled matrix) by preconditioned conjugate gradients in Float64 (Saad, Iterative
 * Methods for Sparse Linear Systems, 2nd ed., SIAM (2003), Algorithm 9.1), starting from the
 * linear profile, to ||b - A c||_2 / ||b||_2 <= tolerance (1e-6).
 *
 * Preconditioner. The brief's Jacobi (diagonal) preconditioner is available
 * (`preconditioner: "jacobi"`), but the default is faster: the modified incomplete Cholesky
 * factorisation MIC(0) (Gustafsson, BIT 18 (1978) 142-156) in the relaxed, safeguarded form
 * used for the pressure Poisson equation of fluid solvers on voxel domains with solid walls,
 * which is this operator (Bridson & Mueller-Fischer, "Fluid simulation", SIGGRAPH 2007 course
 * notes, section 4.3: relaxation 0.97, safety 0.25), plus an additive coarse correction on
 * blocks (see buildCoarse). On a 128 x 128 x 160 random sphere packing (pore phase, porosity
 * 0.35, 0.92 M unknowns) Jacobi takes 806 iterations, MIC(0) 233, MIC(0) + coarse 96, each
 * iteration costing about 1.2 Jacobi iterations. tau does not depend on the choice beyond the
 * tolerance (the tests compare them to 1e-5).
 *
 * Which voxels: only components of the phase (6-connected) touching both z faces are solved
 * for; isolated clusters carry no flux and are left out, and dead-end branches of a
 * percolating cluster are solved for but carry no net flux. Following TauFactor, the volume
 * fraction eps in tau is that of ALL phase voxels, isolated ones included, so isolated
 * porosity raises tau.
 *
 * Output: the flux F through each z plane (the two faces and the nz - 1 interior planes; equal
 * at convergence, their mean is used), D_eff / D = F L / (A dC) with L = nz h, A = nx ny h^2,
 * dC = 1, and the tortuosity factor tau = eps D / D_eff (TauFactor's definition; note that this
 * is the factor, not its square root, and that it includes no constriction factor). Straight
 * channels along z give tau = 1 exactly. With no percolating path D_eff = 0 and tau = Infinity
 * (`percolates` false); JSON.stringify writes Infinity as null, so writers should key on
 * `percolates`.
 *
 * Cost: about 65 bytes per conducting voxel (five Float64 vectors, the neighbour table, the
 * pivots) plus 13 bytes per voxel of the volume (labelling, index map). 128 x 128 x 160 takes
 * a few seconds; larger volumes: crop a centred sub-volume in x, y with `cropCentredXY`.
 */
import { checkGrid, voxelCount, type VolumeGrid } from "../../core/grid.js";
import { connectedComponents } from "./percolation.js";

export interface TortuosityProgress {
  readonly iteration: number;
  /** ||r||_2 / ||b||_2 of the current iterate. */
  readonly relativeResidual: number;
}

export interface TortuosityOptions {
  /** Iteration cap (default 10 000). */
  readonly maxIterations?: number;
  /** Stop when ||b - A c||_2 / ||b||_2 falls below this (default 1e-6). */
  readonly tolerance?: number;
  /** Called every `progressInterval` iterations and once at the end. */
  readonly onProgress?: (p: TortuosityProgress) => void;
  /** Iterations between progress calls (default 25). */
  readonly progressInterval?: number;
  /** Aborts the solve (throws the signal's reason) when signalled. */
  readonly signal?: AbortSignal;
  /** "mic" (modified incomplete Cholesky, default) or "jacobi". */
  readonly preconditioner?: "mic" | "jacobi";
  /** Add the coarse-block correction to the preconditioner (default true). */
  readonly coarseCorrection?: boolean;
}

export interface TortuosityResult {
  /** Tortuosity factor eps D / D_eff; Infinity when the phase does not percolate in z. */
  readonly tau: number;
  /** D_eff / D (0 when not percolating). */
  readonly relativeDiffusivity: number;
  /** Phase volume fraction eps: all phase voxels over all voxels (TauFactor's convention). */
  readonly volumeFraction: number;
  /** Fraction of the phase's voxels connected to both z faces (the conducting network). */
  readonly percolatingFraction: number;
  readonly percolates: boolean;
  /** Unknowns solved for (conducting voxels). */
  readonly unknowns: number;
  readonly iterations: number;
  readonly relativeResidual: number;
  readonly converged: boolean;
  /** (max - min) / mean of the flux over the nz + 1 planes: a check on conservation. */
  readonly fluxSpread: number;
}

/**
 * Tortuosity factor in z of the phase `mask != 0` on `grid` (see the module comment for the
 * problem, the conventions and the definition).
 */
export function tortuosityFactor(mask: Uint8Array, grid: VolumeGrid, options: TortuosityOptions = {}): TortuosityResult {
  checkGrid(grid);
  const N = voxelCount(grid);
  if (mask.length !== N) throw new RangeError(`mask has ${mask.length} voxels, grid needs ${N}`);
  const maxIterations = options.maxIterations ?? 10_000;
  const tolerance = options.tolerance ?? 1e-6;
  const interval = Math.max(1, Math.floor(options.progressInterval ?? 25));
  if (!(maxIterations >= 0)) throw new RangeError(`maxIterations must be >= 0, got ${maxIterations}`);
  if (!(tolerance > 0)) throw new RangeError(`tolerance must be > 0, got ${tolerance}`);
  options.signal?.throwIfAborted();
  const { nx, ny, nz } = grid;
  const nxy = nx * ny;

  // Conducting network: components of the phase touching both z faces.
  const bin = new Uint8Array(N);
  let phaseVoxels = 0;
  for (let g = 0; g < N; g++) if (mask[g]! !== 0) { bin[g] = 1; phaseVoxels++; }
  const comp = connectedComponents(bin, grid, { ignore: 0 });
  const conducting = new Uint8Array(comp.count + 1);
  for (let c = 1; c <= comp.count; c++) conducting[c] = comp.touchesZMin[c]! & comp.touchesZMax[c]!;
  // Unknown number per voxel (-1 = none), in raster order.
  const idx = new Int32Array(N);
  let n = 0;
  for (let g = 0; g < N; g++) idx[g] = conducting[comp.ids[g]!] ? n++ : -1;
  const volumeFraction = phaseVoxels / N;
  const percolatingFraction = phaseVoxels > 0 ? n / phaseVoxels : 0;
  if (n === 0) {
    options.onProgress?.({ iteration: 0, relativeResidual: 0 });
    return {
      tau: Infinity, relativeDiffusivity: 0, volumeFraction, percolatingFraction, percolates: false,
      unknowns: 0, iterations: 0, relativeResidual: 0, converged: true, fluxSpread: 0,
    };
  }

  // Unknown u lives at index U = u + 1 of every vector; index 0 (and n + 1) hold 0, so a
  // missing neighbour reads 0. x links are bits of `code` (the -x neighbour is always U - 1,
  // the +x one U + 1, by raster order); y and z neighbours are indices in `links`.
  const code = new Uint8Array(n + 2); // bits 0-3: diagonal (<= 10); bit 4: -x link; bit 5: +x link
  const links = new Int32Array(4 * (n + 1)); // at 4U: -y, +y, -z, +z (0 = none)
  const x = new Float64Array(n + 2);
  const r = new Float64Array(n + 2);
  const p = new Float64Array(n + 2);
  const q = new Float64Array(n + 2);
  const z = new Float64Array(n + 2);
  let bNorm2 = 0;
  for (let k = 0, g = 0; k < nz; k++) {
    const c0 = 1 - (k + 0.5) / nz;
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, g++) {
        const u = idx[g]!;
        if (u < 0) continue;
        const U = u + 1, o = 4 * U;
        let d = 0, bits = 0, t: number;
        if (i > 0 && idx[g - 1]! >= 0) { d++; bits |= 16; }
        if (i < nx - 1 && idx[g + 1]! >= 0) { d++; bits |= 32; }
        t = j > 0 ? idx[g - nx]! : -1; links[o] = t < 0 ? 0 : (d++, t + 1);
        t = j < ny - 1 ? idx[g + nx]! : -1; links[o + 1] = t < 0 ? 0 : (d++, t + 1);
        t = k > 0 ? idx[g - nxy]! : -1; links[o + 2] = t < 0 ? 0 : (d++, t + 1);
        t = k < nz - 1 ? idx[g + nxy]! : -1; links[o + 3] = t < 0 ? 0 : (d++, t + 1);
        let b = 0;
        if (k === 0) { d += 2; b = 2; bNorm2 += 4; }
        if (k === nz - 1) d += 2;
        code[U] = d | bits;
        x[U] = c0;
        r[U] = b; // completed to b - A x0 below
      }
    }
  }
  const bNorm = Math.sqrt(bNorm2);
  const mic = (options.preconditioner ?? "mic") === "mic";
  const invE = mic ? micPivots(n, code, links) : jacobiPivots(n, code);
  const coarse = buildCoarse(grid, idx, n, code, links, options.coarseCorrection ?? true);
  const { agg, rc } = coarse;

  // r = b - A x0, then z = M^-1 r + P A_c^-1 P^T r, p = z.
  applyA(n, code, links, x, q);
  for (let U = 1; U <= n; U++) r[U]! -= q[U]!;
  const step = mic ? micStep : jacobiStep;
  const state = { rr: 0, rz: 0 };
  step(n, code, links, invE, x, r, p, q, 0, z, agg, rc, state);
  let rz = state.rz + coarse.solve();
  updateDirection(n, z, p, 0, agg, rc);
  let residual = Math.sqrt(state.rr) / bNorm;
  let iteration = 0;
  while (residual > tolerance && iteration < maxIterations) {
    const pq = applyA(n, code, links, p, q);
    if (!(pq > 0)) break; // exact solution reached (or breakdown)
    step(n, code, links, invE, x, r, p, q, rz / pq, z, agg, rc, state);
    const rzNew = state.rz + coarse.solve();
    updateDirection(n, z, p, rzNew / rz, agg, rc);
    rz = rzNew;
    iteration++;
    residual = Math.sqrt(state.rr) / bNorm;
    if (iteration % interval === 0) {
      options.onProgress?.({ iteration, relativeResidual: residual });
      options.signal?.throwIfAborted();
    }
  }
  options.onProgress?.({ iteration, relativeResidual: residual });

  // Flux through every z plane: the inlet face, the nz - 1 interior planes, the outlet face.
  let fMin = Infinity, fMax = -Infinity, fSum = 0;
  const plane = (f: number): void => { fSum += f; if (f < fMin) fMin = f; if (f > fMax) fMax = f; };
  let inlet = 0, outlet = 0;
  for (let g = 0; g < nxy; g++) {
    const a = idx[g]!, b = idx[g + (nz - 1) * nxy]!;
    if (a >= 0) inlet += 2 * (1 - x[a + 1]!);
    if (b >= 0) outlet += 2 * x[b + 1]!;
  }
  plane(inlet);
  for (let k = 0; k < nz - 1; k++) {
    let f = 0;
    for (let g = k * nxy, end = g + nxy; g < end; g++) {
      const a = idx[g]!;
      if (a < 0) continue;
      const b = idx[g + nxy]!;
      if (b >= 0) f += x[a + 1]! - x[b + 1]!;
    }
    plane(f);
  }
  plane(outlet);
  const flux = fSum / (nz + 1);
  const relativeDiffusivity = (flux * nz) / nxy;
  return {
    tau: volumeFraction / relativeDiffusivity,
    relativeDiffusivity,
    volumeFraction,
    percolatingFraction,
    percolates: true,
    unknowns: n,
    iterations: iteration,
    relativeResidual: residual,
    converged: residual <= tolerance,
    fluxSpread: (fMax - fMin) / flux,
  };
}

/**
 * A centred sub-volume of `sizeX` x `sizeY` voxels (all of z) of a volume on `grid`: for
 * running `tortuosityFactor` on a manageable crop. Sizes larger than the grid are clamped; the
 * offset is floor((n - size) / 2). Works for any typed array of voxels (labels, a mask,
 * instances) and returns a copy of the same type.
 */
export function cropCentredXY<T extends Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array>(
  volume: T, grid: VolumeGrid, sizeX: number, sizeY: number,
): { volume: T; grid: VolumeGrid; offset: readonly [number, number] } {
  checkGrid(grid);
  if (volume.length !== voxelCount(grid)) throw new RangeError(`volume has ${volume.length} voxels, grid needs ${voxelCount(grid)}`);
  if (!(Number.isInteger(sizeX) && sizeX >= 1 && Number.isInteger(sizeY) && sizeY >= 1)) {
    throw new RangeError(`crop sizes must be positive integers, got ${sizeX} x ${sizeY}`);
  }
  const cx = Math.min(sizeX, grid.nx), cy = Math.min(sizeY, grid.ny);
  const i0 = Math.floor((grid.nx - cx) / 2), j0 = Math.floor((grid.ny - cy) / 2);
  const out = new (volume.constructor as new (n: number) => T)(cx * cy * grid.nz);
  for (let k = 0, o = 0; k < grid.nz; k++) {
    for (let j = 0; j < cy; j++, o += cx) {
      const s = i0 + grid.nx * (j0 + j + grid.ny * k);
      out.set(volume.subarray(s, s + cx), o);
    }
  }
  return { volume: out, grid: { nx: cx, ny: cy, nz: grid.nz, voxelSizeM: grid.voxelSizeM }, offset: [i0, j0] };
}

// ---- PCG kernels: plain monomorphic functions over typed arrays (no closures, no allocation).
// Vectors are 1-based (index 0 and n + 1 hold 0); see tortuosityFactor for `code` and `links`.

/** out = A v; returns v . out. */
function applyA(n: number, code: Uint8Array, links: Int32Array, v: Float64Array, out: Float64Array): number {
  let dot = 0;
  for (let U = 1, o = 4; U <= n; U++, o += 4) {
    const c = code[U]!;
    const vu = v[U]!;
    const a = (c & 15) * vu - ((c >> 4) & 1) * v[U - 1]! - ((c >> 5) & 1) * v[U + 1]!
      - v[links[o]!]! - v[links[o + 1]!]! - v[links[o + 2]!]! - v[links[o + 3]!]!;
    out[U] = a;
    dot += vu * a;
  }
  return dot;
}

function jacobiPivots(n: number, code: Uint8Array): Float32Array {
  const inv = new Float32Array(n + 2);
  for (let U = 1; U <= n; U++) inv[U] = 1 / (code[U]! & 15);
  return inv;
}

/**
 * MIC(0) of A = D - L - L^T (L: the unit links to lower-numbered neighbours) as
 * M = (E - L) E^-1 (E - L)^T, with pivots e_u = d_u - sum over lower neighbours m of
 * (1 + tau * (links of m to upper neighbours other than u)) / e_m, reset to d_u when below
 * sigma d_u (Bridson & Mueller-Fischer 2007, whose precon = e^(-1/2)). Returns 1 / e, rounded
 * to Float32 once: M is then exactly SPD for the rounded pivots, and half the bytes to stream.
 */
function micPivots(n: number, code: Uint8Array, links: Int32Array): Float32Array {
  const TAU = 0.97, SIGMA = 0.25;
  const inv = new Float32Array(n + 2);
  for (let U = 1, o = 4; U <= n; U++, o += 4) {
    const c = code[U]!;
    const d = c & 15;
    let e = d;
    if (c & 16) { // -x neighbour U - 1: its +y, +z links
      const m = U - 1, mo = 4 * m;
      e -= inv[m]! * (1 + TAU * ((links[mo + 1]! !== 0 ? 1 : 0) + (links[mo + 3]! !== 0 ? 1 : 0)));
    }
    const my = links[o]!;
    if (my !== 0) { // -y neighbour: its +x, +z links
      const mo = 4 * my;
      e -= inv[my]! * (1 + TAU * (((code[my]! >> 5) & 1) + (links[mo + 3]! !== 0 ? 1 : 0)));
    }
    const mz = links[o + 2]!;
    if (mz !== 0) { // -z neighbour: its +x, +y links
      const mo = 4 * mz;
      e -= inv[mz]! * (1 + TAU * (((code[mz]! >> 5) & 1) + (links[mo + 1]! !== 0 ? 1 : 0)));
    }
    if (e < SIGMA * d) e = d;
    inv[U] = 1 / e;
  }
  return inv;
}

/** Outputs of one step: r . r and r . z after it. */
interface StepState { rr: number; rz: number }

/**
 * One fused pass and a half: x += alpha p, r -= alpha q, rc = P^T r (restriction for the
 * coarse correction), then z = M^-1 r with MIC: forward (E - L) s = r in the same pass,
 * backward (E - L)^T z = E s in place.
 */
function micStep(
  n: number, code: Uint8Array, links: Int32Array, invE: Float32Array, x: Float64Array, r: Float64Array, p: Float64Array,
  q: Float64Array, alpha: number, z: Float64Array, agg: Int32Array, rc: Float64Array, out: StepState,
): void {
  rc.fill(0);
  let rr = 0;
  let prev = 0; // z[U - 1]: the -x link is the one serial dependency, kept in a register
  for (let U = 1, o = 4; U <= n; U++, o += 4) {
    x[U]! += alpha * p[U]!;
    const ru = r[U]! - alpha * q[U]!;
    r[U] = ru;
    rr += ru * ru;
    rc[agg[U]!]! += ru;
    const s = (ru + z[links[o]!]! + z[links[o + 2]!]! + ((code[U]! >> 4) & 1) * prev) * invE[U]!;
    z[U] = s;
    prev = s;
  }
  let dot = 0, next = 0;
  for (let U = n, o = 4 * n; U >= 1; U--, o -= 4) {
    const w = z[U]! + invE[U]! * (z[links[o + 1]!]! + z[links[o + 3]!]! + ((code[U]! >> 5) & 1) * next);
    z[U] = w;
    next = w;
    dot += r[U]! * w;
  }
  out.rr = rr;
  out.rz = dot;
}

/** As micStep with the Jacobi preconditioner z = r / d. */
function jacobiStep(
  n: number, _code: Uint8Array, _links: Int32Array, invE: Float32Array, x: Float64Array, r: Float64Array, p: Float64Array,
  q: Float64Array, alpha: number, z: Float64Array, agg: Int32Array, rc: Float64Array, out: StepState,
): void {
  rc.fill(0);
  let rr = 0, dot = 0;
  for (let U = 1; U <= n; U++) {
    x[U]! += alpha * p[U]!;
    const ru = r[U]! - alpha * q[U]!;
    r[U] = ru;
    rr += ru * ru;
    rc[agg[U]!]! += ru;
    const w = ru * invE[U]!;
    z[U] = w;
    dot += ru * w;
  }
  out.rr = rr;
  out.rz = dot;
}

/** p = z + P c + beta p (c: the coarse correction in rc, prolonged piecewise constant). */
function updateDirection(n: number, z: Float64Array, p: Float64Array, beta: number, agg: Int32Array, c: Float64Array): void {
  for (let U = 1; U <= n; U++) p[U] = z[U]! + c[agg[U]!]! + beta * p[U]!;
}

interface Coarse {
  /** Aggregate per unknown (1-based like the vectors). */
  readonly agg: Int32Array;
  /** Restricted residual in, coarse correction out. */
  readonly rc: Float64Array;
  /** rc <- A_c^-1 rc; returns (old rc) . (new rc). */
  solve(): number;
}

/**
 * Additive coarse correction (a two-level preconditioner, M2^-1 = M^-1 + P A_c^-1 P^T; SPD
 * whenever M is, since A_c = P^T A P is): P is piecewise constant on blocks of b x b x 8
 * voxels (b = max(16, ceil(max(nx, ny) / 8)), so at most 8 x 8 blocks per layer), restricted to
 * the conducting voxels; A_c is assembled from the links between blocks and the boundary
 * conductances and factorised once by banded Cholesky (bandwidth <= 64 blocks). It removes
 * the smooth, long-range error that an incomplete factorisation leaves (see Tang, Nabben,
 * Vuik & Erlangga, J. Sci. Comput. 39 (2009) 340-370, on two-level preconditioners of this
 * kind). Disabled (`enabled` false): one dummy aggregate whose correction is 0.
 */
function buildCoarse(grid: VolumeGrid, idx: Int32Array, n: number, code: Uint8Array, links: Int32Array, enabled: boolean): Coarse {
  const agg = new Int32Array(n + 2);
  if (!enabled) {
    const rc = new Float64Array(1);
    return { agg, rc, solve: () => { rc[0] = 0; return 0; } };
  }
  const { nx, ny, nz } = grid;
  const nxy = nx * ny;
  const bxy = Math.max(16, Math.ceil(Math.max(nx, ny) / 8)), bz = 8;
  const BX = Math.ceil(nx / bxy), BY = Math.ceil(ny / bxy), BZ = Math.ceil(nz / bz);
  // Blocks numbered in block-raster order (empty ones skipped), so that an upper (+x, +y, +z)
  // link never goes to a lower-numbered block.
  const blockOf = (g: number): number => {
    const i = g % nx, j = Math.floor(g / nx) % ny, k = Math.floor(g / nxy);
    return Math.floor(i / bxy) + BX * (Math.floor(j / bxy) + BY * Math.floor(k / bz));
  };
  const blockId = new Int32Array(BX * BY * BZ);
  for (let g = 0; g < idx.length; g++) if (idx[g]! >= 0) blockId[blockOf(g)] = 1;
  let nc = 0;
  for (let B = 0; B < blockId.length; B++) blockId[B] = blockId[B] ? nc++ : -1;
  for (let g = 0; g < idx.length; g++) {
    const u = idx[g]!;
    if (u >= 0) agg[u + 1] = blockId[blockOf(g)]!;
  }
  // Assemble A_c over the upper links (+x, +y, +z) of every unknown; bandwidth first.
  let bw = 0;
  for (let U = 1, o = 4; U <= n; U++, o += 4) {
    const I = agg[U]!;
    if (code[U]! & 32) bw = Math.max(bw, agg[U + 1]! - I);
    if (links[o + 1]! !== 0) bw = Math.max(bw, agg[links[o + 1]!]! - I);
    if (links[o + 3]! !== 0) bw = Math.max(bw, agg[links[o + 3]!]! - I);
  }
  const W = bw + 1;
  // Lower band, row-major: L[I][J] at I * W + (I - J), J in [I - bw, I].
  const L = new Float64Array(nc * W);
  const link = (I: number, J: number): void => {
    if (I === J) return;
    L[I * W]! += 1;
    L[J * W]! += 1;
    L[J * W + (J - I)]! -= 1; // J > I for an upper link
  };
  for (let U = 1, o = 4; U <= n; U++, o += 4) {
    const I = agg[U]!;
    if (code[U]! & 32) link(I, agg[U + 1]!);
    if (links[o + 1]! !== 0) link(I, agg[links[o + 1]!]!);
    if (links[o + 3]! !== 0) link(I, agg[links[o + 3]!]!);
  }
  for (let g = 0; g < nxy; g++) {
    const a = idx[g]!, b = idx[g + (nz - 1) * nxy]!;
    if (a >= 0) L[agg[a + 1]! * W]! += 2;
    if (b >= 0) L[agg[b + 1]! * W]! += 2;
  }
  for (let I = 0; I < nc; I++) {
    const j0 = Math.max(0, I - bw);
    for (let J = j0; J <= I; J++) {
      let sum = L[I * W + (I - J)]!;
      for (let K = Math.max(j0, J - bw); K < J; K++) sum -= L[I * W + (I - K)]! * L[J * W + (J - K)]!;
      if (J === I) L[I * W] = Math.sqrt(sum);
      else L[I * W + (I - J)] = sum / L[J * W]!;
    }
  }
  const rc = new Float64Array(nc);
  const rhs = new Float64Array(nc);
  return {
    agg, rc,
    solve(): number {
      rhs.set(rc);
      for (let I = 0; I < nc; I++) {
        let sum = rc[I]!;
        for (let K = Math.max(0, I - bw); K < I; K++) sum -= L[I * W + (I - K)]! * rc[K]!;
        rc[I] = sum / L[I * W]!;
      }
      for (let I = nc - 1; I >= 0; I--) {
        let sum = rc[I]!;
        for (let K = I + 1, end = Math.min(nc - 1, I + bw); K <= end; K++) sum -= L[K * W + (K - I)]! * rc[K]!;
        rc[I] = sum / L[I * W]!;
      }
      let dot = 0;
      for (let I = 0; I < nc; I++) dot += rhs[I]! * rc[I]!;
      return dot;
    },
  };
}
