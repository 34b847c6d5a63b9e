/** Read a scenario file from disk, with the recipes it names, and clear messages. */
import { readFileSync } from "node:fs";
import { parseScenario, validateScenario, type Scenario, type ScenarioOptions } from "../engine/scenario.js";
import { parseRecipe } from "../phantoms/recipe.js";
import { findRecipeFile } from "../io/recipeFile.js";
import { UsageError } from "./usageError.js";

/** Recipes are found relative to the working directory, else to the scenario's folder. */
function recipeLoader(scenarioPath: string): ScenarioOptions {
  return {
    loadRecipe: (path) => parseRecipe(readFileSync(findRecipeFile(path, scenarioPath), "utf8"), path),
  };
}

export function readScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read scenario "${path}"${code === "ENOENT" ? ": no such file" : `: ${(e as Error).message}`}`);
  }
  return parseScenario(text, path, recipeLoader(path));
}

/** The scenario of `path` again with a different seed. */
export function reseedScenario(path: string, scenario: Scenario, seed: number, seedText: string): Scenario {
  return validateScenario({ ...(scenario.source as object), seed }, `${path} with --seed ${seedText}`, recipeLoader(path));
}
