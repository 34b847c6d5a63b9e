/** The report's data extraction: sizes, histograms, images, dose, temperature, tables, the page. */
import { decode } from "fast-png";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseScenario } from "../../src/engine/scenario.js";
import { buildPhantom } from "../../src/engine/simulate.js";
import { entranceSurfaceDoseGy, fluenceFromPhotonsPerPixel } from "../../src/dose/surfaceDose.js";
import { resolveMaterial } from "../../src/materials/library.js";
import { materialOptics } from "../../src/materials/optics.js";
import { planTolerance } from "../../src/planning/tolerance.js";
import { AGED_CLASS_COLOURS, CLASS_PALETTE, GREY, INFERNO, colourTable, hex } from "../../src/report/colourMaps.js";
import { centralXzSlice, runDose } from "../../src/report/doseFigure.js";
import { missing, type ReportData } from "../../src/report/figureTypes.js";
import { histogram, niceStep, particleSizeFigure } from "../../src/report/particleSizes.js";
import { displayRange, labelOverlayImage, scalarImage, shrinkLabels, shrinkMean } from "../../src/report/raster.js";
import { reportHtml, scriptSafe } from "../../src/report/reportHtml.js";
import { classMaterialsOf } from "../../src/report/runScenario.js";
import { segAsTruthLabels, slicesFigure } from "../../src/report/slicesFigure.js";
import { fadeFigure, scoresFigure } from "../../src/report/tableFigures.js";
import { temperatureFromDamage, temperatureFromSolver } from "../../src/report/temperatureFigure.js";
import { spreadIndices } from "../../src/report/projectionsFigure.js";
import { assertRelClose } from "../helpers.js";

function png(uri: string): { width: number; height: number; channels: number; data: ArrayLike<number> } {
  assert.ok(uri.startsWith("data:image/png;base64,"), "a PNG data URI");
  return decode(Buffer.from(uri.slice("data:image/png;base64,".length), "base64")) as unknown as { width: number; height: number; channels: number; data: ArrayLike<number> };
}

test("equivalent diameters of known cubes, on shared bins, with median and mean", () => {
  // Three particles of 8, 27 and 64 voxels of 1 um (ids 1, 2, 5; id 0 is none) in an 8^3 volume.
  const n = 8;
  const inst = new Int32Array(n ** 3);
  const cube = (x0: number, y0: number, z0: number, e: number, id: number) => {
    for (let z = z0; z < z0 + e; z++) for (let y = y0; y < y0 + e; y++) for (let x = x0; x < x0 + e; x++) inst[x + n * (y + n * z)] = id;
  };
  cube(0, 0, 0, 2, 1);
  cube(4, 4, 4, 3, 2);
  cube(0, 4, 0, 4, 5);
  const d = (v: number) => Math.cbrt((6 * v) / Math.PI);
  const fig = particleSizeFigure([{ name: "true", instances: inst, voxelSizeM: 1e-6 }])!;
  const s = fig.series[0]!;
  assert.is(s.particles, 3);
  assertRelClose(s.medianUm, d(27), 1e-9, "median of 2.48, 3.72, 4.96 um");
  assertRelClose(s.meanUm, (d(8) + d(27) + d(64)) / 3, 1e-9, "mean");
  // 3 particles: 5 bins (the minimum) of a nice width >= 4.96 / 5 -> 1 um: [0,1) .. [4,5].
  assert.equal(fig.edgesUm, [0, 1, 2, 3, 4, 5]);
  assert.equal(s.counts, [0, 0, 1, 1, 1]);
  // A second series shares the bins; an empty one counts nothing.
  const two = particleSizeFigure([{ name: "a", instances: inst, voxelSizeM: 2e-6 }, { name: "b", instances: new Int32Array(8), voxelSizeM: 2e-6 }])!;
  assert.is(two.series[1]!.particles, 0);
  assert.equal(two.series[1]!.counts, new Array(two.edgesUm.length - 1).fill(0));
  assert.is(particleSizeFigure([{ name: "none", instances: new Int32Array(8), voxelSizeM: 1e-6 }]), null);
});

test("histogram bins are half-open but the last is closed; nice steps are 1, 2, 5 x 10^k", () => {
  assert.equal(histogram([0, 0.5, 1, 1.99, 2, 3, -1, 3.5], [0, 1, 2, 3]), [2, 2, 2]);
  assert.is(niceStep(0.37), 0.5);
  assert.is(niceStep(1), 1);
  assert.is(niceStep(1.2), 2);
  assert.is(niceStep(7), 10);
  assert.is(niceStep(0.002), 0.002);
  assert.throws(() => niceStep(0), /bin width must be a positive number, got 0/);
  assert.throws(() => histogram([1], [0]), /at least 2 bin edges/);
});

