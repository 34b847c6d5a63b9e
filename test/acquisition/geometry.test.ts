import { test } from "uvu";
import * as assert from "uvu/assert";
import { type VolumeGrid, voxelCount, voxelIndex } from "../../src/core/grid.js";
import {
  equalAngles,
  goldenAngles,
  parallelBeamGeometry,
  pixelCentre,
  pixelRay,
  projectionCount,
  type ProjectionGeometry,
} from "../../src/acquisition/geometry.js";
import { projectAll, projectOne } from "../../src/acquisition/projector.js";
import { lcg } from "./helpers.js";

const DEG = Math.PI / 180;

function close(actual: number, expected: number, tol: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${label}: got ${actual}, expected ${expected}`);
}

test("parallelBeamGeometry follows ASTRA's parallel3d vectors, exact at multiples of 90 degrees", () => {
  const g = parallelBeamGeometry({ anglesRad: [0, 90 * DEG, 30 * DEG], rows: 4, cols: 6, pixelSizeM: 2e-6, centerOffsetPx: 1.5 });
  assert.is(g.type, "parallel3d_vec");
  assert.is(projectionCount(g), 3);
  // theta = 0: r = (0, -1, 0), u = s (1, 0, 0), v = s (0, 0, 1), d = 1.5 u.
  assert.equal(Array.from(g.vectors.subarray(0, 12)), [0, -1, 0, 3e-6, 0, 0, 2e-6, 0, 0, 0, 0, 2e-6]);
  // theta = 90 deg: r = (1, 0, 0), u = s (0, 1, 0): cos(pi/2) rounding removed.
  assert.equal(Array.from(g.vectors.subarray(12, 24)), [1, 0, 0, 0, 3e-6, 0, 0, 2e-6, 0, 0, 0, 2e-6]);
  const t = 30 * DEG;
  const v30 = g.vectors.subarray(24, 36);
  const want = [Math.sin(t), -Math.cos(t), 0, 3e-6 * Math.cos(t), 3e-6 * Math.sin(t), 0, 2e-6 * Math.cos(t), 2e-6 * Math.sin(t), 0, 0, 0, 2e-6];
  want.forEach((w, i) => close(v30[i]!, w, 1e-18, `component ${i}`));
  assert.throws(() => parallelBeamGeometry({ anglesRad: [0], rows: 0, cols: 4, pixelSizeM: 1 }), /rows/);
  assert.throws(() => parallelBeamGeometry({ anglesRad: [0], rows: 1, cols: 4, pixelSizeM: 0 }), /pixel size/);
});

test("pixel centres: d + (c - (cols-1)/2) u + (r - (rows-1)/2) v; pixelRay for both beam types", () => {
  const g = parallelBeamGeometry({ anglesRad: [0], rows: 3, cols: 4, pixelSizeM: 1 });
  const out = new Float64Array(6);
  pixelCentre(g, 0, 0, 0, out);
  assert.equal(Array.from(out.subarray(0, 3)), [-1.5, 0, -1]);
  pixelCentre(g, 0, 2, 3, out);
  assert.equal(Array.from(out.subarray(0, 3)), [1.5, 0, 1]);
  assert.is(pixelRay(g, 0, 1, 2, out), 0);
  assert.equal(Array.from(out), [0.5, 0, 0, 0, -1, 0]);

  const cone: ProjectionGeometry = { type: "cone_vec", rows: 1, cols: 1, vectors: Float64Array.of(0, -3, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1) };
  const len = pixelRay(cone, 0, 0, 0, out);
  assert.is(len, 4);
  assert.equal(Array.from(out), [0, -3, 0, 0, 1, 0]);
});

test("equalAngles: n angles from 0, range/n apart, endpoint excluded", () => {
  assert.equal(Array.from(equalAngles(4, 180)), [0, 45, 90, 135]);
  const a = equalAngles(1800, Math.PI);
  close(a[1799]!, Math.PI * (1799 / 1800), 1e-15, "last");
  assert.is(equalAngles(0, 1).length, 0);
  assert.throws(() => equalAngles(-1, 1), /angles/);
  assert.throws(() => equalAngles(3, 0), /range/);
});

test("goldenAngles: theta_k = (k range (sqrt5 - 1)/2) mod range (Köhler 2004)", () => {
  const phi = (Math.sqrt(5) - 1) / 2;
  const a = goldenAngles(6, 180);
  const want = [0, 1, 2, 3, 4, 5].map((k) => (k * 180 * phi) % 180);
  want.forEach((w, k) => close(a[k]!, w, 1e-9, `theta_${k}`));
  close(a[1]!, 111.24611797498107, 1e-9, "theta_1 = 180 x 0.618...");
  // n golden angles split the range into gaps of at most three lengths (three-gap theorem),
  // successive lengths in ratio phi, so the largest gap is below phi^2 range / n = 2.618 range / n.
  const n = 100;
  const sorted = Array.from(goldenAngles(n, Math.PI)).sort((x, y) => x - y);
  let maxGap = Math.PI - sorted[n - 1]! + sorted[0]!;
  for (let i = 1; i < n; i++) maxGap = Math.max(maxGap, sorted[i]! - sorted[i - 1]!);
  assert.ok(maxGap < (2.62 * Math.PI) / n, `largest gap ${maxGap}`);
  assert.ok(goldenAngles(1000, Math.PI).every((t) => t >= 0 && t < Math.PI));
});

test("conservation: a projection of a uniform volume sums to mu V / pixel area", () => {
  // Uniform cube of mu = 2/m, n^3 voxels of s, pixels = voxels, detector wide enough.
  // At multiples of 90 degrees the sum is exact. Elsewhere one ray per pixel centre is the
  // midpoint rule applied to the trapezoidal chord profile of each slice, with slope changes
  // summing to 4 / (|cos t sin t|) and a midpoint error of at most s^2/12 per unit slope
  // change, so the relative error is at most 2 s^2 / (3 L^2 |sin 2t|), with L = n s.
  for (const n of [16, 17]) {
    const s = 1e-3;
    const nz = 5;
    const grid: VolumeGrid = { nx: n, ny: n, nz, voxelSizeM: s };
    const mu = 2;
    const vol = new Float32Array(voxelCount(grid)).fill(mu);
    const cols = Math.ceil(n * Math.SQRT2) + 2;
    const anglesDeg = [0, 90, 180, 270, 10, 30, 45, 77, 123, 200];
    const g = parallelBeamGeometry({ anglesRad: anglesDeg.map((a) => a * DEG), rows: nz, cols, pixelSizeM: s });
    const stack = projectAll(vol, grid, g);
    const exact = (mu * voxelCount(grid) * s ** 3) / (s * s);
    anglesDeg.forEach((deg, p) => {
      let sum = 0;
      for (let i = p * nz * cols; i < (p + 1) * nz * cols; i++) sum += stack[i]!;
      const rel = Math.abs(sum / exact - 1);
      const bound = deg % 90 === 0 ? 1e-6 : 2 / (3 * n * n * Math.abs(Math.sin(2 * deg * DEG))) + 1e-6;
      assert.ok(rel <= bound, `n = ${n}, ${deg} deg: relative error ${rel.toExponential(2)} > ${bound.toExponential(2)}`);
    });
  }
});

/** A volume symmetric under x -> -x and y -> -y, random otherwise. */
function mirroredVolume(grid: VolumeGrid, seed: number): Float32Array {
  const r = lcg(seed);
  const vol = new Float32Array(voxelCount(grid));
  for (let k = 0; k < grid.nz; k++) {
    for (let j = 0; j < grid.ny; j++) {
      for (let i = 0; i < grid.nx; i++) {
        const i0 = Math.min(i, grid.nx - 1 - i);
        const j0 = Math.min(j, grid.ny - 1 - j);
        if (i === i0 && j === j0) vol[voxelIndex(grid, i, j, k)] = r();
      }
    }
  }
  for (let k = 0; k < grid.nz; k++) {
    for (let j = 0; j < grid.ny; j++) {
      for (let i = 0; i < grid.nx; i++) {
        const i0 = Math.min(i, grid.nx - 1 - i);
        const j0 = Math.min(j, grid.ny - 1 - j);
        vol[voxelIndex(grid, i, j, k)] = vol[voxelIndex(grid, i0, j0, k)]!;
      }
    }
  }
  return vol;
}

test("symmetry: a centred mirror-symmetric volume projects symmetrically about column (cols-1)/2", () => {
  // Every parity combination of grid and detector, pixel = voxel and pixel != voxel.
  for (const [nx, ny, cols, pixel] of [[12, 10, 20, 1], [11, 9, 19, 1], [12, 9, 19, 1], [11, 10, 16, 1], [12, 10, 17, 0.7]] as const) {
    const grid: VolumeGrid = { nx, ny, nz: 3, voxelSizeM: 1 };
    const vol = mirroredVolume(grid, nx * 100 + cols);
    const g = parallelBeamGeometry({ anglesRad: [0, 90 * DEG, 180 * DEG, 270 * DEG], rows: 3, cols, pixelSizeM: pixel });
    const out = new Float32Array(3 * cols);
    for (let p = 0; p < 4; p++) {
      projectOne(vol, grid, g, p, out);
      let total = 0;
      for (let row = 0; row < 3; row++) {
        for (let c = 0; c < cols; c++) {
          const a = out[row * cols + c]!;
          const b = out[row * cols + cols - 1 - c]!;
          total += a;
          close(a, b, 1e-6 * Math.max(1, Math.abs(a)), `${nx}x${ny}, ${cols} cols, angle ${90 * p}, row ${row}, col ${c}`);
        }
      }
      assert.ok(total > 0);
    }
  }
});

test("a point-like voxel moves across the detector as x cos t + y sin t (rows along +z)", () => {
  // 33^3 grid: voxel centres at integer multiples of s. Voxel at x = +5 s, y = +3 s, z = -2 s.
  const n = 33;
  const s = 1e-6;
  const grid: VolumeGrid = { nx: n, ny: n, nz: n, voxelSizeM: s };
  const vol = new Float32Array(voxelCount(grid));
  vol[voxelIndex(grid, 16 + 5, 16 + 3, 16 - 2)] = 1;
  const cols = 33;
  const rows = 33;
  const angles = [0, 90, 180, 270, 37];
  const g = parallelBeamGeometry({ anglesRad: angles.map((a) => a * DEG), rows, cols, pixelSizeM: s });
  const out = new Float32Array(rows * cols);
  for (let p = 0; p < angles.length; p++) {
    projectOne(vol, grid, g, p, out);
    let best = 0;
    for (let i = 1; i < out.length; i++) if (out[i]! > out[best]!) best = i;
    const t = angles[p]! * DEG;
    const expectedCol = (cols - 1) / 2 + 5 * Math.cos(t) + 3 * Math.sin(t);
    assert.is(Math.floor(best / cols), (rows - 1) / 2 - 2, `row of the maximum at ${angles[p]} deg`);
    if (angles[p]! % 90 === 0) {
      assert.is(best % cols, Math.round(expectedCol), `column of the maximum at ${angles[p]} deg`);
      close(out[best]!, s, 1e-12, `a voxel's chord at ${angles[p]} deg`);
    } else {
      assert.ok(Math.abs((best % cols) - expectedCol) <= 1, `column of the maximum at ${angles[p]} deg: ${best % cols} vs ${expectedCol}`);
    }
  }
  // Expected columns spelled out: 0 deg -> 21, 90 -> 19, 180 -> 11, 270 -> 13.
  projectOne(vol, grid, g, 1, out);
  close(out[14 * cols + 19]!, s, 1e-12, "90 deg: row 14, column 19");
});

test("centerOffsetPx moves the rotation axis to column (cols-1)/2 - offset", () => {
  const grid: VolumeGrid = { nx: 9, ny: 9, nz: 1, voxelSizeM: 1 };
  const vol = new Float32Array(81);
  vol[voxelIndex(grid, 4, 4, 0)] = 1; // on the axis
  const g = parallelBeamGeometry({ anglesRad: [0, 1.1, 2.5], rows: 1, cols: 15, pixelSizeM: 1, centerOffsetPx: 3 });
  const out = new Float32Array(15);
  for (let p = 0; p < 3; p++) {
    projectOne(vol, grid, g, p, out);
    let best = 0;
    for (let i = 1; i < 15; i++) if (out[i]! > out[best]!) best = i;
    assert.is(best, 7 - 3, `projection ${p}`);
  }
});

test.run();
