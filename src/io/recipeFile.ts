/**
 * Where a scenario's recipe file is: the path as given (from the working directory), else
 * under the folders searched next, as scenarios name their recipes ("phantoms/full-cell.yaml")
 * relative to the scenario file (or, for a run's stored scenario, to a folder above the run).
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** The recipe `path`, looked for from the working directory, then in each of `folders` in order. */
export function findRecipeIn(path: string, folders: readonly string[]): string {
  const candidates = [resolve(path), ...folders.map((f) => resolve(f, path))];
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) throw new Error(`no recipe file "${path}" (looked in ${candidates.join(" and ")})`);
  return found;
}

/** The recipe `path` of a scenario file: from the working directory, else beside the scenario. */
export function findRecipeFile(path: string, scenarioPath?: string): string {
  return findRecipeIn(path, scenarioPath !== undefined ? [dirname(scenarioPath)] : []);
}
