/**
 * The default training scenario shrunk for tests: 64 x 64 slices of a 10 um slab, 48 angles,
 * 4 um - 6 um particles; everything else (ranges, degradation, phase contrast, split) as in
 * scenarios/training-particles-2d.yaml. And the CLI as the user runs it.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { REPO_ROOT } from "../helpers.js";

/** The CLI of this build (dist/ or a helper's dist-*). */
export const CLI = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

export function smallScenario(dir: string, overrides: (raw: Record<string, any>) => void = () => undefined): string {
  const raw = parse(readFileSync(join(REPO_ROOT, "scenarios/training-particles-2d.yaml"), "utf8")) as Record<string, any>;
  raw.sample.shape = [64, 64, 20];
  raw.geometry.angles = 48;
  raw.detector.cols = 92;
  raw.scan = { flats: 4, darks: 0 };
  raw.dataset.recipe.layers[0].thickness = "10 um";
  raw.dataset.ranges.particleSize = ["4 um", "6 um"];
  raw.dataset.minInstanceArea = 4;
  raw.dataset.degradation.probability = 0.5;
  overrides(raw);
  const path = join(dir, "small.yaml");
  writeFileSync(path, stringify(raw));
  return path;
}

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `xtwin-${tag}-`));
}

export function xtwin(...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
}

export function xtwinAsync(...args: string[]): ReturnType<typeof spawn> {
  return spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
}

/** sha256 of every file under `dir` by relative path (sorted). */
export function treeHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  walk(dir);
  return out;
}
