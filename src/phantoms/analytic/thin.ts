/**
 * Thin-feature hints for voxelisation.
 *
 * The voxeliser decides which voxels to supersample from the material at the voxel
 * corners. A feature thinner than the corner spacing can sit between corners and vanish,
 * so the voxeliser also supersamples every voxel touching a region an object reports as
 * thin. This is an optional extension of AnalyticObject (the contract in types.ts is
 * unchanged): objects built here implement it; for any other object the voxeliser falls
 * back to `defaultThinBounds`, which treats the whole bounding box as thin when its
 * smallest extent is below the width.
 */
import type { AnalyticObject } from "./types.js";
import type { Bounds } from "./intersect.js";

export interface ThinFeatures {
  /**
   * Axis-aligned boxes (m) covering every part of the object that has a feature (a wall,
   * a spoke, a small inclusion) thinner than `widthM`; empty when there is none.
   */
  thinBounds(widthM: number): Bounds[];
}

export function hasThinFeatures(o: AnalyticObject): o is AnalyticObject & ThinFeatures {
  return typeof (o as Partial<ThinFeatures>).thinBounds === "function";
}

/** The whole bounding box if its smallest (finite) extent is below widthM. */
export function defaultThinBounds(o: AnalyticObject, widthM: number): Bounds[] {
  const { min, max } = o.bounds;
  const smallest = Math.min(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
  return smallest < widthM ? [o.bounds] : [];
}

export function thinBoundsOf(o: AnalyticObject, widthM: number): Bounds[] {
  return hasThinFeatures(o) ? o.thinBounds(widthM) : defaultThinBounds(o, widthM);
}
