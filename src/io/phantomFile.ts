/**
 * `phantom.h5`: a labelled microstructure with its ground truth, in the /truth layout of
 * the DXchange datasets (src/io/dxchange.ts): /truth/labels (uint8 [z][y][x], attributes
 * classNames and voxelSizeM), /truth/instances (uint32, one id per particle, 0 = none) and
 * /truth/grains (uint32, one id per primary grain over the whole volume, 0 = none).
 * Written slab by slab under a temporary name and renamed when complete, with the HDF5
 * clock pinned so the bytes depend only on the content.
 */
import type { Microstructure } from "../phantoms/microstructure/types.js";
import { createChunked, setAttrs, writeHdf5Atomically, writeString } from "./hdf5.js";

/** Slices written per HDF5 call: about 16 MB of uint32 at a time. */
function slabSlices(nx: number, ny: number): number {
  return Math.max(1, Math.floor((16 << 20) / (nx * ny * 4)));
}

export async function writePhantomFile(path: string, ms: Microstructure, attrs: { name: string; recipe: unknown; seed: number }): Promise<void> {
  const { nx, ny, nz, voxelSizeM } = ms.grid;
  await writeHdf5Atomically(path, (file) => {
    writeString(file, "implements", "truth");
    const truth = file.create_group("truth");
    setAttrs(truth, {
      axes: "z:y:x",
      voxelSizeM,
      name: attrs.name,
      seed: attrs.seed,
      recipe: JSON.stringify(attrs.recipe),
      description: "xtwin microstructure phantom: cubic voxels centred on the origin, z through-plane",
    });
    const shape = [nz, ny, nx];
    const chunks = [1, ny, nx];
    const labels = createChunked(truth, "labels", shape, chunks, "<B", new Uint8Array(0), 4);
    setAttrs(labels, { classNames: JSON.stringify(ms.classNames), voxelSizeM, description: "material label per voxel (index into classNames)" });
    const instances = createChunked(truth, "instances", shape, chunks, "<I", new Uint32Array(0), 4);
    setAttrs(instances, { voxelSizeM, description: "particle instance id per voxel (0 = not a particle); see particles.csv" });
    const grains = createChunked(truth, "grains", shape, chunks, "<I", new Uint32Array(0), 4);
    setAttrs(grains, { voxelSizeM, description: "primary grain id per voxel, unique over the volume (0 = none)" });

    const step = slabSlices(nx, ny);
    const grainSlab = new Uint32Array(step * nx * ny);
    for (let z = 0; z < nz; z += step) {
      const z1 = Math.min(nz, z + step);
      const a = z * nx * ny;
      const b = z1 * nx * ny;
      labels.write_slice([[z, z1], [], []], ms.labels.subarray(a, b));
      instances.write_slice([[z, z1], [], []], ms.instances.subarray(a, b));
      // Global grain id = the particle's offset + its local grain index.
      for (let v = a; v < b; v++) {
        const local = ms.localGrains[v]!;
        grainSlab[v - a] = local === 0 ? 0 : ms.grainOffsets[ms.instances[v]!]! + local;
      }
      grains.write_slice([[z, z1], [], []], grainSlab.subarray(0, b - a));
    }
  });
}
