import { test } from "uvu";
import * as assert from "uvu/assert";
import { binaryClose, binaryDilate, binaryErode, binaryOpen } from "../../src/segmentation/morphology.js";
import type { VolumeShape } from "../../src/segmentation/shape.js";

function box(mask: Uint8Array, s: VolumeShape, lo: [number, number, number], hi: [number, number, number], value = 1): void {
  for (let k = lo[2]; k <= hi[2]; k++) for (let j = lo[1]; j <= hi[1]; j++) for (let i = lo[0]; i <= hi[0]; i++) mask[i + s.nx * (j + s.ny * k)] = value;
}
const sum = (a: Uint8Array): number => a.reduce((t, v) => t + v, 0);
const mismatches = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let n = 0;
  for (let p = 0; p < a.length; p++) if (a[p] !== b[p]) n++;
  return n;
};

test("dilating one voxel by a ball: 123 voxels for r = 3 (lattice points with |d|^2 <= 9), 33 for r = 2, 19 for r = sqrt 2", () => {
  const s = { nx: 11, ny: 11, nz: 11 };
  const m = new Uint8Array(1331);
  m[5 + 11 * (5 + 11 * 5)] = 1;
  assert.is(sum(binaryDilate(m, s, 3)), 123);
  assert.is(sum(binaryDilate(m, s, 2)), 33);
  assert.is(sum(binaryDilate(m, s, Math.SQRT2)), 19);
  // and the ball is the set |d| <= r, voxel by voxel
  const ball = binaryDilate(m, s, 3);
  for (let p = 0; p < 1331; p++) {
    const i = (p % 11) - 5, j = (Math.floor(p / 11) % 11) - 5, k = Math.floor(p / 121) - 5;
    assert.is(ball[p], i * i + j * j + k * k <= 9 ? 1 : 0);
  }
});

test("opening removes an isolated voxel and rounds a cube to erosion (5^3) + cross = 275 voxels", () => {
  const s = { nx: 16, ny: 12, nz: 12 };
  const m = new Uint8Array(16 * 12 * 12);
  box(m, s, [2, 2, 2], [8, 8, 8]);
  m[13 + 16 * (5 + 12 * 5)] = 1;
  const opened = binaryOpen(m, s, 1);
  assert.is(opened[13 + 16 * (5 + 12 * 5)], 0);
  assert.is(sum(opened), 125 + 6 * 25);
  assert.is(sum(binaryErode(m, s, 1)), 125);
});

test("closing fills a one-voxel gap between two blocks, except along its rim where the ball fits", () => {
  const s = { nx: 13, ny: 12, nz: 12 };
  const m = new Uint8Array(13 * 12 * 12);
  box(m, s, [2, 2, 2], [5, 9, 9]);
  box(m, s, [7, 2, 2], [10, 9, 9]);
  const closed = binaryClose(m, s, 1);
  // A radius-1 ball (the 6-neighbour cross) centred just outside the blocks at y = 1 still
  // reaches the gap voxel at y = 2, so the gap fills only where y, z are 3..8: 6 x 6 voxels.
  const expected = m.slice();
  box(expected, s, [6, 3, 3], [6, 8, 8]);
  assert.is(mismatches(closed, expected), 0);
  assert.is(sum(closed), 2 * 4 * 8 * 8 + 36);
  // Closing is extensive: every voxel of the mask stays, here with a radius-2 ball.
  const closed2 = binaryClose(m, s, 2);
  for (let p = 0; p < m.length; p++) if (m[p] === 1) assert.is(closed2[p], 1);
});

test("erosion does not eat in from the volume's faces; anisotropic spacing; bad radius", () => {
  const s = { nx: 6, ny: 6, nz: 6 };
  const full = new Uint8Array(216).fill(1);
  assert.is(sum(binaryErode(full, s, 2)), 216);
  // With spacing 2 along z, a radius of 1.5 reaches the x and y neighbours only.
  const m = new Uint8Array(216);
  m[2 + 6 * (2 + 6 * 2)] = 1;
  assert.is(sum(binaryDilate(m, s, 1.5, { spacing: [1, 1, 2] })), 9);
  assert.throws(() => binaryDilate(m, s, -1), RangeError);
});

test.run();
