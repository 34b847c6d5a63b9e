/**
 * Everything the report shows, gathered from a run directory (what `xtwin run` writes):
 *
 *   <name>.h5       DXchange scan with /truth (projections, sinogram, slices, sizes, dose)
 *   recon.h5        /exchange/recon (slices)            seg.h5     /segmentation (overlays, sizes)
 *   scores.json     validation scores                   damage.json peak temperature per projection
 *   degradation.json  capacity fade of a cycling run, whose scans sit in cycle_<n>/
 *
 * A cycling run's images come from its last scanned cycle, except the ageing figure
 * (cyclesFigure.ts), which shows every scanned cycle. Each section that cannot be
 * made carries the reason instead (figureTypes.ts Missing), so the page says what is absent.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { ValidationReport } from "../cli/commands/validate.js";
import type { DxchangeFile, DxchangeTruth } from "../io/dxchange.js";
import { readDxchange } from "../io/dxchange.js";
import { readVolume, type VolumeData } from "../io/volumeFile.js";
import type { LabelledVolume } from "../phantoms/scene.js";
import { cycleScan, cyclesFigure, type CycleScan } from "./cyclesFigure.js";
import { doseFigure, runDose, type RunDose } from "./doseFigure.js";
import { missing, type ReportData, type Section } from "./figureTypes.js";
import { particleSizeFigure, type InstanceVolume } from "./particleSizes.js";
import { projectionsFigure } from "./projectionsFigure.js";
import { classMaterialsOf, scenarioOfRun } from "./runScenario.js";
import { slicesFigure } from "./slicesFigure.js";
import { plainNumbers } from "./raster.js";
import { fadeFigure, scoresFigure } from "./tableFigures.js";
import { parseDamageRecord, temperatureFromDamage, temperatureFromSolver } from "./temperatureFigure.js";

export interface CollectOptions {
  /** Progress and problems, one line each. */
  readonly log?: (line: string) => void;
  /** Angles sampled for the recomputed dose (default 8). */
  readonly doseSamples?: number;
}

/** The scan's DXchange file in `dir`: the .h5 that is neither recon.h5 nor seg.h5 (the first, sorted). */
export function datasetFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".h5") && f !== "recon.h5" && f !== "seg.h5").sort();
}

/** The scans of a cycling run: each cycle_<n>/ that holds a dataset, by cycle number. */
export function cycleDirectories(runDir: string): { cycle: number; name: string; dir: string }[] {
  return readdirSync(runDir)
    .filter((f) => /^cycle_\d+$/.test(f) && statSync(join(runDir, f)).isDirectory() && datasetFiles(join(runDir, f)).length > 0)
    .map((name) => ({ cycle: Number(name.slice(6)), name, dir: join(runDir, name) }))
    .sort((a, b) => a.cycle - b.cycle);
}

/** The folder holding the scan: the run itself, or the last cycle_<n>/ of a cycling run. */
export function scanDirectory(runDir: string): { dir: string; note?: string } | null {
  if (datasetFiles(runDir).length > 0) return { dir: runDir };
  const cycles = cycleDirectories(runDir);
  if (cycles.length === 0) return null;
  const last = cycles[cycles.length - 1]!.name;
  return { dir: join(runDir, last), note: `a cycling series of ${cycles.length} scans (${cycles.map((c) => c.name).join(", ")}): figures 1 to 4 and 6 show ${last}, the last; 5b shows every scan` };
}

/** Each scanned cycle's truth slices and class counts, read one dataset at a time. */
async function readCycleScans(runDir: string, log: (line: string) => void): Promise<CycleScan[]> {
  const scans: CycleScan[] = [];
  for (const { cycle, dir } of cycleDirectories(runDir)) {
    const path = join(dir, datasetFiles(dir)[0]!);
    log(`report: reading the truth of ${path}`);
    const labels = await optionalVolume(path, "truth/labels");
    if (labels === null) throw new RangeError(`${path} has no /truth/labels`);
    const lithium = await optionalVolume(path, "truth/lithium");
    scans.push(
      cycleScan(cycle, {
        nx: labels.nx, ny: labels.ny, nz: labels.nz,
        voxelSizeM: labels.voxelSizeM,
        labels: plainNumbers(labels.data),
        classNames: labels.classNames ?? [],
        lithium: lithium === null ? null : plainNumbers(lithium.data),
      }, path),
    );
  }
  return scans;
}

