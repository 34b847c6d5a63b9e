/**
 * `xtwin dataset <scenario.yaml> --count N --out <dir> [--workers K] [--shard i/N] [--resume]`
 * and `xtwin dataset merge <shard dirs...> --out <dir>`: synthetic training data
 * (src/datasets/, docs/datasets.md). Progress on stderr; Ctrl-C stops dispatching, lets the
 * samples in flight finish, and exits 130 with how to resume.
 */
import { SingleBar, Presets } from "cli-progress";
import { generateDataset, parseShard, removePartialFiles, type GenerateResult } from "../../datasets/generate.js";
import { mergeShards } from "../../datasets/merge.js";
import { wholeNumber } from "../options.js";
import { UsageError } from "../usageError.js";

export interface DatasetOptions {
  count?: string;
  out?: string;
  workers?: string;
  shard?: string;
  resume?: boolean;
}

/** Samples per minute as a short figure. */
function rate(made: number, seconds: number): string {
  return seconds > 0 ? `${((60 * made) / seconds).toFixed(2)} samples/min` : "-";
}

/** A bar on a terminal; a line per 10% of the samples otherwise. */
function sampleProgress(err: NodeJS.WriteStream): { update(done: number, total: number): void; stop(): void } {
  let bar: SingleBar | undefined;
  let lastDecile = -1;
  return {
    update(done, total) {
      if (err.isTTY) {
        bar ??= new SingleBar({ format: "samples [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted}", stream: err, hideCursor: true }, Presets.shades_classic);
        if (done === 1) bar.start(total, 0);
        bar.update(done);
        return;
      }
      const decile = Math.floor((10 * done) / total);
      if (decile > lastDecile) {
        lastDecile = decile;
        err.write(`samples: ${done}/${total}\n`);
      }
    },
    stop: () => bar?.stop(),
  };
}

export async function datasetCommand(path: string, o: DatasetOptions, out: NodeJS.WritableStream, err: NodeJS.WriteStream): Promise<void> {
  if (o.out === undefined) throw new UsageError("dataset: --out <dir> is required");
  if (o.count === undefined) throw new UsageError("dataset: --count <n> is required");
  const count = wholeNumber(o.count, "--count", 1, 10_000_000);
  const workers = o.workers === undefined ? undefined : wholeNumber(o.workers, "--workers", 0, 256);
  const shard = o.shard === undefined ? undefined : parseShard(o.shard);
  const progress = sampleProgress(err);
  const dataset = generateDataset({
    scenarioPath: path,
    count,
    out: o.out,
    ...(workers !== undefined ? { workers } : {}),
    ...(shard ? { shard } : {}),
    resume: o.resume === true,
    onSample: (done, total) => progress.update(done, total),
  });
  // First Ctrl-C: finish the samples in flight; a second one: leave at once (temp files removed).
  let signals = 0;
  const onSignal = (): void => {
    signals++;
    if (signals === 1) {
      dataset.stop();
      err.write("\nstopping: finishing the samples in flight (Ctrl-C again to quit now)\n");
      return;
    }
    removePartialFiles(o.out!);
    process.exit(130);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let result: GenerateResult;
  try {
    result = await dataset.done;
  } finally {
    progress.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  const made = `${result.made} samples made${result.kept > 0 ? `, ${result.kept} kept` : ""} in ${result.seconds.toFixed(1)} s (${rate(result.made, result.seconds)})`;
  if (result.interrupted) {
    const again = ["xtwin dataset", path, "--count", String(count), "--out", o.out, ...(o.shard ? ["--shard", o.shard] : []), "--resume"].join(" ");
    err.write(`interrupted: ${result.made + result.kept} of ${result.total} samples complete in ${o.out}; to finish: ${again}\n`);
    throw Object.assign(new UsageError(`interrupted (${made})`), { exitCode: 130 });
  }
  if (shard !== undefined) {
    out.write(`shard ${shard.index}/${shard.count}: ${made}; wrote ${o.out}/shard.json (join the shards with xtwin dataset merge)\n`);
    return;
  }
  const s = result.splits!;
  out.write(`${made}\nwrote ${count} samples to ${o.out}: train ${s.train}, val ${s.val}, test ${s.test}; annotations.json, via_export_json.json per split, dataset.json, manifest.json\n`);
}

export async function datasetMergeCommand(dirs: readonly string[], o: { out?: string }, out: NodeJS.WritableStream): Promise<void> {
  if (o.out === undefined) throw new UsageError("dataset merge: --out <dir> is required");
  const r = await mergeShards(dirs, o.out);
  const s = r.splits;
  out.write(`merged ${r.shards} shards (${r.header.count} samples) into ${o.out}: train ${s.train}, val ${s.val}, test ${s.test}\n`);
}
