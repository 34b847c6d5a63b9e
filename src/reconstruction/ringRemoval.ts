/**
 * Ring-artefact removal in the sinogram domain: the sorting-based stripe removal of
 * N. T. Vo, R. C. Atwood, M. Drakopoulos, "Superior techniques for eliminating ring
 * artifacts in X-ray micro-tomography", Opt. Express 26 (2018) 28396,
 * doi:10.1364/OE.26.028396, algorithm 3:
 *   1. sort each detector column of the sinogram along the angles (keeping the order);
 *   2. median-filter the sorted sinogram across columns (window `size`), which replaces a
 *      column whose sorted profile is offset from its neighbours' (a stripe, i.e. a ring
 *      in the slice) by theirs, while a smooth profile is left nearly unchanged (the
 *      median of a monotonic run is its middle value);
 *   3. put each column's values back in their original angular order.
 * A constant offset in one detector column (a miscalibrated pixel) is removed completely
 * where its neighbours' sorted profiles are monotonic across it. Boundaries are mirrored
 * (a b c | c b a), as scipy.ndimage.median_filter's default.
 *
 * Pure module: runs in a browser too.
 */

export interface StripeRemovalOptions {
  /** Median window across columns, odd, >= 3 (default 21, Vo et al.'s suggestion for small stripes). */
  readonly size?: number;
}

function checkSize(size: number, cols: number): void {
  if (!Number.isInteger(size) || size < 3 || size % 2 === 0) throw new RangeError(`median window must be an odd integer >= 3, got ${size}`);
  if (cols < 2) throw new RangeError(`a sinogram needs at least 2 columns, got ${cols}`);
}

/** Mirror an index into [0, n) (a b c | c b a). */
function mirror(i: number, n: number): number {
  const period = 2 * n;
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - 1 - m;
}

/** Reusable buffers of one sinogram size. */
class StripeScratch {
  readonly sorted: Float32Array;
  readonly order: Uint32Array;
  readonly filtered: Float32Array;
  readonly column: Float32Array;
  readonly index: Uint32Array;
  readonly window: Float64Array;
  constructor(readonly angles: number, readonly cols: number, size: number) {
    this.sorted = new Float32Array(angles * cols);
    this.order = new Uint32Array(angles * cols);
    this.filtered = new Float32Array(angles * cols);
    this.column = new Float32Array(angles);
    this.index = new Uint32Array(angles);
    this.window = new Float64Array(size);
  }
}

/** Median of w[0 .. n-1] by insertion sort (n is the small median window). Reorders w. */
function median(w: Float64Array, n: number): number {
  for (let a = 1; a < n; a++) {
    const v = w[a]!;
    let b = a - 1;
    while (b >= 0 && w[b]! > v) {
      w[b + 1] = w[b]!;
      b--;
    }
    w[b + 1] = v;
  }
  return w[n >> 1]!;
}

function removeWith(scratch: StripeScratch, src: ArrayLike<number>, srcOffset: number, out: Float32Array, outOffset: number, size: number): void {
  const { angles, cols, sorted, order, filtered, column, index, window } = scratch;
  const cmp = (a: number, b: number) => column[a]! - column[b]!;
  // 1. sort each column along the angles.
  for (let c = 0; c < cols; c++) {
    for (let a = 0; a < angles; a++) {
      column[a] = src[srcOffset + a * cols + c]!;
      index[a] = a;
    }
    index.sort(cmp);
    for (let r = 0; r < angles; r++) {
      sorted[r * cols + c] = column[index[r]!]!;
      order[r * cols + c] = index[r]!;
    }
  }
  // 2. median across columns of each rank.
  const half = size >> 1;
  for (let r = 0; r < angles; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      for (let k = 0; k < size; k++) window[k] = sorted[o + mirror(c - half + k, cols)]!;
      filtered[o + c] = median(window, size);
    }
  }
  // 3. unsort.
  for (let r = 0; r < angles; r++) {
    for (let c = 0; c < cols; c++) out[outOffset + order[r * cols + c]! * cols + c] = filtered[r * cols + c]!;
  }
}

/**
 * Sorting-based stripe removal (Vo et al. 2018, algorithm 3) of one sinogram
 * [angle][col] (angles x cols values) into `out` (a new array by default; may be the input).
 */
export function removeStripesSorting(
  sinogram: Float32Array, angles: number, cols: number, options: StripeRemovalOptions = {}, out = new Float32Array(angles * cols),
): Float32Array {
  const size = options.size ?? 21;
  checkSize(size, cols);
  if (!Number.isInteger(angles) || angles < 1) throw new RangeError(`angles must be a positive integer, got ${angles}`);
  if (sinogram.length !== angles * cols) throw new RangeError(`sinogram holds ${sinogram.length} values, ${angles} x ${cols} need ${angles * cols}`);
  if (out.length !== angles * cols) throw new RangeError(`output holds ${out.length} values, expected ${angles * cols}`);
  removeWith(new StripeScratch(angles, cols, size), sinogram, 0, out, 0, size);
  return out;
}

/**
 * Stripe removal on every detector row of a projection stack [projection][row][col], in
 * place: the sinogram of each row is gathered, filtered and written back. Calls
 * onProgress(rowsDone, rows) after each row.
 */
export function removeStripesStack(
  projections: Float32Array, count: number, rows: number, cols: number, options: StripeRemovalOptions = {},
  onProgress?: (done: number, total: number) => void,
): void {
  const size = options.size ?? 21;
  checkSize(size, cols);
  if (projections.length !== count * rows * cols) {
    throw new RangeError(`projections hold ${projections.length} values, ${count} x ${rows} x ${cols} need ${count * rows * cols}`);
  }
  const scratch = new StripeScratch(count, cols, size);
  const sino = new Float32Array(count * cols);
  const clean = new Float32Array(count * cols);
  const frame = rows * cols;
  for (let r = 0; r < rows; r++) {
    for (let p = 0; p < count; p++) sino.set(projections.subarray(p * frame + r * cols, p * frame + (r + 1) * cols), p * cols);
    removeWith(scratch, sino, 0, clean, 0, size);
    for (let p = 0; p < count; p++) projections.set(clean.subarray(p * cols, (p + 1) * cols), p * frame + r * cols);
    onProgress?.(r + 1, rows);
  }
}
