/**
 * `xtwin segment <recon.h5 | .tif> --out <seg.h5> [--classes N] [--instances] [--phase K]
 * [--min-voxels V] [--h H] [--min-patch V] [--smooth SIGMA] [--tiff <classes.tif>]`: multi-Otsu phases and,
 * on request, particle instances (distance transform + h-maxima markers + watershed) of a
 * reconstruction; see docs/segmentation.md.
 */
import { writeSegmentationFile, readVolume, writeVolumeTiff } from "../../io/volumeFile.js";
import { segmentVolume } from "../../segmentation/segmentVolume.js";
import { gaussianSmooth } from "../../segmentation/smoothing.js";
import { sig } from "../format.js";
import { optionalWholeNumber } from "../options.js";
import { UsageError } from "../usageError.js";

export interface SegmentOptions {
  out?: string;
  classes?: string;
  instances?: boolean;
  phase?: string;
  minVoxels?: string;
  h?: string;
  minPatch?: string;
  smooth?: string;
  tiff?: string;
}

export async function segmentCommand(input: string, o: SegmentOptions, log: (line: string) => void = () => undefined): Promise<string> {
  if (o.out === undefined) throw new UsageError("segment: --out <seg.h5> is required");
  const classes = optionalWholeNumber(o.classes, "--classes", 3, 2, 255);
  const phase = optionalWholeNumber(o.phase, "--phase", classes - 1, 0, classes - 1);
  const minVoxels = optionalWholeNumber(o.minVoxels, "--min-voxels", 27, 0, 1e9);
  const minPatch = optionalWholeNumber(o.minPatch, "--min-patch", 0, 0, 1e9);
  let h = 2;
  if (o.h !== undefined) {
    h = Number(o.h);
    if (!(h > 0 && Number.isFinite(h))) throw new UsageError(`--h: expected a positive marker height in voxels, got "${o.h}"`);
  }
  let sigma = 0;
  if (o.smooth !== undefined) {
    sigma = Number(o.smooth);
    if (!(sigma >= 0 && sigma <= 50)) throw new UsageError(`--smooth: expected a Gaussian sigma in voxels from 0 to 50, got "${o.smooth}"`);
  }
  const v = await readVolume(input);
  const shape = { nx: v.nx, ny: v.ny, nz: v.nz };
  log(`segmenting ${v.nx}x${v.ny}x${v.nz} voxels of ${input}:${v.source} into ${classes} classes${o.instances ? `, instances of class ${phase}` : ""}`);
  // Denoise first when asked: thresholds on a noisy reconstruction misplace voxels that a
  // small Gaussian (sigma ~ 1 voxel) brings back into their phase.
  const values = sigma > 0 ? gaussianSmooth(v.data as ArrayLike<number>, shape, sigma) : (v.data as ArrayLike<number>);
  const seg = segmentVolume(values, shape, {
    classes,
    minPatchVoxels: minPatch,
    ...(o.instances ? { instances: { phase, minVoxels, h } } : {}),
  });
  const grid = { ...shape, voxelSizeM: v.voxelSizeM ?? 1 };
  const classNames = Array.from({ length: classes }, (_, c) => `class${c}`);
  await writeSegmentationFile(
    o.out,
    { classes: seg.classMap, classNames, thresholds: seg.thresholds, ...(seg.instances ? { instances: seg.instances, instanceCount: seg.instanceCount } : {}) },
    grid,
    input,
  );
  if (o.tiff !== undefined) writeVolumeTiff(o.tiff, seg.classMap, grid);
  const counts = new Float64Array(classes);
  for (const c of seg.classMap) counts[c]! += 1;
  const n = seg.classMap.length;
  return [
    `wrote ${o.out}${o.tiff ? ` and ${o.tiff}` : ""}`,
    `thresholds: ${seg.thresholds.map((t) => sig(t)).join(", ")}`,
    `volume fractions: ${Array.from(counts, (c, k) => `class${k} ${sig(c / n, 3)}`).join(", ")}`,
    ...(seg.instances ? [`instances: ${seg.instanceCount} in class ${phase}`] : []),
  ].join("\n");
}
