/**
 * The file sink of a run: an rxjs operator that passes every event through and writes
 * `<out>/<name>.h5` (DXchange; `<name>_<k>.h5` per sample-detector distance k of a
 * holotomography scan, each with the flats, darks and truth) and `<out>/manifest.json` as
 * the events arrive, one frame at a time. The dataset appears under its final name only when complete; an error or an
 * unsubscribe (Ctrl-C) aborts it and deletes the partial file.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Observable, type OperatorFunction } from "rxjs";
import { toUint16 } from "../acquisition/detector.js";
import type { SimEvent, StartEvent } from "../engine/events.js";
import { resolvedScenarioSummary } from "../engine/scenario.js";
import { flatFrameCount } from "../engine/simulate.js";
import { XTWIN_VERSION } from "../version.js";
import { DxchangeWriter } from "./dxchange.js";
import { writeManifest, MANIFEST_NAME } from "./manifest.js";
import { writeFileAtomic } from "./atomicFile.js";

/** Beam damage of a run: peak temperature per projection angle and every bubble event. */
export const DAMAGE_NAME = "damage.json";

/** Counts as stored: rounded and clipped into uint16, or float32 as computed. */
function storable(counts: Float32Array, dtype: StartEvent["dtype"], scratch: Uint16Array): Uint16Array | Float32Array {
  if (dtype === "float32") return counts;
  toUint16(counts, scratch);
  return scratch;
}

