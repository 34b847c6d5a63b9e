/**
 * Dose statistics of a volume, overall and per material class.
 *
 * Definitions (all over the SAMPLE voxels: those of mass > 0 when `massKg` is given, every
 * voxel otherwise):
 * - maxGy: the largest voxel dose.
 * - meanGy: mass-weighted mean, sum(m D) / sum(m) = energy deposited / sample mass, the
 *   "average absorbed dose" of ICRU 85 for the sample as a whole. Without masses it is the
 *   plain mean.
 * - plainMeanGy: the arithmetic mean over voxels (each voxel counts once, whatever its mass).
 * - p95Gy: 95th percentile of the voxel doses, linear interpolation between order
 *   statistics (rank (n - 1) 0.95, numpy's default "linear" method), from a sorted copy.
 * A voxel belongs to its majority class (labels[v]); partial-volume voxels are not split.
 * A class with no sample voxels reports voxels 0 and zeros.
 *
 * Memory: one Float32Array of the sample's voxel count (reused for the overall and the
 * per-class sorts). Pure module.
 */
import type { LabelledVolume } from "../phantoms/scene.js";

export interface DoseStatistics {
  readonly maxGy: number;
  /** Mass-weighted when masses are known, else the plain mean. */
  readonly meanGy: number;
  readonly plainMeanGy: number;
  readonly p95Gy: number;
  /** Voxels counted. */
  readonly voxels: number;
}

export interface DoseSummary extends DoseStatistics {
  /** Whether meanGy is mass-weighted (masses given) or plain. */
  readonly massWeighted: boolean;
  readonly byClass: Record<string, DoseStatistics>;
}

/** Linear-interpolated percentile q (0..1) of an ascending array. */
export function sortedPercentile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const r = (n - 1) * q;
  const lo = Math.floor(r);
  const hi = Math.min(n - 1, lo + 1);
  const t = r - lo;
  return sorted[lo]! + t * (sorted[hi]! - sorted[lo]!);
}

export function summarizeDose(doseGy: Float32Array, volume: LabelledVolume, massKg?: Float32Array): DoseSummary {
  const n = doseGy.length;
  const { labels, classNames } = volume;
  if (labels.length !== n) throw new RangeError(`dose has ${n} voxels but the labelled volume ${labels.length}; they must match`);
  if (massKg !== undefined && massKg.length !== n) throw new RangeError(`mass has ${massKg.length} voxels, the dose ${n}; they must match`);
  const classes = classNames.length;
  const count = new Float64Array(classes);
  const sumD = new Float64Array(classes);
  const sumMD = new Float64Array(classes);
  const sumM = new Float64Array(classes);
  const maxD = new Float64Array(classes);
  let total = 0;
  let maxAll = 0;
  for (let v = 0; v < n; v++) {
    const m = massKg === undefined ? 1 : massKg[v]!;
    if (!(m > 0)) continue;
    const k = labels[v]!;
    if (k >= classes) throw new RangeError(`voxel ${v} has label ${k} but the volume has only ${classes} classes`);
    const d = doseGy[v]!;
    count[k]++;
    sumD[k] += d;
    sumMD[k] += m * d;
    sumM[k] += m;
    if (d > maxD[k]! || count[k] === 1) maxD[k] = d;
    if (d > maxAll || total === 0) maxAll = d;
    total++;
  }
  // Class k's values go to buf[start[k] .. start[k + 1]).
  const start = new Int32Array(classes + 1);
  for (let k = 0; k < classes; k++) start[k + 1] = start[k]! + count[k]!;
  const buf = new Float32Array(total);
  let w = 0;
  for (let v = 0; v < n; v++) {
    if (massKg !== undefined && !(massKg[v]! > 0)) continue;
    buf[w++] = doseGy[v]!;
  }
  buf.sort();
  const p95All = sortedPercentile(buf, 0.95);
  const fill = start.slice(0, classes);
  for (let v = 0; v < n; v++) {
    if (massKg !== undefined && !(massKg[v]! > 0)) continue;
    buf[fill[labels[v]!]!++] = doseGy[v]!;
  }
  const byClass: Record<string, DoseStatistics> = {};
  let aD = 0, aMD = 0, aM = 0;
  for (let k = 0; k < classes; k++) {
    const c = count[k]!;
    const part = buf.subarray(start[k]!, start[k + 1]!).sort();
    aD += sumD[k]!; aMD += sumMD[k]!; aM += sumM[k]!;
    byClass[classNames[k]!] = c === 0
      ? { maxGy: 0, meanGy: 0, plainMeanGy: 0, p95Gy: 0, voxels: 0 }
      : { maxGy: maxD[k]!, meanGy: sumMD[k]! / sumM[k]!, plainMeanGy: sumD[k]! / c, p95Gy: sortedPercentile(part, 0.95), voxels: c };
  }
  return {
    maxGy: maxAll,
    meanGy: aM > 0 ? aMD / aM : 0,
    plainMeanGy: total > 0 ? aD / total : 0,
    p95Gy: p95All,
    voxels: total,
    massWeighted: massKg !== undefined,
    byClass,
  };
}

