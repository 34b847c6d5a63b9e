import { test } from "uvu";
import * as assert from "uvu/assert";
import { DENSITY_GCM3, ENERGY_KEV, LENGTH_M, parseQuantity, parseQuantityList, QuantityError } from "../../src/core/units.js";

test("energies: bare numbers are keV, unit strings convert", () => {
  assert.is(parseQuantity("20", ENERGY_KEV, "e"), 20);
  assert.is(parseQuantity("20 keV", ENERGY_KEV, "e"), 20);
  assert.ok(Math.abs(parseQuantity("8000 eV", ENERGY_KEV, "e") - 8) < 1e-12);
  assert.ok(Math.abs(parseQuantity("0.1 MeV", ENERGY_KEV, "e") - 100) < 1e-9);
  assert.equal(parseQuantityList("8, 20,30keV", ENERGY_KEV, "e"), [8, 20, 30]);
});

test("lengths need a unit; um and µm are micrometres", () => {
  assert.ok(Math.abs(parseQuantity("100 um", LENGTH_M, "t") - 1e-4) < 1e-18);
  assert.ok(Math.abs(parseQuantity("100 µm", LENGTH_M, "t") - 1e-4) < 1e-18);
  assert.ok(Math.abs(parseQuantity("2 mm", LENGTH_M, "t") - 2e-3) < 1e-18);
  assert.throws(() => parseQuantity("2", LENGTH_M, "--thickness"), /--thickness: expected a length such as "100 um", got "2"/);
});

test("wrong dimensions name the field, the value and what is allowed", () => {
  assert.throws(
    () => parseQuantity("20 kg", ENERGY_KEV, "beam.energy"),
    (e: unknown) => e instanceof QuantityError && e.message === 'beam.energy: expected an energy such as "20 keV", got "20 kg"',
  );
  assert.throws(() => parseQuantity("abc", DENSITY_GCM3, "--density"), /--density: expected a density/);
  assert.ok(Math.abs(parseQuantity("4700 kg/m^3", DENSITY_GCM3, "d") - 4.7) < 1e-12);
});

test.run();
