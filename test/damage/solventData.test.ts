import { test } from "uvu";
import * as assert from "uvu/assert";
import { idealGasMoles, idealGasVolumeM3, sphereRadiusM } from "../../src/damage/idealGas.js";
import { boilingThresholdK, electrolyteSolvents, gValueToMolPerJ, SOLVENTS } from "../../src/damage/solventData.js";

test("a mixed electrolyte boils at its most volatile solvent: LP30 (EC:DMC) at DMC's 90 C", () => {
  assert.is(boilingThresholdK("LP30"), SOLVENTS.DMC.boilingPointK);
  assert.is(boilingThresholdK("LP30"), 363.15);
  assert.is(boilingThresholdK("1M LiPF6 EC:DMC"), 363.15, "library alias resolves");
  assert.is(boilingThresholdK("LP57"), 380.15, "EC:EMC at EMC's 107 C");
  assert.is(boilingThresholdK("LP40"), 399.15, "EC:DEC at DEC's 126 C");
  assert.equal(electrolyteSolvents("lp30").solvents.map((s) => s.solvent), ["EC", "DMC"]);
  assert.throws(() => boilingThresholdK("NMC811"), RangeError);
});

test("1 molecule / 100 eV is 1.0364e-7 mol/J", () => {
  assert.ok(Math.abs(gValueToMolPerJ(1) / 1.0364e-7 - 1) < 1e-4);
});

test("ideal gas: 1 mol at 273.15 K and 101.325 kPa fills the molar volume 22.413969 L (CODATA 2018)", () => {
  assert.ok(Math.abs(idealGasVolumeM3(1, 273.15) / 22.413969e-3 - 1) < 1e-7);
  // V = n R T / p exactly, and the inverse.
  const V = idealGasVolumeM3(2.5e-15, 380, 2e5);
  assert.ok(Math.abs(V - (2.5e-15 * 8.314462618 * 380) / 2e5) <= 1e-15 * V);
  assert.ok(Math.abs(idealGasMoles(V, 380, 2e5) / 2.5e-15 - 1) < 1e-14);
  assert.ok(Math.abs(sphereRadiusM((4 / 3) * Math.PI * 8) - 2) < 1e-14);
  assert.throws(() => idealGasVolumeM3(1, 0), RangeError);
});

test.run();
