import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRandom } from "../../src/core/random.js";
import { instanceRegions } from "../../src/datasets/instances.js";
import { instanceOutline, instanceOutlines, polygonArea, type Polygon } from "../../src/datasets/outline.js";
import { viaExport, viaPolygonRegion } from "../../src/datasets/via.js";

/** A label image from rows of characters: '.' = 0, digits and letters = their label. */
function picture(rows: string[]): { labels: Uint16Array; width: number; height: number } {
  const height = rows.length;
  const width = rows[0]!.length;
  const labels = new Uint16Array(width * height);
  rows.forEach((row, y) => {
    for (let x = 0; x < width; x++) labels[x + width * y] = row[x] === "." ? 0 : parseInt(row[x]!, 36);
  });
  return { labels, width, height };
}

/** Even-odd point-in-polygon at every pixel centre (c, r), written here independently of skimage. */
function rasterise(polygon: Polygon, width: number, height: number): Uint8Array {
  const { x, y } = polygon;
  const n = x.length;
  const mask = new Uint8Array(width * height);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      let inside = false;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const yi = y[i]!;
        const yj = y[j]!;
        if (yi > r !== yj > r && c < x[j]! + ((r - yj) * (x[i]! - x[j]!)) / (yi - yj)) inside = !inside;
      }
      mask[c + width * r] = inside ? 1 : 0;
    }
  }
  return mask;
}

function maskFromRows(rows: string[]): Uint8Array {
  return Uint8Array.from(rows.join("").split(""), (ch) => (ch === "#" ? 1 : 0));
}

/** Edges are axis-aligned, vertices half-integer, no two consecutive edges collinear, orientation positive. */
function assertWellFormed(p: Polygon, label: string): void {
  const n = p.x.length;
  assert.ok(n >= 4 && n === p.y.length, `${label}: ${n} vertices`);
  for (let i = 0; i < n; i++) {
    assert.is(Math.abs(p.x[i]! % 1), 0.5, `${label}: x[${i}] = ${p.x[i]} is half-integer`);
    assert.is(Math.abs(p.y[i]! % 1), 0.5, `${label}: y[${i}] = ${p.y[i]} is half-integer`);
    const a = (i + n - 1) % n;
    const b = (i + 1) % n;
    const inX = p.y[a] === p.y[i];
    const outX = p.y[i] === p.y[b];
    assert.ok(inX !== (p.x[a] === p.x[i]), `${label}: edge into vertex ${i} is axis-aligned and not empty`);
    assert.ok(inX !== outX, `${label}: vertex ${i} is a turn, not collinear`);
  }
  assert.ok(polygonArea(p) > 0, `${label}: clockwise as displayed (positive shoelace area)`);
}

function count(mask: Uint8Array): number {
  let n = 0;
  for (let p = 0; p < mask.length; p++) n += mask[p]!;
  return n;
}

interface Case {
  name: string;
  labels: Uint16Array;
  width: number;
  height: number;
  id: number;
  expected: Uint8Array;
}

const cases: Case[] = [];

