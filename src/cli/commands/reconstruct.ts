/**
 * `xtwin reconstruct <in.h5> --out <recon.h5> [--algorithm fbp|fdk|sirt|cgls]
 * [--filter shepp-logan] [--iterations N] [--center auto|<px>] [--rings]
 * [--data counts|transmission|line-integrals] [--tiff <stack.tif>]`: reconstruct a DXchange
 * scan (xtwin's or any writer's) into /exchange/recon (float32 [z][y][x], 1/m, attribute
 * voxelSizeM), and a TIFF stack on request. See docs/reconstruction.md.
 */
import { readDxchange } from "../../io/dxchange.js";
import { writeReconFile, writeVolumeTiff } from "../../io/volumeFile.js";
import { RAMP_FILTER_NAMES, type RampFilterName } from "../../reconstruction/filters.js";
import { type DatasetReconstruction, RECONSTRUCTION_ALGORITHMS, type ReconstructionAlgorithm, reconstructDataset } from "../../reconstruction/fromDataset.js";
import { XTWIN_VERSION } from "../../version.js";
import { formatLength, sig } from "../format.js";
import { wholeNumber } from "../options.js";
import { UsageError } from "../usageError.js";

export interface ReconstructOptions {
  out?: string;
  algorithm?: string;
  filter?: string;
  iterations?: string;
  center?: string;
  rings?: boolean;
  data?: string;
  tiff?: string;
  workers?: string;
}

/** Progress lines on stderr, one per stage and per 25 %. */
export function stageProgress(log: (line: string) => void): (stage: string, done: number, total: number) => void {
  let last = "";
  let quarter = -1;
  return (stage, done, total) => {
    if (stage !== last) {
      last = stage;
      quarter = -1;
    }
    const q = Math.floor((4 * done) / total);
    if (q !== quarter) {
      quarter = q;
      log(`${stage}: ${done}/${total}`);
    }
  };
}

/** The parsed options, checked: what `reconstructDataset` takes. */
export function reconstructionRequest(o: ReconstructOptions): Parameters<typeof reconstructDataset>[1] {
  const algorithm = (o.algorithm ?? "fbp") as ReconstructionAlgorithm;
  if (!RECONSTRUCTION_ALGORITHMS.includes(algorithm)) throw new UsageError(`--algorithm: expected one of ${RECONSTRUCTION_ALGORITHMS.join(", ")}, got "${o.algorithm}"`);
  const filter = (o.filter ?? "shepp-logan") as RampFilterName;
  if (!RAMP_FILTER_NAMES.includes(filter)) throw new UsageError(`--filter: expected one of ${RAMP_FILTER_NAMES.join(", ")}, got "${o.filter}"`);
  const iterations = o.iterations === undefined ? undefined : wholeNumber(o.iterations, "--iterations", 1, 100000);
  let center: "file" | "auto" | number = "file";
  if (o.center !== undefined) {
    if (o.center === "auto") center = "auto";
    else {
      center = Number(o.center);
      if (!Number.isFinite(center)) throw new UsageError(`--center: expected "auto" or a centre offset in pixels, got "${o.center}"`);
    }
  }
  const data = o.data;
  if (data !== undefined && data !== "counts" && data !== "transmission" && data !== "line-integrals") {
    throw new UsageError(`--data: expected counts, transmission or line-integrals, got "${o.data}"`);
  }
  const workers = o.workers === undefined ? undefined : wholeNumber(o.workers, "--workers", 0, 256);
  return { algorithm, filter, center, ...(data !== undefined ? { data } : {}), rings: o.rings === true, ...(iterations !== undefined ? { iterations } : {}), ...(workers !== undefined ? { workers } : {}) };
}

export function describeReconstruction(r: DatasetReconstruction): string {
  const { nx, ny, nz, voxelSizeM } = r.grid;
  return [
    `${r.algorithm}${r.filter && (r.algorithm === "fbp" || r.algorithm === "fdk" || r.algorithm === "laminography") ? ` (${r.filter} filter)` : ""}` +
      `${r.iterations !== undefined ? `, ${r.iterations} iterations (${r.stopReason})` : ""}: ${nx}x${ny}x${nz} voxels of ${formatLength(voxelSizeM)}`,
    ...(r.centerOffsetPx !== undefined ? [`centre offset ${sig(r.centerOffsetPx)} px`] : []),
    ...(r.clampedPixels > 0 ? [`${r.clampedPixels} pixels clamped at the transmission floor (1e-6)`] : []),
  ].join("\n");
}

export async function reconstructCommand(input: string, o: ReconstructOptions, log: (line: string) => void = () => undefined): Promise<string> {
  if (o.out === undefined) throw new UsageError("reconstruct: --out <recon.h5> is required");
  const request = reconstructionRequest(o);
  const file = await readDxchange(input);
  let r: DatasetReconstruction;
  try {
    r = await reconstructDataset(file, { ...request, onProgress: stageProgress(log) });
  } finally {
    file.close();
  }
  await writeReconFile(o.out, r.volume, r.grid, {
    algorithm: r.algorithm,
    ...(r.filter ? { filter: r.filter } : {}),
    ...(r.iterations !== undefined ? { iterations: r.iterations } : {}),
    ...(r.centerOffsetPx !== undefined ? { centerOffsetPx: r.centerOffsetPx } : {}),
    input,
    software: { name: "xtwin", version: XTWIN_VERSION },
  });
  if (o.tiff !== undefined) writeVolumeTiff(o.tiff, r.volume, r.grid);
  return [`wrote ${o.out}${o.tiff ? ` and ${o.tiff}` : ""}`, describeReconstruction(r)].join("\n");
}
