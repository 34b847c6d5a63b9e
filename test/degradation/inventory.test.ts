import { test } from "uvu";
import * as assert from "uvu/assert";
import { createInventory, totalLithium, transferLithium } from "../../src/degradation/inventory.js";
import { LG_M50_CELL, simulateAgeing } from "../../src/degradation/ageing.js";
import { parseProtocol } from "../../src/degradation/protocol.js";

test("transfers conserve the total and never make a pool negative", () => {
  const inv = createInventory(1.85);
  assert.is(transferLithium(inv, "cyclable", "sei", 0.1), 0.1);
  assert.is(transferLithium(inv, "sei", "platedDead", 5), 0.1, "capped at the pool's content");
  assert.is(inv.sei, 0);
  assert.ok(Math.abs(totalLithium(inv) - 1.85) < 1e-15);
  assert.throws(() => transferLithium(inv, "cyclable", "sei", -1), RangeError);
  assert.throws(() => createInventory(0), RangeError);
});

test("lithium is conserved at every cycle of a harsh protocol (plating, SEI, isolation) to 1e-12", () => {
  const p = parseProtocol({ cycles: 300, chargeRate: "2C", dischargeRate: "1C", temperatureK: 268.15, voltageWindow: [2.5, 4.3] });
  const records = simulateAgeing(p, LG_M50_CELL, 7, { isolatedActiveFraction: (n) => Math.min(0.2, 0.001 * n) });
  const initial = totalLithium(records[0]!.inventory);
  let moved = 0;
  for (const r of records) {
    const err = Math.abs(totalLithium(r.inventory) / initial - 1);
    assert.ok(err < 1e-12, `cycle ${r.cycle}: relative error ${err}`);
    moved = Math.max(moved, r.inventory.sei + r.inventory.platedDead + r.inventory.isolated);
  }
  assert.ok(moved > 0.1 * initial, "the test exercises real transfers");
});

test.run();
