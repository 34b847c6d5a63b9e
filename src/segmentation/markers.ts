/**
 * Seeds for a marker-controlled watershed: the h-maxima or the spaced local maxima of a map
 * (typically the distance transform of the particles, whose maxima sit at their centres).
 *
 * h-maxima (P. Soille, "Morphological Image Analysis", 2nd ed., Springer 2003, Section 6.3.4):
 * the reconstruction by dilation R_f(f - h) cuts every peak of f by h and fills the peaks of
 * dynamic < h entirely; its regional maxima (connected plateaus with no higher neighbour) are
 * the "extended maxima", one per peak that rises at least h above the saddle joining it to a
 * higher peak. The reconstruction is Vincent's hybrid raster-scan and FIFO algorithm (L. Vincent,
 * "Morphological grayscale reconstruction in image analysis: applications and efficient
 * algorithms", IEEE Trans. Image Process. 2 (1993) 176, doi:10.1109/83.217222, Section V-C).
 *
 * Local maxima (as scikit-image's peak_local_max): voxels equal to the maximum of the cube of
 * half-width minDistance around them and above a threshold, taken from the highest down and
 * dropping any within minDistance (Chebyshev) of a peak already kept.
 */
import { checkShape, neighbourhood, neighboursOf, type Connectivity, type VolumeShape } from "./shape.js";

export interface Markers {
  /** Marker label of each voxel: 0 outside the markers, 1..count in raster order of first voxel. */
  readonly markers: Int32Array;
  readonly count: number;
}

export interface MarkerOptions {
  /** Only voxels where the mask is non-zero take part (default: the whole volume). */
  readonly mask?: ArrayLike<number>;
  /** Neighbourhood of reconstruction and plateaus: 6, 18 or 26 (default), 4 or 8 in 2-D. */
  readonly connectivity?: Connectivity;
}

/**
 * Reconstruction by dilation of `marker` under `f` (marker <= f expected; it is clipped to f):
 * the largest function <= f whose every value is reachable from a marker value at least as
 * high along a path staying at or below f. Voxels outside the mask are copied from marker
 * (clipped to f) and take no part.
 *
 * Vincent's hybrid algorithm (Vincent 1993, Section V-C): a forward raster scan propagates
 * values from the already visited half of the neighbourhood, a backward scan from the other
 * half and queues the voxels that could still raise a neighbour, and a FIFO flood finishes
 * the job. No priority queue: two passes over the volume plus a usually short flood.
 */
