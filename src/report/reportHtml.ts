/**
 * The report as one self-contained HTML file: d3 (node_modules/d3/dist/d3.min.js, read at
 * report time) and the drawing script inlined, the data as JSON in a
 * <script type="application/json">, images as PNG data URIs. Nothing is fetched: the page
 * holds no URL but data: URIs and #fragments, so it opens offline and can be mailed.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { CLIENT_SCRIPT } from "./clientScript.js";
import type { ReportData } from "./figureTypes.js";
import { XTWIN_VERSION } from "../version.js";

/** d3's minified UMD bundle (defines the global d3), from the installed package. */
export function d3Bundle(): string {
  const entry = createRequire(import.meta.url).resolve("d3");
  return readFileSync(join(dirname(entry), "d3.min.js"), "utf8");
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Text safe inside a <script> element: no "</script" or "<!--" can end or confuse it. */
export function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

interface SectionSpec {
  readonly key: keyof Omit<ReportData, "title" | "runDir" | "notes">;
  readonly heading: string;
  readonly about: string;
}

/** The figures in page order, each with what it shows and where its data comes from. */
export const SECTIONS: readonly SectionSpec[] = [
  { key: "projections", heading: "1. Projections and sinogram", about: "Projections spread over the scan, flat-field corrected, and the sinogram of the central detector row (-ln T), from /exchange/data, data_white and data_dark." },
  { key: "slices", heading: "2. Slices with labels", about: "Central slices (axial z = nz/2 and vertical y = ny/2) of the reconstruction (recon.h5), or of /truth/mu, alone and under the true labels (/truth/labels) and the segmented classes (seg.h5), coloured as the true class they were mapped to." },
  { key: "particleSizes", heading: "3. Particle sizes", about: "Equivalent-sphere diameters (6V/pi)^(1/3) of the particle instances, true (/truth/instances) and segmented (seg.h5), on shared bins." },
  { key: "dose", heading: "4a. Dose map", about: "Dose the scan left in the sample, central x-z slice, log scale." },
  { key: "temperature", heading: "4b. Temperature over time", about: "Peak temperature of the sample over the beam-on time." },
  { key: "fade", heading: "5. Capacity fade", about: "Capacity, loss of lithium inventory (LLI) and loss of active material (LAM) per cycle, from degradation.json; dashed lines mark the scanned cycles." },
  { key: "cycles", heading: "5b. The sample at each scanned cycle", about: "One column per scanned cycle (cycle_<n>/): the true classes (/truth/labels) with the aged classes (crack, rock-salt, SEI, plated-Li, dendrite, deposit) in strong colours, and the lithium concentration (/truth/lithium, mol/m^3); then the voxels of each aged class in the whole truth volume." },
  { key: "scores", heading: "6. Validation scores", about: "The reconstruction and segmentation scored against the truth (scores.json): image scores, and Dice and IoU per true class." },
];

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px 24px; color: #222; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 0 0 4px; }
section.figure { border-top: 1px solid #ddd; padding: 12px 0; }
.about, .note { color: #555; margin: 2px 0 6px; } .missing { color: #a33; font-style: italic; }
.plots { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-start; }
.legends { display: flex; flex-wrap: wrap; gap: 24px; } .legend-title { font-weight: 600; }
svg { font: 11px system-ui, sans-serif; } svg image { image-rendering: pixelated; }
.panel-title { font-weight: 600; } .axis-label { fill: #333; }
.cycle-column { display: flex; flex-direction: column; } .cycle-title { font-weight: 600; margin-left: 64px; }
.swatch { display: inline-block; width: 11px; height: 11px; vertical-align: middle; }
table.scores { border-collapse: collapse; margin-right: 24px; } table.scores td, table.scores th { border: 1px solid #ccc; padding: 2px 8px; text-align: left; }
`;

/** The page for `data`, with `d3` the bundle's source (d3Bundle()). */
export function reportHtml(data: ReportData, d3: string): string {
  const sections = SECTIONS.map(({ key, heading, about }) => {
    const f = data[key] as { status: string; reason?: string; note?: string; source?: string };
    const detail = f.status === "ok" ? [f.note, f.source].filter((x): x is string => typeof x === "string" && x.length > 0) : [];
    return [
      `<section class="figure" id="fig-${key}" data-figure="${key}" data-status="${f.status}">`,
      `<h2>${escapeHtml(heading)}</h2>`,
      `<p class="about">${escapeHtml(about)}</p>`,
      ...detail.map((d) => `<p class="note">${escapeHtml(d)}</p>`),
      f.status === "ok" ? `<div class="plots"></div><div class="legends"></div>` : `<p class="missing">${escapeHtml(f.reason ?? "not available")}</p>`,
      `</section>`,
    ].join("\n");
  });
  // Every "<" of the data as the JSON escape \u003c: no text in it can end or confuse the script.
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  return [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>xtwin report: ${escapeHtml(data.title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head><body>",
    `<h1>xtwin report: ${escapeHtml(data.title)}</h1>`,
    `<p class="note">run directory ${escapeHtml(data.runDir)}; xtwin ${escapeHtml(XTWIN_VERSION)}</p>`,
    ...data.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`),
    ...sections,
    `<script id="report-data" type="application/json">${json}</script>`,
    `<script>${scriptSafe(d3)}</script>`,
    `<script>${scriptSafe(CLIENT_SCRIPT)}</script>`,
    "</body></html>",
    "",
  ].join("\n");
}
