/**
 * The end of `xtwin run` when the scenario has a `reconstruction` section: reconstruct the
 * dataset just written (recon.h5), segment it (seg.h5) if asked, score both against the
 * dataset's ground truth (scores.json) and return the scores as text. The demo scenario
 * does this, so `npm start` shows what a reconstruction of its data achieves.
 */
import { basename, join } from "node:path";
import { readManifest, writeManifest } from "../../io/manifest.js";
import type { Scenario } from "../../engine/scenario.js";
import { writeFileAtomic } from "../../io/atomicFile.js";
import { readDxchange } from "../../io/dxchange.js";
import { writeReconFile, writeSegmentationFile } from "../../io/volumeFile.js";
import { reconstructDataset } from "../../reconstruction/fromDataset.js";
import { segmentVolume } from "../../segmentation/segmentVolume.js";
import { gaussianSmooth } from "../../segmentation/smoothing.js";
import { XTWIN_VERSION } from "../../version.js";
import { formatValidation, validate, type ValidationReport } from "./validate.js";
import { describeReconstruction, stageProgress } from "./reconstruct.js";

export interface RunReconstructionResult {
  readonly outputs: string[];
  readonly report: ValidationReport;
  readonly text: string;
}

export async function reconstructRun(
  scenario: Scenario, datasetPath: string, outDir: string, log: (line: string) => void, workers?: number,
): Promise<RunReconstructionResult | undefined> {
  const r = scenario.reconstruction;
  if (r === undefined) return undefined;
  const file = await readDxchange(datasetPath);
  let rec;
  try {
    rec = await reconstructDataset(file, {
      algorithm: r.algorithm,
      filter: r.filter,
      rings: r.rings,
      ...(r.iterations !== undefined ? { iterations: r.iterations } : {}),
      onProgress: stageProgress(log),
      ...(workers !== undefined ? { workers } : {}),
    });
  } finally {
    file.close();
  }
  const reconPath = join(outDir, "recon.h5");
  await writeReconFile(reconPath, rec.volume, rec.grid, {
    algorithm: rec.algorithm,
    ...(rec.filter ? { filter: rec.filter } : {}),
    ...(rec.iterations !== undefined ? { iterations: rec.iterations } : {}),
    input: datasetPath,
    software: { name: "xtwin", version: XTWIN_VERSION },
  });
  const outputs = [reconPath];
  let segPath: string | undefined;
  if (r.segment) {
    const { classes, instances } = r.segment;
    const phase = r.segment.phase ?? classes - 1;
    log(`segment: ${classes} classes${instances ? `, instances of class ${phase}` : ""}`);
    const values = r.segment.smooth > 0 ? gaussianSmooth(rec.volume, rec.grid, r.segment.smooth) : rec.volume;
    const seg = segmentVolume(values, rec.grid, { classes, ...(instances ? { instances: { phase, minVoxels: 27 } } : {}) });
    segPath = join(outDir, "seg.h5");
    await writeSegmentationFile(
      segPath,
      {
        classes: seg.classMap,
        classNames: Array.from({ length: classes }, (_, c) => `class${c}`),
        thresholds: seg.thresholds,
        ...(seg.instances ? { instances: seg.instances, instanceCount: seg.instanceCount } : {}),
      },
      rec.grid,
      reconPath,
    );
    outputs.push(segPath);
  }
  const report = await validate(datasetPath, reconPath, segPath);
  const scoresPath = join(outDir, "scores.json");
  writeFileAtomic(scoresPath, JSON.stringify(report, null, 2) + "\n");
  outputs.push(scoresPath);
  // The manifest covers the new files too (the run's own entries are kept).
  const previous = await readManifest(outDir);
  await writeManifest(outDir, {
    scenario: previous.scenario as object,
    seed: previous.seed,
    xtwinVersion: previous.xtwinVersion,
    files: [...previous.files.map((f) => f.path), ...outputs.map((o) => basename(o))],
  });
  return { outputs, report, text: [describeReconstruction(rec), formatValidation(report)].join("\n") };
}
