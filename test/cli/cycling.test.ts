/** `xtwin run` of a cycling scenario: degradation.json and one scan of the aged sample per scanned cycle. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { validateScenario } from "../../src/engine/scenario.js";
import { readVolume } from "../../src/io/volumeFile.js";
import { REPO_ROOT } from "../helpers.js";

const CLI = REPO_ROOT + "dist/src/cli/main.js";
const dir = mkdtempSync(join(tmpdir(), "xtwin-cycling-"));

const scenario = (seed: number) => `name: cyc
seed: ${seed}
sample: { voxelSize: 3 um, shape: [48, 48, 50], phantom: ${REPO_ROOT}phantoms/full-cell.yaml }
beam: { energy: 25 keV, photonsPerPixel: 1e4 }
geometry: { type: parallel, angles: 8, range: 180 deg }
detector: { cols: 48, rows: 50, pixelSize: 3 um, noise: false }
scan: { flats: 1, darks: 0 }
cycling: { cycles: 40, chargeRate: 1C, dischargeRate: C/2, temperature: 25 degC, scanAtCycles: [0, 40] }
`;

function run(seed: number, out: string): string {
  const path = join(dir, `s${seed}.yaml`);
  writeFileSync(path, scenario(seed));
  const r = spawnSync(process.execPath, [CLI, "run", path, "--out", out, "--workers", "0"], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  return r.stdout;
}

test("degradation.json has the issue's keys per cycle; the aged scan holds the new classes; seeds reproduce", async () => {
  const out = join(dir, "a");
  const stdout = run(3, out);
  assert.match(stdout, /wrote .*degradation\.json: 41 cycles/);
  const records = JSON.parse(readFileSync(join(out, "degradation.json"), "utf8")) as Array<Record<string, number | boolean>>;
  assert.is(records.length, 41);
  for (const k of ["cycle", "capacityFraction", "lliFraction", "lamFraction", "seiThicknessM", "platedLiVolumeFraction", "crackVolumeFraction", "rockSaltThicknessM", "internalShort"]) {
    assert.ok(k in records[0]!, k);
  }
  for (let c = 1; c < records.length; c++) assert.ok((records[c]!.capacityFraction as number) <= (records[c - 1]!.capacityFraction as number) + 1e-15);
  assert.ok((records[40]!.seiThicknessM as number) > (records[1]!.seiThicknessM as number));
  for (const c of ["cycle_0000", "cycle_0040"]) assert.ok(existsSync(join(out, c, "cyc.h5")), c);
  const before = await readVolume(join(out, "cycle_0000", "cyc.h5"), "truth/labels");
  const after = await readVolume(join(out, "cycle_0040", "cyc.h5"), "truth/labels");
  for (const name of ["crack", "rock-salt", "SEI"]) assert.ok(after.classNames!.includes(name), `${name} in ${after.classNames}`);
  const crack = after.classNames!.indexOf("crack");
  let cracked = 0;
  for (const v of after.data as Uint8Array) if (v === crack) cracked++;
  assert.ok(cracked > 0, "cracks are voxels of the aged truth");
  assert.ok(!before.classNames!.includes("crack"), "the pristine scan has no cracks");
  // The lithium of every cathode voxel at the end of the charge is ground truth too.
  const lithium = await readVolume(join(out, "cycle_0040", "cyc.h5"), "truth/lithium");
  const nmc = after.classNames!.indexOf("NMC811");
  let inNmc = 0;
  (after.data as Uint8Array).forEach((l, v) => {
    if (l === nmc) {
      const c = (lithium.data as Float32Array)[v]!;
      if (c > 0) inNmc++;
    }
  });
  assert.ok(inNmc > 0, "cathode voxels carry a lithium concentration");
  // Same seed, same ageing and the same aged sample.
  const again = join(dir, "b");
  run(3, again);
  assert.is(readFileSync(join(again, "degradation.json"), "utf8"), readFileSync(join(out, "degradation.json"), "utf8"));
  const afterAgain = await readVolume(join(again, "cycle_0040", "cyc.h5"), "truth/labels");
  assert.equal(Array.from(afterAgain.data as Uint8Array), Array.from(after.data as Uint8Array));
});

test("cycling needs a microstructure recipe and scan cycles within the protocol", () => {
  const base = { name: "x", sample: { voxelSize: "1 um", shape: [8, 8, 8] }, beam: { energy: "20 keV", photonsPerPixel: 100 }, geometry: { type: "parallel", angles: 2 }, detector: { cols: 8, rows: 8, pixelSize: "1 um" } };
  assert.throws(() => validateScenario({ ...base, cycling: { cycles: 10, chargeRate: "1C", dischargeRate: "1C", scanAtCycles: [0, 20] } }), /cycling\.scanAtCycles: 20 beyond the 10 cycles/);
  assert.throws(() => validateScenario({ ...base, cycling: { cycles: 10, chargeRate: "1C", dischargeRate: "1C" } }), /cycling: the sample must be a microstructure recipe/);
  assert.throws(() => validateScenario({ ...base, cycling: { cycles: 10, chargeRate: "fast", dischargeRate: "1C" } }), /cycling: chargeRate: expected a C-rate/);
});

test.run();
