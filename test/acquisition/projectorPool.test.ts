import { test } from "uvu";
import * as assert from "uvu/assert";
import { type VolumeGrid, voxelCount } from "../../src/core/grid.js";
import { equalAngles, goldenAngles, parallelBeamGeometry, type ProjectionGeometry } from "../../src/acquisition/geometry.js";
import { projectAll } from "../../src/acquisition/projector.js";
import { createProjectorPool, sharedVolume, workerPoolProjector } from "../../src/acquisition/projectorPool.js";
import { lcg } from "./helpers.js";

const GRID: VolumeGrid = { nx: 24, ny: 20, nz: 10, voxelSizeM: 1e-5 };

function randomVolume(into?: Float32Array): Float32Array {
  const r = lcg(3);
  const v = into ?? new Float32Array(voxelCount(GRID));
  for (let i = 0; i < v.length; i++) v[i] = r() * 100;
  return v;
}

const GEOMETRY: ProjectionGeometry = parallelBeamGeometry({
  anglesRad: goldenAngles(23, Math.PI),
  rows: 12,
  cols: 33,
  pixelSizeM: 0.9e-5,
  centerOffsetPx: 0.3,
});

test("pool: projections arrive in order and are bit-identical to the single-threaded projector", async () => {
  const volume = randomVolume();
  const reference = projectAll(volume, GRID, GEOMETRY);
  const pool = createProjectorPool(volume, GRID, { workers: 3 });
  try {
    const size = GEOMETRY.rows * GEOMETRY.cols;
    let expectedIndex = 0;
    for await (const { index, data } of pool.project(GEOMETRY, { maxBuffered: 4 })) {
      assert.is(index, expectedIndex++);
      assert.equal(data, reference.subarray(index * size, (index + 1) * size), `projection ${index}`);
    }
    assert.is(expectedIndex, 23);
    // A second scan on the same pool, collected as a stack.
    assert.equal(await pool.projectAll(GEOMETRY), reference);
  } finally {
    await pool.close();
  }
});

test("pool: a shared volume is used without a copy; early break, per-index requests, errors, close", async () => {
  const volume = randomVolume(sharedVolume(GRID));
  const pool = createProjectorPool(volume, GRID, { workers: 2 });
  try {
    const size = GEOMETRY.rows * GEOMETRY.cols;
    const reference = projectAll(volume, GRID, GEOMETRY);
    // Stop after three projections: the pool must be usable again at once.
    let seen = 0;
    for await (const { index } of pool.project(GEOMETRY)) {
      if (++seen === 3) break;
      assert.ok(index < 3);
    }
    const cone: ProjectionGeometry = { type: "cone_vec", rows: 4, cols: 5, vectors: Float64Array.of(0, -1, 0, 0, 1, 0, 1e-5, 0, 0, 0, 0, 1e-5) };
    const [p5, p0, c0] = await Promise.all([pool.projectOne(GEOMETRY, 5), pool.projectOne(GEOMETRY, 0), pool.projectOne(cone, 0)]);
    assert.equal(p5, reference.subarray(5 * size, 6 * size));
    assert.equal(p0, reference.subarray(0, size));
    assert.equal(c0, projectAll(volume, GRID, cone));
    let rejected = false;
    await pool.projectOne(GEOMETRY, 99).catch(() => (rejected = true));
    assert.ok(rejected, "an index out of range is rejected");
  } finally {
    await pool.close();
  }
  let closed = false;
  await pool.projectOne(GEOMETRY, 0).catch((e: Error) => (closed = /closed/.test(e.message)));
  assert.ok(closed, "a closed pool refuses work");
});

test("workerPoolProjector: the engine-facing factory gives the same projections", async () => {
  const volume = randomVolume();
  const geometry = parallelBeamGeometry({ anglesRad: equalAngles(6, Math.PI), rows: 5, cols: 30, pixelSizeM: 1e-5 });
  const reference = projectAll(volume, GRID, geometry);
  const projector = workerPoolProjector(2)(volume, GRID, geometry);
  try {
    // Small projections travel in runs of two here (batchSize); asked for out of order.
    const order = [5, 0, 3, 1, 4, 2];
    const all = await Promise.all(order.map((i) => projector.project(i)));
    all.forEach((data, k) => assert.equal(data, reference.subarray(order[k]! * 150, (order[k]! + 1) * 150)));
  } finally {
    projector.close();
  }
});

test("batch size: about 65,536 pixels per job, at most 64 projections, two jobs per worker at least", async () => {
  const { batchSize } = await import("../../src/acquisition/projectorPool.js");
  assert.is(batchSize(256 * 256, 360, 2), 1);
  assert.is(batchSize(32 * 128, 180, 2), 16);
  assert.is(batchSize(10, 1000, 2), 64);
  assert.is(batchSize(150, 6, 2), 2);
  assert.is(batchSize(150, 1, 8), 1);
});

test("path-length pool (polychromatic beams): per-class path lengths bit-identical to projectPathLengths", async () => {
  const { workerPoolPathProjector } = await import("../../src/acquisition/projectorPool.js");
  const { projectPathLengths } = await import("../../src/acquisition/polychromatic.js");
  const n = voxelCount(GRID);
  const r = lcg(9);
  const labels = Uint8Array.from({ length: n }, () => Math.floor(r() * 3));
  const secondary = Uint8Array.from({ length: n }, () => Math.floor(r() * 3));
  const primaryFraction = Float32Array.from({ length: n }, () => 0.5 + 0.5 * r());
  const volume = { grid: GRID, classNames: ["air", "LP30", "NMC811"], labels, secondary, primaryFraction };
  const projector = workerPoolPathProjector(2)(volume, GRID, GEOMETRY);
  try {
    for (const index of [0, 7, 22]) {
      const expected = new Float32Array(3 * GEOMETRY.rows * GEOMETRY.cols);
      projectPathLengths(volume, GRID, GEOMETRY, index, expected);
      assert.equal(await projector.project(index), expected);
    }
  } finally {
    projector.close();
  }
});

test.run();
