/**
 * The back-projector is the exact transpose of the forward projector: <A x, y> = <x, A^T y>
 * for random x, y in every geometry, including rays lying in grid planes (weights 0.5);
 * a single ray back-projects its chords, which sum to the ray's length inside the grid.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  coneBeamGeometry,
  equalAngles,
  laminographyGeometry,
  parallelBeamGeometry,
  type ProjectionGeometry,
  projectionCount,
} from "../../src/acquisition/geometry.js";
import { projectAll, projectOne } from "../../src/acquisition/projector.js";
import type { VolumeGrid } from "../../src/core/grid.js";
import { backprojectAll, backprojectOne } from "../../src/reconstruction/backprojector.js";
import { lcg } from "../acquisition/helpers.js";

const S = 1e-5; // 10 um voxels
const GRID: VolumeGrid = { nx: 16, ny: 16, nz: 16, voxelSizeM: S };
const ANGLES = equalAngles(12, Math.PI);

function randomArray(n: number, seed: number): Float32Array {
  const rand = lcg(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rand();
  return a;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Relative mismatch |<A x, y> - <x, A^T y>| / <A x, y> for random positive x, y. */
function adjointMismatch(geometry: ProjectionGeometry, grid: VolumeGrid, seed: number): { lhs: number; rel: number } {
  const n = grid.nx * grid.ny * grid.nz;
  const m = projectionCount(geometry) * geometry.rows * geometry.cols;
  const x = randomArray(n, seed);
  const y = randomArray(m, seed + 1);
  const lhs = dot(projectAll(x, grid, geometry), y);
  const rhs = dot(x, backprojectAll(y, grid, geometry));
  return { lhs, rel: Math.abs(lhs - rhs) / Math.abs(lhs) };
}

const cases: [string, ProjectionGeometry][] = [
  ["parallel", parallelBeamGeometry({ anglesRad: ANGLES, rows: 16, cols: 16, pixelSizeM: 1.5 * S })],
  // 15 columns on a 16-voxel grid: at 0 and 90 degrees rays lie in the x = const or
  // y = const grid planes and are split into two half-weight sub-rays.
  ["parallel, rays in grid planes", parallelBeamGeometry({ anglesRad: ANGLES, rows: 15, cols: 15, pixelSizeM: S })],
  ["cone", coneBeamGeometry({ anglesRad: ANGLES, rows: 16, cols: 16, pixelSizeM: 3 * S, sourceObjectM: 40 * S, sourceDetectorM: 80 * S })],
  ["laminography 30 deg", laminographyGeometry({ anglesRad: ANGLES, rows: 16, cols: 16, pixelSizeM: 1.5 * S, tiltRad: Math.PI / 6 })],
];

for (const [name, geometry] of cases) {
  test(`adjoint: <A x, y> = <x, A^T y> to 1e-6 (${name}, 16^3, 16x16, 12 angles)`, () => {
    const { lhs, rel } = adjointMismatch(geometry, GRID, 7);
    assert.ok(lhs > 0, "the scan must see the volume");
    assert.ok(rel < 1e-6, `${name}: relative mismatch ${rel.toExponential(2)}`);
  });
}

test("adjoint holds on a non-cubic grid with a cone beam that clips the volume", () => {
  const grid: VolumeGrid = { nx: 12, ny: 9, nz: 7, voxelSizeM: S };
  // A small detector: the cone sees part of the grid, and some rays start inside it.
  const geometry = coneBeamGeometry({ anglesRad: equalAngles(7, 2 * Math.PI), rows: 5, cols: 6, pixelSizeM: 2 * S, sourceObjectM: 5 * S, sourceDetectorM: 20 * S });
  const { lhs, rel } = adjointMismatch(geometry, grid, 11);
  assert.ok(lhs > 0);
  assert.ok(rel < 1e-6, `relative mismatch ${rel.toExponential(2)}`);
});

test("one ray through the centre back-projects its chords: they sum to the grid's width", () => {
  // 16 columns of pitch S at theta = 0: ray (row 7, col 7) runs along -y at x = -S/2,
  // z = -S/2, crossing all 16 voxels of one y column over S each.
  const geometry = parallelBeamGeometry({ anglesRad: [0], rows: 16, cols: 16, pixelSizeM: S });
  const projection = new Float32Array(256);
  projection[7 * 16 + 7] = 2;
  const volume = new Float32Array(16 ** 3);
  backprojectOne(projection, GRID, geometry, 0, volume);
  let total = 0;
  let touched = 0;
  for (let v = 0; v < volume.length; v++) {
    if (volume[v] !== 0) {
      touched++;
      total += volume[v]!;
      const i = v % 16, k = Math.floor(v / 256);
      assert.is(i, 7);
      assert.is(k, 7);
      assert.ok(Math.abs(volume[v]! - 2 * S) < 1e-6 * S);
    }
  }
  assert.is(touched, 16);
  assert.ok(Math.abs(total - 2 * 16 * S) < 1e-6 * 32 * S);
});

test("backprojectOne adds to the volume; backprojectAll overwrites it", () => {
  const geometry = parallelBeamGeometry({ anglesRad: ANGLES, rows: 16, cols: 16, pixelSizeM: S });
  const y = randomArray(12 * 256, 3);
  const once = backprojectAll(y, GRID, geometry);
  const twice = new Float32Array(once.length);
  for (let p = 0; p < 12; p++) backprojectOne(y.subarray(p * 256, (p + 1) * 256), GRID, geometry, p, twice);
  for (let p = 0; p < 12; p++) backprojectOne(y.subarray(p * 256, (p + 1) * 256), GRID, geometry, p, twice);
  for (let v = 0; v < once.length; v++) assert.ok(Math.abs(twice[v]! - 2 * once[v]!) <= 1e-5 * once[v]! + 1e-12);
  const reused = new Float32Array(once.length).fill(5);
  backprojectAll(y, GRID, geometry, reused);
  assert.equal(reused, once);
});

test("per projection, backprojectOne is the transpose of projectOne", () => {
  const geometry = coneBeamGeometry({ anglesRad: ANGLES, rows: 16, cols: 16, pixelSizeM: 3 * S, sourceObjectM: 40 * S, sourceDetectorM: 80 * S });
  const x = randomArray(16 ** 3, 21);
  const y = randomArray(256, 22);
  const ax = new Float32Array(256);
  const aty = new Float32Array(16 ** 3);
  projectOne(x, GRID, geometry, 5, ax);
  backprojectOne(y, GRID, geometry, 5, aty);
  const lhs = dot(ax, y);
  assert.ok(Math.abs(lhs - dot(x, aty)) < 1e-6 * lhs);
});

test("bad input: wrong sizes and projection index are RangeErrors", () => {
  const geometry = parallelBeamGeometry({ anglesRad: ANGLES, rows: 16, cols: 16, pixelSizeM: S });
  const vol = new Float32Array(16 ** 3);
  assert.throws(() => backprojectOne(new Float32Array(255), GRID, geometry, 0, vol), (e: unknown) => e instanceof RangeError && /projection holds 255/.test(e.message));
  assert.throws(() => backprojectOne(new Float32Array(256), GRID, geometry, 0, new Float32Array(10)), (e: unknown) => e instanceof RangeError && /volume has 10/.test(e.message));
  assert.throws(() => backprojectOne(new Float32Array(256), GRID, geometry, 12, vol), (e: unknown) => e instanceof RangeError && /out of range/.test(e.message));
  assert.throws(() => backprojectAll(new Float32Array(256), GRID, geometry), (e: unknown) => e instanceof RangeError && /needs 3072/.test(e.message));
});

test.run();
