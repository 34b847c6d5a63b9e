import { test } from "uvu";
import * as assert from "uvu/assert";
import type { VolumeGrid } from "../../../src/core/grid.js";
import {
  connectedComponents, percolatingFractionByClass, percolatingMask, percolation,
} from "../../../src/phantoms/microstructure/percolation.js";

const grid = (nx: number, ny: number, nz: number): VolumeGrid => ({ nx, ny, nz, voxelSizeM: 1e-6 });
const at = (g: VolumeGrid, i: number, j: number, k: number): number => i + g.nx * (j + g.ny * k);
function fillBox(v: Uint8Array, g: VolumeGrid, lo: readonly number[], hi: readonly number[], value: number): number {
  let n = 0;
  for (let k = lo[2]!; k < hi[2]!; k++) for (let j = lo[1]!; j < hi[1]!; j++) for (let i = lo[0]!; i < hi[0]!; i++) {
    v[at(g, i, j, k)] = value;
    n++;
  }
  return n;
}

test("slab spanning z percolates fully; isolated blobs not at all; the matrix around them fully", () => {
  const g = grid(16, 12, 20);
  const labels = new Uint8Array(g.nx * g.ny * g.nz); // 0 = electrolyte
  const slab = fillBox(labels, g, [2, 0, 0], [4, 12, 20], 1); // a wall through all of z
  let blobs = 0;
  for (const [i, j, k] of [[8, 2, 3], [10, 7, 9], [12, 3, 15]] as const) blobs += fillBox(labels, g, [i, j, k], [i + 3, j + 3, k + 3], 2);
  const f = percolatingFractionByClass(labels, g, ["electrolyte", "NMC", "impurity", "unused"]);
  assert.equal(f, { electrolyte: 1, NMC: 1, impurity: 0, unused: 0 });
  // Blobs touching one face only stay non-percolating; one touching both makes its share percolate.
  const bottom = fillBox(labels, g, [6, 9, 0], [8, 11, 4], 2); // touches z = 0 only
  const tall = fillBox(labels, g, [14, 9, 0], [16, 11, 20], 2); // spans z
  const f2 = percolatingFractionByClass(labels, g, ["electrolyte", "NMC", "impurity"]);
  assert.is(f2.impurity, tall / (blobs + bottom + tall));
  assert.is(f2.NMC, 1);
  assert.is(f2.electrolyte, 1);
  assert.is(slab, 2 * 12 * 20);
  // Classes sharing a name are pooled.
  const pooled = percolatingFractionByClass(labels, g, ["electrolyte", "solid", "solid"]);
  assert.ok(pooled.solid! > f2.impurity! && pooled.solid! < 1);
  assert.throws(() => percolatingFractionByClass(labels, g, ["electrolyte", "NMC"]), /label 2/);
});

test("components: counts, sizes, values, touch flags, raster numbering", () => {
  const g = grid(10, 10, 10);
  const mask = new Uint8Array(g.nx * g.ny * g.nz);
  fillBox(mask, g, [0, 0, 0], [2, 2, 2], 1);
  fillBox(mask, g, [5, 5, 3], [8, 6, 10], 1);
  fillBox(mask, g, [0, 8, 8], [1, 9, 9], 1);
  const c = connectedComponents(mask, g, { ignore: 0 });
  assert.is(c.count, 3);
  assert.equal([...c.sizes], [0, 8, 21, 1]);
  assert.equal([...c.touchesZMin], [0, 1, 0, 0]);
  assert.equal([...c.touchesZMax], [0, 0, 1, 0]);
  assert.equal([...c.values], [0, 1, 1, 1]);
  assert.is(c.ids[at(g, 0, 0, 0)], 1);
  assert.is(c.ids[at(g, 9, 9, 9)], 0);
  // Without `ignore` the background is a component too (one, wrapping around the blobs).
  assert.is(connectedComponents(mask, g).count, 4);
});

test("6-connectivity: columns meeting only at an edge or a corner are not connected", () => {
  const g = grid(6, 6, 10);
  const mask = new Uint8Array(g.nx * g.ny * g.nz);
  fillBox(mask, g, [2, 2, 0], [3, 3, 5], 1);
  fillBox(mask, g, [3, 3, 5], [4, 4, 10], 1); // corner contact
  assert.is(percolation(mask, g).percolatingFraction, 0);
  fillBox(mask, g, [2, 3, 4], [3, 4, 6], 5); // a face-connected bridge, value 5 counts as phase
  const p = percolation(mask, g);
  assert.is(p.percolatingFraction, 1);
  assert.is(p.componentCount, 1);
  assert.is(p.phaseVoxels, 12);
  assert.is(percolatingMask(mask, g).reduce((s, v) => s + v, 0), 12);
});

test("periodicXY joins components across the x and y faces", () => {
  const g = grid(8, 8, 6);
  const mask = new Uint8Array(g.nx * g.ny * g.nz);
  fillBox(mask, g, [0, 3, 0], [1, 4, 3], 1); // z 0..2 at x = 0
  fillBox(mask, g, [7, 3, 2], [8, 4, 6], 1); // z 2..5 at x = 7: meets the first only across x
  assert.is(percolation(mask, g).percolatingFraction, 0);
  assert.is(percolation(mask, g, { periodicXY: true }).percolatingFraction, 1);
  const m2 = new Uint8Array(mask.length);
  fillBox(m2, g, [3, 0, 0], [4, 1, 4], 1);
  fillBox(m2, g, [3, 7, 3], [4, 8, 6], 1);
  assert.is(percolation(m2, g).percolatingComponents, 0);
  assert.is(percolation(m2, g, { periodicXY: true }).percolatingComponents, 1);
});

test("a 128 x 128 x 160 volume labels in well under a second", () => {
  const g = grid(128, 128, 160);
  const labels = new Uint8Array(g.nx * g.ny * g.nz);
  let seed = 7;
  for (let n = 0; n < labels.length; n++) labels[n] = ((seed = (seed * 1664525 + 1013904223) >>> 0) >>> 30) & 1;
  const t0 = performance.now();
  const c = connectedComponents(labels, g, { ignore: 0 });
  const ms = performance.now() - t0;
  assert.ok(c.count > 1000);
  assert.ok(ms < 1500, `${ms.toFixed(0)} ms`);
});

test.run();
