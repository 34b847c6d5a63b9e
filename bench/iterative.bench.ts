/**
 * Cost of iterative reconstruction: a 64^3 mu volume (a voxelised sphere of radius 25
 * voxels), 64 x 64 pixels (pixel = voxel), 32 angles, one ray per pixel (131,072 rays).
 *   - projectAll vs backprojectAll, parallel beam and cone beam: the two halves of an
 *     iteration. projectAll's parallel path reuses each column's chords for all rows
 *     (projector.ts fast path); the cone path and the back-projector walk every ray.
 *   - a projection summed through visitProjection with a per-chord callback, the same
 *     walk as backprojectAll, so that (cone projectAll) vs (visitor projection) isolates
 *     the cost of the callback itself.
 *   - SIRT and CGLS, 5 iterations each (SIRT includes its one-off row/column sums).
 * Run: `npx tsc -p . && node dist/bench/iterative.bench.js`.
 */
import { pathToFileURL } from "node:url";
import { Bench } from "tinybench";
import { coneBeamGeometry, equalAngles, parallelBeamGeometry, type ProjectionGeometry, projectionCount } from "../src/acquisition/geometry.js";
import { projectAll, type RayVisitor, visitProjection } from "../src/acquisition/projector.js";
import type { VolumeGrid } from "../src/core/grid.js";
import { backprojectAll } from "../src/reconstruction/backprojector.js";
import { cgls, sirt } from "../src/reconstruction/iterative.js";
import type { BenchRow } from "./optics.bench.js";

const N = 64;
const ANGLES = 32;
const RADIUS = 25;

/** Sums value * weight * length per pixel: a forward projection through the visitor API. */
class SumVisitor implements RayVisitor {
  volume: Float32Array = new Float32Array(0);
  out: Float32Array = new Float32Array(0);
  private pixelIndex = 0;
  private weight = 0;
  pixel(i: number): void { this.pixelIndex = i; this.out[i] = 0; }
  begin(w: number): void { this.weight = w; }
  segment(index: number, lengthM: number): void { this.out[this.pixelIndex]! += this.weight * lengthM * this.volume[index]!; }
  finish(): void {}
}

function visitorProjectAll(volume: Float32Array, grid: VolumeGrid, geometry: ProjectionGeometry, out: Float32Array, v: SumVisitor): void {
  const size = geometry.rows * geometry.cols;
  v.volume = volume;
  for (let p = 0; p < projectionCount(geometry); p++) {
    v.out = out.subarray(p * size, (p + 1) * size);
    visitProjection(grid, geometry, p, v);
  }
}

export async function benchIterative(): Promise<BenchRow[]> {
  const s = 1e-5;
  const grid: VolumeGrid = { nx: N, ny: N, nz: N, voxelSizeM: s };
  const volume = new Float32Array(N ** 3);
  for (let k = 0; k < N; k++) for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) {
    const x = i - (N - 1) / 2, y = j - (N - 1) / 2, z = k - (N - 1) / 2;
    if (x * x + y * y + z * z <= RADIUS * RADIUS) volume[i + N * (j + N * k)] = 100;
  }
  const angles = equalAngles(ANGLES, Math.PI);
  const parallel = parallelBeamGeometry({ anglesRad: angles, rows: N, cols: N, pixelSizeM: s });
  const cone = coneBeamGeometry({ anglesRad: angles, rows: N, cols: N, pixelSizeM: 1.5 * s, sourceObjectM: 4 * N * s, sourceDetectorM: 6 * N * s });
  const data = new Float32Array(ANGLES * N * N);
  const back = new Float32Array(N ** 3);
  const parallelData = projectAll(volume, grid, parallel);
  const visitor = new SumVisitor();

  const bench = new Bench({ time: 1, iterations: 5, warmupIterations: 1, warmupTime: 1 });
  const scan = `${N}^3, ${N}x${N} px, ${ANGLES} angles`;
  bench.add(`projectAll, parallel: ${scan}`, () => { projectAll(volume, grid, parallel, data); });
  bench.add(`backprojectAll, parallel: ${scan}`, () => { backprojectAll(data, grid, parallel, back); });
  bench.add(`projectAll, cone: ${scan}`, () => { projectAll(volume, grid, cone, data); });
  bench.add(`backprojectAll, cone: ${scan}`, () => { backprojectAll(data, grid, cone, back); });
  bench.add(`projection via visitProjection callback, cone: ${scan}`, () => { visitorProjectAll(volume, grid, cone, data, visitor); });
  bench.add(`sirt, 5 iterations, parallel: ${scan}`, () => { sirt(parallelData, parallel, grid, { maxIterations: 5 }); });
  bench.add(`cgls, 5 iterations, parallel: ${scan}`, () => { cgls(parallelData, parallel, grid, { maxIterations: 5 }); });
  await bench.run();
  return bench.tasks.map((t) => {
    const r = t.result;
    if (r.state !== "completed") throw new Error(`${t.name}: ${r.state}`);
    return { name: t.name, medianMs: r.latency.p50, samples: r.latency.samplesCount };
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchIterative();
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) console.log(`  ${r.name.padEnd(width)}  median ${r.medianMs.toFixed(1).padStart(8)} ms  (${r.samples} samples)`);
}