export function writeRun(outDir: string): OperatorFunction<SimEvent, SimEvent> {
  return (source) =>
    new Observable<SimEvent>((subscriber) => {
      // One DXchange file per sample-detector distance (one in all but holotomography).
      let writers: DxchangeWriter[] = [];
      let opening: Promise<DxchangeWriter>[] = [];
      let start: StartEvent | undefined;
      let scratch = new Uint16Array(0);
      let finished = false;
      // Beam damage seen during the scan (scenario `damage`): written to damage.json at the end.
      const damage: { peakTemperatureK: number[]; bubbles: unknown[] } = { peakTemperatureK: [], bubbles: [] };
      let damaged = false;
      let queue: Promise<void> = Promise.resolve();
      const distances = () => start!.scenario.detector.distancesM;
      const fileName = (k: number) => (distances().length > 1 ? `${start!.scenario.name}_${k}.h5` : `${start!.scenario.name}.h5`);

      const handle = async (ev: SimEvent): Promise<void> => {
        switch (ev.type) {
          case "start": {
            start = ev;
            mkdirSync(outDir, { recursive: true });
            const s = ev.scenario;
            const propagating = s.detector.distancesM.some((z) => z > 0);
            opening = s.detector.distancesM.map((_, k) =>
              DxchangeWriter.open(join(outDir, fileName(k)), {
                nAngles: ev.anglesDeg.length,
                nRows: s.detector.rows,
                nCols: s.detector.cols,
                nFlat: flatFrameCount(s),
                nDark: s.scan.darks,
                dtype: ev.dtype,
                title: propagating ? "phase_contrast_tomography" : "absorption_tomography",
              }),
            );
            writers = await Promise.all(opening);
            scratch = new Uint16Array(s.detector.rows * s.detector.cols);
            writers.forEach((writer, k) => {
            writer.writeTheta(ev.anglesDeg);
            writer.writeInstrument({
              energyKeV: s.beam.energyKeV,
              pixelSizeXM: s.detector.pixelSizeM,
              pixelSizeYM: s.detector.pixelSizeM,
              // A parallel beam's detector sits at its (phase-contrast) distance, 0 in contact
              // imaging; a cone beam gives its source and detector distances.
              sampleDetectorDistanceM:
                s.geometry.type === "cone" ? s.geometry.sourceDetectorM! - s.geometry.sourceObjectM! : s.detector.distancesM[k]!,
              ...(s.geometry.type === "cone"
                ? { sourceSampleDistanceM: s.geometry.sourceObjectM!, samplePixelSizeXM: (s.detector.pixelSizeM * s.geometry.sourceObjectM!) / s.geometry.sourceDetectorM!, samplePixelSizeYM: (s.detector.pixelSizeM * s.geometry.sourceObjectM!) / s.geometry.sourceDetectorM! }
                : {}),
              instrumentName: `xtwin simulated ${s.geometry.type === "parallel" ? "parallel-beam CT" : s.geometry.type === "cone" ? "cone-beam CT" : "laminography"}`,
              detectorName: "ideal photon-counting detector",
            });
            writer.writeSample({ name: s.name, description: `xtwin scenario "${s.name}"` });
            writer.writeProcess({ softwareVersion: XTWIN_VERSION, scenario: s.source, seed: s.seed });
            writer.writeGeometry({
              type: ev.geometry.type,
              vectors: ev.geometry.vectors,
              frame: "xtwin sample frame: rotation axis z through the origin (volume centre), rows along +z",
            });
            });
            break;
          }
          case "phantom":
            for (const writer of writers) writer.writeTruth({
              grid: ev.grid,
              labels: ev.volume.labels,
              classNames: ev.volume.classNames,
              mu: ev.mu,
              energyKeV: start!.scenario.beam.energyKeV,
              fraction: ev.volume.primaryFraction,
              secondary: ev.volume.secondary,
              ...(ev.microstructure ? { instances: ev.microstructure.instances } : {}),
              ...(ev.lithiumMolPerM3 ? { lithiumMolPerM3: ev.lithiumMolPerM3 } : {}),
            });
            break;
          case "flat":
            for (const writer of writers) writer.writeFlat(ev.index, storable(ev.counts, start!.dtype, scratch));
            break;
          case "dark":
            for (const writer of writers) writer.writeDark(ev.index, storable(ev.counts, start!.dtype, scratch));
            break;
          case "projection":
            writers[ev.distanceIndex ?? 0]!.writeProjection(ev.index, storable(ev.counts, start!.dtype, scratch));
            break;
          case "damage":
            damaged = true;
            damage.peakTemperatureK.push(ev.peakTemperatureK);
            for (const b of ev.bubbles) {
              damage.bubbles.push({ projection: ev.index, kind: b.kind, bubble: b.bubble, cause: b.cause, timeS: b.timeS, centerVoxel: b.centerVoxel, radiusM: b.radiusM, gasMol: b.gasMol, voxelsChanged: b.voxelsChanged });
            }
            break;
          default:
            break;
        }
      };

      const abort = () => {
        for (const o of opening) void o.then((w) => w.abort(), () => undefined);
        for (const w of writers) w.abort();
      };

      // Events are handled strictly in order, each after the previous one's writing; the
      // first failure aborts the file and errors the stream once.
      let failed = false;
      const enqueue = (step: () => Promise<void> | void) => {
        queue = queue.then(async () => {
          if (!failed) await step();
        });
        queue.catch((err: unknown) => {
          if (failed) return;
          failed = true;
          abort();
          subscriber.error(err);
        });
      };

      const inner = source.subscribe({
        next: (ev) =>
          enqueue(async () => {
            await handle(ev);
            if (!subscriber.closed) subscriber.next(ev);
          }),
        error: (err: unknown) => {
          abort();
          subscriber.error(err);
        },
        complete: () =>
          enqueue(async () => {
            if (writers.length === 0 || start === undefined) throw new Error("the run ended before it started");
            const names = writers.map((_, k) => fileName(k));
            for (const w of writers) w.close();
            const dataPaths = names.map((name) => join(outDir, name));
            for (const path of dataPaths) subscriber.next({ type: "artifact", kind: "dxchange", path });
            const extra: string[] = [];
            if (damaged) {
              writeFileAtomic(join(outDir, DAMAGE_NAME), JSON.stringify(damage, null, 2) + "\n");
              extra.push(DAMAGE_NAME);
              subscriber.next({ type: "artifact", kind: "damage", path: join(outDir, DAMAGE_NAME) });
            }
            await writeManifest(outDir, {
              scenario: { asWritten: start.scenario.source, resolved: resolvedScenarioSummary(start.scenario) },
              seed: start.scenario.seed,
              xtwinVersion: XTWIN_VERSION,
              files: [...names, ...extra],
            });
            const manifestPath = join(outDir, MANIFEST_NAME);
            subscriber.next({ type: "artifact", kind: "manifest", path: manifestPath });
            finished = true;
            subscriber.next({ type: "done", outputs: [...dataPaths, ...extra.map((e) => join(outDir, e)), manifestPath] });
            subscriber.complete();
          }),
      });
      return () => {
        inner.unsubscribe();
        if (!finished) abort();
      };
    });
}
