/**
 * Binary erosion, dilation, opening and closing by a Euclidean ball, through the exact
 * distance transform.
 *
 * With B the digital ball {d : |d| <= r} (voxel centres within r), the dilation of X by B is
 * {x : dist(x, X) <= r} and the erosion is {x : dist(x, background) > r}, so one exact
 * distance transform (distanceTransform.ts) gives either for any radius at the same cost:
 * no structuring element is ever scanned (the equivalence is the classic one of morphology
 * by distance thresholding, e.g. J. Serra, "Image Analysis and Mathematical Morphology",
 * Academic Press 1982; P. Soille, "Morphological Image Analysis", 2nd ed., Springer 2003,
 * Section 3.5). Opening = erosion then dilation, closing = dilation then erosion.
 *
 * Outside the volume counts as neither phase: erosion does not eat in from the volume's
 * faces (as scikit-image, where the border is treated as foreground for erosion) and
 * dilation does not grow in from them. Opening is then anti-extensive and closing extensive.
 * Masks are read as foreground = non-zero; results are 0/1 Uint8Arrays.
 */
import { squaredDistanceTransform, type DistanceOptions } from "./distanceTransform.js";
import type { VolumeShape } from "./shape.js";

export interface BallOptions {
  /** Voxel spacing as in DistanceOptions; the radius is in the same unit (default voxels). */
  readonly spacing?: DistanceOptions["spacing"];
}

export function binaryErode(mask: ArrayLike<number>, shape: VolumeShape, radius: number, options: BallOptions = {}): Uint8Array {
  const r2 = radiusSquared(radius);
  const d2 = squaredDistanceTransform(mask, shape, { ...options, to: "background" });
  const out = new Uint8Array(d2.length);
  for (let p = 0; p < d2.length; p++) out[p] = d2[p]! > r2 ? 1 : 0;
  return out;
}

export function binaryDilate(mask: ArrayLike<number>, shape: VolumeShape, radius: number, options: BallOptions = {}): Uint8Array {
  const r2 = radiusSquared(radius);
  const d2 = squaredDistanceTransform(mask, shape, { ...options, to: "foreground" });
  const out = new Uint8Array(d2.length);
  for (let p = 0; p < d2.length; p++) out[p] = d2[p]! <= r2 ? 1 : 0;
  return out;
}

/** Erosion then dilation: removes the parts of the mask that no ball of `radius` fits in. */
export function binaryOpen(mask: ArrayLike<number>, shape: VolumeShape, radius: number, options: BallOptions = {}): Uint8Array {
  return binaryDilate(binaryErode(mask, shape, radius, options), shape, radius, options);
}

/** Dilation then erosion: fills the gaps and dents that a ball of `radius` cannot enter. */
export function binaryClose(mask: ArrayLike<number>, shape: VolumeShape, radius: number, options: BallOptions = {}): Uint8Array {
  return binaryErode(binaryDilate(mask, shape, radius, options), shape, radius, options);
}

/**
 * r^2 with a relative margin so that a voxel at exactly distance r (e.g. r = 3 along an axis,
 * or r = sqrt(2) written as 1.4142135623730951) is inside the ball despite rounding.
 */
function radiusSquared(radius: number): number {
  if (!(radius >= 0 && Number.isFinite(radius))) throw new RangeError(`ball radius must be a non-negative finite number, got ${radius}`);
  return radius * radius * (1 + 1e-12);
}