function int32(a: ArrayLike<number>): Int32Array {
  return a instanceof Int32Array ? a : Int32Array.from(a);
}

/** The true labels as the dose model takes them (pure voxels when fraction/secondary are absent). */
export function truthVolume(t: DxchangeTruth): LabelledVolume {
  const [nz, ny, nx] = t.shape as [number, number, number];
  if (t.voxelSizeM === null) throw new RangeError("the truth has no voxelSizeM attribute");
  const labels = t.labels instanceof Uint8Array ? t.labels : Uint8Array.from(t.labels as ArrayLike<number>);
  return {
    grid: { nx, ny, nz, voxelSizeM: t.voxelSizeM },
    classNames: t.classNames,
    labels,
    secondary: t.secondary === null ? labels : t.secondary instanceof Uint8Array ? t.secondary : Uint8Array.from(t.secondary as ArrayLike<number>),
    primaryFraction: t.fraction === null ? new Float32Array(labels.length).fill(1) : t.fraction instanceof Float32Array ? t.fraction : Float32Array.from(t.fraction as ArrayLike<number>),
  };
}

async function optionalVolume(path: string, dataset: string): Promise<VolumeData | null> {
  if (!existsSync(path)) return null;
  try {
    return await readVolume(path, dataset);
  } catch (e) {
    if (e instanceof RangeError && /no volume dataset/.test(e.message)) return null;
    throw e;
  }
}

/** Run `make`; a failure becomes the section's one-line reason (and a log line). */
async function attempt<T>(what: string, log: (line: string) => void, make: () => Promise<Section<T>> | Section<T>): Promise<Section<T>> {
  try {
    return await make();
  } catch (e) {
    const reason = `could not be drawn: ${e instanceof Error ? e.message : String(e)}`;
    log(`report: ${what} ${reason}`);
    return missing(reason);
  }
}

