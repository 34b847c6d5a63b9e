import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRandom } from "../../src/core/random.js";
import { cocoAnnotationsFor, cocoDocument, type CocoImage, type CocoInfo } from "../../src/datasets/coco.js";
import { instanceRegions } from "../../src/datasets/instances.js";
import { decodeRle, encodeRle, rleArea, type CocoRle } from "../../src/datasets/rle.js";
import { viaExport, viaPolygonRegion, type ViaImage } from "../../src/datasets/via.js";

// ---------------------------------------------------------------------------------------
// RLE

test("RLE of a hand-computed 3x4 mask: column-major runs, zeros first", () => {
  // rows (y) top to bottom, columns (x) left to right:
  //   0 1 1 0
  //   1 1 0 0
  //   0 0 0 1
  // Columns read top-down: 010 | 110 | 100 | 001 -> runs 0:1 1:1 0:1 1:2 0:1 1:1 0:4 1:1.
  const mask = Uint8Array.from([0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 1]);
  const rle = encodeRle(mask, 4, 3);
  assert.equal(rle.size, [3, 4]);
  assert.equal(rle.counts, [1, 1, 1, 2, 1, 1, 4, 1]);
  assert.equal(Array.from(decodeRle(rle)), Array.from(mask));
  assert.is(rleArea(rle), 5);
});

test("RLE of a mask whose first pixel is inside starts with a zero-length run; non-zero values count as inside", () => {
  // 2 rows x 3 columns: 7 0 0 / 7 0 255 -> column-major 1 1 0 0 0 1.
  const rle = encodeRle(Uint8Array.from([7, 0, 0, 7, 0, 255]), 3, 2);
  assert.equal(rle.counts, [0, 2, 3, 1]);
  assert.equal(Array.from(decodeRle(rle)), [1, 0, 0, 1, 0, 1]);
});

test("RLE of empty and full masks", () => {
  const empty = encodeRle(new Uint8Array(35), 7, 5);
  assert.equal(empty, { size: [5, 7], counts: [35] });
  assert.is(rleArea(empty), 0);
  assert.equal(Array.from(decodeRle(empty)), new Array(35).fill(0));
  const full = encodeRle(new Uint8Array(35).fill(1), 7, 5);
  assert.equal(full, { size: [5, 7], counts: [0, 35] });
  assert.is(rleArea(full), 35);
  assert.equal(Array.from(decodeRle(full)), new Array(35).fill(1));
});

test("RLE round trip on random masks of several shapes and densities; area = pixel count", () => {
  const random = createRandom(20261127);
  for (const [w, h] of [[1, 1], [1, 9], [9, 1], [13, 7], [64, 48]] as const) {
    for (const density of [0.05, 0.5, 0.95]) {
      const mask = new Uint8Array(w * h);
      let count = 0;
      for (let p = 0; p < mask.length; p++) if (random.next() < density) { mask[p] = 1; count++; }
      const rle = encodeRle(mask, w, h);
      assert.equal(Array.from(decodeRle(rle)), Array.from(mask), `${w}x${h} at ${density}`);
      assert.is(rleArea(rle), count);
      // Canonical: only the first run may be empty.
      for (let i = 1; i < rle.counts.length; i++) assert.ok(rle.counts[i]! > 0, `run ${i} of ${w}x${h} is empty`);
    }
  }
});

test("RLE rejects bad sizes and counts with RangeError", () => {
  assert.throws(() => encodeRle(new Uint8Array(11), 4, 3), /mask has 11 pixels, expected width \* height = 4 \* 3 = 12/);
  assert.throws(() => encodeRle(new Uint8Array(0), 0, 3), /width must be a positive integer, got 0/);
  assert.throws(() => decodeRle({ size: [3, 4], counts: [5, 6] }), /sum to 11, expected height \* width = 12/);
  assert.throws(() => decodeRle({ size: [3, 4], counts: [5, -1, 8] }), /counts\[1\] must be a non-negative integer, got -1/);
  assert.throws(() => rleArea({ size: [3, 2.5] as [number, number], counts: [7.5] }), RangeError);
});

