/** The command-line contract that users' scripts rely on: names, JSON keys, exit codes. */
import { spawnSync } from "node:child_process";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../helpers.js";

const CLI = REPO_ROOT + "dist/src/cli/main.js";

function xtwin(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("optics --json: one object per energy with the documented keys", () => {
  const r = xtwin("optics", "--material", "NMC811", "--energy", "8,20,30", "--json");
  assert.is(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
  assert.is(rows.length, 3);
  const keys = [
    "material", "energyKeV", "densityGcm3", "muRho", "muRhoPhoto", "muRhoCoherent", "muRhoIncoherent",
    "muEnRho", "mu", "delta", "beta", "attenuationLengthM",
  ];
  for (const row of rows) for (const k of keys) assert.ok(k in row, `key ${k}`);
  assert.equal(rows.map((x) => x.energyKeV), [8, 20, 30]);
  assert.is(rows[0]!.material, "NMC811");
});

test("optics of a formula with --density", () => {
  const r = xtwin("optics", "--material", "LiNiO2", "--density", "4.8", "--energy", "20", "--json");
  assert.is(r.code, 0, r.stderr);
  assert.is((JSON.parse(r.stdout) as { densityGcm3: number }[])[0]!.densityGcm3, 4.8);
});

test("materials --json lists the library with sources and mass fractions", () => {
  const r = xtwin("materials", "--json");
  assert.is(r.code, 0, r.stderr);
  const list = JSON.parse(r.stdout) as { name: string; sources: object; massFractions: Record<string, number> }[];
  const lp30 = list.find((m) => m.name === "LP30")!;
  assert.ok(lp30.sources !== undefined);
  assert.ok(Math.abs(Object.values(lp30.massFractions).reduce((s, w) => s + w, 0) - 1) < 1e-9);
});

test("optics --contrast finds an energy and prints the curve", () => {
  const r = xtwin("optics", "--contrast", "NMC811,LP30", "--thickness", "200 um", "--json");
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { best: { energyKeV: number }; curve: unknown[] };
  assert.ok(out.best.energyKeV > 5 && out.best.energyKeV < 60, `best ${out.best.energyKeV} keV`);
  assert.ok(out.curve.length === 400);
  const text = xtwin("optics", "--contrast", "NMC811,LP30", "--thickness", "200 um");
  assert.match(text.stdout, /Best energy for CNR\^2 per dose: [0-9.]+ keV/);
});

test("bad input: non-zero exit and exactly one clear line on stderr", () => {
  const cases: [string[], RegExp][] = [
    [["optics", "--material", "Unobtainium", "--energy", "20"], /unknown material "Unobtainium"/],
    [["optics", "--material", "NMC811", "--energy", "-5"], /between 1 and 200 keV, got -5 keV/],
    [["optics", "--material", "NMC811", "--energy", "500"], /got 500 keV/],
    [["optics", "--material", "LiNiO2", "--energy", "20"], /needs a density/],
    [["optics", "--material", "NMC811", "--energy", "20 kg"], /expected an energy such as "20 keV", got "20 kg"/],
    [["optics", "--material", "NMC811"], /--energy is required/],
    [["optics", "--contrast", "NMC811", "--thickness", "1 mm"], /expected two materials/],
    [["optics", "--contrast", "NMC811,LP30", "--thickness", "1"], /expected a length/],
    [["optics", "--bogus"], /unknown option/],
  ];
  for (const [args, message] of cases) {
    const r = xtwin(...args);
    assert.ok(r.code !== 0, `${args.join(" ")} exits non-zero`);
    assert.is(r.stdout, "", `${args.join(" ")} prints nothing on stdout`);
    assert.is(r.stderr.trim().split("\n").length, 1, `${args.join(" ")}: one line, got ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test.run();
