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

/** workerData of a projector worker. */
export interface ProjectorWorkerData {
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly length: number;
  readonly grid: VolumeGrid;
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
}

export type ProjectorReply =
  | { readonly index: number; readonly data: Float32Array }
  | { readonly index: number; readonly error: string };

const port = parentPort;
if (port !== null) {
  const init = workerData as ProjectorWorkerData;
  const volume = new Float32Array(init.buffer, init.byteOffset, init.length);
  port.on("message", (job: ProjectorJob) => {
    try {
      const size = job.rows * job.cols;
      const data = new Float32Array(job.count * size);
      const geometry = { type: job.type, rows: job.rows, cols: job.cols, vectors: job.vectors };
      for (let k = 0; k < job.count; k++) projectOne(volume, init.grid, geometry, k, data.subarray(k * size, (k + 1) * size));
      const reply: ProjectorReply = { index: job.index, data };
      port.postMessage(reply, [data.buffer]);
    } catch (e) {
      const reply: ProjectorReply = { index: job.index, error: e instanceof Error ? e.message : String(e) };
      port.postMessage(reply);
    }
  });
}
