import { decode } from "fast-png";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { VolumeGrid } from "../../../src/core/grid.js";
import {
  BOUNDARY_SHADE, LABEL_PALETTE, centralSlices, labelsPng, legend, microstructurePreview, type Rgb,
} from "../../../src/phantoms/microstructure/preview.js";
import type { Microstructure } from "../../../src/phantoms/microstructure/types.js";

const at = (g: VolumeGrid, i: number, j: number, k: number): number => i + g.nx * (j + g.ny * k);

function pixel(png: Uint8Array, x: number, y: number): number[] {
  const img = decode(png);
  const o = img.channels * (x + img.width * y);
  return [img.data[o]!, img.data[o + 1]!, img.data[o + 2]!];
}
const shade = (c: Rgb): number[] => c.map((v) => Math.round(v * BOUNDARY_SHADE));

/** 9 x 7 x 5: label = 1 where i < 3, 2 where j >= 5, 3 where k === 4 (top layer), else 0; instances 1 / 2 split at i = 6. */
function fixture(): Microstructure {
  const g: VolumeGrid = { nx: 9, ny: 7, nz: 5, voxelSizeM: 1e-6 };
  const n = g.nx * g.ny * g.nz;
  const labels = new Uint8Array(n), instances = new Uint32Array(n);
  for (let k = 0; k < g.nz; k++) for (let j = 0; j < g.ny; j++) for (let i = 0; i < g.nx; i++) {
    const v = at(g, i, j, k);
    labels[v] = k === 4 ? 3 : j >= 5 ? 2 : i < 3 ? 1 : 0;
    if (labels[v] === 0 && k < 4) instances[v] = i < 6 ? 1 : 2;
  }
  return {
    grid: g, classNames: ["electrolyte", "NMC", "CBD", "separator"], labels, instances,
    localGrains: new Uint8Array(n), grainOffsets: new Uint32Array(3), particles: [],
  };
}

test("previews decode as 8-bit RGB of the slice sizes, colours match the palette, z points up", () => {
  const ms = fixture();
  const p = microstructurePreview(ms, { boundaries: false });
  assert.equal(p.images.map((im) => [im.name, im.index, im.width, im.height]), [["xy", 2, 9, 7], ["xz", 3, 9, 5], ["yz", 4, 7, 5]]);
  for (const im of p.images) {
    const d = decode(im.png);
    assert.equal([d.width, d.height, d.channels, d.depth], [im.width, im.height, 3, 8]);
  }
  const [xy, xz, yz] = p.images as [typeof p.images[0], typeof p.images[0], typeof p.images[0]];
  // xy at z = 2: voxel (i, j) at pixel (i, ny - 1 - j).
  assert.equal(pixel(xy.png, 0, 6), [...LABEL_PALETTE[1]!], "i = 0, j = 0: NMC");
  assert.equal(pixel(xy.png, 5, 6), [...LABEL_PALETTE[0]!], "i = 5, j = 0: electrolyte");
  assert.equal(pixel(xy.png, 5, 0), [...LABEL_PALETTE[2]!], "i = 5, j = 6: CBD");
  // xz at y = 3: the top layer (k = 4) is the top image row.
  assert.equal(pixel(xz.png, 4, 0), [...LABEL_PALETTE[3]!], "k = 4 at the top");
  assert.equal(pixel(xz.png, 4, 4), [...LABEL_PALETTE[0]!], "k = 0 at the bottom");
  // yz at x = 4: width is y.
  assert.equal(pixel(yz.png, 6, 2), [...LABEL_PALETTE[2]!], "j = 6, k = 2: CBD");
  assert.equal(pixel(yz.png, 0, 2), [...LABEL_PALETTE[0]!], "j = 0, k = 2");
  assert.equal(p.legend.map((e) => [e.label, e.name, e.hex]), [
    [0, "electrolyte", "#000000"], [1, "NMC", "#e69f00"], [2, "CBD", "#56b4e9"], [3, "separator", "#009e73"],
  ]);
});

test("instance boundaries are drawn at the darker shade; interiors keep the class colour", () => {
  const ms = fixture();
  // Give the electrolyte region a visible colour so its shade differs from black.
  const palette: Rgb[] = [[200, 100, 50], ...LABEL_PALETTE.slice(1)];
  const p = microstructurePreview(ms, { palette });
  const xy = p.images[0]!;
  // Row y = 6 - j; the instance split is between i = 5 (id 1) and i = 6 (id 2), for j < 5.
  assert.equal(pixel(xy.png, 5, 4), shade(palette[0]!), "id 1 next to id 2");
  assert.equal(pixel(xy.png, 6, 4), shade(palette[0]!), "id 2 next to id 1");
  assert.equal(pixel(xy.png, 4, 4), [...palette[0]!], "interior of id 1 (i = 4, j = 2)");
  assert.equal(pixel(xy.png, 3, 4), shade(palette[0]!), "id 1 next to no instance (i = 2, NMC)");
  assert.equal(pixel(xy.png, 4, 2), shade(palette[0]!), "id 1 next to no instance (j = 5, CBD)");
  assert.equal(pixel(xy.png, 1, 4), [...palette[1]!], "NMC has no instance: never a boundary");
  assert.equal(p.legend[0]!.hex, "#c86432");
});

test("labelsPng: arbitrary palette, row 0 at the top, integer scale, palette wraps", () => {
  const pal: Rgb[] = [[1, 2, 3], [250, 0, 0], [0, 250, 0]];
  const png = labelsPng(new Uint8Array([0, 1, 2, 3]), 2, 2, pal, { scale: 3 });
  const d = decode(png);
  assert.equal([d.width, d.height, d.channels, d.depth], [6, 6, 3, 8]);
  assert.equal(pixel(png, 0, 0), [1, 2, 3]);
  assert.equal(pixel(png, 5, 2), [250, 0, 0]);
  assert.equal(pixel(png, 2, 5), [0, 250, 0]);
  assert.equal(pixel(png, 5, 5), [1, 2, 3], "label 3 wraps to palette[0]");
  assert.throws(() => labelsPng(new Uint8Array(3), 2, 2), RangeError);
  assert.equal(legend(["a", "b", "c", "d"], pal).map((e) => e.hex), ["#010203", "#fa0000", "#00fa00", "#010203"]);
});

test("centralSlices reads the right voxels", () => {
  const ms = fixture();
  const [xy, xz, yz] = centralSlices(ms) as [ReturnType<typeof centralSlices>[0], ReturnType<typeof centralSlices>[0], ReturnType<typeof centralSlices>[0]];
  const g = ms.grid;
  for (let j = 0; j < g.ny; j++) for (let i = 0; i < g.nx; i++) assert.is(xy.labels[i + g.nx * (g.ny - 1 - j)], ms.labels[at(g, i, j, 2)]);
  for (let k = 0; k < g.nz; k++) for (let i = 0; i < g.nx; i++) assert.is(xz.instances[i + g.nx * (g.nz - 1 - k)], ms.instances[at(g, i, 3, k)]);
  for (let k = 0; k < g.nz; k++) for (let j = 0; j < g.ny; j++) assert.is(yz.labels[j + g.ny * (g.nz - 1 - k)], ms.labels[at(g, 4, j, k)]);
});

test.run();
