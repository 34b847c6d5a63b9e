import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRandom } from "../../../src/core/random.js";
import { measureMaxOverlap, minimumImage, packParticles, volumeFraction, type PackingSpec } from "../../../src/phantoms/microstructure/packing.js";
import { addAgglomerates, addImpurities, buildAgglomerate, markCracked } from "../../../src/phantoms/microstructure/particleDefects.js";
import type { Packing } from "../../../src/phantoms/microstructure/types.js";

const um = 1e-6;
const spec: PackingSpec = {
  box: { min: [-50 * um, -50 * um, -25 * um], max: [50 * um, 50 * um, 25 * um] },
  populations: [{ material: "NMC811", volumeFraction: 0.5, size: { d50M: 10 * um, span: 0.8 } }],
};
let host: Packing | undefined;
const hostPacking = () => (host ??= packParticles(spec, createRandom(3)));

/** Largest overlap / smaller radius over all sphere pairs and 9 in-plane images. */
function bruteOverlap(p: Packing): number {
  let worst = 0;
  const ps = p.particles;
  for (let i = 0; i < ps.length; i++) {
    for (let j = i + 1; j < ps.length; j++) {
      const [dx, dy, dz] = minimumImage(p.box, ps[i]!.center, ps[j]!.center);
      const ri = ps[i]!.semiAxes[0], rj = ps[j]!.semiAxes[0];
      worst = Math.max(worst, (ri + rj - Math.hypot(dx, dy, dz)) / Math.min(ri, rj));
    }
  }
  return worst;
}

test("buildAgglomerate: touching, non-overlapping, compact, centred, deterministic", () => {
  const d = [3, 2.5, 2, 2, 1.8, 1.5, 1.5, 1.2, 1, 1, 0.8, 0.8].map((x) => x * um);
  const c = buildAgglomerate(d, createRandom(1));
  const n = d.length;
  assert.equal(c.radii, [...d].sort((a, b) => b - a).map((x) => x / 2));
  let vs = 0;
  const g = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const v = c.radii[i]! ** 3;
    vs += v;
    for (let k = 0; k < 3; k++) g[k] += v * c.offsets[i]![k]!;
    let touches = i === 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const gap = Math.hypot(...c.offsets[i]!.map((x, k) => x - c.offsets[j]![k]!)) - c.radii[i]! - c.radii[j]!;
      assert.ok(gap > -1e-12 * um, `members ${i}, ${j} overlap by ${-gap}`);
      if (j < i && gap < 1e-9 * um) touches = true;
    }
    assert.ok(touches, `member ${i} touches no earlier member`);
  }
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(g[k]! / vs) < 1e-18, "volume centroid at the origin");
  // Compact: the cluster fits in a sphere holding its volume at a packing fraction above 0.2.
  const rOut = Math.max(...c.offsets.map((o, i) => Math.hypot(...o) + c.radii[i]!));
  assert.ok(vs / rOut ** 3 > 0.2, `fill ${vs / rOut ** 3}`);
  assert.equal(buildAgglomerate(d, createRandom(1)), c);
  assert.not.equal(buildAgglomerate(d, createRandom(2)).offsets, c.offsets);
});

