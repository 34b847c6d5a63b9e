import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRandom } from "../../../src/core/random.js";
import {
  contactPairs, equivalentRadius, grainCountFor, measureMaxOverlap, packParticles, rearrangeParticles, volumeFraction,
  type PackingSpec,
} from "../../../src/phantoms/microstructure/packing.js";
import { volumeWeightedStats } from "../../../src/phantoms/microstructure/sizeDistribution.js";
import type { Packing, Particle } from "../../../src/phantoms/microstructure/types.js";
import { assertRelClose } from "../../helpers.js";

const um = 1e-6;
const TOL = 0.02;

function slab(lx: number, ly: number, lz: number): PackingSpec["box"] {
  return { min: [-lx / 2, -ly / 2, -lz / 2], max: [lx / 2, ly / 2, lz / 2] };
}

function nmc(phi: number, box = slab(135 * um, 135 * um, 64 * um)): PackingSpec {
  return { box, populations: [{ material: "NMC811", volumeFraction: phi, size: { d50M: 10 * um, span: 0.8 } }] };
}

/**
 * Independent brute-force check of a sphere packing: every pair over the 9 in-plane periodic
 * images; returns the largest overlap / smaller radius and, per particle, the smallest
 * surface gap / own radius.
 */
function bruteForce(p: Packing): { maxOverlap: number; nearestGap: Float64Array } {
  const ps = p.particles, n = ps.length;
  const lx = p.box.max[0] - p.box.min[0], ly = p.box.max[1] - p.box.min[1];
  const nearest = new Float64Array(n).fill(Infinity);
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const a = ps[i]!;
    for (let j = i + 1; j < n; j++) {
      const b = ps[j]!;
      for (let ix = -1; ix <= 1; ix++) {
        for (let iy = -1; iy <= 1; iy++) {
          const dx = b.center[0] + ix * lx - a.center[0], dy = b.center[1] + iy * ly - a.center[1], dz = b.center[2] - a.center[2];
          const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
          const gap = d - a.semiAxes[0] - b.semiAxes[0];
          const rMin = Math.min(a.semiAxes[0], b.semiAxes[0]);
          worst = Math.max(worst, -gap / rMin);
          nearest[i] = Math.min(nearest[i]!, gap / a.semiAxes[0]);
          nearest[j] = Math.min(nearest[j]!, gap / b.semiAxes[0]);
        }
      }
    }
  }
  return { maxOverlap: worst, nearestGap: nearest };
}

function assertInsideWalls(p: Packing): void {
  for (const q of p.particles) {
    const r = q.semiAxes[0];
    assert.ok(q.center[2] - r >= p.box.min[2] - 1e-15 && q.center[2] + r <= p.box.max[2] + 1e-15, `particle ${q.id} crosses a z wall`);
    assert.ok(q.center[0] >= p.box.min[0] && q.center[0] < p.box.max[0] && q.center[1] >= p.box.min[1] && q.center[1] < p.box.max[1],
      `particle ${q.id} centre outside the periodic box`);
  }
}

let dense: Packing | undefined;
function densePacking(): Packing {
  dense ??= packParticles(nmc(0.6), createRandom(2024));
  return dense;
}

test("NMC spheres at 0.60: fraction, no overlap above tolerance (all pairs, periodic images), walls, size statistics", () => {
  const p = densePacking();
  const n = p.particles.length;
  assert.ok(n > 1800 && n < 2300, `~2000 particles, got ${n}`);
  assert.ok(Math.abs(volumeFraction(p) - 0.6) < 0.01, `fraction ${volumeFraction(p)}`);
  assert.ok(p.maxOverlap < TOL, `reported max overlap ${p.maxOverlap}`);
  const bf = bruteForce(p);
  assert.ok(bf.maxOverlap < TOL, `brute-force max overlap ${bf.maxOverlap}`);
  assert.ok(Math.abs(bf.maxOverlap - p.maxOverlap) < 1e-9, `reported ${p.maxOverlap} vs brute force ${bf.maxOverlap}`);
  assert.ok(Math.abs(measureMaxOverlap(p.particles, p.box) - p.maxOverlap) < 1e-12);
  assertInsideWalls(p);
  const st = volumeWeightedStats(p.particles.map((q) => 2 * q.semiAxes[0]));
  assertRelClose(st.d50, 10 * um, 0.05, "volume D50");
  assertRelClose(st.span, 0.8, 0.15, "span");
  p.particles.forEach((q, i) => {
    assert.is(q.id, i + 1);
    assert.is(q.kind, "active");
    assert.is(q.agglomerate, 0);
  });
});

test("contacts are real: pushes stop at contact, so nearly every particle touches a neighbour", () => {
  const p = densePacking();
  const { nearestGap } = bruteForce(p);
  const n = nearestGap.length;
  const touching = nearestGap.filter((g) => g <= 0.005).length / n;
  // Rattlers (caged, untouched particles) exist below jamming, but only a few per cent.
  assert.ok(touching > 0.9, `fraction of particles within 0.5% of a contact: ${touching}`);
  // contactPairs agrees with a brute-force listing of pairs within the gap tolerance.
  const pairs = contactPairs(p, 0.02);
  const lx = p.box.max[0] - p.box.min[0], ly = p.box.max[1] - p.box.min[1];
  const expected: string[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = p.particles[i]!, b = p.particles[j]!;
      let dx = b.center[0] - a.center[0], dy = b.center[1] - a.center[1];
      dx -= lx * Math.round(dx / lx);
      dy -= ly * Math.round(dy / ly);
      const gap = Math.hypot(dx, dy, b.center[2] - a.center[2]) - a.semiAxes[0] - b.semiAxes[0];
      if (gap <= 0.02 * Math.min(a.semiAxes[0], b.semiAxes[0])) expected.push(`${i},${j}`);
    }
  }
  assert.equal(pairs.map(([i, j]) => `${i},${j}`), expected);
  const z = (2 * pairs.length) / n;
  assert.ok(z > 4 && z < 7, `mean contact number ${z}`);
});

