/**
 * Global grey-level thresholds by Otsu's method and its multi-level form.
 *
 * Otsu (N. Otsu, "A threshold selection method from gray-level histograms", IEEE Trans.
 * Syst. Man Cybern. 9 (1979) 62, doi:10.1109/TSMC.1979.4310076) picks the thresholds that
 * maximise the between-class variance of the histogram,
 *     sigma_B^2 = sum_k w_k (mu_k - mu_T)^2 = sum_k S_k^2 / P_k - mu_T^2,
 * where class k holds bins u..v, P_k = sum p_i (its weight) and S_k = sum i p_i (its first
 * moment). Since mu_T is fixed, the best tuple maximises sum_k H(u, v) with H = S^2 / P,
 * the lookup-table form of P.-S. Liao, T.-S. Chen, P.-C. Chung, "A fast algorithm for
 * multilevel thresholding", J. Inf. Sci. Eng. 17 (2001) 713. The sum separates over
 * consecutive classes, so dynamic programming over (class, last bin) finds the exact
 * maximum in O(classes * bins^2) instead of O(bins^(classes-1)) for the exhaustive search.
 *
 * The histogram spans the data's min..max in `bins` equal bins; NaN (and +-Infinity) values
 * are ignored. A threshold is returned as the upper edge of the last bin of its lower class
 * (moved to the middle of the run of empty bins there, if any, see centredInGap), so
 * `applyThresholds` puts value v in class #{t : v > t}. Among exactly tied maxima the DP
 * keeps the lowest bins (first maximum, as numpy's argmax and scikit-image).
 */

/** A histogram of the finite values over [min, max]. */
export interface Histogram {
  readonly counts: Float64Array;
  readonly min: number;
  readonly max: number;
  readonly binWidth: number;
  /** Number of finite values counted. */
  readonly total: number;
}

export function histogram(values: ArrayLike<number>, bins = 256): Histogram {
  if (!Number.isInteger(bins) || bins < 2) throw new RangeError(`histogram bins must be an integer >= 2, got ${bins}`);
  let min = Infinity;
  let max = -Infinity;
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v < min && v !== -Infinity) min = v;
    if (v > max && v !== Infinity) max = v;
  }
  if (min > max) throw new RangeError(`cannot threshold: none of the ${n} values is a finite number`);
  const counts = new Float64Array(bins);
  const binWidth = (max - min) / bins;
  let total = 0;
  if (binWidth === 0) {
    for (let i = 0; i < n; i++) if (Number.isFinite(values[i]!)) total++;
    counts[0] = total;
  } else {
    const scale = 1 / binWidth;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      let b = Math.floor((v - min) * scale);
      if (b >= bins) b = bins - 1;
      counts[b]! += 1;
      total++;
    }
  }
  return { counts, min, max, binWidth, total };
}

/** The value of the upper edge of bin `b`: where a threshold after that bin sits. */
function binUpperEdge(h: Histogram, b: number): number {
  return b === h.counts.length - 1 ? h.max : h.min + (b + 1) * h.binWidth;
}

/** Otsu's threshold: values <= t form the lower class. */
export function otsuThreshold(values: ArrayLike<number>, bins = 256): number {
  return multiOtsuThresholds(values, 2, bins)[0]!;
}

/**
 * Thresholds t_1 < ... < t_{classes-1} that split the values into `classes` classes with the
 * largest between-class variance. With all values equal, every threshold is that value.
 */
export function multiOtsuThresholds(values: ArrayLike<number>, classes: number, bins = 256): number[] {
  if (!Number.isInteger(classes) || classes < 2 || classes > 255) {
    throw new RangeError(`multi-Otsu needs an integer number of classes in 2..255, got ${classes}`);
  }
  if (bins < classes) throw new RangeError(`multi-Otsu into ${classes} classes needs at least ${classes} bins, got ${bins}`);
  const h = histogram(values, bins);
  if (h.binWidth === 0) return new Array<number>(classes - 1).fill(h.min);
  return multiOtsuBins(h.counts, classes).map((b) => centredInGap(h, b));
}

/**
 * A threshold after bin b can slide across the empty bins around that edge without changing
 * any class, so every such position maximises the variance equally; like MATLAB's graythresh,
 * which averages tied maxima, take the middle of the empty gap (between the last occupied bin
 * <= b and the first occupied bin > b) rather than its lower end.
 */