export function reconstructByDilation(marker: ArrayLike<number>, f: ArrayLike<number>, shape: VolumeShape, options: MarkerOptions = {}): Float64Array {
  const n = checkShape(shape, f.length, "reconstruction mask image");
  checkShape(shape, marker.length, "reconstruction marker image");
  const mask = options.mask;
  if (mask !== undefined) checkShape(shape, mask.length, "mask");
  const connectivity = options.connectivity ?? 26;
  const hood = neighbourhood(connectivity, shape);
  const before = neighbourhood(connectivity, shape, true);
  const { nx, ny, nz } = shape;
  const nbr = new Int32Array(hood.count);
  // Typed copies keep the hot loops monomorphic whatever array types the caller passes.
  const top = new Float64Array(n);
  const inside = new Uint8Array(n);
  const out = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const m = marker[p]!;
    const fp = f[p]!;
    if (Number.isNaN(m) || Number.isNaN(fp)) throw new RangeError(`reconstruction needs numbers, found NaN at voxel ${p}`);
    top[p] = fp;
    out[p] = m < fp ? m : fp;
    inside[p] = mask === undefined || mask[p] !== 0 ? 1 : 0;
  }
  // Forward scan: the neighbours before p in raster order.
  let p = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, p++) {
        if (inside[p] === 0) continue;
        let v = out[p]!;
        for (let s = 0; s < before.count; s++) {
          const a = i + before.di[s]!;
          const b = j + before.dj[s]!;
          if (a < 0 || a >= nx || b < 0 || b >= ny || k + before.dk[s]! < 0) continue;
          const q = p + before.step[s]!;
          if (inside[q] === 1 && out[q]! > v) v = out[q]!;
        }
        out[p] = v < top[p]! ? v : top[p]!;
      }
    }
  }
  // Backward scan: the neighbours after p; queue p if it can still raise one of them.
  const queue = new GrowableFifo(1024);
  p = n - 1;
  for (let k = nz - 1; k >= 0; k--) {
    for (let j = ny - 1; j >= 0; j--) {
      for (let i = nx - 1; i >= 0; i--, p--) {
        if (inside[p] === 0) continue;
        let v = out[p]!;
        for (let s = 0; s < before.count; s++) {
          const a = i - before.di[s]!;
          const b = j - before.dj[s]!;
          if (a < 0 || a >= nx || b < 0 || b >= ny || k - before.dk[s]! >= nz) continue;
          const q = p - before.step[s]!;
          if (inside[q] === 1 && out[q]! > v) v = out[q]!;
        }
        v = v < top[p]! ? v : top[p]!;
        out[p] = v;
        for (let s = 0; s < before.count; s++) {
          const a = i - before.di[s]!;
          const b = j - before.dj[s]!;
          if (a < 0 || a >= nx || b < 0 || b >= ny || k - before.dk[s]! >= nz) continue;
          const q = p - before.step[s]!;
          if (inside[q] === 1 && out[q]! < v && out[q]! < top[q]!) {
            queue.push(p);
            break;
          }
        }
      }
    }
  }
  // FIFO flood from the queued voxels.
  while (queue.size > 0) {
    const q0 = queue.shift();
    const level = out[q0]!;
    const m = neighboursOf(hood, shape, q0, nbr);
    for (let t = 0; t < m; t++) {
      const q = nbr[t]!;
      if (inside[q] === 0) continue;
      const oq = out[q]!;
      const tq = top[q]!;
      if (oq < level && oq !== tq) {
        out[q] = level < tq ? level : tq;
        queue.push(q);
      }
    }
  }
  return out;
}

/** A first-in-first-out queue of voxel indices on a typed array that grows when full. */
class GrowableFifo {
  private items: Int32Array;
  private head = 0;
  private tail = 0;

  constructor(capacity: number) {
    this.items = new Int32Array(capacity);
  }

  get size(): number {
    return this.tail - this.head;
  }

  push(v: number): void {
    if (this.tail === this.items.length) {
      if (this.head >= this.items.length >> 1) {
        this.items.copyWithin(0, this.head, this.tail);
      } else {
        const grown = new Int32Array(this.items.length * 2);
        grown.set(this.items.subarray(this.head, this.tail));
        this.items = grown;
      }
      this.tail -= this.head;
      this.head = 0;
    }
    this.items[this.tail++] = v;
  }

  shift(): number {
    return this.items[this.head++]!;
  }
}

/**
 * Regional maxima of `f` within the mask: connected plateaus (equal values) none of whose
 * voxels has a higher neighbour. Labels 1..count in raster order of first voxel.
 */
export function regionalMaxima(f: ArrayLike<number>, shape: VolumeShape, options: MarkerOptions = {}): Markers {
  const n = checkShape(shape, f.length, "volume");
  const mask = options.mask;
  if (mask !== undefined) checkShape(shape, mask.length, "mask");
  const hood = neighbourhood(options.connectivity ?? 26, shape);
  const nbr = new Int32Array(hood.count);
  const markers = new Int32Array(n);
  const visited = new Uint8Array(n);
  const plateau = new Int32Array(n);
  let count = 0;
  for (let start = 0; start < n; start++) {
    if (visited[start] === 1 || (mask !== undefined && mask[start] === 0)) continue;
    const value = f[start]!;
    let head = 0;
    let tail = 0;
    plateau[tail++] = start;
    visited[start] = 1;
    let isMaximum = true;
    while (head < tail) {
      const p = plateau[head++]!;
      const m = neighboursOf(hood, shape, p, nbr);
      for (let t = 0; t < m; t++) {
        const q = nbr[t]!;
        if (mask !== undefined && mask[q] === 0) continue;
        const fq = f[q]!;
        if (fq > value) isMaximum = false;
        else if (fq === value && visited[q] === 0) {
          visited[q] = 1;
          plateau[tail++] = q;
        }
      }
    }
    if (isMaximum) {
      count++;
      for (let t = 0; t < tail; t++) markers[plateau[t]!] = count;
    }
  }
  // Plateaus are found from their first voxel in raster order, so labels already are in order.
  return { markers, count };
}

