/** Documentation that must stay true to the code. */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { libraryEntries } from "../src/materials/library.js";
import { ELEMENT_TABLE_SOURCE } from "../src/materials/data/elementTables.js";
import { REPO_ROOT } from "./helpers.js";

const materialsDoc = readFileSync(REPO_ROOT + "docs/materials.md", "utf8");
const readme = readFileSync(REPO_ROOT + "README.md", "utf8");

test("docs/materials.md lists every library material in its table", () => {
  for (const e of libraryEntries()) {
    assert.ok(materialsDoc.includes(`| ${e.name} |`), `docs/materials.md has a row for ${e.name}`);
  }
});

test("docs/materials.md names the data source and version the tables were made from", () => {
  assert.ok(materialsDoc.includes(`${ELEMENT_TABLE_SOURCE.library} ${ELEMENT_TABLE_SOURCE.version}`));
});

test("the README's worked optics example is the command's real output", async () => {
  const { spawnSync } = await import("node:child_process");
  const r = spawnSync(process.execPath, [REPO_ROOT + "dist/src/cli/main.js", "optics", "--material", "NMC811", "--energy", "8,20,30"], {
    encoding: "utf8",
  });
  assert.is(r.status, 0);
  assert.ok(readme.includes(r.stdout.trim()), "README shows the current output of `xtwin optics --material NMC811 --energy 8,20,30`");
});



test("the README's npm start output is what the demo prints now (scan, reconstruction, scores)", async () => {
  const { spawnSync } = await import("node:child_process");
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const out = join(mkdtempSync(join(tmpdir(), "xtwin-readme-")), "demo");
  const r = spawnSync(process.execPath, [REPO_ROOT + "dist/src/cli/main.js", "run", REPO_ROOT + "scenarios/demo.yaml", "--out", out], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  // The README shows the lines after "wrote ... demo.h5 and ... manifest.json", with runs/demo as the directory.
  const shown = r.stdout.trim().split("\n").slice(1).join("\n").split(out).join("runs/demo");
  assert.ok(readme.includes(shown), `README shows the current demo output:\n${shown}`);
});

test("the version written into datasets is package.json's", async () => {
  const { XTWIN_VERSION } = await import("../src/version.js");
  const pkg = JSON.parse(readFileSync(REPO_ROOT + "package.json", "utf8")) as { version: string };
  assert.is(XTWIN_VERSION, pkg.version);
});

test("docs/engine.md documents every scenario key of the demo", () => {
  const engineDoc = readFileSync(REPO_ROOT + "docs/engine.md", "utf8");
  for (const key of ["voxelSize", "shape", "background", "objects", "energy", "photonsPerPixel", "angles", "range", "angleOrder",
    "centerOffset", "cols", "rows", "pixelSize", "noise", "efficiency", "darkCounts", "dtype", "flats", "darks", "formats", "supersampling"]) {
    // As a code span of its own or at the end of a dotted path: `noise`, `detector.noise`.
    assert.ok(new RegExp("`([A-Za-z]+\\.)*" + key + "`").test(engineDoc), `docs/engine.md documents \`${key}\``);
  }
});
test.run();
