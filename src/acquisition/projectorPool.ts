/**
 * Parallel forward projection on Node worker threads (Node only: the pure projector in
 * `projector.ts` does not import this module and stays browser-safe).
 *
 * The volume lives once in a SharedArrayBuffer that every worker maps; projections are
 * handed out to whichever worker has the fewest jobs (dynamic load balancing), up to
 * `JOBS_PER_WORKER` each so that a worker finds its next job waiting instead of idling for
 * a message round trip (small projections take well under a millisecond); results
 * come back as transferred buffers (no copy). `project` delivers them in projection order
 * as soon as the next one in order is done, so a scan can stream to disk. At most
 * `maxBuffered` projections are in flight or waiting for the consumer, which bounds memory
 * when the consumer is slower than the workers.
 *
 *   const pool = createProjectorPool(volume, grid);
 *   try {
 *     for await (const { index, data } of pool.project(geometry)) write(index, data);
 *   } finally {
 *     await pool.close();
 *   }
 *
 * `pool.projectOne(geometry, index)` is the lower-level form: one promise per projection,
 * served first come, first served (for callers that manage their own look-ahead).
 *
 * The workers run the same `projectOne` as the single-threaded path, so the results are
 * bit-identical to it.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { checkGrid, type VolumeGrid, voxelCount } from "../core/grid.js";
import { checkGeometry, type ProjectionGeometry, projectionCount, VECTORS_PER_PROJECTION } from "./geometry.js";
import type { ProjectorJob, ProjectorReply, ProjectorWorkerData } from "./projectorWorker.js";
import type { LabelledVolume } from "../phantoms/scene.js";

const WORKER_URL = new URL("./projectorWorker.js", import.meta.url);

/** Default worker count: availableParallelism() - 1 (leave a core to the caller), at least 1. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * A zeroed volume for `grid` allocated on a SharedArrayBuffer: a pool created from it
 * shares it with the workers without copying.
 */
export function sharedVolume(grid: VolumeGrid): Float32Array {
  checkGrid(grid);
  return new Float32Array(new SharedArrayBuffer(voxelCount(grid) * Float32Array.BYTES_PER_ELEMENT));
}

export interface ProjectorPoolOptions {
  /** Number of worker threads (default `defaultWorkerCount()`). */
  readonly workers?: number;
  /** A labelled volume for per-class path lengths (`pathLengthsRun`), copied once to shared memory. */
  readonly labelled?: LabelledVolume;
}

export interface ScanOptions {
  /**
   * Most projections in flight or computed but not yet taken by the consumer
   * (default 4 x workers, at least the worker count).
   */
  readonly maxBuffered?: number;
}

/** One finished projection: line integrals [row][col] (rows * cols values). */
export interface ProjectionResult {
  readonly index: number;
  readonly data: Float32Array;
}

interface QueuedJob {
  readonly job: ProjectorJob;
  readonly resolve: (data: Float32Array) => void;
  readonly reject: (e: Error) => void;
  /** Set when the scan that asked for the job was abandoned: skip it if not started. */
  readonly cancel?: { cancelled: boolean };
}

export class ProjectorPool {
  readonly workerCount: number;
  private readonly workers: Worker[] = [];
  /** Jobs sent to each worker and not yet answered, in the order sent (workers answer in order). */
  private readonly running = new Map<Worker, QueuedJob[]>();
  private queue: QueuedJob[] = [];
  private queueHead = 0;
  private broken: Error | undefined;
  private closed = false;

  /**
   * `volume` is used in place when it is a view on a SharedArrayBuffer (see
   * `sharedVolume`); otherwise it is copied once into one. Do not modify a shared volume
   * while projections are running.
   */
  /** Classes of the labelled volume (0 without one). */
  readonly classes: number;

