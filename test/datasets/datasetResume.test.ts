/**
 * Crash safety: a run stopped by Ctrl-C (SIGINT) or killed (SIGKILL) after its first samples
 * leaves only complete samples (or debris --resume removes), and --resume then writes what
 * an uninterrupted run writes, byte for byte.
 */
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { generateDataset } from "../../src/datasets/generate.js";
import { smallScenario, tempDir, treeHashes, xtwinAsync } from "./datasetFixture.js";

const root = tempDir("dataset-resume");
test.after(() => rmSync(root, { recursive: true, force: true }));
const scenario = smallScenario(root);
const COUNT = "6";
const reference = join(root, "reference");

/** Start a run, send `signal` once two samples are complete; resolves with its exit and stderr. */
function interrupted(out: string, signal: NodeJS.Signals, workers: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = xtwinAsync("dataset", scenario, "--count", COUNT, "--out", out, "--workers", workers);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const poll = setInterval(() => {
    const dir = join(out, "samples");
    if (existsSync(dir) && readdirSync(dir).filter((n) => n.endsWith(".json")).length >= 2) {
      clearInterval(poll);
      child.kill(signal);
    }
  }, 20);
  return new Promise((resolve) => child.on("exit", (code, sig) => {
    clearInterval(poll);
    resolve({ code, signal: sig, stderr });
  }));
}

test("reference: an uninterrupted run", async () => {
  const r = await generateDataset({ scenarioPath: scenario, count: 6, out: reference, workers: 0 }).done;
  assert.is(r.made, 6);
});

/** --resume in this process: (made, kept). */
async function resume(out: string, workers: number): Promise<[number, number]> {
  const r = await generateDataset({ scenarioPath: scenario, count: 6, out, workers, resume: true }).done;
  assert.not.ok(r.interrupted);
  return [r.made, r.kept];
}

test("Ctrl-C finishes the samples in flight, exits 130 saying how to resume; --resume completes the same dataset", async () => {
  const out = join(root, "sigint");
  const r = await interrupted(out, "SIGINT", "1");
  assert.is(r.code, 130, r.stderr);
  assert.match(r.stderr, /interrupted: \d of 6 samples complete in .*; to finish: xtwin dataset .* --resume/);
  // Only complete samples: every record's files exist, no temp files, no dataset-level files.
  const records = readdirSync(join(out, "samples"));
  assert.ok(records.length >= 2 && records.length < 6, `${records.length} samples`);
  for (const sub of ["train", "val", "test", "masks", "samples"]) {
    if (existsSync(join(out, sub))) assert.equal(readdirSync(join(out, sub)).filter((n) => n.startsWith(".")), [], `${sub}: no temp files`);
  }
  const masks = existsSync(join(out, "masks")) ? readdirSync(join(out, "masks")).length : 0;
  assert.is(masks, 2 * records.length, "masks only of complete samples");
  assert.not.ok(existsSync(join(out, "annotations.json")));
  assert.equal(await resume(out, 2), [6 - records.length, records.length]);
  assert.equal(treeHashes(out), treeHashes(reference));
});

test("after SIGKILL, --resume removes debris and completes the same dataset", async () => {
  const out = join(root, "sigkill");
  const r = await interrupted(out, "SIGKILL", "0");
  assert.is(r.signal, "SIGKILL");
  // Debris a kill can leave: a temp file, and files of a sample whose record was never written.
  writeFileSync(join(out, "samples", ".sample_000005.json.partial-1-abc123"), "{");
  writeFileSync(join(out, "masks", "sample_000004_class.png"), "not a png");
  const [made, kept] = await resume(out, 0);
  assert.is(made + kept, 6);
  assert.equal(treeHashes(out), treeHashes(reference));
});

test("a damaged sample is made again on --resume", async () => {
  const out = join(root, "sigkill");
  writeFileSync(join(out, "masks", "sample_000003_instances.png"), "damaged");
  assert.equal(await resume(out, 0), [1, 5]);
  assert.equal(treeHashes(out), treeHashes(reference));
});

test("a non-empty --out needs --resume, and --resume refuses another dataset", async () => {
  const message = async (count: number, resume: boolean): Promise<string> => {
    try {
      await generateDataset({ scenarioPath: scenario, count, out: reference, workers: 0, resume }).done;
    } catch (e) {
      return (e as Error).message;
    }
    return "no error";
  };
  assert.match(await message(6, false), /is not empty; give --resume/);
  assert.match(await message(7, true), /another scenario or count/);
});

test.run();
