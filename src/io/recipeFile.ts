/**
 * Where a scenario's recipe file is: the path as given (from the working directory), else
 * beside the scenario file, as scenarios name their recipes ("phantoms/full-cell.yaml").
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";

export function findRecipeFile(path: string, scenarioPath?: string): string {
  const candidates = [resolve(path), ...(scenarioPath !== undefined ? [resolve(dirname(scenarioPath), path)] : [])];
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) throw new Error(`no recipe file "${path}" (looked in ${candidates.join(" and ")})`);
  return found;
}
