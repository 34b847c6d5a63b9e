import { test } from "uvu";
import * as assert from "uvu/assert";
import { mixByMass, mixByVolume, compositionFromFormula } from "../../src/materials/composition.js";
import { findMaterialEntry, libraryEntries, materialFromEntry, resolveMaterial, UnknownMaterialError } from "../../src/materials/library.js";
import { atomicNumber } from "../../src/materials/elements.js";

const REQUIRED = [
  "NMC811", "NMC622", "NMC111", "LCO", "LFP", "LMO", "NCA", "graphite", "silicon", "lithium",
  "aluminium", "copper", "PVDF", "carbon-black", "CBD", "LP30", "PE-separator", "PP-separator",
  "LLZO", "LPSCl", "LiF", "Li2CO3", "NiO", "Kapton", "air", "water",
];

test("the library holds every material the issue names, with sources for each number", () => {
  for (const name of REQUIRED) {
    const e = findMaterialEntry(name);
    assert.ok(e !== undefined, `${name} is in the library`);
    assert.ok(e!.densityGcm3 > 0 && e!.thermalConductivityWmK > 0 && e!.specificHeatJkgK > 0, name);
    for (const s of [e!.sources.density, e!.sources.thermalConductivity, e!.sources.specificHeat]) {
      assert.ok(s.length > 10, `${name} cites a source`);
    }
  }
});

test("every entry resolves to mass fractions summing to 1", () => {
  for (const entry of libraryEntries()) {
    const m = materialFromEntry(entry);
    const sum = m.composition.reduce((s, e) => s + e.massFraction, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, `${entry.name}: ${sum}`);
  }
});

test("names and aliases are case-insensitive", () => {
  assert.is(findMaterialEntry("nmc811")?.name, "NMC811");
  assert.is(findMaterialEntry("aluminum")?.name, "aluminium");
  assert.is(findMaterialEntry("LiCoO2")?.name, "LCO");
});

test("volume mixtures: density is the volume-weighted sum, mass fractions follow", () => {
  // 50/50 by volume of water (1.0) and a fictitious Al-like 3.0 g/cm^3 -> 2.0 g/cm^3,
  // mass fractions 0.25 and 0.75.
  const { composition, densityGcm3 } = mixByVolume([
    { composition: compositionFromFormula("H2O"), densityGcm3: 1, fraction: 0.5 },
    { composition: compositionFromFormula("Al"), densityGcm3: 3, fraction: 0.5 },
  ]);
  assert.ok(Math.abs(densityGcm3 - 2) < 1e-12);
  const al = composition.find((e) => e.z === atomicNumber("Al"))!.massFraction;
  assert.ok(Math.abs(al - 0.75) < 1e-12, `w_Al ${al}`);
});

test("CBD library density agrees with its volume mixture within 1%", () => {
  for (const name of ["CBD", "CBD-dry"]) {
    const e = findMaterialEntry(name)!;
    assert.is(e.composition.kind, "mixture");
    if (e.composition.kind !== "mixture") continue;
    const parts = e.composition.components.map((c) => {
      const m = resolveMaterial(c.material);
      return { composition: m.composition, densityGcm3: c.densityGcm3 ?? m.densityGcm3, fraction: c.fraction };
    });
    const mixed = mixByVolume(parts).densityGcm3;
    assert.ok(Math.abs(mixed / e.densityGcm3 - 1) < 0.01, `${name}: mixture ${mixed} vs entry ${e.densityGcm3}`);
  }
});

test("LP30 is 1 M LiPF6: the salt is ~0.152 kg per litre of electrolyte", () => {
  const lp30 = resolveMaterial("LP30");
  const p = lp30.composition.find((e) => e.z === atomicNumber("P"))!.massFraction;
  // P mass per litre = w_P * rho * 1000 g; 1 mol/L of LiPF6 carries 30.97 g P per litre.
  const molPerLitre = (p * lp30.densityGcm3 * 1000) / 30.974;
  assert.ok(Math.abs(molPerLitre - 1) < 0.03, `LiPF6 concentration ${molPerLitre} mol/L`);
});

test("mass mixtures renormalise nothing silently: fractions must sum to 1", () => {
  assert.throws(
    () => mixByMass([{ composition: compositionFromFormula("H2O"), fraction: 0.6 }, { composition: compositionFromFormula("C"), fraction: 0.6 }]),
    /sum to 1, got 1.2/,
  );
});

test("formulas need a density unless they are a bare element", () => {
  assert.throws(() => resolveMaterial("LiNiO2"), (e: unknown) => e instanceof UnknownMaterialError && /--density/.test((e as Error).message));
  assert.is(resolveMaterial("LiNiO2", 4.8).densityGcm3, 4.8);
  assert.ok(Math.abs(resolveMaterial("Ni").densityGcm3 - 8.9) < 0.05);
  assert.throws(() => resolveMaterial("Unobtainium"), /unknown material "Unobtainium"/);
  assert.throws(() => resolveMaterial("water", -1), /density must be a positive/);
});

test.run();
