/**
 * Analytic objects: exact shapes that voxelise with partial volumes and give their exact
 * line integrals, so that the projector and reconstructions can be tested against truth.
 */
import type { Vec3 } from "../../core/grid.js";

/** A ray: points origin + t * direction, t in metres when direction is a unit vector. */
export interface Ray {
  readonly origin: Vec3;
  /** Unit vector. */
  readonly direction: Vec3;
}

/** Returned by `AnalyticObject.valueAt` for a point outside the object's support. */
export const OUTSIDE = -1;

export interface AnalyticObject {
  /** Scenario type name: "sphere", "cylinder", ... */
  readonly type: string;
  /** Material name as given in the scenario (resolved by the materials layer). */
  readonly material: string;
  /**
   * Volume fraction of `material` at a point (m), in [0, 1], where the object is present;
   * OUTSIDE (-1) where it is not. For a solid object this is 1 inside. For Shepp-Logan it is
   * the phantom's value (the rest of the point is the scene background). Where an object is
   * present it overwrites objects listed before it.
   */
  valueAt(x: number, y: number, z: number): number;
  /**
   * Append to `out` every parameter t at which the ray crosses a boundary of the object
   * (where valueAt may change along the ray), in any order. Between two consecutive
   * crossings valueAt is constant along the ray: that makes exact line integrals possible.
   */
  crossings(ray: Ray, out: number[]): void;
  /** Axis-aligned bounding box (m); may be infinite (halfplane). */
  readonly bounds: { readonly min: Vec3; readonly max: Vec3 };
}
