import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Vec3 } from "../../../src/core/grid.js";
import { createRandom } from "../../../src/core/random.js";
import { applyRotationTranspose, rotationFromEuler } from "../../../src/core/rotation.js";
import { expectedMeanAbsCos, meanAbsCosToZ } from "../../../src/phantoms/microstructure/orientation.js";
import {
  contactDistance, contactPairs, equivalentRadius, minimumImage, packParticles, pairGeometry, volumeFraction, zHalfExtent,
} from "../../../src/phantoms/microstructure/packing.js";
import type { Packing, Particle } from "../../../src/phantoms/microstructure/types.js";
import { seeded } from "../analyticHelpers.js";

const um = 1e-6;

function ellipsoid(center: Vec3, semiAxes: Vec3, euler: Vec3 = [0, 0, 0]): Particle {
  return {
    id: 1, material: "C", kind: "active", center, semiAxes, rotation: rotationFromEuler(euler),
    grainCount: 1, internalPorosity: 0, cracked: false, agglomerate: 0,
  };
}

/** (p - c)^T P^-1 (p - c) for ellipsoid e scaled by s: < 1 inside. */
function form(e: Particle, p: ArrayLike<number>, s = 1): number {
  const q = applyRotationTranspose(e.rotation, [p[0]! - e.center[0], p[1]! - e.center[1], p[2]! - e.center[2]], [0, 0, 0]);
  return (q[0]! / (s * e.semiAxes[0])) ** 2 + (q[1]! / (s * e.semiAxes[1])) ** 2 + (q[2]! / (s * e.semiAxes[2])) ** 2;
}

/** min over a dense parametric sampling of B's surface of A's quadratic form (1 = touching). */
function minFormOnSurface(a: Particle, b: Particle, n = 600): number {
  const r = b.rotation;
  let best = Infinity;
  const p = [0, 0, 0];
  for (let i = 0; i <= n; i++) {
    const th = (Math.PI * i) / n;
    for (let j = 0; j < 2 * n; j++) {
      const ph = (Math.PI * j) / n;
      const u = b.semiAxes[0] * Math.sin(th) * Math.cos(ph), v = b.semiAxes[1] * Math.sin(th) * Math.sin(ph), w = b.semiAxes[2] * Math.cos(th);
      p[0] = b.center[0] + r[0]! * u + r[1]! * v + r[2]! * w;
      p[1] = b.center[1] + r[3]! * u + r[4]! * v + r[5]! * w;
      p[2] = b.center[2] + r[6]! * u + r[7]! * v + r[8]! * w;
      best = Math.min(best, form(a, p));
    }
  }
  return best;
}

const moved = (e: Particle, c: Vec3): Particle => ({ ...e, center: c });

test("Perram-Wertheim contact distance: spheres, aligned ellipsoids, random pairs touch at d_c", () => {
  const s1 = ellipsoid([0, 0, 0], [2, 2, 2]), s2 = ellipsoid([0, 0, 0], [3, 3, 3]);
  for (const n of [[1, 0, 0], [0.6, 0.8, 0], [0, 0, 1]] as Vec3[]) assert.ok(Math.abs(contactDistance(s1, s2, n) - 5) < 1e-12);
  const e1 = ellipsoid([0, 0, 0], [4, 2, 1]), e2 = ellipsoid([0, 0, 0], [3, 1.5, 0.5]);
  assert.ok(Math.abs(contactDistance(e1, e2, [1, 0, 0]) - 7) < 1e-9, "along x");
  assert.ok(Math.abs(contactDistance(e1, e2, [0, 1, 0]) - 3.5) < 1e-9, "along y");
  assert.ok(Math.abs(contactDistance(e1, e2, [0, 0, -1]) - 1.5) < 1e-9, "along -z");
  const rand = seeded(17);
  for (let k = 0; k < 6; k++) {
    const a = ellipsoid([0, 0, 0], [1 + rand(), 0.3 + rand(), 0.25 + 0.2 * rand()], [6 * rand(), 6 * rand(), 6 * rand()]);
    const bShape = ellipsoid([0, 0, 0], [1 + rand(), 1, 0.3 + 0.2 * rand()], [6 * rand(), 6 * rand(), 6 * rand()]);
    const z = 2 * rand() - 1, ph = 2 * Math.PI * rand();
    const n: Vec3 = [Math.sqrt(1 - z * z) * Math.cos(ph), Math.sqrt(1 - z * z) * Math.sin(ph), z];
    const dc = contactDistance(a, bShape, n);
    const at = (f: number) => minFormOnSurface(a, moved(bShape, [f * dc * n[0], f * dc * n[1], f * dc * n[2]]), 300);
    assert.ok(Math.abs(at(1) - 1) < 2e-3, `pair ${k}: touching form ${at(1)}`);
    assert.ok(at(0.98) < 1 && at(1.02) > 1, `pair ${k}: overlap inside, gap outside`);
  }
});

