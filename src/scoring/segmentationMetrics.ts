/**
 * Voxel-wise scores of a phase segmentation (one class label per voxel) against the ground
 * truth: confusion matrix, per-class Dice (L. R. Dice, Ecology 26 (1945) 297,
 * doi:10.2307/1932409) and intersection over union (Jaccard index, P. Jaccard, Bull. Soc.
 * Vaudoise Sci. Nat. 37 (1901) 547, doi:10.5169/seals-266450), accuracy, volume fractions.
 *
 * With TP, FP, FN the class's true positives, false positives and false negatives:
 *   Dice = 2 TP / (2 TP + FP + FN),  IoU = TP / (TP + FP + FN),  Dice = 2 IoU / (1 + IoU).
 * A class absent from both truth and prediction has 0/0: reported as NaN (undefined), not 1.
 *
 * Pure module.
 */

/** Confusion counts: counts[t * nClasses + p] = voxels of true class t predicted as p (sklearn's layout). */
export interface ConfusionMatrix {
  readonly nClasses: number;
  readonly counts: Float64Array;
}

function checkClasses(nClasses: number): void {
  if (!(Number.isInteger(nClasses) && nClasses >= 1 && nClasses <= 256)) {
    throw new RangeError(`nClasses must be an integer in 1..256 for Uint8Array labels, got ${nClasses}`);
  }
}

/** Confusion matrix of two class-label volumes of equal length (labels 0 .. nClasses-1). */
export function confusionMatrix(truth: Uint8Array, predicted: Uint8Array, nClasses: number): ConfusionMatrix {
  checkClasses(nClasses);
  if (truth.length !== predicted.length) {
    throw new RangeError(`confusionMatrix: truth holds ${truth.length} voxels and prediction ${predicted.length}, expected equal lengths`);
  }
  // Count into a 256x256 table first so the loop needs no bounds test, then check and fold.
  const full = new Float64Array(256 * 256);
  for (let i = 0; i < truth.length; i++) full[(truth[i]! << 8) | predicted[i]!]!++;
  const counts = new Float64Array(nClasses * nClasses);
  for (let t = 0; t < 256; t++) {
    for (let p = 0; p < 256; p++) {
      const c = full[(t << 8) | p]!;
      if (c === 0) continue;
      if (t >= nClasses || p >= nClasses) {
        throw new RangeError(`confusionMatrix: found label ${t >= nClasses ? `${t} in truth` : `${p} in prediction`}, expected labels 0..${nClasses - 1}`);
      }
      counts[t * nClasses + p] = c;
    }
  }
  return { nClasses, counts };
}

function total(cm: ConfusionMatrix): number {
  let s = 0;
  for (let i = 0; i < cm.counts.length; i++) s += cm.counts[i]!;
  return s;
}

/** Per class: [TP, FP, FN]. */
function classCounts(cm: ConfusionMatrix, c: number): [number, number, number] {
  const n = cm.nClasses;
  const tp = cm.counts[c * n + c]!;
  let row = 0, col = 0;
  for (let k = 0; k < n; k++) {
    row += cm.counts[c * n + k]!;
    col += cm.counts[k * n + c]!;
  }
  return [tp, col - tp, row - tp];
}

/** Dice coefficient per class (NaN for a class in neither volume). */
export function diceScores(cm: ConfusionMatrix): Float64Array {
  const out = new Float64Array(cm.nClasses);
  for (let c = 0; c < cm.nClasses; c++) {
    const [tp, fp, fn] = classCounts(cm, c);
    out[c] = 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : NaN;
  }
  return out;
}

/** Intersection over union (Jaccard index) per class (NaN for a class in neither volume). */
export function iouScores(cm: ConfusionMatrix): Float64Array {
  const out = new Float64Array(cm.nClasses);
  for (let c = 0; c < cm.nClasses; c++) {
    const [tp, fp, fn] = classCounts(cm, c);
    out[c] = tp + fp + fn > 0 ? tp / (tp + fp + fn) : NaN;
  }
  return out;
}

/** Fraction of voxels labelled correctly: trace / total. */
export function accuracy(cm: ConfusionMatrix): number {
  let trace = 0;
  for (let c = 0; c < cm.nClasses; c++) trace += cm.counts[c * cm.nClasses + c]!;
  const n = total(cm);
  if (n === 0) throw new RangeError("accuracy: the confusion matrix is empty, expected at least one voxel");
  return trace / n;
}

/** Volume fraction of each class in the truth (row sums) and in the prediction (column sums). */
export function volumeFractions(cm: ConfusionMatrix): { truth: Float64Array; predicted: Float64Array } {
  const n = cm.nClasses;
  const N = total(cm);
  if (N === 0) throw new RangeError("volumeFractions: the confusion matrix is empty, expected at least one voxel");
  const truth = new Float64Array(n);
  const predicted = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    for (let p = 0; p < n; p++) {
      const c = cm.counts[t * n + p]!;
      truth[t]! += c;
      predicted[p]! += c;
    }
  }
  // Divide the integer counts once, so fractions are exactly rounded.
  for (let c = 0; c < n; c++) {
    truth[c]! /= N;
    predicted[c]! /= N;
  }
  return { truth, predicted };
}

/** Volume fraction of each label 0 .. nClasses-1 in one label volume. */
export function labelFractions(labels: Uint8Array, nClasses: number): Float64Array {
  checkClasses(nClasses);
  if (labels.length === 0) throw new RangeError("labelFractions: the label volume is empty");
  const counts = new Float64Array(256);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++;
  for (let c = nClasses; c < 256; c++) {
    if (counts[c]! > 0) throw new RangeError(`labelFractions: found label ${c}, expected labels 0..${nClasses - 1}`);
  }
  const out = new Float64Array(nClasses);
  for (let c = 0; c < nClasses; c++) out[c] = counts[c]! / labels.length;
  return out;
}

/** Signed error of the pore volume fraction (porosity), predicted - true, for class `poreClass`. */
export function porosityError(cm: ConfusionMatrix, poreClass: number): number {
  if (!(Number.isInteger(poreClass) && poreClass >= 0 && poreClass < cm.nClasses)) {
    throw new RangeError(`porosityError: pore class ${poreClass} is not a label 0..${cm.nClasses - 1}`);
  }
  const f = volumeFractions(cm);
  return f.predicted[poreClass]! - f.truth[poreClass]!;
}

/** Confusion counts as nested rows (truth) of columns (prediction), for JSON reports. */
export function confusionRows(cm: ConfusionMatrix): number[][] {
  const rows: number[][] = [];
  for (let t = 0; t < cm.nClasses; t++) rows.push(Array.from(cm.counts.subarray(t * cm.nClasses, (t + 1) * cm.nClasses)));
  return rows;
}

/** Per-class values keyed by class name: classNames[c] names label c. */
export function byClassName(values: ArrayLike<number>, classNames: readonly string[]): Record<string, number> {
  if (classNames.length !== values.length) {
    throw new RangeError(`byClassName: ${classNames.length} class names for ${values.length} classes, expected one name per class`);
  }
  const out: Record<string, number> = {};
  const seen = new Set<string>();
  for (let c = 0; c < values.length; c++) {
    const name = classNames[c]!;
    if (seen.has(name)) throw new RangeError(`byClassName: class name "${name}" appears twice, expected unique names`);
    seen.add(name);
    out[name] = values[c]!;
  }
  return out;
}
