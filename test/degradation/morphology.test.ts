import { test } from "uvu";
import * as assert from "uvu/assert";
import { createMicrostructure } from "../../src/phantoms/microstructure/rasterize.js";
import type { Microstructure, ParticleRecord } from "../../src/phantoms/microstructure/types.js";
import { depositLayer, growShell, isolateParticles, openGrainBoundaryCracks } from "../../src/degradation/morphology.js";

const S = 1e-6; // 1 um voxels

function record(id: number, material: string, grainCount: number): ParticleRecord {
  return {
    id, material, kind: "active", center: [0, 0, 0], semiAxes: [0, 0, 0], equivalentDiameterM: 0, volumeM3: 0,
    grainCount, cracked: false, agglomerate: 0,
  };
}

/** A ball of radius r voxels (voxel centres strictly inside) at voxel centre (ci, cj, ck). */
function paintBall(ms: Microstructure, ci: number, cj: number, ck: number, r: number, label: number, id: number): number {
  const { nx, ny, nz } = ms.grid;
  let count = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        if ((i - ci) ** 2 + (j - cj) ** 2 + (k - ck) ** 2 >= r * r) continue;
        const v = i + nx * (j + ny * k);
        ms.labels[v] = label;
        ms.instances[v] = id;
        count++;
      }
  return count;
}

/** One sphere of radius r (voxels) of "graphite" in electrolyte, centred in an n^3 volume (off-grid by 0.3 voxel). */
function sphere(n: number, r: number): { ms: Microstructure; count: number } {
  const ms = createMicrostructure({ nx: n, ny: n, nz: n, voxelSizeM: S }, ["electrolyte", "graphite"]);
  const c = (n - 1) / 2 + 0.3;
  const count = paintBall(ms, c, c, c, r, 1, 0);
  return { ms, count };
}

test("outward SEI shell volume matches 4/3 pi ((R+t)^3 - R^3) within 5 % for t = 2, 3, 4 voxels", () => {
  const R = 10;
  for (const t of [2, 3, 4]) {
    const { ms } = sphere(40, R);
    const changed = growShell(ms, { hostClass: "graphite", shellClass: "SEI", thicknessM: t * S, into: "outward" });
    const analytic = (4 / 3) * Math.PI * ((R + t) ** 3 - R ** 3);
    const err = Math.abs(changed - analytic) / analytic;
    assert.ok(err < 0.05, `t = ${t}: ${changed} voxels vs analytic ${analytic.toFixed(1)} (error ${(100 * err).toFixed(2)} %)`);
    let counted = 0;
    for (const l of ms.labels) if (l === ms.classNames.indexOf("SEI")) counted++;
    assert.is(counted, changed);
  }
});

test("a fractional SEI thickness gives the expected volume by stochastic rounding (1.5 voxels)", () => {
  const R = 10, t = 1.5;
  const { ms } = sphere(40, R);
  const changed = growShell(ms, { hostClass: "graphite", shellClass: "SEI", thicknessM: t * S, into: "outward", seed: 3 });
  const analytic = (4 / 3) * Math.PI * ((R + t) ** 3 - R ** 3);
  assert.ok(Math.abs(changed - analytic) / analytic < 0.05, `${changed} vs ${analytic.toFixed(1)}`);
});

test("inward rock-salt converts only host voxels, volume 4/3 pi (R^3 - (R-t)^3) within 5 %", () => {
  const R = 12;
  for (const t of [2, 3]) {
    const { ms } = sphere(32, R);
    ms.classNames[1] = "NMC811";
    const before = ms.labels.slice();
    const changed = growShell(ms, { hostClass: "NMC811", shellClass: "rock-salt", thicknessM: t * S, into: "inward" });
    const rs = ms.classNames.indexOf("rock-salt");
    for (let v = 0; v < before.length; v++) {
      if (ms.labels[v] !== before[v]) {
        assert.is(before[v], 1, "only host voxels change");
        assert.is(ms.labels[v], rs);
      }
    }
    const analytic = (4 / 3) * Math.PI * (R ** 3 - (R - t) ** 3);
    const err = Math.abs(changed - analytic) / analytic;
    assert.ok(err < 0.05, `t = ${t}: ${changed} vs ${analytic.toFixed(1)} (${(100 * err).toFixed(2)} %)`);
  }
});

test("new class names are appended once, existing labels keep their values", () => {
  const { ms } = sphere(24, 6);
  growShell(ms, { hostClass: "graphite", shellClass: "SEI", thicknessM: S, into: "outward" });
  growShell(ms, { hostClass: "graphite", shellClass: "SEI", thicknessM: 2 * S, into: "outward" });
  assert.equal(ms.classNames, ["electrolyte", "graphite", "SEI"]);
  assert.throws(() => growShell(ms, { hostClass: "NMC811", shellClass: "rock-salt", thicknessM: S, into: "inward" }), /not in this microstructure/);
  assert.throws(() => growShell(ms, { hostClass: "graphite", shellClass: "SEI", thicknessM: -1, into: "outward" }), /thickness/);
});

