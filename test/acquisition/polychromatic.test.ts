import { test } from "uvu";
import * as assert from "uvu/assert";
import { type VolumeGrid, voxelCount } from "../../src/core/grid.js";
import { parallelBeamGeometry, type ProjectionGeometry } from "../../src/acquisition/geometry.js";
import { projectOne } from "../../src/acquisition/projector.js";
import { depositedEnergy, polychromaticExpected, projectPathLengths } from "../../src/acquisition/polychromatic.js";
import type { LabelledVolume } from "../../src/phantoms/scene.js";
import { tubeSpectrum } from "../../src/beam/tubeSpectrum.js";
import { resolveMaterial } from "../../src/materials/library.js";
import { opticsTable } from "../../src/materials/optics.js";
import { lcg } from "./helpers.js";

const G: VolumeGrid = { nx: 8, ny: 7, nz: 6, voxelSizeM: 0.01 };
const NV = voxelCount(G);

function randomLabelled(classes: number, seed: number): LabelledVolume {
  const rnd = lcg(seed);
  const labels = new Uint8Array(NV);
  const secondary = new Uint8Array(NV);
  const primaryFraction = new Float32Array(NV);
  for (let v = 0; v < NV; v++) {
    labels[v] = Math.floor(rnd() * classes);
    secondary[v] = Math.floor(rnd() * classes);
    primaryFraction[v] = 0.5 + 0.5 * rnd();
  }
  return { grid: G, classNames: Array.from({ length: classes }, (_, k) => `c${k}`), labels, secondary, primaryFraction };
}

function coneGeometry(rows: number, cols: number): ProjectionGeometry {
  // Source at -y, detector at +y, slightly tilted; pixel pitch 0.012 m.
  const vectors = Float64Array.from([0.01, -0.3, 0.02, 0, 0.3, 0, 0.012, 0.001, 0, 0, 0, 0.012]);
  return { type: "cone_vec", rows, cols, vectors };
}

const GEOMS: [string, ProjectionGeometry][] = [
  ["parallel oblique", parallelBeamGeometry({ anglesRad: [0.3, 0], rows: 9, cols: 13, pixelSizeM: 0.008 })],
  ["parallel 0 deg (in-plane rays)", parallelBeamGeometry({ anglesRad: [0], rows: 7, cols: 10, pixelSizeM: 0.01 })],
  ["cone", coneGeometry(8, 11)],
];

test("path lengths: sum over classes = chord; each class = projection of its fraction map", () => {
  const classes = 3;
  const vol = randomLabelled(classes, 7);
  for (const [name, geom] of GEOMS) {
    const nPix = geom.rows * geom.cols;
    const L = new Float32Array(classes * nPix);
    projectPathLengths(vol, G, geom, 0, L);
    const chord = new Float32Array(nPix);
    projectOne(new Float32Array(NV).fill(1), G, geom, 0, chord);
    let hits = 0;
    for (let p = 0; p < nPix; p++) {
      let sum = 0;
      for (let k = 0; k < classes; k++) sum += L[k * nPix + p]!;
      assert.ok(Math.abs(sum - chord[p]!) <= 1e-6 * 0.1, `${name} pixel ${p}: ${sum} vs chord ${chord[p]}`);
      if (chord[p]! > 0) hits++;
    }
    assert.ok(hits > 0, `${name}: some rays hit (${hits}/${nPix})`);
    for (let k = 0; k < classes; k++) {
      const frac = new Float32Array(NV);
      for (let v = 0; v < NV; v++) {
        const f = vol.primaryFraction[v]!;
        if (vol.labels[v] === k) frac[v] += f;
        if (vol.secondary[v] === k) frac[v] += 1 - f;
      }
      const ref = new Float32Array(nPix);
      projectOne(frac, G, geom, 0, ref);
      for (let p = 0; p < nPix; p++) {
        assert.ok(Math.abs(L[k * nPix + p]! - ref[p]!) <= 1e-7, `${name} class ${k} pixel ${p}: ${L[k * nPix + p]} vs ${ref[p]}`);
      }
    }
  }
});

// W 60 kVp, 1 mm Al filtration, through Al slabs.
const SPEC = tubeSpectrum({ anode: "W", kVp: 60, filters: [{ material: "Al", thicknessM: 1e-3 }] });
const AL = opticsTable(resolveMaterial("Al"), SPEC.energyKeV);

test("polychromatic: Al effective attenuation falls with thickness and matches direct integration", () => {
  const t = [0.25e-3, 0.5e-3, 1e-3, 2e-3, 4e-3, 8e-3, 16e-3];
  const L = Float64Array.from(t);
  const N = new Float64Array(t.length);
  polychromaticExpected(L, 1, SPEC, AL.mu, undefined, N);
  let n0 = 0;
  for (let e = 0; e < SPEC.photons.length; e++) n0 += SPEC.photons[e]!;
  let prev = Infinity;
  for (let i = 0; i < t.length; i++) {
    // Independent direct integration over the spectrum.
    let direct = 0;
    for (let e = 0; e < SPEC.photons.length; e++) direct += SPEC.photons[e]! * Math.exp(-AL.mu[e]! * t[i]!);
    assert.ok(Math.abs(N[i]! / direct - 1) <= 1e-9, `t=${t[i]}: ${N[i]} vs ${direct}`);
    const muEff = -Math.log(N[i]! / n0) / t[i]!;
    assert.ok(muEff < prev, `effective mu must fall with thickness: ${muEff} at ${t[i]} after ${prev}`);
    prev = muEff;
  }
  // Detector efficiency, as a function and as an array, enters each bin.
  const eta = (E: number) => 1 - Math.exp(-E / 30);
  const etaArr = Float64Array.from(SPEC.energyKeV, eta);
  const Nf = new Float64Array(1);
  const Na = new Float64Array(1);
  polychromaticExpected(Float64Array.of(2e-3), 1, SPEC, AL.mu, eta, Nf);
  polychromaticExpected(Float64Array.of(2e-3), 1, SPEC, AL.mu, etaArr, Na);
  let direct = 0;
  for (let e = 0; e < SPEC.photons.length; e++) direct += SPEC.photons[e]! * etaArr[e]! * Math.exp(-AL.mu[e]! * 2e-3);
  assert.ok(Math.abs(Nf[0]! / direct - 1) <= 1e-9 && Math.abs(Na[0]! / direct - 1) <= 1e-9, "efficiency");
});

