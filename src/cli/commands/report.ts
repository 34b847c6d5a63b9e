/**
 * `xtwin report <run dir> [--out report.html] [--dose-samples N]`: a self-contained HTML
 * report of a run (src/report/): projections and sinogram, slices with label overlays,
 * particle sizes, dose map and temperature over time, capacity fade and the validation
 * scores, drawn with d3 in the page. Prints the report's path (the last line of `npm
 * start`); its size and the sections the run lacks go to stderr, and the page says why
 * each missing section is missing.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { REPORT_NAME, writeReport } from "../../report/writeReport.js";
import { SECTIONS } from "../../report/reportHtml.js";
import { optionalWholeNumber } from "../options.js";
import { UsageError } from "../usageError.js";

export interface ReportOptions {
  out?: string;
  doseSamples?: string;
}

export async function reportCommand(runDir: string, o: ReportOptions, log: (line: string) => void = () => undefined): Promise<string> {
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) throw new UsageError(`report: "${runDir}" is not a run directory (xtwin run --out <dir> writes one)`);
  const doseSamples = optionalWholeNumber(o.doseSamples, "--dose-samples", 8, 1, 1000);
  const written = await writeReport(runDir, o.out ?? join(runDir, REPORT_NAME), { log, doseSamples });
  for (const { key, heading } of SECTIONS) {
    const f = written.data[key];
    if (f.status === "missing") log(`report: ${heading.replace(/^[0-9ab]+\. /, "")}: ${f.reason}`);
  }
  log(`report: ${Math.round(written.bytes / 1024)} kB`);
  return `report: ${written.path}`;
}
