/** Shared test helpers: fixtures read relative to the repository, tolerant comparisons. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as assert from "uvu/assert";

/** The repository root (tests run from dist/test/...). */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function readJson<T>(pathFromRepo: string): T {
  return JSON.parse(readFileSync(REPO_ROOT + pathFromRepo, "utf8")) as T;
}

/** Relative difference |a/b - 1|. */
export function relativeError(actual: number, expected: number): number {
  return Math.abs(actual / expected - 1);
}

export function assertRelClose(actual: number, expected: number, tolerance: number, label: string): void {
  const err = relativeError(actual, expected);
  assert.ok(
    err <= tolerance,
    `${label}: got ${actual}, expected ${expected} within ${(tolerance * 100).toFixed(2)}% (off by ${(err * 100).toFixed(3)}%)`,
  );
}