// A radius-6 and a radius-2.5 disk, one cut by the image border.
{
  const width = 20;
  const height = 16;
  const labels = new Uint16Array(width * height);
  const diskMask = (cx: number, cy: number, r2: number) => {
    const m = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r2) m[x + width * y] = 1;
    return m;
  };
  const a = diskMask(8, 8, 36);
  const b = diskMask(18, 2, 6.25);
  for (let p = 0; p < labels.length; p++) labels[p] = a[p] ? 3 : b[p] ? 5 : 0;
  cases.push({ name: "disk r 6", labels, width, height, id: 3, expected: a });
  cases.push({ name: "disk cut by the border", labels, width, height, id: 5, expected: b });
}
{
  const rows = [
    ".........",
    ".#.......",
    ".#.......",
    ".#.......",
    ".#####...",
    ".........",
  ];
  const { labels, width, height } = picture(rows.map((r) => r.replace(/#/g, "4")));
  cases.push({ name: "L shape", labels, width, height, id: 4, expected: maskFromRows(rows) });
}
{
  // A ring with a hole that holds another label and background; the hole is filled.
  const { labels, width, height } = picture([
    "........",
    ".777777.",
    ".7.2..7.",
    ".7.22.7.",
    ".7....7.",
    ".777777.",
    "........",
  ]);
  const expected = maskFromRows([
    "........",
    ".######.",
    ".######.",
    ".######.",
    ".######.",
    ".######.",
    "........",
  ]);
  cases.push({ name: "ring with a hole", labels, width, height, id: 7, expected });
}
{
  // Two components of label 9: the larger (7 px) is outlined; the 4-px one and the diagonal
  // neighbour (4-connectivity) are not.
  const { labels, width, height } = picture([
    "9......",
    ".99....",
    ".999.99",
    ".99..99",
  ]);
  const expected = maskFromRows([
    ".......",
    ".##....",
    ".###...",
    ".##....",
  ]);
  cases.push({ name: "two components", labels, width, height, id: 9, expected });
}
{
  // A C whose tips touch only at a corner: the enclosed pixel escapes diagonally (8-connected
  // background), so it is no hole and the polygon pinches at that corner.
  const { labels, width, height } = picture([
    ".....",
    ".11..",
    ".1.1.",
    ".111.",
    ".....",
  ]);
  const expected = maskFromRows([
    ".....",
    ".##..",
    ".#.#.",
    ".###.",
    ".....",
  ]);
  cases.push({ name: "diagonal pinch", labels, width, height, id: 1, expected });
}
{
  // Whole image one label.
  const labels = new Uint16Array(12).fill(2);
  cases.push({ name: "full image", labels, width: 4, height: 3, id: 2, expected: new Uint8Array(12).fill(1) });
}

test("outlines of disks, an L, a ring, two components, a pinch: even-odd fill at pixel centres gives the expected pixels", () => {
  for (const c of cases) {
    const polygon = instanceOutline(c.labels, c.width, c.height, c.id);
    assertWellFormed(polygon, c.name);
    assert.equal(Array.from(rasterise(polygon, c.width, c.height)), Array.from(c.expected), c.name);
    assert.is(polygonArea(polygon), count(c.expected), `${c.name}: shoelace area = pixel count`);
  }
});

test("outline vertices of the L and the pinch, exactly", () => {
  const l = cases.find((c) => c.name === "L shape")!;
  assert.equal(instanceOutline(l.labels, l.width, l.height, 4), {
    x: [0.5, 1.5, 1.5, 5.5, 5.5, 0.5],
    y: [0.5, 0.5, 3.5, 3.5, 4.5, 4.5],
  });
  const pinch = cases.find((c) => c.name === "diagonal pinch")!;
  const p = instanceOutline(pinch.labels, pinch.width, pinch.height, 1);
  // The corner (2.5, 1.5) between the top-right pixel and the right tip is visited twice.
  const visits = p.x.filter((x, i) => x === 2.5 && p.y[i] === 1.5).length;
  assert.is(visits, 2);
});

/** Test's own reference: largest 4-connected component of labels == id (first in raster order on ties), holes filled via 8-connected exterior. */
function referenceMask(labels: ArrayLike<number>, w: number, h: number, id: number): Uint8Array {
  const comp = new Int32Array(w * h);
  let best = 0, bestSize = 0, n = 0;
  for (let p = 0; p < w * h; p++) {
    if (labels[p] !== id || comp[p]) continue;
    n++;
    const queue = [p];
    comp[p] = n;
    for (let q = 0; q < queue.length; q++) {
      const x = queue[q]! % w, y = Math.floor(queue[q]! / w);
      for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
        const a = x + dx, b = y + dy;
        if (a < 0 || b < 0 || a >= w || b >= h || comp[a + w * b] || labels[a + w * b] !== id) continue;
        comp[a + w * b] = n;
        queue.push(a + w * b);
      }
    }
    if (queue.length > bestSize) { best = n; bestSize = queue.length; }
  }
  // Exterior: not in the component and 8-connected to outside the image.
  const outside = new Uint8Array(w * h);
  const queue: number[] = [];
  for (let p = 0; p < w * h; p++) {
    const x = p % w, y = Math.floor(p / w);
    if ((x === 0 || y === 0 || x === w - 1 || y === h - 1) && comp[p] !== best) { outside[p] = 1; queue.push(p); }
  }
  for (let q = 0; q < queue.length; q++) {
    const x = queue[q]! % w, y = Math.floor(queue[q]! / w);
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      const a = x + dx, b = y + dy;
      if (a < 0 || b < 0 || a >= w || b >= h || outside[a + w * b] || comp[a + w * b] === best) continue;
      outside[a + w * b] = 1;
      queue.push(a + w * b);
    }
  }
  return Uint8Array.from(outside, (v) => 1 - v);
}

test("random blobs: the outline fills exactly the largest 4-component with its holes, with or without the bbox hint", () => {
  const random = createRandom(314);
  const w = 24, h = 18;
  for (let trial = 0; trial < 60; trial++) {
    // Speckle of three labels at varying density: many shapes with holes, necks and pinches.
    const labels = new Uint16Array(w * h);
    const density = 0.3 + 0.5 * random.next();
    for (let p = 0; p < labels.length; p++) if (random.next() < density) labels[p] = 1 + Math.floor(random.next() * 1.4);
    const regions = instanceRegions(labels, w, h);
    const outlines = instanceOutlines(labels, w, h, regions);
    for (const [k, region] of regions.entries()) {
      const expected = referenceMask(labels, w, h, region.id);
      const polygon = instanceOutline(labels, w, h, region.id);
      assertWellFormed(polygon, `trial ${trial} label ${region.id}`);
      assert.equal(Array.from(rasterise(polygon, w, h)), Array.from(expected), `trial ${trial} label ${region.id}`);
      assert.is(polygonArea(polygon), count(expected));
      assert.equal(outlines[k], polygon, "the bbox hint (instanceOutlines) gives the same polygon");
    }
  }
});

test("instanceOutline rejects bad input with RangeError", () => {
  const labels = new Uint16Array(12);
  labels[5] = 2;
  assert.throws(() => instanceOutline(labels, 4, 3, 3), /label 3 does not occur in the 4x3 label image/);
  assert.throws(() => instanceOutline(labels, 4, 3, 0), /instance id must be a positive integer, got 0/);
  assert.throws(() => instanceOutline(labels, 5, 3, 2), /labels has 12 pixels/);
  assert.throws(() => instanceOutline(labels, 4, 3, 2, [3, 0, 2, 1]), /bbox must be integer \[x, y, w, h\] inside the 4x3 image, got \[3, 0, 2, 1\]/);
});

// ---------------------------------------------------------------------------------------
// skimage cross-check: the balloon loader's own rasterisation of a VIA export.

const PYTHON = "/usr/bin/python3";
const hasSkimage = existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import skimage.draw, numpy"]).status === 0;

test("skimage.draw.polygon(all_points_y, all_points_x) of the VIA export fills exactly the expected pixels", () => {
  if (!hasSkimage) {
    console.log("  notice: /usr/bin/python3 with skimage not found; skipping the skimage.draw.polygon cross-check");
    return;
  }
  // One VIA image per case plus random blobs, read the way matterport's balloon.py reads them.
  const random = createRandom(99);
  const all: Case[] = [...cases];
  for (let trial = 0; trial < 8; trial++) {
    const w = 30, h = 20;
    const labels = new Uint16Array(w * h);
    for (let p = 0; p < labels.length; p++) if (random.next() < 0.6) labels[p] = 1 + Math.floor(random.next() * 2);
    for (const id of [1, 2]) all.push({ name: `blob ${trial}/${id}`, labels, width: w, height: h, id, expected: referenceMask(labels, w, h, id) });
  }
  const exported = viaExport(all.map((c, k) => ({
    filename: `case_${k}.png`,
    size: 1000 + k,
    regions: [viaPolygonRegion(instanceOutline(c.labels, c.width, c.height, c.id), { name: c.name })],
    file_attributes: { width: String(c.width), height: String(c.height) },
  })));
  const dir = mkdtempSync(join(tmpdir(), "xtwin-via-"));
  const path = join(dir, "via_export_json.json");
  writeFileSync(path, JSON.stringify(exported));
  const script = `
import sys, json, numpy as np, skimage.draw
annotations = list(json.load(open(sys.argv[1])).values())
out = []
for a in annotations:
    h, w = int(a["file_attributes"]["height"]), int(a["file_attributes"]["width"])
    mask = np.zeros([h, w], dtype=np.uint8)
    for r in a["regions"]:
        p = r["shape_attributes"]
        rr, cc = skimage.draw.polygon(p["all_points_y"], p["all_points_x"])
        mask[rr, cc] = 1  # raises IndexError if skimage returned a pixel outside the image
    out.append({"filename": a["filename"], "mask": mask.ravel().tolist()})
print(json.dumps(out))
`;
  const r = spawnSync(PYTHON, ["-c", script, path], { encoding: "utf8", maxBuffer: 1 << 26 });
  assert.is(r.status, 0, r.stderr);
  const masks = JSON.parse(r.stdout) as { filename: string; mask: number[] }[];
  assert.is(masks.length, all.length);
  masks.forEach((m, k) => {
    assert.is(m.filename, `case_${k}.png`);
    assert.equal(m.mask, Array.from(all[k]!.expected), `skimage mask of ${all[k]!.name}`);
  });
});

test.run();
