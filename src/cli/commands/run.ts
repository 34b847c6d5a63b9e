/**
 * `xtwin run <scenario.yaml> --out <dir> [--seed N] [--events] [--workers K]`: run a
 * scenario end to end and write the dataset. A progress bar on a terminal, plain progress
 * lines otherwise; `--events` prints the event stream as JSON lines on stdout.
 */
import { accessSync, constants, mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { SingleBar, Presets } from "cli-progress";
import { tap } from "rxjs";
import type { SimEvent } from "../../engine/events.js";
import { simulate, type ProjectorFactory } from "../../engine/simulate.js";
import { abortAllPartialFiles } from "../../io/atomicFile.js";
import { writeRun } from "../../io/runWriter.js";
import { readScenarioFile, reseedScenario } from "../scenarioFile.js";
import { wholeNumber } from "../options.js";
import { UsageError } from "../usageError.js";
import { workerPoolPathProjector, workerPoolProjector } from "../../acquisition/projectorPool.js";
import { reconstructRun } from "./runReconstruction.js";
import { join } from "node:path";
import type { Scenario } from "../../engine/scenario.js";
import { buildPhantom, phantomOf, type PathProjectorFactory, type SimulateOptions } from "../../engine/simulate.js";
import { writeFileAtomic } from "../../io/atomicFile.js";
import { cycleCharge, simulateAgeing, LG_M50_CELL } from "../../degradation/ageing.js";
import { relativeCurrentSteps } from "../../degradation/chargeProfile.js";
import { FatigueCrackPopulation } from "../../degradation/fatigue.js";
import { agedMicrostructure, AGED_CLASS_MATERIALS, internalShortFromDendrites } from "../../degradation/ageSample.js";
import { lithiationAfterCharge } from "../../degradation/stateOfCharge.js";
import { resolveMaterial } from "../../materials/library.js";

export interface RunOptions {
  out?: string;
  seed?: string;
  events?: boolean;
  workers?: string;
}

/** A line of JSON for an event: bulky arrays are summarised, not printed. */
export function eventSummary(ev: SimEvent): Record<string, unknown> {
  switch (ev.type) {
    case "start":
      return {
        type: ev.type,
        name: ev.scenario.name,
        seed: ev.scenario.seed,
        projections: ev.anglesDeg.length,
        rows: ev.geometry.rows,
        cols: ev.geometry.cols,
        dtype: ev.dtype,
      };
    case "phantom":
      return {
        type: ev.type,
        shape: [ev.grid.nx, ev.grid.ny, ev.grid.nz],
        voxelSizeM: ev.grid.voxelSizeM,
        classNames: ev.volume.classNames,
        muPerClass: Array.from(ev.muPerClass),
      };
    case "flat":
    case "dark":
    case "projection": {
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      for (const c of ev.counts) {
        if (c < min) min = c;
        if (c > max) max = c;
        sum += c;
      }
      return {
        type: ev.type,
        index: ev.index,
        ...(ev.type === "projection" ? { angleDeg: ev.angleDeg } : {}),
        timeS: ev.timeS,
        min,
        max,
        mean: sum / ev.counts.length,
      };
    }
    case "dose":
      return { type: ev.type, index: ev.index, timeS: ev.timeS, depositedJ: ev.totalDepositedJ, incidentJ: ev.incidentJ, transmittedJ: ev.transmittedJ };
    default:
      return { ...ev };
  }
}

/** Progress on stderr: a bar on a terminal, a line per 10% otherwise. */
function progressDisplay(stream: NodeJS.WriteStream): { update(ev: SimEvent): void; stop(): void } {
  let bar: SingleBar | undefined;
  let stage = "";
  let lastDecile = -1;
  return {
    update(ev) {
      if (ev.type === "warning") {
        bar?.stop();
        stream.write(`warning: ${ev.message}\n`);
        stage = "";
        return;
      }
      if (ev.type !== "progress") return;
      if (stream.isTTY) {
        if (ev.stage !== stage) {
          bar?.stop();
          stage = ev.stage;
          bar = new SingleBar(
            { format: `${ev.stage.padEnd(11)} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted}`, stream, hideCursor: true },
            Presets.shades_classic,
          );
          bar.start(ev.total, 0);
        }
        bar!.update(ev.done);
      } else {
        const decile = Math.floor((10 * ev.done) / ev.total);
        if (ev.stage !== stage) {
          stage = ev.stage;
          lastDecile = -1;
        }
        if (decile !== lastDecile && (decile > lastDecile || ev.done === ev.total)) {
          lastDecile = decile;
          stream.write(`${ev.stage}: ${ev.done}/${ev.total}\n`);
        }
      }
    },
    stop() {
      bar?.stop();
    },
  };
}

/** Create the output directory now, so a bad --out fails before minutes of simulation. */
function prepareOutputDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    throw new UsageError(`--out: cannot write to "${dir}" (${code || (e as Error).message})`);
  }
}

