/**
 * Parallel-beam FBP on Node worker threads (Node only; fbp.ts stays pure). The projections
 * and the volume live in SharedArrayBuffers that every worker maps; the work is cut into
 * jobs handed to whichever worker is free: runs of whole slices when the volume has at
 * least as many slices as workers, otherwise bands of voxel rows of each slice (one 2-D
 * slice splits across all cores). Each worker filters the sinograms it needs and
 * back-projects with fbp.ts's own functions, so the result is bit-identical to
 * `fbpParallel`.
 *
 *   const pool = createFbpPool();            // one worker per core
 *   try { mu = await pool.reconstruct(projections, geometry, { grid, filter }); }
 *   finally { await pool.close(); }
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { checkGeometry, type ProjectionGeometry } from "../acquisition/geometry.js";
import { checkProjections, defaultParallelGrid, type FbpOptions, prepareParallelFbp } from "./fbp.js";
import type { FbpJob, FbpReply } from "./fbpWorker.js";

const WORKER_URL = new URL("./fbpWorker.js", import.meta.url);

export class FbpPool {
  readonly workerCount: number;
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private closed = false;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (slices: number) => void; reject: (e: Error) => void }>();

  constructor(workers = availableParallelism()) {
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`worker count must be a positive integer, got ${workers}`);
    this.workerCount = workers;
    for (let w = 0; w < workers; w++) {
      const worker = new Worker(WORKER_URL);
      worker.unref();
      worker.on("message", (r: FbpReply) => {
        const p = this.pending.get(r.id);
        this.pending.delete(r.id);
        this.idle.push(worker);
        if (this.pending.size === 0) for (const x of this.workers) x.unref();
        if (p === undefined) return;
        if ("error" in r) p.reject(new Error(`FBP worker: ${r.error}`));
        else p.resolve(r.slices);
      });
      worker.on("error", (e: Error) => this.failAll(new Error(`FBP worker failed: ${e.message}`)));
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /** Run one job on a free worker (callers keep at most workerCount in flight). */
  private run(job: Omit<FbpJob, "id">): Promise<number> {
    const worker = this.idle.pop();
    if (worker === undefined) return Promise.reject(new Error("no idle FBP worker"));
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ ...job, id } satisfies FbpJob);
    });
  }

  /** FBP of projections [projection][row][col] to mu (1/m), as fbpParallel, on the workers. */
  async reconstruct(projections: Float32Array, geometry: ProjectionGeometry, options: FbpOptions = {}): Promise<Float32Array> {
    if (this.closed) throw new Error("FBP pool is closed");
    checkGeometry(geometry);
    checkProjections(projections, geometry);
    const grid = options.grid ?? defaultParallelGrid(geometry);
    const plan = prepareParallelFbp(geometry, grid, options.filter ?? "ram-lak", options.circle === true);
    let shared: SharedArrayBuffer;
    if (projections.buffer instanceof SharedArrayBuffer && projections.byteOffset === 0 && projections.byteLength === projections.buffer.byteLength) {
      shared = projections.buffer;
    } else {
      shared = new SharedArrayBuffer(projections.byteLength);
      new Float32Array(shared).set(projections);
    }
    const outBuffer = new SharedArrayBuffer(grid.nx * grid.ny * grid.nz * 4);
    // Jobs: slice runs (about four per worker, for balance) or row bands of each slice.
    const jobs: Array<Omit<FbpJob, "id">> = [];
    const base = { plan, projections: shared, out: outBuffer };
    if (grid.nz >= this.workerCount) {
      const per = Math.max(1, Math.ceil(grid.nz / (4 * this.workerCount)));
      for (let k = 0; k < grid.nz; k += per) jobs.push({ ...base, kFrom: k, kTo: Math.min(grid.nz, k + per), jFrom: 0, jTo: grid.ny });
    } else {
      const band = Math.ceil(grid.ny / this.workerCount);
      for (let k = 0; k < grid.nz; k++) {
        for (let j = 0; j < grid.ny; j += band) jobs.push({ ...base, kFrom: k, kTo: k + 1, jFrom: j, jTo: Math.min(grid.ny, j + band) });
      }
    }
    let done = 0;
    let next = 0;
    const total = grid.nz;
    const fractional = grid.nz < this.workerCount;
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const launch = (): void => {
        while (!failed && next < jobs.length && this.idle.length > 0) {
          const job = jobs[next++]!;
          this.run(job).then(
            (slices) => {
              // Row bands complete a slice only together; report slices as their last band ends.
              if (!fractional || job.jTo === grid.ny) {
                done += slices;
                options.onProgress?.(done, total);
              }
              if (next >= jobs.length && this.pending.size === 0) resolve();
              else launch();
            },
            (e: Error) => {
              failed = true;
              reject(e);
            },
          );
        }
      };
      if (jobs.length === 0) resolve();
      else launch();
    });
    return new Float32Array(outBuffer);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failAll(new Error("FBP pool is closed"));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export function createFbpPool(workers?: number): FbpPool {
  return new FbpPool(workers);
}

/** fbpParallel on `workers` threads (default one per core), pool started and closed here. */
export async function fbpParallelThreaded(projections: Float32Array, geometry: ProjectionGeometry, options: FbpOptions & { workers?: number } = {}): Promise<Float32Array> {
  const pool = createFbpPool(options.workers);
  try {
    return await pool.reconstruct(projections, geometry, options);
  } finally {
    await pool.close();
  }
}
