/**
 * TIFF stacks of volumes, for ImageJ/Fiji and any TIFF reader (Node only).
 *
 * Writing: baseline TIFF 6.0 (Adobe, 1992), little-endian, one uncompressed strip per page,
 * one page per z slice ([z][y][x], x fastest), grey (PhotometricInterpretation 1) with
 * SampleFormat 3 (IEEE float) for float32 or 1 (unsigned) for uint8/uint16. The first
 * page's ImageDescription carries ImageJ's hyperstack header (images=, slices=, unit=,
 * spacing=), which Fiji reads as the voxel size; X/YResolution say the same in pixels per
 * centimetre for other readers. Pages are streamed to a temp file and renamed into place
 * when complete (atomicFile.ts). No npm library writes multi-page float32 TIFF (UTIF
 * encodes RGBA8 only, geotiff one image), hence this writer; reading uses the `tiff`
 * package (image-js), which also checks the writer in the tests.
 * Classic TIFF offsets are 32-bit: stacks over 4 GiB are refused (use HDF5 for those).
 */
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { decode } from "tiff";
import { createPartialFile } from "./atomicFile.js";

export type TiffSample = Float32Array | Uint16Array | Uint8Array;

export interface TiffStackOptions {
  /** Voxel edge in metres (recorded as resolution and in ImageJ's header). */
  readonly voxelSizeM?: number;
  /** Extra text appended to the ImageDescription after ImageJ's keys. */
  readonly description?: string;
}

const TYPE_SHORT = 3;
const TYPE_LONG = 4;
const TYPE_ASCII = 2;
const TYPE_RATIONAL = 5;

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** Inline value (SHORT/LONG, count 1) or bytes stored after the IFD. */
  value?: number;
  bytes?: Uint8Array;
}

function rational(x: number): Uint8Array {
  // Numerator/denominator with a denominator of 1e4 keeps 4 decimals of pixels per cm
  // within 32 bits for any realistic voxel (>= 1 nm: 1e7 /cm x 1e4 overflows; scale down then).
  let den = 10000;
  while (x * den > 0xffffffff && den > 1) den /= 10;
  const b = new Uint8Array(8);
  const v = new DataView(b.buffer);
  v.setUint32(0, Math.max(1, Math.round(x * den)), true);
  v.setUint32(4, den, true);
  return b;
}

function sampleInfo(data: TiffSample): { bits: number; format: number } {
  if (data instanceof Float32Array) return { bits: 32, format: 3 };
  if (data instanceof Uint16Array) return { bits: 16, format: 1 };
  return { bits: 8, format: 1 };
}

/**
 * Write `data` ([z][y][x], nx * ny * nz values) as an nz-page TIFF at `path`, atomically.
 */
