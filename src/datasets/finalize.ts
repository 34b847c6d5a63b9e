/**
 * The dataset-level files, assembled by ONE function from the samples/<id>.json records in
 * index order once every sample is there, whether the samples came from one run, a resumed
 * run or merged shards: annotations.json (COCO, every image with its split),
 * <split>/via_export_json.json (VGG Image Annotator, the images of that split), dataset.json
 * (what the dataset is) and manifest.json (sha256 of every file). Nothing in them depends on
 * time, host or how the samples were made, so equal samples give equal bytes.
 */
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { createPartialFile, writeFileAtomic, type PartialFile } from "../io/atomicFile.js";
import { writeManifest } from "../io/manifest.js";
import { XTWIN_VERSION } from "../version.js";
import { cocoAnnotationsFor, cocoDocument, type CocoAnnotation, type CocoImage } from "./coco.js";
import { sampleId, SPLITS, type Split } from "./draw.js";
import { SAMPLE_FORMAT, type SampleRecord } from "./sampleFiles.js";
import { viaExport, viaPolygonRegion } from "./via.js";

export const DATASET_FORMAT = "xtwin-dataset/1";

/** Everything the dataset-level files say besides the samples (from the scenario; copied into shard.json). */
export interface DatasetHeader {
  readonly name: string;
  readonly seed: number;
  readonly count: number;
  readonly scenarioSha256: string;
  /** The scenario as written, recipe inlined, keys sorted. */
  readonly scenario: unknown;
  readonly classes: readonly { readonly id: number; readonly name: string }[];
  /** Instance categories: particle materials, id = their class label. */
  readonly categories: readonly { readonly id: number; readonly name: string }[];
  readonly split: { readonly train: number; readonly val: number; readonly test: number };
  readonly imageFormat: "png" | "tiff";
  readonly muRange: readonly [number, number];
}

export const SPLIT_RULE =
  'u = createRandom(`${seed}/split/${index}`).next() (Alea, src/core/random.ts): train if u < train, val if u < train + val, else test';

