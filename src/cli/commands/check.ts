/** `xtwin check <scenario.yaml>`: validate only, print the resolved scenario (SI units). */
import { Document, isScalar, visit } from "yaml";
import { readScenarioFile } from "../scenarioFile.js";
import { resolvedScenarioSummary } from "../../engine/scenario.js";

/** YAML for people: short lists on one line, small SI values as 1e-6 rather than 0.000001. */
function readableYaml(value: unknown): string {
  const doc = new Document(value);
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
    Scalar(_, node) {
      if (typeof node.value === "number" && node.value !== 0 && Math.abs(node.value) < 1e-3) node.format = "EXP";
    },
  });
  return doc.toString();
}

export function checkCommand(path: string): string {
  const scenario = readScenarioFile(path);
  return `# ${path} is valid; resolved values in SI units (photon energy in keV)\n` + readableYaml(resolvedScenarioSummary(scenario));
}
