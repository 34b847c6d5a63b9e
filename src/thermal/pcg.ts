/**
 * Jacobi-preconditioned conjugate gradient for the conduction systems (shift C + L + G_b) x = b.
 *
 * Algorithm as in Y. Saad, Iterative Methods for Sparse Linear Systems, 2nd ed., SIAM 2003,
 * Algorithm 9.1. Stopping test: ||b - A x||_2 <= max(tolerance ||b||_2, floor) (relative residual;
 * the absolute floor, given by the caller from the size of the terms b was computed from, stops
 * a solve whose right-hand side is itself at round-off level, e.g. at steady state, from chasing
 * round-off).
 * The Jacobi preconditioner is the diagonal shift C_c + sum of conductances; it is exact for
 * the capacity-dominated systems of small time steps and removes the scale of wildly different
 * conductivities (copper next to electrolyte) that would otherwise dominate the condition number.
 * The work vectors are owned by the caller and reused, so a solve allocates nothing.
 */
import type { ConductionOperator } from "./conductionOperator.js";

export interface PcgWork {
  readonly r: Float64Array;
  readonly p: Float64Array;
  readonly ap: Float64Array;
  readonly invDiagonal: Float64Array;
}

export function pcgWork(n: number): PcgWork {
  return { r: new Float64Array(n), p: new Float64Array(n), ap: new Float64Array(n), invDiagonal: new Float64Array(n) };
}

export class ConvergenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConvergenceError";
  }
}

/**
 * Solves (shift C + L + G_b) x = b in place, x holding the start guess (warm start).
 * Returns the number of iterations.
 */
export function solvePcg(
  op: ConductionOperator,
  shift: number,
  b: Float64Array,
  x: Float64Array,
  work: PcgWork,
  tolerance: number,
  maxIterations: number,
  floorNorm = 0,
): number {
  const n = op.cellCount;
  const { r, p, ap, invDiagonal } = work;
  const { capacity, diagonal } = op;
  let bNorm2 = 0;
  for (let c = 0; c < n; c++) {
    invDiagonal[c] = 1 / (shift * capacity[c]! + diagonal[c]!);
    bNorm2 += b[c]! * b[c]!;
  }
  if (bNorm2 === 0) {
    x.fill(0);
    return 0;
  }
  const stop2 = Math.max(tolerance * tolerance * bNorm2, floorNorm * floorNorm);
  op.apply(x, ap, shift);
  let rz = 0;
  let rr = 0;
  for (let c = 0; c < n; c++) {
    const rc = b[c]! - ap[c]!;
    r[c] = rc;
    const zc = rc * invDiagonal[c]!;
    p[c] = zc;
    rz += rc * zc;
    rr += rc * rc;
  }
  if (rr <= stop2) return 0;
  for (let it = 1; it <= maxIterations; it++) {
    const pAp = op.apply(p, ap, shift);
    const alpha = rz / pAp;
    let rzNew = 0;
    rr = 0;
    for (let c = 0; c < n; c++) {
      x[c] += alpha * p[c]!;
      const rc = r[c]! - alpha * ap[c]!;
      r[c] = rc;
      rzNew += rc * rc * invDiagonal[c]!;
      rr += rc * rc;
    }
    if (rr <= stop2) return it;
    const beta = rzNew / rz;
    rz = rzNew;
    for (let c = 0; c < n; c++) p[c] = r[c]! * invDiagonal[c]! + beta * p[c]!;
  }
  throw new ConvergenceError(
    `conjugate gradient did not reach relative residual ${tolerance} in ${maxIterations} iterations ` +
      `(reached ${Math.sqrt(rr / bNorm2).toExponential(2)}); raise maxIterations or loosen the tolerance`,
  );
}
