/**
 * Marker-controlled watershed by priority flooding, and the particle separation built on it.
 *
 * Flooding (F. Meyer, "Topographic distance and watershed lines", Signal Processing 38 (1994)
 * 113, doi:10.1016/0165-1684(94)90060-4; S. Beucher, F. Meyer, "The morphological approach to
 * segmentation: the watershed transformation", in E. R. Dougherty (ed.), Mathematical
 * Morphology in Image Processing, Marcel Dekker 1993, pp. 433-481): every marker voxel enters
 * a priority queue at its relief value; the lowest voxel leaves the queue and hands its label
 * to each unlabelled neighbour in the mask, which enters at max(its relief, the current
 * level), so the flood never runs downhill out of order. Ties leave in FIFO order, which
 * makes the result deterministic and splits plateaus by geodesic distance. Every voxel of the
 * mask connected to a marker gets exactly one label (no watershed-line voxels).
 *
 * separateTouchingParticles: distance transform of the mask -> optional Gaussian smoothing ->
 * h-maxima (or spaced local maxima) as markers -> watershed of -distance within the mask, the
 * classic split of touching convex grains (Soille 2003, Section 9.4.2; P. Soille,
 * "Morphological Image Analysis", 2nd ed., Springer).
 */
import { distanceTransform, type DistanceOptions } from "./distanceTransform.js";
import { labelComponents, removeSmallLabels } from "./labelling.js";
import { hMaximaMarkers, localMaximaMarkers, type Markers } from "./markers.js";
import { IndexHeap } from "./priorityQueue.js";
import { checkShape, neighbourhood, neighboursOf, type Connectivity, type VolumeShape } from "./shape.js";
import { gaussianSmooth } from "./smoothing.js";

export interface WatershedOptions {
  /** Only voxels where the mask is non-zero are flooded (default: the whole volume). */
  readonly mask?: ArrayLike<number>;
  /** Flooding neighbourhood: 6, 18 or 26 (default), 4 or 8 for a 2-D image. */
  readonly connectivity?: Connectivity;
}

/**
 * Floods `relief` (low values first) from the labelled `markers` (> 0) and returns a label per
 * voxel: the marker whose flood reached it, 0 outside the mask or where no flood arrives.
 */
export function watershed(relief: ArrayLike<number>, shape: VolumeShape, markers: Int32Array, options: WatershedOptions = {}): Int32Array {
  const n = checkShape(shape, relief.length, "relief");
  checkShape(shape, markers.length, "markers");
  const mask = options.mask;
  if (mask !== undefined) checkShape(shape, mask.length, "mask");
  const hood = neighbourhood(options.connectivity ?? 26, shape);
  const nbr = new Int32Array(hood.count);
  const labels = new Int32Array(n);
  // Voxels are labelled when pushed, so each enters the queue once; start small and grow.
  const heap = new IndexHeap(Math.min(n, 1 << 16));
  for (let p = 0; p < n; p++) {
    const inMask = mask === undefined || mask[p] !== 0;
    if (inMask && Number.isNaN(relief[p]!)) throw new RangeError(`watershed relief is NaN at voxel ${p}; expected numbers inside the mask`);
    const m = markers[p]!;
    if (m === 0) continue;
    if (m < 0) throw new RangeError(`marker labels must be >= 0, found ${m} at voxel ${p}`);
    if (!inMask) throw new RangeError(`marker ${m} at voxel ${p} lies outside the mask`);
    labels[p] = m;
    heap.push(p, relief[p]!);
  }
  while (heap.size > 0) {
    const level = heap.peekPriority();
    const p = heap.pop();
    const label = labels[p]!;
    const m = neighboursOf(hood, shape, p, nbr);
    for (let t = 0; t < m; t++) {
      const q = nbr[t]!;
      if (labels[q] !== 0 || (mask !== undefined && mask[q] === 0)) continue;
      labels[q] = label;
      const rq = relief[q]!;
      heap.push(q, rq > level ? rq : level);
    }
  }
  return labels;
}

export interface SeparationOptions {
  /** Neighbourhood of markers and flooding (default 26). */
  readonly connectivity?: Connectivity;
  /** Voxel spacing for the distance transform (default 1: h and distances in voxels). */
  readonly spacing?: DistanceOptions["spacing"];
  /**
   * Markers: "h-maxima" (default) keeps the distance peaks at least `h` above the saddle to a
   * higher peak; "local-maxima" keeps peaks dominating a cube of half-width `minDistance`.
   */
  readonly markers?: "h-maxima" | "local-maxima";
  /** Least dynamic of a marker peak, in the distance unit (default 2 voxels). */
  readonly h?: number;
  /** For "local-maxima": least spacing of peaks in voxels (default 5). */
  readonly minDistance?: number;
  /** Standard deviation (voxels) of a Gaussian applied to the distance map before markers (default 0). */
  readonly smoothSigma?: number;
  /** Drop instances with fewer voxels than this (default 0: keep all). */
  readonly minVoxels?: number;
}

export interface Instances {
  /** Instance label of each voxel: 0 outside the mask, 1..count. */
  readonly labels: Int32Array;
  readonly count: number;
}

/** Splits a binary mask of touching convex particles into one label per particle. */
export function separateTouchingParticles(mask: ArrayLike<number>, shape: VolumeShape, options: SeparationOptions = {}): Instances {
  checkShape(shape, mask.length, "mask");
  const connectivity = options.connectivity ?? 26;
  const kind = options.markers ?? "h-maxima";
  const distance = distanceTransform(mask, shape, options.spacing === undefined ? {} : { spacing: options.spacing });
  const relief = options.smoothSigma !== undefined && options.smoothSigma > 0 ? gaussianSmooth(distance, shape, options.smoothSigma) : distance;
  let seeds: Markers;
  if (kind === "h-maxima") {
    seeds = hMaximaMarkers(relief, shape, options.h ?? 2, { mask, connectivity });
  } else if (kind === "local-maxima") {
    seeds = localMaximaMarkers(relief, shape, { mask, connectivity, minDistance: options.minDistance ?? 5, threshold: 0 });
  } else {
    throw new RangeError(`markers must be "h-maxima" or "local-maxima", got ${String(kind)}`);
  }
  for (let p = 0; p < relief.length; p++) relief[p] = -relief[p]!;
  const labels = watershed(relief, shape, seeds.markers, { mask, connectivity });
  const count = seeds.count + labelUnreached(labels, mask, shape, connectivity, seeds.count);
  const minVoxels = options.minVoxels ?? 0;
  if (minVoxels > 0) {
    const kept = removeSmallLabels(labels, minVoxels);
    return { labels: kept.labels, count: kept.count };
  }
  return { labels, count };
}

/**
 * Gives the mask voxels no flood reached (a particle whose only peak was suppressed by a
 * neighbour's, with "local-maxima" markers) one new label per connected patch, numbered from
 * first + 1; returns how many were added.
 */
function labelUnreached(labels: Int32Array, mask: ArrayLike<number>, shape: VolumeShape, connectivity: Connectivity, first: number): number {
  let any = false;
  const unreached = new Uint8Array(labels.length);
  for (let p = 0; p < labels.length; p++) {
    if (mask[p] !== 0 && labels[p] === 0) {
      unreached[p] = 1;
      any = true;
    }
  }
  if (!any) return 0;
  const patches = labelComponents(unreached, shape, { connectivity });
  for (let p = 0; p < labels.length; p++) if (patches.labels[p] !== 0) labels[p] = first + patches.labels[p]!;
  return patches.count;
}
