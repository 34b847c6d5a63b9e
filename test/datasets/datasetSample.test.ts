/**
 * Per-sample determinism and the rules of the drawn parameters, the split and the scenario:
 * sample k made alone is the sample k of a full run; runs with different worker counts are
 * byte-identical.
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { decode } from "fast-png";
import { readTiffStack } from "../../src/io/tiff.js";
import type { SampleRecord } from "../../src/datasets/sampleFiles.js";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { drawParameters, sampleId, splitOf } from "../../src/datasets/draw.js";
import { generateDataset } from "../../src/datasets/generate.js";
import { applyColumnGains, particleSections } from "../../src/datasets/sample.js";
import { muToUint16 } from "../../src/datasets/sampleFiles.js";
import { parseDatasetScenario, readDatasetScenario } from "../../src/datasets/scenario.js";
import { makeSample } from "../../src/datasets/worker.js";
import { datasetHeader } from "../../src/datasets/generate.js";
import { ValidationError } from "../../src/core/validation.js";
import { smallScenario, tempDir, treeHashes } from "./datasetFixture.js";
import { REPO_ROOT } from "../helpers.js";

const root = tempDir("dataset-sample");
test.after(() => rmSync(root, { recursive: true, force: true }));
const scenarioPath = smallScenario(root);

test("the default scenario validates; drawn values lie in their ranges and are the same every time", () => {
  const ds = readDatasetScenario(join(REPO_ROOT, "scenarios/training-particles-2d.yaml"));
  assert.equal(ds.scan.sample.shape, [512, 512, 48]);
  const r = ds.spec.ranges;
  const photons: number[] = [];
  let phase = 0, degraded = 0;
  for (let i = 0; i < 400; i++) {
    const p = drawParameters(ds.spec, ds.seed, i);
    assert.equal(p, drawParameters(ds.spec, ds.seed, i));
    assert.ok(p.particleSizeM >= r.particleSize[0] && p.particleSizeM <= r.particleSize[1]);
    assert.ok(p.energyKeV >= r.energy[0] && p.energyKeV <= r.energy[1]);
    assert.ok(p.photonsPerPixel >= r.photons[0] && p.photonsPerPixel <= r.photons[1] * (1 + 1e-6));
    photons.push(p.photonsPerPixel);
    if (p.distanceM > 0) phase++;
    if (p.degraded) degraded++;
    else assert.is(p.crackFraction + p.rockSaltM, 0);
  }
  // Log-uniform photons: the median is the geometric mean of the range (within sampling error).
  photons.sort((a, b) => a - b);
  const geometric = Math.sqrt(r.photons[0] * r.photons[1]);
  assert.ok(Math.abs(Math.log(photons[200]! / geometric)) < 0.25, `median ${photons[200]} vs ${geometric}`);
  assert.ok(Math.abs(phase / 400 - 0.3) < 0.08, `phase contrast in ${phase} of 400`);
  assert.ok(Math.abs(degraded / 400 - 0.4) < 0.08, `degraded ${degraded} of 400`);
  assert.is.not(drawParameters(ds.spec, ds.seed + 1, 0).phantomSeed, drawParameters(ds.spec, ds.seed, 0).phantomSeed);
});

test("split: deterministic per (seed, index), in the scenario's proportions", () => {
  const f = { train: 0.8, val: 0.1 };
  const counts = { train: 0, val: 0, test: 0 };
  for (let i = 0; i < 5000; i++) counts[splitOf(f, 7, i)]++;
  assert.ok(Math.abs(counts.train / 5000 - 0.8) < 0.02 && Math.abs(counts.val / 5000 - 0.1) < 0.015, JSON.stringify(counts));
  assert.is(splitOf(f, 7, 123), splitOf(f, 7, 123));
  assert.is(splitOf({ train: 1, val: 0 }, 7, 5), "train");
  assert.is(splitOf({ train: 0, val: 0 }, 7, 5), "test");
  assert.throws(() => splitOf(f, 7, -1), /sample index/);
});

test("sample ids are zero-padded to fit the count", () => {
  assert.is(sampleId(42, 10), "sample_000042");
  assert.is(sampleId(5, 2_000_000), "sample_0000005");
});

test("scenario problems are named with their path", () => {
  const text = readFileSync(scenarioPath, "utf8");
  const bad = text.replace("rows: 1", "rows: 4").replace(/energy:\n(\s+)- 20 keV/, "energy:\n$1- 20 kg");
  try {
    parseDatasetScenario(bad, "bad.yaml");
    assert.unreachable("should throw");
  } catch (e) {
    assert.instance(e, ValidationError);
    assert.match((e as Error).message, /detector\.rows: a 2-D sample is one detector row, got 4/);
    assert.match((e as Error).message, /dataset\.ranges\.energy/);
  }
  assert.throws(() => parseDatasetScenario(text.replace(/porosity:\n(\s+)- 0.25/, "porosity:\n$1- 0.05"), "p.yaml"), /dataset\.ranges\.porosity/);
});

test("particle sections: 4-connected pieces of one particle are separate instances; small ones dropped", () => {
  // Particle 7 in two pieces touching only at a corner, particle 9 of 2 pixels (dropped at minArea 3).
  const ids = Uint32Array.from([
    7, 7, 0, 0,
    7, 7, 0, 0,
    0, 0, 7, 9,
    0, 0, 0, 9,
  ]);
  const { instances, particleOf } = particleSections(ids, 4, 4, 1);
  assert.equal(Array.from(instances), [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 2, 3, 0, 0, 0, 3]);
  assert.equal(particleOf, [7, 7, 9]);
  const big = particleSections(ids, 4, 4, 3);
  assert.equal(Array.from(big.instances), [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
});

test("rings: per-column gains of rms r; 16-bit scaling maps back to mu within half a step", () => {
  const cols = 2000, rows = 3;
  const p = new Float32Array(cols * rows).fill(1000);
  applyColumnGains(p, cols, 0.01, "s");
  let sum = 0, sq = 0;
  for (let c = 0; c < cols; c++) {
    for (let r = 1; r < rows; r++) assert.is(p[c + r * cols], p[c], "the same gain in every projection");
    sum += p[c]! / 1000 - 1;
    sq += (p[c]! / 1000 - 1) ** 2;
  }
  const rms = Math.sqrt(sq / cols - (sum / cols) ** 2);
  assert.ok(Math.abs(rms - 0.01) < 0.001, `rms ${rms}`);
  const mu = Float32Array.of(-5000, -2000, 0, 12345.6, 30000, 40000);
  const { data, scale, clippedLow, clippedHigh } = muToUint16(mu, [-2000, 30000]);
  assert.equal([clippedLow, clippedHigh], [1, 1]);
  for (let i = 1; i < 5; i++) assert.ok(Math.abs(-2000 + scale * data[i]! - mu[i]!) <= scale / 2 + 1e-9);
});

test("sample k made alone equals sample k of full runs, which do not depend on the worker count", async () => {
  const a = join(root, "a"), b = join(root, "b"), alone = join(root, "alone");
  const ra = await generateDataset({ scenarioPath, count: 3, out: a, workers: 0 }).done;
  assert.is(ra.made, 3);
  await generateDataset({ scenarioPath, count: 3, out: b, workers: 2 }).done;
  assert.equal(treeHashes(b), treeHashes(a));
  const ds = readDatasetScenario(scenarioPath);
  const text = readFileSync(scenarioPath, "utf8");
  await makeSample({ scenarioText: text, scenarioPath, dir: alone, index: 2, id: sampleId(2, 3), scenarioSha256: datasetHeader(ds, 3).scenarioSha256 });
  const single = treeHashes(alone);
  const all = treeHashes(a);
  assert.is(Object.keys(single).length, 4);
  for (const [path, hash] of Object.entries(single)) assert.is(all[path], hash, path);
});

test("imageFormat tiff: float32 slices in 1/m, the PNG's values within half a step", async () => {
  const dir = join(root, "tiff-scenario");
  mkdirSync(dir);
  const tiffScenario = smallScenario(dir, (raw) => void (raw.dataset.imageFormat = "tiff"));
  const out = join(root, "tiff");
  await generateDataset({ scenarioPath: tiffScenario, count: 3, out, workers: 0 }).done;
  const rec = JSON.parse(readFileSync(join(out, "samples", "sample_000001.json"), "utf8")) as SampleRecord;
  assert.ok(rec.image.path.endsWith(".tif"));
  const stack = readTiffStack(join(out, ...rec.image.path.split("/")));
  assert.equal([stack.nx, stack.ny, stack.nz], [64, 64, 1]);
  const pngRec = JSON.parse(readFileSync(join(root, "a", "samples", "sample_000001.json"), "utf8")) as SampleRecord;
  const png = decode(readFileSync(join(root, "a", ...pngRec.image.path.split("/")))).data as Uint16Array;
  let worst = 0;
  for (let p = 0; p < png.length; p++) {
    const mu = stack.data[p]!;
    if (png[p] === 0 || png[p] === 65535) continue;
    worst = Math.max(worst, Math.abs(pngRec.image.muOffset + pngRec.image.muScale * png[p]! - mu));
  }
  assert.ok(worst <= pngRec.image.muScale / 2 + 1e-3 * Math.abs(pngRec.image.muOffset), `worst ${worst} 1/m, step ${pngRec.image.muScale}`);
  // The masks do not depend on the image format.
  assert.is(readFileSync(join(out, rec.masks.instances)).compare(readFileSync(join(root, "a", pngRec.masks.instances))), 0);
});

test("docs/datasets.md documents every dataset key", () => {
  const doc = readFileSync(join(REPO_ROOT, "docs/datasets.md"), "utf8");
  const ds = readDatasetScenario(join(REPO_ROOT, "scenarios/training-particles-2d.yaml"));
  const keys = [
    ...Object.keys(ds.spec).filter((k) => k !== "ranges" && k !== "phaseContrast" && k !== "degradation"),
    ...Object.keys(ds.spec.ranges).map((k) => `ranges.${k}`),
    ...Object.keys(ds.spec.phaseContrast).map((k) => `phaseContrast.${k}`),
    ...Object.keys(ds.spec.degradation).map((k) => `degradation.${k}`),
  ];
  assert.ok(keys.length >= 19, keys.join(", "));
  for (const key of keys) assert.ok(doc.includes(`| \`${key}\` |`), `docs/datasets.md has a row for \`${key}\``);
});

test.run();
