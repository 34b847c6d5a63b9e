/**
 * Worker-thread side of `projectorPool.ts` (Node only). Receives the volume once, as a view
 * on a SharedArrayBuffer in `workerData`, then projects one projection per job message and
 * transfers the result back (no copy). Loaded by URL from the compiled layout:
 * dist/src/acquisition/projectorWorker.js.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { VolumeGrid } from "../core/grid.js";
import type { ProjectionGeometryType } from "./geometry.js";
import { projectOne } from "./projector.js";
import { projectPathLengths } from "./polychromatic.js";

/** workerData of a projector worker. */
export interface ProjectorWorkerData {
  /** The mu volume (absent for a pool that only computes path lengths). */
  readonly buffer: SharedArrayBuffer | null;
  readonly byteOffset: number;
  readonly length: number;
  readonly grid: VolumeGrid;
  /** A labelled volume for per-class path lengths (polychromatic beams), on shared buffers. */
  readonly labelled?: {
    readonly labels: SharedArrayBuffer;
    readonly secondary: SharedArrayBuffer;
    readonly fraction: SharedArrayBuffer;
    readonly classNames: string[];
  };
}

/**
 * Projections index .. index + count - 1 to compute, with their 12 geometry numbers each.
 * Several small projections per job spare a message round trip each (bench/: 128 x 32
 * pixels take about 0.5 ms, comparable to the round trip).
 */
export interface ProjectorJob {
  readonly index: number;
  readonly count: number;
  readonly type: ProjectionGeometryType;
  readonly rows: number;
  readonly cols: number;
  readonly vectors: Float64Array;
  /** "mu": line integrals (default); "paths": per-class path lengths [projection][class][row][col]. */
  readonly kind?: "mu" | "paths";
}

export type ProjectorReply =
  | { readonly index: number; readonly data: Float32Array }
  | { readonly index: number; readonly error: string };

const port = parentPort;
if (port !== null) {
  const init = workerData as ProjectorWorkerData;
  const volume = init.buffer === null ? null : new Float32Array(init.buffer, init.byteOffset, init.length);
  const labelled = init.labelled
    ? {
        grid: init.grid,
        classNames: init.labelled.classNames,
        labels: new Uint8Array(init.labelled.labels),
        secondary: new Uint8Array(init.labelled.secondary),
        primaryFraction: new Float32Array(init.labelled.fraction),
      }
    : null;
  port.on("message", (job: ProjectorJob) => {
    try {
      const geometry = { type: job.type, rows: job.rows, cols: job.cols, vectors: job.vectors };
      const paths = job.kind === "paths";
      if (paths ? labelled === null : volume === null) throw new Error(`this pool holds no ${paths ? "labelled volume" : "mu volume"}`);
      const size = job.rows * job.cols * (paths ? labelled!.classNames.length : 1);
      const data = new Float32Array(job.count * size);
      for (let k = 0; k < job.count; k++) {
        const out = data.subarray(k * size, (k + 1) * size);
        if (paths) projectPathLengths(labelled!, init.grid, geometry, k, out);
        else projectOne(volume!, init.grid, geometry, k, out);
      }
      const reply: ProjectorReply = { index: job.index, data };
      port.postMessage(reply, [data.buffer]);
    } catch (e) {
      const reply: ProjectorReply = { index: job.index, error: e instanceof Error ? e.message : String(e) };
      port.postMessage(reply);
    }
  });
}