/** Two polycrystalline spheres (ids 1 and 2) of "NMC811", grains = Voronoi cells of seeded points. */
function grainy(): Microstructure {
  const n = 40;
  const ms = createMicrostructure({ nx: n, ny: n, nz: n, voxelSizeM: S }, ["electrolyte", "NMC811"]);
  const centres = [[10, 19.5, 19.5], [29, 19.5, 19.5]] as const;
  const seedsPer = 12;
  const seedPts: number[][][] = [];
  let x = 12345;
  const rand = () => ((x = (1103515245 * x + 12345) % 2147483648) / 2147483648);
  for (const c of centres) {
    const pts: number[][] = [];
    for (let s = 0; s < seedsPer; s++) pts.push([c[0] + (rand() - 0.5) * 16, c[1] + (rand() - 0.5) * 16, c[2] + (rand() - 0.5) * 16]);
    seedPts.push(pts);
  }
  centres.forEach((c, p) => paintBall(ms, c[0], c[1], c[2], 9, 1, p + 1));
  for (let v = 0; v < ms.labels.length; v++) {
    const id = ms.instances[v]!;
    if (id === 0) continue;
    const i = v % n, j = Math.floor(v / n) % n, k = Math.floor(v / (n * n));
    let best = 0, bestD = Infinity;
    seedPts[id - 1]!.forEach((q, g) => {
      const d = (i - q[0]!) ** 2 + (j - q[1]!) ** 2 + (k - q[2]!) ** 2;
      if (d < bestD) { bestD = d; best = g; }
    });
    ms.localGrains[v] = best + 1;
  }
  ms.particles.push(record(1, "NMC811", seedsPer), record(2, "NMC811", seedsPer));
  (ms as { grainOffsets: Uint32Array }).grainOffsets = Uint32Array.from([0, 0, seedsPer]);
  return ms;
}

/** Whether voxel v has a 6-neighbour in the same particle with another grain (in the given arrays). */
function atBoundary(ms: Microstructure, inst: Uint32Array, grains: Uint8Array, v: number): boolean {
  const { nx, ny } = ms.grid;
  for (const st of [1, -1, nx, -nx, nx * ny, -nx * ny]) {
    const u = v + st;
    if (u < 0 || u >= inst.length) continue;
    if (inst[u] === inst[v] && grains[u] !== 0 && grains[u] !== grains[v]) return true;
  }
  return false;
}

test("cracks open only at grain boundaries, only inside the chosen particle, and become class 'crack'", () => {
  for (const opening of [1, 2]) {
    const ms = grainy();
    const inst = ms.instances.slice(), grains = ms.localGrains.slice(), before = ms.labels.slice();
    const r = openGrainBoundaryCracks(ms, { particleIds: [1], crackFraction: 0.5, openingVoxels: opening }, 7);
    const crack = ms.classNames.indexOf("crack");
    assert.ok(crack > 0);
    let count = 0;
    for (let v = 0; v < before.length; v++) {
      if (ms.labels[v] === before[v]) continue;
      count++;
      assert.is(ms.labels[v], crack);
      assert.is(inst[v], 1, "crack voxel was solid of particle 1");
      assert.ok(atBoundary(ms, inst, grains, v), "crack voxel was on a grain boundary");
      assert.is(ms.instances[v], 0);
      assert.is(ms.localGrains[v], 0);
    }
    assert.is(count, r.voxels);
    assert.ok(r.voxels > 0);
    // A one-voxel opening paints one side of each opened face; two voxels, both sides.
    if (opening === 1) assert.ok(r.voxels <= r.openedFaces);
  }
});

test("cracked boundary fraction follows the request and grows monotonically with it", () => {
  let prevVoxels = -1;
  let prevSet: Uint8Array | undefined;
  for (const f of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
    const ms = grainy();
    const r = openGrainBoundaryCracks(ms, { particleClass: "NMC811", crackFraction: f, openingVoxels: 1 }, 11);
    assert.is(r.polycrystalline, 2);
    const achieved = r.openedFaces / r.boundaryFaces;
    // Boundaries open whole, so the achieved fraction is within about one boundary's share of the target.
    assert.ok(Math.abs(achieved - f) < 0.12, `fraction ${f}: opened ${achieved.toFixed(3)}`);
    if (f === 0) assert.is(r.voxels, 0);
    if (f === 1) assert.is(r.openedFaces, r.boundaryFaces);
    assert.ok(r.voxels >= prevVoxels, `voxels grow with the fraction (${prevVoxels} -> ${r.voxels})`);
    const set = new Uint8Array(ms.labels.length);
    const crack = ms.classNames.indexOf("crack");
    for (let v = 0; v < set.length; v++) set[v] = ms.labels[v] === crack ? 1 : 0;
    if (prevSet) for (let v = 0; v < set.length; v++) if (prevSet[v]) assert.is(set[v], 1, "a larger fraction opens a superset");
    prevSet = set;
    prevVoxels = r.voxels;
  }
  assert.throws(() => openGrainBoundaryCracks(grainy(), { particleIds: [1], crackFraction: 1.5, openingVoxels: 1 }, 1), /fraction/);
  assert.throws(() => openGrainBoundaryCracks(grainy(), { particleIds: [9], crackFraction: 0.5, openingVoxels: 1 }, 1), /particle id 9/);
});

