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
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Bench } from "tinybench";
import {
  coneBeamGeometry,
  equalAngles,
  parallelBeamGeometry,
  pixelRay,
  projectionCount,
  type ProjectionGeometry,
} from "../src/acquisition/geometry.js";
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

/* ------------------------------------------------------------------------------------ */
/* Cone-beam scan: 256^3 volume, 360 projections of 256 x 256.                           */
/* ------------------------------------------------------------------------------------ */

export interface ConeBenchRow extends ProjectorBenchRow {
  /** Projections timed per repetition (a subset of the full scan). */
  projectionsTimed: number;
  /** Median cost of one projection (ms). */
  perProjectionMs: number;
  /** perProjectionMs x the full scan's projection count (ms), extrapolated, not measured. */
  fullScanMs: number;
}

export const CONE = {
  n: 256,
  projections: 360,
  /** Angles of the 360 timed per repetition: every 360 / 12 = 30th, spread over the turn. */
  timedEvery: 30,
  sodM: 0.05,
  sddM: 0.2,
  voxelM: 50e-6,
} as const;

/**
 * A 256^3 volume of 50 um voxels (12.8 mm cube) holding a sphere (radius 100 voxels) of
 * mu = 2904 /m with 24 random blobs (radius 6-20 voxels, mu 1000-6000 /m) inside it, seeded;
 * a circular cone-beam scan, SOD 50 mm, SDD 200 mm (M = 4), 256 x 256 pixels of
 * M x 50 um = 200 um, so the volume's central plane fills the detector. 360 angles over
 * 360 degrees; one full projection = 65,536 rays. The full scan (23.6 M rays) is too long
 * to repeat, so each repetition times every 30th projection (12 projections spread over
 * the turn, the whole cost varies with angle) and the full scan is extrapolated.
 */
