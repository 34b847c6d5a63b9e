/**
 * Instance-segmentation scores (particles, pores): predicted instances are matched to true
 * instances by intersection over union (IoU) of their voxel sets.
 *
 * Overlaps come from one pass over the voxels into a sparse table of (true, predicted) label
 * pairs, so the cost is O(voxels + overlapping pairs), not O(nTrue * nPred * voxels).
 *
 * - precision, recall, F1 at IoU >= 0.5: greedy one-to-one matching, pairs taken by
 *   descending IoU (or, when scores are given, detections in descending score order, each
 *   taking its best still-unmatched true instance, as pycocotools does). Above IoU 0.5 a
 *   true instance can overlap at most one disjoint prediction that well, so the two orders
 *   agree there; the order only matters for ties at exactly 0.5.
 * - AP: COCO's average precision, T.-Y. Lin et al., "Microsoft COCO: common objects in
 *   context", ECCV 2014, arXiv:1405.0312, as computed by pycocotools (COCOeval.evaluateImg and
 *   accumulate): detections ranked by descending score (stable, so ties keep ascending label
 *   order), each matched at IoU >= t to the best unmatched true instance; precision made
 *   monotone from the right; sampled at the 101 recalls 0, 0.01, ..., 1 (first rank whose
 *   recall reaches each, 0 beyond the last); averaged over t = 0.50, 0.55, ..., 0.95.
 *   AP50 and AP75 are the values at t = 0.5 and 0.75. Without scores, detections are ranked
 *   by size (voxel count), largest first: a segmentation has no confidence, and large
 *   instances are the most reliable. Unlike pycocotools' default there is no cap of 100
 *   detections (an electrode holds thousands of particles) and no area ranges.
 *
 * Labels: Int32Array, 0 = background, instances are the positive labels present.
 * Pure module.
 */

export interface InstanceOverlap {
  /** Labels of the true instances present, ascending. */
  readonly trueLabels: Int32Array;
  /** Voxel count of each true instance. */
  readonly trueSizes: Float64Array;
  /** Labels of the predicted instances present, ascending. */
  readonly predLabels: Int32Array;
  readonly predSizes: Float64Array;
  /** Overlapping pairs: indices into trueLabels / predLabels, intersection voxels and IoU. */
  readonly pairTrue: Int32Array;
  readonly pairPred: Int32Array;
  readonly pairIntersection: Float64Array;
  readonly pairIou: Float64Array;
}

/** Largest label we index with a dense count array; beyond it labels must be compacted. */
const MAX_DENSE_LABEL = 1 << 26;

function maxLabel(labels: Int32Array, what: string): number {
  let m = 0;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (v > m) m = v;
    else if (v < 0) throw new RangeError(`${what} holds the negative label ${v} at voxel ${i}, expected 0 (background) or positive instance labels`);
  }
  if (m > Math.max(MAX_DENSE_LABEL, labels.length)) {
    throw new RangeError(`${what} holds label ${m}, larger than both ${MAX_DENSE_LABEL} and the voxel count: relabel instances consecutively`);
  }
  return m;
}

function present(sizes: Float64Array): { labels: Int32Array; counts: Float64Array; index: Int32Array } {
  let n = 0;
  for (let l = 1; l < sizes.length; l++) if (sizes[l]! > 0) n++;
  const labels = new Int32Array(n);
  const counts = new Float64Array(n);
  const index = new Int32Array(sizes.length).fill(-1);
  let j = 0;
  for (let l = 1; l < sizes.length; l++) {
    if (sizes[l]! > 0) {
      labels[j] = l;
      counts[j] = sizes[l]!;
      index[l] = j++;
    }
  }
  return { labels, counts, index };
}

/** Labels present (ascending) and their voxel counts. */
export function instanceSizes(labels: Int32Array): { labels: Int32Array; sizes: Float64Array } {
  const m = maxLabel(labels, "instance labels");
  const counts = new Float64Array(m + 1);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++;
  const P = present(counts);
  return { labels: P.labels, sizes: P.counts };
}

