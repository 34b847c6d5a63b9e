import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRandom } from "../../../src/core/random.js";
import {
  addFoilBurrs, addPinholes, buildLayerStack, fillSlab, layerZRanges, zRangeOf,
} from "../../../src/phantoms/microstructure/layers.js";
import { createMicrostructure } from "../../../src/phantoms/microstructure/rasterize.js";
import type { Microstructure } from "../../../src/phantoms/microstructure/types.js";
import { countWhere, idx, sameVoxels } from "./microHelpers.js";

const CLASSES = ["LP30", "aluminium", "PE-separator", "copper", "NMC811"];
const PORE = 0, AL = 1, SEP = 2, CU = 3;
const s = 1e-6;
const grid = { nx: 40, ny: 36, nz: 60, voxelSizeM: s };

/** Labels along the column (i, j), bottom to top. */
function column(ms: Microstructure, i: number, j: number): number[] {
  return Array.from({ length: ms.grid.nz }, (_, k) => ms.labels[idx(ms.grid, i, j, k)]!);
}

test("layer z ranges: cumulative from the bottom face, voxel centres decide, thicknesses in voxels match", () => {
  const r = layerZRanges(grid, [10.4 * s, 20 * s, 5.6 * s, 0, 3 * s]);
  assert.equal(r.map((x) => [x.k0, x.k1]), [[0, 10], [10, 30], [30, 36], [36, 36], [36, 39]]);
  assert.is(r[0]!.z0M, -30 * s);
  assert.ok(Math.abs(r[1]!.z1M - (-30 + 30.4) * s) < 1e-18);
  // Integer thicknesses map to exactly that many voxels wherever the stack starts on a face.
  const r2 = layerZRanges(grid, [7 * s, 13 * s], -12 * s);
  assert.equal(r2.map((x) => x.k1 - x.k0), [7, 13]);
  assert.is(r2[0]!.k0, 18);
  // Clipped to the grid.
  const r3 = layerZRanges(grid, [50 * s, 50 * s]);
  assert.equal(r3.map((x) => [x.k0, x.k1]), [[0, 50], [50, 60]]);
  assert.equal(zRangeOf(grid, -100 * s, -90 * s), { z0M: -100 * s, z1M: -90 * s, k0: 0, k1: 0 });
  assert.throws(() => layerZRanges(grid, [-1]));
});

test("stack: foil / electrode / separator / electrode / foil, each column shows the right thicknesses", () => {
  const ms = createMicrostructure(grid, CLASSES);
  ms.labels.fill(4); // anything: the stack overwrites its layers
  const stack = buildLayerStack(ms, [
    { kind: "foil", name: "al", thicknessM: 6 * s, label: AL },
    { kind: "electrode", name: "cathode", thicknessM: 20 * s },
    { kind: "separator", name: "sep", thicknessM: 8 * s, label: SEP },
    { kind: "electrode", name: "anode", thicknessM: 16 * s },
    { kind: "foil", name: "cu", thicknessM: 4 * s, label: CU },
  ], { poreLabel: PORE, rng: createRandom(1) });
  assert.equal([...stack.ranges.keys()], ["al", "cathode", "sep", "anode", "cu"]);
  const expected = [...Array(6).fill(AL), ...Array(20).fill(PORE), ...Array(8).fill(SEP), ...Array(16).fill(PORE), ...Array(4).fill(CU), ...Array(6).fill(4)];
  for (const [i, j] of [[0, 0], [17, 30], [39, 35]]) assert.equal(column(ms, i!, j!), expected);
  assert.throws(() => buildLayerStack(ms, [
    { kind: "electrode", name: "x", thicknessM: s }, { kind: "electrode", name: "x", thicknessM: s },
  ], { poreLabel: PORE, rng: createRandom(1) }), /twice/);
});