  /** `volume` may be null for a pool that only computes path lengths (options.labelled). */
  constructor(volume: Float32Array | null, grid: VolumeGrid, options: ProjectorPoolOptions = {}) {
    checkGrid(grid);
    if (volume !== null && volume.length !== voxelCount(grid)) {
      throw new RangeError(`volume has ${volume.length} voxels, grid ${grid.nx}x${grid.ny}x${grid.nz} needs ${voxelCount(grid)}`);
    }
    if (volume === null && options.labelled === undefined) throw new RangeError("a projector pool needs a mu volume or a labelled volume");
    const lab = options.labelled;
    if (lab !== undefined && lab.labels.length !== voxelCount(grid)) throw new RangeError(`labelled volume has ${lab.labels.length} voxels, the grid needs ${voxelCount(grid)}`);
    this.classes = lab?.classNames.length ?? 0;
    const n = options.workers ?? defaultWorkerCount();
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`worker count must be a positive integer, got ${n}`);
    this.workerCount = n;

    const shared = volume === null ? null : volume.buffer instanceof SharedArrayBuffer ? volume : sharedCopy(volume, (b) => new Float32Array(b));
    const workerData: ProjectorWorkerData = {
      buffer: shared === null ? null : (shared.buffer as SharedArrayBuffer),
      byteOffset: shared?.byteOffset ?? 0,
      length: shared?.length ?? 0,
      grid: { nx: grid.nx, ny: grid.ny, nz: grid.nz, voxelSizeM: grid.voxelSizeM },
      ...(lab !== undefined
        ? {
            labelled: {
              labels: sharedCopy(lab.labels, (b) => new Uint8Array(b)).buffer as SharedArrayBuffer,
              secondary: sharedCopy(lab.secondary, (b) => new Uint8Array(b)).buffer as SharedArrayBuffer,
              fraction: sharedCopy(lab.primaryFraction, (b) => new Float32Array(b)).buffer as SharedArrayBuffer,
              classNames: [...lab.classNames],
            },
          }
        : {}),
    };
    for (let w = 0; w < n; w++) {
      const worker = new Worker(WORKER_URL, { workerData });
      worker.unref(); // an idle pool does not keep the process alive; busy workers are ref'd
      worker.on("message", (reply: ProjectorReply) => this.onReply(worker, reply));
      worker.on("error", (e: Error) => this.fail(new Error(`projector worker failed: ${e.message}`)));
      worker.on("exit", (code) => {
        if (!this.closed) this.fail(new Error(`projector worker exited unexpectedly (code ${code})`));
      });
      this.workers.push(worker);
      this.running.set(worker, []);
    }
  }

  /**
   * Line integrals of projection `index` of `geometry` ([row][col]), computed by the next
   * free worker. Requests are served first come, first served; they may complete in any
   * order. Bit-identical to `projectOne` of projector.ts.
   */
  projectOne(geometry: ProjectionGeometry, index: number, cancel?: { cancelled: boolean }): Promise<Float32Array> {
    return this.projectRun(geometry, index, 1, cancel);
  }

  /**
   * Projections index .. index + count - 1 as one job: one array of count x rows x cols
   * (projection after projection). Bit-identical to `projectOne` of projector.ts.
   */
  projectRun(geometry: ProjectionGeometry, index: number, count: number, cancel?: { cancelled: boolean }, kind: "mu" | "paths" = "mu"): Promise<Float32Array> {
    if (this.closed) return Promise.reject(new Error("projector pool is closed"));
    if (this.broken) return Promise.reject(this.broken);
    try {
      checkGeometry(geometry);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    const n = projectionCount(geometry);
    if (!Number.isInteger(index) || index < 0 || index >= n) {
      return Promise.reject(new RangeError(`projection ${index} out of range 0..${n - 1}`));
    }
    if (!Number.isInteger(count) || count < 1 || index + count > n) {
      return Promise.reject(new RangeError(`projections ${index}..${index + count - 1} out of range 0..${n - 1}`));
    }
    const o = index * VECTORS_PER_PROJECTION;
    const job: ProjectorJob = {
      index,
      count,
      type: geometry.type,
      rows: geometry.rows,
      cols: geometry.cols,
      vectors: geometry.vectors.slice(o, o + count * VECTORS_PER_PROJECTION),
      kind,
    };
    return new Promise<Float32Array>((resolve, reject) => {
      this.queue.push(cancel === undefined ? { job, resolve, reject } : { job, resolve, reject, cancel });
      this.pump();
    });
  }

  /**
   * Project every projection of `geometry`, yielding them in projection order as soon as
   * the next one in order is done. At most `maxBuffered` projections are requested ahead
   * of the consumer. Breaking out of the loop abandons the scan: queued projections are
   * dropped, running ones finish and are discarded.
   */
  async *project(geometry: ProjectionGeometry, options: ScanOptions = {}): AsyncGenerator<ProjectionResult, void, undefined> {
    checkGeometry(geometry);
    const n = projectionCount(geometry);
    const size = geometry.rows * geometry.cols;
    const batch = batchSize(size, n, this.workerCount);
    const maxBuffered = Math.max(this.workerCount * JOBS_PER_WORKER * batch, options.maxBuffered ?? 4 * this.workerCount * batch);
    const cancel = { cancelled: false };
    // Runs of `batch` projections, requested up to maxBuffered projections ahead.
    const pending = new Map<number, Promise<Float32Array>>();
    let next = 0;
    try {
      for (let i = 0; i < n; i += batch) {
        while (next < n && next < i + maxBuffered) {
          const count = Math.min(batch, n - next);
          const p = this.projectRun(geometry, next, count, cancel);
          p.catch(() => undefined); // awaited below in order; an abandoned one must not be "unhandled"
          pending.set(next, p);
          next += count;
        }
        const data = await pending.get(i)!;
        pending.delete(i);
        const count = data.length / size;
        for (let k = 0; k < count; k++) yield { index: i + k, data: count === 1 ? data : data.slice(k * size, (k + 1) * size) };
      }
    } finally {
      cancel.cancelled = true;
    }
  }

  /** The whole scan as one stack [projection][row][col]. */
  async projectAll(geometry: ProjectionGeometry): Promise<Float32Array> {
    const size = geometry.rows * geometry.cols;
    const stack = new Float32Array(projectionCount(geometry) * size);
    for await (const { index, data } of this.project(geometry)) stack.set(data, index * size);
    return stack;
  }

  /** Stop the workers. Pending and running requests are rejected with "projector pool is closed". */
  async close(): Promise<void> {
    if (this.closed) return;
    const e = new Error("projector pool is closed");
    this.closed = true;
    this.rejectAll(e);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** The worker with the fewest outstanding jobs if it can take another, else undefined. */
  private leastBusy(): Worker | undefined {
    let best: Worker | undefined;
    let bestCount = JOBS_PER_WORKER;
    for (const w of this.workers) {
      const count = this.running.get(w)!.length;
      if (count < bestCount) {
        best = w;
        bestCount = count;
      }
    }
    return best;
  }

  /** Hand queued jobs to workers with room. */
  private pump(): void {
    while (this.queueHead < this.queue.length) {
      const worker = this.leastBusy();
      if (worker === undefined) break;
      const q = this.queue[this.queueHead++]!;
      if (q.cancel?.cancelled) {
        q.reject(new Error("projection request cancelled"));
        continue;
      }
      const jobs = this.running.get(worker)!;
      if (jobs.length === 0) worker.ref();
      jobs.push(q);
      worker.postMessage(q.job);
    }
    if (this.queueHead === this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
    }
  }

  private onReply(worker: Worker, reply: ProjectorReply): void {
    const jobs = this.running.get(worker)!;
    const q = jobs.shift();
    if (jobs.length === 0) worker.unref();
    if (q !== undefined) {
      if ("error" in reply) q.reject(new Error(`projection ${reply.index}: ${reply.error}`));
      else q.resolve(reply.data);
    }
    this.pump();
  }

  private fail(e: Error): void {
    if (this.broken || this.closed) return;
    this.broken = e;
    this.rejectAll(e);
  }

  private rejectAll(e: Error): void {
    for (const jobs of this.running.values()) {
      for (const q of jobs) q.reject(e);
      jobs.length = 0;
    }
    for (let i = this.queueHead; i < this.queue.length; i++) this.queue[i]!.reject(e);
    this.queue = [];
    this.queueHead = 0;
  }
}

/** A copy of `a` on a SharedArrayBuffer (workers map it without copying). */
function sharedCopy<T extends Float32Array | Uint8Array>(a: T, make: (b: SharedArrayBuffer) => T): T {
  const out = make(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}

/** Jobs a worker may hold at once: the one it computes and the next, already delivered. */
const JOBS_PER_WORKER = 2;

/** Pixels worth one job at least: smaller projections are batched up to about this many. */
const PIXELS_PER_JOB = 1 << 16;

/**
 * Projections per job for a scan of `projections` of `pixels` pixels on `workers` workers:
 * about PIXELS_PER_JOB pixels (1 for 256 x 256 and larger), at most 64, and few enough that
 * every worker gets two jobs.
 */
export function batchSize(pixels: number, projections: number, workers: number): number {
  const byPixels = Math.floor(PIXELS_PER_JOB / Math.max(1, pixels));
  const bySpread = Math.ceil(projections / (JOBS_PER_WORKER * workers));
  return Math.max(1, Math.min(64, byPixels, bySpread));
}

/** A pool of projector workers over `volume` (see `ProjectorPool`). Close it when done. */
export function createProjectorPool(volume: Float32Array, grid: VolumeGrid, options: ProjectorPoolOptions = {}): ProjectorPool {
  return new ProjectorPool(volume, grid, options);
}

/** One scan's projections on demand, in any order (the engine's `Projector` shape). */
export interface IndexedProjector {
  project(index: number): Promise<Float32Array>;
  close(): void;
}

/**
 * A factory of pool-backed projectors, one pool per scan:
 * (mu, grid, geometry) => { project(index), close() }. `workers` defaults to
 * `defaultWorkerCount()`. Matches the engine's `ProjectorFactory` structurally, so that
 * acquisition does not depend on the engine.
 */
export function workerPoolProjector(workers?: number): (mu: Float32Array, grid: VolumeGrid, geometry: ProjectionGeometry) => IndexedProjector {
  return (mu, grid, geometry) => {
    const pool = new ProjectorPool(mu, grid, workers === undefined ? {} : { workers });
    // Small projections go in runs (batchSize); each run is kept until all its members are taken.
    const size = geometry.rows * geometry.cols;
    const n = projectionCount(geometry);
    const batch = batchSize(size, n, pool.workerCount);
    const runs = new Map<number, { data: Promise<Float32Array>; left: number }>();
    return {
      project: (index) => {
        if (batch === 1) return pool.projectOne(geometry, index);
        if (!Number.isInteger(index) || index < 0 || index >= n) return Promise.reject(new RangeError(`projection ${index} out of range 0..${n - 1}`));
        const start = index - (index % batch);
        let run = runs.get(start);
        if (run === undefined) {
          const count = Math.min(batch, n - start);
          run = { data: pool.projectRun(geometry, start, count), left: count };
          runs.set(start, run);
        }
        if (--run.left === 0) runs.delete(start);
        const k = index - start;
        return run.data.then((d) => d.slice(k * size, (k + 1) * size));
      },
      close: () => void pool.close(),
    };
  };
}

/**
 * A factory of pool-backed per-class path-length projectors (polychromatic beams): each
 * projection's path lengths [class][row][col] computed by the workers, bit-identical to
 * `projectPathLengths`. Matches the engine's `PathProjectorFactory` structurally.
 */
export function workerPoolPathProjector(workers?: number): (volume: LabelledVolume, grid: VolumeGrid, geometry: ProjectionGeometry) => IndexedProjector {
  return (volume, grid, geometry) => {
    const pool = new ProjectorPool(null, grid, { labelled: volume, ...(workers === undefined ? {} : { workers }) });
    return {
      project: (index) => pool.projectRun(geometry, index, 1, undefined, "paths"),
      close: () => void pool.close(),
    };
  };
}
