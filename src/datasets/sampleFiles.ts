/**
 * A sample on disk (paths relative to the dataset directory):
 *   <split>/<id>.png|.tif        reconstructed slice (16-bit PNG scaled by muRange, or float32 TIFF in 1/m)
 *   masks/<id>_class.png         8-bit class labels (the class table of dataset.json)
 *   masks/<id>_instances.png     16-bit instance ids (0 = none)
 *   samples/<id>.json            drawn parameters, split, mu scale, instances (COCO region and
 *                                VIA outline) and the sha256 of each file above
 * Each file is written atomically (temp + rename, src/io/atomicFile.ts) and samples/<id>.json
 * LAST: it is the sample's completeness marker. Everything is a function of the sample's
 * content only (no time, host or worker), so a sample's files are the same bytes whoever
 * makes them.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { encode } from "fast-png";
import { writeFileAtomic } from "../io/atomicFile.js";
import { writeTiffStack } from "../io/tiff.js";
import { instanceRegions, type InstanceRegion } from "./instances.js";
import { instanceOutline, type Polygon } from "./outline.js";
import type { SampleParameters, Split } from "./draw.js";
import type { GeneratedSample } from "./sample.js";

export const SAMPLE_FORMAT = "xtwin-dataset-sample/1";

export interface FileEntry {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface SampleInstance extends InstanceRegion {
  /** The 3-D particle it is a section of, and its material (the COCO category). */
  readonly particleId: number;
  readonly material: string;
  /** Outer boundary along pixel edges (VIA polygon), holes filled. */
  readonly outline: Polygon;
}

