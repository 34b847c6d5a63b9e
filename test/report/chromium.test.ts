/**
 * `xtwin report` end to end: a small real run (the demo shrunk to 32^3 and 30 angles, with a
 * thermal section, reconstruction, segmentation into particles and scores) plus the fade of
 * a real ageing simulation, reported and rendered in headless Chromium (Debian's
 * `chromium`; .ci/run installs it). Every figure must be drawn (data-rendered="true", marks
 * > 0 in the DOM after the scripts ran) and the screenshot must show figures and heatmap
 * colour. Without Chromium the rendering test prints a loud note and skips.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decode } from "fast-png";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LG_M50_CELL, simulateAgeing } from "../../src/degradation/ageing.js";
import { parseProtocol } from "../../src/degradation/protocol.js";
import { SECTIONS } from "../../src/report/reportHtml.js";
import { browserArgs, chromium, drawnSection, renderedDom } from "./browser.js";

// The CLI of this build (dist/ or a helper's dist-*/), beside the compiled test.
const CLI = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "xtwin-report-"));
const run = join(dir, "run");

const SCENARIO = `name: mini
seed: 42
sample:
  voxelSize: 4 um
  shape: [32, 32, 32]
  background: air
  objects:
    - { type: cylinder, material: aluminium, center: [0 um, 0 um, 0 um], radius: 40 um, height: 100 um, axis: z }
    - { type: sphere, material: NMC811, center: [10 um, 5 um, 0 um], radius: 20 um }
    - { type: sphere, material: NMC811, center: [-18 um, -15 um, 25 um], radius: 12 um }
    - { type: ellipsoid, material: CBD, center: [-15 um, 20 um, -20 um], radii: [15 um, 8 um, 10 um], rotation: [0 deg, 0 deg, 30 deg] }
beam: { energy: 20 keV, photonsPerPixel: 1e5 }
geometry: { type: parallel, angles: 30, range: 180 deg }
detector: { cols: 32, rows: 32, pixelSize: 4 um, noise: true }
scan: { flats: 4, darks: 2, exposure: 0.5 s }
thermal:
  ambient: 22 degC
  coarsen: 2
  surroundings: [{ material: Kapton, thickness: 16 um }]
  convection: 10 W/(m^2 K)
  holder: { face: zMin, temperature: 22 degC }
reconstruction:
  algorithm: fbp
  filter: shepp-logan
  segment: { classes: 3, smooth: 1, instances: true }
`;

function makeRun(): string {
  const scenario = join(dir, "mini.yaml");
  writeFileSync(scenario, SCENARIO);
  const r = spawnSync(process.execPath, [CLI, "run", scenario, "--out", run, "--workers", "0"], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  // The fade of a real (short) ageing simulation, as a cycling run writes degradation.json.
  const protocol = parseProtocol({ cycles: 30, chargeRate: "1C", dischargeRate: "C/2", temperatureK: 298.15, voltageWindow: [2.5, 4.2] });
  const records = simulateAgeing(protocol, LG_M50_CELL, 21).map((x) => ({ cycle: x.cycle, capacityFraction: x.capacityFraction, lliFraction: x.lliFraction, lamFraction: x.lamFraction }));
  writeFileSync(join(run, "degradation.json"), JSON.stringify(records, null, 2) + "\n");
  const rep = spawnSync(process.execPath, [CLI, "report", run], { encoding: "utf8" });
  assert.is(rep.status, 0, rep.stderr);
  const path = join(run, "report.html");
  assert.is(rep.stdout.trim(), `report: ${path}`);
  assert.match(rep.stderr, new RegExp(`report: ${Math.round(statSync(path).size / 1024)} kB`));
  return path;
}

const DRAWN = SECTIONS.filter(({ key }) => key !== "cycles");
const reportPath = makeRun();
const html = readFileSync(reportPath, "utf8");

test("the report holds every figure's data, inline, and nothing it would fetch", () => {
  // Every figure but the scanned cycles, which needs cycle_<n>/ scans (cycles.test.ts has a cycling run).
  for (const { key } of DRAWN) assert.ok(html.includes(`id="fig-${key}" data-figure="${key}" data-status="ok"`), `section ${key} has its data`);
  assert.match(html, /id="fig-cycles" data-figure="cycles" data-status="missing">[^]*?not a cycling run: no cycle_&lt;n&gt;\/ scans/);
  for (const m of html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']*)["']/g)) assert.ok(m[1]!.startsWith("data:") || m[1]!.startsWith("#"), `external reference ${m[1]}`);
  const d3 = readFileSync(fileURLToPath(import.meta.resolve("d3")).replace(/d3\.mjs$/, "d3.min.js"), "utf8");
  assert.ok(html.includes(d3), "d3 inlined whole");
  assert.not.ok(html.replace(d3, "").match(/https?:\/\//), "no URL outside the inlined d3 (whose are licence text and XML namespaces)");
  assert.ok(html.length < 10e6, `${html.length} bytes`);
  const data = JSON.parse(/<script id="report-data" type="application\/json">([^<]*)<\/script>/.exec(html)![1]!) as {
    particleSizes: { series: { name: string; particles: number }[] };
    fade: { cycle: number[]; scannedCycles: number[] };
    temperature: { source: string; peakK: number[]; ambientK: number };
  };
  assert.equal(data.particleSizes.series.map((s) => s.name), ["segmented particles"]);
  assert.ok(data.particleSizes.series[0]!.particles >= 1);
  assert.is(data.fade.cycle.length, 31);
  assert.equal(data.fade.scannedCycles, [], "no cycle_<n>/ scans to mark");
  assert.match(data.temperature.source, /^heat solver/);
  assert.ok(data.temperature.peakK.at(-1)! > data.temperature.ambientK, "the beam warms the sample");
});

test("the report renders in headless Chromium: every figure drawn, the screenshot shows them in colour", () => {
  const browser = chromium();
  if (browser === null) {
    console.log("\n  !!! NOTE: chromium is not installed: the report's rendering test is SKIPPED (apt-get install chromium; .ci/run does) !!!\n");
    return;
  }
  const url = "file://" + reportPath;
  const dom = renderedDom(browser, reportPath, join(dir, "profile-dom"));
  for (const { key } of DRAWN) drawnSection(dom, key);

  const shot = join(dir, "report.png");
  const r = spawnSync(browser, [...browserArgs(join(dir, "profile-shot")), "--window-size=1280,4000", `--screenshot=${shot}`, url], { encoding: "utf8", timeout: 60_000 });
  assert.is(r.status, 0, r.stderr);
  const img = decode(readFileSync(shot));
  const ch = img.channels;
  let ink = 0, colour = 0, total = 0;
  // The figures start below the page's heading (first 120 px).
  for (let y = 120; y < img.height; y++) for (let x = 0; x < img.width; x++) {
    const o = ch * (x + img.width * y);
    const R = img.data[o]!, G = img.data[o + 1]!, B = img.data[o + 2]!;
    total++;
    if (R < 245 || G < 245 || B < 245) ink++;
    if (Math.max(R, G, B) - Math.min(R, G, B) > 60) colour++;
  }
  assert.ok(ink / total > 0.08, `non-background pixels: ${(100 * ink / total).toFixed(1)} % (${shot})`);
  assert.ok(colour / total > 0.02, `coloured pixels (heatmaps, overlays, bars): ${(100 * colour / total).toFixed(1)} % (${shot})`);
});

test.run();