test("shrinking: block means for values, the block's first pixel for labels", () => {
  const p = { width: 4, height: 2, data: Float32Array.from([1, 3, 5, 7, 1, 3, 5, 7]) };
  assert.equal(Array.from(shrinkMean(p, 2).data), [2, 6]);
  const odd = shrinkMean({ width: 3, height: 1, data: Float32Array.from([2, 4, 9]) }, 2);
  assert.equal(Array.from(odd.data), [3, 9]);
  assert.equal(Array.from(shrinkLabels({ width: 4, height: 2, data: [1, 2, 3, 4, 5, 6, 7, 8] }, 2).data), [1, 3]);
  assert.throws(() => shrinkMean({ width: 3, height: 3, data: new Float32Array(8) }, 1), /holds 8 values, 3 x 3 needs 9/);
});

test("display range: quantiles of the finite values, only positive ones on a log scale", () => {
  const v = Float32Array.from({ length: 101 }, (_, i) => i);
  assert.equal(displayRange(v), { min: 0, max: 100 });
  assert.equal(displayRange(v, { low: 0.1, high: 0.9 }), { min: 10, max: 90 });
  assert.equal(displayRange([NaN, -5, 0, 2, 8], { log: true }), { min: 2, max: 8 });
});

test("scalar images round-trip through PNG: min black, max white, log midpoint mid-ramp, rows flipped", () => {
  const table = colourTable(INFERNO);
  const log = png(scalarImage({ width: 3, height: 1, data: [1, 10, 100] }, { min: 1, max: 100, log: true, map: INFERNO }));
  assert.is(log.channels, 3);
  // 10 is halfway between 1 and 100 in log10: entry round(127.5) = 128 of the table.
  assert.equal(Array.from(log.data).slice(3, 6), Array.from(table.subarray(3 * 128, 3 * 128 + 3)));
  assert.equal(Array.from(log.data).slice(0, 3), [0, 0, 4]);
  assert.equal(Array.from(log.data).slice(6, 9), [252, 255, 164]);
  // Row 0 is drawn at the bottom with flipY.
  const g = png(scalarImage({ width: 1, height: 2, data: [0, 1] }, { min: 0, max: 1, map: GREY, flipY: true }));
  assert.equal(Array.from(g.data), [255, 255, 255, 0, 0, 0]);
  assert.throws(() => scalarImage({ width: 1, height: 1, data: [1] }, { min: 0, max: 1, log: true, map: GREY }), /log scale needs min and max > 0/);
});

test("label overlays: class colours at the given opacity, listed labels clear", () => {
  const o = png(labelOverlayImage({ width: 3, height: 1, data: [0, 1, 12] }, { alpha: 0.5, transparent: [0] }));
  assert.is(o.channels, 4);
  assert.equal(Array.from(o.data), [0, 0, 0, 0, ...CLASS_PALETTE[1]!, 128, ...CLASS_PALETTE[2]!, 128]);
});

test("segmented classes take the index of the true class they map to", () => {
  const seg = Float32Array.from([0, 1, 2, 3]);
  assert.equal(Array.from(segAsTruthLabels(seg, ["air", "NMC811", "Al"], ["air", "Al", "NMC811", "CBD"])), [0, 2, 1, 3]);
});

test("slices: an aged class past the palette's length keeps its own colour, in the legend and in the overlay", () => {
  const names = ["LP30", "aluminium", "NMC811", "CBD", "graphite", "Cu", "wet-separator", "crack", "rock-salt", "deposit", "SEI"];
  const n = 4;
  const labels = new Uint8Array(n * n * n).fill(10); // all SEI (label 10: palette slot 0, LP30's colour)
  const fig = slicesFigure({
    nx: n, ny: n, nz: n, voxelSizeM: 1e-6, values: new Float32Array(n * n * n).fill(1), valuesSource: "truth", valuesNote: "",
    truthLabels: labels, truthClassNames: names, segClasses: null, segClassNames: [], segToTruth: null,
  });
  if (fig.status !== "ok") throw new Error("no slices");
  const legend = fig.legends[0]!.entries;
  assert.is(legend[10]!.colour, hex(AGED_CLASS_COLOURS["SEI"]!));
  assert.is(legend[0]!.colour, hex(CLASS_PALETTE[0]!));
  assert.is.not(legend[10]!.colour, legend[0]!.colour);
  const overlay = fig.panels.find((p) => p.title.startsWith("true labels"))!.overlay!;
  const png = decode(Buffer.from(overlay.split(",")[1]!, "base64"));
  assert.equal(Array.from(png.data.slice(0, 3)), Array.from(AGED_CLASS_COLOURS["SEI"]!));
});

