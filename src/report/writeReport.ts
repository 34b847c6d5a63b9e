/** Gather a run's report (collectReport.ts) and write it as one HTML file, atomically. */
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomicFile.js";
import { collectReport, type CollectOptions } from "./collectReport.js";
import { d3Bundle, reportHtml } from "./reportHtml.js";
import type { ReportData } from "./figureTypes.js";

export const REPORT_NAME = "report.html";

export interface WrittenReport {
  readonly path: string;
  readonly bytes: number;
  readonly data: ReportData;
}

/** Write the report of `runDir` to `outPath` (default <runDir>/report.html). */
export async function writeReport(runDir: string, outPath: string = join(runDir, REPORT_NAME), options: CollectOptions = {}): Promise<WrittenReport> {
  const data = await collectReport(runDir, options);
  const html = Buffer.from(reportHtml(data, d3Bundle()), "utf8");
  writeFileAtomic(outPath, html);
  return { path: outPath, bytes: html.byteLength, data };
}