test("overlap depth along the contact normal: moving apart by it separates the pair (to contact for small overlaps)", () => {
  const rand = seeded(5);
  const box = { min: [-100, -100, -100] as Vec3, max: [100, 100, 100] as Vec3 };
  for (let k = 0; k < 6; k++) {
    const a = ellipsoid([0, 0, 0], [3, 3, 0.9 + 0.3 * rand()], [rand(), 6 * rand(), 0]);
    const b0 = ellipsoid([0, 0, 0], [2.5, 2.5, 0.8 + 0.3 * rand()], [rand(), 6 * rand(), 0]);
    const z = 2 * rand() - 1, ph = 2 * Math.PI * rand();
    const n: Vec3 = [Math.sqrt(1 - z * z) * Math.cos(ph), Math.sqrt(1 - z * z) * Math.sin(ph), z];
    const dc = contactDistance(a, b0, n);
    for (const f of [0.99, 0.8]) {
      const b = moved(b0, [f * dc * n[0], f * dc * n[1], f * dc * n[2]]);
      const g = pairGeometry(a, b, box);
      assert.ok(g.depth > 0, `pair ${k} at ${f}: depth ${g.depth}`);
      assert.ok(g.depth <= (1 - f) * dc + 1e-12, `pair ${k} at ${f}: normal depth ${g.depth} exceeds centre-line overlap ${(1 - f) * dc}`);
      const c: Vec3 = [b.center[0] + g.depth * g.normal[0], b.center[1] + g.depth * g.normal[1], b.center[2] + g.depth * g.normal[2]];
      const after = minFormOnSurface(a, moved(b, c), 300);
      assert.ok(after > 1 - 2e-3, `pair ${k} at ${f}: still overlapping after the push (${after})`);
      if (f === 0.99) assert.ok(after < 1 + 3e-3, `pair ${k}: small overlap should end touching (${after})`);
    }
    // Spheres: exactly r_a + r_b - d.
    const s = pairGeometry(ellipsoid([0, 0, 0], [2, 2, 2]), ellipsoid([3, 0, 0], [1.5, 1.5, 1.5]), box);
    assert.ok(Math.abs(s.depth - 0.5) < 1e-12 && s.normal[0] === 1);
  }
});

function boundingExtent(e: Particle): Vec3 {
  const r = e.rotation, [a, b, c] = e.semiAxes;
  const ext = (k: number) => Math.sqrt((r[3 * k]! * a) ** 2 + (r[3 * k + 1]! * b) ** 2 + (r[3 * k + 2]! * c) ** 2);
  return [ext(0), ext(1), ext(2)];
}

/** Grid points (n^3 over the intersection of the bounding boxes) inside both ellipsoids scaled by s. */
function commonGridPoints(a: Particle, bIn: Particle, box: Packing["box"], s: number, n = 64): { count: number; cellVolume: number } {
  const sep = minimumImage(box, a.center, bIn.center);
  const b = moved(bIn, [a.center[0] + sep[0], a.center[1] + sep[1], a.center[2] + sep[2]]);
  const ea = boundingExtent(a), eb = boundingExtent(b);
  const lo = [0, 1, 2].map((k) => Math.max(a.center[k]! - s * ea[k]!, b.center[k]! - s * eb[k]!));
  const hi = [0, 1, 2].map((k) => Math.min(a.center[k]! + s * ea[k]!, b.center[k]! + s * eb[k]!));
  if (lo.some((v, k) => v >= hi[k]!)) return { count: 0, cellVolume: 0 };
  const h = hi.map((v, k) => (v - lo[k]!) / n);
  let count = 0;
  const p = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    p[0] = lo[0]! + (i + 0.5) * h[0]!;
    for (let j = 0; j < n; j++) {
      p[1] = lo[1]! + (j + 0.5) * h[1]!;
      for (let k = 0; k < n; k++) {
        p[2] = lo[2]! + (k + 0.5) * h[2]!;
        if (form(a, p, s) <= 1 && form(b, p, s) <= 1) count++;
      }
    }
  }
  return { count, cellVolume: h[0]! * h[1]! * h[2]! };
}

