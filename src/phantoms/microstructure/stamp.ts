/**
 * Stamping small balls into a microstructure's voxels (lithium deposits, voids), periodic
 * in x and y when asked.
 */
import type { Microstructure } from "./types.js";

/**
 * Ball of radius r at (cx, cy, cz) (index units): voxels of label `from` with k in
 * [kMin, kEnd) become `to` with the given instance and grain. Returns how many changed.
 */
export function stampBall(
  ms: Microstructure, cx: number, cy: number, cz: number, r: number, kMin: number, kEnd: number,
  from: number, to: number, instance: number, grain: number, periodic: boolean,
): number {
  const { nx, ny, nz } = ms.grid;
  const labels = ms.labels, instances = ms.instances, grains = ms.localGrains;
  const r2 = r * r;
  let n = 0;
  const k0 = Math.max(kMin, Math.ceil(cz - r)), k1 = Math.min(nz - 1, kEnd - 1, Math.floor(cz + r));
  for (let k = k0; k <= k1; k++) {
    const dz = k - cz;
    const rz = r2 - dz * dz;
    if (rz < 0) continue;
    const ry = Math.sqrt(rz);
    for (let jj = Math.ceil(cy - ry); jj <= Math.floor(cy + ry); jj++) {
      const dy = jj - cy;
      const rem = rz - dy * dy;
      if (rem < 0) continue;
      let j = jj;
      if (j < 0 || j >= ny) {
        if (!periodic) continue;
        j = ((j % ny) + ny) % ny;
      }
      const half = Math.sqrt(rem);
      const base = nx * (j + ny * k);
      for (let ii = Math.ceil(cx - half); ii <= Math.floor(cx + half); ii++) {
        let i = ii;
        if (i < 0 || i >= nx) {
          if (!periodic) continue;
          i = ((i % nx) + nx) % nx;
        }
        const v = base + i;
        if (labels[v] !== from) continue;
        labels[v] = to;
        instances[v] = instance;
        grains[v] = grain;
        n++;
      }
    }
  }
  return n;
}
