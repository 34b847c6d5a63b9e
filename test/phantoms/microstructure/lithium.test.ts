import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRandom } from "../../../src/core/random.js";
import { layerZRanges } from "../../../src/phantoms/microstructure/layers.js";
import { buildLithiumAnode, type MossyLithiumOptions } from "../../../src/phantoms/microstructure/lithium.js";
import { createMicrostructure } from "../../../src/phantoms/microstructure/rasterize.js";
import { buildLayerStack } from "../../../src/phantoms/microstructure/layers.js";
import { countWhere, floodFill, idx, ijk, sameVoxels } from "./microHelpers.js";

const CLASSES = ["LP30", "copper", "lithium", "SEI-LiF-Li2CO3", "PE-separator"];
const PORE = 0, CU = 1, LI = 2, SEI = 3, SEP = 4;
const s = 0.25e-6;
const grid = { nx: 48, ny: 48, nz: 64, voxelSizeM: s };
const slab = 48 * 48;

function anode(opts: { sei: number; mossy?: MossyLithiumOptions; seed?: number; separator?: boolean }) {
  const ms = createMicrostructure(grid, CLASSES);
  const stack = buildLayerStack(ms, [
    { kind: "foil", name: "cu", thicknessM: 4 * s, label: CU },
    { kind: "fill", name: "li", thicknessM: 10 * s, label: LI },
    { kind: "electrode", name: "gap", thicknessM: 30 * s },
    ...(opts.separator ? [{ kind: "separator" as const, name: "sep", thicknessM: 8 * s, label: SEP }] : []),
  ], { poreLabel: PORE, rng: createRandom(1) });
  const res = buildLithiumAnode(ms, {
    lithiumRange: stack.ranges.get("li")!, lithiumLabel: LI, seiLabel: SEI, poreLabel: PORE,
    seiThicknessM: opts.sei * s, mossy: opts.mossy, rng: createRandom(opts.seed ?? 2),
  });
  return { ...res, ranges: stack.ranges };
}

test("flat lithium on copper: the SEI above it is as thick as asked in every column", () => {
  for (const t of [0, 1, 3, 2.6]) {
    const { microstructure: ms, seiVoxels } = anode({ sei: t });
    const expected = Math.round(t);
    for (const [i, j] of [[0, 0], [20, 31], [47, 47]]) {
      const col = Array.from({ length: 64 }, (_, k) => ms.labels[idx(grid, i!, j!, k)]);
      assert.equal(col.slice(0, 4), [CU, CU, CU, CU]);
      assert.equal(col.slice(4, 14), Array(10).fill(LI));
      assert.equal(col.slice(14, 14 + expected), Array(expected).fill(SEI), `SEI of ${t} voxels`);
      assert.is(col[14 + expected], PORE);
    }
    assert.is(seiVoxels, expected * slab);
  }
});

test("mossy lithium: target fraction, height limit, each deposit its own instance, all grown from the surface", () => {
  const mossy = { heightM: 20 * s, volumeFraction: 0.12, filamentRadiusM: 1.5 * s };
  const res = anode({ sei: 0, mossy });
  const ms = res.microstructure;
  const region = res.mossyRange!;
  assert.equal([region.k0, region.k1], [14, 34]);
  const target = Math.round(0.12 * slab * 20);
  const deposits = countWhere(ms.labels, (x) => x === LI) - 10 * slab;
  assert.ok(deposits >= target && deposits <= target + 20, `${deposits} deposit voxels for ${target}`);
  assert.ok(Math.abs(res.mossyFraction - 0.12) < 0.005);
  // Nothing above the height limit.
  assert.is(countWhere(ms.labels.subarray(34 * slab), (x) => x === LI), 0);
  // Instances: one id per deposit, records for each, voxel counts agree.
  assert.ok(res.deposits.length > 5);
  assert.equal(ms.particles.map((r) => r.id), res.deposits.map((d) => d.id));
  for (const d of res.deposits) {
    assert.is(countWhere(ms.instances, (x) => x === d.id), d.voxels);
    assert.ok(d.heightM <= 20 * s + 1e-12);
  }
  assert.is(countWhere(ms.instances, (x, v) => x !== 0 && ms.labels[v] !== LI), 0);
  assert.is(countWhere(ms.instances.subarray(0, 14 * slab), (x) => x !== 0), 0, "flat lithium is instance 0");
  // Grown from the lithium: every lithium voxel connects (26-neighbours) to the flat layer.
  const starts = Array.from({ length: slab }, (_, n) => 13 * slab + n);
  const reached = floodFill(grid, starts, (v) => ms.labels[v] === LI, 26, true);
  assert.is(countWhere(reached, (x) => x === 1), countWhere(ms.labels, (x) => x === LI));
});

test("the SEI coats the deposits too: no lithium voxel touches the electrolyte", () => {
  const res = anode({ sei: 1.5, mossy: { heightM: 16 * s, volumeFraction: 0.1, filamentRadiusM: 1.5 * s } });
  const ms = res.microstructure;
  const { nx, ny, nz } = grid;
  let touching = 0;
  for (let v = 0; v < ms.labels.length; v++) {
    if (ms.labels[v] !== LI) continue;
    const [i, j, k] = ijk(grid, v);
    const neighbours = [
      idx(grid, (i + 1) % nx, j, k), idx(grid, (i + nx - 1) % nx, j, k),
      idx(grid, i, (j + 1) % ny, k), idx(grid, i, (j + ny - 1) % ny, k),
      k + 1 < nz ? idx(grid, i, j, k + 1) : -1, k > 0 ? idx(grid, i, j, k - 1) : -1,
    ];
    for (const w of neighbours) if (w >= 0 && ms.labels[w] === PORE) touching++;
  }
  assert.is(touching, 0);
  assert.ok(res.seiVoxels > 2 * slab, "SEI beyond the flat layer");
  // Away from deposits the flat SEI holds the voxel centres within 1.5 voxels of the surface:
  // one voxel (centre 0.5 above; the next centre, 1.5 above, is on the open end).
  let columns = 0;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      if (ms.labels[idx(grid, i, j, 15)] !== PORE || ms.labels[idx(grid, i, j, 16)] !== PORE) continue;
      assert.is(ms.labels[idx(grid, i, j, 14)], SEI);
      columns++;
    }
  }
  assert.ok(columns > 100);
});

test("deposits never cut the separator; deterministic for a seed", () => {
  const mossy = { heightM: 40 * s, volumeFraction: 0.05, filamentRadiusM: 1.2 * s };
  const a = anode({ sei: 1, mossy, separator: true, seed: 5 });
  const sep = a.ranges.get("sep")!;
  assert.is(countWhere(a.microstructure.labels.subarray(sep.k0 * slab, sep.k1 * slab), (x) => x !== SEP), 0);
  const b = anode({ sei: 1, mossy, separator: true, seed: 5 });
  const c = anode({ sei: 1, mossy, separator: true, seed: 6 });
  assert.ok(sameVoxels(a.microstructure, b.microstructure));
  assert.equal(a.microstructure.particles, b.microstructure.particles);
  assert.not.ok(sameVoxels(a.microstructure, c.microstructure));
  assert.throws(() => anode({ sei: 1, mossy: { heightM: 2 * s, volumeFraction: 0.1, filamentRadiusM: 1.5 * s } }), /diameter/);
});

test("layer helper and lithium range agree: lithium thickness in voxels", () => {
  const [cu, li] = layerZRanges(grid, [4 * s, 10 * s]);
  assert.equal([cu!.k1 - cu!.k0, li!.k1 - li!.k0], [4, 10]);
});

test.run();
