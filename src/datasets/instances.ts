/**
 * Instance regions of a 2-D label image: for every label k > 0 its pixel count, COCO bounding
 * box and COCO RLE mask, the per-instance facts a COCO "Object Detection" annotation carries
 * (https://cocodataset.org/#format-data).
 *
 * One raster pass gathers area and bbox of every label; then each instance's RLE is built by
 * walking only its bbox columns (the runs above, below and beside the box are zeros and are
 * added arithmetically), so the cost is one image pass plus the sum of the bbox areas.
 * Label values may be any non-negative integers (sparse ids are fine): the pass caches the
 * slot of the previous pixel's label, so the id -> slot map is consulted only where the label
 * changes along a row.
 *
 * Pure module (no Node APIs).
 */
import { checkImageSize, type CocoRle } from "./rle.js";

export interface InstanceRegion {
  /** The label value. */
  id: number;
  /** Pixel count. */
  area: number;
  /** COCO [x, y, w, h] in pixel-corner convention: x = min column, w = max - min + 1. */
  bbox: [number, number, number, number];
  /** This instance's mask over the whole image. */
  rle: CocoRle;
}

export interface InstanceRegionOptions {
  /** Instances with fewer pixels than this are left out (default 1: all). */
  minArea?: number;
}

/** Growable per-instance accumulators; index = slot in first-seen order. */
interface Accumulators {
  ids: number[];
  area: number[];
  minX: number[];
  maxX: number[];
  minY: number[];
  maxY: number[];
}

/** Regions of every label > 0, sorted by id. */
export function instanceRegions(
  labels: ArrayLike<number>,
  width: number,
  height: number,
  options: InstanceRegionOptions = {},
): InstanceRegion[] {
  checkImageSize(labels.length, width, height, "labels");
  const minArea = options.minArea ?? 1;
  if (!Number.isFinite(minArea) || minArea < 0) throw new RangeError(`minArea must be a finite number >= 0, got ${minArea}`);

  const acc: Accumulators = { ids: [], area: [], minX: [], maxX: [], minY: [], maxY: [] };
  const slotOf = new Map<number, number>();
  let p = 0;
  for (let y = 0; y < height; y++) {
    let previous = 0;
    let slot = -1;
    for (let x = 0; x < width; x++, p++) {
      const v = labels[p]!;
      if (v !== previous) {
        previous = v;
        if (v === 0) {
          slot = -1;
        } else {
          if (!(v > 0) || !Number.isSafeInteger(v)) {
            throw new RangeError(`labels[${p}] (x ${x}, y ${y}) must be a non-negative integer, got ${v}`);
          }
          const known = slotOf.get(v);
          if (known === undefined) {
            slot = acc.ids.length;
            slotOf.set(v, slot);
            acc.ids.push(v);
            acc.area.push(0);
            acc.minX.push(x);
            acc.maxX.push(x);
            acc.minY.push(y);
            acc.maxY.push(y);
          } else {
            slot = known;
          }
        }
      }
      if (slot < 0) continue;
      acc.area[slot]!++;
      // Rows are visited in order, so minY is set on first sight and maxY is the current row.
      if (x < acc.minX[slot]!) acc.minX[slot] = x;
      if (x > acc.maxX[slot]!) acc.maxX[slot] = x;
      acc.maxY[slot] = y;
    }
  }

  const order = acc.ids.map((_, s) => s).sort((a, b) => acc.ids[a]! - acc.ids[b]!);
  const regions: InstanceRegion[] = [];
  for (const s of order) {
    if (acc.area[s]! < minArea) continue;
    const x0 = acc.minX[s]!;
    const x1 = acc.maxX[s]!;
    const y0 = acc.minY[s]!;
    const y1 = acc.maxY[s]!;
    regions.push({
      id: acc.ids[s]!,
      area: acc.area[s]!,
      bbox: [x0, y0, x1 - x0 + 1, y1 - y0 + 1],
      rle: boxedRle(labels, width, height, acc.ids[s]!, x0, x1, y0, y1),
    });
  }
  return regions;
}

/**
 * COCO RLE (column-major, zeros first) of `labels == id`, knowing the instance lies inside
 * columns x0..x1 and rows y0..y1: only those pixels are read.
 */
function boxedRle(labels: ArrayLike<number>, width: number, height: number, id: number, x0: number, x1: number, y0: number, y1: number): CocoRle {
  const counts: number[] = [];
  let inside = false;
  // Zeros in the columns left of the box and above the box in its first column.
  let run = x0 * height + y0;
  // Between one box column and the next: the rows below the box, then the rows above it.
  const gap = height - 1 - y1 + y0;
  for (let x = x0; x <= x1; x++) {
    // With a full-height box there is no gap and a 1-run carries on into the next column.
    if (x > x0 && gap > 0) {
      if (inside) {
        counts.push(run);
        inside = false;
        run = 0;
      }
      run += gap;
    }
    for (let y = y0, p = x + width * y0; y <= y1; y++, p += width) {
      if ((labels[p] === id) !== inside) {
        counts.push(run);
        inside = !inside;
        run = 0;
      }
      run++;
    }
  }
  // The rows below the box in its last column and the columns right of the box.
  const tail = height - 1 - y1 + (width - 1 - x1) * height;
  if (inside && tail > 0) {
    counts.push(run);
    run = 0;
  }
  counts.push(run + tail);
  return { size: [height, width], counts };
}
