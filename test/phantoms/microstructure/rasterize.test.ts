import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRandom } from "../../../src/core/random.js";
import { createMicrostructure, rasterizeParticles } from "../../../src/phantoms/microstructure/rasterize.js";
import type { Microstructure, Particle } from "../../../src/phantoms/microstructure/types.js";
import { assertRelClose } from "../../helpers.js";
import { countWhere, idx, particle, sameVoxels } from "./microHelpers.js";

const CLASSES = ["LP30", "NMC811", "graphite", "aluminium"];
const PORE = 0, NMC = 1, GRAPHITE = 2, FOIL = 3;
const classOf = (m: string): number => CLASSES.indexOf(m);

function grid(n: number, nz = n) {
  return { nx: n, ny: n, nz, voxelSizeM: 0.5e-6 };
}

function raster(g: ReturnType<typeof grid>, ps: Particle[], opts: { seed?: number; periodic?: boolean; keep?: number[] } = {}): Microstructure {
  const ms = createMicrostructure(g, CLASSES);
  return rasterizeParticles(ms, ps, {
    classOf, poreLabel: PORE, rng: createRandom(opts.seed ?? 1), periodic: opts.periodic ?? true, keepLabels: opts.keep ?? [],
  });
}

test("createMicrostructure: zeroed arrays of the grid's size, no particles; bad class lists throw", () => {
  const g = grid(8, 4);
  const ms = createMicrostructure(g, CLASSES);
  assert.is(ms.labels.length, 256);
  assert.is(ms.instances.length, 256);
  assert.is(ms.localGrains.length, 256);
  assert.ok(ms.instances instanceof Uint32Array);
  assert.is(ms.particles.length, 0);
  assert.is(countWhere(ms.labels, (x) => x !== 0), 0);
  assert.throws(() => createMicrostructure(g, []), /1 to 256/);
  assert.throws(() => createMicrostructure(g, ["a", "a"]), /twice/);
});

test("a voxelised sphere of radius 20 voxels has 4/3 pi r^3 voxels within 1%, and its record says so", () => {
  const g = grid(48);
  for (const at of [[23.5, 23.5, 23.5], [23.3, 23.8, 23.1], [24, 24, 24]] as const) {
    const p = particle(g, { id: 7, at: [...at], r: 20 });
    const ms = raster(g, [p]);
    const n = countWhere(ms.instances, (x) => x === 7);
    assertRelClose(n, (4 / 3) * Math.PI * 20 ** 3, 0.01, `sphere voxels at ${at.join(",")}`);
    assert.is(countWhere(ms.labels, (x) => x === NMC), n);
    const rec = ms.particles[0]!;
    assert.is(rec.id, 7);
    assert.is(rec.volumeM3, n * g.voxelSizeM ** 3);
    assertRelClose(rec.equivalentDiameterM, 40 * g.voxelSizeM, 0.004, "equivalent diameter");
    assert.is(rec.grainCount, 1);
    assert.is(countWhere(ms.localGrains, (x, v) => ms.instances[v] === 7 && x !== 1), 0, "monolithic: grain 1");
  }
});

test("voxel rule: a voxel is in when its centre is inside (ellipsoid, rotated), checked against the analytic test", () => {
  const g = grid(40);
  const p = particle(g, { id: 1, at: [19.2, 20.4, 19.7], r: [15, 9, 6], euler: [0.3, -0.7, 1.1] });
  const ms = raster(g, [p]);
  const R = p.rotation, s = g.voxelSizeM;
  let mismatches = 0;
  for (let k = 0; k < 40; k++) {
    for (let j = 0; j < 40; j++) {
      for (let i = 0; i < 40; i++) {
        const d = [(i - 19.5) * s - p.center[0], (j - 19.5) * s - p.center[1], (k - 19.5) * s - p.center[2]];
        let q = 0;
        for (let a = 0; a < 3; a++) {
          const body = R[a]! * d[0]! + R[3 + a]! * d[1]! + R[6 + a]! * d[2]!;
          q += (body / p.semiAxes[a]!) ** 2;
        }
        const inside = q <= 1;
        if (inside !== (ms.instances[idx(g, i, j, k)] === 1)) mismatches++;
      }
    }
  }
  assert.is(mismatches, 0);
});

