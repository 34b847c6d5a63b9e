/** Hand-made particles and small voxel utilities for the microstructure tests. */
import type { Vec3, VolumeGrid } from "../../../src/core/grid.js";
import { identity3, rotationFromEuler } from "../../../src/core/rotation.js";
import type { Microstructure, Particle } from "../../../src/phantoms/microstructure/types.js";

/** Centre (m) of a point given in voxel-index coordinates. */
export function indexToM(grid: VolumeGrid, p: Vec3): Vec3 {
  const s = grid.voxelSizeM;
  return [(p[0] - (grid.nx - 1) / 2) * s, (p[1] - (grid.ny - 1) / 2) * s, (p[2] - (grid.nz - 1) / 2) * s];
}

export interface ParticleSpec {
  id: number;
  /** Centre in voxel-index coordinates. */
  at: Vec3;
  /** Semi-axes in voxels (one number: a sphere). */
  r: number | Vec3;
  euler?: Vec3;
  grains?: number;
  porosity?: number;
  cracked?: boolean;
  material?: string;
}

export function particle(grid: VolumeGrid, spec: ParticleSpec): Particle {
  const s = grid.voxelSizeM;
  const r: Vec3 = typeof spec.r === "number" ? [spec.r, spec.r, spec.r] : spec.r;
  return {
    id: spec.id,
    material: spec.material ?? "NMC811",
    kind: "active",
    center: indexToM(grid, spec.at),
    semiAxes: [r[0] * s, r[1] * s, r[2] * s],
    rotation: spec.euler ? rotationFromEuler(spec.euler) : identity3(),
    grainCount: spec.grains ?? 1,
    internalPorosity: spec.porosity ?? 0,
    cracked: spec.cracked ?? false,
    agglomerate: 0,
  };
}

export function idx(grid: VolumeGrid, i: number, j: number, k: number): number {
  return i + grid.nx * (j + grid.ny * k);
}

export function countWhere(a: ArrayLike<number>, pred: (value: number, index: number) => boolean): number {
  let n = 0;
  for (let v = 0; v < a.length; v++) if (pred(a[v]!, v)) n++;
  return n;
}

/**
 * Voxels reachable from `starts` through voxels accepted by `pass` (6- or 26-connectivity;
 * x, y wrap when periodic). Returns a 0/1 mask.
 */
export function floodFill(
  grid: VolumeGrid, starts: number[], pass: (v: number) => boolean, connectivity: 6 | 26 = 6, periodic = false,
): Uint8Array {
  const { nx, ny, nz } = grid;
  const seen = new Uint8Array(nx * ny * nz);
  const stack: number[] = [];
  for (const s of starts) {
    if (pass(s) && !seen[s]) {
      seen[s] = 1;
      stack.push(s);
    }
  }
  const offsets: Vec3[] = [];
  for (let dz = -1; dz <= 1; dz++) {
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const m = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
        if (m === 0 || (connectivity === 6 && m !== 1)) continue;
        offsets.push([dx, dy, dz]);
      }
    }
  }
  while (stack.length > 0) {
    const v = stack.pop()!;
    const i = v % nx, j = Math.floor(v / nx) % ny, k = Math.floor(v / (nx * ny));
    for (const [dx, dy, dz] of offsets) {
      let a = i + dx, b = j + dy;
      const c = k + dz;
      if (c < 0 || c >= nz) continue;
      if (periodic) {
        a = (a + nx) % nx;
        b = (b + ny) % ny;
      } else if (a < 0 || a >= nx || b < 0 || b >= ny) continue;
      const w = a + nx * (b + ny * c);
      if (seen[w] || !pass(w)) continue;
      seen[w] = 1;
      stack.push(w);
    }
  }
  return seen;
}

/** Voxel (i, j, k) of flat index v. */
export function ijk(grid: VolumeGrid, v: number): Vec3 {
  const i = v % grid.nx, j = Math.floor(v / grid.nx) % grid.ny, k = Math.floor(v / (grid.nx * grid.ny));
  return [i, j, k];
}

/** Two microstructures have identical arrays. */
export function sameVoxels(a: Microstructure, b: Microstructure): boolean {
  const eq = (x: ArrayLike<number>, y: ArrayLike<number>): boolean => {
    if (x.length !== y.length) return false;
    for (let v = 0; v < x.length; v++) if (x[v] !== y[v]) return false;
    return true;
  };
  return eq(a.labels, b.labels) && eq(a.instances, b.instances) && eq(a.localGrains, b.localGrains);
}