let flakes: Packing | undefined;
function flakePacking(): Packing {
  flakes ??= packParticles({
    box: { min: [-75 * um, -75 * um, -30 * um], max: [75 * um, 75 * um, 30 * um] },
    populations: [{
      material: "graphite", volumeFraction: 0.5, size: { d50M: 12 * um, span: 0.8 },
      shape: { type: "ellipsoid", cOverA: [0.25, 0.4], orientation: { type: "fisher", kappa: 10 } },
    }],
  }, createRandom(77));
  return flakes;
}

test("graphite flakes: fraction, overlap tolerance over all pairs, walls, orientation statistics", () => {
  const p = flakePacking();
  assert.ok(Math.abs(volumeFraction(p) - 0.5) < 0.01, `fraction ${volumeFraction(p)}`);
  assert.ok(p.maxOverlap < 0.02, `max overlap ${p.maxOverlap}`);
  // All pairs whose bounding spheres meet (minimum image), without the cell list.
  const ps = p.particles;
  let worst = 0;
  for (let i = 0; i < ps.length; i++) {
    for (let j = i + 1; j < ps.length; j++) {
      const [dx, dy, dz] = minimumImage(p.box, ps[i]!.center, ps[j]!.center);
      const reach = ps[i]!.semiAxes[0] + ps[j]!.semiAxes[0];
      if (dx * dx + dy * dy + dz * dz >= reach * reach) continue;
      const g = pairGeometry(ps[i]!, ps[j]!, p.box);
      worst = Math.max(worst, g.depth / Math.min(equivalentRadius(ps[i]!), equivalentRadius(ps[j]!)));
    }
  }
  assert.ok(worst < 0.02 && Math.abs(worst - p.maxOverlap) < 1e-9, `all-pairs overlap ${worst} vs reported ${p.maxOverlap}`);
  for (const q of ps) {
    const hz = zHalfExtent(q.semiAxes, q.rotation);
    assert.ok(q.center[2] - hz >= p.box.min[2] - 1e-15 && q.center[2] + hz <= p.box.max[2] + 1e-15, `flake ${q.id} crosses a wall`);
    const t = q.semiAxes[2] / q.semiAxes[0];
    assert.ok(q.semiAxes[0] === q.semiAxes[1] && t >= 0.25 - 1e-12 && t <= 0.4 + 1e-12, `aspect ${t}`);
  }
  const m = meanAbsCosToZ(ps.map((q) => q.rotation));
  assert.ok(Math.abs(m - expectedMeanAbsCos({ type: "fisher", kappa: 10 })) < 0.03, `mean |cos| ${m}`);
});

test("graphite flakes: independent fine-grid point test on the most overlapping and on touching pairs", () => {
  const p = flakePacking();
  const ps = p.particles;
  const scored = contactPairs(p, 0.005).map(([i, j]) => ({ i, j, depth: pairGeometry(ps[i]!, ps[j]!, p.box).depth }));
  assert.ok(scored.length > ps.length, `contacts ${scored.length}`);
  scored.sort((u, v) => v.depth - u.depth);
  const worst = scored.slice(0, 4);
  const touching = scored.filter((s) => Math.abs(s.depth) < 1e-3 * um).slice(0, 4);
  assert.ok(touching.length === 4, "pairs within 1 nm of contact");
  for (const { i, j } of worst) {
    const a = ps[i]!, b = ps[j]!;
    // Shrunk by 2% about their centres: disjoint (an overlap depth of 2% of r_eq would need
    // up to ~4% shrinking over the thin c axis; pairs are left at most 1% into each other).
    assert.is(commonGridPoints(a, b, p.box, 0.98).count, 0, `pair ${i}-${j} overlaps beyond the tolerance`);
    // At full size the shared volume is a sliver.
    const full = commonGridPoints(a, b, p.box, 1, 96);
    const vMin = Math.min(...[a, b].map((e) => (4 / 3) * Math.PI * e.semiAxes[0] * e.semiAxes[1] * e.semiAxes[2]));
    assert.ok(full.count * full.cellVolume < 2e-3 * vMin, `pair ${i}-${j}: shared volume ${full.count * full.cellVolume} of ${vMin}`);
  }
  for (const { i, j } of touching) {
    // Really touching: grown by 2% they share grid points (the test can see an overlap).
    assert.ok(commonGridPoints(ps[i]!, ps[j]!, p.box, 1.02).count > 0, `pair ${i}-${j} reported touching is not`);
  }
});

test.run();
