/** Conventions and identities of the optics layer, each a value that could be wrong. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CLASSICAL_ELECTRON_RADIUS_M, AVOGADRO, ELECTRON_REST_ENERGY_KEV, wavelengthM } from "../../src/core/constants.js";
import { elementTable, newElementInteraction, MIN_ENERGY_KEV, MAX_ENERGY_KEV } from "../../src/materials/elementTable.js";
import { resolveMaterial } from "../../src/materials/library.js";
import {
  attenuationLength,
  betaFromMu,
  materialOptics,
  muFromBeta,
  opticalContrast,
  opticsTable,
  phaseShiftPerLength,
  transmission,
} from "../../src/materials/optics.js";
import { assertRelClose } from "../helpers.js";

test("mu = 4 pi beta / lambda: the exit-wave intensity |exp(-k beta t)|^2 is Beer-Lambert exp(-mu t)", () => {
  const m = resolveMaterial("NMC811");
  for (const e of [8, 20, 60]) {
    const o = materialOptics(m, e);
    const k = (2 * Math.PI) / wavelengthM(e);
    const t = 50e-6;
    const amplitude = Math.exp(-k * o.beta * t);
    assertRelClose(amplitude * amplitude, transmission(o.mu, t), 1e-12, `intensity at ${e} keV`);
    assertRelClose(muFromBeta(betaFromMu(o.mu, e), e), o.mu, 1e-12, "round trip");
    // The 2 pi slip would halve mu: guard against it explicitly.
    assert.ok(Math.abs((2 * Math.PI * o.beta) / wavelengthM(e) / o.mu - 0.5) < 1e-12);
  }
});

test("mu/rho is the sum of its processes; mu (1/m) = mu/rho * rho * 100; attenuation length 1/mu", () => {
  const o = materialOptics(resolveMaterial("LP30"), 25);
  assertRelClose(o.muRho, o.muRhoPhoto + o.muRhoCoherent + o.muRhoIncoherent, 1e-12, "sum");
  assertRelClose(o.mu, o.muRho * o.densityGcm3 * 100, 1e-12, "linear mu");
  assertRelClose(o.attenuationLengthM * o.mu, 1, 1e-12, "attenuation length");
  assertRelClose(attenuationLength(o.mu), o.attenuationLengthM, 1e-12, "helper");
});

test("mu_en/rho lies between 0 and (photo + incoherent): coherent scattering deposits nothing", () => {
  for (const name of ["water", "graphite", "NMC811", "copper", "LLZO"]) {
    for (const e of [2, 10, 33, 100, 200]) {
      const o = materialOptics(resolveMaterial(name), e);
      assert.ok(o.muEnRho > 0 && o.muEnRho < o.muRhoPhoto + o.muRhoIncoherent, `${name} ${e} keV`);
    }
  }
});

test("delta from the electron density: far above edges f1 -> Z, delta -> r_e lambda^2 n_e / (2 pi)", () => {
  // Water at 150 keV: f1 within 0.2% of Z, so delta equals the free-electron value.
  const water = resolveMaterial("water");
  const e = 150;
  const lambda = wavelengthM(e);
  const electronsPerM3 = ((water.densityGcm3 * 1e6 * AVOGADRO) / 18.015) * 10;
  const expected = (CLASSICAL_ELECTRON_RADIUS_M * lambda * lambda * electronsPerM3) / (2 * Math.PI);
  assertRelClose(materialOptics(water, e).delta, expected, 0.003, "water delta 150 keV");
});

test("phase shift per length is k delta; an unknown-density formula scales delta and mu linearly", () => {
  const a = materialOptics(resolveMaterial("LiNiO2", 2), 20);
  const b = materialOptics(resolveMaterial("LiNiO2", 4), 20);
  assertRelClose(b.delta, 2 * a.delta, 1e-12, "delta ~ rho");
  assertRelClose(b.mu, 2 * a.mu, 1e-12, "mu ~ rho");
  assertRelClose(b.muRho, a.muRho, 1e-12, "mu/rho independent of rho");
  assertRelClose(phaseShiftPerLength(a.delta, 20), (2 * Math.PI * a.delta) / wavelengthM(20), 1e-12, "k delta");
});

test("interpolation never crosses an edge: just below the Ni K edge is the below value, at it the above", () => {
  const ni = elementTable(28);
  const k = ni.edges.find((x) => x.shell === "K")!;
  const s = newElementInteraction();
  const below = ni.evaluate(k.energyKeV - 1e-9, s).photo;
  const at = ni.evaluate(k.energyKeV, s).photo;
  const above = ni.evaluate(k.energyKeV + 1e-9, s).photo;
  assertRelClose(at / below, k.jumpRatio, 1e-3, "jump at the edge");
  assertRelClose(above, at, 1e-6, "continuous just above");
  assert.ok(k.jumpRatio > 7 && k.jumpRatio < 8.5, `Ni K jump ratio ${k.jumpRatio} (NIST: 7.9)`);
  // Both sides of every edge are monotonic falling power laws near the edge.
  for (const edge of ni.edges) {
    const lo = ni.evaluate(edge.energyKeV * (1 - 1e-3), s).photo;
    const lo2 = ni.evaluate(edge.energyKeV * (1 - 1e-9), s).photo;
    assert.ok(lo2 < lo, `${edge.shell}: tau falls towards the edge from below`);
  }
});

test("every element's grid covers 1-200 keV, rises strictly except at edges, which appear exactly twice", () => {
  for (let z = 1; z <= 92; z++) {
    const t = elementTable(z);
    const e = t.energyKeV;
    assert.ok(e[0]! <= MIN_ENERGY_KEV && e[e.length - 1]! >= MAX_ENERGY_KEV, `Z=${z} range`);
    const duplicates: number[] = [];
    for (let i = 1; i < e.length; i++) {
      assert.ok(e[i]! >= e[i - 1]!, `Z=${z} sorted`);
      if (e[i] === e[i - 1]) duplicates.push(e[i]!);
    }
    assert.equal(duplicates, t.edges.map((x) => x.energyKeV), `Z=${z} duplicates are the edges`);
  }
});

test("incoherent energy transfer tends to the free-electron Klein-Nishina value where binding fades", () => {
  // Klein-Nishina mean energy-transfer fraction sigma_tr/sigma (Attix, Introduction to
  // Radiological Physics and Radiation Dosimetry (1986), chapter 7).
  const knTransfer = (e: number) => {
    const k = e / ELECTRON_REST_ENERGY_KEV;
    const l = Math.log(1 + 2 * k);
    const sigma = ((1 + k) / k ** 2) * ((2 * (1 + k)) / (1 + 2 * k) - l / k) + l / (2 * k) - (1 + 3 * k) / (1 + 2 * k) ** 2;
    const tr =
      (2 * (1 + k) ** 2) / (k ** 2 * (1 + 2 * k)) -
      (1 + 3 * k) / (1 + 2 * k) ** 2 -
      ((1 + k) * (2 * k * k - 2 * k - 1)) / (k * k * (1 + 2 * k) ** 2) -
      (4 * k * k) / (3 * (1 + 2 * k) ** 3) -
      ((1 + k) / k ** 3 - 1 / (2 * k) + 1 / (2 * k ** 3)) * l;
    return tr / sigma;
  };
  // The Klein-Nishina mean energy-transfer fraction is 0.138 at 100 keV (Attix, ch. 7;
  // an independent numerical integration of dsigma_KN/dOmega gives 0.1380).
  assert.ok(Math.abs(knTransfer(100) - 0.138) < 0.001, `KN at 100 keV ${knTransfer(100)}`);
  const s = newElementInteraction();
  assertRelClose(elementTable(1).evaluate(200, s).incoherentTransfer, knTransfer(200), 0.005, "H at 200 keV");
  // Binding raises the mean transfer at low energy (forward, low-transfer events suppressed).
  assert.ok(elementTable(8).evaluate(20, s).incoherentTransfer > knTransfer(20) * 1.03, "O at 20 keV above KN");
});

test("contrast between materials: absorption from mu, phase from delta, signs and ratio", () => {
  const c = opticalContrast(resolveMaterial("CBD"), resolveMaterial("LP30"), 20, 10e-6);
  const a = materialOptics(resolveMaterial("CBD"), 20);
  const b = materialOptics(resolveMaterial("LP30"), 20);
  assertRelClose(c.muDifference, a.mu - b.mu, 1e-12, "dmu");
  assertRelClose(c.absorptionContrast, 1 - Math.exp(-(a.mu - b.mu) * 10e-6), 1e-9, "absorption contrast");
  assertRelClose(c.phaseDifferenceRad, ((2 * Math.PI) / wavelengthM(20)) * (a.delta - b.delta) * 10e-6, 1e-12, "phase");
  // Light materials at 20 keV: phase contrast exceeds absorption contrast by orders of magnitude.
  assert.ok(Math.abs(c.phaseToAbsorption) > 100, `ratio ${c.phaseToAbsorption}`);
});

test("the columnar table equals the per-energy record", () => {
  const m = resolveMaterial("NCA");
  const energies = [5, 7.7, 8.4, 20, 150];
  const t = opticsTable(m, energies);
  energies.forEach((e, i) => {
    const o = materialOptics(m, e);
    assert.is(t.muRho[i], o.muRho);
    assert.is(t.delta[i], o.delta);
    assert.is(t.muEnRho[i], o.muEnRho);
  });
});

test("energies outside 1-200 keV are refused with the value in the message", () => {
  const m = resolveMaterial("water");
  assert.throws(() => materialOptics(m, 0.5), /between 1 and 200 keV, got 0.5 keV/);
  assert.throws(() => materialOptics(m, 250), /got 250 keV/);
  assert.throws(() => materialOptics(m, Number.NaN), /got NaN keV/);
});

test.run();
