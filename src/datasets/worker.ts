/**
 * Piscina worker: makes whole samples and writes their files (atomic, record last). No state
 * is shared with other workers; the parsed scenario is kept per scenario text so a worker
 * parses it once.
 */
import { generateSample } from "./sample.js";
import { parseDatasetScenario, type DatasetScenario } from "./scenario.js";
import { writeSample } from "./sampleFiles.js";
import type { Split } from "./draw.js";

export interface SampleTask {
  readonly scenarioText: string;
  readonly scenarioPath: string;
  readonly dir: string;
  readonly index: number;
  readonly id: string;
  readonly scenarioSha256: string;
}

export interface SampleDone {
  readonly index: number;
  readonly split: Split;
  readonly instances: number;
}

let cached: { text: string; path: string; scenario: DatasetScenario } | undefined;

/** Make and write one sample (in a worker thread, or in this one). */
export async function makeSample(task: SampleTask): Promise<SampleDone> {
  if (cached === undefined || cached.text !== task.scenarioText || cached.path !== task.scenarioPath) {
    cached = { text: task.scenarioText, path: task.scenarioPath, scenario: parseDatasetScenario(task.scenarioText, task.scenarioPath) };
  }
  const ds = cached.scenario;
  const sample = await generateSample(ds, task.index);
  const record = writeSample(task.dir, sample, task.id, {
    imageFormat: ds.spec.imageFormat,
    muRange: ds.spec.muRange,
    classCount: ds.classes.length,
    scenarioSha256: task.scenarioSha256,
  });
  return { index: task.index, split: record.split, instances: record.instances.length };
}

export default makeSample;
