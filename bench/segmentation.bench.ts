/**
 * Cost of segmenting a 128^3 reconstruction: a packed-sphere phantom with three phases
 * (pore 0.1, binder layer 0.45, active particles 1.0) and Gaussian noise (sigma 0.05).
 *   - multi-Otsu, 3 classes on 256 bins (histogram + dynamic programming);
 *   - exact Euclidean distance transform of the particle phase;
 *   - segmentVolume: 3 classes + watershed instances of the particle phase (the whole path).
 */
import { Bench } from "tinybench";
import { createRandom, gaussian } from "../src/core/random.js";
import { distanceTransform } from "../src/segmentation/distanceTransform.js";
import { multiOtsuThresholds } from "../src/segmentation/otsu.js";
import { segmentVolume } from "../src/segmentation/segmentVolume.js";

import type { BenchRow } from "./optics.bench.js";

const N = 128;

/** 120 spheres of radius 6-12 voxels at seeded random centres, over a binder layer and pore. */
function packedSpheres(): { values: Float32Array; particles: Uint8Array } {
  const rng = createRandom(2026);
  const spheres: [number, number, number, number][] = [];
  for (let s = 0; s < 120; s++) spheres.push([8 + rng.next() * 112, 8 + rng.next() * 112, 8 + rng.next() * 112, 6 + rng.next() * 6]);
  const values = new Float32Array(N * N * N);
  const particles = new Uint8Array(N * N * N);
  let p = 0;
  for (let k = 0; k < N; k++) {
    for (let j = 0; j < N; j++) {
      for (let i = 0; i < N; i++, p++) {
        let v = k < 12 ? 0.45 : 0.1;
        for (const [x, y, z, r] of spheres) {
          if ((i - x) ** 2 + (j - y) ** 2 + (k - z) ** 2 <= r * r) {
            v = 1;
            particles[p] = 1;
            break;
          }
        }
        values[p] = v + 0.05 * gaussian(rng);
      }
    }
  }
  return { values, particles };
}

export async function benchSegmentation(): Promise<BenchRow[]> {
  const shape = { nx: N, ny: N, nz: N };
  const { values, particles } = packedSpheres();
  let sink = 0;
  const bench = new Bench({ time: 1, iterations: 5, warmupIterations: 1, warmupTime: 1 });
  bench.add(`multiOtsuThresholds: ${N}^3, 3 classes, 256 bins`, () => {
    sink += multiOtsuThresholds(values, 3)[0]!;
  });
  bench.add(`distanceTransform: ${N}^3 particle mask`, () => {
    sink += distanceTransform(particles, shape)[0]!;
  });
  bench.add(`segmentVolume: ${N}^3, 3 classes + watershed instances`, () => {
    sink += segmentVolume(values, shape, { classes: 3, instances: { phase: 2, minVoxels: 20 } }).instanceCount;
  });
  await bench.run();
  if (sink === 42) console.log("");
  return bench.tasks.map((t) => {
    const r = t.result;
    if (r.state !== "completed") throw new Error(`${t.name}: ${r.state}`);
    return { name: t.name, medianMs: r.latency.p50, samples: r.latency.samplesCount };
  });
}
