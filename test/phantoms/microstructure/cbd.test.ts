import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRandom } from "../../../src/core/random.js";
import { CODE_FAR, defaultReachM, particleSurfaceDistances, placeCbd } from "../../../src/phantoms/microstructure/cbd.js";
import { createMicrostructure, rasterizeParticles } from "../../../src/phantoms/microstructure/rasterize.js";
import type { Microstructure, Particle } from "../../../src/phantoms/microstructure/types.js";
import { countWhere, ijk, particle, sameVoxels } from "./microHelpers.js";

const CLASSES = ["LP30", "NMC811", "CBD"];
const PORE = 0, NMC = 1, CBD = 2;
const N = 64;
const grid = { nx: N, ny: N, nz: N, voxelSizeM: 0.5e-6 };

/** 4 x 4 x 4 spheres on a jittered lattice (pitch 16 voxels), radii 7-8.6: contacts and slight overlaps. */
function packing(cracked = false): Particle[] {
  const rng = createRandom(5);
  const ps: Particle[] = [];
  for (let k = 0; k < 4; k++) {
    for (let j = 0; j < 4; j++) {
      for (let i = 0; i < 4; i++) {
        const jit = () => (rng.next() - 0.5) * 1.5;
        ps.push(particle(grid, {
          id: ps.length + 1,
          at: [8 + 16 * i + jit(), 8 + 16 * j + jit(), 8 + 16 * k + jit()],
          r: 7 + 1.6 * rng.next(),
          grains: cracked ? 12 : 1,
          cracked,
        }));
      }
    }
  }
  return ps;
}

function build(ps: Particle[], seed = 1): Microstructure {
  return rasterizeParticles(createMicrostructure(grid, CLASSES), ps, { classOf: () => NMC, poreLabel: PORE, rng: createRandom(seed) });
}

/** Exact distances (voxels) of voxel v to the nearest and second-nearest sphere surfaces (periodic x, y). */
function exactD(ps: Particle[], v: number): [number, number] {
  const [i, j, k] = ijk(grid, v);
  const s = grid.voxelSizeM, h = (N - 1) / 2;
  let d1 = Infinity, d2 = Infinity;
  for (const p of ps) {
    let dx = i - (p.center[0] / s + h), dy = j - (p.center[1] / s + h);
    const dz = k - (p.center[2] / s + h);
    dx -= N * Math.round(dx / N);
    dy -= N * Math.round(dy / N);
    const d = Math.hypot(dx, dy, dz) - p.semiAxes[0] / s;
    if (d < d1) {
      d2 = d1;
      d1 = d;
    } else if (d < d2) d2 = d;
  }
  return [d1, d2];
}

test("surface distances: codes of the nearest and second-nearest sphere surfaces match the exact distances", () => {
  const ps = packing();
  const ms = build(ps);
  const reachM = 6 * grid.voxelSizeM;
  const dist = particleSurfaceDistances(ms, ps, { poreLabel: PORE, reachM });
  const step = dist.stepM / grid.voxelSizeM;
  let checked = 0;
  for (let v = 0; v < ms.labels.length; v += 7) {
    if (ms.labels[v] !== PORE) continue;
    const [e1, e2] = exactD(ps, v);
    const code = (d: number) => (d < 6 ? 1 + Math.floor(Math.max(0, d) / step) : CODE_FAR);
    assert.ok(Math.abs(dist.d1[v]! - code(e1)) <= 1, `d1 at ${v}: ${dist.d1[v]} vs ${code(e1)}`);
    assert.ok(Math.abs(dist.d2[v]! - code(e2)) <= 1, `d2 at ${v}: ${dist.d2[v]} vs ${code(e2)}`);
    checked++;
  }
  assert.ok(checked > 3000);
});

