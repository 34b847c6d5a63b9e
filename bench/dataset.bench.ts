/**
 * Throughput of `xtwin dataset` on the default training scenario
 * (scenarios/training-particles-2d.yaml: 512 x 512 slices of a 512 x 512 x 48 slab, 360
 * angles, 728 detector columns), with 1 and 2 worker threads: DATASET_BENCH.samples samples
 * per run, each written to disk and the dataset finalized, as the CLI does. A run's median
 * is the median time between consecutive sample completions (the steady state, without the
 * pool's start-up); samples per minute = 60 s / that median. Samples differ in cost (particle
 * size, phase contrast, degradation), so the median is over a mix.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateDataset } from "../src/datasets/generate.js";
import type { BenchRow } from "./optics.bench.js";

export const DATASET_BENCH = { samples: 8, workers: [1, 2] } as const;

export interface DatasetBenchRow extends BenchRow {
  /** 60 s / median time per sample. */
  samplesPerMinute: number;
  /** Whole run: samples / wall time (pool start and finalize included). */
  overallPerMinute: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

export async function benchDataset(): Promise<DatasetBenchRow[]> {
  const scenarioPath = fileURLToPath(new URL("../../scenarios/training-particles-2d.yaml", import.meta.url));
  const rows: DatasetBenchRow[] = [];
  for (const workers of DATASET_BENCH.workers) {
    const out = mkdtempSync(join(tmpdir(), "xtwin-bench-dataset-"));
    try {
      const start = performance.now();
      const done: number[] = [start];
      await generateDataset({ scenarioPath, count: DATASET_BENCH.samples, out, workers, onSample: () => done.push(performance.now()) }).done;
      const total = performance.now() - start;
      // Intervals after the first completion (the first includes the workers' start-up).
      const intervals = done.slice(2).map((t, i) => t - done[i + 1]!);
      const perSample = median(intervals);
      rows.push({
        name: `${workers} worker${workers > 1 ? "s" : ""}: ${DATASET_BENCH.samples} samples of 512 x 512`,
        medianMs: perSample,
        samples: intervals.length,
        samplesPerMinute: 60000 / perSample,
        overallPerMinute: (60000 * DATASET_BENCH.samples) / total,
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  return rows;
}
