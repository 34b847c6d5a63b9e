/** `xtwin check <scenario.yaml>`: validate only, print the resolved scenario (SI units). */
import { stringify } from "yaml";
import { readScenarioFile } from "../scenarioFile.js";
import { resolvedScenarioSummary } from "../../engine/scenario.js";

export function checkCommand(path: string): string {
  const scenario = readScenarioFile(path);
  return `# ${path} is valid; resolved values in SI units (photon energy in keV)\n` + stringify(resolvedScenarioSummary(scenario));
}
