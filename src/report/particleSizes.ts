/**
 * Figure 3 of the report: the number-weighted histogram of particle sizes, as
 * equivalent-sphere diameters d = (6 V / pi)^(1/3) of the instances (V = voxels x s^3;
 * src/scoring/distributions.ts), in um, for the true instances and the segmented ones on
 * shared bins so the two can be compared bar by bar.
 *
 * Bins: from 0 to the largest diameter in steps of a "nice" width (1, 2 or 5 x 10^k) giving
 * about sqrt(N) bins (between 5 and 40) for the larger series.
 */
import { equivalentDiameters } from "../scoring/distributions.js";
import type { HistogramSeries, ParticleSizeFigure } from "./figureTypes.js";

/** The smallest of 1, 2, 5 x 10^k that is at least `x` (> 0). */
export function niceStep(x: number): number {
  if (!(x > 0 && Number.isFinite(x))) throw new RangeError(`bin width must be a positive number, got ${x}`);
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x * (1 - 1e-12)) return m * p;
  return 10 * p;
}

/** Counts of `values` in the bins [edges[i], edges[i+1]) (the last bin closed). */
export function histogram(values: ArrayLike<number>, edges: readonly number[]): number[] {
  if (edges.length < 2) throw new RangeError(`a histogram needs at least 2 bin edges, got ${edges.length}`);
  const n = edges.length - 1;
  const counts = new Array<number>(n).fill(0);
  const lo = edges[0]!;
  const width = (edges[n]! - lo) / n;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= lo && v <= edges[n]!)) continue;
    counts[Math.min(n - 1, Math.floor((v - lo) / width))]!++;
  }
  return counts;
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

export interface InstanceVolume {
  readonly name: string;
  /** Instance id per voxel, 0 = none. */
  readonly instances: Int32Array;
  readonly voxelSizeM: number;
}

/** Equivalent diameters (um) of every instance of each volume, histogrammed on shared bins. */
export function particleSizeFigure(volumes: readonly InstanceVolume[]): ParticleSizeFigure | null {
  const diameters = volumes.map((v) => {
    const d = equivalentDiameters(v.instances, v.voxelSizeM).diametersM;
    const um = new Float64Array(d.length);
    for (let i = 0; i < d.length; i++) um[i] = d[i]! * 1e6;
    return um.sort();
  });
  let max = 0;
  let most = 0;
  for (const d of diameters) {
    if (d.length > 0) max = Math.max(max, d[d.length - 1]!);
    most = Math.max(most, d.length);
  }
  if (most === 0) return null;
  const bins = Math.min(40, Math.max(5, Math.round(Math.sqrt(most))));
  const step = niceStep(max / bins);
  const n = Math.max(1, Math.ceil(max / step - 1e-9));
  const edgesUm = Array.from({ length: n + 1 }, (_, i) => i * step);
  const series: HistogramSeries[] = volumes.map((v, k) => {
    const d = diameters[k]!;
    let sum = 0;
    for (const x of d) sum += x;
    return {
      name: v.name,
      counts: histogram(d, edgesUm),
      particles: d.length,
      meanUm: d.length > 0 ? sum / d.length : 0,
      medianUm: d.length > 0 ? median(d) : 0,
    };
  });
  return { status: "ok", edgesUm, series };
}