export async function benchConeBeam(): Promise<ConeBenchRow[]> {
  const { n: N3, projections, timedEvery, sodM, sddM, voxelM } = CONE;
  const grid: VolumeGrid = { nx: N3, ny: N3, nz: N3, voxelSizeM: voxelM };
  const volume = sharedVolume(grid);
  const c = (N3 - 1) / 2;
  let seed = 12345;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const blobs = Array.from({ length: 24 }, () => {
    const r = 6 + 14 * rand();
    const reach = 100 - r;
    return { x: c + reach * (2 * rand() - 1) * 0.55, y: c + reach * (2 * rand() - 1) * 0.55, z: c + reach * (2 * rand() - 1) * 0.55, r, mu: 1000 + 5000 * rand() };
  });
  for (let k = 0; k < N3; k++) for (let j = 0; j < N3; j++) for (let i = 0; i < N3; i++) {
    if ((i - c) ** 2 + (j - c) ** 2 + (k - c) ** 2 > 100 ** 2) continue;
    let mu = 2904;
    for (const b of blobs) if ((i - b.x) ** 2 + (j - b.y) ** 2 + (k - b.z) ** 2 <= b.r ** 2) mu = b.mu;
    volume[i + N3 * (j + N3 * k)] = mu;
  }
  const magnification = sddM / sodM;
  const allAngles = equalAngles(projections, 2 * Math.PI);
  const timedAngles = allAngles.filter((_, p) => p % timedEvery === 0);
  const common = { rows: N3, cols: N3, pixelSizeM: magnification * voxelM, sourceObjectM: sodM, sourceDetectorM: sddM };
  const geometry = coneBeamGeometry({ ...common, anglesRad: timedAngles });
  const timed = timedAngles.length;
  const rays = timed * N3 * N3;
  const steps = totalVoxelSteps(grid, geometry);
  const out = new Float32Array(N3 * N3);
  let sink = 0;

  const pools = [...new Set([defaultWorkerCount(), availableParallelism()])].map((w) => createProjectorPool(volume, grid, { workers: w }));
  for (const pool of pools) await Promise.all(Array.from({ length: pool.workerCount }, (_, p) => pool.projectOne(geometry, p)));

  const bench = new Bench({ time: 1, iterations: 3, warmupIterations: 1, warmupTime: 1 });
  bench.add(`cone projectOne, 1 thread: ${N3}^3, ${N3}x${N3} px, ${timed} of ${projections} angles`, () => {
    for (let p = 0; p < timed; p++) {
      projectOne(volume, grid, geometry, p, out);
      sink += out[out.length >> 1]!;
    }
  });
  for (const pool of pools) {
    bench.add(`cone projector pool, ${pool.workerCount} worker${pool.workerCount > 1 ? "s" : ""}: same ${timed} angles, in order`, async () => {
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
    const perProjectionMs = r.latency.p50 / timed;
    return {
      name: t.name,
      medianMs: r.latency.p50,
      samples: r.latency.samplesCount,
      raysPerSecond: rays / seconds,
      voxelStepsPerSecond: steps / seconds,
      voxelStepsPerRay: steps / rays,
      projectionsTimed: timed,
      perProjectionMs,
      fullScanMs: perProjectionMs * projections,
    };
  });
}

/* ------------------------------------------------------------------------------------ */
/* Peer: parallel-beam slice stack vs scikit-image's radon, slice by slice.             */
/* ------------------------------------------------------------------------------------ */

export interface RadonBenchRow extends BenchRow {
  /** RMS(sinogram - analytic) / RMS(analytic) over the whole stack. */
  relRms: number;
  /** Rays (detector bins x rows x angles) per second at the median time. */
  raysPerSecond: number;
}

export const RADON = { n: 128, slices: 32, angles: 180, repeats: 3 } as const;

/** Gaussian width (pixels) of slice k: 6 to 12 px across the stack (as in skimage_radon.py). */
function radonSigma(k: number, nz: number): number {
  return 6 + (6 * k) / Math.max(1, nz - 1);
}

/**
 * The equal problem for xtwin and scikit-image: 32 slices of 128 x 128 pixels, slice k an
 * isotropic Gaussian exp(-r^2 / 2 sigma_k^2) centred on the rotation axis, 180 parallel
 * projections over 180 degrees onto 128 columns x 32 rows (pixel = voxel). xtwin runs
 * projectOne for all 180 projections (on this thread, then on the worker pool); the
 * peer runs skimage.transform.radon on each slice (bench/peers/skimage_radon.py, Debian's
 * python3-skimage; skipped if missing). Accuracy: both against the analytic sinogram
 * sigma sqrt(2 pi) exp(-t^2 / 2 sigma^2), in pixel units (skimage returns sums of pixel
 * values; xtwin's integrals in metres are divided by the voxel size).
 */
export async function benchRadon(): Promise<RadonBenchRow[]> {
  const { n, slices, angles, repeats } = RADON;
  const s = 1e-3;
  const grid: VolumeGrid = { nx: n, ny: n, nz: slices, voxelSizeM: s };
  const volume = sharedVolume(grid);
  const c = (n - 1) / 2; // xtwin's rotation axis: the grid centre
  for (let k = 0; k < slices; k++) {
    const sg = radonSigma(k, slices);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
      volume[i + n * (j + n * k)] = Math.exp(-((i - c) ** 2 + (j - c) ** 2) / (2 * sg * sg));
    }
  }
  const geometry = parallelBeamGeometry({ anglesRad: equalAngles(angles, Math.PI), rows: slices, cols: n, pixelSizeM: s });
  const size = slices * n;
  const stack = new Float32Array(angles * size);
  const rays = angles * size;

  // Accuracy of one full xtwin scan against the analytic sinogram.
  for (let p = 0; p < angles; p++) projectOne(volume, grid, geometry, p, stack.subarray(p * size, (p + 1) * size));
  let err2 = 0;
  let ref2 = 0;
  for (let k = 0; k < slices; k++) {
    const sg = radonSigma(k, slices);
    for (let col = 0; col < n; col++) {
      const t = col - c;
      const a = sg * Math.sqrt(2 * Math.PI) * Math.exp(-(t * t) / (2 * sg * sg));
      for (let p = 0; p < angles; p++) {
        const v = stack[p * size + k * n + col]! / s;
        err2 += (v - a) ** 2;
        ref2 += a * a;
      }
    }
  }
  const relRms = Math.sqrt(err2 / ref2);

  let sink = 0;
  const pool = createProjectorPool(volume, grid, { workers: availableParallelism() });
  await Promise.all(Array.from({ length: pool.workerCount }, (_, p) => pool.projectOne(geometry, p)));
  const bench = new Bench({ time: 1, iterations: 10, warmupIterations: 2, warmupTime: 1 });
  bench.add(`xtwin projectOne, 1 thread: ${slices} rows x ${n} cols, ${angles} angles`, () => {
    for (let p = 0; p < angles; p++) projectOne(volume, grid, geometry, p, stack.subarray(p * size, (p + 1) * size));
    sink += stack[size >> 1]!;
  });
  bench.add(`xtwin projector pool, ${pool.workerCount} worker${pool.workerCount > 1 ? "s" : ""}: same scan, in order`, async () => {
    for await (const { data } of pool.project(geometry)) sink += data[data.length >> 1]!;
  });
  try {
    await bench.run();
  } finally {
    await pool.close();
  }
  if (sink === 42) console.log("");
  const rows: RadonBenchRow[] = bench.tasks.map((t) => {
    const r = t.result;
    if (r.state !== "completed") throw new Error(`${t.name}: ${r.state}`);
    return { name: t.name, medianMs: r.latency.p50, samples: r.latency.samplesCount, relRms, raysPerSecond: rays / (r.latency.p50 / 1000) };
  });
  for (const peer of peerSkimage(n, slices, angles, repeats)) {
    rows.push({ ...peer, raysPerSecond: (peer.bins * slices * angles) / (peer.medianMs / 1000) });
  }
  return rows;
}

/** scikit-image's radon from Debian's Python on the same stack; [] when not installed. */
function peerSkimage(n: number, slices: number, angles: number, repeats: number): Array<BenchRow & { relRms: number; bins: number }> {
  const python = "/usr/bin/python3";
  const script = fileURLToPath(new URL("../../bench/peers/skimage_radon.py", import.meta.url));
  if (!existsSync(python) || !existsSync(script)) return [];
  const r = spawnSync(python, [script, String(n), String(slices), String(angles), String(repeats)], { encoding: "utf8" });
  if (r.status !== 0) {
    console.error(`peer skimage radon skipped: ${(r.stderr ?? "").trim().split("\n").pop() ?? `exit ${r.status}`}`);
    return [];
  }
  return JSON.parse(r.stdout) as Array<BenchRow & { relRms: number; bins: number }>;
}