// ---------------------------------------------------------------------------------------
// instanceRegions

/** Sets labels[x + width * y] = id for pixels with (x-cx)^2 + (y-cy)^2 <= r^2 inside the image. */
function disk(labels: { [p: number]: number }, width: number, height: number, cx: number, cy: number, r: number, id: number): void {
  for (let y = Math.max(0, cy - r); y <= Math.min(height - 1, cy + r); y++) {
    for (let x = Math.max(0, cx - r); x <= Math.min(width - 1, cx + r); x++) {
      if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) labels[x + width * y] = id;
    }
  }
}

function rect(labels: { [p: number]: number }, width: number, x0: number, y0: number, x1: number, y1: number, id: number): void {
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) labels[x + width * y] = id;
}

function maskOf(labels: ArrayLike<number>, id: number): Uint8Array {
  const m = new Uint8Array(labels.length);
  for (let p = 0; p < labels.length; p++) m[p] = labels[p] === id ? 1 : 0;
  return m;
}

test("instanceRegions: disks, a touching pair and a border disk have their exact areas and bboxes", () => {
  const W = 40;
  const H = 30;
  const labels = new Uint16Array(W * H);
  // Gauss circle numbers: lattice points with x^2 + y^2 <= r^2 are 29 (r 3), 49 (r 4), 81 (r 5).
  disk(labels, W, H, 10, 10, 4, 3);
  disk(labels, W, H, 30, 20, 5, 60000);
  // Left half of a radius-3 disk centred on column 0: 29 minus the 11 points with x < 0
  // (x = -1: |y| <= 2, 5; x = -2: |y| <= 2, 5; x = -3: y = 0, 1) = 18.
  disk(labels, W, H, 0, 24, 3, 1);
  // Touching pair sharing the edge between columns 24 and 25.
  rect(labels, W, 20, 2, 24, 6, 7);
  rect(labels, W, 25, 2, 27, 9, 8);
  // A corner pixel.
  labels[W * H - 1] = 2;
  const regions = instanceRegions(labels, W, H);
  assert.equal(regions.map((r) => r.id), [1, 2, 3, 7, 8, 60000]);
  const byId = new Map(regions.map((r) => [r.id, r]));
  const expected: [number, number, [number, number, number, number]][] = [
    [1, 18, [0, 21, 4, 7]],
    [2, 1, [39, 29, 1, 1]],
    [3, 49, [6, 6, 9, 9]],
    [7, 25, [20, 2, 5, 5]],
    [8, 24, [25, 2, 3, 8]],
    [60000, 81, [25, 15, 11, 11]],
  ];
  for (const [id, area, bbox] of expected) {
    const r = byId.get(id)!;
    assert.is(r.area, area, `area of ${id}`);
    assert.equal(r.bbox, bbox, `bbox of ${id}`);
    assert.is(rleArea(r.rle), area);
    assert.equal(r.rle.size, [H, W]);
    assert.equal(Array.from(decodeRle(r.rle)), Array.from(maskOf(labels, id)), `mask of ${id}`);
  }
});

test("instanceRegions: the bbox-walked RLE equals the whole-image encoding on random label images", () => {
  const random = createRandom(7);
  for (const [w, h] of [[17, 11], [64, 64], [5, 40]] as const) {
    const labels = new Int32Array(w * h);
    for (let k = 0; k < 25; k++) {
      const id = 1 + Math.floor(random.next() * 200000);
      disk(labels, w, h, Math.floor(random.next() * w), Math.floor(random.next() * h), Math.floor(random.next() * 6), id);
    }
    // A full-width band, then a full-height stripe across it: the stripe's box has no gap
    // between columns, so its 1-run carries on from one column into the next.
    rect(labels, w, 0, h - 2, w - 1, h - 1, 300002);
    rect(labels, w, 2, 0, 3, h - 1, 300001);
    const regions = instanceRegions(labels, w, h);
    const ids = [...new Set(Array.from(labels))].filter((v) => v > 0).sort((a, b) => a - b);
    assert.equal(regions.map((r) => r.id), ids);
    let total = 0;
    for (const r of regions) {
      assert.equal(r.rle, encodeRle(maskOf(labels, r.id), w, h), `RLE of ${r.id} in ${w}x${h}`);
      total += r.area;
    }
    assert.is(total, labels.reduce((n, v) => n + (v > 0 ? 1 : 0), 0), "areas add up to the labelled pixels");
  }
});

