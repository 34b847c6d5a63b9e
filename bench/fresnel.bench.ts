/**
 * Cost of Fresnel propagation: a 2048 x 2048 complex field (float64), no padding (pad 1,
 * periodic), 17 keV, 0.1 um pixels, 0.1 m.
 *   - fresnelPropagate: xtwin's propagator (fused row/column FFTs with the transfer function
 *     applied inside the column pass, src/phase/fresnel.ts);
 *   - fft2d, multiply, fft2d: the same work through src/core/fft.ts's fft2d with H
 *     precomputed, as a baseline;
 *   - peer: numpy.fft ifft2(fft2(u) * H) with H precomputed (bench/peers/numpy_fft2.py),
 *     from Debian's /usr/bin/python3 if it and numpy are installed.
 */
import type { BenchRow } from "./optics.bench.js";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Bench } from "tinybench";
import { fft2d } from "../src/core/fft.js";
import { fresnelPropagate, fresnelTransferFunction } from "../src/phase/fresnel.js";
import { wavelengthM } from "../src/phase/wave.js";


export const FRESNEL_BENCH = { n: 2048, pixelSizeM: 0.1e-6, energyKeV: 17, distanceM: 0.1 };

export async function benchFresnel(): Promise<BenchRow[]> {
  const { n, pixelSizeM, energyKeV, distanceM } = FRESNEL_BENCH;
  const lambda = wavelengthM(energyKeV);
  const field = new Float64Array(2 * n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const phase = 0.5 * Math.sin(0.01 * x) * Math.cos(0.013 * y);
      field[2 * (x + n * y)] = Math.cos(phase);
      field[2 * (x + n * y) + 1] = Math.sin(phase);
    }
  }
  const h = fresnelTransferFunction(n, n, pixelSizeM, lambda, distanceM);
  const work = new Float64Array(field.length);
  let sink = 0;
  const bench = new Bench({ time: 4000, iterations: 5, warmup: true });
  bench.add(`fresnelPropagate ${n} x ${n}, pad 1`, () => {
    sink += fresnelPropagate(field, n, n, pixelSizeM, lambda, distanceM, { pad: 1 })[0]!;
  });
  bench.add(`fft2d, multiply by H, fft2d (baseline) ${n} x ${n}`, () => {
    work.set(field);
    fft2d(work, n, n);
    for (let i = 0; i < work.length; i += 2) {
      const ur = work[i]!, ui = work[i + 1]!, hr = h[i]!, hi = h[i + 1]!;
      work[i] = ur * hr - ui * hi;
      work[i + 1] = ur * hi + ui * hr;
    }
    fft2d(work, n, n, true);
    sink += work[0]!;
  });
  await bench.run();
  const rows: BenchRow[] = bench.tasks.map((t) => {
    const r = t.result;
    if (r.state !== "completed") throw new Error(`${t.name}: ${r.state}`);
    return { name: t.name, medianMs: r.latency.p50, samples: r.latency.samplesCount };
  });
  if (sink === 42) console.log("");
  const peer = peerNumpy(n);
  if (peer !== undefined) rows.push(peer);
  return rows;
}

/** numpy's pocketfft on the same propagation, the tool most phase-contrast scripts use. */
function peerNumpy(n: number): BenchRow | undefined {
  const python = "/usr/bin/python3";
  const script = fileURLToPath(new URL("../../bench/peers/numpy_fft2.py", import.meta.url));
  if (!existsSync(python) || !existsSync(script)) return undefined;
  const r = spawnSync(python, [script, String(n), "15"], { encoding: "utf8" });
  if (r.status !== 0) {
    console.error(`peer numpy skipped: ${r.stderr.trim().split("\n").pop()}`);
    return undefined;
  }
  return JSON.parse(r.stdout) as BenchRow;
}

// Run directly: node dist/bench/fresnel.bench.js
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await benchFresnel();
  for (const r of rows) console.log(`${r.name.padEnd(60)} median ${r.medianMs.toFixed(1).padStart(8)} ms (${r.samples} samples)`);
  const peer = rows.find((r) => r.name.startsWith("peer"));
  if (peer) console.log(`xtwin / numpy = ${(rows[0]!.medianMs / peer.medianMs).toFixed(2)}`);
}
