/**
 * Cost and accuracy of filtered back-projection.
 *   1. One slice: the modified Shepp-Logan (src/phantoms, analytic) at 511 x 511 pixels from
 *      720 exact parallel projections over 180 degrees (511 columns; odd, so that xtwin's
 *      rotation centre (n - 1)/2 and scikit-image's n // 2 are the same pixel), reconstructed
 *      by xtwin's fbpParallel and by skimage.transform.iradon (bench/peers/skimage_iradon.py,
 *      Debian's python3-skimage; skipped if missing), both with the ramp and the Shepp-Logan
 *      filter and linear interpolation. Accuracy: RMSE (1/m) against the phantom voxelised with
 *      4^3 supersampling, inside the reconstruction circle, the same for both.
 *   2. A volume: 256^3 from 360 parallel projections of 256 x 256 (a sphere, exact chords),
 *      fbpParallel on this thread, timed once per sample.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { equalAngles, parallelBeamGeometry, pixelRay, projectionCount, type ProjectionGeometry } from "../src/acquisition/geometry.js";
import type { VolumeGrid } from "../src/core/grid.js";
import { createAnalyticObject } from "../src/phantoms/analytic/index.js";
import { attenuationMap, sceneLineIntegral, voxelizeScene, type AnalyticScene } from "../src/phantoms/scene.js";
import { fbpParallel } from "../src/reconstruction/fbp.js";
import { createFbpPool } from "../src/reconstruction/fbpPool.js";
import { availableParallelism } from "node:os";
import type { RampFilterName } from "../src/reconstruction/filters.js";
import type { BenchRow } from "./optics.bench.js";

export interface FbpBenchRow extends BenchRow {
  /** RMSE against the phantom inside the reconstruction circle (1/m); absent for the volume row. */
  rmse?: number;
  /** skimage's median time over xtwin's with the same filter (peer rows only). */
  slowerThanXtwin?: number;
}

export const FBP_BENCH = { n: 511, angles: 720, volumeN: 256, volumeAngles: 360, repeats: 5 } as const;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

function analyticSinogram(sc: AnalyticScene, mu: Float64Array, g: ProjectionGeometry): Float32Array {
  const out = new Float32Array(projectionCount(g) * g.rows * g.cols);
  const ray = new Float64Array(6);
  let o = 0;
  for (let p = 0; p < projectionCount(g); p++) for (let r = 0; r < g.rows; r++) for (let c = 0; c < g.cols; c++) {
    pixelRay(g, p, r, c, ray);
    out[o++] = sceneLineIntegral(sc, mu, { origin: [ray[0]!, ray[1]!, ray[2]!], direction: [ray[3]!, ray[4]!, ray[5]!] });
  }
  return out;
}

function rmseInCircle(rec: Float32Array, truth: Float32Array, n: number): number {
  const c = (n - 1) / 2;
  let e = 0, m = 0;
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
    if ((i - c) ** 2 + (j - c) ** 2 > c * c) continue;
    e += (rec[i + n * j]! - truth[i + n * j]!) ** 2;
    m++;
  }
  return Math.sqrt(e / m);
}

