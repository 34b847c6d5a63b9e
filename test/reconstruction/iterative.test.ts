/**
 * SIRT and CGLS on a noiseless disk phantom (32 x 32 x 4 voxels, mu = 100 /m inside a
 * radius of 11 voxels, projected by projectAll at 48 parallel angles over 180 degrees onto
 * 4 x 48 pixels): convergence, bounds, the three stopping rules, and other geometries.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  coneBeamGeometry,
  equalAngles,
  laminographyGeometry,
  parallelBeamGeometry,
  type ProjectionGeometry,
} from "../../src/acquisition/geometry.js";
import { projectAll } from "../../src/acquisition/projector.js";
import type { VolumeGrid } from "../../src/core/grid.js";
import { createRandom, gaussian } from "../../src/core/random.js";
import { cgls, type IterativeResult, sirt } from "../../src/reconstruction/iterative.js";

const S = 1e-5;
const GRID: VolumeGrid = { nx: 32, ny: 32, nz: 4, voxelSizeM: S };
const MU = 100;
const RADIUS = 11;

/** Voxelised disk: mu = MU in voxels whose centre is within RADIUS voxels of the z axis. */
function diskPhantom(): Float32Array {
  const x = new Float32Array(32 * 32 * 4);
  for (let k = 0; k < 4; k++) {
    for (let j = 0; j < 32; j++) {
      for (let i = 0; i < 32; i++) {
        const cx = i - 15.5, cy = j - 15.5;
        if (cx * cx + cy * cy <= RADIUS * RADIUS) x[i + 32 * (j + 32 * k)] = MU;
      }
    }
  }
  return x;
}

const TRUTH = diskPhantom();
const PARALLEL = parallelBeamGeometry({ anglesRad: equalAngles(48, Math.PI), rows: 4, cols: 48, pixelSizeM: S });
const DATA = projectAll(TRUTH, GRID, PARALLEL);

/** ||x - truth|| / ||truth||. */
function relativeRmse(x: Float32Array): number {
  let e = 0, t = 0;
  for (let v = 0; v < x.length; v++) {
    e += (x[v]! - TRUTH[v]!) ** 2;
    t += TRUTH[v]! ** 2;
  }
  return Math.sqrt(e / t);
}

function assertNonIncreasing(r: Float64Array, what: string): void {
  for (let k = 1; k < r.length; k++) {
    assert.ok(r[k]! <= r[k - 1]!, `${what}: residual rose at iteration ${k}: ${r[k - 1]} -> ${r[k]}`);
  }
}

/** Iterations until ||b - A x|| <= target, stopping there through the progress callback. */
function iterationsTo(run: typeof sirt | typeof cgls, target: number, extra: object = {}): IterativeResult {
  return run(DATA, PARALLEL, GRID, { maxIterations: 500, onIteration: ({ residualNorm }) => residualNorm > target, ...extra });
}

test("SIRT: residual falls monotonically and 150 iterations reconstruct the disk to < 5 % RMSE", () => {
  const progress: number[] = [];
  const r = sirt(DATA, PARALLEL, GRID, { maxIterations: 150, onIteration: (p) => { progress.push(p.residualNorm); } });
  assert.is(r.iterations, 150);
  assert.is(r.stopReason, "maxIterations");
  assert.is(r.residualNorms.length, 151);
  assert.equal(progress, Array.from(r.residualNorms.subarray(1)));
  assertNonIncreasing(r.residualNorms, "SIRT");
  // From zeros, the starting residual is the data norm.
  let bb = 0;
  for (const b of DATA) bb += b * b;
  assert.ok(Math.abs(r.residualNorms[0]! - Math.sqrt(bb)) < 1e-9 * Math.sqrt(bb));
  assert.ok(r.residualNorms[150]! < 0.01 * r.residualNorms[0]!, `residual fell to ${r.residualNorms[150]! / r.residualNorms[0]!}`);
  const rmse = relativeRmse(r.volume);
  assert.ok(rmse < 0.05, `relative RMSE ${rmse}`); // measured 0.033
  for (const v of r.volume) assert.ok(v >= 0, "SIRT must keep mu >= 0");
});

