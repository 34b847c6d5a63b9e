import { test } from "uvu";
import * as assert from "uvu/assert";
import { LG_M50_CELL, cycleCharge, simulateAgeing, type CellDesign, type DegradationRecord } from "../../src/degradation/ageing.js";
import { totalLithium } from "../../src/degradation/inventory.js";
import { specificSurfaceArea } from "../../src/degradation/plating.js";
import { parseProtocol } from "../../src/degradation/protocol.js";
import { seiGrowthConstant, seiLithiumPerSurfaceArea, seiThicknessAfter } from "../../src/degradation/sei.js";

const oneC = parseProtocol({ cycles: 500, chargeRate: "1C", dischargeRate: "1C", temperatureK: 298.15, voltageWindow: [2.5, 4.2] });
const gentle = parseProtocol({ cycles: 200, chargeRate: "C/3", dischargeRate: "C/3", temperatureK: 298.15, voltageWindow: [2.5, 4.2] });
const nominal = { ...LG_M50_CELL, seiRateSpread: 0 };
const noCatalysis = { ...nominal, tmCatalysedSeiLiPerAtomPerCycle: 0 };

test("records carry the issue's keys, one per cycle from 0", () => {
  const r = simulateAgeing(gentle, LG_M50_CELL, 1);
  assert.is(r.length, 201);
  const keys: (keyof DegradationRecord)[] = ["cycle", "capacityFraction", "lliFraction", "lamFraction", "seiThicknessM", "platedLiVolumeFraction",
    "crackVolumeFraction", "rockSaltThicknessM", "internalShort"];
  for (const k of keys) assert.ok(k in r[7]!, k);
  assert.is(r[0]!.capacityFraction, 1);
  assert.is(r[200]!.cycle, 200);
  assert.is(r[200]!.crackVolumeFraction, 0);
  assert.is(r[200]!.internalShort, false);
});

test("capacity never increases (1C/25 °C and 4C/-10 °C)", () => {
  const cold = parseProtocol({ cycles: 100, chargeRate: "4C", dischargeRate: "1C", temperatureK: 263.15, voltageWindow: [2.5, 4.2] });
  for (const p of [oneC, cold]) {
    const r = simulateAgeing(p, LG_M50_CELL, 3);
    for (let n = 1; n < r.length; n++) assert.ok(r[n]!.capacityFraction <= r[n - 1]!.capacityFraction, `cycle ${n}`);
  }
});

test("without plating (and without TM catalysis) the lithium loss is exactly the SEI's: 2 (L - L0)/V a L_neg", () => {
  const r = simulateAgeing(gentle, noCatalysis, 1);
  const last = r[200]!;
  assert.is(last.platedLiVolumeFraction, 0);
  const k = seiGrowthConstant(nominal.sei, 298.15);
  // One cycle = the CC-CV charge (its own duration) + the discharge of the same charge.
  const timing = cycleCharge(gentle, nominal);
  assert.ok(timing.cycleTimeS > 0.9 * gentle.cycleTimeS && timing.cycleTimeS < 1.1 * gentle.cycleTimeS, `${timing.cycleTimeS} s`);
  const L = seiThicknessAfter(nominal.sei.initialThicknessM, k, 200 * timing.cycleTimeS);
  assert.ok(Math.abs(last.seiThicknessM / L - 1) < 1e-12);
  const neg = nominal.negative;
  const lost = seiLithiumPerSurfaceArea(L - nominal.sei.initialThicknessM, nominal.sei) * specificSurfaceArea(neg) * neg.thicknessM;
  assert.ok(Math.abs(last.lliFraction / (lost / r[0]!.inventory.cyclable) - 1) < 1e-9, `${last.lliFraction}`);
});

test("rock-salt shell grows as sqrt(cycles) and faster at a higher cut-off", () => {
  const r = simulateAgeing(gentle, nominal, 1);
  assert.ok(Math.abs(r[200]!.rockSaltThicknessM / r[50]!.rockSaltThicknessM - 2) < 1e-12);
  const high = simulateAgeing({ ...gentle, voltageWindowV: [2.5, 4.4] }, nominal, 1);
  assert.ok(high[200]!.rockSaltThicknessM > r[200]!.rockSaltThicknessM);
  assert.ok(high[200]!.lamFraction > r[200]!.lamFraction);
});

test("same seed -> identical records; another seed -> another cell", () => {
  const a = simulateAgeing(oneC, LG_M50_CELL, 42);
  const b = simulateAgeing(oneC, LG_M50_CELL, 42);
  const c = simulateAgeing(oneC, LG_M50_CELL, 43);
  assert.equal(a, b);
  assert.ok(a[500]!.seiThicknessM !== c[500]!.seiThicknessM);
});