export async function collectReport(runDir: string, options: CollectOptions = {}): Promise<ReportData> {
  const log = options.log ?? (() => undefined);
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) throw new RangeError(`report: run directory "${runDir}" does not exist or is not a directory`);
  const notes: string[] = [];
  const fadePath = join(runDir, "degradation.json");
  const scanned = datasetFiles(runDir).length > 0 ? [] : cycleDirectories(runDir).map((c) => c.cycle);
  const fade = await attempt("capacity fade", log, () =>
    existsSync(fadePath) ? fadeFigure(readFileSync(fadePath, "utf8"), fadePath, scanned) : missing("no degradation.json: the scenario has no cycling protocol"),
  );
  const cycles = await attempt("scanned cycles", log, async () => {
    if (scanned.length === 0) return missing("not a cycling run: no cycle_<n>/ scans");
    const capacity = new Map<number, number>();
    if (fade.status === "ok") fade.cycle.forEach((c, i) => capacity.set(c, fade.capacityFraction[i]!));
    return cyclesFigure(await readCycleScans(runDir, log), (c) => capacity.get(c) ?? null);
  });
  const scan = scanDirectory(runDir);
  if (scan === null) {
    if (fade.status !== "ok") throw new RangeError(`report: "${runDir}" holds no dataset (.h5), no cycle_<n>/ scans and no degradation.json: not a run directory`);
    const none = missing("no DXchange dataset (.h5) in the run directory");
    return { title: basename(runDir), runDir, notes, projections: none, slices: none, particleSizes: none, dose: none, temperature: none, fade, cycles, scores: none };
  }
  if (scan.note) notes.push(scan.note);
  const dir = scan.dir;
  const datasets = datasetFiles(dir);
  if (datasets.length > 1) notes.push(`${datasets.length} datasets (one per sample-detector distance): the images show ${datasets[0]}`);
  log(`report: reading ${join(dir, datasets[0]!)}`);
  const file: DxchangeFile = await readDxchange(join(dir, datasets[0]!));
  try {
    const projections = await attempt("projections", log, () => projectionsFigure(file));
    const truth = file.readTruth();
    const scenarioRaw = file.readScenario();

    const scoresPath = join(dir, "scores.json");
    const report = existsSync(scoresPath) ? (JSON.parse(readFileSync(scoresPath, "utf8")) as ValidationReport) : null;
    const scores = await attempt("scores", log, () => {
      if (report === null) return missing("no scores.json: the scenario has no reconstruction section (or run `xtwin validate --json`)");
      return scoresFigure(report) ?? missing("scores.json holds no scores");
    });

    const recon = await optionalVolume(join(dir, "recon.h5"), "exchange/recon");
    const segPath = join(dir, "seg.h5");
    const segClasses = await optionalVolume(segPath, "segmentation/classes");
    const segInstances = await optionalVolume(segPath, "segmentation/instances");

    const slices = await attempt("slices", log, () => {
      if (truth === null && recon === null) return missing("no reconstruction (recon.h5) and no /truth in the dataset");
      const [nz, ny, nx] = truth ? (truth.shape as [number, number, number]) : [recon!.nz, recon!.ny, recon!.nx];
      const values = recon ? plainNumbers(recon.data) : truth?.mu ? plainNumbers(truth.mu) : null;
      if (values === null) return missing("no reconstruction (recon.h5) and no /truth/mu in the dataset");
      return slicesFigure({
        nx, ny, nz,
        voxelSizeM: truth?.voxelSizeM ?? recon?.voxelSizeM ?? null,
        values,
        valuesSource: recon ? "reconstruction" : "true mu",
        valuesNote: recon ? "reconstruction (recon.h5)" : "true attenuation (/truth/mu): the run has no recon.h5",
        truthLabels: truth ? plainNumbers(truth.labels) : null,
        truthClassNames: truth?.classNames ?? [],
        segClasses: segClasses ? plainNumbers(segClasses.data) : null,
        segClassNames: segClasses?.classNames ?? [],
        segToTruth: report?.classMapping?.segmentedToTruth ?? null,
      });
    });

    const particleSizes = await attempt("particle sizes", log, () => {
      const volumes: InstanceVolume[] = [];
      const voxel = truth?.voxelSizeM ?? segInstances?.voxelSizeM ?? null;
      if (voxel === null) return missing("no voxel size in the dataset");
      if (truth?.instances) volumes.push({ name: "true particles", instances: int32(plainNumbers(truth.instances)), voxelSizeM: voxel });
      if (segInstances) volumes.push({ name: "segmented particles", instances: int32(plainNumbers(segInstances.data)), voxelSizeM: segInstances.voxelSizeM ?? voxel });
      if (volumes.length === 0) return missing("no particle instances: the sample is not a microstructure recipe and the segmentation has no --instances");
      return particleSizeFigure(volumes) ?? missing("the instance volumes hold no particles");
    });

    // Dose and heating need the scenario and the truth.
    let dose: RunDose | null = null;
    let context: { volume: LabelledVolume; scenario: ReturnType<typeof scenarioOfRun>; materials: ReturnType<typeof classMaterialsOf> } | null = null;
    const doseSection = await attempt("dose", log, () => {
      if (truth === null) return missing("no /truth in the dataset: the dose cannot be recomputed");
      if (scenarioRaw === null) return missing("no scenario in the dataset (/process/acquisition/scenario): the dose cannot be recomputed");
      const scenario = scenarioOfRun(scenarioRaw, dir);
      const volume = truthVolume(truth);
      const materials = classMaterialsOf(scenario, volume.classNames);
      context = { volume, scenario, materials };
      log("report: dose");
      dose = runDose(scenario, volume, materials, options.doseSamples ?? 8);
      return doseFigure(dose, volume);
    });

    const damagePath = join(dir, "damage.json");
    const temperature = await attempt("temperature", log, () => {
      const c = context as { volume: LabelledVolume; scenario: ReturnType<typeof scenarioOfRun>; materials: ReturnType<typeof classMaterialsOf> } | null;
      if (existsSync(damagePath)) {
        const s = c?.scenario;
        const exposure = s?.scan.exposureS ?? 1;
        if (!s) notes.push("damage.json without a readable scenario: its time axis assumes 1 s per projection");
        return temperatureFromDamage(parseDamageRecord(readFileSync(damagePath, "utf8"), damagePath), exposure, s?.detector.distancesM.length ?? 1, s?.thermal?.ambientK ?? null);
      }
      if (c === null) return missing("no damage.json, and the scenario could not be read for the thermal model");
      if (c.scenario.thermal === undefined) return missing("no thermal model in this scenario");
      if (dose === null) return missing("the thermal model needs the dose, which could not be recomputed");
      log("report: heat");
      return temperatureFromSolver(c.scenario, c.volume, c.materials, dose);
    });

    return { title: basename(runDir), runDir, notes, projections, slices, particleSizes, dose: doseSection, temperature, fade, cycles, scores };
  } finally {
    file.close();
  }
}