/** Sizes of all instances and the IoU of every overlapping (true, predicted) pair. */
export function instanceOverlaps(truth: Int32Array, predicted: Int32Array): InstanceOverlap {
  if (truth.length !== predicted.length) {
    throw new RangeError(`instanceOverlaps: truth holds ${truth.length} voxels and prediction ${predicted.length}, expected equal lengths`);
  }
  const mt = maxLabel(truth, "true instance labels");
  const mp = maxLabel(predicted, "predicted instance labels");
  const tSize = new Float64Array(mt + 1);
  const pSize = new Float64Array(mp + 1);
  const overlap = new Map<number, number>();
  const stride = mp + 1;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    tSize[t]!++;
    pSize[p]!++;
    if (t !== 0 && p !== 0) {
      const key = t * stride + p;
      overlap.set(key, (overlap.get(key) ?? 0) + 1);
    }
  }
  const T = present(tSize);
  const P = present(pSize);
  const n = overlap.size;
  const pairTrue = new Int32Array(n);
  const pairPred = new Int32Array(n);
  const pairIntersection = new Float64Array(n);
  const pairIou = new Float64Array(n);
  let j = 0;
  for (const [key, inter] of overlap) {
    const t = Math.floor(key / stride);
    const p = key - t * stride;
    const ti = T.index[t]!;
    const pi = P.index[p]!;
    pairTrue[j] = ti;
    pairPred[j] = pi;
    pairIntersection[j] = inter;
    pairIou[j] = inter / (T.counts[ti]! + P.counts[pi]! - inter);
    j++;
  }
  return { trueLabels: T.labels, trueSizes: T.counts, predLabels: P.labels, predSizes: P.counts, pairTrue, pairPred, pairIntersection, pairIou };
}

/** Overlapping pairs grouped by predicted instance (CSR): pairs of prediction p are start[p] .. start[p+1]-1. */
function pairsByPrediction(o: InstanceOverlap): { start: Int32Array; pair: Int32Array } {
  const nP = o.predLabels.length;
  const start = new Int32Array(nP + 1);
  for (let k = 0; k < o.pairPred.length; k++) start[o.pairPred[k]! + 1]!++;
  for (let p = 0; p < nP; p++) start[p + 1]! += start[p]!;
  const fill = start.slice(0, nP);
  const pair = new Int32Array(o.pairPred.length);
  for (let k = 0; k < o.pairPred.length; k++) pair[fill[o.pairPred[k]!]!++] = k;
  return { start, pair };
}

/**
 * Detection order: by descending score (scores[label] for each predicted label) when scores
 * are given, else by descending size; ties keep ascending label order (stable sort).
 */
export function detectionOrder(o: InstanceOverlap, scores?: ArrayLike<number>): Int32Array {
  const nP = o.predLabels.length;
  const key = new Float64Array(nP);
  for (let p = 0; p < nP; p++) {
    const label = o.predLabels[p]!;
    if (scores) {
      const s = scores[label];
      if (s === undefined || !Number.isFinite(s)) throw new RangeError(`detection scores: no finite score for predicted label ${label} (scores are indexed by label)`);
      key[p] = s;
    } else {
      key[p] = o.predSizes[p]!;
    }
  }
  const order = Array.from({ length: nP }, (_, p) => p);
  order.sort((a, b) => key[b]! - key[a]!);
  return Int32Array.from(order);
}

/**
 * pycocotools' matching at one IoU threshold: detections in `order`, each taking the
 * unmatched true instance of highest IoU >= threshold. Writes the matched true index (or -1)
 * per detection into `matchOf`.
 */
