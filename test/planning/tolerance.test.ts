import { spawnSync } from "node:child_process";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { validateScenario } from "../../src/engine/scenario.js";
import { planTolerance } from "../../src/planning/tolerance.js";
import { REPO_ROOT } from "../helpers.js";

/** An NMC811 sphere in LP30 electrolyte inside a Kapton wall, cooled by convection only. */
const raw = (photonsPerPixel: number, h = "1000 W/(m^2 K)") => ({
  name: "plan",
  seed: 1,
  sample: {
    voxelSize: "1 um",
    shape: [16, 16, 16],
    background: "LP30",
    objects: [{ type: "sphere", material: "NMC811", center: ["0 um", "0 um", "0 um"], radius: "5 um" }],
  },
  beam: { energy: "17 keV", photonsPerPixel },
  geometry: { type: "parallel", angles: 100, range: "180 deg" },
  detector: { cols: 16, rows: 16, pixelSize: "1 um" },
  scan: { exposure: "0.5 s" },
  thermal: { ambient: "295 K", coarsen: 2, surroundings: [{ material: "Kapton", thickness: "4 um" }], convection: h },
});

const limits = { maxTemperatureRiseK: 10, doseBudgetGy: 1e7 };

test("linearity: twice the flux, twice the dose and twice the temperature rise; the limits scale back", () => {
  const a = planTolerance(validateScenario(raw(1e6)), limits, { samples: 2 });
  const b = planTolerance(validateScenario(raw(2e6)), limits, { samples: 2 });
  assert.ok(Math.abs(b.maxDoseGy / a.maxDoseGy - 2) < 1e-6, `dose ratio ${b.maxDoseGy / a.maxDoseGy}`);
  assert.ok(Math.abs(b.meanDoseGy / a.meanDoseGy - 2) < 1e-6);
  assert.ok(Math.abs(b.peakDoseRateGyPerS / a.peakDoseRateGyPerS - 2) < 1e-6);
  assert.ok(a.peakTemperatureRiseK! > 0);
  assert.ok(Math.abs(b.peakTemperatureRiseK! / a.peakTemperatureRiseK! - 2) < 1e-5, `rise ratio ${b.peakTemperatureRiseK! / a.peakTemperatureRiseK!}`);
  // The flux limit is the same physical flux whichever flux the plan starts from.
  assert.ok(Math.abs(b.maxFluxPhotonsPerS! / a.maxFluxPhotonsPerS! - 1) < 1e-5);
  // An in situ series of 3 identical scans: 3 times the dose, the same heating.
  const series = planTolerance(validateScenario(raw(1e6)), limits, { samples: 2, scans: 3 });
  assert.ok(Math.abs(series.maxDoseGy / a.maxDoseGy - 3) < 1e-6);
  assert.ok(Math.abs(series.peakTemperatureRiseK! / a.peakTemperatureRiseK! - 1) < 1e-6);
  // NMC absorbs far more than the electrolyte: the per-material summary says so.
  assert.ok(a.byMaterial.NMC811!.meanGy > 10 * a.byMaterial.LP30!.meanGy);
  // At the limits the rise is the limit: rise x maxFlux / flux = 10 K.
  assert.ok(Math.abs((a.peakTemperatureRiseK! * a.maxFluxPhotonsPerS!) / a.fluxPhotonsPerS - 10) < 1e-9);
});

test("a bubble is predicted above the electrolyte's boiling point and not below", () => {
  // Weak cooling so that the steady rise passes LP30's 363 K threshold (68 K above 295 K) at the high flux only.
  const cool = planTolerance(validateScenario(raw(1e6, "100 W/(m^2 K)")), limits, { samples: 2 });
  const rise = cool.peakTemperatureRiseK!;
  assert.ok(rise > 0 && rise < 68, `low-flux rise ${rise} K stays below the boiling threshold`);
  assert.is(cool.timeToFirstBubbleS, null);
  const scale = (2 * 68) / rise; // twice the flux needed to reach 363 K at the hottest cell
  const hot = planTolerance(validateScenario(raw(1e6 * scale, "100 W/(m^2 K)")), limits, { samples: 2 });
  assert.ok(hot.peakTemperatureRiseK! > 68);
  assert.ok(hot.timeToFirstBubbleS !== null && hot.timeToFirstBubbleS > 0 && hot.timeToFirstBubbleS <= hot.beamOnTimeS, `first bubble ${hot.timeToFirstBubbleS}`);
});

test("xtwin plan --json prints the issue's keys; bad limits are refused", () => {
  const cli = REPO_ROOT + "dist/src/cli/main.js";
  const path = REPO_ROOT + "scenarios/dose-tolerance-nmc.yaml";
  const r = spawnSync(process.execPath, [cli, "plan", path, "--json", "--samples", "1", "--max-temperature-rise", "5K", "--dose-budget", "1e8Gy"], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as Record<string, unknown>;
  for (const k of ["maxDoseGy", "meanDoseGy", "peakDoseRateGyPerS", "peakTemperatureRiseK", "timeToFirstBubbleS", "maxFluxPhotonsPerS", "maxExposureS", "snr"]) {
    assert.ok(k in j, `key ${k}`);
  }
  const bad = spawnSync(process.execPath, [cli, "plan", path, "--dose-budget", "lots"], { encoding: "utf8" });
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /--dose-budget: expected a dose such as "1e8Gy"/);
});

test.run();
