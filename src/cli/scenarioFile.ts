/** Read a scenario file from disk, with a clear message when it cannot be read. */
import { readFileSync } from "node:fs";
import { parseScenario, type Scenario } from "../engine/scenario.js";
import { UsageError } from "./usageError.js";

export function readScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read scenario "${path}"${code === "ENOENT" ? ": no such file" : `: ${(e as Error).message}`}`);
  }
  return parseScenario(text, path);
}
