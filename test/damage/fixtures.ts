/** Small labelled volumes for the beam-damage tests. */
import type { LabelledVolume } from "../../src/phantoms/scene.js";

/**
 * An n^3 volume of LP30 (class 0) with an NMC811 slab (class 1) filling i >= slabStart;
 * the voxel column i = slabStart - 1 is a partial voxel, 70 % LP30 / 30 % NMC811. The
 * default puts the slab outside the grid: all LP30.
 */
export function electrolyteWithSlab(n: number, voxelSizeM: number, slabStart = n + 1): LabelledVolume {
  const total = n * n * n;
  const labels = new Uint8Array(total);
  const secondary = new Uint8Array(total);
  const primaryFraction = new Float32Array(total).fill(1);
  for (let v = 0; v < total; v++) {
    const i = v % n;
    if (i >= slabStart) {
      labels[v] = 1;
      secondary[v] = 1;
    } else if (i === slabStart - 1) {
      labels[v] = 0;
      secondary[v] = 1;
      primaryFraction[v] = 0.7;
    }
  }
  return { grid: { nx: n, ny: n, nz: n, voxelSizeM }, classNames: ["LP30", "NMC811"], labels, secondary, primaryFraction };
}

/** Gas volume fraction summed over voxels, in voxel volumes. */
export function gasVoxelVolume(volume: LabelledVolume, gasLabel: number): number {
  let sum = 0;
  for (let v = 0; v < volume.labels.length; v++) {
    if (volume.labels[v] === gasLabel) sum += volume.primaryFraction[v]!;
    else if (volume.secondary[v] === gasLabel) sum += 1 - volume.primaryFraction[v]!;
  }
  return sum;
}
