/** Independent references for the projector tests: exact chords by the slab method. */
import type { VolumeGrid } from "../../src/core/grid.js";

/**
 * Length of the line o + t d (t in [t0, t1], t in units of |d|) inside the closed box
 * [lo, hi], by intersecting the three slabs (Kay & Kajiya). Independent of the projector.
 */
export function slabChord(
  lo: readonly number[],
  hi: readonly number[],
  o: readonly number[],
  d: readonly number[],
  t0 = -Infinity,
  t1 = Infinity,
): number {
  let a = t0;
  let b = t1;
  for (let ax = 0; ax < 3; ax++) {
    if (d[ax] === 0) {
      if (o[ax]! < lo[ax]! || o[ax]! > hi[ax]!) return 0;
      continue;
    }
    const u = (lo[ax]! - o[ax]!) / d[ax]!;
    const v = (hi[ax]! - o[ax]!) / d[ax]!;
    a = Math.max(a, Math.min(u, v));
    b = Math.min(b, Math.max(u, v));
  }
  return b > a ? (b - a) * Math.hypot(d[0]!, d[1]!, d[2]!) : 0;
}

/** Exact line integral as the sum over every voxel of value x chord (brute force). */
export function bruteForceIntegral(volume: Float32Array, g: VolumeGrid, o: readonly number[], d: readonly number[], t0 = -Infinity, t1 = Infinity): number {
  const s = g.voxelSizeM;
  const h = [(g.nx * s) / 2, (g.ny * s) / 2, (g.nz * s) / 2];
  let sum = 0;
  for (let k = 0; k < g.nz; k++) {
    for (let j = 0; j < g.ny; j++) {
      for (let i = 0; i < g.nx; i++) {
        const v = volume[i + g.nx * (j + g.ny * k)]!;
        if (v === 0) continue;
        const lo = [-h[0]! + i * s, -h[1]! + j * s, -h[2]! + k * s];
        const hi = [lo[0]! + s, lo[1]! + s, lo[2]! + s];
        sum += v * slabChord(lo, hi, o, d, t0, t1);
      }
    }
  }
  return sum;
}

/** Deterministic uniform numbers for test inputs (a small LCG, independent of core/random). */
export function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}