/**
 * h-maxima markers: the regional maxima of R_f(f - h), one connected marker per peak of f
 * whose dynamic is at least h (in the units of f).
 */
export function hMaximaMarkers(f: ArrayLike<number>, shape: VolumeShape, h: number, options: MarkerOptions = {}): Markers {
  if (!(h > 0 && Number.isFinite(h))) throw new RangeError(`h-maxima need a positive finite height h, got ${h}`);
  const n = checkShape(shape, f.length, "volume");
  const lowered = new Float64Array(n);
  for (let p = 0; p < n; p++) lowered[p] = f[p]! - h;
  const reconstruction = reconstructByDilation(lowered, f, shape, options);
  return regionalMaxima(reconstruction, shape, options);
}

export interface LocalMaximaOptions extends MarkerOptions {
  /** Half-width (voxels) of the cube a peak must dominate, and the least spacing of peaks. */
  readonly minDistance: number;
  /** Peaks must exceed this value (default: -infinity). */
  readonly threshold?: number;
}

/** Single-voxel markers at the spaced local maxima of f (see the module comment). */
export function localMaximaMarkers(f: ArrayLike<number>, shape: VolumeShape, options: LocalMaximaOptions): Markers {
  const n = checkShape(shape, f.length, "volume");
  const md = options.minDistance;
  if (!Number.isInteger(md) || md < 1) throw new RangeError(`minDistance must be a positive integer number of voxels, got ${md}`);
  const threshold = options.threshold ?? -Infinity;
  const mask = options.mask;
  if (mask !== undefined) checkShape(shape, mask.length, "mask");
  const { nx, ny, nz } = shape;
  // Separable running maximum over the (2 md + 1)^3 cube, outside-the-mask voxels excluded.
  let window = new Float64Array(n);
  for (let p = 0; p < n; p++) window[p] = mask === undefined || mask[p] !== 0 ? f[p]! : -Infinity;
  const source = Float64Array.from(window);
  let scratch = new Float64Array(n);
  const dims = [nx, ny, nz];
  const strides = [1, nx, nx * ny];
  for (let axis = 0; axis < 3; axis++) {
    const len = dims[axis]!;
    const stride = strides[axis]!;
    if (len === 1) continue;
    for (let p = 0; p < n; p++) {
      const t = Math.floor(p / stride) % len;
      const lo = Math.max(0, t - md);
      const hi = Math.min(len - 1, t + md);
      let m = -Infinity;
      for (let u = lo; u <= hi; u++) {
        const v = window[p + (u - t) * stride]!;
        if (v > m) m = v;
      }
      scratch[p] = m;
    }
    const swap = window;
    window = scratch;
    scratch = swap;
  }
  const candidates: number[] = [];
  for (let p = 0; p < n; p++) {
    const v = source[p]!;
    if (v > threshold && v === window[p]) candidates.push(p);
  }
  candidates.sort((a, b) => source[b]! - source[a]! || a - b);
  const suppressed = new Uint8Array(n);
  const peaks: number[] = [];
  const nxy = nx * ny;
  for (const p of candidates) {
    if (suppressed[p] === 1) continue;
    peaks.push(p);
    const k = Math.floor(p / nxy);
    const j = Math.floor((p - k * nxy) / nx);
    const i = p - k * nxy - j * nx;
    for (let c = Math.max(0, k - md); c <= Math.min(nz - 1, k + md); c++) {
      for (let b = Math.max(0, j - md); b <= Math.min(ny - 1, j + md); b++) {
        for (let a = Math.max(0, i - md); a <= Math.min(nx - 1, i + md); a++) suppressed[a + nx * (b + ny * c)] = 1;
      }
    }
  }
  peaks.sort((a, b) => a - b);
  const markers = new Int32Array(n);
  peaks.forEach((p, l) => (markers[p] = l + 1));
  return { markers, count: peaks.length };
}
