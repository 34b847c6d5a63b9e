import { test } from "uvu";
import * as assert from "uvu/assert";
import { insertBubble } from "../../src/damage/insertBubble.js";
import { electrolyteWithSlab, gasVoxelVolume } from "./fixtures.js";

const S = 1e-6;

test("a bubble in pure electrolyte holds (4/3) pi r^3 of gas; its voxel count matches within 3 %", () => {
  const vol = electrolyteWithSlab(40, S);
  vol.classNames.push("gas");
  const r = 9.3e-6;
  const expected = ((4 / 3) * Math.PI * r ** 3) / S ** 3; // 3369.4 voxels
  const res = insertBubble(vol, [0.4e-6, -0.7e-6, 0.2e-6], r, 2);
  const stored = gasVoxelVolume(vol, 2);
  assert.ok(Math.abs(stored / expected - 1) < 0.01, `gas volume ${stored} voxels vs ${expected}`);
  assert.ok(Math.abs(res.gasVolumeAddedM3 / S ** 3 - stored) < 1e-6 * stored, "reported volume is the stored one");
  let majority = 0;
  for (const l of vol.labels) if (l === 2) majority++;
  assert.ok(Math.abs(majority / expected - 1) < 0.03, `gas-labelled voxels ${majority} vs ${expected}`);
  assert.ok(res.box !== null && res.box.i0 >= 10 && res.box.i1 <= 29, "box bounds the sphere");
});

test("only electrolyte is replaced: particle voxels unchanged, partial voxels keep their particle fraction", () => {
  const vol = electrolyteWithSlab(40, S, 24);
  const before = { labels: vol.labels.slice(), secondary: vol.secondary.slice(), fraction: vol.primaryFraction.slice() };
  vol.classNames.push("gas");
  insertBubble(vol, [0, 0, 0], 12e-6, 2);
  let particleBefore = 0, particleAfter = 0, partialTouched = 0;
  for (let v = 0; v < vol.labels.length; v++) {
    const nmc = (l: number, s: number, f: number) => (l === 1 ? f : 0) + (s === 1 && l !== 1 ? 1 - f : 0);
    particleBefore += nmc(before.labels[v]!, before.secondary[v]!, before.fraction[v]!);
    particleAfter += nmc(vol.labels[v]!, vol.secondary[v]!, vol.primaryFraction[v]!);
    if (before.labels[v] === 1) {
      assert.is(vol.labels[v], 1);
      assert.is(vol.secondary[v], 1);
      assert.is(vol.primaryFraction[v], 1);
    }
    if (before.secondary[v] === 1 && before.labels[v] === 0 && vol.labels[v] !== 0) partialTouched++;
  }
  assert.ok(partialTouched > 100, `the bubble reaches the partial column (${partialTouched} voxels)`);
  assert.ok(Math.abs(particleAfter - particleBefore) < 1e-3, `particle volume ${particleBefore} -> ${particleAfter}`);
});

test("re-inserting a grown bubble adds only the shell: same result as inserting the large one", () => {
  const a = electrolyteWithSlab(32, S);
  const b = electrolyteWithSlab(32, S);
  a.classNames.push("gas");
  b.classNames.push("gas");
  insertBubble(a, [0, 0, 0], 5e-6, 2);
  insertBubble(a, [0, 0, 0], 8e-6, 2);
  insertBubble(b, [0, 0, 0], 8e-6, 2);
  assert.equal(a.labels, b.labels);
  assert.equal(a.primaryFraction, b.primaryFraction);
});

test("bad input is a RangeError", () => {
  const vol = electrolyteWithSlab(8, S);
  assert.throws(() => insertBubble(vol, [0, 0, 0], 1e-6, 5), RangeError);
  assert.throws(() => insertBubble(vol, [0, 0, 0], 1e-6, 0), /electrolyte class/);
  vol.classNames.push("gas");
  assert.throws(() => insertBubble(vol, [0, 0, 0], -1, 2), /radius/);
  assert.throws(() => insertBubble(vol, [NaN, 0, 0], 1e-6, 2), /centre/);
  const dry = electrolyteWithSlab(8, S);
  dry.classNames[0] = "air";
  assert.throws(() => insertBubble(dry, [0, 0, 0], 1e-6, 1), /no electrolyte class/);
});

test.run();
