import { test } from "uvu";
import * as assert from "uvu/assert";
import { createMicrostructure } from "../../src/phantoms/microstructure/rasterize.js";
import type { Microstructure } from "../../src/phantoms/microstructure/types.js";
import { growDendrites } from "../../src/degradation/dendrites.js";

const N = 16;
const NXY = N * N;

/**
 * Lithium k < 4, a separator of `thickness` slices above it whose pores ("electrolyte") are
 * a seeded ~60 % of the voxels (the rest polymer, "PE-separator"), NMC811 above the separator.
 */
function cell(thickness: number, porosity = 0.6): Microstructure {
  const nz = 4 + thickness + 4;
  const ms = createMicrostructure({ nx: N, ny: N, nz, voxelSizeM: 1e-6 }, ["electrolyte", "lithium", "PE-separator", "NMC811"]);
  let x = 987654321;
  const rand = () => ((x = (1103515245 * x + 12345) % 2147483648) / 2147483648);
  for (let v = 0; v < ms.labels.length; v++) {
    const k = Math.floor(v / NXY);
    if (k < 4) ms.labels[v] = 1;
    else if (k < 4 + thickness) ms.labels[v] = rand() < porosity ? 0 : 2;
    else ms.labels[v] = 3;
  }
  return ms;
}

const SEP = (thickness: number) => ({ k0: 4, k1: 4 + thickness });

test("same seed, same dendrites; another seed, other dendrites", () => {
  const opts = { fromClass: "lithium", throughClass: "electrolyte", towards: "+z" as const, seeds: 6, steps: 30, bias: 0.3, branchProbability: 0.1, within: SEP(10) };
  const a = cell(10), b = cell(10), c = cell(10);
  const ra = growDendrites(a, opts, 42);
  const rb = growDendrites(b, opts, 42);
  const rc = growDendrites(c, opts, 43);
  assert.ok(ra.voxels > 0);
  assert.equal(a.labels, b.labels);
  assert.equal(ra, rb);
  assert.not.equal(a.labels, c.labels);
  assert.ok(rc.voxels > 0);
});

test("dendrites grow only into the separator's pore voxels", () => {
  const ms = cell(8);
  const before = ms.labels.slice();
  const r = growDendrites(ms, { fromClass: "lithium", throughClass: "electrolyte", towards: "+z", seeds: 10, steps: 40, bias: 0.2, branchProbability: 0.2, within: SEP(8) }, 1);
  const dendrite = ms.classNames.indexOf("dendrite");
  let changed = 0;
  for (let v = 0; v < before.length; v++) {
    if (ms.labels[v] === before[v]) continue;
    changed++;
    assert.is(ms.labels[v], dendrite);
    assert.is(before[v], 0, "was electrolyte");
    const k = Math.floor(v / NXY);
    assert.ok(k >= 4 && k < 12, `inside the separator (k = ${k})`);
  }
  assert.is(changed, r.voxels);
  assert.ok(changed > 20);
  // Every dendrite voxel is connected (6-neighbour) to lithium through dendrite voxels: growth, not scatter.
  const seen = new Uint8Array(before.length);
  const queue: number[] = [];
  for (let v = 0; v < before.length; v++) if (ms.labels[v] === 1) { seen[v] = 1; queue.push(v); }
  let reached = 0;
  while (queue.length > 0) {
    const v = queue.pop()!;
    for (const s of [1, -1, N, -N, NXY, -NXY]) {
      const u = v + s;
      if (u < 0 || u >= before.length || seen[u] || ms.labels[u] !== dendrite) continue;
      seen[u] = 1;
      reached++;
      queue.push(u);
    }
  }
  assert.is(reached, changed);
});

