import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseCRate, parseProtocol, type CyclingProtocolInput } from "../../src/degradation/protocol.js";
import { readFileSync } from "node:fs";
import { validateScenario } from "../../src/engine/scenario.js";
import { parseRecipe } from "../../src/phantoms/recipe.js";
import { REPO_ROOT } from "../helpers.js";

const base: CyclingProtocolInput = { cycles: 500, chargeRate: "1C", dischargeRate: "C/3", temperatureK: 298.15, voltageWindow: [2.5, 4.2], scanAtCycles: [500, 0, 100, 100] };

test("C-rate text parses to numbers", () => {
  assert.is(parseCRate("4C"), 4);
  assert.is(parseCRate("1C"), 1);
  assert.is(parseCRate("C/3"), 1 / 3);
  assert.is(parseCRate("0.5C"), 0.5);
  assert.is(parseCRate(" 2C/3 "), 2 / 3);
  assert.is(parseCRate("c/10"), 0.1);
  assert.is(parseCRate(2), 2);
});

test("half-cycle times are 3600 / C-rate at full depth", () => {
  const p = parseProtocol(base);
  assert.is(p.chargeCRate, 1);
  assert.is(p.dischargeCRate, 1 / 3);
  assert.is(p.chargeTimeS, 3600);
  assert.ok(Math.abs(p.dischargeTimeS - 10800) < 1e-9);
  assert.ok(Math.abs(p.cycleTimeS - 14400) < 1e-9);
  assert.equal(p.voltageWindowV, [2.5, 4.2]);
  assert.equal(p.scanAtCycles, [0, 100, 500]);
  assert.is(p.cvCutoffCRate, 1 / 20, "CV ends at C/20 by default");
  assert.is(parseProtocol({ ...base, cvCutoffRate: "C/50" }).cvCutoffCRate, 1 / 50);
});

test("bad protocols are RangeErrors naming the field", () => {
  const bad: [Partial<CyclingProtocolInput>, RegExp][] = [
    [{ cycles: 0 }, /protocol\.cycles/],
    [{ cycles: 2.5 }, /positive integer/],
    [{ chargeRate: "fast" }, /protocol\.chargeRate.*"fast"/],
    [{ chargeRate: "0C" }, /positive finite C-rate/],
    [{ dischargeRate: "C/0" }, /protocol\.dischargeRate/],
    [{ temperatureK: 25 }, /protocol\.temperatureK.*298\.15 K/],
    [{ voltageWindow: [4.2, 2.5] }, /protocol\.voltageWindow/],
    [{ voltageWindow: [2500, 4200] }, /protocol\.voltageWindow/],
    [{ voltageWindow: [2.5] }, /protocol\.voltageWindow/],
    [{ scanAtCycles: [600] }, /protocol\.scanAtCycles.*\[0, 500\]/],
    [{ scanAtCycles: [-1] }, /protocol\.scanAtCycles/],
    [{ cvCutoffRate: "2C" }, /protocol\.cvCutoffRate.*below the charge rate/],
    [{ cvCutoffRate: "slow" }, /protocol\.cvCutoffRate/],
  ];
  for (const [patch, message] of bad) {
    assert.throws(() => parseProtocol({ ...base, ...patch } as CyclingProtocolInput), (e: unknown) => e instanceof RangeError && message.test(e.message), JSON.stringify(patch));
  }
});

test("scenario key cycling.cvCutoff sets the CV end current (default C/20)", () => {
  const base = { name: "x", sample: { voxelSize: "1 um", shape: [8, 8, 8], phantom: "phantoms/full-cell.yaml" }, beam: { energy: "20 keV", photonsPerPixel: 100 }, geometry: { type: "parallel", angles: 2 }, detector: { cols: 8, rows: 8, pixelSize: "1 um" } };
  const options = { loadRecipe: (path: string) => parseRecipe(readFileSync(REPO_ROOT + path, "utf8"), path) };
  const cycling = { cycles: 10, chargeRate: "1C", dischargeRate: "1C" };
  assert.is(validateScenario({ ...base, cycling }, "t.yaml", options).cycling!.cvCutoffCRate, 1 / 20);
  assert.is(validateScenario({ ...base, cycling: { ...cycling, cvCutoff: "C/50" } }, "t.yaml", options).cycling!.cvCutoffCRate, 1 / 50);
  assert.throws(() => validateScenario({ ...base, cycling: { ...cycling, cvCutoff: "2C" } }, "t.yaml", options), /cycling: cvCutoffRate: expected a C-rate below the charge rate/);
});

test.run();
