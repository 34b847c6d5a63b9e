import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRandom } from "../../src/core/random.js";
import { fillHoles, labelComponents, removeSmallLabels, removeSmallObjects } from "../../src/segmentation/labelling.js";
import type { Connectivity, VolumeShape } from "../../src/segmentation/shape.js";

function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0;
  for (let p = 0; p < a.length; p++) if (a[p] !== b[p]) n++;
  return n;
}

function box(mask: Uint8Array, s: VolumeShape, lo: [number, number, number], hi: [number, number, number], value = 1): void {
  for (let k = lo[2]; k <= hi[2]; k++) for (let j = lo[1]; j <= hi[1]; j++) for (let i = lo[0]; i <= hi[0]; i++) mask[i + s.nx * (j + s.ny * k)] = value;
}

test("cubes touching at a corner: 2 components with 6 or 18 neighbours, 1 with 26", () => {
  const s = { nx: 10, ny: 10, nz: 10 };
  const m = new Uint8Array(1000);
  box(m, s, [1, 1, 1], [3, 3, 3]);
  box(m, s, [4, 4, 4], [6, 6, 6]);
  assert.is(labelComponents(m, s, { connectivity: 6 }).count, 2);
  assert.is(labelComponents(m, s, { connectivity: 18 }).count, 2);
  const c26 = labelComponents(m, s, { connectivity: 26 });
  assert.is(c26.count, 1);
  assert.is(c26.sizes[1], 54);
  assert.is(c26.sizes[0], 1000 - 54);
});

test("cubes sharing an edge: 2 components with 6 neighbours, 1 with 18", () => {
  const s = { nx: 10, ny: 10, nz: 10 };
  const m = new Uint8Array(1000);
  box(m, s, [1, 1, 1], [3, 3, 3]);
  box(m, s, [4, 4, 1], [6, 6, 3]);
  assert.is(labelComponents(m, s, { connectivity: 6 }).count, 2);
  assert.is(labelComponents(m, s, { connectivity: 18 }).count, 1);
});

test("labels run 1..N in raster order of first voxel, with sizes", () => {
  const s = { nx: 8, ny: 8, nz: 4 };
  const m = new Uint8Array(256);
  box(m, s, [5, 0, 0], [6, 1, 0]); // first voxel at raster index 5
  box(m, s, [0, 3, 0], [1, 3, 3]); // first voxel at raster index 24
  box(m, s, [4, 6, 2], [4, 6, 2]); // a single voxel, later
  const c = labelComponents(m, s);
  assert.is(c.count, 3);
  assert.is(c.labels[5], 1);
  assert.is(c.labels[24], 2);
  assert.is(c.labels[4 + 8 * (6 + 8 * 2)], 3);
  assert.equal(Array.from(c.sizes), [256 - 4 - 8 - 1, 4, 8, 1]);
});

test("a class map labels each class's patches apart", () => {
  const s = { nx: 6, ny: 1, nz: 1 };
  const c = labelComponents(Uint8Array.from([1, 1, 2, 2, 1, 0]), s);
  assert.is(c.count, 3);
  assert.equal(Array.from(c.labels), [1, 1, 2, 2, 3, 0]);
});

test("2-D checkerboard: every square alone with 4 neighbours, one component with 8", () => {
  const s = { nx: 6, ny: 6, nz: 1 };
  const m = new Uint8Array(36);
  for (let j = 0; j < 6; j++) for (let i = 0; i < 6; i++) m[i + 6 * j] = (i + j) % 2;
  assert.is(labelComponents(m, s, { connectivity: 4 }).count, 18);
  assert.is(labelComponents(m, s, { connectivity: 8 }).count, 1);
  assert.throws(() => labelComponents(new Uint8Array(8), { nx: 2, ny: 2, nz: 2 }, { connectivity: 4 }), RangeError);
});

