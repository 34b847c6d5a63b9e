/**
 * Cost of beam heating: backward-Euler steps (Jacobi-PCG) of the heat solver on a 128^3
 * grid of mixed electrode-like cells with a beam column, at a time step 10x the explicit
 * limit (4 steps per sample) and 1000x (1 step per sample: ~10x the CG iterations).
 */
import { Bench } from "tinybench";
import { uniformBoundaries } from "../src/thermal/conductionOperator.js";
import { HeatSolver } from "../src/thermal/heatSolver.js";
import type { ThermalGrid, ThermalProperties } from "../src/thermal/thermalGrid.js";

export interface ThermalBenchRow {
  name: string;
  medianMs: number;
  samples: number;
  stepsPerSecond: number;
  meanIterations: number;
}

export const THERMAL_BENCH = { n: 128 };

export async function benchThermal(): Promise<ThermalBenchRow[]> {
  const n = THERMAL_BENCH.n;
  const grid: ThermalGrid = { nx: n, ny: n, nz: n, spacingM: 10e-6 };
  const cells = n * n * n;
  const props: ThermalProperties = { conductivity: new Float64Array(cells), heatCapacity: new Float64Array(cells) };
  const power = new Float64Array(cells);
  for (let c = 0; c < cells; c++) {
    const m = (c * 7919) % 3; // active material, electrolyte, carbon-binder-like cells
    props.conductivity[c] = m === 0 ? 4 : m === 1 ? 0.2 : 1.5;
    props.heatCapacity[c] = m === 0 ? 3.0e6 : m === 1 ? 1.8e6 : 1.5e6;
    const i = c % n;
    const j = ((c / n) | 0) % n;
    if ((i - n / 2) ** 2 + (j - n / 2) ** 2 < 100) power[c] = 1e9;
  }
  const boundaries = { ...uniformBoundaries({ type: "convection", hWPerM2K: 10, ambientK: 300 }), zMin: { type: "fixed", temperatureK: 300 } } as const;
  const rows: ThermalBenchRow[] = [];
  for (const [factor, stepsPerSample] of [[10, 4], [1000, 1]] as const) {
    const solver = new HeatSolver(grid, props, boundaries, 300);
    const dt = factor * solver.explicitStepLimitS();
    let iterations = 0;
    let steps = 0;
    const bench = new Bench({ time: 1, iterations: 3, warmup: false });
    const name = `HeatSolver.step 128^3, dt = ${factor}x explicit limit, ${stepsPerSample} step${stepsPerSample > 1 ? "s" : ""}`;
    bench.add(name, () => {
      for (let s = 0; s < stepsPerSample; s++) {
        solver.step(dt, power);
        iterations += solver.lastIterations;
        steps++;
      }
    });
    await bench.run();
    const r = bench.tasks[0]!.result;
    if (r.state !== "completed") throw new Error(`${name}: ${r.state}`);
    rows.push({
      name,
      medianMs: r.latency.p50,
      samples: r.latency.samplesCount,
      stepsPerSecond: (stepsPerSample * 1000) / r.latency.p50,
      meanIterations: iterations / steps,
    });
  }
  return rows;
}

if (process.argv[1]?.endsWith("thermal.bench.js")) {
  for (const r of await benchThermal()) {
    console.log(`${r.name}: median ${r.medianMs.toFixed(0)} ms (${r.samples} samples), ${r.stepsPerSecond.toFixed(2)} steps/s, ${r.meanIterations.toFixed(1)} CG iterations/step`);
  }
}
