/**
 * Connected-component labelling of binary or class masks, and the clean-ups built on it.
 *
 * Two-pass labelling with union-find (A. Rosenfeld, J. L. Pfaltz, "Sequential operations in
 * digital picture processing", J. ACM 13 (1966) 471, doi:10.1145/321356.321357; union-find
 * with path halving as in K. Wu, E. Otoo, K. Suzuki, "Optimizing two-pass connected-component
 * labeling algorithms", Pattern Anal. Appl. 12 (2009) 117, doi:10.1007/s10044-008-0109-y).
 * The first raster pass gives each voxel a provisional label and merges it with the already
 * visited neighbours; the second resolves every provisional label to its root and numbers the
 * roots 1..N in the raster order of their first voxel, so labels are deterministic.
 *
 * A voxel is foreground when its mask value is non-zero; two neighbouring voxels join when
 * their values are equal, so a class map (values 1..C) gives one component per connected
 * patch of each class and a 0/1 mask gives the usual binary labelling.
 */
import { checkShape, neighbourhood, neighboursOf, type Connectivity, type VolumeShape } from "./shape.js";

export interface LabelledComponents {
  /** Label of each voxel: 0 for background, 1..count for the components. */
  readonly labels: Int32Array;
  readonly count: number;
  /** sizes[l] = voxels of component l (l = 1..count); sizes[0] = background voxels. */
  readonly sizes: Int32Array;
}

export interface LabelOptions {
  /** 6 (faces, default), 18 or 26 in 3-D; 4 or 8 for a 2-D image (nz = 1). */
  readonly connectivity?: Connectivity;
}

export function labelComponents(mask: ArrayLike<number>, shape: VolumeShape, options: LabelOptions = {}): LabelledComponents {
  const n = checkShape(shape, mask.length, "mask");
  const { nx, ny, nz } = shape;
  const hood = neighbourhood(options.connectivity ?? 6, shape, true);
  const labels = new Int32Array(n);
  // parent[l] for provisional labels 1..; at most one new label per voxel.
  let parent = new Int32Array(Math.min(n, 1 << 16) + 1);
  let next = 1;
  let p = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, p++) {
        const value = mask[p]!;
        if (value === 0) continue;
        let label = 0;
        for (let s = 0; s < hood.count; s++) {
          const a = i + hood.di[s]!;
          const b = j + hood.dj[s]!;
          const c = k + hood.dk[s]!;
          if (a < 0 || a >= nx || b < 0 || b >= ny || c < 0) continue;
          const q = p + hood.step[s]!;
          if (mask[q] !== value) continue;
          const other = labels[q]!;
          label = label === 0 ? findRoot(parent, other) : union(parent, label, other);
        }
        if (label === 0) {
          if (next >= parent.length) {
            const grown = new Int32Array(Math.min(n + 1, parent.length * 2));
            grown.set(parent);
            parent = grown;
          }
          parent[next] = next;
          label = next++;
        }
        labels[p] = label;
      }
    }
  }
  // Final labels in raster order of each component's first voxel.
  const finalOf = new Int32Array(next);
  let count = 0;
  let background = 0;
  for (let q = 0; q < n; q++) {
    const l = labels[q]!;
    if (l === 0) {
      background++;
      continue;
    }
    const root = findRoot(parent, l);
    let f = finalOf[root]!;
    if (f === 0) f = finalOf[root] = ++count;
    labels[q] = f;
  }
  const sizes = new Int32Array(count + 1);
  sizes[0] = background;
  for (let q = 0; q < n; q++) {
    const l = labels[q]!;
    if (l !== 0) sizes[l]!++;
  }
  return { labels, count, sizes };
}

/** Root of label `l`, halving the path on the way. */
function findRoot(parent: Int32Array, l: number): number {
  while (parent[l] !== l) {
    const grand = parent[parent[l]!]!;
    parent[l] = grand;
    l = grand;
  }
  return l;
}

