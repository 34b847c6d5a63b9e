import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  GAS_CONSTANT_J_PER_MOL_K,
  SEI_LEDC_PARAMETERS,
  arrhenius,
  seiGrowthConstant,
  seiLithiumPerSurfaceArea,
  seiThicknessAfter,
} from "../../src/degradation/sei.js";

test("with L0 = 0 the thickness grows as t^0.5 (log-log slope over 6 decades)", () => {
  const k = seiGrowthConstant(SEI_LEDC_PARAMETERS, 298.15);
  // Least-squares slope of log L against log t, t = 1e2 .. 1e8 s.
  let sx = 0, sy = 0, sxx = 0, sxy = 0, n = 0;
  for (let e = 2; e <= 8; e += 0.25) {
    const x = e * Math.LN10;
    const y = Math.log(seiThicknessAfter(0, k, 10 ** e));
    sx += x; sy += y; sxx += x * x; sxy += x * y; n++;
  }
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  assert.ok(Math.abs(slope - 0.5) < 0.01, `slope ${slope}`);
});

test("the closed form solves dL/dt = k/L (RK4 integration agrees to 1e-6)", () => {
  const k = seiGrowthConstant(SEI_LEDC_PARAMETERS, 318.15);
  const L0 = 2.5e-9;
  const tEnd = 3.15e7; // one year
  const steps = 2000;
  const h = tEnd / steps;
  let L = L0;
  const f = (l: number): number => k / l;
  for (let s = 0; s < steps; s++) {
    const k1 = f(L), k2 = f(L + 0.5 * h * k1), k3 = f(L + 0.5 * h * k2), k4 = f(L + h * k3);
    L += (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  const closed = seiThicknessAfter(L0, k, tEnd);
  assert.ok(Math.abs(L / closed - 1) < 1e-6, `RK4 ${L} vs closed form ${closed}`);
});

test("Arrhenius ratio between two temperatures is exp(-Ea/R (1/T1 - 1/T2))", () => {
  const p = SEI_LEDC_PARAMETERS;
  const ratio = seiGrowthConstant(p, 318.15) / seiGrowthConstant(p, 298.15);
  const expected = Math.exp((-p.activationEnergyJPerMol / GAS_CONSTANT_J_PER_MOL_K) * (1 / 318.15 - 1 / 298.15));
  assert.ok(Math.abs(ratio / expected - 1) < 1e-14, `${ratio} vs ${expected}`);
  assert.is(arrhenius(3, 50e3, 300, 300), 3);
});

test("k = V D c / 2 and lithium per SEI volume = 2 / V (LEDC, Ploehn 2004 stoichiometry)", () => {
  const p = SEI_LEDC_PARAMETERS;
  // 9.5858e-5 m^3/mol * 2.5e-22 m^2/s * 2636 mol/m^3 / 2 = 3.1584e-23 m^2/s
  assert.ok(Math.abs(seiGrowthConstant(p, 298.15) / 3.15843e-23 - 1) < 1e-4);
  // 1 nm of LEDC holds 2 * 1e-9 / 9.5858e-5 = 2.0864e-5 mol/m^2 of lithium.
  assert.ok(Math.abs(seiLithiumPerSurfaceArea(1e-9, p) / 2.08642e-5 - 1) < 1e-4);
});

test("bad inputs are RangeErrors", () => {
  assert.throws(() => seiThicknessAfter(0, 1e-23, -1), RangeError);
  assert.throws(() => arrhenius(1, 1, 0, 298), RangeError);
  assert.throws(() => seiLithiumPerSurfaceArea(-1e-9, SEI_LEDC_PARAMETERS), RangeError);
});

test.run();