test("instanceRegions: minArea drops small instances; empty image gives none; bad labels throw", () => {
  const labels = new Uint32Array(10 * 10);
  rect(labels, 10, 0, 0, 2, 2, 5); // 9 px
  rect(labels, 10, 5, 5, 6, 5, 9); // 2 px
  assert.equal(instanceRegions(labels, 10, 10, { minArea: 3 }).map((r) => r.id), [5]);
  assert.equal(instanceRegions(labels, 10, 10, { minArea: 2 }).map((r) => r.id), [5, 9]);
  assert.equal(instanceRegions(new Uint16Array(12), 4, 3), []);
  assert.throws(() => instanceRegions(Int32Array.from([0, 3, -1, 0]), 2, 2), /labels\[2\] \(x 0, y 1\) must be a non-negative integer, got -1/);
  assert.throws(() => instanceRegions([0, 1.5, 0, 0], 2, 2), /got 1.5/);
  assert.throws(() => instanceRegions(new Uint16Array(12), 4, 4), /labels has 12 pixels/);
  assert.throws(() => instanceRegions(new Uint16Array(12), 4, 3, { minArea: -1 }), /minArea must be a finite number >= 0, got -1/);
});

// ---------------------------------------------------------------------------------------
// Cross-checks in Python

const PYTHON = "/usr/bin/python3";
const hasNumpy = existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import numpy"]).status === 0;
const hasPycocotools = hasNumpy && spawnSync(PYTHON, ["-c", "import pycocotools.mask"]).status === 0;

function randomLabels(seed: number, w: number, h: number): Uint16Array {
  const random = createRandom(seed);
  const labels = new Uint16Array(w * h);
  for (let k = 1; k <= 12; k++) disk(labels, w, h, Math.floor(random.next() * w), Math.floor(random.next() * h), 1 + Math.floor(random.next() * 7), k);
  return labels;
}

