/**
 * mu_en/rho, which sets every dose, against NIST SRD 126 (Hubbell & Seltzer, NISTIR 5632,
 * https://physics.nist.gov/PhysRefData/XrayMassCoef/) for light battery materials, and the
 * LP30 electrolyte against the mixture rule (Bragg additivity) of NIST elemental values.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { resolveMaterial } from "../../src/materials/library.js";
import { materialOptics } from "../../src/materials/optics.js";
import { entranceSurfaceDoseGy } from "../../src/dose/surfaceDose.js";
import { assertRelClose, readJson } from "../helpers.js";

interface Reference {
  massAttenuation: { material: string; formula: string; energyKeV: number; muEnRho: number; source: string }[];
}
const ref = readJson<Reference>("test/materials/reference/published-optics.json");

/**
 * mu_en/rho (cm^2/g) at 30 keV where published-optics.json has none, typed from NIST SRD 126
 * Table 3/4 (https://physics.nist.gov/PhysRefData/XrayMassCoef/ElemTab/z03.html, z06.html,
 * ComTab/polyethylene.html), as mirrored in github.com/ehsteve/roentgen (commit 3f3d2c78,
 * roentgen/data/elements/z03.csv, z06.csv; 93a47835, compounds_mixtures/polyethylene.csv).
 */
const NIST_30KEV: Record<string, number> = { Li: 1.138e-2, C: 6.614e-2, "(C2H4)n": 5.932e-2 };

/** Library materials standing for NIST's entries (mass coefficients do not depend on density). */
const LIGHT: Record<string, string> = { Li: "lithium", C: "graphite", H2O: "water", "(C2H4)n": "PE-separator" };

function nist(formula: string, energyKeV: number): number {
  const e = ref.massAttenuation.find((r) => r.formula === formula && r.energyKeV === energyKeV);
  if (e !== undefined) return e.muEnRho;
  const v = energyKeV === 30 ? NIST_30KEV[formula] : undefined;
  if (v === undefined) throw new Error(`no NIST value for ${formula} at ${energyKeV} keV`);
  return v;
}

test("mu_en/rho of lithium, graphite, water, polyethylene at 10, 20, 30 keV within 3 % of NIST SRD 126", () => {
  let worst = 0;
  for (const [formula, name] of Object.entries(LIGHT)) {
    for (const E of [10, 20, 30]) {
      const got = materialOptics(resolveMaterial(name), E).muEnRho;
      const want = nist(formula, E);
      assertRelClose(got, want, 0.03, `${name} mu_en/rho at ${E} keV`);
      worst = Math.max(worst, Math.abs(got / want - 1));
    }
  }
  assert.ok(worst < 0.03, `worst ${worst}`);
});

test("entrance surface dose of water at 20 keV: Phi E (mu_en/rho)_NIST within 3 %", () => {
  const phi = 1e16; // photons per m^2 (1e10 per mm^2)
  const want = phi * 20e3 * 1.602176634e-19 * 0.5503 * 0.1; // 0.5503 cm^2/g -> m^2/kg
  assertRelClose(entranceSurfaceDoseGy(phi, 20, "water"), want, 0.03, "ESD water 20 keV");
  assertRelClose(want, 1.7634, 1e-3, "the hand value: 1e10 photons/mm^2 of 20 keV give 1.76 Gy in water");
});

/**
 * NIST SRD 126 Table 3 mu_en/rho (cm^2/g) of the elements of LP30 at 10, 20, 30 keV
 * (ElemTab/z01, z03, z06, z08, z09, z15.html, via the ehsteve/roentgen mirror above).
 */
const NIST_ELEMENTS: Record<number, [number, number, number]> = {
  1: [9.849e-3, 1.355e-2, 1.863e-2],
  3: [1.387e-1, 1.885e-2, 1.138e-2],
  6: [2.078, 2.238e-1, 6.614e-2],
  8: [5.565, 6.179e-1, 1.729e-1],
  9: [7.776, 8.796e-1, 2.451e-1],
  15: [3.912e1, 4.939, 1.422],
};

/** IUPAC 2021 standard atomic weights (abridged) for an independent composition. */
const A: Record<number, number> = { 1: 1.008, 3: 6.94, 6: 12.011, 8: 15.999, 9: 18.998403, 15: 30.973762 };

/** Elemental mass fractions of 1 M LiPF6 in EC:DMC 1:1 v/v (library's LP30 recipe, by mass). */
function lp30MassFractions(): Map<number, number> {
  const parts: [Record<number, number>, number][] = [
    [{ 3: 1, 15: 1, 9: 6 }, 0.1169], // LiPF6
    [{ 6: 3, 1: 4, 8: 3 }, 0.4893], // EC, C3H4O3
    [{ 6: 3, 1: 6, 8: 3 }, 0.3938], // DMC, C3H6O3
  ];
  const w = new Map<number, number>();
  for (const [formula, fraction] of parts) {
    let mass = 0;
    for (const [z, n] of Object.entries(formula)) mass += n * A[+z]!;
    for (const [z, n] of Object.entries(formula)) w.set(+z, (w.get(+z) ?? 0) + (fraction * n * A[+z]!) / mass);
  }
  return w;
}

test("LP30 electrolyte: composition as computed here, mu_en/rho within 1 % of the NIST mixture rule", () => {
  const lp30 = resolveMaterial("LP30");
  const w = lp30MassFractions();
  assert.is(lp30.composition.length, w.size, "elements H, Li, C, O, F, P");
  for (const { z, massFraction } of lp30.composition) {
    assert.ok(Math.abs(massFraction - w.get(z)!) < 2e-4, `Z=${z}: library ${massFraction} vs ${w.get(z)}`);
  }
  [10, 20, 30].forEach((E, i) => {
    let mix = 0;
    for (const [z, wz] of w) mix += wz * NIST_ELEMENTS[z]![i]!;
    assertRelClose(materialOptics(lp30, E).muEnRho, mix, 0.01, `LP30 mu_en/rho at ${E} keV vs Bragg additivity of NIST values`);
  });
});

test.run();
