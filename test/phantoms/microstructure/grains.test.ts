import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRandom } from "../../../src/core/random.js";
import { drawGrainSeeds, SeedRowEnvelope } from "../../../src/phantoms/microstructure/grains.js";
import { createMicrostructure, rasterizeParticles } from "../../../src/phantoms/microstructure/rasterize.js";
import type { Microstructure, Particle } from "../../../src/phantoms/microstructure/types.js";
import { VoxelEllipsoid } from "../../../src/phantoms/microstructure/voxelEllipsoid.js";
import { countWhere, floodFill, ijk, particle } from "./microHelpers.js";

const CLASSES = ["LP30", "NMC811"];
const PORE = 0, NMC = 1;
const g48 = { nx: 48, ny: 48, nz: 48, voxelSizeM: 0.4e-6 };

function raster(ps: Particle[], seed: number, opts: { crackHalfWidthM?: number; internalPoreRadiusM?: number } = {}): Microstructure {
  return rasterizeParticles(createMicrostructure(g48, CLASSES), ps, {
    classOf: () => NMC, poreLabel: PORE, rng: createRandom(seed), ...opts,
  });
}

/** The seeds rasterizeParticles draws for the FIRST particle of a run with `seed`, in voxel offsets. */
function seedsOf(p: Particle, seed: number): Float64Array {
  const e = new VoxelEllipsoid().set(p, g48);
  const out = new Float64Array(3 * p.grainCount);
  drawGrainSeeds(e, p.grainCount, createRandom(seed), out);
  return out;
}

/** Offset (voxels) of voxel v from the particle centre. */
function offset(p: Particle, v: number): [number, number, number] {
  const [i, j, k] = ijk(g48, v);
  const s = g48.voxelSizeM, h = (48 - 1) / 2;
  return [i - (p.center[0] / s + h), j - (p.center[1] / s + h), k - (p.center[2] / s + h)];
}

/** Nearest seed (0-based) and the distance to its Voronoi cell boundary, by brute force. */
function bruteForce(seeds: Float64Array, n: number, d: [number, number, number]): { nearest: number; gap: number; boundary: number } {
  let best = -1, bestD = Infinity, second = Infinity;
  for (let g = 0; g < n; g++) {
    const dd = (d[0] - seeds[3 * g]!) ** 2 + (d[1] - seeds[3 * g + 1]!) ** 2 + (d[2] - seeds[3 * g + 2]!) ** 2;
    if (dd < bestD) {
      second = bestD;
      bestD = dd;
      best = g;
    } else if (dd < second) second = dd;
  }
  let boundary = Infinity;
  for (let g = 0; g < n; g++) {
    if (g === best) continue;
    const dd = (d[0] - seeds[3 * g]!) ** 2 + (d[1] - seeds[3 * g + 1]!) ** 2 + (d[2] - seeds[3 * g + 2]!) ** 2;
    const L = Math.hypot(seeds[3 * g]! - seeds[3 * best]!, seeds[3 * g + 1]! - seeds[3 * best + 1]!, seeds[3 * g + 2]! - seeds[3 * best + 2]!);
    boundary = Math.min(boundary, (dd - bestD) / (2 * L));
  }
  return { nearest: best, gap: second - bestD, boundary };
}

test("grains are the Voronoi cells of the seeds: every voxel carries its nearest seed (brute force), sphere and rotated ellipsoid", () => {
  for (const [p, seed] of [
    [particle(g48, { id: 1, at: [23.5, 24.2, 23.1], r: 20, grains: 60 }), 3],
    [particle(g48, { id: 1, at: [23.1, 23.7, 24.4], r: [21, 14, 10], euler: [0.5, -0.3, 1.2], grains: 255 }), 4],
    [particle(g48, { id: 1, at: [24, 24, 24], r: 9, grains: 7 }), 5],
  ] as const) {
    const ms = raster([p], seed);
    const seeds = seedsOf(p, seed);
    let checked = 0;
    for (let v = 0; v < ms.instances.length; v++) {
      if (ms.instances[v] !== 1) continue;
      const bf = bruteForce(seeds, p.grainCount, offset(p, v));
      if (bf.gap < 1e-9) continue; // exact tie
      assert.is(ms.localGrains[v], bf.nearest + 1, `voxel ${v}`);
      checked++;
    }
    assert.ok(checked > 1000);
  }
});

test("grain indices are 1..grainCount, every grain present and connected (6-connected within the particle)", () => {
  const p = particle(g48, { id: 3, at: [23.5, 23.5, 23.5], r: 20, grains: 40 });
  const ms = raster([p], 8);
  const present = new Set<number>();
  for (let v = 0; v < ms.instances.length; v++) if (ms.instances[v] === 3) present.add(ms.localGrains[v]!);
  assert.equal([...present].sort((a, b) => a - b), Array.from({ length: 40 }, (_, n) => n + 1));
  for (const grain of present) {
    const voxels: number[] = [];
    for (let v = 0; v < ms.instances.length; v++) if (ms.instances[v] === 3 && ms.localGrains[v] === grain) voxels.push(v);
    const reached = floodFill(g48, [voxels[0]!], (w) => ms.instances[w] === 3 && ms.localGrains[w] === grain);
    assert.is(countWhere(reached, (x) => x === 1), voxels.length, `grain ${grain} connected`);
  }
});

