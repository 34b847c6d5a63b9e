import { test } from "uvu";
import * as assert from "uvu/assert";
import type { VolumeGrid } from "../../../src/core/grid.js";
import {
  FACE_COUNT_ISOTROPIC_CORRECTION, classMask, microstructureStats, particleSizeDistribution, porosity,
  specificSurfaceArea, volumeFractions, volumeWeightedQuantile, zRangeFromMetres,
} from "../../../src/phantoms/microstructure/stats.js";
import type { Microstructure, ParticleRecord } from "../../../src/phantoms/microstructure/types.js";
import { assertRelClose } from "../../helpers.js";

const H = 0.5e-6;
const grid = (nx: number, ny: number, nz: number): VolumeGrid => ({ nx, ny, nz, voxelSizeM: H });
const at = (g: VolumeGrid, i: number, j: number, k: number): number => i + g.nx * (j + g.ny * k);

function makeMs(g: VolumeGrid, classNames: string[], labels?: Uint8Array, instances?: Uint32Array, particles: ParticleRecord[] = []): Microstructure {
  const n = g.nx * g.ny * g.nz;
  return {
    grid: g, classNames, labels: labels ?? new Uint8Array(n), instances: instances ?? new Uint32Array(n),
    localGrains: new Uint8Array(n), grainOffsets: new Uint32Array(1), particles,
  };
}

/** Voxelise a sphere (centre in voxel coordinates, voxel centres at i + 0.5); returns its voxel count. */
function sphere(ms: Microstructure, c: readonly [number, number, number], r: number, label: number, id = 0): number {
  const g = ms.grid;
  let n = 0;
  for (let k = Math.floor(c[2] - r); k <= Math.ceil(c[2] + r); k++) {
    for (let j = Math.floor(c[1] - r); j <= Math.ceil(c[1] + r); j++) {
      for (let i = Math.floor(c[0] - r); i <= Math.ceil(c[0] + r); i++) {
        if ((i + 0.5 - c[0]) ** 2 + (j + 0.5 - c[1]) ** 2 + (k + 0.5 - c[2]) ** 2 > r * r) continue;
        ms.labels[at(g, i, j, k)] = label;
        ms.instances[at(g, i, j, k)] = id;
        n++;
      }
    }
  }
  return n;
}

test("specific surface of a voxelised sphere (r = 20 voxels): 4 pi r^2 within 3% after the 2/3 correction", () => {
  const ms = makeMs(grid(48, 48, 48), ["electrolyte", "NMC"]);
  sphere(ms, [24, 24, 24], 20, 1);
  const s = specificSurfaceArea(ms);
  const r = 20 * H;
  const volume = 48 ** 3 * H ** 3;
  assertRelClose(s.volumeM3, volume, 1e-12, "analysed volume");
  assert.is(s.correction, FACE_COUNT_ISOTROPIC_CORRECTION);
  assertRelClose(s.perClass.NMC! * volume, 4 * Math.PI * r * r, 0.03, "corrected sphere area");
  assert.is(s.perClass.NMC, s.perClass.electrolyte);
  assert.is(s.perInterface["electrolyte|NMC"], s.perClass.NMC);
  // Raw count: the staircase area, 3/2 of the true area for a sphere (6 pi r^2 exactly in the limit).
  const raw = specificSurfaceArea(ms, { isotropicCorrection: false });
  assertRelClose(raw.perClass.NMC! * volume, 6 * Math.PI * r * r, 0.03, "raw staircase area");
});

test("flat slab aligned with the grid: the raw face count is exact (the isotropic correction does not apply)", () => {
  const g = grid(16, 12, 32);
  const ms = makeMs(g, ["electrolyte", "separator", "Al"]);
  for (let k = 10; k < 20; k++) for (let j = 0; j < g.ny; j++) for (let i = 0; i < g.nx; i++) ms.labels[at(g, i, j, k)] = 1;
  for (let k = 20; k < 32; k++) for (let j = 0; j < g.ny; j++) for (let i = 0; i < g.nx; i++) ms.labels[at(g, i, j, k)] = 2;
  const volume = g.nx * g.ny * g.nz * H ** 3, A = g.nx * g.ny * H * H;
  const raw = specificSurfaceArea(ms, { isotropicCorrection: false });
  assertRelClose(raw.perClass.separator! * volume, 2 * A, 1e-12, "two planes");
  assertRelClose(raw.perClass.electrolyte! * volume, A, 1e-12, "one plane");
  assertRelClose(raw.perInterface["separator|Al"]! * volume, A, 1e-12, "pair interface");
  assert.not.ok("electrolyte|Al" in raw.perInterface);
  // The default correction scales by 2/3: wrong for this geometry by design.
  assertRelClose(specificSurfaceArea(ms).perClass.separator! * volume, (2 / 3) * 2 * A, 1e-12, "corrected");
  // A z range: only the faces inside it, per the range's volume.
  const sub = specificSurfaceArea(ms, { isotropicCorrection: false, zRange: { k0: 5, k1: 15 } });
  assertRelClose(sub.perClass.separator! * sub.volumeM3, A, 1e-12, "z range");
  assertRelClose(sub.volumeM3, 10 * g.nx * g.ny * H ** 3, 1e-12, "z range volume");
});

