/**
 * `xtwin dataset`: make the samples of a dataset (all, or one shard's) on a pool of worker
 * threads (piscina), skip complete ones on --resume, and finalize the dataset-level files
 * (finalize.ts) once every sample is there. A shard writes shard.json instead of finalizing;
 * `mergeShards` (merge.ts) joins shards.
 *
 * Shards are round-robin: shard i of N makes the samples with index % N == i (every shard gets
 * a similar mix of cheap and costly samples, and of splits). A sample's files depend only on
 * (scenario, index), so the union of the shards is what the full run writes.
 *
 * Interruption: `stop()` (the CLI calls it on Ctrl-C) stops dispatching; samples in flight
 * finish (their files are atomic and the record comes last), so only complete samples stay.
 * A killed run may leave temp files and files of samples without a record: `--resume`
 * deletes those and makes the samples again.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Piscina } from "piscina";
import { isPartialFileName } from "../io/atomicFile.js";
import { writeFileAtomic } from "../io/atomicFile.js";
import { canonicalJson } from "../io/canonicalJson.js";
import { sampleId, SPLITS, type Split } from "./draw.js";
import { finalizeDataset, readRecord, type DatasetHeader } from "./finalize.js";
import { parseDatasetScenario, readScenarioText, type DatasetScenario } from "./scenario.js";
import { completeSample, fileEntry, sha256, type FileEntry } from "./sampleFiles.js";
import { makeSample, type SampleDone, type SampleTask } from "./worker.js";

export const SHARD_FORMAT = "xtwin-dataset-shard/1";
export const SHARD_FILE = "shard.json";

export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** "i/N" (0-based i) as a shard; RangeError naming the text otherwise. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!(count >= 1 && index >= 0 && index < count)) throw new RangeError(`--shard: expected i/N with 0 <= i < N, e.g. 0/4, got "${text}"`);
  return { index, count };
}

/** The sample indices of a shard (all without one). */
export function shardIndices(count: number, shard?: Shard): number[] {
  const all = Array.from({ length: count }, (_, i) => i);
  return shard === undefined ? all : all.filter((i) => i % shard.count === shard.index);
}

/** The dataset-level facts of a scenario and a count (what finalize and shard.json need). */
export function datasetHeader(ds: DatasetScenario, count: number): DatasetHeader {
  return {
    name: ds.name,
    seed: ds.seed,
    count,
    scenarioSha256: sha256(Buffer.from(canonicalJson(ds.echo), "utf8")),
    scenario: ds.echo,
    classes: ds.classes,
    categories: ds.classes.filter((c) => ds.particleMaterials.includes(c.name)),
    split: ds.spec.split,
    imageFormat: ds.spec.imageFormat,
    muRange: ds.spec.muRange,
  };
}

const SUBDIRS = ["", ...SPLITS, "masks", "samples"];

/** Delete temp files (`.name.partial-...`) left by a killed run; returns how many. */
export function removePartialFiles(dir: string): number {
  let removed = 0;
  for (const sub of SUBDIRS) {
    const d = join(dir, sub);
    if (!existsSync(d)) continue;
    for (const name of readdirSync(d)) {
      if (!isPartialFileName(name)) continue;
      rmSync(join(d, name), { force: true });
      removed++;
    }
  }
  return removed;
}

/** Remove what an incomplete sample may have left (record first: it is the marker). */
function removeSampleFiles(dir: string, id: string): void {
  rmSync(join(dir, "samples", `${id}.json`), { force: true });
  for (const split of SPLITS) for (const ext of ["png", "tif"]) rmSync(join(dir, split, `${id}.${ext}`), { force: true });
  for (const suffix of ["_class.png", "_instances.png"]) rmSync(join(dir, "masks", `${id}${suffix}`), { force: true });
}

/** What an existing dataset or shard directory says it is (to refuse resuming another one). */
function checkSameDataset(dir: string, header: DatasetHeader): void {
  for (const name of ["dataset.json", SHARD_FILE]) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    const doc = JSON.parse(readFileSync(path, "utf8")) as { scenarioSha256?: string; count?: number; header?: DatasetHeader };
    const sha = doc.scenarioSha256 ?? doc.header?.scenarioSha256;
    const count = doc.count ?? doc.header?.count;
    if (sha !== header.scenarioSha256 || count !== header.count) {
      throw new RangeError(`--resume: ${path} is a dataset of another scenario or count (${count} samples); use a new --out`);
    }
  }
}

export interface GenerateOptions {
  readonly scenarioPath: string;
  readonly count: number;
  readonly out: string;
  /** Worker threads (0: this thread). Default: available cores. */
  readonly workers?: number;
  readonly shard?: Shard;
  readonly resume?: boolean;
  /** After each sample: (samples done in this run, samples to make in this run). */
  readonly onSample?: (done: number, total: number, sample: SampleDone) => void;
}