export async function runCommand(path: string, options: RunOptions, out: NodeJS.WritableStream, err: NodeJS.WriteStream): Promise<void> {
  if (options.out === undefined) throw new UsageError("run: --out <dir> is required");
  prepareOutputDirectory(options.out);
  let scenario = readScenarioFile(path);
  if (options.seed !== undefined) {
    const seed = Number(options.seed);
    scenario = reseedScenario(path, scenario, seed, options.seed);
  }
  let projector: ProjectorFactory | undefined;
  const workers = options.workers === undefined ? undefined : wholeNumber(options.workers, "--workers", 0, 256);
  // The main thread mostly waits (noise and writing are light), so by default every core
  // projects: on 2 cores, 2 workers ran 1.4x faster than this thread alone (npm run bench).
  let pathProjector: PathProjectorFactory | undefined;
  if (workers !== 0) {
    projector = workerPoolProjector(workers ?? availableParallelism());
    pathProjector = workerPoolPathProjector(workers ?? availableParallelism());
  }

  if (scenario.cycling !== undefined) {
    await runCycling(scenario, options, out, err, projector);
    return;
  }
  const last = await scanOnce(scenario, options.out, options, out, err, { ...(projector ? { projector } : {}), ...(pathProjector ? { pathProjector } : {}) });
  const done = last;
  if (done?.type !== "done") return;
  if (!options.events) out.write(`wrote ${done.outputs.join(done.outputs.length > 2 ? ", " : " and ")}\n`);
  const scored = await reconstructRun(scenario, done.outputs[0]!, options.out, (line) => {
    if (!options.events) err.write(line + "\n");
  }, workers);
  if (scored === undefined) return;
  if (options.events) out.write(JSON.stringify({ type: "scores", outputs: scored.outputs, ...scored.report }) + "\n");
  else out.write(`${scored.text}\nwrote ${scored.outputs.join(", ")}\n`);
}

/** One scan of `scenario` into `outDir` (progress, Ctrl-C handling); returns the last event. */
async function scanOnce(
  scenario: Scenario, outDir: string, options: RunOptions, out: NodeJS.WritableStream, err: NodeJS.WriteStream, simulateOptions: SimulateOptions,
): Promise<SimEvent | undefined> {
  const display = options.events ? undefined : progressDisplay(err);
  const run$ = simulate(scenario, simulateOptions).pipe(
    writeRun(outDir),
    tap((ev) => {
      if (options.events) out.write(JSON.stringify(eventSummary(ev)) + "\n");
      else display!.update(ev);
    }),
  );
  // Ctrl-C: unsubscribe (the writer deletes its partial file), then exit 130 (143 on SIGTERM).
  let last: SimEvent | undefined;
  const onSignal: { handler?: (signal: NodeJS.Signals) => void } = {};
  try {
    await new Promise<void>((resolve, reject) => {
      const subscription = run$.subscribe({
        next: (ev) => {
          last = ev;
        },
        error: reject,
        complete: resolve,
      });
      onSignal.handler = (signal) => {
        subscription.unsubscribe();
        abortAllPartialFiles();
        const error = new UsageError(`interrupted by ${signal}: no dataset was written`);
        reject(Object.assign(error, { exitCode: signal === "SIGINT" ? 130 : 143 }));
      };
      process.once("SIGINT", onSignal.handler);
      process.once("SIGTERM", onSignal.handler);
    });
  } catch (e) {
    abortAllPartialFiles();
    throw e;
  } finally {
    display?.stop();
    if (onSignal.handler !== undefined) {
      process.off("SIGINT", onSignal.handler);
      process.off("SIGTERM", onSignal.handler);
    }
  }
  return last;
}