test("two spheres exactly touching share their contact: no gap voxel on the line of centres", () => {
  const g = grid(64);
  // Contact point on a voxel centre (i = 30) and between voxel centres (i = 30.5).
  for (const shift of [0, 0.5]) {
    const a = particle(g, { id: 1, at: [20 + shift, 32, 32], r: 10 });
    const b = particle(g, { id: 2, at: [40 + shift, 32, 32], r: 10 });
    const ms = raster(g, [a, b]);
    for (let i = Math.ceil(10 + shift); i <= Math.floor(50 + shift); i++) {
      assert.ok(ms.instances[idx(g, i, 32, 32)] !== 0, `gap at i = ${i} (shift ${shift})`);
    }
    // Each keeps its own half: voxels left of the contact are 1, right are 2.
    assert.is(ms.instances[idx(g, 29, 32, 32)], 1);
    assert.is(ms.instances[idx(g, 31 + Math.ceil(shift), 32, 32)], 2);
  }
});

test("overlapping spheres split the lens fairly: equal spheres by the bisector plane, unequal by r1/R1 = r2/R2", () => {
  const g = grid(64);
  const a = particle(g, { id: 1, at: [24, 32.3, 31.6], r: 10 });
  const b = particle(g, { id: 2, at: [39, 32.3, 31.6], r: 10 });
  const ms = raster(g, [a, b]);
  const na = countWhere(ms.instances, (x) => x === 1), nb = countWhere(ms.instances, (x) => x === 2);
  assert.is(na, nb, "equal halves");
  // Every voxel goes to the nearer centre (bisector x = 31.5 falls between voxel centres).
  for (let v = 0; v < ms.instances.length; v++) {
    const id = ms.instances[v]!;
    if (id === 0) continue;
    assert.is(id, v % 64 <= 31 ? 1 : 2);
  }
  // The union is stamped: no voxel of either sphere lost.
  const single = (p: Particle) => countWhere(raster(g, [p]).instances, (x) => x !== 0);
  const lens = countWhere(ms.instances, (x) => x !== 0);
  assert.ok(lens < single(a) + single(b), "they overlap");
  // Unequal radii: the rule follows the normalised distance, not the order of stamping.
  const big = particle(g, { id: 3, at: [26.2, 32, 32], r: 12 });
  const small = particle(g, { id: 4, at: [42.2, 32, 32], r: 6 });
  for (const order of [[big, small], [small, big]]) {
    const m2 = raster(g, order);
    for (let i = 14; i <= 48; i++) {
      const v = idx(g, i, 32, 32);
      const r1 = Math.abs(i - 26.2) / 12, r2 = Math.abs(i - 42.2) / 6;
      if (r1 > 1 && r2 > 1) continue;
      assert.is(m2.instances[v], r1 < r2 ? 3 : 4, `i = ${i}`);
    }
  }
});

test("periodic in x and y: a particle crossing the +x face reappears at the -x face, with the same voxel count", () => {
  const g = grid(40, 32);
  const centred = raster(g, [particle(g, { id: 1, at: [20.3, 17.6, 15.2], r: 8 })]);
  const nCentred = countWhere(centred.instances, (x) => x === 1);
  const edge = raster(g, [particle(g, { id: 1, at: [39.3, 39.6, 15.2], r: 8 })]);
  assert.is(countWhere(edge.instances, (x) => x === 1), nCentred);
  assert.is(edge.instances[idx(g, 0, 39, 15)], 1, "wrapped to i = 0");
  assert.is(edge.instances[idx(g, 39, 0, 15)], 1, "wrapped to j = 0");
  assert.is(edge.instances[idx(g, 39, 39, 15)], 1);
  const clipped = raster(g, [particle(g, { id: 1, at: [39.3, 39.6, 15.2], r: 8 })], { periodic: false });
  assert.ok(countWhere(clipped.instances, (x) => x === 1) < nCentred / 2, "non-periodic clips");
  assert.is(clipped.instances[idx(g, 0, 39, 15)], 0);
  // z is never periodic.
  const top = raster(g, [particle(g, { id: 1, at: [20.3, 17.6, 31], r: 8 })]);
  assert.is(top.instances[idx(g, 20, 18, 0)], 0);
});