test("periodicXY counts the interfaces across the x and y faces", () => {
  const g = grid(16, 10, 6);
  const ms = makeMs(g, ["electrolyte", "NMC"]);
  for (let k = 0; k < g.nz; k++) for (let j = 0; j < g.ny; j++) for (let i = 0; i < 4; i++) ms.labels[at(g, i, j, k)] = 1;
  const vol = g.nx * g.ny * g.nz * H ** 3, face = g.ny * g.nz * H * H;
  assertRelClose(specificSurfaceArea(ms, { isotropicCorrection: false }).perClass.NMC! * vol, face, 1e-12, "closed");
  assertRelClose(specificSurfaceArea(ms, { isotropicCorrection: false, periodicXY: true }).perClass.NMC! * vol, 2 * face, 1e-12, "periodic");
});

test("volume fractions sum to 1, pool shared names, respect a z range; porosity; zRangeFromMetres", () => {
  const g = grid(10, 8, 12);
  const ms = makeMs(g, ["electrolyte", "NMC", "CBD", "NMC"]);
  let seed = 3;
  for (let n = 0; n < ms.labels.length; n++) ms.labels[n] = ((seed = (seed * 1664525 + 1013904223) >>> 0) >>> 28) % 4;
  const f = volumeFractions(ms);
  assert.equal(Object.keys(f), ["electrolyte", "NMC", "CBD"]);
  assertRelClose(Object.values(f).reduce((a, b) => a + b, 0), 1, 1e-12, "sum");
  const counts = [0, 0, 0, 0];
  for (const v of ms.labels) counts[v]!++;
  assertRelClose(f.NMC!, (counts[1]! + counts[3]!) / ms.labels.length, 1e-12, "pooled NMC");
  assertRelClose(porosity(ms, ["electrolyte"]), counts[0]! / ms.labels.length, 1e-12, "porosity");
  assertRelClose(porosity(ms, ["electrolyte", "CBD"]), (counts[0]! + counts[2]!) / ms.labels.length, 1e-12, "porosity of two classes");
  // z range: make layers 0-2 all NMC; the fraction in [3, 12) excludes them.
  ms.labels.fill(1, 0, 3 * g.nx * g.ny);
  const fz = volumeFractions(ms, { zRange: { k0: 3, k1: 12 } });
  assertRelClose(Object.values(fz).reduce((a, b) => a + b, 0), 1, 1e-12, "sum in range");
  assertRelClose(porosity(ms, ["electrolyte"], { zRange: { k0: 3, k1: 12 } }), countIn(ms, 0, 3, 12) / (9 * g.nx * g.ny), 1e-12, "porosity in range");
  assert.throws(() => porosity(ms, ["water"]), /water/);
  assert.throws(() => volumeFractions(ms, { zRange: { k0: 5, k1: 5 } }), RangeError);
  ms.labels[0] = 7;
  assert.throws(() => volumeFractions(ms), /label 7/);
  // Layer centres are at (k - 5.5) h: [-1 h, +1 h] holds k = 5, 6.
  assert.equal(zRangeFromMetres(g, -H, H), { k0: 5, k1: 7 });
  assert.equal(zRangeFromMetres(g, -1, 1), { k0: 0, k1: 12 });
  assert.equal(zRangeFromMetres(g, -0.5 * H, 0.5 * H), { k0: 5, k1: 7 });
});

function countIn(ms: Microstructure, label: number, k0: number, k1: number): number {
  const nxy = ms.grid.nx * ms.grid.ny;
  let n = 0;
  for (let g = k0 * nxy; g < k1 * nxy; g++) if (ms.labels[g] === label) n++;
  return n;
}

test("volumeWeightedQuantile: midpoint plotting positions, interpolation, clamping", () => {
  assert.is(volumeWeightedQuantile([1, 2], [1, 1], 0.5), 1.5);
  assert.is(volumeWeightedQuantile([1, 2], [1, 1], 0.25), 1);
  assert.is(volumeWeightedQuantile([1, 2], [1, 1], 0.1), 1);
  assert.is(volumeWeightedQuantile([1, 2], [1, 1], 0.9), 2);
  assert.is(volumeWeightedQuantile([1, 2, 4], [1, 2, 1], 0.5), 2);
  assert.is(volumeWeightedQuantile([3, 3, 3], [1, 5, 2], 0.1), 3);
  assert.ok(Number.isNaN(volumeWeightedQuantile([], [], 0.5)));
});