/** Reference labelling: breadth-first flood fill from each unlabelled voxel in raster order. */
function floodLabels(m: Uint8Array, s: VolumeShape, connectivity: Connectivity): Int32Array {
  const labels = new Int32Array(m.length);
  let next = 0;
  const maxNonZero = connectivity === 6 ? 1 : connectivity === 18 ? 2 : 3;
  for (let start = 0; start < m.length; start++) {
    if (m[start] === 0 || labels[start] !== 0) continue;
    labels[start] = ++next;
    const stack = [start];
    while (stack.length > 0) {
      const p = stack.pop()!;
      const i = p % s.nx, j = Math.floor(p / s.nx) % s.ny, k = Math.floor(p / (s.nx * s.ny));
      for (let c = -1; c <= 1; c++) for (let b = -1; b <= 1; b++) for (let a = -1; a <= 1; a++) {
        const nz = Math.abs(a) + Math.abs(b) + Math.abs(c);
        if (nz === 0 || nz > maxNonZero) continue;
        const x = i + a, y = j + b, z = k + c;
        if (x < 0 || y < 0 || z < 0 || x >= s.nx || y >= s.ny || z >= s.nz) continue;
        const q = x + s.nx * (y + s.ny * z);
        if (m[q] !== 0 && labels[q] === 0) {
          labels[q] = next;
          stack.push(q);
        }
      }
    }
  }
  return labels;
}

test("random masks: identical to a flood-fill labelling for 6, 18 and 26 neighbours", () => {
  const s = { nx: 17, ny: 13, nz: 11 };
  const rng = createRandom(7);
  const m = new Uint8Array(17 * 13 * 11);
  for (let p = 0; p < m.length; p++) m[p] = rng.next() < 0.3 ? 1 : 0;
  for (const connectivity of [6, 18, 26] as const) {
    const ours = labelComponents(m, s, { connectivity });
    const reference = floodLabels(m, s, connectivity);
    assert.is(ours.count, Math.max(...reference), `connectivity ${connectivity}`);
    assert.is(mismatches(ours.labels, reference), 0, `connectivity ${connectivity}`);
  }
});

test("removeSmallObjects drops the single voxel and keeps the cube; removeSmallLabels renumbers", () => {
  const s = { nx: 10, ny: 10, nz: 10 };
  const m = new Uint8Array(1000);
  box(m, s, [0, 0, 0], [0, 0, 0]);
  box(m, s, [3, 3, 3], [6, 6, 6], 2);
  const cleaned = removeSmallObjects(m, s, 2);
  assert.is(cleaned[0], 0);
  assert.is(cleaned.reduce((a, v) => a + v, 0), 64 * 2);
  const c = labelComponents(m, s);
  const kept = removeSmallLabels(c.labels, 2);
  assert.is(kept.count, 1);
  assert.equal(Array.from(kept.sizes), [1000 - 64, 64]);
});

test("fillHoles fills an enclosed cavity but not one open to the border", () => {
  const s = { nx: 9, ny: 9, nz: 9 };
  const shell = new Uint8Array(729);
  box(shell, s, [1, 1, 1], [7, 7, 7]);
  box(shell, s, [3, 3, 3], [5, 5, 5], 0);
  const filled = fillHoles(shell, s);
  assert.is(filled.reduce((a, v) => a + v, 0), 343);
  // Drill a tunnel from the cavity to the volume's face: nothing is a hole any more.
  box(shell, s, [4, 4, 0], [4, 4, 3], 0);
  const open = fillHoles(shell, s);
  assert.is(mismatches(open, shell), 0);
  // 2-D ring (nz = 1): the z axis is not a border.
  const r = { nx: 5, ny: 5, nz: 1 };
  const ring = new Uint8Array(25);
  box(ring, r, [1, 1, 0], [3, 3, 0]);
  ring[12] = 0;
  assert.is(fillHoles(ring, r)[12], 1);
});

test.run();