function matchInOrder(o: InstanceOverlap, csr: { start: Int32Array; pair: Int32Array }, order: Int32Array, threshold: number,
  trueTaken: Uint8Array, matchOf: Int32Array): void {
  trueTaken.fill(0);
  // pycocotools compares against min(t, 1 - 1e-10) so that a perfect match passes t = 1.
  const thr = Math.min(threshold, 1 - 1e-10);
  for (let r = 0; r < order.length; r++) {
    const p = order[r]!;
    let best = -1;
    let bestIou = thr;
    for (let q = csr.start[p]!; q < csr.start[p + 1]!; q++) {
      const k = csr.pair[q]!;
      const t = o.pairTrue[k]!;
      if (trueTaken[t]) continue;
      if (o.pairIou[k]! < bestIou) continue;
      bestIou = o.pairIou[k]!;
      best = t;
    }
    matchOf[p] = best;
    if (best >= 0) trueTaken[best] = 1;
  }
}

export interface InstanceMatch {
  /** Index into trueLabels and predLabels of each matched pair, and its IoU. */
  readonly trueIndex: Int32Array;
  readonly predIndex: Int32Array;
  readonly iou: Float64Array;
}

/**
 * Greedy one-to-one matching at IoU >= threshold: by descending IoU over all overlapping
 * pairs, or in descending score order (pycocotools) when scores are given.
 */
export function matchInstances(o: InstanceOverlap, threshold = 0.5, scores?: ArrayLike<number>): InstanceMatch {
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`matchInstances: IoU threshold must be in (0, 1], got ${threshold}`);
  const nT = o.trueLabels.length;
  const nP = o.predLabels.length;
  const t: number[] = [];
  const p: number[] = [];
  const v: number[] = [];
  if (scores) {
    const matchOf = new Int32Array(nP);
    matchInOrder(o, pairsByPrediction(o), detectionOrder(o, scores), threshold, new Uint8Array(nT), matchOf);
    for (let d = 0; d < nP; d++) {
      if (matchOf[d]! < 0) continue;
      t.push(matchOf[d]!);
      p.push(d);
      v.push(0);
    }
    // Fill in each match's IoU from the pair table.
    const where = new Map<number, number>();
    for (let k = 0; k < o.pairTrue.length; k++) where.set(o.pairTrue[k]! * nP + o.pairPred[k]!, o.pairIou[k]!);
    for (let m = 0; m < t.length; m++) v[m] = where.get(t[m]! * nP + p[m]!)!;
  } else {
    const thr = Math.min(threshold, 1 - 1e-10);
    const ranked = Array.from({ length: o.pairIou.length }, (_, k) => k).filter((k) => o.pairIou[k]! >= thr);
    ranked.sort((a, b) => o.pairIou[b]! - o.pairIou[a]!);
    const tTaken = new Uint8Array(nT);
    const pTaken = new Uint8Array(nP);
    for (const k of ranked) {
      const ti = o.pairTrue[k]!;
      const pi = o.pairPred[k]!;
      if (tTaken[ti] || pTaken[pi]) continue;
      tTaken[ti] = 1;
      pTaken[pi] = 1;
      t.push(ti);
      p.push(pi);
      v.push(o.pairIou[k]!);
    }
  }
  return { trueIndex: Int32Array.from(t), predIndex: Int32Array.from(p), iou: Float64Array.from(v) };
}

/** COCO IoU thresholds 0.50:0.05:0.95, computed like numpy.linspace(0.5, 0.95, 10) (bit-identical). */
export const COCO_IOU_THRESHOLDS: readonly number[] = Array.from({ length: 10 }, (_, i) => i * ((0.95 - 0.5) / 9) + 0.5);
/** COCO recall sampling points 0:0.01:1, numpy.linspace(0, 1, 101). */
const RECALL_POINTS = Float64Array.from({ length: 101 }, (_, i) => i * (1 / 100));
/** numpy.spacing(1), pycocotools' guard against 0/0 in precision. */
const EPS = 2.220446049250313e-16;