test("CGLS (unconstrained) has non-increasing residuals and reaches 1 % of the data norm in far fewer iterations than SIRT", () => {
  const plain = cgls(DATA, PARALLEL, GRID, { maxIterations: 20, minValue: -Infinity });
  assertNonIncreasing(plain.residualNorms, "CGLS");
  assert.ok(plain.residualNorms[20]! < 2e-3 * plain.residualNorms[0]!);

  const target = 0.01 * plain.residualNorms[0]!;
  const viaSirt = iterationsTo(sirt, target);
  const viaCgls = iterationsTo(cgls, target, { minValue: -Infinity });
  assert.is(viaSirt.stopReason, "callback");
  assert.is(viaCgls.stopReason, "callback");
  // Measured: SIRT 56 iterations, CGLS 6.
  assert.ok(viaCgls.iterations * 4 < viaSirt.iterations, `CGLS ${viaCgls.iterations} vs SIRT ${viaSirt.iterations} iterations`);
  assert.ok(relativeRmse(viaCgls.volume) < 0.1);
});

test("bounds: CGLS by projection and restart leaves no voxel outside [minValue, maxValue]", () => {
  const plain = cgls(DATA, PARALLEL, GRID, { maxIterations: 15, minValue: -Infinity });
  let negatives = 0;
  for (const v of plain.volume) if (v < 0) negatives++;
  assert.ok(negatives > 100, `unconstrained CGLS should undershoot in the background (got ${negatives} negative voxels)`);

  const bounded = cgls(DATA, PARALLEL, GRID, { maxIterations: 15 });
  for (const v of bounded.volume) assert.ok(v >= 0);
  // The last residual is that of the returned (clipped) volume.
  const ax = projectAll(bounded.volume, GRID, PARALLEL);
  let rr = 0;
  for (let i = 0; i < ax.length; i++) rr += (DATA[i]! - ax[i]!) ** 2;
  assert.ok(Math.abs(Math.sqrt(rr) - bounded.residualNorms[15]!) < 1e-4 * bounded.residualNorms[15]!);
  assert.ok(relativeRmse(bounded.volume) < 0.06);

  const capped = cgls(DATA, PARALLEL, GRID, { maxIterations: 15, restartEvery: 3, maxValue: 0.9 * MU });
  for (const v of capped.volume) assert.ok(v >= 0 && v <= Math.fround(0.9 * MU));
  const cappedSirt = sirt(DATA, PARALLEL, GRID, { maxIterations: 30, maxValue: 0.9 * MU });
  let atCap = 0;
  for (const v of cappedSirt.volume) {
    assert.ok(v >= 0 && v <= Math.fround(0.9 * MU));
    if (v === Math.fround(0.9 * MU)) atCap++;
  }
  assert.ok(atCap > 100, "the cap must bind inside the disk");
});

test("discrepancy principle: noisier data stop earlier, at ||b - A x|| <= sigma sqrt(m)", () => {
  let bMax = 0;
  for (const b of DATA) bMax = Math.max(bMax, b);
  const m = DATA.length;
  const stops: number[] = [];
  for (const fraction of [0.01, 0.03]) {
    const sigma = fraction * bMax;
    const rng = createRandom(5);
    const noisy = DATA.map((b) => b + sigma * gaussian(rng));
    for (const run of [sirt, cgls]) {
      const r = run(noisy, PARALLEL, GRID, { maxIterations: 400, noiseSigma: sigma });
      assert.is(r.stopReason, "discrepancy", `${run.name} at ${fraction}`);
      assert.ok(r.residualNorms[r.iterations]! <= sigma * Math.sqrt(m));
      assert.ok(r.residualNorms[r.iterations - 1]! > sigma * Math.sqrt(m), "stops at the first iterate below the target");
      stops.push(r.iterations);
    }
  }
  // Measured: SIRT 71 -> 28 iterations, CGLS 12 -> 5.
  const [sirtLow, cglsLow, sirtHigh, cglsHigh] = stops as [number, number, number, number];
  assert.ok(sirtHigh < sirtLow, `SIRT: ${sirtLow} then ${sirtHigh}`);
  assert.ok(cglsHigh < cglsLow, `CGLS: ${cglsLow} then ${cglsHigh}`);
  // tau scales the target: a larger tau stops no later.
  const sigma = 0.01 * bMax;
  const rng = createRandom(5);
  const noisy = DATA.map((b) => b + sigma * gaussian(rng));
  const loose = cgls(noisy, PARALLEL, GRID, { maxIterations: 400, noiseSigma: sigma, discrepancyTau: 1.5 });
  assert.ok(loose.iterations < cglsLow, `tau 1.5: ${loose.iterations} iterations`);
});