test("hooks: crack fraction is reported, isolation costs capacity, a short is flagged", () => {
  const r = simulateAgeing(gentle, nominal, 1, {
    crackVolumeFraction: (n, c, t) => (c === 1 / 3 && t === 298.15 ? 1e-4 * n : NaN),
    isolatedActiveFraction: (n) => (n >= 100 ? 0.05 : 0),
    internalShort: (n) => n >= 150,
  });
  assert.is(r[100]!.crackVolumeFraction, 0.01);
  assert.ok(r[100]!.lamFraction >= 0.05);
  // Isolating 5 % of the (discharged) cathode strands 5 % of the cyclable lithium.
  assert.ok(r[99]!.capacityFraction - r[100]!.capacityFraction > 0.049);
  assert.is(r[149]!.internalShort, false);
  assert.is(r[150]!.internalShort, true);
  assert.throws(() => simulateAgeing(gentle, nominal, 1, { crackVolumeFraction: () => 2 }), RangeError);
});

test("TM-catalysed SEI off: dissolution changes nothing but the deposit, bit for bit; absent field = 0", () => {
  const off = (rate: number) => simulateAgeing(gentle, { ...noCatalysis, cathodeSurface: { ...nominal.cathodeSurface, dissolutionMolPerM2PerCycle: rate } }, 1);
  const a = off(1e-8);
  const b = off(4e-8);
  const withoutField: CellDesign = { ...noCatalysis };
  delete withoutField.tmCatalysedSeiLiPerAtomPerCycle;
  assert.equal(simulateAgeing(gentle, withoutField, 1), a);
  for (let n = 0; n <= 200; n++) {
    const { transitionMetalOnAnodeMolPerM2: tmA, ...restA } = a[n]!;
    const { transitionMetalOnAnodeMolPerM2: tmB, ...restB } = b[n]!;
    assert.equal(restA, restB);
    if (n > 0) assert.ok(tmB > tmA);
  }
});

test("TM-catalysed SEI on: extra SEI lithium = n_cat * sum of the deposit over cycles; LLI rises with the dissolution rate; lithium conserved", () => {
  const turnover = 0.1;
  const run = (rate: number) => simulateAgeing(gentle, { ...nominal, tmCatalysedSeiLiPerAtomPerCycle: turnover, cathodeSurface: { ...nominal.cathodeSurface, dissolutionMolPerM2PerCycle: rate } }, 1);
  const base = simulateAgeing(gentle, noCatalysis, 1);
  // No dissolution, no deposit: the coupling has nothing to act on.
  assert.equal(run(0), simulateAgeing(gentle, { ...noCatalysis, cathodeSurface: { ...nominal.cathodeSurface, dissolutionMolPerM2PerCycle: 0 } }, 1));
  const rates = [0, 0.5e-8, 1e-8, 2e-8, 4e-8];
  const lli = rates.map((x) => run(x)[200]!.lliFraction);
  for (let i = 1; i < rates.length; i++) assert.ok(lli[i]! > lli[i - 1]!, `LLI ${lli}`);
  const r = run(1e-8);
  const perCycle = r[1]!.transitionMetalOnAnodeMolPerM2;
  const total0 = totalLithium(r[0]!.inventory);
  for (let n = 1; n <= 200; n++) {
    // The deposit after cycle k is k * perCycle; each cycle binds turnover * deposit.
    const extra = turnover * perCycle * (n * (n + 1)) / 2;
    assert.ok(Math.abs((r[n]!.inventory.sei - base[n]!.inventory.sei) / extra - 1) < 1e-6, `cycle ${n}`);
    assert.ok(Math.abs(totalLithium(r[n]!.inventory) / total0 - 1) < 1e-12, `cycle ${n}`);
    assert.ok(r[n]!.seiThicknessM > base[n]!.seiThicknessM);
  }
  // Thickness bookkeeping: the catalysed layer holds its lithium at the SEI's 2 Li per formula unit.
  const graphiteArea = specificSurfaceArea(nominal.negative) * nominal.negative.thicknessM;
  const dL = r[200]!.seiThicknessM - base[200]!.seiThicknessM;
  const fromThickness = seiLithiumPerSurfaceArea(dL, nominal.sei) * graphiteArea;
  assert.ok(Math.abs(fromThickness / (r[200]!.inventory.sei - base[200]!.inventory.sei) - 1) < 1e-6);
  assert.throws(() => simulateAgeing(gentle, { ...nominal, tmCatalysedSeiLiPerAtomPerCycle: -1 }, 1), /tmCatalysedSeiLiPerAtomPerCycle/);
});

test.run();
