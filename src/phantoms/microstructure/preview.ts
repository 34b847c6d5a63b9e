/**
 * PNG previews of a labelled microstructure: three orthogonal central slices in label
 * colours, optionally with particle (instance) boundaries drawn darker. Returns PNG bytes
 * (8-bit RGB, fast-png); writing them to disk is the caller's business.
 *
 * Slices (mid index = floor(n / 2)):
 * - "xy" at z = mid: width nx, height ny;
 * - "xz" at y = mid: width nx, height nz;
 * - "yz" at x = mid: width ny, height nz.
 * In every image the first axis runs left to right and the second bottom to top (image row 0
 * is the largest index), so z (through-plane) points up in the two cross-sections.
 *
 * Palette: class (label) v gets LABEL_PALETTE[v mod 10]: the eight colours of Okabe & Ito,
 * "Color Universal Design (CUD): how to make figures and presentations that are friendly to
 * colorblind people" (2008; https://jfly.uni-koeln.de/color/, formerly jfly.iam.u-tokyo.ac.jp/color/), which stay distinct under the
 * common colour-vision deficiencies, then white and mid grey. Label 0 (usually the pore /
 * electrolyte) is black. An instance-boundary pixel (a particle voxel with a 4-neighbour in the
 * slice of another instance id) is drawn at BOUNDARY_SHADE of its class colour.
 */
import { encode } from "fast-png";
import { checkGrid, voxelCount } from "../../core/grid.js";
import type { Microstructure } from "./types.js";

export type Rgb = readonly [number, number, number];

/** The fixed label palette (index = label mod 10). */
export const LABEL_PALETTE: readonly Rgb[] = [
  [0, 0, 0], // black
  [230, 159, 0], // orange
  [86, 180, 233], // sky blue
  [0, 158, 115], // bluish green
  [240, 228, 66], // yellow
  [0, 114, 178], // blue
  [213, 94, 0], // vermillion
  [204, 121, 167], // reddish purple
  [255, 255, 255], // white
  [153, 153, 153], // grey
];

/** Boundary pixels are drawn at this fraction of the class colour. */
export const BOUNDARY_SHADE = 0.55;

export function paletteColour(label: number, palette: readonly Rgb[] = LABEL_PALETTE): Rgb {
  if (palette.length === 0) throw new RangeError("palette is empty");
  return palette[label % palette.length]!;
}

export interface LegendEntry {
  readonly label: number;
  readonly name: string;
  readonly rgb: Rgb;
  /** "#rrggbb". */
  readonly hex: string;
}

export function legend(classNames: readonly string[], palette: readonly Rgb[] = LABEL_PALETTE): LegendEntry[] {
  return classNames.map((name, label) => {
    const rgb = paletteColour(label, palette);
    return { label, name, rgb, hex: "#" + rgb.map((c) => c.toString(16).padStart(2, "0")).join("") };
  });
}

export interface LabelsImageOptions {
  /** Instance id per pixel (same layout); boundaries between ids (id != 0) drawn darker. */
  readonly instances?: Uint32Array;
  /** Integer upscaling (nearest neighbour), default 1. */
  readonly scale?: number;
}

/**
 * RGB pixels (row-major, row 0 = top, 3 bytes a pixel) of a 2-D label image of w x h pixels.
 */
export function labelsRgb(
  labels2d: Uint8Array, w: number, h: number, palette: readonly Rgb[] = LABEL_PALETTE, options: LabelsImageOptions = {},
): Uint8Array {
  if (!(Number.isInteger(w) && w >= 1 && Number.isInteger(h) && h >= 1)) throw new RangeError(`image size must be positive integers, got ${w} x ${h}`);
  if (labels2d.length !== w * h) throw new RangeError(`label image has ${labels2d.length} pixels, ${w} x ${h} needs ${w * h}`);
  const inst = options.instances;
  if (inst && inst.length !== w * h) throw new RangeError(`instance image has ${inst.length} pixels, ${w} x ${h} needs ${w * h}`);
  const s = options.scale ?? 1;
  if (!(Number.isInteger(s) && s >= 1)) throw new RangeError(`scale must be a positive integer, got ${s}`);
  // Colour tables: normal and boundary shade, per label value.
  const lut = new Uint8Array(256 * 3), dark = new Uint8Array(256 * 3);
  for (let v = 0; v < 256; v++) {
    const c = paletteColour(v, palette);
    for (let ch = 0; ch < 3; ch++) {
      lut[3 * v + ch] = c[ch]!;
      dark[3 * v + ch] = Math.round(c[ch]! * BOUNDARY_SHADE);
    }
  }
  const W = w * s;
  const out = new Uint8Array(W * h * s * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = x + w * y;
      let table = lut;
      if (inst) {
        const id = inst[p]!;
        if (id !== 0 && (
          (x > 0 && inst[p - 1] !== id) || (x < w - 1 && inst[p + 1] !== id)
          || (y > 0 && inst[p - w] !== id) || (y < h - 1 && inst[p + w] !== id))) table = dark;
      }
      const o = 3 * labels2d[p]!;
      const r = table[o]!, gr = table[o + 1]!, b = table[o + 2]!;
      for (let dy = 0; dy < s; dy++) {
        let q = 3 * (x * s + W * (y * s + dy));
        for (let dx = 0; dx < s; dx++, q += 3) { out[q] = r; out[q + 1] = gr; out[q + 2] = b; }
      }
    }
  }
  return out;
}

