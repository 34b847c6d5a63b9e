/**
 * Which true material each segmented class stands for. A threshold segmentation numbers its
 * classes by grey value (class 0 the least attenuating), the ground truth by material
 * index, so the two must be put in correspondence before Dice or IoU mean anything.
 *
 * - Same number of classes: by attenuation order. True class c gets the mean true mu of its
 *   voxels; the k-th least attenuating segmented class is the k-th least attenuating true
 *   class. This uses only physics the user knows (which material absorbs more), never the
 *   overlap being scored, so it cannot flatter a poor segmentation.
 * - Different numbers: each segmented class is the true class it overlaps most (majority
 *   vote), the usual fallback for unsupervised segmentations; optimistic, and reported as
 *   such (`method`).
 *
 * Pure module.
 */

export interface ClassMapping {
  /** mapping[k] = true class of segmented class k. */
  readonly mapping: Int32Array;
  readonly method: "attenuation-order" | "majority-overlap";
  /** Mean true attenuation (1/m) of each true class (NaN for a class with no voxel). */
  readonly truthMeanMu: Float64Array;
}

/**
 * Map segmented classes (0..predClasses-1) onto true labels (0..truthClasses-1), see the
 * module comment. `truthMu` may be null when unknown; then majority overlap is used.
 */
export function mapClasses(
  predicted: ArrayLike<number>,
  predClasses: number,
  truthLabels: ArrayLike<number>,
  truthClasses: number,
  truthMu: ArrayLike<number> | null,
): ClassMapping {
  if (predicted.length !== truthLabels.length) throw new RangeError(`segmentation has ${predicted.length} voxels, truth ${truthLabels.length}`);
  for (const [k, v] of [["segmented", predClasses], ["true", truthClasses]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 256) throw new RangeError(`number of ${k} classes must be 1..256, got ${v}`);
  }
  const muSum = new Float64Array(truthClasses);
  const count = new Float64Array(truthClasses);
  const overlap = new Float64Array(predClasses * truthClasses);
  for (let i = 0; i < predicted.length; i++) {
    const t = truthLabels[i]!;
    const p = predicted[i]!;
    if (t >= truthClasses || p >= predClasses) {
      throw new RangeError(`voxel ${i}: class ${p} of ${predClasses} segmented or label ${t} of ${truthClasses} true classes out of range`);
    }
    count[t]! += 1;
    if (truthMu !== null) muSum[t]! += truthMu[i]!;
    overlap[p * truthClasses + t]! += 1;
  }
  const truthMeanMu = Float64Array.from(muSum, (s, c) => (count[c]! > 0 && truthMu !== null ? s / count[c]! : Number.NaN));
  const mapping = new Int32Array(predClasses);
  if (truthMu !== null && predClasses === truthClasses) {
    // Classes without voxels sort last (they cannot be found by thresholds anyway).
    const order = Array.from({ length: truthClasses }, (_, c) => c).sort((a, b) => {
      const ma = truthMeanMu[a]!, mb = truthMeanMu[b]!;
      if (Number.isNaN(ma) !== Number.isNaN(mb)) return Number.isNaN(ma) ? 1 : -1;
      return ma - mb || a - b;
    });
    for (let k = 0; k < predClasses; k++) mapping[k] = order[k]!;
    return { mapping, method: "attenuation-order", truthMeanMu };
  }
  for (let p = 0; p < predClasses; p++) {
    let best = 0;
    for (let t = 1; t < truthClasses; t++) if (overlap[p * truthClasses + t]! > overlap[p * truthClasses + best]!) best = t;
    mapping[p] = best;
  }
  return { mapping, method: "majority-overlap", truthMeanMu };
}

/** The segmentation relabelled into true class indices. */
export function applyClassMapping(predicted: ArrayLike<number>, mapping: Int32Array): Uint8Array {
  const out = new Uint8Array(predicted.length);
  for (let i = 0; i < predicted.length; i++) out[i] = mapping[predicted[i]!]!;
  return out;
}
