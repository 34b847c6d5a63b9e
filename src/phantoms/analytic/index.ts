/**
 * Analytic objects: the scenario-facing specs (a discriminated union on `type`) and the
 * factory dispatching a spec to its object. Units: metres and radians; centres relative
 * to the volume centre, which is the origin.
 */
import type { AnalyticObject } from "./types.js";
import type { ThinFeatures } from "./thin.js";
import { createBox, type BoxParams } from "./box.js";
import { createCylinder, type CylinderParams } from "./cylinder.js";
import { createEllipsoid, type EllipsoidParams } from "./ellipsoid.js";
import { createHalfplane, type HalfplaneParams } from "./halfplane.js";
import { createSheppLogan, type SheppLoganParams } from "./sheppLogan.js";
import { createSiemensStar, type SiemensStarParams } from "./siemensStar.js";
import { createSphere, type SphereParams } from "./sphere.js";

export * from "./types.js";
export type { Bounds } from "./intersect.js";
export type { ThinFeatures } from "./thin.js";
export { thinBoundsOf } from "./thin.js";
export { createBox, createCylinder, createEllipsoid, createHalfplane, createSheppLogan, createSiemensStar, createSphere };
export type { BoxParams, CylinderParams, EllipsoidParams, HalfplaneParams, SheppLoganParams, SiemensStarParams, SphereParams };
export { SHEPP_LOGAN_3D, type SheppLoganEllipsoid } from "./sheppLoganData.js";

export interface SphereSpec extends SphereParams { readonly type: "sphere" }
export interface EllipsoidSpec extends EllipsoidParams { readonly type: "ellipsoid" }
export interface CylinderSpec extends CylinderParams { readonly type: "cylinder" }
export interface BoxSpec extends BoxParams { readonly type: "box" }
export interface HalfplaneSpec extends HalfplaneParams { readonly type: "halfplane" }
export interface SheppLoganSpec extends SheppLoganParams { readonly type: "shepp-logan" }
export interface SiemensStarSpec extends SiemensStarParams { readonly type: "siemens-star" }

export type AnalyticObjectSpec =
  | SphereSpec
  | EllipsoidSpec
  | CylinderSpec
  | BoxSpec
  | HalfplaneSpec
  | SheppLoganSpec
  | SiemensStarSpec;

export type AnalyticObjectType = AnalyticObjectSpec["type"];

export const ANALYTIC_OBJECT_TYPES: readonly AnalyticObjectType[] = [
  "sphere", "ellipsoid", "cylinder", "box", "halfplane", "shepp-logan", "siemens-star",
];

/** Build the object a spec describes; throws RangeError on an unknown type or bad parameters. */
export function createAnalyticObject(spec: AnalyticObjectSpec): AnalyticObject & ThinFeatures {
  switch (spec.type) {
    case "sphere": return createSphere(spec);
    case "ellipsoid": return createEllipsoid(spec);
    case "cylinder": return createCylinder(spec);
    case "box": return createBox(spec);
    case "halfplane": return createHalfplane(spec);
    case "shepp-logan": return createSheppLogan(spec);
    case "siemens-star": return createSiemensStar(spec);
    default: {
      const unknown: { type?: unknown } = spec;
      throw new RangeError(
        `unknown analytic object type ${JSON.stringify(unknown.type)}; expected one of ${ANALYTIC_OBJECT_TYPES.join(", ")}`,
      );
    }
  }
}