/** 8-bit RGB PNG bytes of a 2-D label image (row-major, row 0 = top). */
export function labelsPng(
  labels2d: Uint8Array, w: number, h: number, palette: readonly Rgb[] = LABEL_PALETTE, options: LabelsImageOptions = {},
): Uint8Array {
  const s = options.scale ?? 1;
  return encode({ width: w * s, height: h * s, data: labelsRgb(labels2d, w, h, palette, options), depth: 8, channels: 3 });
}

export type SliceName = "xy" | "xz" | "yz";

export interface Slice2d {
  readonly name: SliceName;
  /** Index of the slice along its normal axis. */
  readonly index: number;
  readonly width: number;
  readonly height: number;
  /** Labels, row-major, row 0 = top (largest index of the vertical axis). */
  readonly labels: Uint8Array;
  readonly instances: Uint32Array;
}

/** The three central slices of a microstructure as 2-D label and instance images. */
export function centralSlices(ms: Microstructure): Slice2d[] {
  const { grid } = ms;
  checkGrid(grid);
  const n = voxelCount(grid);
  if (ms.labels.length !== n || ms.instances.length !== n) throw new RangeError(`labels / instances do not match the ${grid.nx}x${grid.ny}x${grid.nz} grid`);
  const { nx, ny, nz } = grid;
  const nxy = nx * ny;
  const mx = Math.floor(nx / 2), my = Math.floor(ny / 2), mz = Math.floor(nz / 2);
  // (width, height, voxel index of pixel (a, b) with b counted from the bottom)
  const specs: [SliceName, number, number, number, (a: number, b: number) => number][] = [
    ["xy", mz, nx, ny, (a, b) => a + nx * b + nxy * mz],
    ["xz", my, nx, nz, (a, b) => a + nx * my + nxy * b],
    ["yz", mx, ny, nz, (a, b) => mx + nx * a + nxy * b],
  ];
  return specs.map(([name, index, width, height, at]) => {
    const labels = new Uint8Array(width * height);
    const instances = new Uint32Array(width * height);
    for (let row = 0; row < height; row++) {
      const b = height - 1 - row;
      for (let a = 0; a < width; a++) {
        const g = at(a, b);
        labels[a + width * row] = ms.labels[g]!;
        instances[a + width * row] = ms.instances[g]!;
      }
    }
    return { name, index, width, height, labels, instances };
  });
}

export interface PreviewOptions {
  /** Draw instance boundaries darker (default true). */
  readonly boundaries?: boolean;
  readonly palette?: readonly Rgb[];
  /** Integer upscaling of every image (default 1). */
  readonly scale?: number;
}

export interface PreviewImage {
  readonly name: SliceName;
  readonly index: number;
  /** PNG size in pixels (slice size times scale). */
  readonly width: number;
  readonly height: number;
  readonly png: Uint8Array;
}

export interface Preview {
  readonly images: PreviewImage[];
  readonly legend: LegendEntry[];
}

/** PNG previews of the three central slices, with the legend of the palette used. */
export function microstructurePreview(ms: Microstructure, options: PreviewOptions = {}): Preview {
  const palette = options.palette ?? LABEL_PALETTE;
  const scale = options.scale ?? 1;
  const images = centralSlices(ms).map((s) => ({
    name: s.name,
    index: s.index,
    width: s.width * scale,
    height: s.height * scale,
    png: labelsPng(s.labels, s.width, s.height, palette, {
      scale, ...(options.boundaries ?? true ? { instances: s.instances } : {}),
    }),
  }));
  return { images, legend: legend(ms.classNames, palette) };
}
