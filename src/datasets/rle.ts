/**
 * COCO run-length encoding (RLE) of binary masks, the uncompressed form.
 *
 * The COCO data format (https://cocodataset.org/#format-data, "Object Detection") stores a
 * mask as `{ size: [height, width], counts: [...] }`: the mask is read in column-major
 * (Fortran) order, down each column then across, and `counts` alternates run lengths of 0 and
 * 1 starting with the zeros, so a mask whose first pixel is inside starts with a run of 0
 * zeros. This is what pycocotools' `mask.frPyObjects` accepts for a `counts` list and what
 * its C code (`rleEncode` in maskApi.c) produces before string compression.
 *
 * Masks here are row-major (`index = x + width * y`, the image convention of xtwin), so the
 * encoder and decoder walk the transpose. Pure module (no Node APIs).
 */

/** Uncompressed COCO RLE. `size` is [height, width]; counts alternate 0-runs and 1-runs, 0 first. */
export interface CocoRle {
  size: [number, number];
  counts: number[];
}

function checkDimension(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}

/** Checks width/height and that `length` pixels fit them; returns width * height. */
export function checkImageSize(length: number, width: number, height: number, what: string): number {
  checkDimension(width, "width");
  checkDimension(height, "height");
  const n = width * height;
  if (length !== n) throw new RangeError(`${what} has ${length} pixels, expected width * height = ${width} * ${height} = ${n}`);
  return n;
}

/** RLE of a row-major mask (non-zero = inside), in COCO's column-major order. */
export function encodeRle(mask: Uint8Array, width: number, height: number): CocoRle {
  checkImageSize(mask.length, width, height, "mask");
  const counts: number[] = [];
  let inside = false; // the run being counted: zeros first, as COCO requires
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let p = x; p < mask.length; p += width) {
      if (mask[p] !== 0 !== inside) {
        counts.push(run);
        inside = !inside;
        run = 0;
      }
      run++;
    }
  }
  counts.push(run);
  return { size: [height, width], counts };
}

/** Checks size and counts (non-negative integers summing to height * width); returns the pixel count. */
export function checkRle(rle: CocoRle): number {
  if (!rle || !Array.isArray(rle.size) || rle.size.length !== 2) throw new RangeError(`rle.size must be [height, width], got ${JSON.stringify(rle?.size)}`);
  const [height, width] = rle.size;
  checkDimension(height, "rle.size[0] (height)");
  checkDimension(width, "rle.size[1] (width)");
  if (!Array.isArray(rle.counts)) throw new RangeError(`rle.counts must be an array of run lengths, got ${typeof rle.counts}`);
  let total = 0;
  for (let i = 0; i < rle.counts.length; i++) {
    const c = rle.counts[i]!;
    if (!Number.isSafeInteger(c) || c < 0) throw new RangeError(`rle.counts[${i}] must be a non-negative integer, got ${c}`);
    total += c;
  }
  const n = height * width;
  if (total !== n) throw new RangeError(`rle.counts sum to ${total}, expected height * width = ${n}`);
  return n;
}

/** Row-major 0/1 mask of an RLE. */
export function decodeRle(rle: CocoRle): Uint8Array {
  const n = checkRle(rle);
  const [height, width] = rle.size;
  const mask = new Uint8Array(n);
  // Column-major position k is pixel (x = floor(k / height), y = k mod height).
  let k = 0;
  for (let i = 0; i < rle.counts.length; i++) {
    const end = k + rle.counts[i]!;
    if (i % 2 === 1) {
      let x = Math.floor(k / height);
      let y = k - x * height;
      for (; k < end; k++) {
        mask[x + width * y] = 1;
        if (++y === height) {
          y = 0;
          x++;
        }
      }
    }
    k = end;
  }
  return mask;
}

/** Pixels inside: the sum of the 1-runs (odd positions of counts). */
export function rleArea(rle: CocoRle): number {
  checkRle(rle);
  let area = 0;
  for (let i = 1; i < rle.counts.length; i += 2) area += rle.counts[i]!;
  return area;
}
