/**
 * One-call scoring of a simulated pipeline's outputs against its ground truth: the
 * reconstruction against the true attenuation volume, and a segmentation (phases, optionally
 * instances) against the true labels. See docs/scoring.md for every definition.
 *
 * Pure module.
 */
import { dataRangeOf, rmse, ssim, type RealArray, type SsimOptions, type VolumeShape } from "./imageMetrics.js";
import { scoreInstances, type InstanceScores } from "./instanceMetrics.js";
import { particleSizeDistributionError, type SizeDistributionError } from "./distributions.js";
import { accuracy, byClassName, confusionMatrix, confusionRows, diceScores, iouScores, volumeFractions } from "./segmentationMetrics.js";

export interface ReconstructionScoreOptions {
  /** Data range L for PSNR and SSIM; default max - min of the true volume. */
  readonly dataRange?: number;
  /** Restrict RMSE, PSNR and the mean error to these voxels (non-zero = inside); SSIM uses the whole volume. */
  readonly mask?: Uint8Array;
  /** SSIM settings (mode "2d" slice-wise by default, Wang's Gaussian window). */
  readonly ssim?: Omit<SsimOptions, "dataRange">;
}

export interface ReconstructionScores {
  /** Root-mean-square error, in the volumes' unit (1/m for attenuation). */
  readonly rmse: number;
  /** 20 log10(L / RMSE), dB. */
  readonly psnr: number;
  /** Mean SSIM. */
  readonly ssim: number;
  /** Mean of recon - truth (bias), in the volumes' unit. */
  readonly meanError: number;
  /** The data range L used. */
  readonly dataRange: number;
}

/** RMSE, PSNR, SSIM and bias of a reconstruction against the true attenuation volume. */
export function scoreReconstruction(recon: RealArray, truthMu: RealArray, shape: VolumeShape, opts: ReconstructionScoreOptions = {}): ReconstructionScores {
  const L = opts.dataRange ?? dataRangeOf(truthMu);
  if (!(L > 0 && Number.isFinite(L))) throw new RangeError(`scoreReconstruction: data range must be positive, got ${L} (constant truth: pass dataRange)`);
  const e = rmse(recon, truthMu, opts.mask);
  let bias = 0;
  let n = 0;
  for (let i = 0; i < recon.length; i++) {
    if (opts.mask && opts.mask[i] === 0) continue;
    bias += recon[i]! - truthMu[i]!;
    n++;
  }
  return {
    rmse: e,
    psnr: e === 0 ? Infinity : 20 * Math.log10(L / e),
    ssim: ssim(recon, truthMu, shape, { ...opts.ssim, dataRange: L }),
    meanError: bias / n,
    dataRange: L,
  };
}

export interface SegmentationScores {
  /** Dice per class name. */
  readonly dice: Record<string, number>;
  /** IoU per class name. */
  readonly iou: Record<string, number>;
  /** Fraction of voxels with the right class. */
  readonly accuracy: number;
  /** Confusion counts, rows = true class, columns = predicted class, in classNames order. */
  readonly confusion: number[][];
  /** Predicted - true volume fraction per class name (for the pore class: the porosity error). */
  readonly volumeFractionError: Record<string, number>;
  /** Instance scores, when both instance volumes are given. */
  readonly instances?: InstanceScores;
  /** Particle-size distribution comparison, when both instance volumes are given. */
  readonly sizeDistribution?: SizeDistributionError;
}

/**
 * Phase scores of `predClasses` against `truthLabels` (class c named classNames[c]) and,
 * with both instance volumes, instance scores and the particle-size distribution error
 * (`voxelSizeM` is needed for the latter, in metres).
 */
export function scoreSegmentation(predClasses: Uint8Array, truthLabels: Uint8Array, classNames: readonly string[],
  predInstances?: Int32Array, trueInstances?: Int32Array, voxelSizeM?: number): SegmentationScores {
  if (classNames.length === 0) throw new RangeError("scoreSegmentation: no class names, expected one per class label");
  if ((predInstances === undefined) !== (trueInstances === undefined)) {
    throw new RangeError("scoreSegmentation: give both predicted and true instance labels, or neither");
  }
  const cm = confusionMatrix(truthLabels, predClasses, classNames.length);
  const f = volumeFractions(cm);
  const fractionError = new Float64Array(cm.nClasses);
  for (let c = 0; c < cm.nClasses; c++) fractionError[c] = f.predicted[c]! - f.truth[c]!;
  const base = {
    dice: byClassName(diceScores(cm), classNames),
    iou: byClassName(iouScores(cm), classNames),
    accuracy: accuracy(cm),
    confusion: confusionRows(cm),
    volumeFractionError: byClassName(fractionError, classNames),
  };
  if (!predInstances || !trueInstances) return base;
  const instances = scoreInstances(trueInstances, predInstances);
  if (voxelSizeM === undefined || instances.nTrue === 0 || instances.nPred === 0) return { ...base, instances };
  return { ...base, instances, sizeDistribution: particleSizeDistributionError(trueInstances, predInstances, voxelSizeM) };
}