test("CBD: exactly the target fraction of the layer, necks first (ordered by the second-nearest distance)", () => {
  const ps = packing();
  const ms = build(ps);
  const poreBefore = countWhere(ms.labels, (x) => x === PORE);
  const target = 0.08;
  const res = placeCbd(ms, ps, { cbdLabel: CBD, poreLabel: PORE, targetFraction: target, rng: createRandom(3) });
  const nCbd = countWhere(ms.labels, (x) => x === CBD);
  assert.is(res.cbdVoxels, nCbd);
  assert.is(res.layerVoxels, N ** 3);
  assert.ok(Math.abs(nCbd / N ** 3 - target) <= 1 / N ** 3, `fraction ${nCbd / N ** 3}`);
  assert.is(countWhere(ms.labels, (x) => x === PORE), poreBefore - nCbd, "CBD only replaces pore");
  // Necks: CBD voxels sit near two particles at once.
  let sumCbd = 0, sumPore = 0, nPore = 0, maxCbd = -Infinity, minPore = Infinity;
  for (let v = 0; v < ms.labels.length; v++) {
    const l = ms.labels[v];
    if (l !== CBD && l !== PORE) continue;
    const d2 = exactD(ps, v)[1];
    if (l === CBD) {
      sumCbd += d2;
      maxCbd = Math.max(maxCbd, d2);
      assert.is(ms.instances[v], 0);
    } else {
      sumPore += d2;
      nPore++;
      minPore = Math.min(minPore, d2);
    }
  }
  const meanCbd = sumCbd / nCbd, meanPore = sumPore / nPore;
  assert.ok(meanCbd < 0.4 * meanPore, `mean second-nearest distance: CBD ${meanCbd.toFixed(2)} vs pore ${meanPore.toFixed(2)} voxels`);
  // Ordered fill: no pore voxel left behind that is more of a neck than a CBD voxel (one code bin of slack).
  const step = res.reachM / grid.voxelSizeM / 254;
  assert.ok(maxCbd <= minPore + step + 1e-9, `max CBD d2 ${maxCbd} vs min pore d2 ${minPore}`);
  assert.ok(res.thresholdSecondDistanceM / grid.voxelSizeM >= maxCbd - step);
});

test("CBD: z range restricts the layer; deterministic for a seed; too large a target throws", () => {
  const ps = packing();
  const a = build(ps), b = build(ps);
  const opts = { cbdLabel: CBD, poreLabel: PORE, targetFraction: 0.1, zRange: { k0: 16, k1: 48 } };
  const ra = placeCbd(a, ps, { ...opts, rng: createRandom(9) });
  placeCbd(b, ps, { ...opts, rng: createRandom(9) });
  assert.ok(sameVoxels(a, b));
  assert.is(ra.layerVoxels, N * N * 32);
  assert.ok(Math.abs(ra.fraction - 0.1) <= 0.005);
  const slab = N * N;
  assert.is(countWhere(a.labels, (x, v) => x === CBD && (v < 16 * slab || v >= 48 * slab)), 0, "only inside the layer");
  assert.throws(() => placeCbd(build(ps), ps, { cbdLabel: CBD, poreLabel: PORE, targetFraction: 0.9, rng: createRandom(1) }), /exceeds/);
});

test("CBD never fills cracks or other pores inside a particle envelope", () => {
  const ps = packing(true);
  const ms = build(ps, 4);
  const cracks: number[] = [];
  const s = grid.voxelSizeM, h = (N - 1) / 2;
  for (let v = 0; v < ms.labels.length; v++) {
    if (ms.labels[v] !== PORE) continue;
    const [i, j, k] = ijk(grid, v);
    for (const p of ps) {
      let dx = i - (p.center[0] / s + h), dy = j - (p.center[1] / s + h);
      dx -= N * Math.round(dx / N);
      dy -= N * Math.round(dy / N);
      if (Math.hypot(dx, dy, k - (p.center[2] / s + h)) <= p.semiAxes[0] / s) {
        cracks.push(v);
        break;
      }
    }
  }
  assert.ok(cracks.length > 1000, `${cracks.length} crack voxels`);
  placeCbd(ms, ps, { cbdLabel: CBD, poreLabel: PORE, targetFraction: 0.15, rng: createRandom(2) });
  assert.is(cracks.filter((v) => ms.labels[v] !== PORE).length, 0);
});

test("default reach widens until the necks hold the target", () => {
  const ps = packing();
  const ms = build(ps);
  // A target beyond what a 3-voxel reach can hold: the default reach must grow.
  const res = placeCbd(ms, ps, { cbdLabel: CBD, poreLabel: PORE, targetFraction: 0.3, rng: createRandom(1) });
  assert.ok(res.reachM > defaultReachM(ps, grid.voxelSizeM), `reach ${res.reachM}`);
  assert.ok(Number.isFinite(res.thresholdSecondDistanceM), `threshold ${res.thresholdSecondDistanceM}`);
  assert.ok(Math.abs(res.fraction - 0.3) <= 1 / N ** 3);
});

test.run();