/** COCO average precision at one IoU threshold (101-point interpolation); NaN with no true instance. */
export function averagePrecisionAt(o: InstanceOverlap, threshold: number, order: Int32Array): number {
  const nT = o.trueLabels.length;
  const nP = o.predLabels.length;
  if (nT === 0) return NaN;
  if (nP === 0) return 0;
  const matchOf = new Int32Array(nP);
  matchInOrder(o, pairsByPrediction(o), order, threshold, new Uint8Array(nT), matchOf);
  return apFromMatches(order, matchOf, nT);
}

function apFromMatches(order: Int32Array, matchOf: Int32Array, nT: number): number {
  const nd = order.length;
  const rc = new Float64Array(nd);
  const pr = new Float64Array(nd);
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < nd; r++) {
    if (matchOf[order[r]!]! >= 0) tp++;
    else fp++;
    rc[r] = tp / nT;
    pr[r] = tp / (tp + fp + EPS);
  }
  for (let r = nd - 1; r > 0; r--) if (pr[r]! > pr[r - 1]!) pr[r - 1] = pr[r]!;
  let sum = 0;
  let r = 0;
  for (let i = 0; i < RECALL_POINTS.length; i++) {
    // numpy.searchsorted(rc, point, side="left"): first rank with rc >= point (rc is non-decreasing).
    while (r < nd && rc[r]! < RECALL_POINTS[i]!) r++;
    if (r < nd) sum += pr[r]!;
  }
  return sum / RECALL_POINTS.length;
}

export interface InstanceScores {
  /** matched / nPred at IoU >= 0.5 (NaN with no prediction). */
  readonly precision: number;
  /** matched / nTrue at IoU >= 0.5 (NaN with no true instance). */
  readonly recall: number;
  /** 2 matched / (nTrue + nPred), the harmonic mean of precision and recall. */
  readonly f1: number;
  /** COCO AP, mean over IoU 0.50:0.05:0.95. */
  readonly ap: number;
  readonly ap50: number;
  readonly ap75: number;
  /** Matched pairs at IoU >= 0.5. */
  readonly matched: number;
  readonly nTrue: number;
  readonly nPred: number;
  /** Mean IoU of the matched pairs (NaN with none). */
  readonly meanMatchedIou: number;
}

/**
 * Precision, recall, F1 (IoU >= 0.5) and COCO AP of predicted instances against true ones.
 * `scores[label]` ranks the predictions for AP; without it they are ranked by size.
 */
export function scoreInstances(truth: Int32Array, predicted: Int32Array, scores?: ArrayLike<number>): InstanceScores {
  const o = instanceOverlaps(truth, predicted);
  const nTrue = o.trueLabels.length;
  const nPred = o.predLabels.length;
  const m = matchInstances(o, 0.5, scores);
  const matched = m.iou.length;
  let iouSum = 0;
  for (let k = 0; k < matched; k++) iouSum += m.iou[k]!;

  const order = detectionOrder(o, scores);
  const csr = pairsByPrediction(o);
  const matchOf = new Int32Array(nPred);
  const taken = new Uint8Array(nTrue);
  const apAt = new Float64Array(COCO_IOU_THRESHOLDS.length);
  for (let i = 0; i < COCO_IOU_THRESHOLDS.length; i++) {
    if (nTrue === 0) apAt[i] = NaN;
    else if (nPred === 0) apAt[i] = 0;
    else {
      matchInOrder(o, csr, order, COCO_IOU_THRESHOLDS[i]!, taken, matchOf);
      apAt[i] = apFromMatches(order, matchOf, nTrue);
    }
  }
  let ap = 0;
  for (let i = 0; i < apAt.length; i++) ap += apAt[i]!;
  ap /= apAt.length;
  return {
    precision: nPred > 0 ? matched / nPred : NaN,
    recall: nTrue > 0 ? matched / nTrue : NaN,
    f1: nTrue + nPred > 0 ? (2 * matched) / (nTrue + nPred) : NaN,
    ap,
    ap50: apAt[0]!,
    ap75: apAt[5]!,
    matched,
    nTrue,
    nPred,
    meanMatchedIou: matched > 0 ? iouSum / matched : NaN,
  };
}