/** Read the record of sample `index`; a clear error when it is missing or not a sample record. */
export function readRecord(dir: string, index: number, count: number): SampleRecord {
  const id = sampleId(index, count);
  const path = join(dir, "samples", `${id}.json`);
  let record: SampleRecord;
  try {
    record = JSON.parse(readFileSync(path, "utf8")) as SampleRecord;
  } catch (e) {
    throw new RangeError(`sample ${index} is not complete: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (record.format !== SAMPLE_FORMAT || record.index !== index) throw new RangeError(`${path} is not the record of sample ${index}`);
  return record;
}

function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/** A JSON file written piece by piece into a temp file, renamed into place on commit (atomic). */
class StreamedFile {
  private readonly file: PartialFile;
  private readonly fd: number;
  constructor(path: string) {
    this.file = createPartialFile(path);
    this.fd = openSync(this.file.tempPath, "w");
  }
  write(text: string): void {
    const bytes = Buffer.from(text, "utf8");
    for (let off = 0; off < bytes.byteLength; ) off += writeSync(this.fd, bytes, off, bytes.byteLength - off);
  }
  commit(): void {
    closeSync(this.fd);
    this.file.commit();
  }
  abort(): void {
    try {
      closeSync(this.fd);
    } finally {
      this.file.abort();
    }
  }
}

/**
 * Write annotations.json, the VIA files, dataset.json and manifest.json of a complete dataset
 * in `dir`. The records are read one at a time (twice: images, then annotations), and the
 * COCO and VIA files are streamed, so the memory does not grow with the count. Each image is
 * validated with its annotations by cocoDocument and viaExport (coco.ts, via.ts).
 */
export async function finalizeDataset(dir: string, header: DatasetHeader): Promise<{ splits: Record<Split, number>; instances: number }> {
  const categoryOf = new Map(header.categories.map((c) => [c.name, c.id]));
  const categories = header.categories.map((c) => ({ id: c.id, name: c.name, supercategory: "particle" }));
  const info = { year: 0, version: XTWIN_VERSION, description: `xtwin dataset ${header.name} (seed ${header.seed}, ${header.count} samples)`, contributor: "xtwin", url: "", date_created: "" };
  const record = (i: number): SampleRecord => {
    const r = readRecord(dir, i, header.count);
    if (r.scenarioSha256 !== header.scenarioSha256) throw new RangeError(`samples/${r.id}.json was made from another scenario (sha256 ${r.scenarioSha256.slice(0, 12)}...)`);
    return r;
  };
  const imageOf = (r: SampleRecord): CocoImage => ({ id: r.index + 1, file_name: r.image.path, width: r.image.width, height: r.image.height, split: r.split, sample: r.id, mu_scale: r.image.muScale, mu_offset: r.image.muOffset });
  const files: string[] = [];
  const splits = { train: 0, val: 0, test: 0 } as Record<Split, number>;
  const coco = new StreamedFile(join(dir, "annotations.json"));
  const via = Object.fromEntries(SPLITS.map((split) => {
    mkdirSync(join(dir, split), { recursive: true });
    return [split, new StreamedFile(join(dir, split, "via_export_json.json"))];
  })) as Record<Split, StreamedFile>;
  let annotations = 0;
  try {
    coco.write(`{"info":${JSON.stringify(info)},"licenses":[],"images":[`);
    for (const split of SPLITS) via[split].write("{");
    for (let i = 0; i < header.count; i++) {
      const r = record(i);
      coco.write((i > 0 ? "," : "") + JSON.stringify(imageOf(r)));
      const image = r.files.find((f) => f.path === r.image.path)!;
      const entry = viaExport([{
        filename: r.image.path.slice(r.split.length + 1),
        size: image.bytes,
        regions: r.instances.map((inst) => viaPolygonRegion(inst.outline, { name: inst.material })),
        file_attributes: {},
      }]);
      const [key, value] = Object.entries(entry)[0]!;
      via[r.split].write((splits[r.split] > 0 ? "," : "") + `${JSON.stringify(key)}:${JSON.stringify(value)}`);
      splits[r.split]++;
      files.push(...r.files.map((f) => f.path), `samples/${r.id}.json`);
    }
    coco.write('],"annotations":[');
    for (let i = 0; i < header.count; i++) {
      const r = record(i);
      const anns: CocoAnnotation[] = [];
      for (const inst of r.instances) {
        const category = categoryOf.get(inst.material);
        if (category === undefined) throw new RangeError(`samples/${r.id}.json: instance ${inst.id} is of material "${inst.material}", not a category`);
        anns.push(...cocoAnnotationsFor(r.index + 1, annotations + anns.length + 1, [inst], category));
      }
      // Checks this image's annotations (ids, image, category, mask size, bbox inside the image).
      cocoDocument({ info, images: [imageOf(r)], annotations: anns, categories });
      for (const a of anns) coco.write((annotations++ > 0 ? "," : "") + JSON.stringify(a));
    }
    coco.write(`],"categories":${JSON.stringify(categories)}}\n`);
    for (const split of SPLITS) via[split].write("}\n");
    coco.commit();
    for (const split of SPLITS) via[split].commit();
  } catch (e) {
    coco.abort();
    for (const split of SPLITS) via[split].abort();
    throw e;
  }
  files.push("annotations.json", ...SPLITS.map((split) => `${split}/via_export_json.json`), "dataset.json");
  writeFileAtomic(
    join(dir, "dataset.json"),
    jsonText({
      format: DATASET_FORMAT,
      xtwinVersion: XTWIN_VERSION,
      name: header.name,
      seed: header.seed,
      count: header.count,
      scenarioSha256: header.scenarioSha256,
      imageFormat: header.imageFormat,
      muRange: header.muRange,
      muUnits: "1/m",
      split: { ...header.split, rule: SPLIT_RULE, counts: splits },
      classes: header.classes,
      categories: header.categories,
      scenario: header.scenario,
    }),
  );
  await writeManifest(dir, { scenario: header.scenario as object, seed: header.seed, xtwinVersion: XTWIN_VERSION, files });
  return { splits, instances: annotations };
}
