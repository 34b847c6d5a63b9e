/**
 * VGG Image Annotator (VIA) 2.x project export, "Annotation > Export Annotations (as json)"
 * (A. Dutta, A. Zisserman, "The VIA annotation software for images, audio and video",
 * ACM Multimedia 2019, doi:10.1145/3343031.3350535; https://www.robots.ox.ac.uk/~vgg/software/via/,
 * whose VIA 2 user guide is in the application under Help > Getting Started).
 *
 * The file is one object keyed by filename + file size in bytes (VIA's own image key, e.g.
 * "slice_0001.png20734"), each value `{ filename, size, regions: [...], file_attributes }`;
 * a polygon region is `{ shape_attributes: { name: "polygon", all_points_x, all_points_y },
 * region_attributes }` with the first vertex not repeated. Matterport Mask R-CNN's "balloon"
 * loader (and LIBNet's trainer, built on it) reads it as `list(json.load(f).values())`, takes
 * each `a['regions']` and rasterises `skimage.draw.polygon(all_points_y, all_points_x)`.
 * Pure module (no Node APIs).
 */
import type { Polygon } from "./outline.js";

export interface ViaPolygon {
  name: "polygon";
  all_points_x: number[];
  all_points_y: number[];
}

export interface ViaRegion {
  shape_attributes: ViaPolygon;
  region_attributes: Record<string, string>;
}

export interface ViaImage {
  filename: string;
  /** File size in bytes, part of VIA's key (-1 = unknown, as VIA records files added by URL). */
  size: number;
  regions: ViaRegion[];
  file_attributes: Record<string, string>;
}

/** A VIA polygon region from an outline (coordinates copied). */
export function viaPolygonRegion(polygon: Polygon, regionAttributes: Record<string, string> = {}): ViaRegion {
  return {
    shape_attributes: { name: "polygon", all_points_x: [...polygon.x], all_points_y: [...polygon.y] },
    region_attributes: { ...regionAttributes },
  };
}

function checkAttributes(attributes: unknown, field: string): void {
  if (!attributes || typeof attributes !== "object" || Array.isArray(attributes)) throw new RangeError(`${field} must be an object of strings`);
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value !== "string") throw new RangeError(`${field}.${key} must be a string, got ${JSON.stringify(value)}`);
  }
}

function checkRegion(region: ViaRegion, field: string): void {
  const shape = region?.shape_attributes;
  if (!shape || shape.name !== "polygon") throw new RangeError(`${field}.shape_attributes.name must be "polygon", got ${JSON.stringify(shape?.name)}`);
  const { all_points_x: xs, all_points_y: ys } = shape;
  if (!Array.isArray(xs) || !Array.isArray(ys) || xs.length !== ys.length) {
    throw new RangeError(`${field}: all_points_x and all_points_y must be arrays of equal length, got ${xs?.length} and ${ys?.length}`);
  }
  if (xs.length < 3) throw new RangeError(`${field}: a polygon needs at least 3 vertices, got ${xs.length}`);
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) throw new RangeError(`${field}: vertex ${i} (${xs[i]}, ${ys[i]}) is not finite`);
  }
  checkAttributes(region.region_attributes, `${field}.region_attributes`);
}

/** A key JavaScript would order before all others (an array index), losing the given order. */
function isArrayIndex(key: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/**
 * The export object, keyed filename + size, in the order given (objects keep string-key
 * insertion order, and JSON.stringify writes it). Throws RangeError on a duplicate key, a
 * purely numeric key (which JavaScript would move to the front) or a malformed region.
 */
export function viaExport(images: ViaImage[]): Record<string, ViaImage> {
  if (!Array.isArray(images)) throw new RangeError(`images must be an array, got ${typeof images}`);
  const out: Record<string, ViaImage> = {};
  images.forEach((image, k) => {
    const field = `images[${k}]`;
    if (typeof image?.filename !== "string" || image.filename.length === 0) {
      throw new RangeError(`${field}.filename must be a non-empty string, got ${JSON.stringify(image?.filename)}`);
    }
    if (!Number.isSafeInteger(image.size) || image.size < -1) {
      throw new RangeError(`${field}.size must be the file size in bytes (integer >= 0, or -1 for unknown as VIA uses for URLs), got ${image.size}`);
    }
    if (!Array.isArray(image.regions)) throw new RangeError(`${field}.regions must be an array`);
    image.regions.forEach((r, i) => checkRegion(r, `${field}.regions[${i}]`));
    checkAttributes(image.file_attributes, `${field}.file_attributes`);
    const key = image.filename + String(image.size);
    if (isArrayIndex(key)) throw new RangeError(`${field}: VIA key "${key}" is a number, which JavaScript objects reorder; give the file an extension`);
    if (Object.prototype.hasOwnProperty.call(out, key)) throw new RangeError(`${field}: VIA key "${key}" (filename + size) is used twice`);
    out[key] = image;
  });
  return out;
}
