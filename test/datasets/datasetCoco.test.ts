/**
 * A small dataset from the CLI: COCO structure, masks against annotations, VIA polygons
 * against instance masks, class masks against instances, and reconstructed attenuation
 * against the materials module.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { decode } from "fast-png";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { decodeRle } from "../../src/datasets/rle.js";
import type { SampleRecord } from "../../src/datasets/sampleFiles.js";
import { verifyManifest } from "../../src/io/manifest.js";
import { resolveMaterial } from "../../src/materials/library.js";
import { materialOptics } from "../../src/materials/optics.js";
import { smallScenario, tempDir, xtwin } from "./datasetFixture.js";

const root = tempDir("dataset-coco");
test.after(() => rmSync(root, { recursive: true, force: true }));
const out = join(root, "out");
const COUNT = 5;
const run = xtwin("dataset", smallScenario(root), "--count", String(COUNT), "--out", out, "--workers", "2");

const json = <T>(rel: string): T => JSON.parse(readFileSync(join(out, rel), "utf8")) as T;
const png = (rel: string) => decode(readFileSync(join(out, rel)));

interface Coco {
  images: { id: number; file_name: string; width: number; height: number; split: string; sample: string }[];
  annotations: { id: number; image_id: number; category_id: number; segmentation: { size: [number, number]; counts: number[] }; area: number; bbox: number[]; iscrowd: number }[];
  categories: { id: number; name: string; supercategory: string }[];
}

test("the CLI writes the dataset and reports samples per minute", () => {
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, /5 samples made in [0-9.]+ s \([0-9.]+ samples\/min\)/);
  assert.match(run.stdout, /wrote 5 samples to .*: train \d+, val \d+, test \d+/);
});

test("COCO: unique ids, every annotation's image and category exist, one image per sample with its split", async () => {
  const coco = json<Coco>("annotations.json");
  const dataset = json<{ classes: { id: number; name: string }[]; categories: { id: number; name: string }[]; split: { counts: Record<string, number> } }>("dataset.json");
  assert.is(coco.images.length, COUNT);
  assert.equal(coco.images.map((i) => i.id), [1, 2, 3, 4, 5]);
  const ids = new Set(coco.annotations.map((a) => a.id));
  assert.is(ids.size, coco.annotations.length, "annotation ids unique");
  assert.equal([...ids].sort((a, b) => a - b), coco.annotations.map((_, k) => k + 1));
  const images = new Map(coco.images.map((i) => [i.id, i]));
  // The particle class is the one category, and its id is its label in the class masks.
  assert.equal(coco.categories, [{ id: 1, name: "NMC811", supercategory: "particle" }]);
  assert.equal(dataset.classes.map((c) => c.name), ["LP30", "NMC811", "CBD", "crack", "rock-salt"]);
  for (const a of coco.annotations) {
    const im = images.get(a.image_id);
    assert.ok(im, `annotation ${a.id}: image ${a.image_id} exists`);
    assert.is(a.category_id, 1);
    assert.is(a.iscrowd, 0);
    assert.equal(a.segmentation.size, [im!.height, im!.width]);
  }
  const perSplit: Record<string, number> = { train: 0, val: 0, test: 0 };
  for (const im of coco.images) {
    perSplit[im.split]!++;
    assert.ok(im.file_name.startsWith(`${im.split}/`), `${im.file_name} in its split folder`);
    const rec = json<SampleRecord>(`samples/${im.sample}.json`);
    assert.is(rec.split, im.split);
  }
  assert.equal(perSplit, dataset.split.counts);
  const verified = await verifyManifest(out);
  assert.ok(verified.ok, JSON.stringify(verified.mismatches));
  assert.is(verified.checked, COUNT * 4 + 5, "4 files per sample, annotations, dataset and 3 VIA files");
});

test("every annotation's mask is its instance in the instance mask; every instance is annotated once", () => {
  const coco = json<Coco>("annotations.json");
  for (const im of coco.images) {
    const rec = json<SampleRecord>(`samples/${im.sample}.json`);
    const inst = png(rec.masks.instances);
    assert.is(inst.depth, 16);
    const labels = inst.data as Uint16Array;
    let max = 0;
    for (const v of labels) if (v > max) max = v;
    const anns = coco.annotations.filter((a) => a.image_id === im.id);
    assert.is(anns.length, max, `${im.sample}: instances 1..${max} each annotated`);
    anns.forEach((a, k) => {
      const id = k + 1;
      const mask = decodeRle(a.segmentation);
      let area = 0, x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
      for (let p = 0; p < labels.length; p++) {
        const inside = labels[p] === id ? 1 : 0;
        if (mask[p] !== inside) assert.unreachable(`${im.sample} instance ${id}: RLE differs from the mask at pixel ${p}`);
        if (!inside) continue;
        area++;
        const x = p % im.width, y = Math.floor(p / im.width);
        x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      }
      assert.is(a.area, area);
      assert.equal(a.bbox, [x0, y0, x1 - x0 + 1, y1 - y0 + 1]);
      assert.ok(area >= 4, "sections under minInstanceArea are no instances");
    });
  }
});

/** Even-odd point-in-polygon at pixel centres (x = column, y = row). */
function rasterise(xs: number[], ys: number[], width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let inside = false;
      for (let i = 0, j = xs.length - 1; i < xs.length; j = i++) {
        if (ys[i]! > y !== ys[j]! > y && x < ((xs[j]! - xs[i]!) * (y - ys[i]!)) / (ys[j]! - ys[i]!) + xs[i]!) inside = !inside;
      }
      out[x + width * y] = inside ? 1 : 0;
    }
  }
  return out;
}

