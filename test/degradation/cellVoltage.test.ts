import { test } from "uvu";
import * as assert from "uvu/assert";
import { LG_M50_CELL } from "../../src/degradation/ageing.js";
import {
  cellVoltageV,
  currentAtVoltage,
  electrolyteResistanceOhmM2,
  nmc811OcpV,
  openCircuitVoltageV,
  oxideExchangeCurrentDensity,
} from "../../src/degradation/cellVoltage.js";
import { electrolyteConductivitySPerM, graphiteOcpV, usableLithiumPerArea } from "../../src/degradation/plating.js";
import { FARADAY_C_PER_MOL } from "../../src/degradation/sei.js";

// Chen et al. 2020 parameters throughout; none set for these tests.
const cell = LG_M50_CELL;
const oneC = (usableLithiumPerArea(cell.negative) * FARADAY_C_PER_MOL) / 3600;

test("OCV at the window ends of Chen 2020 matches their 2.5 V / 4.2 V cut-offs within 10 mV", () => {
  // The windows (x, y) = (0.0279, 0.9084) and (0.9014, 0.2661) were chosen by Chen et al. so
  // that their OCP fits give the cell's 2.5 V and 4.2 V cut-offs; the fits themselves are
  // tanh sums matched to pseudo-OCV data to within several mV, so 10 mV is the tolerance the
  // source supports. (Values: 2.4977 V and 4.1929 V.)
  const empty = nmc811OcpV(0.9084) - graphiteOcpV(0.0279);
  const full = nmc811OcpV(0.2661) - graphiteOcpV(0.9014);
  assert.ok(Math.abs(empty - 2.5) < 0.01, `OCV(empty) = ${empty}`);
  assert.ok(Math.abs(full - 4.2) < 0.01, `OCV(full) = ${full}`);
  assert.ok(Math.abs(openCircuitVoltageV(cell, 0) - empty) < 1e-12);
  assert.ok(Math.abs(openCircuitVoltageV(cell, 1) - full) < 1e-12);
  // The OCV rises monotonically with state of charge.
  let previous = -Infinity;
  for (let s = 0; s <= 1.0000001; s += 0.01) {
    const v = openCircuitVoltageV(cell, s);
    assert.ok(v > previous, `OCV not rising at s = ${s}`);
    previous = v;
  }
});

test("electrolyte resistance: separator L/(kappa eps^1.5) + L/(3 kappa eps^1.5) per electrode", () => {
  const k = electrolyteConductivitySPerM(1000, 298.15);
  const expected = 12e-6 / (k * 0.47 ** 1.5) + 85.2e-6 / (3 * k * 0.25 ** 1.5) + 75.6e-6 / (3 * k * 0.335 ** 1.5);
  assert.ok(Math.abs(electrolyteResistanceOhmM2(cell, 298.15) / expected - 1) < 1e-12);
  // ~3.3e-4 ohm m^2 = 3.2 mohm for the 0.1027 m^2 LG M50 electrode: the order of its measured
  // high-frequency resistance (tens of mohm includes tabs and contacts; electrolyte is a part).
  assert.ok(expected > 2e-4 && expected < 5e-4, `${expected}`);
  assert.ok(electrolyteResistanceOhmM2(cell, 263.15) > 1.8 * expected, "resistance rises as the electrolyte cools");
});

test("Butler-Volmer + ohmic overpotential: V(I) - OCV is odd in I, rises with I, and is I R + 2 asinh terms", () => {
  const s = 0.5, T = 298.15;
  const ocv = openCircuitVoltageV(cell, s);
  const up = cellVoltageV(cell, oneC, s, T) - ocv;
  const down = cellVoltageV(cell, -oneC, s, T) - ocv;
  assert.ok(Math.abs(up + down) < 1e-12, `${up} vs ${down}`);
  // ~0.11 V at 1C and half charge, mostly the graphite kinetics (m = 6.48e-7 gives j0 ~ 0.34 A/m^2).
  assert.ok(up > 0.05 && up < 0.15, `1C overpotential ${up} V`);
  // Small-current limit: V - OCV -> I (R + RT/F (1/(a_n L_n j0_n) + 1/(a_p L_p j0_p))).
  const i = 1e-3 * oneC;
  const neg = cell.negative, pos = cell.positive;
  const RTF = (8.314462618 * T) / FARADAY_C_PER_MOL;
  const x = 0.0279 + s * (0.9014 - 0.0279), y = 0.9084 - s * (0.9084 - 0.2661);
  const j0n = 6.48e-7 * Math.sqrt(1000 * x * 33133 * (33133 - x * 33133));
  const j0p = oxideExchangeCurrentDensity(pos, y, 1000, T);
  const aLn = ((3 * neg.activeVolumeFraction) / neg.particleRadiusM) * neg.thicknessM;
  const aLp = ((3 * pos.activeVolumeFraction) / pos.particleRadiusM) * pos.thicknessM;
  const slope = electrolyteResistanceOhmM2(cell, T) + RTF * (1 / (aLn * j0n) + 1 / (aLp * j0p));
  assert.ok(Math.abs((cellVoltageV(cell, i, s, T) - ocv) / (i * slope) - 1) < 1e-4);
});

test("currentAtVoltage inverts V(I): the solved current gives V = V_max to 1 uV", () => {
  for (const s of [0.8, 0.9, 0.95, 0.99]) {
    const i = currentAtVoltage(cell, 4.2, s, 298.15, 4 * oneC);
    assert.ok(i > 0 && i < 4 * oneC);
    assert.ok(Math.abs(cellVoltageV(cell, i, s, 298.15) - 4.2) < 1e-6, `s ${s}`);
  }
  assert.is(currentAtVoltage(cell, 3.0, 0.9, 298.15, oneC), 0, "OCV already above V_max: no charge current");
  assert.is(currentAtVoltage(cell, 5.0, 0.1, 298.15, oneC), oneC, "the bracket's top when V_max is out of reach");
});

test.run();