/** Cu foil k < 2, graphite electrode k in [2, 18) (balls in electrolyte), separator k in [18, 22), electrolyte above. */
function anode(): Microstructure {
  const ms = createMicrostructure({ nx: 24, ny: 24, nz: 28, voxelSizeM: S }, ["electrolyte", "Cu", "graphite", "PE-separator"]);
  const nxy = 24 * 24;
  for (let v = 0; v < ms.labels.length; v++) {
    const k = Math.floor(v / nxy);
    if (k < 2) ms.labels[v] = 1;
    else if (k >= 18 && k < 22) ms.labels[v] = 3;
  }
  let id = 1;
  for (const [i, j, k] of [[6, 6, 7], [17, 6, 8], [6, 17, 13], [17, 17, 12], [12, 12, 14]] as const) {
    paintBall(ms, i, j, k, 4.5, 2, id);
    ms.particles.push(record(id++, "graphite", 1));
  }
  return ms;
}

test("plated lithium starts at the anode-separator interface", () => {
  const ms = anode();
  const nxy = 24 * 24;
  // 200 voxels: fewer than the pore voxels of slice 17, the slice touching the separator.
  const r = depositLayer(ms, { atClass: "graphite", class: "plated-Li", volumeM3: 200 * S ** 3 }, 5);
  assert.is(r.voxels, 200);
  assert.is(r.requested, 200);
  const li = ms.classNames.indexOf("plated-Li");
  for (let v = 0; v < ms.labels.length; v++) if (ms.labels[v] === li) assert.is(Math.floor(v / nxy), 17);
  // A thicker film (2 voxels over the cross-section) fills slice 17 first, then goes on into 16.
  const ms2 = anode();
  const r2 = depositLayer(ms2, { atClass: "graphite", class: "plated-Li", thicknessM: 2 * S }, 5);
  assert.is(r2.requested, 2 * nxy);
  const perSlice = new Array(28).fill(0);
  for (let v = 0; v < ms2.labels.length; v++) if (ms2.labels[v] === li) perSlice[Math.floor(v / nxy)]++;
  let pore17 = 0;
  for (let v = 17 * nxy; v < 18 * nxy; v++) if (anode().labels[v] === 0) pore17++;
  assert.is(perSlice[17], pore17, "slice 17 filled completely first");
  assert.ok(perSlice[16] > 0);
  assert.is(perSlice[18] + perSlice[22] + perSlice[23], 0, "none in the separator or beyond");
});

test("transition-metal deposit covers graphite surfaces evenly: the first voxels all touch graphite", () => {
  const ms = anode();
  const g = 2;
  const nx = 24, nxy = 24 * 24;
  const r = depositLayer(ms, { atClass: "graphite", class: "deposit", volumeM3: 300 * S ** 3 }, 9);
  assert.is(r.voxels, 300);
  const dep = ms.classNames.indexOf("deposit");
  for (let v = 0; v < ms.labels.length; v++) {
    if (ms.labels[v] !== dep) continue;
    const touches = [1, -1, nx, -nx, nxy, -nxy].some((s) => ms.labels[v + s] === g);
    assert.ok(touches, "deposit voxel on a graphite face");
  }
});

test("isolateParticles removes the CBD touching the chosen particles and nothing else", () => {
  const ms = anode();
  ms.classNames.push("CBD");
  const cbd = ms.classNames.length - 1;
  // CBD: every electrolyte voxel of the electrode layer next to a particle.
  const { nx } = ms.grid, nxy = nx * 24;
  for (let v = 2 * nxy; v < 18 * nxy; v++) {
    if (ms.labels[v] !== 0) continue;
    if ([1, -1, nx, -nx, nxy, -nxy].some((s) => ms.instances[v + s]! > 0)) ms.labels[v] = cbd;
  }
  const before = ms.labels.slice();
  const r = isolateParticles(ms, 0.4, 3);
  assert.is(r.isolated.length, 2);
  const chosen = new Set(r.isolated);
  let changed = 0;
  for (let v = 0; v < before.length; v++) {
    if (ms.labels[v] === before[v]) continue;
    changed++;
    assert.is(before[v], cbd);
    assert.is(ms.labels[v], 0);
    assert.ok([1, -1, nx, -nx, nxy, -nxy].some((s) => chosen.has(ms.instances[v + s]!)));
  }
  assert.is(changed, r.voxelsChanged);
  assert.ok(changed > 0);
  // No CBD touches an isolated particle any more; the others keep theirs.
  for (let v = 0; v < before.length; v++) {
    if (ms.labels[v] !== cbd) continue;
    for (const s of [1, -1, nx, -nx, nxy, -nxy]) assert.not.ok(chosen.has(ms.instances[v + s]!));
  }
  assert.equal(isolateParticles(ms, 0, 1).isolated, []);
  assert.throws(() => isolateParticles(anode(), 0.5, 1), /carbon-binder/);
});

test.run();
