import { test } from "uvu";
import * as assert from "uvu/assert";
import { ELECTRONVOLT_J } from "../../src/core/constants.js";
import { contrastEnergyCurve, logEnergyGrid, ROSE_CNR } from "../../src/materials/contrastEnergy.js";
import { resolveMaterial } from "../../src/materials/library.js";
import { materialOptics } from "../../src/materials/optics.js";
import { assertRelClose } from "../helpers.js";

test("per incident photon, a weak detail is best seen where mu T = 2 (Grodzins 1983)", () => {
  // Detail = the same water at 1.1x density: dmu = 0.1 mu at every energy, so
  // CNR^2/photon ~ mu^2 exp(-mu T), maximal at mu T = 2 exactly.
  const water = resolveMaterial("water");
  const denser = resolveMaterial("H2O", water.densityGcm3 * 1.1);
  const T = 0.02; // 2 cm of water: mu T = 2 falls near 18 keV
  const r = contrastEnergyCurve(denser, water, { thicknessM: T, detailM: 1e-9, energiesKeV: logEnergyGrid(5, 100, 4000) });
  const bestPerPhoton = r.curve.reduce((m, p) => (p.cnr2PerPhoton > m.cnr2PerPhoton ? p : m));
  assert.ok(Math.abs(bestPerPhoton.muB * T - 2) < 0.01, `mu T at the per-photon optimum: ${bestPerPhoton.muB * T}`);
});

test("CNR^2 per dose equals the closed form at a chosen energy", () => {
  const a = resolveMaterial("NMC811");
  const b = resolveMaterial("LP30");
  const T = 500e-6;
  const d = 2e-6;
  const pixel = 0.65e-6;
  const e = 25;
  const r = contrastEnergyCurve(a, b, { thicknessM: T, detailM: d, pixelM: pixel, energiesKeV: [e] });
  const oa = materialOptics(a, e);
  const ob = materialOptics(b, e);
  const cnr2PerPhoton = Math.exp(-ob.mu * T) * (1 - Math.exp(-(oa.mu - ob.mu) * d)) ** 2;
  const dosePerFluence = (e * 1e3 * ELECTRONVOLT_J * (ob.muEnRho / ob.muRho) * (1 - Math.exp(-ob.mu * T))) / (ob.densityGcm3 * 1000 * T);
  const p = r.curve[0]!;
  assertRelClose(p.cnr2PerPhoton, cnr2PerPhoton, 1e-9, "CNR^2 per photon");
  assertRelClose(p.dosePerFluenceGyM2, dosePerFluence, 1e-9, "dose per fluence");
  assertRelClose(p.cnr2PerGy, (cnr2PerPhoton * pixel * pixel) / dosePerFluence, 1e-9, "CNR^2 per Gy");
  assertRelClose(p.roseDoseGy * p.cnr2PerGy, ROSE_CNR * ROSE_CNR, 1e-12, "Rose dose");
});

test("the optimum is a maximum of the curve and moves up in energy for thicker samples", () => {
  const a = resolveMaterial("NMC811");
  const b = resolveMaterial("LP30");
  const thin = contrastEnergyCurve(a, b, { thicknessM: 100e-6 });
  const thick = contrastEnergyCurve(a, b, { thicknessM: 5e-3 });
  for (const r of [thin, thick]) {
    assert.ok(r.curve.every((p) => p.cnr2PerGy <= r.best.cnr2PerGy * (1 + 1e-9)), "best is the maximum");
  }
  assert.ok(thick.best.energyKeV > thin.best.energyKeV, `${thin.best.energyKeV} -> ${thick.best.energyKeV} keV`);
});

test("bad lengths are refused", () => {
  const w = resolveMaterial("water");
  assert.throws(() => contrastEnergyCurve(w, w, { thicknessM: 0 }), /thickness must be a positive length/);
  assert.throws(() => contrastEnergyCurve(w, w, { thicknessM: 1e-3, pixelM: -1 }), /pixel must be a positive length/);
});

test.run();
