/**
 * Clean-up of a class map: connected patches of a class that are too small to be real (noise
 * specks, partial-volume rims) are given to the class that surrounds them.
 *
 * Each patch smaller than minVoxels takes the class most frequent among the face neighbours
 * of its voxels that lie in patches of at least minVoxels (ties go to the lowest class), the
 * "majority of the enclosing region" rule of small-region merging (e.g. R. Haralick,
 * L. Shapiro, "Image segmentation techniques", CVGIP 29 (1985) 100,
 * doi:10.1016/S0734-189X(85)90153-7). A small patch touching only other small patches keeps
 * its class. One pass, no iteration: the result does not depend on the order of patches.
 */
import { labelComponents } from "./labelling.js";
import { checkShape, neighbourhood, type Connectivity, type VolumeShape } from "./shape.js";

export function absorbSmallPatches(classMap: Uint8Array, shape: VolumeShape, minVoxels: number, connectivity: Connectivity = 6): Uint8Array {
  const n = checkShape(shape, classMap.length, "class map");
  if (!(Number.isFinite(minVoxels) && minVoxels >= 0)) throw new RangeError(`minVoxels must be a non-negative number of voxels, got ${minVoxels}`);
  const out = classMap.slice();
  if (minVoxels <= 1) return out;
  // Class + 1 so that class 0 is a phase like any other for the labelling.
  const shifted = new Uint16Array(n);
  let classes = 0;
  for (let p = 0; p < n; p++) {
    shifted[p] = classMap[p]! + 1;
    if (classMap[p]! + 1 > classes) classes = classMap[p]! + 1;
  }
  const { labels, count, sizes } = labelComponents(shifted, shape, { connectivity });
  const smallIndex = new Int32Array(count + 1).fill(-1);
  let small = 0;
  for (let l = 1; l <= count; l++) if (sizes[l]! < minVoxels) smallIndex[l] = small++;
  if (small === 0) return out;
  const votes = new Int32Array(small * classes);
  const hood = neighbourhood(6, shape);
  const { nx, ny, nz } = shape;
  let p = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, p++) {
        const s = smallIndex[labels[p]!]!;
        if (s < 0) continue;
        for (let t = 0; t < hood.count; t++) {
          const a = i + hood.di[t]!;
          const b = j + hood.dj[t]!;
          const c = k + hood.dk[t]!;
          if (a < 0 || a >= nx || b < 0 || b >= ny || c < 0 || c >= nz) continue;
          const q = p + hood.step[t]!;
          if (smallIndex[labels[q]!]! >= 0) continue;
          votes[s * classes + classMap[q]!]!++;
        }
      }
    }
  }
  const winner = new Int32Array(small).fill(-1);
  for (let s = 0; s < small; s++) {
    let best = 0;
    for (let c = 0; c < classes; c++) {
      const v = votes[s * classes + c]!;
      if (v > best) {
        best = v;
        winner[s] = c;
      }
    }
  }
  for (let q = 0; q < n; q++) {
    const s = smallIndex[labels[q]!]!;
    if (s >= 0 && winner[s]! >= 0) out[q] = winner[s]!;
  }
  return out;
}
