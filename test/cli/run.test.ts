/** `xtwin run` and `xtwin check` as a user runs them. */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../helpers.js";

const CLI = REPO_ROOT + "dist/src/cli/main.js";

function scenarioFile(dir: string, shape: number, angles: number): string {
  const path = join(dir, "s.yaml");
  writeFileSync(
    path,
    `name: small
seed: 5
sample:
  voxelSize: 1 um
  shape: [${shape}, ${shape}, 4]
  objects:
    - { type: sphere, material: LFP, center: [0 um, 0 um, 0 um], radius: ${shape / 3} um }
beam: { energy: 15 keV, photonsPerPixel: 500 }
geometry: { type: parallel, angles: ${angles}, range: 180 deg }
detector: { cols: ${shape}, rows: 4, pixelSize: 1 um }
scan: { flats: 2, darks: 1 }
`,
  );
  return path;
}

test("xtwin check prints the resolved scenario", () => {
  const r = spawnSync(process.execPath, [CLI, "check", REPO_ROOT + "scenarios/demo.yaml"], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /is valid/);
  assert.match(r.stdout, /energyKeV: 20/);
  assert.match(r.stdout, /voxelSizeM: 1e-6/);
});

test("xtwin check reports every problem with its path, exit code 2", () => {
  const dir = mkdtempSync(join(tmpdir(), "xtwin-cli-"));
  const path = join(dir, "bad.yaml");
  writeFileSync(path, "name: bad\nsample: { voxelSize: 1, shape: [4, 4, 4] }\nbeam: { energy: 20 kg, photonsPerPixel: 10 }\ngeometry: { type: parallel, angles: 3 }\ndetector: { cols: 4, rows: 4, pixelSize: 1 um }\n");
  const r = spawnSync(process.execPath, [CLI, "check", path], { encoding: "utf8" });
  assert.is(r.status, 2);
  assert.match(r.stderr, /sample\.voxelSize: expected a length such as "100 um", got "1"/);
  assert.match(r.stderr, /beam\.energy: expected an energy such as "20 keV", got "20 kg"/);
});

test("xtwin run --events writes the dataset and prints JSON lines", () => {
  const dir = mkdtempSync(join(tmpdir(), "xtwin-cli-"));
  const out = join(dir, "out");
  const r = spawnSync(process.execPath, [CLI, "run", scenarioFile(dir, 12, 5), "--out", out, "--events", "--workers", "0"], {
    encoding: "utf8",
  });
  assert.is(r.status, 0, r.stderr);
  const events = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string });
  assert.is(events[0]!.type, "start");
  assert.is(events.at(-1)!.type, "done");
  assert.is(events.filter((e) => e.type === "projection").length, 5);
  assert.ok(existsSync(join(out, "small.h5")) && existsSync(join(out, "manifest.json")));
});

test("xtwin run with the worker pool gives the same dataset as in one thread, and --seed changes it", () => {
  const dir = mkdtempSync(join(tmpdir(), "xtwin-cli-"));
  const path = scenarioFile(dir, 16, 6);
  const run = (out: string, ...extra: string[]) => {
    const r = spawnSync(process.execPath, [CLI, "run", path, "--out", join(dir, out), ...extra], { encoding: "utf8" });
    assert.is(r.status, 0, r.stderr);
    return spawnSync("sha256sum", [join(dir, out, "small.h5")], { encoding: "utf8" }).stdout.split(" ")[0];
  };
  const single = run("a", "--workers", "0");
  assert.is(run("b", "--workers", "2"), single);
  assert.is.not(run("c", "--workers", "0", "--seed", "6"), single);
});

test("an output directory that cannot be made fails at once, with one line", () => {
  const dir = mkdtempSync(join(tmpdir(), "xtwin-cli-"));
  const file = join(dir, "a-file");
  writeFileSync(file, "");
  const r = spawnSync(process.execPath, [CLI, "run", scenarioFile(dir, 8, 2), "--out", join(file, "sub")], { encoding: "utf8" });
  assert.is(r.status, 2);
  assert.match(r.stderr, /^xtwin: --out: cannot write to ".*a-file\/sub" \(ENOTDIR\)\n$/);
});

test("Ctrl-C during a run: exit 130, no dataset and no partial file left", async () => {
  const dir = mkdtempSync(join(tmpdir(), "xtwin-cli-"));
  const out = join(dir, "out");
  const child = spawn(process.execPath, [CLI, "run", scenarioFile(dir, 64, 3000), "--out", out, "--events", "--workers", "0"]);
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve) => {
    let buffered = "";
    child.stdout.on("data", (d: Buffer) => {
      buffered += d.toString();
      if (buffered.includes('"type":"projection"')) resolve();
    });
  });
  child.kill("SIGINT");
  const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
  assert.is(code, 130, stderr);
  assert.match(stderr, /interrupted by SIGINT: no dataset was written/);
  assert.equal(existsSync(out) ? readdirSync(out) : [], []);
});

test.run();