test("a strong field bias bridges a thin separator (short); zero steps or a thick separator do not", () => {
  // Fully porous separator: a straight walk (bias 1) crosses 4 slices in 4 steps.
  const thin = cell(4, 1);
  const r = growDendrites(thin, { fromClass: "lithium", throughClass: "electrolyte", towards: "+z", seeds: 3, steps: 4, bias: 1, branchProbability: 0 }, 7);
  assert.is(r.reachedOpposite, true);
  assert.is(r.voxels, 12, "3 straight needles of 4 voxels");
  for (const t of r.tips) assert.is(Math.floor(t / NXY), 7, "tips at the separator's cathode face");
  // Three steps are one short of the far face.
  const short = growDendrites(cell(4, 1), { fromClass: "lithium", throughClass: "electrolyte", towards: "+z", seeds: 3, steps: 3, bias: 1 }, 7);
  assert.is(short.reachedOpposite, false);
  const none = cell(4, 1);
  const before = none.labels.slice();
  const r0 = growDendrites(none, { fromClass: "lithium", throughClass: "electrolyte", towards: "+z", seeds: 5, steps: 0, bias: 1 }, 7);
  assert.is(r0.voxels, 0);
  assert.is(r0.reachedOpposite, false);
  assert.equal(none.labels, before);
  const thick = cell(24, 1);
  const r1 = growDendrites(thick, { fromClass: "lithium", throughClass: "electrolyte", towards: "+z", seeds: 5, steps: 20, bias: 0.9, branchProbability: 0.1 }, 7);
  assert.ok(r1.voxels > 0);
  assert.is(r1.reachedOpposite, false);
});

test("growth towards -z from a top electrode, and the field bias sets how far tips get", () => {
  // Mirror: lithium on top, separator below; grow downwards.
  const ms = createMicrostructure({ nx: N, ny: N, nz: 20, voxelSizeM: 1e-6 }, ["electrolyte", "lithium", "NMC811"]);
  for (let v = 0; v < ms.labels.length; v++) {
    const k = Math.floor(v / NXY);
    ms.labels[v] = k >= 16 ? 1 : k < 4 ? 2 : 0;
  }
  const r = growDendrites(ms, { fromClass: "lithium", throughClass: "electrolyte", towards: "-z", seeds: 4, steps: 12, bias: 1, branchProbability: 0 }, 3);
  assert.is(r.reachedOpposite, true);
  for (const t of r.tips) assert.is(Math.floor(t / NXY), 4);
  // Mean tip advance over 40 steps: larger with more bias (drift bias + (1 - bias) / 6 - (1 - bias) / 6 = bias per step).
  const advance = (bias: number): number => {
    const c = cell(60, 1);
    const res = growDendrites(c, { fromClass: "lithium", throughClass: "electrolyte", towards: "+z", seeds: 40, steps: 40, bias, branchProbability: 0 }, 5);
    return res.tips.reduce((s, t) => s + Math.floor(t / NXY) - 3, 0) / res.tips.length;
  };
  const a2 = advance(0.2), a6 = advance(0.6);
  assert.ok(a6 > a2, `advance ${a2} (bias 0.2) < ${a6} (bias 0.6)`);
  // Drift of a walk with bias b is b per step (the 6 uniform directions cancel); blocked steps only cut it.
  assert.ok(a6 <= 0.6 * 40 + 4 && a6 >= 0.6 * 40 * 0.7, `bias 0.6 advance ${a6} near 24 slices`);
});

test("the dendrite class is appended once; bad options are rejected", () => {
  const ms = cell(6);
  const opts = { fromClass: "lithium", throughClass: "electrolyte", towards: "+z" as const, seeds: 2, steps: 5, bias: 0.5, within: SEP(6) };
  growDendrites(ms, opts, 1);
  growDendrites(ms, opts, 2);
  assert.equal(ms.classNames, ["electrolyte", "lithium", "PE-separator", "NMC811", "dendrite"]);
  assert.throws(() => growDendrites(ms, { ...opts, bias: 2 }, 1), /bias/);
  assert.throws(() => growDendrites(ms, { ...opts, steps: -1 }, 1), /steps/);
  assert.throws(() => growDendrites(ms, { ...opts, fromClass: "graphite" }, 1), /graphite/);
  assert.throws(() => growDendrites(ms, { ...opts, towards: "+x" as "+z" }, 1), /direction/);
});

test.run();
