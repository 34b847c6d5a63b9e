/** Temp-then-rename: nothing under the final name until commit, nothing at all after abort. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  abortAllPartialFiles,
  createPartialFile,
  isPartialFileName,
  openPartialFiles,
  writeFileAtomic,
} from "../../src/io/atomicFile.js";

const dir = mkdtempSync(join(tmpdir(), "xtwin-atomic-"));

test.after(() => rmSync(dir, { recursive: true, force: true }));

test("temp file sits beside the target as .<name>.partial-<pid>-<random>", () => {
  const target = join(dir, "a.bin");
  const f = createPartialFile(target);
  assert.is(dirname(f.tempPath), dir);
  assert.match(basename(f.tempPath), new RegExp(`^\\.a\\.bin\\.partial-${process.pid}-[0-9a-f]+$`));
  assert.ok(isPartialFileName(basename(f.tempPath)));
  assert.ok(existsSync(f.tempPath), "temp reserved");
  assert.not.ok(existsSync(target));
  writeFileSync(f.tempPath, "hello");
  f.commit();
  assert.is(f.state, "committed");
  assert.is(readFileSync(target, "utf8"), "hello");
  assert.not.ok(existsSync(f.tempPath));
  assert.throws(() => f.commit(), /already committed/);
  f.abort(); // no-op once committed
  assert.ok(existsSync(target));
});

test("abort deletes the temp file and never creates the target", () => {
  const target = join(dir, "b.bin");
  const f = createPartialFile(target);
  writeFileSync(f.tempPath, "partial");
  f.abort();
  f.abort();
  assert.is(f.state, "aborted");
  assert.not.ok(existsSync(f.tempPath));
  assert.not.ok(existsSync(target));
  assert.throws(() => f.commit(), /already aborted/);
});

test("abortAllPartialFiles removes every open temp file (the SIGINT path)", () => {
  const a = createPartialFile(join(dir, "c1.bin"));
  const b = createPartialFile(join(dir, "c2.bin"));
  writeFileSync(a.tempPath, "x");
  const removed = abortAllPartialFiles();
  assert.ok(removed.includes(a.tempPath) && removed.includes(b.tempPath));
  assert.equal(openPartialFiles(), []);
  assert.not.ok(existsSync(a.tempPath) || existsSync(b.tempPath));
  assert.is(a.state, "aborted");
  assert.equal(readdirSync(dir).filter((n) => n.startsWith(".c")), []);
});

test("writeFileAtomic replaces content whole and leaves no temp file", () => {
  const target = join(dir, "d.json");
  writeFileAtomic(target, "{\"v\":1}\n");
  writeFileAtomic(target, new Uint8Array([0x7b, 0x7d]));
  assert.is(readFileSync(target, "utf8"), "{}");
  assert.equal(readdirSync(dir).filter(isPartialFileName), []);
  assert.throws(() => writeFileAtomic(join(dir, "no-such-dir", "e.json"), "x"), /ENOENT/);
});

test.run();