export function writeTiffStack(path: string, data: TiffSample, nx: number, ny: number, nz: number, options: TiffStackOptions = {}): void {
  for (const [k, v] of [["nx", nx], ["ny", ny], ["nz", nz]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`TIFF stack ${k} must be a positive integer, got ${v}`);
  }
  if (data.length !== nx * ny * nz) throw new RangeError(`TIFF stack data holds ${data.length} values, ${nx}x${ny}x${nz} needs ${nx * ny * nz}`);
  const { bits, format } = sampleInfo(data);
  const pageBytes = nx * ny * (bits / 8);
  const voxel = options.voxelSizeM;
  if (voxel !== undefined && !(voxel > 0 && Number.isFinite(voxel))) throw new RangeError(`voxel size must be a positive length, got ${voxel} m`);
  const micron = voxel !== undefined ? voxel * 1e6 : undefined;
  const header =
    `ImageJ=1.11a\nimages=${nz}\nslices=${nz}\n` +
    (micron !== undefined ? `unit=micron\nspacing=${micron}\n` : "") +
    `loop=false\n` +
    (options.description ? options.description.replace(/\0/g, "") + "\n" : "");
  const description = new TextEncoder().encode(header + "\0");
  const perCm = voxel !== undefined ? rational(0.01 / voxel) : rational(1);

  const partial = createPartialFile(path);
  const fd = openSync(partial.tempPath, "w");
  try {
    // Plan each page: IFD, then its out-of-line values, then the pixels (4-byte aligned).
    let offset = 8;
    const first = offset;
    const head = new Uint8Array(8);
    const hv = new DataView(head.buffer);
    head[0] = 0x49; head[1] = 0x49; // "II": little-endian
    hv.setUint16(2, 42, true);
    hv.setUint32(4, first, true);
    writeSync(fd, head);
    for (let z = 0; z < nz; z++) {
      const entries: Entry[] = [
        { tag: 256, type: TYPE_LONG, count: 1, value: nx },
        { tag: 257, type: TYPE_LONG, count: 1, value: ny },
        { tag: 258, type: TYPE_SHORT, count: 1, value: bits },
        { tag: 259, type: TYPE_SHORT, count: 1, value: 1 },
        { tag: 262, type: TYPE_SHORT, count: 1, value: 1 },
        ...(z === 0 ? [{ tag: 270, type: TYPE_ASCII, count: description.length, bytes: description }] : []),
        { tag: 273, type: TYPE_LONG, count: 1, value: 0 }, // strip offset, filled below
        { tag: 277, type: TYPE_SHORT, count: 1, value: 1 },
        { tag: 278, type: TYPE_LONG, count: 1, value: ny },
        { tag: 279, type: TYPE_LONG, count: 1, value: pageBytes },
        { tag: 282, type: TYPE_RATIONAL, count: 1, bytes: perCm },
        { tag: 283, type: TYPE_RATIONAL, count: 1, bytes: perCm },
        { tag: 296, type: TYPE_SHORT, count: 1, value: 3 },
        { tag: 339, type: TYPE_SHORT, count: 1, value: format },
      ];
      const ifdBytes = 2 + entries.length * 12 + 4;
      let extra = offset + ifdBytes;
      const extraParts: Uint8Array[] = [];
      const extraOffset = new Map<Entry, number>();
      for (const e of entries) {
        if (e.bytes === undefined) continue;
        extraOffset.set(e, extra);
        extraParts.push(e.bytes);
        extra += e.bytes.length;
        if (extra % 2) { extraParts.push(new Uint8Array(1)); extra += 1; }
      }
      const pad = (4 - (extra % 4)) % 4;
      const dataOffset = extra + pad;
      const next = z + 1 < nz ? dataOffset + pageBytes + ((4 - (pageBytes % 4)) % 4) : 0;
      const ifd = new Uint8Array(ifdBytes);
      const v = new DataView(ifd.buffer);
      v.setUint16(0, entries.length, true);
      entries.forEach((e, i) => {
        const o = 2 + i * 12;
        v.setUint16(o, e.tag, true);
        v.setUint16(o + 2, e.type, true);
        v.setUint32(o + 4, e.count, true);
        if (e.bytes !== undefined) v.setUint32(o + 8, extraOffset.get(e)!, true);
        else if (e.tag === 273) v.setUint32(o + 8, dataOffset, true);
        else if (e.type === TYPE_SHORT) v.setUint16(o + 8, e.value!, true);
        else v.setUint32(o + 8, e.value!, true);
      });
      v.setUint32(ifdBytes - 4, next, true);
      writeSync(fd, ifd);
      for (const p of extraParts) writeSync(fd, p);
      if (pad) writeSync(fd, new Uint8Array(pad));
      // Pixels: the slice's bytes in little-endian order (typed arrays are little-endian on
      // every platform Node supports; checked once here rather than assumed).
      const slice = data.subarray(z * nx * ny, (z + 1) * nx * ny);
      writeSync(fd, new Uint8Array(slice.buffer, slice.byteOffset, slice.byteLength));
      offset = dataOffset + pageBytes;
      if (next !== 0) {
        const tail = next - offset;
        if (tail) writeSync(fd, new Uint8Array(tail));
        offset = next;
      }
      if (offset > 0xffffffff) throw new RangeError("TIFF stack exceeds 4 GiB, the limit of classic TIFF; write HDF5 instead");
    }
  } catch (e) {
    closeSync(fd);
    partial.abort();
    throw e;
  }
  closeSync(fd);
  partial.commit();
}

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error("xtwin's TIFF writer needs a little-endian platform");

export interface TiffStack {
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  /** [z][y][x]; Float32Array for float pages, else the integer type of the pages. */
  readonly data: TiffSample;
  /** Voxel size from ImageJ's header (spacing, unit micron/um/nm/mm) or the resolution tags, if any. */
  readonly voxelSizeM: number | null;
}

/** Read a single- or multi-page grey TIFF (any writer's: ImageJ, tifffile, xtwin) as a volume. */
export function readTiffStack(path: string): TiffStack {
  const pages = decode(readFileSync(path));
  if (pages.length === 0) throw new RangeError(`${path}: no image in the TIFF`);
  const first = pages[0]!;
  const nx = first.width;
  const ny = first.height;
  for (const [i, p] of pages.entries()) {
    if (p.width !== nx || p.height !== ny) throw new RangeError(`${path}: page ${i} is ${p.width}x${p.height}, page 0 ${nx}x${ny}`);
    if (p.samplesPerPixel !== 1) throw new RangeError(`${path}: page ${i} has ${p.samplesPerPixel} samples per pixel; expected grey images`);
  }
  const n = nx * ny;
  const data = first.data instanceof Float32Array ? new Float32Array(n * pages.length)
    : first.data instanceof Uint16Array ? new Uint16Array(n * pages.length)
    : first.data instanceof Uint8Array ? new Uint8Array(n * pages.length)
    : null;
  if (data === null) throw new RangeError(`${path}: ${first.bitsPerSample}-bit samples of format ${first.sampleFormat} are not supported (float32, uint16, uint8)`);
  pages.forEach((p, z) => {
    if (p.data.constructor !== data.constructor) throw new RangeError(`${path}: page ${z} has another sample type than page 0`);
    data.set(p.data as TiffSample, z * n);
  });
  let voxelSizeM: number | null = null;
  const desc = first.imageDescription;
  if (typeof desc === "string") {
    const spacing = /(?:^|\n)spacing=([0-9.eE+-]+)/.exec(desc)?.[1];
    const unit = /(?:^|\n)unit=([^\n]+)/.exec(desc)?.[1]?.trim();
    const scale: Record<string, number> = { micron: 1e-6, um: 1e-6, "\\u00B5m": 1e-6, "µm": 1e-6, nm: 1e-9, mm: 1e-3, m: 1 };
    if (spacing !== undefined && unit !== undefined && scale[unit] !== undefined) voxelSizeM = Number(spacing) * scale[unit]!;
  }
  return { nx, ny, nz: pages.length, data, voxelSizeM };
}
