/**
 * Polychromatic energy deposition against the monochromatic walk, energy conservation,
 * linearity, and the thin-slab dose D = Phi E (mu_en/rho).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type VolumeGrid, voxelCount } from "../../src/core/grid.js";
import { parallelBeamGeometry, type ProjectionGeometry } from "../../src/acquisition/geometry.js";
import { depositedEnergy } from "../../src/acquisition/polychromatic.js";
import { tubeSpectrum } from "../../src/beam/tubeSpectrum.js";
import { resolveMaterial, type Material } from "../../src/materials/library.js";
import { materialOptics } from "../../src/materials/optics.js";
import { attenuationMap, type LabelledVolume } from "../../src/phantoms/scene.js";
import { absorbedDoseGy, classDensitiesKgM3, voxelMassKg } from "../../src/dose/mass.js";
import { depositedEnergyPolychromatic, depositedEnergyWithOptics, spectralOptics } from "../../src/dose/polychromaticDeposit.js";
import { entranceSurfaceDoseGy } from "../../src/dose/surfaceDose.js";
import { summarizeDose } from "../../src/dose/summary.js";

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const G: VolumeGrid = { nx: 10, ny: 9, nz: 6, voxelSizeM: 2e-4 };
const NV = voxelCount(G);
const MATERIALS: (Material | null)[] = [null, resolveMaterial("LP30"), resolveMaterial("graphite"), resolveMaterial("NMC811")];

function randomLabelled(seed: number): LabelledVolume {
  const rnd = lcg(seed);
  const labels = new Uint8Array(NV), secondary = new Uint8Array(NV), primaryFraction = new Float32Array(NV);
  for (let v = 0; v < NV; v++) {
    labels[v] = Math.floor(rnd() * MATERIALS.length);
    secondary[v] = Math.floor(rnd() * MATERIALS.length);
    primaryFraction[v] = 0.5 + 0.5 * rnd();
  }
  return { grid: G, classNames: ["vacuum", "LP30", "graphite", "NMC811"], labels, secondary, primaryFraction };
}

function coneGeometry(rows: number, cols: number): ProjectionGeometry {
  const vectors = Float64Array.from([2e-4, -0.02, 1e-4, 0, 0.03, 0, 3e-4, 2e-5, 0, 0, 0, 3e-4]);
  return { type: "cone_vec", rows, cols, vectors };
}

const GEOMS: [string, ProjectionGeometry][] = [
  ["parallel oblique", parallelBeamGeometry({ anglesRad: [0.4], rows: 8, cols: 13, pixelSizeM: 1.7e-4 })],
  ["parallel 0 deg", parallelBeamGeometry({ anglesRad: [0], rows: 6, cols: 11, pixelSizeM: 2e-4 })],
  ["cone", coneGeometry(7, 12)],
];

// W anode, 40 kVp, 2 keV bins (about 20 bins).
const SPEC = tubeSpectrum({ anode: "W", kVp: 40, binKeV: 2, filters: [{ material: "Al", thicknessM: 0.5e-3 }] });
const PHOTONS = Float64Array.from(SPEC.photons, (p) => p * 1e6);
const SPECTRUM = { energyKeV: SPEC.energyKeV, photons: PHOTONS };

/** Per-voxel mu and mu_en maps (1/m) at one energy, mixed as the labelled volume says. */
function maps(vol: LabelledVolume, energyKeV: number): { mu: Float32Array; muEn: Float32Array } {
  const mu = new Float64Array(MATERIALS.length), muEn = new Float64Array(MATERIALS.length);
  MATERIALS.forEach((m, k) => {
    if (m === null) return;
    const o = materialOptics(m, energyKeV);
    mu[k] = o.mu;
    muEn[k] = o.muEnRho * m.densityGcm3 * 100;
  });
  return { mu: attenuationMap(vol, mu), muEn: attenuationMap(vol, muEn) };
}

function relClose(a: number, b: number, tol: number, label: string): void {
  const err = Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
  assert.ok(err <= tol, `${label}: ${a} vs ${b} (relative error ${err.toExponential(2)} > ${tol})`);
}