export interface SampleRecord {
  readonly format: string;
  readonly id: string;
  readonly index: number;
  readonly split: Split;
  /** sha256 of the canonical scenario echo: samples of another scenario are not reused. */
  readonly scenarioSha256: string;
  readonly parameters: SampleParameters;
  readonly image: {
    readonly path: string;
    readonly width: number;
    readonly height: number;
    readonly pixelSizeM: number;
    /** mu (1/m) = offset + scale x value for the 16-bit PNG; scale 1, offset 0 for float32 TIFF. */
    readonly muScale: number;
    readonly muOffset: number;
    /** Pixels clipped at 0 and at 65535 by the fixed mu range (PNG only). */
    readonly clippedLow: number;
    readonly clippedHigh: number;
  };
  readonly masks: { readonly classes: string; readonly instances: string };
  /** Pixels per class label. */
  readonly classPixels: readonly number[];
  readonly instances: readonly SampleInstance[];
  readonly clampedPixels: number;
  readonly warnings: readonly string[];
  /** Every file of the sample but this record. */
  readonly files: readonly FileEntry[];
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The entry (path, size, sha256) of `bytes` stored at relative path `rel`. */
export function fileEntry(rel: string, bytes: Uint8Array): FileEntry {
  return { path: rel, bytes: bytes.byteLength, sha256: sha256(bytes) };
}

/** Whether `bytes` are the ones `entry` lists: same size and sha256. */
export function matchesEntry(bytes: Uint8Array, entry: FileEntry): boolean {
  return bytes.byteLength === entry.bytes && sha256(bytes) === entry.sha256;
}

/** mu (1/m) to 16 bits over [lo, hi]: value = round((mu - lo) / (hi - lo) x 65535), clipped. */
export function muToUint16(mu: Float32Array, [lo, hi]: readonly [number, number]): { data: Uint16Array; scale: number; clippedLow: number; clippedHigh: number } {
  const scale = (hi - lo) / 65535;
  const data = new Uint16Array(mu.length);
  let clippedLow = 0, clippedHigh = 0;
  for (let i = 0; i < mu.length; i++) {
    const v = Math.round((mu[i]! - lo) / scale);
    if (v < 0) clippedLow++;
    else if (v > 65535) clippedHigh++;
    data[i] = v < 0 ? 0 : v > 65535 ? 65535 : v;
  }
  return { data, scale, clippedLow, clippedHigh };
}

/** Relative paths of a sample's files. */
export function samplePaths(id: string, split: Split, imageFormat: "png" | "tiff"): { image: string; classes: string; instances: string; record: string } {
  return {
    image: `${split}/${id}.${imageFormat === "png" ? "png" : "tif"}`,
    classes: `masks/${id}_class.png`,
    instances: `masks/${id}_instances.png`,
    record: `samples/${id}.json`,
  };
}

function writeBytes(dir: string, rel: string, bytes: Uint8Array): FileEntry {
  writeFileAtomic(join(dir, ...rel.split("/")), bytes);
  return fileEntry(rel, bytes);
}

/** The record's JSON text: compact (its run-length counts would triple it indented), one trailing newline. */
export function recordText(record: SampleRecord): string {
  return JSON.stringify(record) + "\n";
}

/** Write a generated sample's files into `dir`, the record last; returns the record. */
export function writeSample(
  dir: string, sample: GeneratedSample, id: string,
  options: { readonly imageFormat: "png" | "tiff"; readonly muRange: readonly [number, number]; readonly classCount: number; readonly scenarioSha256: string },
): SampleRecord {
  const { width, height, truth } = sample;
  const paths = samplePaths(id, sample.split, options.imageFormat);
  for (const sub of [sample.split, "masks", "samples"]) mkdirSync(join(dir, sub), { recursive: true });
  let imageEntry: FileEntry;
  let scaling = { muScale: 1, muOffset: 0, clippedLow: 0, clippedHigh: 0 };
  if (options.imageFormat === "png") {
    const { data, scale, clippedLow, clippedHigh } = muToUint16(sample.mu, options.muRange);
    imageEntry = writeBytes(dir, paths.image, encode({ width, height, data, depth: 16, channels: 1 }));
    scaling = { muScale: scale, muOffset: options.muRange[0], clippedLow, clippedHigh };
  } else {
    const full = join(dir, ...paths.image.split("/"));
    writeTiffStack(full, sample.mu, width, height, 1, { voxelSizeM: sample.pixelSizeM });
    imageEntry = fileEntry(paths.image, readFileSync(full));
  }
  const classEntry = writeBytes(dir, paths.classes, encode({ width, height, data: truth.classes, depth: 8, channels: 1 }));
  const instanceEntry = writeBytes(dir, paths.instances, encode({ width, height, data: truth.instances, depth: 16, channels: 1 }));
  const classPixels = new Array<number>(options.classCount).fill(0);
  for (let p = 0; p < truth.classes.length; p++) classPixels[truth.classes[p]!]!++;
  const instances: SampleInstance[] = instanceRegions(truth.instances, width, height).map((r) => ({
    ...r,
    particleId: truth.particles[r.id - 1]!.particleId,
    material: truth.particles[r.id - 1]!.material,
    outline: instanceOutline(truth.instances, width, height, r.id, r.bbox),
  }));
  const record: SampleRecord = {
    format: SAMPLE_FORMAT,
    id,
    index: sample.index,
    split: sample.split,
    scenarioSha256: options.scenarioSha256,
    parameters: sample.parameters,
    image: { path: paths.image, width, height, pixelSizeM: sample.pixelSizeM, ...scaling },
    masks: { classes: paths.classes, instances: paths.instances },
    classPixels,
    instances,
    clampedPixels: sample.clampedPixels,
    warnings: sample.warnings,
    files: [imageEntry, classEntry, instanceEntry],
  };
  writeFileAtomic(join(dir, ...paths.record.split("/")), recordText(record));
  return record;
}

/**
 * The record of a complete sample `id` in `dir`, or undefined when it is missing, unreadable,
 * of another scenario, or any of its files is missing or differs from its sha256.
 */
export function completeSample(dir: string, id: string, scenarioSha256: string): SampleRecord | undefined {
  let record: SampleRecord;
  try {
    record = JSON.parse(readFileSync(join(dir, "samples", `${id}.json`), "utf8")) as SampleRecord;
  } catch {
    return undefined;
  }
  if (record.format !== SAMPLE_FORMAT || record.id !== id || record.scenarioSha256 !== scenarioSha256) return undefined;
  for (const f of record.files) {
    try {
      const bytes = readFileSync(join(dir, ...f.path.split("/")));
      if (!matchesEntry(bytes, f)) return undefined;
    } catch {
      return undefined;
    }
  }
  return record;
}