test("dose of a sphere: the energy it absorbs, and its centre under axis-aligned rays (narrow beam, analytic)", () => {
  // A 20 um NMC811 sphere in air, 2 um voxels, an odd grid so a voxel sits on the axis.
  const s = parseScenario(`name: sphere
seed: 1
sample:
  voxelSize: 2 um
  shape: [33, 33, 33]
  background: air
  objects: [{ type: sphere, material: NMC811, center: [0 um, 0 um, 0 um], radius: 20 um }]
beam: { energy: 20 keV, photonsPerPixel: 1e6 }
geometry: { type: parallel, angles: 90, range: 180 deg }
detector: { cols: 33, rows: 33, pixelSize: 2 um }
scan: { exposure: 0.5 s }
`);
  const { volume } = buildPhantom(s);
  const materials = classMaterialsOf(s, volume.classNames);
  const nmc = resolveMaterial("NMC811");
  const o = materialOptics(nmc, 20);
  const R = 20e-6;
  const fluence = fluenceFromPhotonsPerPixel(1e6, 2e-6);
  const energyJ = 20 * 1.602176634e-16;
  // Energy one projection leaves in the sphere: fluence E (mu_en/mu) integral over the disk of
  // (1 - exp(-mu L(r))), L = 2 sqrt(R^2 - r^2): 2 pi [R^2/2 - (1 - exp(-2 mu R)(1 + 2 mu R)) / (4 mu^2)].
  const m = o.mu;
  const disk = 2 * Math.PI * (R * R / 2 - (1 - Math.exp(-2 * m * R) * (1 + 2 * m * R)) / (4 * m * m));
  const perProjectionJ = fluence * energyJ * (o.muEnRho / o.muRho) * disk;
  const dose = runDose(s, volume, materials, 8);
  assertRelClose(dose.planned.depositedJ, 90 * perProjectionJ, 0.02, "energy absorbed over the scan");
  assert.is(dose.planned.beamOnTimeS, 45);
  assert.is(dose.planned.sampledAngles, 8);
  // At 0 deg the rays run along voxel rows: the centre gets N x the entrance dose x exp(-mu R).
  const esd = entranceSurfaceDoseGy(fluence, 20, nmc);
  const centre = 16 + 33 * (16 + 33 * 16);
  const axial = runDose(s, volume, materials, 1);
  assertRelClose(axial.planned.doseGy[centre]!, 90 * esd * Math.exp(-m * R), 0.005, "centre dose");
  // The x-z slice through y = ny/2 holds that voxel at (16, 16).
  assert.is(centralXzSlice(axial.planned.doseGy, 33, 33, 33)[16 + 33 * 16], axial.planned.doseGy[centre]);
});

test("the heat solver's curve rises from ambient to xtwin plan's steady peak", () => {
  const s = parseScenario(`name: warm
seed: 2
sample:
  voxelSize: 1 um
  shape: [16, 16, 16]
  background: LP30
  objects: [{ type: sphere, material: NMC811, center: [0 um, 0 um, 0 um], radius: 5 um }]
beam: { energy: 17 keV, photonsPerPixel: 1e7 }
geometry: { type: parallel, angles: 8, range: 180 deg }
detector: { cols: 16, rows: 16, pixelSize: 1 um }
scan: { exposure: 10 s }
thermal:
  ambient: 22 degC
  coarsen: 2
  surroundings: [{ material: Kapton, thickness: 4 um }]
  convection: 10 W/(m^2 K)
  holder: { face: zMin, temperature: 22 degC }
`);
  const { volume } = buildPhantom(s);
  const materials = classMaterialsOf(s, volume.classNames);
  const dose = runDose(s, volume, materials, 8);
  const t = temperatureFromSolver(s, volume, materials, dose);
  const plan = planTolerance(s, { maxTemperatureRiseK: 10, doseBudgetGy: 1e12 }, { samples: 8 });
  assert.is(t.timeS[0], 0);
  assert.is(t.peakK[0], 295.15);
  assertRelClose(t.timeS.at(-1)!, 80, 1e-9, "ends at the beam-on time");
  for (let i = 1; i < t.peakK.length; i++) assert.ok(t.peakK[i]! >= t.peakK[i - 1]! - 1e-9, `no cooling with the beam on (step ${i})`);
  assert.ok(plan.peakTemperatureRiseK! > 0);
  assertRelClose(t.peakK.at(-1)! - 295.15, plan.peakTemperatureRiseK!, 0.01, "rise after 80 s vs the steady state");
});

