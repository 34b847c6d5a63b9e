/**
 * The voxel grid every volume in xtwin lives on.
 *
 * A grid is nx x ny x nz cubic voxels of edge `voxelSizeM`, centred on the origin:
 * voxel (i, j, k) has its centre at ((i - (nx-1)/2) s, (j - (ny-1)/2) s, (k - (nz-1)/2) s).
 * Arrays index x fastest: index = i + nx * (j + ny * k), so a volume reads as [z][y][x].
 * The rotation axis of a scan is the z axis through the origin.
 */

export type Vec3 = readonly [number, number, number];

export interface VolumeGrid {
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  /** Voxel edge length (m). */
  readonly voxelSizeM: number;
}

export function voxelCount(g: VolumeGrid): number {
  return g.nx * g.ny * g.nz;
}

/** Flat index of voxel (i, j, k). */
export function voxelIndex(g: VolumeGrid, i: number, j: number, k: number): number {
  return i + g.nx * (j + g.ny * k);
}

/** Centre coordinate (m) of voxel index `i` along an axis of `n` voxels. */
export function voxelCentre(n: number, i: number, voxelSizeM: number): number {
  return (i - (n - 1) / 2) * voxelSizeM;
}

/** Half extents (m) of the grid's bounding box, which spans [-h, +h] on each axis. */
export function halfExtent(g: VolumeGrid): Vec3 {
  return [(g.nx * g.voxelSizeM) / 2, (g.ny * g.voxelSizeM) / 2, (g.nz * g.voxelSizeM) / 2];
}

export function checkGrid(g: VolumeGrid): void {
  for (const [k, v] of [["nx", g.nx], ["ny", g.ny], ["nz", g.nz]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`grid ${k} must be a positive integer, got ${v}`);
  }
  if (!(g.voxelSizeM > 0 && Number.isFinite(g.voxelSizeM))) {
    throw new RangeError(`voxel size must be a positive length, got ${g.voxelSizeM} m`);
  }
}
