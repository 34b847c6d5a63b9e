/**
 * The scenario a run was made from, validated again from the copy its dataset keeps
 * (/process/acquisition/scenario), and the material of every true class, so the report can
 * recompute what the run did not store (dose, heating). A recipe the scenario names
 * (sample.phantom) is looked for relative to the working directory, then to the run
 * directory and each folder above it (a run under runs/ of a checkout finds phantoms/).
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { validateScenario, type Scenario } from "../engine/scenario.js";
import { AGED_CLASS_MATERIALS } from "../degradation/ageSample.js";
import { resolveMaterial, type Material } from "../materials/library.js";
import { findRecipeIn } from "../io/recipeFile.js";
import { parseRecipe } from "../phantoms/recipe.js";

/** The class the bubble model appends for gas (src/damage/bubbles.ts, its default name). */
export const BUBBLE_GAS_CLASS = "gas";

/** Validate the scenario `raw` (as written) of the run in `runDir`. */
export function scenarioOfRun(raw: unknown, runDir: string): Scenario {
  const folders: string[] = [];
  for (let d = resolve(runDir); ; d = dirname(d)) {
    folders.push(d);
    if (dirname(d) === d) break;
  }
  return validateScenario(raw, `the scenario stored in ${runDir}`, {
    loadRecipe: (path) => parseRecipe(readFileSync(findRecipeIn(path, folders), "utf8"), path),
  });
}

/**
 * The material of each class name: the scenario's (background, objects, recipe mixtures),
 * the aged classes of a cycled sample, the bubble gas of a damaged one (air at 1 atm, as
 * the damage loop images it: src/engine/damageLoop.ts), else the library's material of that name.
 */
export function classMaterialsOf(s: Scenario, classNames: readonly string[]): Material[] {
  const known = new Map<string, Material>([[s.sample.background.name, s.sample.background]]);
  s.sample.objects.forEach((o, i) => known.set(o.material, s.sample.objectMaterials[i]!));
  if (s.sample.phantom) for (const [name, m] of s.sample.phantom.materials) known.set(name, m);
  return classNames.map((name) => {
    const m = known.get(name);
    if (m !== undefined) return m;
    const aged = AGED_CLASS_MATERIALS[name];
    if (aged !== undefined) return resolveMaterial(aged);
    return resolveMaterial(name === BUBBLE_GAS_CLASS ? "air" : name);
  });
}