/** Runs a Python script on a JSON of {width, height, labels, rles} and returns its stdout JSON. */
function runPython(script: string, payload: unknown): unknown {
  const dir = mkdtempSync(join(tmpdir(), "xtwin-rle-"));
  const path = join(dir, "rles.json");
  writeFileSync(path, JSON.stringify(payload));
  const r = spawnSync(PYTHON, ["-c", script, path], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test("numpy reading counts as a Fortran-order run sequence gets labels == id back", () => {
  if (!hasNumpy) {
    console.log("  notice: /usr/bin/python3 with numpy not found; skipping the numpy RLE cross-check");
    return;
  }
  const w = 37;
  const h = 23;
  const labels = randomLabels(11, w, h);
  const regions = instanceRegions(labels, w, h);
  const script = `
import sys, json, numpy as np
d = json.load(open(sys.argv[1]))
lab = np.array(d["labels"]).reshape(d["height"], d["width"])
bad = []
for r in d["rles"]:
    c = r["rle"]["counts"]
    flat = np.repeat(np.arange(len(c)) % 2, c).astype(np.uint8)
    m = flat.reshape(r["rle"]["size"], order="F")
    if not np.array_equal(m, (lab == r["id"]).astype(np.uint8)): bad.append(r["id"])
print(json.dumps({"bad": bad, "n": len(d["rles"])}))
`;
  const out = runPython(script, { width: w, height: h, labels: Array.from(labels), rles: regions.map((r) => ({ id: r.id, rle: r.rle })) }) as { bad: number[]; n: number };
  assert.is(out.n, regions.length);
  assert.equal(out.bad, []);
});

test("pycocotools decodes the RLE to labels == id (skipped without pycocotools)", () => {
  if (!hasPycocotools) return;
  const w = 41;
  const h = 29;
  const labels = randomLabels(12, w, h);
  const regions = instanceRegions(labels, w, h);
  const script = `
import sys, json, numpy as np
from pycocotools import mask as mu
d = json.load(open(sys.argv[1]))
lab = np.array(d["labels"]).reshape(d["height"], d["width"])
bad = []
for r in d["rles"]:
    rle = mu.frPyObjects(r["rle"], r["rle"]["size"][0], r["rle"]["size"][1])
    m = mu.decode(rle)
    if not np.array_equal(m, (lab == r["id"]).astype(np.uint8)) or int(mu.area(rle)) != r["area"]: bad.append(r["id"])
print(json.dumps({"bad": bad}))
`;
  const out = runPython(script, { width: w, height: h, labels: Array.from(labels), rles: regions.map((r) => ({ id: r.id, rle: r.rle, area: r.area })) }) as { bad: number[] };
  assert.equal(out.bad, []);
});

// ---------------------------------------------------------------------------------------
// COCO documents

const INFO: CocoInfo = { year: 2026, version: "1", description: "test", contributor: "xtwin", url: "", date_created: "2026-11-27T00:00:00Z" };

function twoImageParts() {
  const labels = new Uint16Array(6 * 4);
  rect(labels, 6, 0, 0, 1, 1, 4);
  rect(labels, 6, 3, 1, 5, 3, 9);
  const regions = instanceRegions(labels, 6, 4);
  const images: CocoImage[] = [
    { id: 1, file_name: "a.png", width: 6, height: 4, license: 1 },
    { id: 2, file_name: "b.png", width: 6, height: 4, slice: 17 },
  ];
  const annotations = [...cocoAnnotationsFor(1, 1, regions, 1), ...cocoAnnotationsFor(2, 3, regions.slice(1), 1)];
  return { info: INFO, licenses: [{ id: 1, name: "CC-BY-4.0", url: "https://creativecommons.org/licenses/by/4.0/" }], images, annotations, categories: [{ id: 1, name: "particle", supercategory: "NMC" }] };
}

test("cocoAnnotationsFor numbers annotations from the given id and carries area, bbox and RLE", () => {
  const doc = cocoDocument(twoImageParts());
  assert.equal(doc.annotations.map((a) => [a.id, a.image_id, a.category_id, a.area, a.bbox, a.iscrowd]), [
    [1, 1, 1, 4, [0, 0, 2, 2], 0],
    [2, 1, 1, 9, [3, 1, 3, 3], 0],
    [3, 2, 1, 9, [3, 1, 3, 3], 0],
  ]);
  assert.equal(doc.annotations[0]!.segmentation, { size: [4, 6], counts: [0, 2, 2, 2, 18] } satisfies CocoRle);
  assert.is(doc.images[1]!["slice"], 17);
  // JSON round trip keeps the document.
  assert.equal(JSON.parse(JSON.stringify(doc)), doc);
});

test("cocoDocument rejects duplicate ids, dangling references and mismatched masks", () => {
  const bad = (edit: (p: ReturnType<typeof twoImageParts>) => void, message: RegExp) => {
    const parts = twoImageParts();
    edit(parts);
    assert.throws(() => cocoDocument(parts), (e: unknown) => e instanceof RangeError && message.test(e.message));
  };
  bad((p) => { p.images[1]!.id = 1; }, /images\[1\]\.id 1 is used twice/);
  bad((p) => { p.annotations[2]!.id = 2; }, /annotations\[2\]\.id 2 is used twice/);
  bad((p) => { p.annotations[0]!.image_id = 5; }, /annotations\[0\]\.image_id 5 is not an image id/);
  bad((p) => { p.annotations[0]!.category_id = 2; }, /category_id 2 is not a category id/);
  bad((p) => { p.annotations[0]!.id = 0; }, /annotations\[0\]\.id must be a positive integer, got 0/);
  bad((p) => { p.categories.push({ id: 1, name: "binder", supercategory: "" }); }, /categories\[1\]\.id 1 is used twice/);
  bad((p) => { p.categories.push({ id: 2, name: "particle", supercategory: "" }); }, /name "particle" is used twice/);
  bad((p) => { p.images[1]!.file_name = "a.png"; }, /file_name "a.png" is used twice/);
  bad((p) => { p.images[0]!.license = 3; }, /images\[0\]\.license 3 is not a license id/);
  bad((p) => { p.images[1]!.width = 7; }, /segmentation\.size \[4, 6\] is not image 2's \[height, width\] \[4, 7\]/);
  bad((p) => { p.annotations[1]!.bbox = [3, 1, 4, 3]; }, /annotations\[1\]\.bbox must be/);
  bad((p) => { p.annotations[1]!.segmentation = { size: [4, 6], counts: [3] }; }, /counts sum to 3/);
});

// ---------------------------------------------------------------------------------------
// VIA export

test("viaExport keys images by filename + size in the given order, with polygon regions", () => {
  const square = viaPolygonRegion({ x: [-0.5, 1.5, 1.5, -0.5], y: [-0.5, -0.5, 1.5, 1.5] }, { particle: "NMC811" });
  const images: ViaImage[] = [
    { filename: "slice_0002.png", size: 20734, regions: [square], file_attributes: {} },
    { filename: "slice_0001.png", size: 913, regions: [], file_attributes: { slice: "1" } },
    { filename: "slice_0001.png", size: 914, regions: [square, square], file_attributes: {} },
  ];
  const exported = viaExport(images);
  assert.equal(Object.keys(exported), ["slice_0002.png20734", "slice_0001.png913", "slice_0001.png914"]);
  // What the Mask R-CNN balloon loader reads: list(json.load(f).values()), a['regions'], r['shape_attributes'].
  const loaded = Object.values(JSON.parse(JSON.stringify(exported))) as ViaImage[];
  assert.equal(loaded.map((a) => [a.filename, a.size, a.regions.length]), [["slice_0002.png", 20734, 1], ["slice_0001.png", 913, 0], ["slice_0001.png", 914, 2]]);
  assert.equal(loaded[0]!.regions[0], {
    shape_attributes: { name: "polygon", all_points_x: [-0.5, 1.5, 1.5, -0.5], all_points_y: [-0.5, -0.5, 1.5, 1.5] },
    region_attributes: { particle: "NMC811" },
  });
});

test("viaExport rejects duplicate keys, numeric keys and malformed polygons", () => {
  const tri = viaPolygonRegion({ x: [0, 1, 0], y: [0, 0, 1] });
  assert.throws(() => viaExport([{ filename: "a.png", size: 1, regions: [], file_attributes: {} }, { filename: "a.png", size: 1, regions: [], file_attributes: {} }]), /images\[1\]: VIA key "a.png1" \(filename \+ size\) is used twice/);
  assert.throws(() => viaExport([{ filename: "12", size: 3, regions: [], file_attributes: {} }]), /VIA key "123" is a number/);
  assert.throws(() => viaExport([{ filename: "a.png", size: -2, regions: [], file_attributes: {} }]), /size must be the file size in bytes/);
  assert.equal(Object.keys(viaExport([{ filename: "http://host/a.png", size: -1, regions: [], file_attributes: {} }])), ["http://host/a.png-1"]);
  assert.throws(() => viaExport([{ filename: "a.png", size: 1, regions: [viaPolygonRegion({ x: [0, 1], y: [0, 0] })], file_attributes: {} }]), /regions\[0\]: a polygon needs at least 3 vertices, got 2/);
  assert.throws(() => viaExport([{ filename: "a.png", size: 1, regions: [viaPolygonRegion({ x: [0, 1, 2], y: [0, 0] })], file_attributes: {} }]), /equal length, got 3 and 2/);
  assert.throws(() => viaExport([{ filename: "a.png", size: 1, regions: [tri], file_attributes: { n: 3 as unknown as string } }]), /file_attributes\.n must be a string/);
});

test.run();