test("impurities: counts, material, kind, size; no overlap; host particles and ids kept", () => {
  const p0 = hostPacking();
  const p = addImpurities(p0, [{ material: "Fe", count: 3, diameterM: 12 * um }, { material: "Cu", count: 2, diameterM: 6 * um }], createRandom(4));
  assert.is(p.particles.length, p0.particles.length + 5);
  const imp = p.particles.filter((q) => q.kind === "impurity");
  assert.equal(imp.map((q) => q.material), ["Fe", "Fe", "Fe", "Cu", "Cu"]);
  assert.ok(imp.every((q, k) => q.semiAxes[0] === (k < 3 ? 6 : 3) * um && !q.cracked && q.agglomerate === 0));
  assert.equal(p.particles.slice(0, p0.particles.length).map((q) => q.id), p0.particles.map((q) => q.id));
  assert.equal(imp.map((q) => q.id), [1, 2, 3, 4, 5].map((k) => p0.particles.length + k));
  assert.ok(p.maxOverlap < 0.02 && bruteOverlap(p) < 0.02, `overlap ${p.maxOverlap}`);
  for (const q of p.particles) assert.ok(q.center[2] - q.semiAxes[0] >= p.box.min[2] - 1e-15 && q.center[2] + q.semiAxes[0] <= p.box.max[2] + 1e-15);
  const added = (3 * 6 ** 3 + 2 * 3 ** 3) * (4 / 3) * Math.PI * um ** 3 / (100 * 100 * 50 * um ** 3);
  assert.ok(Math.abs(volumeFraction(p) - volumeFraction(p0) - added) < 1e-12);
  // Seeded.
  const again = addImpurities(p0, [{ material: "Fe", count: 3, diameterM: 12 * um }, { material: "Cu", count: 2, diameterM: 6 * um }], createRandom(4));
  assert.equal(again.particles.map((q) => q.center), p.particles.map((q) => q.center));
});

test("agglomerates: shared ids, rigid clusters kept intact, no overlap; later insertions keep them rigid", () => {
  const p0 = hostPacking();
  const p1 = addAgglomerates(p0, { material: "NMC811", count: 3, particlesPerAgglomerate: 10, size: { d50M: 3 * um, span: 0.5 } }, createRandom(5));
  const members = p1.particles.filter((q) => q.agglomerate > 0);
  assert.is(members.length, 30);
  assert.equal([...new Set(members.map((q) => q.agglomerate))], [1, 2, 3]);
  assert.ok(p1.maxOverlap < 0.02 && bruteOverlap(p1) < 0.02);
  // Each member touches another member of its own agglomerate.
  for (const m of members) {
    const touches = members.some((o) => o !== m && o.agglomerate === m.agglomerate &&
      Math.hypot(...minimumImage(p1.box, m.center, o.center)) - m.semiAxes[0] - o.semiAxes[0] < 1e-9 * um);
    assert.ok(touches, `member ${m.id} is detached from agglomerate ${m.agglomerate}`);
  }
  // An impurity added later moves the host, not the agglomerates.
  const p2 = addImpurities(p1, [{ material: "Fe", count: 2, diameterM: 10 * um }], createRandom(6));
  const before = new Map(members.map((q) => [q.id, q.center]));
  for (const q of p2.particles) if (before.has(q.id)) assert.equal(q.center, before.get(q.id));
  assert.ok(p2.maxOverlap < 0.02 && measureMaxOverlap(p2.particles, p2.box) < 0.02);
});

test("markCracked: exact count among active particles, seeded, others untouched", () => {
  const p0 = addImpurities(hostPacking(), [{ material: "Fe", count: 2, diameterM: 5 * um }], createRandom(7));
  const nActive = p0.particles.filter((q) => q.kind === "active").length;
  const a = markCracked(p0, 0.3, createRandom(8));
  const cracked = a.particles.filter((q) => q.cracked);
  assert.is(cracked.length, Math.round(0.3 * nActive));
  assert.ok(cracked.every((q) => q.kind === "active"));
  assert.equal(a.particles.map((q) => q.center), p0.particles.map((q) => q.center));
  assert.equal(markCracked(p0, 0.3, createRandom(8)).particles.map((q) => q.cracked), a.particles.map((q) => q.cracked));
  assert.not.equal(markCracked(p0, 0.3, createRandom(9)).particles.map((q) => q.cracked), a.particles.map((q) => q.cracked));
  assert.is(markCracked(p0, 0, createRandom(1)).particles.filter((q) => q.cracked).length, 0);
  assert.throws(() => markCracked(p0, 1.5, createRandom(1)), /fraction/);
});

test.run();
