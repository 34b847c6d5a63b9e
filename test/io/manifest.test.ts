/** manifest.json: streamed sha256 of every output, deterministic text, tampering detected. */
import { createHash } from "node:crypto";
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MANIFEST_NAME, verifyManifest, writeManifest } from "../../src/io/manifest.js";

const root = mkdtempSync(join(tmpdir(), "xtwin-manifest-"));
test.after(() => rmSync(root, { recursive: true, force: true }));

function makeRun(name: string): string {
  const d = join(root, name);
  mkdirSync(join(d, "truth"), { recursive: true });
  writeFileSync(join(d, "scan.h5"), Buffer.alloc(3 << 20, 7)); // > one 1 MiB read chunk
  writeFileSync(join(d, "truth", "labels.raw"), "abc");
  return d;
}

const input = {
  scenario: { z: 1, a: { y: [1, 2], b: "x" } },
  seed: 42,
  xtwinVersion: "0.1.0",
  files: ["truth/labels.raw", "scan.h5"],
};

test("hashes and sizes of every file, sorted, with the scenario's keys sorted", async () => {
  const d = makeRun("one");
  const m = await writeManifest(d, input);
  const text = readFileSync(join(d, MANIFEST_NAME), "utf8");
  const parsed = JSON.parse(text);
  assert.equal(Object.keys(parsed), ["format", "xtwinVersion", "seed", "scenario", "files"]);
  assert.equal(parsed.files.map((f: { path: string }) => f.path), ["scan.h5", "truth/labels.raw"]);
  assert.is(parsed.files[0].bytes, 3 << 20);
  assert.is(parsed.files[0].sha256, createHash("sha256").update(readFileSync(join(d, "scan.h5"))).digest("hex"));
  assert.is(parsed.files[1].sha256, createHash("sha256").update("abc").digest("hex"));
  assert.ok(text.indexOf('"a"') < text.indexOf('"z"'), "scenario keys sorted");
  assert.ok(text.endsWith("}\n"));
  assert.equal(parsed.files, m.files);
  assert.equal(readdirSync(d).filter((n) => n.includes(".partial-")), []);
});

test("deterministic: same inputs, same bytes, whatever the key or file order", async () => {
  const a = makeRun("det-a");
  const b = makeRun("det-b");
  await writeManifest(a, input);
  await writeManifest(b, { ...input, scenario: { a: { b: "x", y: [1, 2] }, z: 1 }, files: [...input.files].reverse() });
  assert.is(readFileSync(join(a, MANIFEST_NAME), "utf8"), readFileSync(join(b, MANIFEST_NAME), "utf8"));
});

test("verifyManifest passes untouched files and names modified, resized and missing ones", async () => {
  const d = makeRun("verify");
  await writeManifest(d, input);
  assert.equal(await verifyManifest(d), { ok: true, checked: 2, mismatches: [] });

  const bytes = readFileSync(join(d, "scan.h5"));
  bytes[1234] ^= 1; // same size, one bit flipped
  writeFileSync(join(d, "scan.h5"), bytes);
  appendFileSync(join(d, "truth", "labels.raw"), "d");
  let r = await verifyManifest(d);
  assert.is(r.ok, false);
  assert.equal(r.mismatches.map((x) => [x.path, x.problem]), [["scan.h5", "sha256"], ["truth/labels.raw", "size"]]);

  unlinkSync(join(d, "scan.h5"));
  r = await verifyManifest(d);
  assert.equal(r.mismatches[0], { path: "scan.h5", problem: "missing" });
});

test("bad file lists are refused", async () => {
  const d = makeRun("bad");
  for (const files of [["../x"], ["/etc/passwd"], ["scan.h5", "scan.h5"], ["manifest.json"], ["./scan.h5"]]) {
    try {
      await writeManifest(d, { ...input, files });
      assert.unreachable(`accepted ${files.join(", ")}`);
    } catch (e) {
      assert.instance(e, RangeError);
    }
  }
});

test.run();
