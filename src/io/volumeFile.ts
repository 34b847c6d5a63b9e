/**
 * Reconstructed and segmented volumes on disk (Node only).
 *
 * recon.h5 (what `xtwin reconstruct` writes; TomoPy/tomocupy users read /exchange/recon):
 *   /implements                 "exchange:process"
 *   /exchange/recon             float32 [z][y][x], @voxelSizeM, @units "1/m", @axes "z:y:x"
 *   /process/reconstruction/... algorithm, filter, iterations, centre offset, source file
 * seg.h5 (what `xtwin segment` writes):
 *   /segmentation/classes       uint8 [z][y][x], @classNames (JSON), @thresholds (JSON), @voxelSizeM
 *   /segmentation/instances     int32 [z][y][x] (optional; 0 = none), @count
 * Both are written under a temp name and renamed when complete, with the HDF5 clock pinned
 * (hdf5.ts) so equal inputs give equal bytes. `readVolume` reads any of these datasets, the
 * /truth volumes of xtwin's DXchange files, or a TIFF stack.
 */
import { resolve } from "node:path";
import type { Dataset, Group } from "h5wasm/node";
import type { VolumeGrid } from "../core/grid.js";
import { checkGrid, voxelCount } from "../core/grid.js";
import { createChunked, getDataset, loadH5, type NumericArray, readNumberAttr, readStringAttr, setAttrs, writeHdf5Atomically, writeString } from "./hdf5.js";
import { readTiffStack, writeTiffStack } from "./tiff.js";

/** A volume as read from a file: data [z][y][x] (x fastest) and its voxel size if recorded. */
export interface VolumeData {
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  readonly data: NumericArray;
  readonly voxelSizeM: number | null;
  /** Dataset path inside an HDF5 file, or "tiff". */
  readonly source: string;
  /** Class names from the dataset's classNames attribute, if any. */
  readonly classNames: string[] | null;
}

export interface ReconstructionInfo {
  readonly algorithm: string;
  readonly filter?: string;
  readonly iterations?: number;
  readonly centerOffsetPx?: number;
  readonly input?: string;
  readonly software: { name: string; version: string };
}

function checkVolume(data: ArrayLike<number>, grid: VolumeGrid, what: string): void {
  checkGrid(grid);
  if (data.length !== voxelCount(grid)) throw new RangeError(`${what} holds ${data.length} voxels, grid ${grid.nx}x${grid.ny}x${grid.nz} needs ${voxelCount(grid)}`);
}

/** Write one volume as a chunked dataset, slice per chunk, gzip level 0 for float (noise does not compress). */
function writeVolume(group: Group, name: string, data: Float32Array | Uint8Array | Int32Array, grid: VolumeGrid, dtype: "<f" | "<B" | "<i", gzip?: number): Dataset {
  const { nx, ny, nz } = grid;
  const empty = dtype === "<f" ? new Float32Array(0) : dtype === "<B" ? new Uint8Array(0) : new Int32Array(0);
  const ds = createChunked(group, name, [nz, ny, nx], [1, ny, nx], dtype, empty, gzip);
  const step = Math.max(1, Math.floor((16 << 20) / (nx * ny * 4)));
  for (let z = 0; z < nz; z += step) {
    const z1 = Math.min(nz, z + step);
    ds.write_slice([[z, z1], [], []], data.subarray(z * nx * ny, z1 * nx * ny));
  }
  return ds;
}


/** Write a reconstruction (mu in 1/m on `grid`) as recon.h5. */
export async function writeReconFile(path: string, recon: Float32Array, grid: VolumeGrid, info: ReconstructionInfo): Promise<void> {
  checkVolume(recon, grid, "reconstruction");
  await writeHdf5Atomically(path, (file) => {
    writeString(file, "implements", "exchange:process");
    const ds = writeVolume(file.create_group("exchange"), "recon", recon, grid, "<f");
    setAttrs(ds, { voxelSizeM: grid.voxelSizeM, units: "1/m", axes: "z:y:x", description: "linear attenuation coefficient" });
    const p = file.create_group("process").create_group("reconstruction");
    setAttrs(p, {
      algorithm: info.algorithm,
      filter: info.filter,
      iterations: info.iterations === undefined ? undefined : { int32: info.iterations },
      centerOffsetPx: info.centerOffsetPx === undefined ? undefined : { float64: info.centerOffsetPx },
      input: info.input,
      softwareName: info.software.name,
      softwareVersion: info.software.version,
    });
  });
}