/**
 * A cycling scenario (src/degradation/): the ageing records of the protocol into
 * degradation.json, then one scan of the aged sample per scanned cycle into
 * <out>/cycle_<n>/ (a 4-D, time-resolved dataset).
 */
async function runCycling(scenario: Scenario, options: RunOptions, out: NodeJS.WritableStream, err: NodeJS.WriteStream, projector: ProjectorFactory | undefined): Promise<void> {
  const protocol = scenario.cycling!;
  const pristine = buildPhantom(scenario);
  if (pristine.microstructure === undefined) throw new UsageError("cycling: the sample must be a microstructure recipe (sample.phantom)");
  const ms = pristine.microstructure;
  // Cathode particle radii for the cracking model: equivalent spheres of the NMC particles.
  const radii = ms.particles.filter((p) => p.material === "NMC811").map((p) => p.equivalentDiameterM / 2);
  // Each particle's flaw grows by the Paris law charge by charge; it cracks once K_max >= K_IC.
  const fatigue = radii.length > 0 ? new FatigueCrackPopulation(radii, protocol.chargeCRate, { seed: scenario.seed }) : null;
  // An internal short when the dendrites that the plated lithium pays for bridge the separator.
  const shorted = internalShortFromDendrites(ms, scenario.seed);
  const records = simulateAgeing(protocol, LG_M50_CELL, scenario.seed, {
    crackVolumeFraction: (cycle) => fatigue?.crackedVolumeFractionAt(cycle) ?? 0,
    internalShort: (_cycle, platedLiVolumeFraction) => shorted(platedLiVolumeFraction),
  });
  mkdirSync(options.out!, { recursive: true });
  const keys = ["cycle", "capacityFraction", "lliFraction", "lamFraction", "seiThicknessM", "platedLiVolumeFraction", "crackVolumeFraction", "rockSaltThicknessM", "internalShort"] as const;
  const table = records.map((r) => Object.fromEntries([...keys.map((k) => [k, r[k]]), ["chargeCapacityFraction", r.chargeCapacityFraction], ["transitionMetalOnAnodeMolPerM2", r.transitionMetalOnAnodeMolPerM2]]));
  writeFileAtomic(join(options.out!, "degradation.json"), JSON.stringify(table, null, 2) + "\n");
  if (!options.events) out.write(`wrote ${join(options.out!, "degradation.json")}: ${records.length} cycles, capacity ${records[records.length - 1]!.capacityFraction.toFixed(4)} after ${protocol.cycles}\n`);
  const materials = new Map(Object.entries(AGED_CLASS_MATERIALS).map(([name, m]) => [name, resolveMaterial(m)]));
  // Each scan shows the end of a CC-CV charge of the protocol: the cell's current profile,
  // relative to the CC current, drives the particles.
  const { profile } = cycleCharge(protocol, LG_M50_CELL);
  // On at most 200 steps (the particle model's default per charge): same charge, same shape.
  const chargeCurrent = relativeCurrentSteps(profile, 200);
  for (const cycle of protocol.scanAtCycles) {
    if (cycle > protocol.cycles) throw new UsageError(`cycling.scanAtCycles: cycle ${cycle} is beyond the ${protocol.cycles} cycles`);
    const aged = agedMicrostructure(ms, records[cycle]!, scenario.seed + cycle, { dendriteSeed: scenario.seed });
    // The scan shows the sample at the end of a charge at the protocol's rate: the lithium in
    // each particle as its carbon-binder contact let it charge (ground truth).
    const lithiation = lithiationAfterCharge(aged.microstructure, { cRate: protocol.chargeCRate, currentProfile: chargeCurrent });
    const phantom = { ...phantomOf(scenario, { microstructure: aged.microstructure, materials }), lithiumMolPerM3: lithiation.concentrationMolPerM3 };
    const dir = join(options.out!, `cycle_${String(cycle).padStart(4, "0")}`);
    const last = await scanOnce(scenario, dir, options, out, err, { phantom, ...(projector ? { projector } : {}) });
    if (!options.events && last?.type === "done") out.write(`cycle ${cycle}: wrote ${last.outputs.join(", ")} (${JSON.stringify(aged.summary)})\n`);
  }
}