test("damage.json's peaks go on the beam-on time axis: (p + 1) x exposure x distances", () => {
  const t = temperatureFromDamage({ peakTemperatureK: [300, 301, 302], bubbles: [{}, {}] }, 0.1, 2, 295);
  assert.equal(t.timeS.map((x) => Number(x.toFixed(12))), [0.2, 0.4, 0.6]);
  assert.equal(t.peakK, [300, 301, 302]);
  assert.is(t.bubbles, 2);
});

test("fade and scores tables: values carried, bad records named", () => {
  const fade = fadeFigure(JSON.stringify([{ cycle: 0, capacityFraction: 1, lliFraction: 0, lamFraction: 0 }, { cycle: 1, capacityFraction: 0.99, lliFraction: 0.008, lamFraction: 0.002 }]), "d.json");
  assert.equal(fade.capacityFraction, [1, 0.99]);
  assert.equal(fade.lamFraction, [0, 0.002]);
  assert.equal(fade.scannedCycles, []);
  assert.equal(fadeFigure('[{"cycle": 0, "capacityFraction": 1, "lliFraction": 0, "lamFraction": 0}]', "d.json", [0, 50]).scannedCycles, [0, 50]);
  assert.throws(() => fadeFigure('[{"cycle": 0, "capacityFraction": "x", "lliFraction": 0, "lamFraction": 0}]', "d.json"), /d.json: record 0 has capacityFraction = "x", expected a number/);
  const scores = scoresFigure({ truth: "t.h5", rmse: 413.7168, psnr: 26.74, dice: { air: 0.99, CBD: 0 }, iou: { air: 0.98, CBD: 0 }, resolution: { fscThreshold: 0.5, frequencyPerVoxel: 0.25, resolutionM: 4e-6 } })!;
  assert.equal(scores.table, [["RMSE", "413.7 1/m"], ["PSNR", "26.74 dB"], ["resolution (FSC = 0.5)", "4 um"]]);
  assert.equal(scores.classes, ["air", "CBD"]);
  assert.equal(scores.dice, [0.99, 0]);
  assert.is(scoresFigure({ truth: "t.h5" }), null);
});

test("projection picks spread over the scan", () => {
  assert.equal(spreadIndices(180, 4), [0, 45, 90, 135]);
  assert.equal(spreadIndices(3, 4), [0, 1, 2]);
});

test("the page: self-contained (every src/href a data: URI or a fragment, no URL outside d3), script-safe JSON", () => {
  const none = missing("not in this run");
  const data: ReportData = { title: "t</script><b>", runDir: "/x", notes: ["n"], projections: none, slices: none, particleSizes: none, dose: none, temperature: none, fade: none, cycles: none, scores: none };
  const fakeD3 = "/* https://d3js.org */ var d3 = {};";
  const html = reportHtml(data, fakeD3);
  for (const m of html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']*)["']/g)) assert.ok(m[1]!.startsWith("data:") || m[1]!.startsWith("#"), `external reference ${m[1]}`);
  assert.not.ok(html.replace(fakeD3, "").match(/https?:\/\//), "no URL outside the inlined d3");
  // The title's "</script>" neither ends the data script nor becomes markup.
  assert.ok(html.includes("t&lt;/script&gt;&lt;b&gt;"));
  assert.is(html.split("</script>").length - 1, 3);
  // No "<" at all inside the data script (each is \u003c), and the JSON reads back whole.
  const json = /<script id="report-data" type="application\/json">([^<]*)<\/script>/.exec(html)![1]!;
  assert.is((JSON.parse(json) as ReportData).title, "t</script><b>");
  assert.is(scriptSafe("a</script>b<!--c"), "a<\\/script>b<\\!--c");
  for (const key of ["projections", "slices", "particleSizes", "dose", "temperature", "fade", "cycles", "scores"]) {
    assert.ok(html.includes(`id="fig-${key}" data-figure="${key}" data-status="missing"`), key);
  }
  assert.is((html.match(/not in this run/g) ?? []).length >= 8, true);
});

test.run();
