import { test } from "uvu";
import * as assert from "uvu/assert";
import { LG_M50_CELL, simulateAgeing } from "../../src/degradation/ageing.js";
import { cellVoltageV } from "../../src/degradation/cellVoltage.js";
import { ccCvCharge, relativeCurrentSteps } from "../../src/degradation/chargeProfile.js";
import { LG_M50_GRAPHITE, platingDuringCharge, platingDuringProfile } from "../../src/degradation/plating.js";
import { parseProtocol } from "../../src/degradation/protocol.js";
import { totalLithium } from "../../src/degradation/inventory.js";

const cell = LG_M50_CELL;
const charge = (cRate: number, T = 298.15, cutoffCRate = 1 / 20) => ccCvCharge(cell, { cRate, upperVoltageV: 4.2, cutoffCRate, temperatureK: T });

test("CC phase at the set current below V_max; CV phase holds V_max within 1 mV with a falling current", () => {
  const p = charge(1);
  let cv = 0;
  let previous = Infinity;
  for (let k = 0; k < p.steps; k++) {
    const v = cellVoltageV(cell, p.currentAPerM2[k]!, p.stateOfCharge[k]!, 298.15);
    if (p.phase[k] === 0) {
      assert.is(p.currentAPerM2[k], p.constantCurrentAPerM2);
      assert.ok(v < 4.2 + 1e-9, `CC step ${k}: ${v} V`);
    } else {
      cv++;
      assert.ok(Math.abs(v - 4.2) < 1e-3, `CV step ${k}: ${v} V`);
      assert.ok(p.currentAPerM2[k]! < previous, `CV current must fall (step ${k})`);
      previous = p.currentAPerM2[k]!;
    }
  }
  assert.ok(cv > 10, `${cv} CV steps`);
  // It ends at the cut-off current C/20 (within one step's fall).
  const last = p.currentAPerM2[p.steps - 1]!;
  assert.ok(last > p.constantCurrentAPerM2 / 20 && last < (1.2 * p.constantCurrentAPerM2) / 20, `last current ${last / p.constantCurrentAPerM2} C`);
  // Charge passed = integral of I dt = final state of charge times the nominal capacity.
  let q = 0;
  for (let k = 0; k < p.steps; k++) q += p.currentAPerM2[k]! * p.durationS[k]!;
  assert.ok(Math.abs(q / p.nominalChargeCPerM2 / p.chargedFraction - 1) < 1e-9);
  assert.ok(p.cvStartStateOfCharge < p.finalStateOfCharge && p.finalStateOfCharge < 1);
});

test("relative current on fewer steps keeps the charge passed and the duration, and starts at the CC current", () => {
  const profile = ccCvCharge(LG_M50_CELL, { cRate: 1, upperVoltageV: 4.2, cutoffCRate: 1 / 20, temperatureK: 298.15 });
  const coarse = relativeCurrentSteps(profile, 200);
  assert.ok(coarse.durationS.length <= 200 && coarse.durationS.length >= 100, `${coarse.durationS.length} steps from ${profile.durationS.length}`);
  let q = 0, t = 0, qFine = 0, tFine = 0;
  for (let k = 0; k < coarse.durationS.length; k++) {
    q += coarse.durationS[k]! * coarse.currentFraction[k]! * profile.constantCurrentAPerM2;
    t += coarse.durationS[k]!;
  }
  for (let k = 0; k < profile.durationS.length; k++) {
    qFine += profile.durationS[k]! * profile.currentAPerM2[k]!;
    tFine += profile.durationS[k]!;
  }
  assert.ok(Math.abs(q / qFine - 1) < 1e-12 && Math.abs(t / tFine - 1) < 1e-12, `charge ${q} vs ${qFine}, time ${t} vs ${tFine}`);
  assert.ok(Math.abs(coarse.currentFraction[0]! - 1) < 1e-12, "the charge starts in CC");
  assert.ok(coarse.currentFraction[coarse.currentFraction.length - 1]! < 0.2, "and ends in the CV taper");
  assert.throws(() => relativeCurrentSteps(profile, 0), /maxSteps/);
});

