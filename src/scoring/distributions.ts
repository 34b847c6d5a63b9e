/**
 * Distances between distributions of a particle property, for scoring a segmentation's
 * particle-size distribution against the ground truth.
 *
 * The 1-D Wasserstein-1 (earth mover's) distance between empirical distributions with CDFs
 * F_A, F_B is W1 = integral |F_A(x) - F_B(x)| dx (S. S. Vallender, Theory Probab. Appl. 18
 * (1974) 784, doi:10.1137/1118101); this is scipy.stats.wasserstein_distance without weights.
 * It has the samples' unit (here metres): shifting every sample by c moves W1 by |c|.
 *
 * The equivalent diameter of an instance of V voxels of edge s is that of the sphere of equal
 * volume: d = (6 V s^3 / pi)^(1/3).
 *
 * Pure module.
 */
import { instanceSizes } from "./instanceMetrics.js";

function sortedCopy(x: ArrayLike<number>, what: string): Float64Array {
  if (x.length === 0) throw new RangeError(`wasserstein1: ${what} is empty, expected at least one sample`);
  const s = Float64Array.from(x);
  for (let i = 0; i < s.length; i++) {
    if (!Number.isFinite(s[i]!)) throw new RangeError(`wasserstein1: ${what}[${i}] = ${s[i]}, expected finite samples`);
  }
  return s.sort();
}

/** Wasserstein-1 distance between the empirical distributions of two sample sets. */
export function wasserstein1(samplesA: ArrayLike<number>, samplesB: ArrayLike<number>): number {
  const a = sortedCopy(samplesA, "samplesA");
  const b = sortedCopy(samplesB, "samplesB");
  const n = a.length;
  const m = b.length;
  // Walk the merged sorted values; between consecutive values x and next both CDFs are
  // constant at i/n and j/m (samples <= x).
  let i = 0;
  let j = 0;
  let x = Math.min(a[0]!, b[0]!);
  while (i < n && a[i]! <= x) i++;
  while (j < m && b[j]! <= x) j++;
  let w = 0;
  while (i < n || j < m) {
    const next = Math.min(i < n ? a[i]! : Infinity, j < m ? b[j]! : Infinity);
    w += Math.abs(i / n - j / m) * (next - x);
    x = next;
    while (i < n && a[i]! <= x) i++;
    while (j < m && b[j]! <= x) j++;
  }
  return w;
}

/** Equivalent-sphere diameter (m) of each instance (positive label), in ascending label order. */
export function equivalentDiameters(labels: Int32Array, voxelSizeM: number): { labels: Int32Array; diametersM: Float64Array } {
  if (!(voxelSizeM > 0 && Number.isFinite(voxelSizeM))) throw new RangeError(`equivalentDiameters: voxel size must be a positive length in m, got ${voxelSizeM}`);
  const { labels: ids, sizes } = instanceSizes(labels);
  const voxelVolume = voxelSizeM ** 3;
  const diametersM = new Float64Array(ids.length);
  for (let k = 0; k < ids.length; k++) diametersM[k] = Math.cbrt((6 * sizes[k]! * voxelVolume) / Math.PI);
  return { labels: ids, diametersM };
}

export interface SizeDistributionError {
  /** W1 between the true and predicted equivalent-diameter distributions (m). */
  readonly wasserstein1M: number;
  /** Mean equivalent diameter of the true instances (m). */
  readonly meanDiameterTrue: number;
  /** Mean equivalent diameter of the predicted instances (m). */
  readonly meanDiameterPred: number;
}

function mean(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

/** Compare the equivalent-diameter distributions of true and predicted instances (number-weighted). */
export function particleSizeDistributionError(trueLabels: Int32Array, predLabels: Int32Array, voxelSizeM: number): SizeDistributionError {
  const t = equivalentDiameters(trueLabels, voxelSizeM).diametersM;
  const p = equivalentDiameters(predLabels, voxelSizeM).diametersM;
  if (t.length === 0 || p.length === 0) {
    throw new RangeError(`particleSizeDistributionError: ${t.length} true and ${p.length} predicted instances, expected at least one of each`);
  }
  return { wasserstein1M: wasserstein1(t, p), meanDiameterTrue: mean(t), meanDiameterPred: mean(p) };
}