/** Joins the trees of `a` (a root) and `b`; the smaller root survives. Returns the root. */
function union(parent: Int32Array, a: number, b: number): number {
  const rb = findRoot(parent, b);
  if (a === rb) return a;
  if (a < rb) {
    parent[rb] = a;
    return a;
  }
  parent[a] = rb;
  return rb;
}

/**
 * Keeps only the labels with at least `minVoxels` voxels and renumbers them 1..count in their
 * previous order (so raster order is kept). Labels must be 0..max non-negative integers.
 */
export function removeSmallLabels(labels: Int32Array, minVoxels: number): LabelledComponents {
  checkMinVoxels(minVoxels);
  let max = 0;
  for (let p = 0; p < labels.length; p++) {
    const l = labels[p]!;
    if (l < 0) throw new RangeError(`labels must be >= 0, found ${l} at voxel ${p}`);
    if (l > max) max = l;
  }
  const size = new Int32Array(max + 1);
  for (let p = 0; p < labels.length; p++) size[labels[p]!]!++;
  const renumber = new Int32Array(max + 1);
  let count = 0;
  for (let l = 1; l <= max; l++) if (size[l]! >= minVoxels && size[l]! > 0) renumber[l] = ++count;
  const out = new Int32Array(labels.length);
  const sizes = new Int32Array(count + 1);
  for (let p = 0; p < labels.length; p++) {
    const l = renumber[labels[p]!]!;
    out[p] = l;
    sizes[l]!++;
  }
  return { labels: out, count, sizes };
}

/**
 * Zeroes every connected component (of equal non-zero values) with fewer than `minVoxels`
 * voxels and returns a copy of the mask; the voxels that stay keep their values.
 */
export function removeSmallObjects<T extends Uint8Array | Uint16Array | Int32Array>(
  mask: T,
  shape: VolumeShape,
  minVoxels: number,
  options: LabelOptions = {},
): T {
  checkMinVoxels(minVoxels);
  const { labels, sizes } = labelComponents(mask, shape, options);
  const out = mask.slice() as T;
  for (let p = 0; p < out.length; p++) {
    const l = labels[p]!;
    if (l !== 0 && sizes[l]! < minVoxels) out[p] = 0;
  }
  return out;
}

/**
 * Fills the holes of a binary mask: background regions that do not reach the border of the
 * volume become foreground. Background is flooded from the border with `connectivity`
 * (default 6, the complement of a 26-connected foreground); an axis of length 1 (a 2-D
 * image) has no border. Returns a 0/1 mask.
 */
export function fillHoles(mask: ArrayLike<number>, shape: VolumeShape, options: LabelOptions = {}): Uint8Array {
  const n = checkShape(shape, mask.length, "mask");
  const { nx, ny, nz } = shape;
  const hood = neighbourhood(options.connectivity ?? 6, shape);
  // out: 1 = foreground or hole (until reached), 0 = background reached from the border.
  const out = new Uint8Array(n).fill(1);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  let p = 0;
  for (let k = 0; k < nz; k++) {
    const zBorder = nz > 1 && (k === 0 || k === nz - 1);
    for (let j = 0; j < ny; j++) {
      const yBorder = ny > 1 && (j === 0 || j === ny - 1);
      for (let i = 0; i < nx; i++, p++) {
        const border = zBorder || yBorder || (nx > 1 && (i === 0 || i === nx - 1));
        if (border && mask[p] === 0) {
          out[p] = 0;
          queue[tail++] = p;
        }
      }
    }
  }
  const nbr = new Int32Array(hood.count);
  while (head < tail) {
    const q = queue[head++]!;
    const m = neighboursOf(hood, shape, q, nbr);
    for (let u = 0; u < m; u++) {
      const t = nbr[u]!;
      if (out[t] === 1 && mask[t] === 0) {
        out[t] = 0;
        queue[tail++] = t;
      }
    }
  }
  return out;
}

function checkMinVoxels(minVoxels: number): void {
  if (!(Number.isFinite(minVoxels) && minVoxels >= 0)) {
    throw new RangeError(`minVoxels must be a non-negative number of voxels, got ${minVoxels}`);
  }
}
