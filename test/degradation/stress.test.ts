/** Diffusion-induced stress in a sphere against closed forms (Zhang, Shyy, Sastry 2007, eqs. 7-8). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { hoopStressProfile, maxHoopStressPa, NMC811_ELASTIC } from "../../src/degradation/stress.js";
import { SphereDiffusion } from "../../src/degradation/diffusion.js";

const P = NMC811_ELASTIC;
const K = (P.partialMolarVolumeM3PerMol * P.youngModulusPa) / (3 * (1 - P.poissonRatio));
const R = 5e-6;

test("parabolic c = c0 + a r^2: stresses equal the closed form to 1e-6 (uniform and uneven radii)", () => {
  // I(r) = c0 r^3/3 + a r^5/5, so sigma_r = (2aK/5)(R^2 - r^2), sigma_t = (2aK/5)(R^2 - 2 r^2).
  const c0 = 30000;
  const a = -2000 / (R * R); // 2000 mol/m^3 poorer at the surface
  for (const spacing of ["uniform", "uneven"]) {
    const n = 41;
    const r = new Float64Array(n);
    for (let i = 0; i < n; i++) r[i] = spacing === "uniform" ? (R * i) / (n - 1) : R * Math.sqrt(i / (n - 1)) * (0.7 + 0.3 * (i / (n - 1)));
    r[n - 1] = R;
    const c = r.map((x) => c0 + a * x * x);
    const { radialPa, hoopPa } = hoopStressProfile(r, c, P);
    const scale = Math.abs((2 * a * K * R * R) / 5);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const x = r[i]!;
      const er = Math.abs(radialPa[i]! - ((2 * a * K) / 5) * (R * R - x * x)) / scale;
      const et = Math.abs(hoopPa[i]! - ((2 * a * K) / 5) * (R * R - 2 * x * x)) / scale;
      worst = Math.max(worst, er, et);
    }
    assert.ok(worst < 1e-6, `${spacing}: worst relative error ${worst}`);
  }
});

test("surface hoop stress is tensile on delithiation and equals K (c_avg - c_R); compressive on lithiation", () => {
  const sphere = new SphereDiffusion({ radiusM: R, shells: 60, diffusivityM2PerS: 1e-14, initialMolPerM3: 50000 });
  for (let s = 0; s < 50; s++) sphere.step(10, 2e-5); // lithium leaving: charging a cathode
  const { radiiM, concentration } = sphere.profileWithSurface(2e-5);
  const { radialPa, hoopPa } = hoopStressProfile(radiiM, concentration, P);
  const n = radiiM.length;
  const expected = K * (sphere.averageConcentration() - concentration[n - 1]!);
  assert.ok(hoopPa[n - 1]! > 0, "tensile at the surface");
  assert.ok(Math.abs(hoopPa[n - 1]! / expected - 1) < 2e-3, `surface ${hoopPa[n - 1]} vs K(c_avg - c_R) = ${expected}`);
  assert.is(radialPa[n - 1], 0);
  assert.ok(hoopPa[0]! < 0 && radialPa[0]! < 0, "centre in compression");
  assert.ok(Math.abs(maxHoopStressPa(radiiM, concentration, P) - hoopPa[n - 1]!) < 1e-9 * expected, "max at the surface");
  // Mirror: lithiation reverses every sign.
  const mirrored = concentration.map((c) => 2 * 50000 - c);
  const back = hoopStressProfile(radiiM, mirrored, P);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(back.hoopPa[i]! + hoopPa[i]!) <= 1e-6 * Math.abs(expected));
});

test("uniform concentration gives zero stress", () => {
  const r = [0.5e-6, 1.5e-6, 2.5e-6, 3.5e-6, 4.5e-6, 5e-6];
  const { radialPa, hoopPa } = hoopStressProfile(r, r.map(() => 42000), P);
  for (let i = 0; i < r.length; i++) {
    assert.ok(Math.abs(radialPa[i]!) < 1e-6 && Math.abs(hoopPa[i]!) < 1e-6, `r=${r[i]}: ${radialPa[i]}, ${hoopPa[i]} Pa`);
  }
});

test("bad input gives RangeErrors", () => {
  assert.throws(() => hoopStressProfile([1, 2], [1, 2], P), /at least 3 radii/);
  assert.throws(() => hoopStressProfile([1, 3, 2], [1, 2, 3], P), /increase strictly/);
  assert.throws(() => hoopStressProfile([1, 2, 3], [1, 2, 3], { ...P, poissonRatio: 0.5 }), /poissonRatio/);
});

test.run();
