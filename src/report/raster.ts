/**
 * Pixel data of the report's figures as PNG data URIs (fast-png), so the HTML carries its
 * images inline and needs no other file: scalar planes through a colour map, label planes
 * as translucent class colours for overlays. Planes are row-major, x fastest; row 0 is the
 * top of the image unless `flipY` puts it at the bottom (so z or y points up).
 *
 * Big planes are shrunk before encoding (block means for values, the block's first pixel for
 * labels, which must not be averaged) so the report stays small: a 2048^2 projection would
 * otherwise weigh megabytes.
 */
import { encode } from "fast-png";
import { classColour, colourTable, type ColourMap, type Rgb } from "./colourMaps.js";

/** A 2-D plane of values, row-major (x fastest). */
export interface Plane<T extends ArrayLike<number> = Float32Array> {
  readonly width: number;
  readonly height: number;
  readonly data: T;
}

function checkPlane(p: Plane<ArrayLike<number>>, what: string): void {
  if (!(Number.isInteger(p.width) && p.width >= 1 && Number.isInteger(p.height) && p.height >= 1)) {
    throw new RangeError(`${what}: width and height must be positive integers, got ${p.width} x ${p.height}`);
  }
  if (p.data.length !== p.width * p.height) throw new RangeError(`${what}: holds ${p.data.length} values, ${p.width} x ${p.height} needs ${p.width * p.height}`);
}

/** The integer shrink factor that brings the longer side to at most `maxSide` pixels. */
export function shrinkFactor(width: number, height: number, maxSide: number): number {
  if (!(Number.isInteger(maxSide) && maxSide >= 1)) throw new RangeError(`maxSide must be a positive integer, got ${maxSide}`);
  return Math.max(1, Math.ceil(Math.max(width, height) / maxSide));
}

/** Mean of each f x f block (partial blocks at the edges average what they hold). */
export function shrinkMean(p: Plane<ArrayLike<number>>, f: number): Plane {
  checkPlane(p, "shrinkMean");
  if (!(Number.isInteger(f) && f >= 1)) throw new RangeError(`shrink factor must be a positive integer, got ${f}`);
  const w = Math.ceil(p.width / f);
  const h = Math.ceil(p.height / f);
  const sum = new Float64Array(w * h);
  const count = new Float64Array(w * h);
  for (let y = 0; y < p.height; y++) {
    const row = Math.floor(y / f) * w;
    for (let x = 0; x < p.width; x++) {
      const o = row + Math.floor(x / f);
      sum[o] += p.data[x + p.width * y]!;
      count[o]++;
    }
  }
  const data = new Float32Array(w * h);
  for (let i = 0; i < data.length; i++) data[i] = sum[i]! / count[i]!;
  return { width: w, height: h, data };
}

/** The first (top-left) pixel of each f x f block: labels keep their values. */
export function shrinkLabels(p: Plane<ArrayLike<number>>, f: number): Plane<Int32Array> {
  checkPlane(p, "shrinkLabels");
  if (!(Number.isInteger(f) && f >= 1)) throw new RangeError(`shrink factor must be a positive integer, got ${f}`);
  const w = Math.ceil(p.width / f);
  const h = Math.ceil(p.height / f);
  const data = new Int32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[x + w * y] = p.data[x * f + p.width * y * f]!;
  return { width: w, height: h, data };
}

/**
 * Like shrinkLabels, but a block that holds any label with `keep[label] = 1` shows the first
 * such label: thin, rare classes (a one-voxel crack or film) survive the shrinking. This
 * exaggerates them in the picture only; counts are taken at full resolution.
 */
export function shrinkLabelsKeeping(p: Plane<ArrayLike<number>>, f: number, keep: Uint8Array): Plane<Int32Array> {
  checkPlane(p, "shrinkLabelsKeeping");
  if (!(Number.isInteger(f) && f >= 1)) throw new RangeError(`shrink factor must be a positive integer, got ${f}`);
  const w = Math.ceil(p.width / f);
  const h = Math.ceil(p.height / f);
  const data = new Int32Array(w * h);
  for (let by = 0; by < h; by++) {
    for (let bx = 0; bx < w; bx++) {
      let chosen = p.data[bx * f + p.width * by * f]!;
      search: for (let y = by * f; y < Math.min(p.height, (by + 1) * f); y++) {
        for (let x = bx * f; x < Math.min(p.width, (bx + 1) * f); x++) {
          const label = p.data[x + p.width * y]!;
          if (keep[label] === 1) {
            chosen = label;
            break search;
          }
        }
      }
      data[bx + w * by] = chosen;
    }
  }
  return { width: w, height: h, data };
}

/**
 * The value range an image spans: the `low` and `high` quantiles of its finite values
 * (0 and 1: min and max), so a few noisy pixels do not wash out the contrast. With `log`,
 * only positive values count and the range is of the values themselves (not their logs).
 */
