/**
 * manifest.json: what a run produced and how to check it was not altered.
 *
 *   {
 *     "format": "xtwin-manifest/1",
 *     "xtwinVersion": "0.1.0",
 *     "seed": 42,
 *     "scenario": { ...canonical (sorted keys)... },
 *     "files": [ { "path": "scan.h5", "bytes": 12345, "sha256": "..." }, ... ]   // sorted by path
 *   }
 *
 * Deterministic: fixed key order, scenario keys sorted, files sorted by path (code-unit order),
 * no wall-clock time, LF line endings, trailing newline. Hashes are computed by streaming each
 * file, never by loading it whole. The manifest is written atomically (temp + rename).
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { isAbsolute, join, normalize, resolve, sep } from "node:path";
import { writeFileAtomic } from "./atomicFile.js";
import { canonicalize } from "./canonicalJson.js";

export const MANIFEST_NAME = "manifest.json";
export const MANIFEST_FORMAT = "xtwin-manifest/1";

export interface ManifestInput {
  scenario: object;
  seed: number | string;
  xtwinVersion: string;
  /** Paths relative to the manifest's directory, "/"-separated. */
  files: string[];
}

export interface ManifestEntry {
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: string;
  xtwinVersion: string;
  seed: number | string;
  scenario: unknown;
  files: ManifestEntry[];
}

export type ManifestProblem =
  | { path: string; problem: "missing" }
  | { path: string; problem: "size"; expected: number; actual: number }
  | { path: string; problem: "sha256"; expected: string; actual: string };

export interface VerifyResult {
  ok: boolean;
  /** Files checked (every entry of the manifest). */
  checked: number;
  mismatches: ManifestProblem[];
}

/** sha256 (hex) and size of a file, streamed. */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

/** Check a manifest path: relative, inside the directory, "/"-separated, not the manifest itself. */
function checkRelative(p: string): string {
  if (typeof p !== "string" || p === "") throw new RangeError("manifest file paths must be non-empty strings");
  if (p.includes("\\")) throw new RangeError(`manifest path "${p}": use "/" as the separator`);
  if (isAbsolute(p) || p.startsWith("/")) throw new RangeError(`manifest path "${p}" must be relative to the output directory`);
  const parts = p.split("/");
  if (parts.some((s) => s === "" || s === "." || s === "..")) throw new RangeError(`manifest path "${p}" must be a plain relative path (no ".", "..", "//")`);
  if (p === MANIFEST_NAME) throw new RangeError(`the manifest cannot list itself`);
  return p;
}

function onDisk(dir: string, rel: string): string {
  const full = resolve(dir, ...rel.split("/"));
  const root = resolve(dir);
  if (!(full === root || full.startsWith(root.endsWith(sep) ? root : root + sep))) throw new RangeError(`manifest path "${rel}" leaves ${dir}`);
  return normalize(full);
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The manifest's text for the given content (exported so callers and tests can inspect it). */
export function manifestText(m: Manifest): string {
  const ordered = {
    format: m.format,
    xtwinVersion: m.xtwinVersion,
    seed: m.seed,
    scenario: canonicalize(m.scenario),
    files: m.files.map((f) => ({ path: f.path, bytes: f.bytes, sha256: f.sha256 })),
  };
  return JSON.stringify(ordered, null, 2) + "\n";
}

/** Hash every listed file and write `<dir>/manifest.json` atomically. Returns the manifest. */
export async function writeManifest(dir: string, input: ManifestInput): Promise<Manifest> {
  if (typeof input.seed === "number" && !Number.isFinite(input.seed)) throw new RangeError(`seed must be finite, got ${input.seed}`);
  const rels = input.files.map(checkRelative);
  const sorted = [...rels].sort(byCodeUnit);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) throw new RangeError(`manifest lists "${sorted[i]}" twice`);
  }
  const files: ManifestEntry[] = [];
  for (const rel of sorted) {
    const { sha256, bytes } = await hashFile(onDisk(dir, rel));
    files.push({ path: rel, bytes, sha256 });
  }
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    xtwinVersion: input.xtwinVersion,
    seed: input.seed,
    scenario: canonicalize(input.scenario),
    files,
  };
  writeFileAtomic(join(dir, MANIFEST_NAME), manifestText(manifest));
  return manifest;
}

/** Read `<dir>/manifest.json`. */
export async function readManifest(dir: string): Promise<Manifest> {
  const text = await readFile(join(dir, MANIFEST_NAME), "utf8");
  const m = JSON.parse(text) as Manifest;
  if (m.format !== MANIFEST_FORMAT) throw new Error(`${join(dir, MANIFEST_NAME)}: unknown format "${String(m.format)}"`);
  if (!Array.isArray(m.files)) throw new Error(`${join(dir, MANIFEST_NAME)}: no files list`);
  return m;
}

/** Recompute size and sha256 of every file the manifest lists and report the differences. */
export async function verifyManifest(dir: string): Promise<VerifyResult> {
  const m = await readManifest(dir);
  const mismatches: ManifestProblem[] = [];
  for (const entry of m.files) {
    const full = onDisk(dir, checkRelative(entry.path));
    let size: number;
    try {
      const st = await stat(full);
      if (!st.isFile()) throw Object.assign(new Error("not a file"), { code: "ENOENT" });
      size = st.size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") {
        mismatches.push({ path: entry.path, problem: "missing" });
        continue;
      }
      throw e;
    }
    if (size !== entry.bytes) {
      mismatches.push({ path: entry.path, problem: "size", expected: entry.bytes, actual: size });
      continue;
    }
    const { sha256 } = await hashFile(full);
    if (sha256 !== entry.sha256) mismatches.push({ path: entry.path, problem: "sha256", expected: entry.sha256, actual: sha256 });
  }
  return { ok: mismatches.length === 0, checked: m.files.length, mismatches };
}