test("NMC spheres at 0.30: fraction within 0.01, no overlap", () => {
  const p = packParticles(nmc(0.3), createRandom(5));
  assert.ok(Math.abs(volumeFraction(p) - 0.3) < 0.01, `fraction ${volumeFraction(p)}`);
  assert.ok(bruteForce(p).maxOverlap < TOL);
  assertInsideWalls(p);
});

test("two populations: each reaches its own fraction; grains, porosity and cracked flags", () => {
  const p = packParticles({
    box: slab(90 * um, 90 * um, 40 * um),
    populations: [
      { material: "NMC811", volumeFraction: 0.45, size: { d50M: 9 * um, span: 0.6 }, grains: { meanGrainDiameterM: 2 * um }, internalPorosity: 0.05, crackedFraction: 0.25 },
      { material: "NMC811-fines", volumeFraction: 0.1, size: { d50M: 3 * um, span: 0.5, minDiameterM: 1 * um } },
    ],
  }, createRandom(9));
  const big = p.particles.filter((q) => q.material === "NMC811"), fines = p.particles.filter((q) => q.material === "NMC811-fines");
  assert.ok(Math.abs(volumeFraction(p, (q) => q.material === "NMC811") - 0.45) < 0.01);
  assert.ok(Math.abs(volumeFraction(p, (q) => q.material === "NMC811-fines") - 0.1) < 0.005);
  assert.ok(p.maxOverlap < TOL && bruteForce(p).maxOverlap < TOL);
  assert.is(big.filter((q) => q.cracked).length, Math.round(0.25 * big.length));
  assert.ok(fines.every((q) => !q.cracked && q.grainCount === 1 && q.internalPorosity === 0 && q.semiAxes[0] >= 0.5 * um));
  for (const q of big) {
    assert.is(q.grainCount, grainCountFor(2 * q.semiAxes[0], 2 * um));
    assert.is(q.internalPorosity, 0.05);
  }
  assert.is(grainCountFor(10 * um, 2 * um), 125);
  assert.is(grainCountFor(1 * um, 2 * um), 1);
  assert.is(grainCountFor(30 * um, 2 * um), 255);
});

test("determinism: same seed gives the identical particle list, another seed a different one", () => {
  const spec = nmc(0.55, slab(70 * um, 70 * um, 40 * um));
  const a = packParticles(spec, createRandom(42)), b = packParticles(spec, createRandom(42)), c = packParticles(spec, createRandom(43));
  const flat = (p: Packing) => p.particles.flatMap((q) => [...q.center, ...q.semiAxes, q.cracked ? 1 : 0]);
  assert.equal(flat(a), flat(b));
  assert.is(a.iterations, b.iterations);
  assert.is(a.maxOverlap, b.maxOverlap);
  assert.not.equal(flat(a), flat(c));
});

test("rearrangeParticles resolves planted overlaps and leaves pinned particles in place", () => {
  const p = packParticles(nmc(0.4, slab(70 * um, 70 * um, 40 * um)), createRandom(1));
  // Plant a big particle on top of others and pin it.
  const big: Particle = { ...p.particles[0]!, id: p.particles.length + 1, center: [0, 0, 0], semiAxes: [8 * um, 8 * um, 8 * um] };
  const planted = [...p.particles, big];
  assert.ok(measureMaxOverlap(planted, p.box) > 0.5);
  const pinned = planted.map((q) => q.id === big.id);
  const r = rearrangeParticles(planted, p.box, { pinned });
  assert.ok(r.maxOverlap < TOL && bruteForce(r).maxOverlap < TOL, `overlap ${r.maxOverlap}`);
  assert.equal(r.particles.at(-1)!.center, [0, 0, 0]);
  assert.equal(r.particles.map((q) => q.id), planted.map((q) => q.id));
});

test("input validation", () => {
  const mono = (box: PackingSpec["box"]): PackingSpec => ({ box, populations: [{ material: "A", volumeFraction: 0.3, size: { d50M: 10 * um, span: 0 } }] });
  assert.throws(() => packParticles(mono(slab(20 * um, 40 * um, 40 * um)), createRandom(1)), /in-plane size/);
  assert.throws(() => packParticles(mono(slab(40 * um, 40 * um, 9 * um)), createRandom(1)), /slab thickness/);
  assert.throws(() => packParticles({ ...nmc(0.6), populations: [nmc(0.6).populations[0]!, nmc(0.6).populations[0]!] }, createRandom(1)), /exceeds 1/);
  assert.throws(() => packParticles({ ...nmc(0.6), overlapTolerance: 0 }, createRandom(1)), /tolerance/);
  assert.throws(() => packParticles(nmc(0.3, { min: [0, 0, 0], max: [1e-4, 1e-4, 0] }), createRandom(1)), /box/);
  const empty = packParticles(nmc(0), createRandom(1));
  assert.is(empty.particles.length, 0);
  assert.is(equivalentRadius({ semiAxes: [1, 2, 4] }), 2);
});

test.run();