export interface SegmentationToWrite {
  readonly classes: Uint8Array;
  readonly classNames: readonly string[];
  readonly thresholds: readonly number[];
  readonly instances?: Int32Array;
  readonly instanceCount?: number;
}

/** Write a segmentation (class map and optional instances) as seg.h5. */
export async function writeSegmentationFile(path: string, seg: SegmentationToWrite, grid: VolumeGrid, input?: string): Promise<void> {
  checkVolume(seg.classes, grid, "class map");
  if (seg.instances) checkVolume(seg.instances, grid, "instance map");
  await writeHdf5Atomically(path, (file) => {
    writeString(file, "implements", "segmentation");
    const g = file.create_group("segmentation");
    setAttrs(g, { input });
    const c = writeVolume(g, "classes", seg.classes, grid, "<B", 4);
    setAttrs(c, { voxelSizeM: grid.voxelSizeM, axes: "z:y:x", classNames: JSON.stringify(seg.classNames), thresholds: JSON.stringify(seg.thresholds) });
    if (seg.instances) {
      const i = writeVolume(g, "instances", seg.instances, grid, "<i", 4);
      setAttrs(i, { voxelSizeM: grid.voxelSizeM, axes: "z:y:x", count: { int32: seg.instanceCount ?? 0 }, description: "instance id per voxel (0 = none)" });
    }
  });
}

/** Write a float32 or label volume as a TIFF stack (one page per z slice). */
export function writeVolumeTiff(path: string, data: Float32Array | Uint8Array | Uint16Array, grid: VolumeGrid): void {
  checkVolume(data, grid, "volume");
  writeTiffStack(path, data, grid.nx, grid.ny, grid.nz, { voxelSizeM: grid.voxelSizeM });
}

/** Datasets tried in order when `readVolume` is given no dataset path. */
export const VOLUME_DATASETS = ["exchange/recon", "segmentation/classes", "truth/mu", "truth/labels"] as const;

/**
 * Read a volume from an HDF5 file (the named dataset, or the first of VOLUME_DATASETS it
 * holds) or from a TIFF stack (.tif/.tiff).
 */
export async function readVolume(path: string, dataset?: string): Promise<VolumeData> {
  if (/\.tiff?$/i.test(path)) {
    if (dataset !== undefined) throw new RangeError(`${path}: a TIFF stack has no dataset "${dataset}"`);
    const t = readTiffStack(path);
    return { nx: t.nx, ny: t.ny, nz: t.nz, data: t.data, voxelSizeM: t.voxelSizeM, source: "tiff", classNames: null };
  }
  const h5 = await loadH5();
  const file = new h5.File(resolve(path), "r");
  try {
    const names = dataset !== undefined ? [dataset.replace(/^\//, "")] : VOLUME_DATASETS;
    for (const name of names) {
      const ds = getDataset(file, name);
      if (ds === null) continue;
      const shape = ds.shape ?? [];
      if (shape.length !== 3) throw new RangeError(`${path}:/${name} has shape [${shape.join(", ")}]; expected [z, y, x]`);
      const [nz, ny, nx] = shape as [number, number, number];
      const data = ds.value as NumericArray;
      const classNamesAttr = readStringAttr(ds, "classNames");
      return {
        nx,
        ny,
        nz,
        data,
        voxelSizeM: readNumberAttr(ds, "voxelSizeM"),
        source: name,
        classNames: classNamesAttr === null ? null : (JSON.parse(classNamesAttr) as string[]),
      };
    }
    throw new RangeError(`${path}: no volume dataset (looked for ${names.map((n) => "/" + n).join(", ")})`);
  } finally {
    file.close();
  }
}