export function displayRange(values: ArrayLike<number>, options: { low?: number; high?: number; log?: boolean } = {}): { min: number; max: number } {
  const low = options.low ?? 0;
  const high = options.high ?? 1;
  if (!(low >= 0 && low < high && high <= 1)) throw new RangeError(`display quantiles must satisfy 0 <= low < high <= 1, got ${low} and ${high}`);
  let n = 0;
  const kept = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v) && (!options.log || v > 0)) kept[n++] = v;
  }
  if (n === 0) return { min: 0, max: 0 };
  const sorted = kept.subarray(0, n).sort();
  return { min: sorted[Math.round(low * (n - 1))]!, max: sorted[Math.round(high * (n - 1))]! };
}

function dataUri(png: Uint8Array): string {
  return "data:image/png;base64," + Buffer.from(png.buffer, png.byteOffset, png.byteLength).toString("base64");
}

export interface ScalarImageOptions {
  readonly min: number;
  readonly max: number;
  /** Map log10 of the values (min and max are values, > 0); values <= 0 get the lowest colour. */
  readonly log?: boolean;
  readonly map: ColourMap;
  /** Put row 0 at the bottom. */
  readonly flipY?: boolean;
}

/** A scalar plane through a colour map (values clipped to [min, max]) as an RGB PNG data URI. */
export function scalarImage(p: Plane<ArrayLike<number>>, o: ScalarImageOptions): string {
  checkPlane(p, "scalarImage");
  if (o.log && !(o.min > 0 && o.max > 0)) throw new RangeError(`scalarImage: a log scale needs min and max > 0, got ${o.min} and ${o.max}`);
  const lo = o.log ? Math.log10(o.min) : o.min;
  const hi = o.log ? Math.log10(o.max) : o.max;
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const table = colourTable(o.map);
  const { width, height } = p;
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const src = (o.flipY ? height - 1 - y : y) * width;
    for (let x = 0; x < width; x++) {
      const raw = p.data[src + x]!;
      const v = o.log ? (raw > 0 ? Math.log10(raw) : -Infinity) : raw;
      // NaN and -Infinity take the lowest colour, +Infinity the highest.
      const k = v > lo ? Math.min(255, Math.round((v - lo) * scale)) : 0;
      const d = 3 * (x + width * y);
      rgb[d] = table[3 * k]!;
      rgb[d + 1] = table[3 * k + 1]!;
      rgb[d + 2] = table[3 * k + 2]!;
    }
  }
  return dataUri(encode({ width, height, data: rgb, channels: 3, depth: 8 }));
}

/**
 * Labels as translucent class colours (`colours[label]`, else classColour) with opacity
 * `alpha` (0-1), for drawing over a greyscale slice; labels listed in `transparent` (e.g. the
 * background) stay clear.
 */
export function labelOverlayImage(p: Plane<ArrayLike<number>>, options: { alpha: number; transparent?: readonly number[]; flipY?: boolean; colours?: readonly Rgb[] }): string {
  checkPlane(p, "labelOverlayImage");
  if (!(options.alpha >= 0 && options.alpha <= 1)) throw new RangeError(`overlay alpha must be in [0, 1], got ${options.alpha}`);
  const clear = new Set(options.transparent ?? []);
  const a = Math.round(255 * options.alpha);
  const { width, height } = p;
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const src = (options.flipY ? height - 1 - y : y) * width;
    for (let x = 0; x < width; x++) {
      const label = p.data[src + x]!;
      if (clear.has(label)) continue;
      const c = options.colours?.[label] ?? classColour(label);
      const d = 4 * (x + width * y);
      rgba[d] = c[0];
      rgba[d + 1] = c[1];
      rgba[d + 2] = c[2];
      rgba[d + 3] = a;
    }
  }
  return dataUri(encode({ width, height, data: rgba, channels: 4, depth: 8 }));
}

/**
 * Labels as opaque colours, `colours[label]` (an RGB PNG data URI); a label without a colour
 * is a RangeError naming it, since it means the labels and their class list disagree.
 */
export function classImage(p: Plane<ArrayLike<number>>, colours: readonly Rgb[], options: { flipY?: boolean } = {}): string {
  checkPlane(p, "classImage");
  const { width, height } = p;
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const src = (options.flipY ? height - 1 - y : y) * width;
    for (let x = 0; x < width; x++) {
      const label = p.data[src + x]!;
      const c = colours[label];
      if (c === undefined) throw new RangeError(`classImage: label ${label} has no colour (${colours.length} classes)`);
      const d = 3 * (x + width * y);
      rgb[d] = c[0];
      rgb[d + 1] = c[1];
      rgb[d + 2] = c[2];
    }
  }
  return dataUri(encode({ width, height, data: rgb, channels: 3, depth: 8 }));
}

/** Numbers of any HDF5 array (64-bit integer datasets come back as BigInt arrays). */
export function plainNumbers(a: ArrayLike<number> | BigInt64Array | BigUint64Array): ArrayLike<number> {
  if (a instanceof BigInt64Array || a instanceof BigUint64Array) return Float64Array.from(a, (v) => Number(v));
  return a;
}
