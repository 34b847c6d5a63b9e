import { test } from "uvu";
import * as assert from "uvu/assert";
import { FormulaError, parseFormula } from "../../src/materials/formula.js";
import { compositionFromFormula, molarMass } from "../../src/materials/composition.js";
import { atomicNumber } from "../../src/materials/elements.js";

const atoms = (formula: string) =>
  Object.fromEntries([...parseFormula(formula)].map(([z, n]) => [z, n]));
const Z = (s: string) => atomicNumber(s)!;

test("fractional stoichiometry: LiNi0.8Mn0.1Co0.1O2", () => {
  const a = atoms("LiNi0.8Mn0.1Co0.1O2");
  assert.equal(a, { [Z("Li")]: 1, [Z("Ni")]: 0.8, [Z("Mn")]: 0.1, [Z("Co")]: 0.1, [Z("O")]: 2 });
});

test("garnet and argyrodite: Li7La3Zr2O12, Li6PS5Cl", () => {
  assert.equal(atoms("Li7La3Zr2O12"), { [Z("Li")]: 7, [Z("La")]: 3, [Z("Zr")]: 2, [Z("O")]: 12 });
  assert.equal(atoms("Li6PS5Cl"), { [Z("Li")]: 6, [Z("P")]: 1, [Z("S")]: 5, [Z("Cl")]: 1 });
});

test("parentheses and hydrates: Ca(OH)2, CuSO4(H2O)5 = CuSO4·5H2O = CuSO4*5H2O", () => {
  assert.equal(atoms("Ca(OH)2"), { [Z("Ca")]: 1, [Z("O")]: 2, [Z("H")]: 2 });
  const pentahydrate = { [Z("Cu")]: 1, [Z("S")]: 1, [Z("O")]: 9, [Z("H")]: 10 };
  assert.equal(atoms("CuSO4(H2O)5"), pentahydrate);
  assert.equal(atoms("CuSO4·5H2O"), pentahydrate);
  assert.equal(atoms("CuSO4*5H2O"), pentahydrate);
  assert.equal(atoms("[Co(NH3)6]Cl3"), { [Z("Co")]: 1, [Z("N")]: 6, [Z("H")]: 18, [Z("Cl")]: 3 });
});

test("case matters: Co is cobalt, CO is carbon monoxide", () => {
  assert.equal(atoms("Co"), { [Z("Co")]: 1 });
  assert.equal(atoms("CO"), { [Z("C")]: 1, [Z("O")]: 1 });
});

test("molar mass of water and NMC811 (IUPAC atomic weights)", () => {
  assert.ok(Math.abs(molarMass("H2O") - 18.015) < 0.01, `H2O ${molarMass("H2O")}`);
  // 6.94 + 0.8*58.693 + 0.1*54.938 + 0.1*58.933 + 2*15.999 = 97.28
  assert.ok(Math.abs(molarMass("LiNi0.8Mn0.1Co0.1O2") - 97.28) < 0.02);
});

test("mass fractions of water sum to 1 and match 2*1.008/18.015", () => {
  const c = compositionFromFormula("H2O");
  const h = c.find((e) => e.z === 1)!.massFraction;
  assert.ok(Math.abs(h - (2 * 1.008) / 18.015) < 2e-4, `w_H = ${h}`);
  assert.ok(Math.abs(c.reduce((s, e) => s + e.massFraction, 0) - 1) < 1e-12);
});

function throwsAt(formula: string, token: string, position: number) {
  try {
    parseFormula(formula);
  } catch (e) {
    assert.instance(e, FormulaError);
    const fe = e as FormulaError;
    assert.is(fe.token, token, `${formula}: token`);
    assert.is(fe.position, position, `${formula}: position`);
    assert.match(fe.message, token);
    assert.match(fe.message, `position ${position + 1}`);
    return;
  }
  assert.unreachable(`${formula} should not parse`);
}

test("errors name the bad token and its position", () => {
  throwsAt("LiXx2", "Xx", 2);
  throwsAt("Li2(OH", "end of formula", 6);
  throwsAt("Li$O", "$", 2);
  throwsAt("lio2", "l", 0);
  throwsAt("Ca(OH)0", "0", 6);
  throwsAt("", "", 0);
});

test.run();
