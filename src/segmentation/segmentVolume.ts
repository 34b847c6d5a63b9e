/**
 * Segmentation of a reconstructed volume into phases and particles, the path from a CT
 * reconstruction to the labels scored against the phantom's ground truth:
 *   1. multi-Otsu thresholds split the grey values into `classes` phases, class 0 the lowest
 *      (pore), the highest the densest (e.g. NMC active material) - otsu.ts;
 *   2. optionally, patches of any phase smaller than `minPatchVoxels` join the phase around
 *      them - cleanup.ts;
 *   3. optionally, the voxels of one phase are split into particle instances: small objects
 *      removed, holes filled, an opening, then distance transform -> h-maxima -> watershed -
 *      labelling.ts, morphology.ts, watershed.ts.
 */
import { absorbSmallPatches } from "./cleanup.js";
import { fillHoles, removeSmallObjects } from "./labelling.js";
import { binaryOpen } from "./morphology.js";
import { applyThresholds, multiOtsuThresholds } from "./otsu.js";
import { checkShape, type VolumeShape } from "./shape.js";
import { separateTouchingParticles, type SeparationOptions } from "./watershed.js";

export interface InstanceOptions extends SeparationOptions {
  /** The class (0..classes-1) whose voxels are split into particles. */
  readonly phase: number;
  /** Objects of the phase smaller than this are dropped before the split, and instances after it (default 0). */
  readonly minVoxels?: number;
  /** Fill enclosed cavities of the phase mask first (default false), e.g. cracks inside particles. */
  readonly fillHoles?: boolean;
  /** Radius (voxels) of a ball opening of the phase mask first (default 0: none); cuts thin bridges. */
  readonly openingRadius?: number;
}

export interface SegmentOptions {
  /** Number of phases, 2..255. */
  readonly classes: number;
  /** Histogram bins for the thresholds (default 256). */
  readonly bins?: number;
  /** Patches of any class with fewer voxels join the surrounding class (default 0: off). */
  readonly minPatchVoxels?: number;
  /** Split one phase into particle instances. */
  readonly instances?: InstanceOptions;
}

export interface Segmentation {
  /** Class of each voxel, 0..classes-1 (NaN voxels are class 0). */
  readonly classMap: Uint8Array;
  /** The classes - 1 ascending thresholds: class c holds values in (t[c-1], t[c]]. */
  readonly thresholds: number[];
  /** Instance label of each voxel, 0 outside the phase, when options.instances is given. */
  readonly instances?: Int32Array;
  readonly instanceCount: number;
}

export function segmentVolume(values: ArrayLike<number>, shape: VolumeShape, options: SegmentOptions): Segmentation {
  const n = checkShape(shape, values.length, "volume");
  const thresholds = multiOtsuThresholds(values, options.classes, options.bins ?? 256);
  let classMap = applyThresholds(values, thresholds);
  if (options.minPatchVoxels !== undefined && options.minPatchVoxels > 0) {
    classMap = absorbSmallPatches(classMap, shape, options.minPatchVoxels);
  }
  const inst = options.instances;
  if (inst === undefined) return { classMap, thresholds, instanceCount: 0 };
  if (!Number.isInteger(inst.phase) || inst.phase < 0 || inst.phase >= options.classes) {
    throw new RangeError(`instances.phase must be a class index in 0..${options.classes - 1}, got ${inst.phase}`);
  }
  let mask: Uint8Array = new Uint8Array(n);
  for (let p = 0; p < n; p++) mask[p] = classMap[p] === inst.phase ? 1 : 0;
  const minVoxels = inst.minVoxels ?? 0;
  if (minVoxels > 0) mask = removeSmallObjects(mask, shape, minVoxels, { connectivity: inst.connectivity ?? 26 });
  if (inst.fillHoles === true) mask = fillHoles(mask, shape);
  if (inst.openingRadius !== undefined && inst.openingRadius > 0) mask = binaryOpen(mask, shape, inst.openingRadius);
  const { labels, count } = separateTouchingParticles(mask, shape, inst);
  return { classMap, thresholds, instances: labels, instanceCount: count };
}