test("C/3 CC-CV to C/20 passes within a few % of the full-depth charge", () => {
  const p = charge(1 / 3);
  assert.ok(p.chargedFraction > 0.97 && p.chargedFraction < 1, `${p.chargedFraction}`);
  // Faster CC ends earlier in the CC phase but the CV phase makes up most of it.
  const fast = charge(4);
  assert.ok(fast.cvStartStateOfCharge < charge(1).cvStartStateOfCharge && charge(1).cvStartStateOfCharge < p.cvStartStateOfCharge);
  assert.ok(fast.chargedFraction > 0.97);
});

test("plating: CC-CV at 1C/25 °C plates less than CC to full; still plates at 4C and at -10 °C, not at C/3/25 °C", () => {
  const e = LG_M50_GRAPHITE;
  const ccCv1C = platingDuringProfile(e, charge(1), 298.15);
  const ccFull1C = platingDuringCharge(e, 1, 298.15);
  assert.ok(ccCv1C.platedMolPerM2 < 0.1 * ccFull1C.platedMolPerM2, `${ccCv1C.platedMolPerM2} vs ${ccFull1C.platedMolPerM2}`);
  assert.ok(ccCv1C.minSeparatorPotentialV > ccFull1C.minSeparatorPotentialV);
  const fast = platingDuringProfile(e, charge(4), 298.15);
  const cold = platingDuringProfile(e, charge(1 / 3, 263.15), 263.15);
  const mild = platingDuringProfile(e, charge(1 / 3), 298.15);
  assert.ok(fast.platedMolPerM2 > 0 && fast.minSeparatorPotentialV < 0, JSON.stringify(fast));
  assert.ok(cold.platedMolPerM2 > 0 && cold.minSeparatorPotentialV < 0, JSON.stringify(cold));
  assert.is(mild.platedMolPerM2, 0);
  assert.ok(mild.minSeparatorPotentialV > 0.02, `${mild.minSeparatorPotentialV}`);
});

test("platingDuringProfile of a constant-current profile is platingDuringCharge", () => {
  // Same numbers as the CC function, which is built on it; and a profile split into two halves
  // of the same steps plates the same.
  const a = platingDuringCharge(LG_M50_GRAPHITE, 2, 273.15);
  assert.ok(a.platedMolPerM2 > 0);
  const p = charge(2, 273.15);
  const whole = platingDuringProfile(LG_M50_GRAPHITE, p, 273.15).platedMolPerM2;
  const h = Math.floor(p.steps / 2);
  const part = (from: number, to: number) => platingDuringProfile(LG_M50_GRAPHITE, {
    steps: to - from, currentAPerM2: p.currentAPerM2.subarray(from, to), negativeStoichiometry: p.negativeStoichiometry.subarray(from, to), durationS: p.durationS.subarray(from, to),
  }, 273.15).platedMolPerM2;
  assert.ok(Math.abs(part(0, h) + part(h, p.steps) - whole) <= 1e-12 * whole);
});

test("ageing with CC-CV: lithium conserved, the cycle lasts the CC-CV time, capacity uses the charge passed", () => {
  const protocol = parseProtocol({ cycles: 200, chargeRate: "1C", dischargeRate: "1C", temperatureK: 298.15, voltageWindow: [2.5, 4.2] });
  const r = simulateAgeing(protocol, { ...cell, seiRateSpread: 0 }, 1);
  const total0 = totalLithium(r[0]!.inventory);
  for (const rec of r) assert.ok(Math.abs(totalLithium(rec.inventory) / total0 - 1) < 1e-12, `cycle ${rec.cycle}`);
  const charged = charge(1).chargedFraction;
  assert.ok(Math.abs(r[0]!.chargeCapacityFraction - charged) < 1e-12);
  assert.ok(Math.abs(r[200]!.chargeCapacityFraction / r[200]!.capacityFraction - charged) < 1e-12);
  assert.ok(r[200]!.platedLiVolumeFraction > 0, "1C/25 °C still strands some lithium");
  assert.throws(() => parseProtocol({ cycles: 1, temperatureK: 298.15, voltageWindow: [2.5, 4.2], chargeRate: "C/3", dischargeRate: "C/3", cvCutoffRate: "C/2" }), /protocol\.cvCutoffRate/);
});

test.run();