test("polychromatic deposit = sum of monochromatic depositedEnergy over the bins (1e-6)", () => {
  const vol = randomLabelled(11);
  let bins = 0;
  for (let e = 0; e < SPECTRUM.energyKeV.length; e++) if (SPECTRUM.photons[e]! > 0) bins++;
  assert.ok(bins >= 10, `${bins} bins with photons`);
  for (const [name, geom] of GEOMS) {
    const poly = new Float32Array(NV);
    const s = depositedEnergyPolychromatic(vol, G, geom, 0, SPECTRUM, MATERIALS, poly);
    const mono = new Float64Array(NV);
    const one = new Float32Array(NV);
    let inc = 0, tr = 0, dep = 0;
    for (let e = 0; e < SPECTRUM.energyKeV.length; e++) {
      if (!(SPECTRUM.photons[e]! > 0)) continue;
      const { mu, muEn } = maps(vol, SPECTRUM.energyKeV[e]!);
      one.fill(0);
      const r = depositedEnergy(mu, muEn, G, geom, 0, SPECTRUM.photons[e]!, SPECTRUM.energyKeV[e]!, one);
      inc += r.incidentJ; tr += r.transmittedJ; dep += r.depositedJ;
      for (let v = 0; v < NV; v++) mono[v] += one[v]!;
    }
    relClose(s.incidentJ, inc, 1e-6, `${name} incident (bins under 1e-7 of the photons are skipped)`);
    relClose(s.transmittedJ, tr, 1e-6, `${name} transmitted`);
    relClose(s.depositedJ, dep, 1e-6, `${name} deposited`);
    let max = 0, hit = 0;
    for (let v = 0; v < NV; v++) max = Math.max(max, mono[v]!);
    for (let v = 0; v < NV; v++) {
      if (mono[v]! > 0) hit++;
      assert.ok(Math.abs(poly[v]! - mono[v]!) <= 1e-6 * Math.max(mono[v]!, 1e-3 * max), `${name} voxel ${v}: ${poly[v]} vs ${mono[v]}`);
    }
    assert.ok(hit > NV / 4, `${name}: ${hit} voxels received energy`);
    assert.ok(s.depositedJ > 0.01 * s.incidentJ, `${name}: a visible share is deposited (${s.depositedJ / s.incidentJ})`);
  }
});

test("a single-bin spectrum equals depositedEnergy (1e-6)", () => {
  const vol = randomLabelled(5);
  const E = 25;
  const { mu, muEn } = maps(vol, E);
  for (const [name, geom] of GEOMS) {
    const a = new Float32Array(NV), b = new Float32Array(NV);
    const ra = depositedEnergyPolychromatic(vol, G, geom, 0, { energyKeV: [E], photons: [3e5] }, MATERIALS, a);
    const rb = depositedEnergy(mu, muEn, G, geom, 0, 3e5, E, b);
    relClose(ra.depositedJ, rb.depositedJ, 1e-6, `${name} deposited`);
    relClose(ra.transmittedJ, rb.transmittedJ, 1e-6, `${name} transmitted`);
    relClose(ra.incidentJ, rb.incidentJ, 1e-12, `${name} incident`);
    for (let v = 0; v < NV; v++) assert.ok(Math.abs(a[v]! - b[v]!) <= 1e-6 * Math.abs(b[v]!) + 1e-30, `${name} voxel ${v}: ${a[v]} vs ${b[v]}`);
  }
});

test("pure absorber (mu_en = mu): deposited + transmitted = incident, mono and poly (1e-6)", () => {
  const vol = randomLabelled(3);
  for (const [name, geom] of GEOMS) {
    // Polychromatic, the real spectrum with mu_en replaced by mu.
    const o = spectralOptics(SPECTRUM, MATERIALS);
    const absorber = { ...o, muEn: o.mu };
    const out = new Float32Array(NV);
    const r = depositedEnergyWithOptics(vol, G, geom, 0, absorber, out);
    relClose(r.depositedJ + r.transmittedJ, r.incidentJ, 1e-6, `${name} poly`);
    assert.ok(r.depositedJ > 0.05 * r.incidentJ && r.transmittedJ > 0.05 * r.incidentJ, `${name}: both terms matter`);
    let sum = 0;
    for (let v = 0; v < NV; v++) sum += out[v]!;
    relClose(sum, r.depositedJ, 1e-6, `${name} voxel sum = total`);
    // Monochromatic.
    const { mu } = maps(vol, 30);
    const m = depositedEnergy(mu, mu, G, geom, 0, 1e4, 30, new Float32Array(NV));
    relClose(m.depositedJ + m.transmittedJ, m.incidentJ, 1e-6, `${name} mono`);
  }
});