test("particle size distribution of voxelised spheres of known sizes: diameters and D10/D50/D90", () => {
  const g = grid(100, 40, 40);
  const ms = makeMs(g, ["electrolyte", "NMC", "graphite"]);
  const radii = [5, 7, 9, 11, 13];
  const particles: ParticleRecord[] = [];
  radii.forEach((r, n) => {
    sphere(ms, [[6, 20, 38, 60, 86][n]!, 20, 20], r, 1 + (n % 2), n + 1);
    particles.push({
      id: n + 1, material: n % 2 ? "graphite" : "NMC", kind: "active", center: [0, 0, 0], semiAxes: [r * H, r * H, r * H],
      equivalentDiameterM: 2 * r * H, volumeM3: 0, grainCount: 1, cracked: false, agglomerate: 0,
    });
  });
  const m2: Microstructure = { ...ms, particles };
  const psd = particleSizeDistribution(m2);
  assert.is(psd.count, 5);
  assert.equal([...psd.ids], [1, 2, 3, 4, 5]);
  psd.diametersM.forEach((d, n) => assertRelClose(d, 2 * radii[n]! * H, 0.03, `diameter of r = ${radii[n]}`));
  // Expected quantiles: the same rule on the exact spheres.
  const d = radii.map((r) => 2 * r * H), v = radii.map((r) => (4 / 3) * Math.PI * (r * H) ** 3);
  assertRelClose(psd.d50M, volumeWeightedQuantile(d, v, 0.5), 0.03, "D50");
  assertRelClose(psd.d10M, volumeWeightedQuantile(d, v, 0.1), 0.03, "D10");
  assertRelClose(psd.d90M, volumeWeightedQuantile(d, v, 0.9), 0.03, "D90");
  assert.ok(psd.d10M < psd.d50M && psd.d50M < psd.d90M);
  // Restricted to one material.
  const nmc = particleSizeDistribution(m2, { particleMaterials: ["NMC"] });
  assert.equal([...nmc.ids], [1, 3, 5]);
  // One size: every quantile is that size.
  const one = makeMs(grid(40, 40, 40), ["electrolyte", "NMC"]);
  sphere(one, [12, 12, 12], 8, 1, 1);
  sphere(one, [28, 28, 28], 8, 1, 2);
  const p1 = particleSizeDistribution(one);
  assert.is(p1.d10M, p1.d50M);
  assert.is(p1.d90M, p1.d50M);
  assertRelClose(p1.d50M, 16 * H, 0.03, "single size");
  assert.ok(Number.isNaN(particleSizeDistribution(makeMs(grid(4, 4, 4), ["e"])).d50M));
});

test("microstructureStats assembles everything for an electrode layer", () => {
  const g = grid(24, 24, 40);
  const ms = makeMs(g, ["electrolyte", "NMC", "Al"]);
  // Current collector at z < 8; electrode layer [8, 40): NMC spheres and straight pore channels.
  ms.labels.fill(2, 0, 8 * g.nx * g.ny);
  for (let k = 8; k < 40; k++) for (let j = 0; j < g.ny; j++) for (let i = 0; i < g.nx; i++) ms.labels[at(g, i, j, k)] = 1;
  for (let k = 8; k < 40; k++) for (let j = 2; j < g.ny; j += 4) for (let i = 2; i < g.nx; i += 4) ms.labels[at(g, i, j, k)] = 0;
  const zRange = zRangeFromMetres(g, (8 - 19.5) * H, (39 - 19.5) * H);
  assert.equal(zRange, { k0: 8, k1: 40 });
  for (let n = 0; n < ms.instances.length; n++) if (ms.labels[n] === 1) ms.instances[n] = 1;
  const s = microstructureStats(ms, { poreClasses: ["electrolyte"], zRange });
  assert.equal(s.zRange, { k0: 8, k1: 40 });
  assertRelClose(s.porosity, 36 / 576, 1e-12, "porosity");
  assertRelClose(s.volumeFractions.NMC!, 540 / 576, 1e-12, "NMC");
  assert.is(s.volumeFractions.Al, 0);
  assertRelClose(s.tortuosity!, 1, 1e-6, "straight pore channels");
  assert.is(s.tortuosityDetail!.classes[0], "electrolyte");
  assert.equal(s.percolatingFraction, { electrolyte: 1, NMC: 1, Al: 0 });
  assert.is(s.particleCount, 1);
  assert.ok(s.d50M > 0);
  // Each 1 x 1 channel has 4 walls of 32 voxel faces.
  assertRelClose(s.interfaceAreaM2perM3["electrolyte|NMC"]!, (2 / 3) * (36 * 4 * 32 * H * H) / s.analysedVolumeM3, 1e-12, "channel walls");
  const skipped = microstructureStats(ms, { poreClasses: ["electrolyte"], zRange, tortuosity: false });
  assert.is(skipped.tortuosity, null);
  // Whole volume: the Al layer blocks z transport of the pores.
  const whole = microstructureStats(ms, { poreClasses: ["electrolyte"], tortuosity: { cropXY: 16 } });
  assert.is(whole.tortuosity, Infinity);
  assert.is(whole.tortuosityDetail!.cropGrid.nx, 16);
  assert.equal([...classMask(new Uint8Array([0, 1, 2]), ms.classNames, ["NMC", "Al"])], [0, 1, 1]);
});

test.run();