test("tolerance: stops at the first iteration whose relative residual decrease is below tol", () => {
  const tol = 0.05;
  const r = sirt(DATA, PARALLEL, GRID, { maxIterations: 500, tolerance: tol });
  assert.is(r.stopReason, "tolerance");
  const h = r.residualNorms;
  const k = r.iterations;
  assert.ok((h[k - 1]! - h[k]!) / h[k - 1]! < tol);
  for (let i = 1; i < k; i++) assert.ok((h[i - 1]! - h[i]!) / h[i - 1]! >= tol);
});

test("other geometries: cone beam and 45-degree laminography reconstruct the disk", () => {
  const cases: [string, ProjectionGeometry][] = [
    ["cone", coneBeamGeometry({ anglesRad: equalAngles(48, 2 * Math.PI), rows: 8, cols: 48, pixelSizeM: 1.5 * S, sourceObjectM: 100 * S, sourceDetectorM: 150 * S })],
    ["laminography", laminographyGeometry({ anglesRad: equalAngles(48, 2 * Math.PI), rows: 16, cols: 48, pixelSizeM: S, tiltRad: Math.PI / 4 })],
  ];
  for (const [name, geometry] of cases) {
    const b = projectAll(TRUTH, GRID, geometry);
    const r = cgls(b, geometry, GRID, { maxIterations: 20 });
    // Measured: cone 0.040, laminography 0.012.
    const rmse = relativeRmse(r.volume);
    assert.ok(rmse < 0.06, `${name}: relative RMSE ${rmse}`);
    assert.ok(r.residualNorms[20]! < 0.02 * r.residualNorms[0]!);
  }
});

test("zero data: zero volume at once; an exact start stops before iterating", () => {
  const r = sirt(new Float32Array(DATA.length), PARALLEL, GRID);
  assert.is(r.iterations, 0);
  assert.is(r.stopReason, "exact");
  for (const v of r.volume) assert.is(v, 0);
  const c = cgls(DATA, PARALLEL, GRID, { initial: TRUTH });
  assert.is(c.iterations, 0);
  assert.ok(c.residualNorms[0]! < 1e-6 * Math.hypot(...DATA.subarray(0, 1000)));
});

test("bad input is a RangeError that says what was expected", () => {
  const re = (pattern: RegExp) => (e: unknown) => e instanceof RangeError && pattern.test(e.message);
  assert.throws(() => sirt(DATA.subarray(1), PARALLEL, GRID), re(/projections hold 9215 values.*needs 9216/));
  const bad = DATA.slice();
  bad[3] = NaN;
  assert.throws(() => cgls(bad, PARALLEL, GRID), re(/projection value 3 is not finite/));
  assert.throws(() => sirt(DATA, PARALLEL, GRID, { relaxation: 2 }), re(/relaxation must be in \(0, 2\)/));
  assert.throws(() => sirt(DATA, PARALLEL, GRID, { maxIterations: 1.5 }), re(/maxIterations/));
  assert.throws(() => cgls(DATA, PARALLEL, GRID, { restartEvery: 0 }), re(/restartEvery/));
  assert.throws(() => cgls(DATA, PARALLEL, GRID, { noiseSigma: -1 }), re(/noiseSigma/));
  assert.throws(() => cgls(DATA, PARALLEL, GRID, { discrepancyTau: 2 }), re(/needs noiseSigma/));
  assert.throws(() => sirt(DATA, PARALLEL, GRID, { minValue: 1, maxValue: 1 }), re(/minValue < maxValue/));
  assert.throws(() => sirt(DATA, PARALLEL, GRID, { initial: new Float32Array(5) }), re(/initial volume has 5 voxels/));
});

test.run();
