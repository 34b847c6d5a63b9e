/**
 * `xtwin dataset merge <shard dirs...> --out <dir>`: join the shards of one dataset. Each
 * shard's files are checked against its shard.json (size and sha256; the error names the
 * bad file), the shards must agree on the scenario and the count and cover every sample
 * index exactly once; then the files are copied (atomically) and the dataset is finalized
 * by the same function as a full run, so the result is the full run's bytes.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomicFile.js";
import { finalizeDataset, type DatasetHeader } from "./finalize.js";
import { SHARD_FILE, SHARD_FORMAT, type ShardDocument } from "./generate.js";
import { matchesEntry } from "./sampleFiles.js";
import type { Split } from "./draw.js";

function readShard(dir: string): ShardDocument {
  const path = join(dir, SHARD_FILE);
  let doc: ShardDocument;
  try {
    doc = JSON.parse(readFileSync(path, "utf8")) as ShardDocument;
  } catch (e) {
    throw new RangeError(`${path}: not a finished shard (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); run or --resume that shard first`);
  }
  if (doc.format !== SHARD_FORMAT) throw new RangeError(`${path}: unknown format "${String(doc.format)}"`);
  return doc;
}

/** Check every file a shard lists; returns the bytes by relative path. */
function verifiedFiles(dir: string, doc: ShardDocument): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const f of doc.files) {
    const path = join(dir, ...f.path.split("/"));
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch {
      throw new RangeError(`shard ${doc.shard.index}/${doc.shard.count}: ${path} is missing`);
    }
    if (!matchesEntry(bytes, f)) {
      throw new RangeError(`shard ${doc.shard.index}/${doc.shard.count}: ${path} does not match its sha256 in ${join(dir, SHARD_FILE)} (corrupt or changed)`);
    }
    files.set(f.path, bytes);
  }
  return files;
}

export interface MergeResult {
  readonly header: DatasetHeader;
  readonly shards: number;
  readonly splits: Record<Split, number>;
}

export async function mergeShards(dirs: readonly string[], out: string): Promise<MergeResult> {
  if (dirs.length === 0) throw new RangeError("merge: give the shard directories to join");
  if (existsSync(out) && readdirSync(out).length > 0) throw new RangeError(`--out: "${out}" is not empty; merge into a new directory`);
  const docs = dirs.map(readShard);
  const header = docs[0]!.header;
  const owner = new Map<number, string>();
  docs.forEach((doc, k) => {
    if (doc.header.scenarioSha256 !== header.scenarioSha256) throw new RangeError(`${dirs[k]} was made from another scenario than ${dirs[0]}`);
    if (doc.header.count !== header.count) throw new RangeError(`${dirs[k]} is a shard of ${doc.header.count} samples, ${dirs[0]} of ${header.count}`);
    for (const i of doc.indices) {
      const other = owner.get(i);
      if (other !== undefined) throw new RangeError(`sample ${i} is in two shards: ${other} and ${dirs[k]}`);
      owner.set(i, dirs[k]!);
    }
  });
  const missing: number[] = [];
  for (let i = 0; i < header.count && missing.length < 10; i++) if (!owner.has(i)) missing.push(i);
  if (missing.length > 0) throw new RangeError(`the shards do not cover samples ${missing.join(", ")}${missing.length === 10 ? ", ..." : ""} of ${header.count}`);
  // Verify everything before copying anything.
  const verified = docs.map((doc, k) => verifiedFiles(dirs[k]!, doc));
  mkdirSync(out, { recursive: true });
  for (const files of verified) {
    for (const [rel, bytes] of files) {
      const parts = rel.split("/");
      mkdirSync(join(out, ...parts.slice(0, -1)), { recursive: true });
      writeFileAtomic(join(out, ...parts), bytes);
    }
  }
  const { splits } = await finalizeDataset(out, header);
  return { header, shards: docs.length, splits };
}