test("SeedRowEnvelope: pruned rows agree with the full lower envelope on random rows", () => {
  const p = particle(g48, { id: 1, at: [24, 24, 24], r: 20, grains: 200 });
  const e = new VoxelEllipsoid().set(p, g48);
  const seeds = new Float64Array(600);
  drawGrainSeeds(e, 200, createRandom(2), seeds);
  const env = new SeedRowEnvelope();
  env.setSeeds(seeds, 200, e);
  const rng = createRandom(9);
  for (let row = 0; row < 400; row++) {
    const dy = (rng.next() * 2 - 1) * 19, dz = (rng.next() * 2 - 1) * Math.sqrt(361 - dy * dy);
    const half = Math.sqrt(Math.max(0, 400 - dy * dy - dz * dz));
    const x0 = Math.ceil(-half), x1 = Math.floor(half);
    if (x0 > x1) continue;
    env.build(dy, dz, x0, x1);
    for (let x = x0; x <= x1; x++) {
      const bf = bruteForce(seeds, 200, [x, dy, dz]);
      const got = env.nearest(x);
      if (bf.gap > 1e-9) assert.is(got, bf.nearest, `row ${row} x ${x}`);
    }
  }
  assert.ok(env.prunedRows > env.fullRows, `pruning used (${env.prunedRows} pruned, ${env.fullRows} full)`);
});

test("cracked particle: pore voxels exactly where the grain boundary is nearer than the half-width, nowhere else", () => {
  const base = { id: 1, at: [23.6, 23.2, 24.3] as [number, number, number], r: 20, grains: 30 };
  const seed = 21;
  const whole = raster([particle(g48, base)], seed);
  const w = 0.8;
  const cracked = raster([particle(g48, { ...base, cracked: true })], seed, { crackHalfWidthM: w * g48.voxelSizeM });
  const p = particle(g48, base);
  const seeds = seedsOf(p, seed);
  let cracks = 0, misses = 0, wrong = 0;
  for (let v = 0; v < whole.instances.length; v++) {
    if (whole.instances[v] !== 1) {
      assert.is(cracked.instances[v], 0);
      continue;
    }
    const isCrack = cracked.instances[v] === 0;
    if (isCrack) {
      cracks++;
      assert.is(cracked.labels[v], PORE);
      assert.is(cracked.localGrains[v], 0);
    } else {
      assert.is(cracked.localGrains[v], whole.localGrains[v], "grains kept");
    }
    const { boundary } = bruteForce(seeds, p.grainCount, offset(p, v));
    if (Math.abs(boundary - w) < 1e-9) continue;
    if (isCrack && boundary > w) wrong++;
    if (!isCrack && boundary < w) misses++;
  }
  assert.ok(cracks > 0.1 * countWhere(whole.instances, (x) => x === 1), `cracks: ${cracks}`);
  assert.is(wrong, 0, "crack voxels off the boundaries");
  assert.is(misses, 0, "boundary voxels left solid");
  assert.is(cracked.particles[0]!.volumeM3, (countWhere(whole.instances, (x) => x === 1) - cracks) * g48.voxelSizeM ** 3);
});

test("internal porosity: the fraction is met with closed spherical pores (pore class, instance 0)", () => {
  const phi = 0.06;
  const solid = raster([particle(g48, { id: 1, at: [23.5, 23.5, 23.5], r: 20 })], 1);
  const nSolid = countWhere(solid.instances, (x) => x === 1);
  const ms = raster([particle(g48, { id: 1, at: [23.5, 23.5, 23.5], r: 20, porosity: phi })], 1, { internalPoreRadiusM: 1.6 * g48.voxelSizeM });
  const pores: number[] = [];
  for (let v = 0; v < ms.instances.length; v++) if (solid.instances[v] === 1 && ms.instances[v] === 0) pores.push(v);
  for (const v of pores) assert.is(ms.labels[v], PORE);
  const target = Math.round(phi * nSolid);
  const poreVolume = (4 / 3) * Math.PI * 1.6 ** 3;
  assert.ok(pores.length >= target && pores.length <= target + poreVolume + 1, `${pores.length} pore voxels for a target of ${target}`);
  // Closed: the outside electrolyte does not reach them.
  const outside = floodFill(g48, [0], (w) => ms.labels[w] === PORE);
  assert.is(pores.filter((v) => outside[v] === 1).length, 0);
  assert.is(ms.particles[0]!.volumeM3, (nSolid - pores.length) * g48.voxelSizeM ** 3);
});

test.run();