test("linearity: twice the photons, exactly twice the energy and dose", () => {
  const vol = randomLabelled(9);
  const mass = voxelMassKg(vol, classDensitiesKgM3(MATERIALS), G.voxelSizeM);
  const geom = GEOMS[2]![1];
  const a = new Float32Array(NV), b = new Float32Array(NV);
  depositedEnergyPolychromatic(vol, G, geom, 0, SPECTRUM, MATERIALS, a);
  depositedEnergyPolychromatic(vol, G, geom, 0, { energyKeV: SPECTRUM.energyKeV, photons: PHOTONS.map((p) => 2 * p) }, MATERIALS, b);
  const da = absorbedDoseGy(a, mass), db = absorbedDoseGy(b, mass);
  for (let v = 0; v < NV; v++) {
    assert.is(b[v], 2 * a[v]!, `voxel ${v} energy`);
    assert.is(db[v], 2 * da[v]!, `voxel ${v} dose`);
    if (mass[v] === 0) assert.is(da[v], 0, `vacuum voxel ${v} has no dose`);
  }
});

/** A slab of `material` filling a 6 x 4 x 3 grid; the beam runs along -y through ny voxels. */
function slab(material: string, thicknessM: number) {
  const grid: VolumeGrid = { nx: 6, ny: 4, nz: 3, voxelSizeM: thicknessM / 4 };
  const n = voxelCount(grid);
  const vol: LabelledVolume = {
    grid, classNames: [material],
    labels: new Uint8Array(n), secondary: new Uint8Array(n), primaryFraction: new Float32Array(n).fill(1),
  };
  // Pixels the size of the voxels, centred on the voxel columns: one ray per column.
  const geom = parallelBeamGeometry({ anglesRad: [0], rows: grid.nz, cols: grid.nx, pixelSizeM: grid.voxelSizeM });
  return { grid, vol, geom };
}

test("thin slab: mean dose = Phi E (mu_en/mu)(1 - exp(-mu t))/(rho t), and -> Phi E mu_en/rho (0.1 %) at mu t = 1e-3", () => {
  for (const name of ["water", "graphite"]) {
    const m = resolveMaterial(name);
    for (const E of [10, 20, 30]) {
      const o = materialOptics(m, E);
      const t = 1e-3 / o.mu;
      const { grid, vol, geom } = slab(name, t);
      const photons = 1e5;
      const dep = new Float32Array(voxelCount(grid));
      depositedEnergyPolychromatic(vol, grid, geom, 0, { energyKeV: [E], photons: [photons] }, [m], dep);
      const mass = voxelMassKg(vol, classDensitiesKgM3([m]), grid.voxelSizeM);
      const s = summarizeDose(absorbedDoseGy(dep, mass), vol, mass);
      const phi = photons / grid.voxelSizeM ** 2;
      const eJ = E * 1e3 * 1.602176634e-19;
      const rho = m.densityGcm3 * 1000;
      const muEn = o.muEnRho * m.densityGcm3 * 100;
      const narrow = (phi * eJ * (muEn / o.mu) * -Math.expm1(-o.mu * t)) / (rho * t);
      relClose(s.meanGy, narrow, 1e-5, `${name} ${E} keV narrow-beam mean dose`);
      const kerma = phi * eJ * o.muEnRho * 0.1;
      relClose(s.meanGy, kerma, 1e-3, `${name} ${E} keV vs Phi E mu_en/rho`);
      assert.ok(s.meanGy < kerma, "attenuation only lowers the dose");
      relClose(entranceSurfaceDoseGy(phi, E, m), kerma, 1e-12, `${name} ${E} keV entrance surface dose`);
      // The entrance layer gets the most, the exit layer the least.
      assert.ok(s.maxGy <= kerma && s.maxGy > s.meanGy, `${name} ${E} keV max ${s.maxGy}`);
    }
  }
});

test("bad input: wrong class count, bad labels, wrong output length", () => {
  const vol = randomLabelled(1);
  const geom = GEOMS[0]![1];
  assert.throws(() => depositedEnergyPolychromatic(vol, G, geom, 0, SPECTRUM, MATERIALS.slice(0, 3), new Float32Array(NV)), /classes/);
  assert.throws(() => depositedEnergyPolychromatic(vol, G, geom, 0, SPECTRUM, MATERIALS, new Float32Array(NV - 1)), /output/);
  assert.throws(() => depositedEnergyPolychromatic(vol, G, geom, 1, SPECTRUM, MATERIALS, new Float32Array(NV)), /projection index/);
  const bad = { ...vol, labels: vol.labels.slice() };
  bad.labels[3] = 7;
  assert.throws(() => depositedEnergyPolychromatic(bad, G, geom, 0, SPECTRUM, MATERIALS, new Float32Array(NV)), /label 7/);
  assert.throws(() => depositedEnergyPolychromatic(vol, G, geom, 0, { energyKeV: [20, 30], photons: [1] }, MATERIALS, new Float32Array(NV)), /must match/);
});

test.run();