test("separator pinholes: pore cylinders straight through the separator, of the given count and diameter", () => {
  const ms = createMicrostructure(grid, CLASSES);
  const [sep] = layerZRanges(grid, [12 * s], -6 * s);
  fillSlab(ms, sep!, SEP);
  const d = 5 * s;
  const holes = addPinholes(ms, sep!, { count: 3, diameterM: d, label: PORE, rng: createRandom(4) });
  assert.is(holes.length, 3);
  for (const h of holes) {
    const i = Math.round(h.xM / s + (grid.nx - 1) / 2), j = Math.round(h.yM / s + (grid.ny - 1) / 2);
    for (let k = sep!.k0; k < sep!.k1; k++) assert.is(ms.labels[idx(grid, i, j, k)], PORE, `hole open at k = ${k}`);
  }
  // Each hole removes about pi d^2 / 4 per layer (disjoint holes here, or fewer if they overlap).
  const removed = countWhere(ms.labels, (x, v) => x === PORE && v >= sep!.k0 * 1440 && v < sep!.k1 * 1440) / (sep!.k1 - sep!.k0);
  assert.ok(removed > 0 && removed <= 3 * (Math.PI / 4) * 25 * 1.3, `${removed} voxels per layer`);
  const perLayer = Array.from({ length: sep!.k1 - sep!.k0 }, (_, n) =>
    countWhere(ms.labels.subarray((sep!.k0 + n) * 1440, (sep!.k0 + n + 1) * 1440), (x) => x === PORE));
  assert.ok(perLayer.every((c) => c === perLayer[0]), "straight through: same cross-section at every depth");
});

test("foil burrs: cones of foil material protruding by the given height from the chosen face", () => {
  const ms = createMicrostructure(grid, CLASSES);
  const [, foil] = layerZRanges(grid, [20 * s, 5 * s]);
  fillSlab(ms, foil!, AL);
  const burrs = addFoilBurrs(ms, foil!, { count: 2, heightM: 9 * s, baseRadiusM: 3 * s, side: "top", label: AL, rng: createRandom(7) });
  for (const b of burrs) {
    assert.is(b.direction, 1);
    const i = Math.round(b.baseM[0] / s + (grid.nx - 1) / 2), j = Math.round(b.baseM[1] / s + (grid.ny - 1) / 2);
    const col = column(ms, i, j);
    // The axis voxel (centre within sqrt(1/2) of the axis) is inside while the cone radius
    // 3 (1 - t / 9) >= sqrt(1/2), i.e. at heights t = 0.5 .. 6.5 above the face.
    for (let k = foil!.k1; k < foil!.k1 + 7; k++) assert.is(col[k], AL, `burr at k = ${k}`);
    assert.is(col[foil!.k1 + 9], PORE, "nothing above the tip");
  }
  // Nothing below the foil (side "top").
  assert.is(countWhere(ms.labels.subarray(0, foil!.k0 * 1440), (x) => x !== PORE), 0);
  // Cone volume ~ pi r^2 h / 3 per burr.
  const above = countWhere(ms.labels.subarray(foil!.k1 * 1440), (x) => x === AL);
  assert.ok(above > 2 * 0.6 * (Math.PI * 9 * 9) / 3 && above < 2 * 1.4 * (Math.PI * 9 * 9) / 3, `${above} burr voxels`);
  const down = createMicrostructure(grid, CLASSES);
  fillSlab(down, foil!, AL);
  addFoilBurrs(down, foil!, { count: 3, heightM: 6 * s, baseRadiusM: 2 * s, side: "bottom", label: AL, rng: createRandom(7) });
  assert.ok(countWhere(down.labels.subarray(0, foil!.k0 * 1440), (x) => x === AL) > 0);
  assert.is(countWhere(down.labels.subarray(foil!.k1 * 1440), (x) => x === AL), 0);
});

test("burrs and pinholes are deterministic for a seed", () => {
  const make = (seed: number) => {
    const ms = createMicrostructure(grid, CLASSES);
    buildLayerStack(ms, [
      { kind: "foil", name: "al", thicknessM: 5 * s, label: AL, burrs: { count: 4, heightM: 6 * s, baseRadiusM: 2 * s, side: "top" } },
      { kind: "electrode", name: "c", thicknessM: 20 * s },
      { kind: "separator", name: "sep", thicknessM: 6 * s, label: SEP, pinholes: { count: 5, diameterM: 3 * s } },
    ], { poreLabel: PORE, rng: createRandom(seed) });
    return ms;
  };
  assert.ok(sameVoxels(make(3), make(3)));
  assert.not.ok(sameVoxels(make(3), make(4)));
});

test.run();