function centredInGap(h: Histogram, b: number): number {
  const counts = h.counts;
  let lo = b;
  while (lo > 0 && counts[lo] === 0) lo--;
  let hi = b + 1;
  while (hi < counts.length - 1 && counts[hi] === 0) hi++;
  if (lo === b && hi === b + 1) return binUpperEdge(h, b);
  // Edges lo + 1 .. hi (in bin units) all separate the same classes.
  return h.min + ((lo + 1 + hi) / 2) * h.binWidth;
}

/**
 * The last bin of each lower class (classes - 1 bin indices, increasing) maximising
 * sum_k S_k^2 / P_k over the histogram `counts`; each class gets at least one bin.
 */
export function multiOtsuBins(counts: ArrayLike<number>, classes: number): number[] {
  const L = counts.length;
  if (classes < 2 || classes > L) throw new RangeError(`multi-Otsu into ${classes} classes needs 2..${L} classes for ${L} bins`);
  // Cumulative weight and first moment; bins are weighted by their index + 1/2 (the bin
  // centre in bin units), an affine map of the grey level that leaves the argmax unchanged.
  const P = new Float64Array(L + 1);
  const S = new Float64Array(L + 1);
  for (let i = 0; i < L; i++) {
    P[i + 1] = P[i]! + counts[i]!;
    S[i + 1] = S[i]! + (i + 0.5) * counts[i]!;
  }
  // best[v] after class k: the largest sum of H over classes 0..k when class k ends at bin v.
  let best = new Float64Array(L);
  let next = new Float64Array(L);
  const argLast = new Int32Array((classes - 1) * L); // argLast[(k-1)*L + v]: last bin of class k-1
  for (let v = 0; v < L; v++) best[v] = classTerm(P, S, 0, v);
  for (let k = 1; k < classes; k++) {
    const vFirst = k;
    const vLast = k === classes - 1 ? L - 1 : L - (classes - k);
    next.fill(-Infinity);
    for (let v = vFirst; v <= vLast; v++) {
      let bestValue = -Infinity;
      let bestU = -1;
      // Class k spans u+1..v; class k-1 ends at u.
      for (let u = k - 1; u < v; u++) {
        const value = best[u]! + classTerm(P, S, u + 1, v);
        if (value > bestValue) {
          bestValue = value;
          bestU = u;
        }
      }
      next[v] = bestValue;
      argLast[(k - 1) * L + v] = bestU;
    }
    const swap = best;
    best = next;
    next = swap;
  }
  const lastBins = new Array<number>(classes - 1);
  let v = L - 1;
  for (let k = classes - 1; k >= 1; k--) {
    v = argLast[(k - 1) * L + v]!;
    lastBins[k - 1] = v;
  }
  return lastBins;
}

/** H(u, v) = S^2 / P for the class of bins u..v; an empty class contributes nothing. */
function classTerm(P: Float64Array, S: Float64Array, u: number, v: number): number {
  const w = P[v + 1]! - P[u]!;
  if (w <= 0) return 0;
  const s = S[v + 1]! - S[u]!;
  return (s * s) / w;
}

/**
 * Class map of `values`: class c holds the values in (t_c, t_{c+1}], i.e. the class of v is
 * the number of thresholds below it. NaN goes to class 0. Thresholds must be ascending.
 */
export function applyThresholds(values: ArrayLike<number>, thresholds: readonly number[]): Uint8Array {
  if (thresholds.length > 255) throw new RangeError(`at most 255 thresholds (256 classes) fit a Uint8Array class map, got ${thresholds.length}`);
  for (let c = 0; c < thresholds.length; c++) {
    if (Number.isNaN(thresholds[c]!)) throw new RangeError(`threshold ${c} is NaN; expected a number`);
    if (c > 0 && thresholds[c]! < thresholds[c - 1]!) {
      throw new RangeError(`thresholds must be ascending, got ${thresholds[c - 1]} then ${thresholds[c]}`);
    }
  }
  const t = Float64Array.from(thresholds);
  const m = t.length;
  const n = values.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    let c = 0;
    while (c < m && v > t[c]!) c++;
    out[i] = c;
  }
  return out;
}