export async function benchFbp(): Promise<FbpBenchRow[]> {
  const { n, angles, repeats } = FBP_BENCH;
  const s = 1e-5;
  const grid: VolumeGrid = { nx: n, ny: n, nz: 1, voxelSizeM: s };
  const scene: AnalyticScene = { grid, background: "air", objects: [createAnalyticObject({ type: "shepp-logan", material: "m", center: [0, 0, 0], scale: 0.48 * n * s })] };
  const mu = Float64Array.of(0, 1000);
  const geometry = parallelBeamGeometry({ anglesRad: equalAngles(angles, Math.PI), rows: 1, cols: n, pixelSizeM: s });
  const sino = analyticSinogram(scene, mu, geometry);
  const truth = attenuationMap(voxelizeScene(scene, { supersampling: 4 }), mu);

  const rows: FbpBenchRow[] = [];
  const filters: Array<[RampFilterName, string]> = [["ram-lak", "ramp"], ["shepp-logan", "shepp-logan"]];
  for (const [filter] of filters) {
    // circle: true reconstructs the disc every angle sees, as iradon(circle=True) does.
    fbpParallel(sino, geometry, { grid, filter, circle: true }); // warm-up
    const times: number[] = [];
    let rec: Float32Array = new Float32Array(0);
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      rec = fbpParallel(sino, geometry, { grid, filter, circle: true });
      times.push(performance.now() - t0);
    }
    rows.push({
      name: `xtwin fbpParallel(filter=${filter}, circle), 1 thread: ${n}^2 from ${angles} angles`,
      medianMs: median(times), samples: times.length, rmse: rmseInCircle(rec, truth, n),
    });
  }
  // The same slice on worker threads (row bands), pool started before timing.
  const pool = createFbpPool(availableParallelism());
  try {
    await pool.reconstruct(sino, geometry, { grid, filter: "ram-lak", circle: true });
    const times: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      await pool.reconstruct(sino, geometry, { grid, filter: "ram-lak", circle: true });
      times.push(performance.now() - t0);
    }
    rows.push({ name: `xtwin FBP pool(filter=ram-lak, circle), ${pool.workerCount} workers: ${n}^2 from ${angles} angles`, medianMs: median(times), samples: times.length, rmse: rows[0]!.rmse! });
  } finally {
    await pool.close();
  }
  for (const peer of peerIradon(truth, sino, n, angles, s)) {
    const mine = rows[filters.findIndex(([, skName]) => skName === peer.filter)]!;
    rows.push({ name: peer.name, medianMs: peer.medianMs, samples: peer.samples, rmse: peer.rmse, slowerThanXtwin: peer.medianMs / mine.medianMs });
  }

  // 3-D: 256^3 from 360 projections of a sphere (radius 100 voxels, mu 1000 /m), exact chords.
  const N3 = FBP_BENCH.volumeN, P3 = FBP_BENCH.volumeAngles;
  const g3 = parallelBeamGeometry({ anglesRad: equalAngles(P3, Math.PI), rows: N3, cols: N3, pixelSizeM: s });
  const proj = new Float32Array(P3 * N3 * N3);
  const R = 100 * s;
  for (let p = 0; p < P3; p++) for (let r = 0; r < N3; r++) for (let c = 0; c < N3; c++) {
    const t = (c - (N3 - 1) / 2) * s, z = (r - (N3 - 1) / 2) * s;
    const d2 = R * R - t * t - z * z;
    proj[(p * N3 + r) * N3 + c] = d2 > 0 ? 2000 * Math.sqrt(d2) : 0;
  }
  const times3: number[] = [];
  for (let r = 0; r < 2; r++) {
    const t0 = performance.now();
    fbpParallel(proj, g3);
    times3.push(performance.now() - t0);
  }
  rows.push({ name: `xtwin fbpParallel 3-D, 1 thread: ${N3}^3 from ${P3} projections of ${N3} x ${N3}`, medianMs: median(times3), samples: times3.length });
  const pool3 = createFbpPool(availableParallelism());
  try {
    const t3: number[] = [];
    for (let r = 0; r < 2; r++) {
      const t0 = performance.now();
      await pool3.reconstruct(proj, g3);
      t3.push(performance.now() - t0);
    }
    rows.push({ name: `xtwin FBP pool 3-D, ${pool3.workerCount} workers: same volume (includes the workers' start)`, medianMs: median(t3), samples: t3.length });
  } finally {
    await pool3.close();
  }
  return rows;
}

/** scikit-image's iradon from Debian's Python on the same sinogram; [] when not installed. */
function peerIradon(truth: Float32Array, sino: Float32Array, n: number, angles: number, pixel: number): Array<BenchRow & { rmse: number; filter: string }> {
  const python = "/usr/bin/python3";
  const script = fileURLToPath(new URL("../../bench/peers/skimage_iradon.py", import.meta.url));
  if (!existsSync(python) || !existsSync(script)) return [];
  const dir = mkdtempSync(join(tmpdir(), "xtwin-fbp-"));
  try {
    writeFileSync(join(dir, "phantom.f32"), Buffer.from(truth.buffer, truth.byteOffset, truth.byteLength));
    writeFileSync(join(dir, "sino.f32"), Buffer.from(sino.buffer, sino.byteOffset, sino.byteLength));
    const r = spawnSync(python, [script, join(dir, "phantom.f32"), join(dir, "sino.f32"), String(n), String(angles), String(pixel), "3"], { encoding: "utf8" });
    if (r.status !== 0) {
      console.error(`peer skimage iradon skipped: ${(r.stderr ?? "").trim().split("\n").pop() ?? `exit ${r.status}`}`);
      return [];
    }
    return JSON.parse(r.stdout) as Array<BenchRow & { rmse: number; filter: string }>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run directly: node dist/bench/fbp.bench.js
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const row of await benchFbp()) console.log(JSON.stringify(row));
}
