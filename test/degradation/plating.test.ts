import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  LG_M50_GRAPHITE,
  electrolyteConductivitySPerM,
  graphiteOcpV,
  platingAt,
  platingDuringCharge,
  usableLithiumPerArea,
  type PlatingState,
} from "../../src/degradation/plating.js";
import { FARADAY_C_PER_MOL } from "../../src/degradation/sei.js";

// All parameters are Chen et al. 2020 (LG M50) and Valøen & Reimers 2005; none set for this test.
const e = LG_M50_GRAPHITE;

test("plating at 4C and 263 K (-10 °C), none at C/3 and 298 K (25 °C)", () => {
  const cold = platingDuringCharge(e, 4, 263.15);
  const mild = platingDuringCharge(e, 1 / 3, 298.15);
  assert.ok(cold.platedMolPerM2 > 0 && cold.minSeparatorPotentialV < 0, `4C/263 K: ${JSON.stringify(cold)}`);
  assert.is(mild.platedMolPerM2, 0);
  assert.ok(mild.minSeparatorPotentialV > 0.02, `C/3/298 K keeps > 20 mV margin: ${mild.minSeparatorPotentialV}`);
  // Plated lithium cannot exceed the charge passed.
  assert.ok(cold.platedMolPerM2 < usableLithiumPerArea(e));
});

test("plating grows with rate and with falling temperature", () => {
  let previous = -1;
  for (const c of [0.5, 1, 2, 4]) {
    const p = platingDuringCharge(e, c, 273.15).platedMolPerM2;
    assert.ok(p >= previous, `rate ${c}C: ${p} after ${previous}`);
    previous = p;
  }
  previous = Infinity;
  for (const t of [253.15, 263.15, 273.15, 298.15, 318.15]) {
    const p = platingDuringCharge(e, 2, t).platedMolPerM2;
    assert.ok(p <= previous, `T ${t}: ${p} after ${previous}`);
    previous = p;
  }
});

test("plating starts at the separator side", () => {
  const charge = platingDuringCharge(e, 4, 263.15);
  const state: PlatingState = { separatorPotentialV: 0, platingCurrentAPerM2: 0, platingDepthFraction: 0 };
  const current = (usableLithiumPerArea(e) * FARADAY_C_PER_MOL * 4) / 3600;
  platingAt(e, current, charge.onsetStoichiometry, 263.15, state);
  assert.ok(state.platingCurrentAPerM2 > 0);
  assert.ok(state.platingDepthFraction > 0 && state.platingDepthFraction <= 0.25, `depth at onset ${state.platingDepthFraction}`);
  // Plating current is a part of the applied current.
  assert.ok(state.platingCurrentAPerM2 < current);
});

test("graphite OCP (Chen 2020) lies on the graphite staging plateaus, 0.08-0.25 V for x in [0.2, 0.9]", () => {
  for (let x = 0.2; x <= 0.9; x += 0.05) {
    const u = graphiteOcpV(x);
    assert.ok(u > 0.08 && u < 0.25, `U(${x}) = ${u}`);
  }
  assert.ok(graphiteOcpV(0.01) > 1, "delithiated graphite sits near 1-2 V");
});

test("LiPF6 conductivity (Valøen & Reimers 2005): ~1.2 S/m at 1 M and 25 °C, halves by -10 °C", () => {
  const k298 = electrolyteConductivitySPerM(1000, 298.15);
  const k263 = electrolyteConductivitySPerM(1000, 263.15);
  assert.ok(k298 > 1.0 && k298 < 1.3, `${k298}`);
  assert.ok(k263 / k298 > 0.35 && k263 / k298 < 0.6, `${k263 / k298}`);
});

test("bad inputs are RangeErrors", () => {
  assert.throws(() => platingDuringCharge(e, 0, 298), RangeError);
  assert.throws(() => platingDuringCharge(e, 1, -1), RangeError);
  assert.throws(() => platingDuringCharge({ ...e, stoichiometryWindow: [0.9, 0.1] }, 1, 298), RangeError);
});

test.run();
