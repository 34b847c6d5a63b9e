/**
 * Cost of the forward projector: a 128^3 mu volume (a voxelised sphere of radius 50 voxels)
 * projected onto 128 x 128 pixels (pixel = voxel) at 32 angles over 180 degrees, one ray
 * per pixel (524,288 rays).
 *   - projectOne on this thread, projection after projection;
 *   - the worker pool (projectorPool.ts) with its default size and with one worker per
 *     core, consuming the scan in order as a writer would (pool start-up not timed).
 * Throughput is reported two ways: rays per second, and voxel steps per second, where a
 * ray's voxel steps are the voxels its Siddon-Jacobs walk visits between entering and
 * leaving the grid's bounding box (counted exactly per ray, not timed; zeros are walked
 * too), i.e. the work the inner loop does.
 */
import { availableParallelism } from "node:os";
import { Bench } from "tinybench";
import { equalAngles, parallelBeamGeometry, pixelRay, projectionCount, type ProjectionGeometry } from "../src/acquisition/geometry.js";
import { projectOne } from "../src/acquisition/projector.js";
import { createProjectorPool, defaultWorkerCount, sharedVolume } from "../src/acquisition/projectorPool.js";
import type { VolumeGrid } from "../src/core/grid.js";
import type { BenchRow } from "./optics.bench.js";

export interface ProjectorBenchRow extends BenchRow {
  /** Rays (pixels x projections) per second at the median time. */
  raysPerSecond: number;
  /** Voxels visited by the walks per second at the median time. */
  voxelStepsPerSecond: number;
  /** Average voxels visited per ray in this scan. */
  voxelStepsPerRay: number;
}

const N = 128;
const ANGLES = 32;
const RADIUS_VOXELS = 50;

/** Voxels a line o + t d visits between entering and leaving the grid box (0 if it misses). */
function voxelSteps(grid: VolumeGrid, ray: Float64Array): number {
  const s = grid.voxelSizeM;
  const n = [grid.nx, grid.ny, grid.nz];
  let aMin = -Infinity;
  let aMax = Infinity;
  for (let ax = 0; ax < 3; ax++) {
    const h = (n[ax]! * s) / 2;
    const o = ray[ax]!;
    const d = ray[ax + 3]!;
    if (d === 0) {
      if (o < -h || o >= h) return 0;
      continue;
    }
    const a0 = (-h - o) / d;
    const a1 = (h - o) / d;
    aMin = Math.max(aMin, Math.min(a0, a1));
    aMax = Math.min(aMax, Math.max(a0, a1));
  }
  if (!(aMin < aMax)) return 0;
  let steps = 1;
  for (let ax = 0; ax < 3; ax++) {
    const h = (n[ax]! * s) / 2;
    const at = (a: number) => Math.min(n[ax]! - 1, Math.max(0, Math.floor((ray[ax]! + a * ray[ax + 3]! + h) / s)));
    const mid = 0.5 * (aMax - aMin);
    // Voxel just after entry and just before exit (midpoint-nudged to avoid the faces).
    steps += Math.abs(at(aMax - 1e-9 * mid) - at(aMin + 1e-9 * mid));
  }
  return steps;
}

function totalVoxelSteps(grid: VolumeGrid, g: ProjectionGeometry): number {
  const ray = new Float64Array(6);
  let total = 0;
  for (let p = 0; p < projectionCount(g); p++) {
    for (let r = 0; r < g.rows; r++) for (let c = 0; c < g.cols; c++) {
      pixelRay(g, p, r, c, ray);
      total += voxelSteps(grid, ray);
    }
  }
  return total;
}

export async function benchProjector(): Promise<ProjectorBenchRow[]> {
  const s = 1e-6;
  const grid: VolumeGrid = { nx: N, ny: N, nz: N, voxelSizeM: s };
  // Sphere of mu = 2904 /m (NMC811 at 30 keV) in a shared buffer (no copy for the pool).
  const volume = sharedVolume(grid);
  const c = (N - 1) / 2;
  for (let k = 0; k < N; k++) for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) {
    if ((i - c) ** 2 + (j - c) ** 2 + (k - c) ** 2 <= RADIUS_VOXELS ** 2) volume[i + N * (j + N * k)] = 2904;
  }
  const geometry = parallelBeamGeometry({ anglesRad: equalAngles(ANGLES, Math.PI), rows: N, cols: N, pixelSizeM: s });
  const rays = ANGLES * N * N;
  const steps = totalVoxelSteps(grid, geometry);
  const out = new Float32Array(N * N);
  let sink = 0;

  const defaultWorkers = defaultWorkerCount();
  const allCores = availableParallelism();
  const pools = [...new Set([defaultWorkers, allCores])].map((w) => createProjectorPool(volume, grid, { workers: w }));
  // Let the workers start before timing.
  for (const pool of pools) await pool.projectOne(geometry, 0);

  const bench = new Bench({ time: 1, iterations: 5, warmupIterations: 1, warmupTime: 1 });
  bench.add(`projectOne, 1 thread: ${N}^3 volume, ${N}x${N} px x ${ANGLES} angles`, () => {
    for (let p = 0; p < ANGLES; p++) {
      projectOne(volume, grid, geometry, p, out);
      sink += out[out.length >> 1]!;
    }
  });
  for (const pool of pools) {
    bench.add(`projector pool, ${pool.workerCount} worker${pool.workerCount > 1 ? "s" : ""}: same scan, in order`, async () => {
      for await (const { data } of pool.project(geometry)) sink += data[data.length >> 1]!;
    });
  }
  try {
    await bench.run();
  } finally {
    await Promise.all(pools.map((p) => p.close()));
  }
  if (sink === 42) console.log("");
  return bench.tasks.map((t) => {
    const r = t.result;
    if (r.state !== "completed") throw new Error(`${t.name}: ${r.state}`);
    const seconds = r.latency.p50 / 1000;
    return {
      name: t.name,
      medianMs: r.latency.p50,
      samples: r.latency.samplesCount,
      raysPerSecond: rays / seconds,
      voxelStepsPerSecond: steps / seconds,
      voxelStepsPerRay: steps / rays,
    };
  });
}