test("polychromatic: a one-bin spectrum is monochromatic Beer-Lambert, multi-class", () => {
  const spec = { energyKeV: [40], photons: [1000] };
  const water = opticsTable(resolveMaterial("water"), [40]).mu[0]!;
  const al = opticsTable(resolveMaterial("Al"), [40]).mu[0]!;
  const mu = Float64Array.of(water, al);
  const L = Float64Array.of(0.01, 0.02, 0.002, 0.001); // [class][pixel], 2 pixels
  const N = new Float64Array(2);
  polychromaticExpected(L, 2, spec, mu, undefined, N);
  for (let p = 0; p < 2; p++) {
    const expected = 1000 * Math.exp(-(water * L[p]! + al * L[2 + p]!));
    assert.ok(Math.abs(N[p]! / expected - 1) <= 1e-12, `pixel ${p}`);
    const muEff = -Math.log(N[p]! / 1000) / (L[p]! + L[2 + p]!);
    assert.ok(Math.abs(muEff - (water * L[p]! + al * L[2 + p]!) / (L[p]! + L[2 + p]!)) <= 1e-9 * muEff, "mono mu_eff");
  }
});

test("deposited energy: with mu_en = mu, deposited + transmitted = incident", () => {
  const rnd = lcg(11);
  const mu = Float32Array.from({ length: NV }, () => 20 + 200 * rnd());
  for (const [name, geom] of GEOMS) {
    const out = new Float32Array(NV);
    const r = depositedEnergy(mu, mu, G, geom, 0, 1e6, 30, out);
    let sum = 0;
    for (let v = 0; v < NV; v++) sum += out[v]!;
    assert.ok(Math.abs((r.depositedJ + r.transmittedJ) / r.incidentJ - 1) <= 1e-6, `${name}: balance`);
    assert.ok(Math.abs(sum / r.depositedJ - 1) <= 1e-5, `${name}: voxel sum ${sum} vs ${r.depositedJ}`);
    assert.ok(r.depositedJ > 0, `${name}: something deposited`);
  }
});

test("deposited energy: mu_en < mu deposits mu_en/mu of the removed energy in a uniform slab", () => {
  const E = 30;
  const m = resolveMaterial("water");
  const t = opticsTable(m, [E]);
  const muW = t.mu[0]!;
  const muEnW = t.muEnRho[0]! * m.densityGcm3 * 100;
  assert.ok(muEnW < muW, "water: mu_en < mu at 30 keV");
  const mu = new Float32Array(NV).fill(muW);
  const muEn = new Float32Array(NV).fill(muEnW);
  const geom = parallelBeamGeometry({ anglesRad: [0], rows: 4, cols: 5, pixelSizeM: 0.01 });
  const out = new Float32Array(NV);
  const r = depositedEnergy(mu, muEn, G, geom, 0, 1e6, E, out);
  // Each ray crosses ny = 7 voxels of 1 cm of water along y.
  const removed = r.incidentJ * -Math.expm1(-Math.fround(muW) * G.ny * G.voxelSizeM);
  assert.ok(Math.abs(r.transmittedJ / (r.incidentJ - removed) - 1) <= 1e-9, "transmission");
  const expected = removed * (Math.fround(muEnW) / Math.fround(muW));
  assert.ok(Math.abs(r.depositedJ / expected - 1) <= 1e-9, `deposited ${r.depositedJ} vs ${expected}`);
});

test("performance: projectPathLengths at 128^3, 4 classes", () => {
  const g: VolumeGrid = { nx: 128, ny: 128, nz: 128, voxelSizeM: 1e-4 };
  const n = voxelCount(g);
  const rnd = lcg(3);
  const labels = new Uint8Array(n);
  const secondary = new Uint8Array(n);
  const primaryFraction = new Float32Array(n).fill(1);
  for (let v = 0; v < n; v++) { labels[v] = (rnd() * 4) | 0; secondary[v] = labels[v]!; }
  const vol: LabelledVolume = { grid: g, classNames: ["a", "b", "c", "d"], labels, secondary, primaryFraction };
  const geom = parallelBeamGeometry({ anglesRad: [0.37], rows: 128, cols: 128, pixelSizeM: 1e-4 });
  const L = new Float32Array(4 * 128 * 128);
  projectPathLengths(vol, g, geom, 0, L); // warm-up
  const t0 = performance.now();
  projectPathLengths(vol, g, geom, 0, L);
  const ms = performance.now() - t0;
  console.log(`  projectPathLengths 128^3, 4 classes, 128x128 rays at 0.37 rad: ${ms.toFixed(1)} ms, ${(16384 / ms * 1e3).toExponential(2)} rays/s`);
});

test.run();
