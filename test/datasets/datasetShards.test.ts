/**
 * Shards: three shards (one worker each) merged equal a full run on two workers byte for
 * byte; merge verifies checksums (naming the bad file), coverage and agreement.
 */
import { appendFileSync, cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { generateDataset, parseShard, shardIndices } from "../../src/datasets/generate.js";
import { mergeShards } from "../../src/datasets/merge.js";
import { smallScenario, tempDir, treeHashes, xtwin } from "./datasetFixture.js";

const root = tempDir("dataset-shards");
test.after(() => rmSync(root, { recursive: true, force: true }));
const scenario = smallScenario(root);
const full = join(root, "full");
const shards = [0, 1, 2].map((i) => join(root, `shard${i}`));

test("shard indices are round-robin and cover every sample once", () => {
  assert.equal(shardIndices(7, parseShard("1/3")), [1, 4]);
  assert.equal(shardIndices(7, parseShard("0/3")), [0, 3, 6]);
  assert.equal(shardIndices(3), [0, 1, 2]);
  for (const bad of ["3/3", "1", "-1/2", "a/b", "0/0"]) assert.throws(() => parseShard(bad), /--shard: expected i\/N/);
});

test("merged shards are the full run, byte for byte", async () => {
  await generateDataset({ scenarioPath: scenario, count: 6, out: full, workers: 2 }).done;
  for (const [i, dir] of shards.entries()) {
    const r = await generateDataset({ scenarioPath: scenario, count: 6, out: dir, workers: 1, shard: parseShard(`${i}/3`) }).done;
    assert.is(r.made, 2);
    assert.is(r.splits, undefined, "a shard is not finalized");
    const doc = JSON.parse(readFileSync(join(dir, "shard.json"), "utf8")) as { indices: number[]; files: { path: string }[] };
    assert.equal(doc.indices, [i, i + 3]);
    assert.is(doc.files.length, 8);
  }
  const merged = join(root, "merged");
  const m = xtwin("dataset", "merge", ...shards, "--out", merged);
  assert.is(m.status, 0, m.stderr);
  assert.match(m.stdout, /merged 3 shards \(6 samples\)/);
  const a = treeHashes(full), b = treeHashes(merged);
  assert.ok(Object.keys(a).length === 6 * 4 + 6, `full run files: ${Object.keys(a).length}`);
  assert.equal(b, a);
});

/** The error message of a merge that must fail. */
async function mergeError(dirs: string[], out: string): Promise<string> {
  try {
    await mergeShards(dirs, out);
  } catch (e) {
    assert.instance(e, RangeError);
    return (e as Error).message;
  }
  assert.unreachable("merge should fail");
  return "";
}

test("merge names a corrupted file and writes nothing", async () => {
  const bad = join(root, "bad1");
  cpSync(shards[1]!, bad, { recursive: true });
  const victim = JSON.parse(readFileSync(join(bad, "shard.json"), "utf8")).files[0].path as string;
  appendFileSync(join(bad, ...victim.split("/")), "x");
  const out = join(root, "merge-bad");
  const message = await mergeError([shards[0]!, bad, shards[2]!], out);
  assert.ok(message.includes(join(bad, ...victim.split("/"))), message);
  assert.match(message, /does not match its sha256/);
  assert.throws(() => readFileSync(join(out, "annotations.json")));
});

test("merge refuses missing, doubled and foreign shards", async () => {
  assert.match(await mergeError([shards[0]!, shards[2]!], join(root, "m1")), /do not cover samples 1, 4 of 6/);
  assert.match(await mergeError([shards[0]!, shards[0]!, shards[1]!, shards[2]!], join(root, "m2")), /sample 0 is in two shards/);
  const foreign = join(root, "foreign");
  cpSync(shards[1]!, foreign, { recursive: true });
  const doc = JSON.parse(readFileSync(join(foreign, "shard.json"), "utf8"));
  doc.header.scenarioSha256 = "0".repeat(64);
  writeFileSync(join(foreign, "shard.json"), JSON.stringify(doc));
  assert.match(await mergeError([shards[0]!, foreign, shards[2]!], join(root, "m3")), /made from another scenario/);
  assert.match(await mergeError([shards[0]!, full], join(root, "m4")), /not a finished shard/);
  assert.match(await mergeError([shards[0]!], full), /is not empty/);
});

test.run();