export interface GenerateResult {
  readonly header: DatasetHeader;
  /** Samples made in this run, and kept from before (--resume). */
  readonly made: number;
  readonly kept: number;
  /** Samples of this run (or shard) in all. */
  readonly total: number;
  readonly interrupted: boolean;
  readonly seconds: number;
  /** Set when the dataset was finalized (not a shard, not interrupted). */
  readonly splits?: Record<Split, number>;
}

export interface DatasetRun {
  /** Stop dispatching; samples in flight finish. */
  stop(): void;
  readonly done: Promise<GenerateResult>;
}

/** Start making a dataset (see the module comment). */
export function generateDataset(options: GenerateOptions): DatasetRun {
  let stopping = false;
  const done = run(options, () => stopping);
  return { stop: () => void (stopping = true), done };
}

async function run(o: GenerateOptions, stopping: () => boolean): Promise<GenerateResult> {
  if (!(Number.isSafeInteger(o.count) && o.count >= 1)) throw new RangeError(`--count: expected a whole number >= 1, got ${o.count}`);
  const scenarioText = readScenarioText(o.scenarioPath);
  const ds = parseDatasetScenario(scenarioText, o.scenarioPath);
  const header = datasetHeader(ds, o.count);
  const dir = o.out;
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!o.resume) throw new RangeError(`--out: "${dir}" is not empty; give --resume to continue the dataset in it, or a new directory`);
    checkSameDataset(dir, header);
  }
  mkdirSync(dir, { recursive: true });
  removePartialFiles(dir);
  const indices = shardIndices(o.count, o.shard);
  const todo: number[] = [];
  for (const i of indices) {
    const id = sampleId(i, o.count);
    if (o.resume) {
      if (completeSample(dir, id, header.scenarioSha256) !== undefined) continue;
      removeSampleFiles(dir, id);
    }
    todo.push(i);
  }
  const kept = indices.length - todo.length;
  const workers = o.workers ?? availableParallelism();
  if (!(Number.isInteger(workers) && workers >= 0 && workers <= 256)) throw new RangeError(`--workers: expected a whole number from 0 to 256, got ${workers}`);
  const pool = workers > 0 && todo.length > 0
    ? new Piscina<SampleTask, SampleDone>({ filename: new URL("./worker.js", import.meta.url).href, minThreads: Math.min(workers, todo.length), maxThreads: workers, idleTimeout: 1000 })
    : undefined;
  const make = (task: SampleTask): Promise<SampleDone> => (pool ? pool.run(task) : makeSample(task));
  const start = performance.now();
  let made = 0;
  try {
    // At most `workers` samples in flight, so stopping leaves few to finish.
    const limit = Math.max(1, workers);
    let next = 0;
    let failure: unknown;
    await new Promise<void>((resolve) => {
      let inFlight = 0;
      const pump = (): void => {
        while (failure === undefined && !stopping() && next < todo.length && inFlight < limit) {
          const index = todo[next++]!;
          inFlight++;
          make({ scenarioText, scenarioPath: o.scenarioPath, dir, index, id: sampleId(index, o.count), scenarioSha256: header.scenarioSha256 })
            .then((sample) => {
              made++;
              o.onSample?.(made, todo.length, sample);
            })
            .catch((e: unknown) => {
              failure ??= e;
            })
            .finally(() => {
              inFlight--;
              pump();
            });
        }
        if (inFlight === 0) resolve();
      };
      pump();
    });
    if (failure !== undefined) throw failure;
  } finally {
    await pool?.destroy();
  }
  const seconds = (performance.now() - start) / 1000;
  const interrupted = made < todo.length;
  const result = { header, made, kept, total: indices.length, interrupted, seconds };
  if (interrupted) return result;
  if (o.shard !== undefined) {
    writeShardFile(dir, header, o.shard, indices);
    return result;
  }
  const { splits } = await finalizeDataset(dir, header);
  return { ...result, splits };
}

export interface ShardDocument {
  readonly format: string;
  readonly shard: Shard;
  readonly indices: readonly number[];
  readonly header: DatasetHeader;
  /** Every file of the shard's samples, records included, with sha256. */
  readonly files: readonly FileEntry[];
}

/** shard.json: which shard, the dataset header, and sha256 of every file of its samples. */
function writeShardFile(dir: string, header: DatasetHeader, shard: Shard, indices: readonly number[]): void {
  const files: FileEntry[] = [];
  for (const i of indices) {
    const r = readRecord(dir, i, header.count);
    files.push(...r.files);
    files.push(fileEntry(`samples/${r.id}.json`, readFileSync(join(dir, "samples", `${r.id}.json`))));
  }
  const doc: ShardDocument = { format: SHARD_FORMAT, shard, indices, header, files };
  writeFileAtomic(join(dir, SHARD_FILE), JSON.stringify(doc, null, 2) + "\n");
}