/** The instance with its holes filled: pixels not reachable from outside the image through non-instance pixels (8-connected). */
function filled(labels: Uint16Array, id: number, width: number, height: number): Uint8Array {
  const W = width + 2, H = height + 2;
  const outside = new Uint8Array(W * H);
  const at = (i: number, j: number) => (i >= 1 && j >= 1 && i <= width && j <= height ? labels[i - 1 + width * (j - 1)] === id : false);
  const stack = [0];
  outside[0] = 1;
  while (stack.length > 0) {
    const c = stack.pop()!;
    const i = c % W, j = (c - i) / W;
    for (let dj = -1; dj <= 1; dj++) for (let di = -1; di <= 1; di++) {
      const a = i + di, b = j + dj;
      if (a < 0 || b < 0 || a >= W || b >= H || outside[a + W * b] || at(a, b)) continue;
      outside[a + W * b] = 1;
      stack.push(a + W * b);
    }
  }
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[x + width * y] = outside[x + 1 + W * (y + 1)] ? 0 : 1;
  return out;
}

test("VIA: one polygon per instance, rasterised even-odd at pixel centres = the instance with holes filled", () => {
  const coco = json<Coco>("annotations.json");
  for (const split of ["train", "val", "test"]) {
    const via = json<Record<string, { filename: string; size: number; regions: { shape_attributes: { name: string; all_points_x: number[]; all_points_y: number[] } }[] }>>(`${split}/via_export_json.json`);
    const images = coco.images.filter((i) => i.split === split);
    assert.equal(Object.values(via).map((v) => v.filename), images.map((i) => i.file_name.slice(split.length + 1)), `${split}: images of the split in index order`);
    for (const [key, v] of Object.entries(via)) {
      const bytes = readFileSync(join(out, split, v.filename));
      assert.is(v.size, bytes.byteLength);
      assert.is(key, v.filename + String(v.size));
      const im = images.find((i) => i.file_name === `${split}/${v.filename}`)!;
      const labels = png(json<SampleRecord>(`samples/${im.sample}.json`).masks.instances).data as Uint16Array;
      v.regions.forEach((r, k) => {
        assert.is(r.shape_attributes.name, "polygon");
        const poly = rasterise(r.shape_attributes.all_points_x, r.shape_attributes.all_points_y, im.width, im.height);
        const want = filled(labels, k + 1, im.width, im.height);
        for (let p = 0; p < poly.length; p++) if (poly[p] !== want[p]) assert.unreachable(`${v.filename} region ${k}: polygon and mask differ at pixel ${p}`);
      });
    }
  }
});

test("class masks agree with instances; the slice's NMC811 attenuation is the materials module's", () => {
  const coco = json<Coco>("annotations.json");
  const nmc = resolveMaterial("NMC811");
  let checked = 0;
  for (const im of coco.images) {
    const rec = json<SampleRecord>(`samples/${im.sample}.json`);
    const classes = png(rec.masks.classes);
    assert.is(classes.depth, 8);
    const cls = classes.data as Uint8Array;
    const inst = png(rec.masks.instances).data as Uint16Array;
    let outsideParticles = 0;
    const counts = new Array<number>(5).fill(0);
    for (let p = 0; p < cls.length; p++) {
      counts[cls[p]!]!++;
      // Instances are particle solid (NMC811, its rock-salt shell) or cracks inside it.
      if (inst[p]! > 0 && ![1, 3, 4].includes(cls[p]!)) outsideParticles++;
    }
    assert.is(outsideParticles, 0);
    assert.equal(counts, rec.classPixels);
    if (!rec.parameters.degraded) assert.is(counts[3]! + counts[4]!, 0, "no crack or rock-salt in a pristine sample");
    if (rec.parameters.distanceM > 0 || rec.parameters.degraded) continue;
    // Interior NMC811 pixels (3 x 3 all NMC811): median mu within 10% of mu(NMC811, E).
    const image = png(rec.image.path).data as Uint16Array;
    const values: number[] = [];
    const w = im.width;
    for (let y = 1; y < im.height - 1; y++) for (let x = 1; x < w - 1; x++) {
      let all = true;
      for (let dy = -1; dy <= 1 && all; dy++) for (let dx = -1; dx <= 1; dx++) if (cls[x + dx + w * (y + dy)] !== 1) all = false;
      if (all) values.push(rec.image.muOffset + rec.image.muScale * image[x + w * y]!);
    }
    values.sort((a, b) => a - b);
    const median = values[values.length >> 1]!;
    const expected = materialOptics(nmc, rec.parameters.energyKeV).mu;
    assert.ok(Math.abs(median / expected - 1) < 0.1, `${im.sample}: NMC811 ${median.toFixed(0)} 1/m reconstructed, ${expected.toFixed(0)} 1/m at ${rec.parameters.energyKeV} keV`);
    checked++;
  }
  assert.ok(checked >= 1, "at least one absorption-only pristine sample to check");
});

test.run();