test("keepLabels are never overwritten; classes come from classOf; earlier calls keep their voxels", () => {
  const g = grid(32);
  const ms0 = createMicrostructure(g, CLASSES);
  for (let v = 0; v < 32 * 32 * 4; v++) ms0.labels[v] = FOIL; // a foil at k < 4
  const p = particle(g, { id: 1, at: [16, 16, 6], r: 5, material: "graphite" });
  const ms = rasterizeParticles(ms0, [p], { classOf, poreLabel: PORE, rng: createRandom(1), keepLabels: [FOIL] });
  assert.is(countWhere(ms.labels.subarray(0, 32 * 32 * 4), (x) => x !== FOIL), 0, "foil intact");
  assert.ok(countWhere(ms.labels, (x) => x === GRAPHITE) > 100);
  const q = particle(g, { id: 2, at: [16, 16, 11], r: 5 });
  const ms2 = rasterizeParticles(ms, [q], { classOf, poreLabel: PORE, rng: createRandom(1) });
  assert.is(ms2.instances[idx(g, 16, 16, 8)], 1, "second call cannot steal");
  assert.equal(ms2.particles.map((r) => r.id), [1, 2]);
  assert.throws(() => rasterizeParticles(ms2, [q], { classOf, poreLabel: PORE, rng: createRandom(1) }), /used twice/);
});

test("records and grainOffsets: global grain ids run 1..total in id order", () => {
  const g = grid(48);
  const ps = [
    particle(g, { id: 5, at: [12, 12, 12], r: 8, grains: 10 }),
    particle(g, { id: 2, at: [34, 34, 34], r: 8, grains: 4 }),
    particle(g, { id: 9, at: [12, 34, 24], r: 7, grains: 1 }),
  ];
  const ms = raster(g, ps);
  assert.equal(ms.particles.map((r) => r.id), [5, 2, 9]);
  assert.is(ms.grainOffsets[2], 0);
  assert.is(ms.grainOffsets[5], 4);
  assert.is(ms.grainOffsets[9], 14);
  const globals = new Set<number>();
  for (let v = 0; v < ms.instances.length; v++) {
    const id = ms.instances[v]!;
    if (id !== 0) globals.add(ms.grainOffsets[id]! + ms.localGrains[v]!);
  }
  assert.equal([...globals].sort((a, b) => a - b), Array.from({ length: 15 }, (_, n) => n + 1));
});

test("invalid particles throw before anything is written", () => {
  const g = grid(16);
  const bad: Particle[] = [
    { ...particle(g, { id: 1, at: [8, 8, 8], r: 3 }), grainCount: 256 },
    { ...particle(g, { id: 0, at: [8, 8, 8], r: 3 }) },
    { ...particle(g, { id: 1, at: [8, 8, 8], r: 3 }), semiAxes: [0, 1e-6, 1e-6] },
    { ...particle(g, { id: 1, at: [8, 8, 8], r: 3 }), internalPorosity: 1 },
    { ...particle(g, { id: 1, at: [8, 8, 8], r: 3 }), material: "unobtainium" },
  ];
  for (const p of bad) {
    const ms = createMicrostructure(g, CLASSES);
    assert.throws(() => rasterizeParticles(ms, [particle(g, { id: 3, at: [4, 4, 4], r: 2 }), p], { classOf, poreLabel: PORE, rng: createRandom(1) }));
    assert.is(countWhere(ms.instances, (x) => x !== 0), 0, "nothing written");
  }
});

test("deterministic for a seed; the seed moves grains, not particles", () => {
  const g = grid(48);
  const ps = [
    particle(g, { id: 1, at: [14, 14, 20], r: [12, 9, 8], euler: [0.2, 0.4, 0.1], grains: 40, cracked: true }),
    particle(g, { id: 2, at: [33, 30, 26], r: 11, grains: 25, porosity: 0.05 }),
  ];
  const a = raster(g, ps, { seed: 11 }), b = raster(g, ps, { seed: 11 }), c = raster(g, ps, { seed: 12 });
  assert.ok(sameVoxels(a, b));
  assert.equal(a.particles, b.particles);
  assert.not.ok(sameVoxels(a, c));
});

test.run();
