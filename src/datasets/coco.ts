/**
 * COCO "Object Detection" annotation documents (https://cocodataset.org/#format-data):
 * `{ info, licenses, images, annotations, categories }`, one annotation per object instance
 * with its segmentation mask, area and bounding box.
 *
 * Instance masks are written as uncompressed RLE (`{ size: [h, w], counts: [...] }`, see
 * rle.ts) with `iscrowd: 0`. The format page uses RLE for crowds and polygons for single
 * objects, but its loaders read either for any annotation: pycocotools' `COCO.annToRLE`
 * converts a `counts` list with `frPyObjects` whatever `iscrowd` says, and Detectron2 and
 * MMDetection take a dict segmentation as RLE. RLE is exact where a polygon is not (holes,
 * one-pixel necks), and `iscrowd: 0` keeps every particle a separate instance in training and
 * in COCOeval (crowd ground truth would be matched many-to-one and ignored).
 *
 * `cocoDocument` validates what loaders silently trip over: ids are positive integers
 * (COCOeval stores matched ground-truth ids in a zero-initialised array, so an annotation id
 * of 0 reads as "unmatched"; category 0 is the background class of most trainers), unique per
 * table, every annotation's image and category exist, its mask size is its image's size and
 * its bbox lies inside the image. Pure module (no Node APIs).
 */
import type { InstanceRegion } from "./instances.js";
import { checkRle, type CocoRle } from "./rle.js";

export interface CocoInfo {
  year: number;
  version: string;
  description: string;
  contributor: string;
  url: string;
  /** ISO 8601 date-time; passed in by the caller so documents are reproducible. */
  date_created: string;
}

export interface CocoLicense {
  id: number;
  name: string;
  url: string;
}

export interface CocoImage {
  id: number;
  file_name: string;
  width: number;
  height: number;
  /** Optional COCO fields (license, date_captured, ...) and dataset-specific ones. */
  [extra: string]: unknown;
}

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  segmentation: CocoRle;
  area: number;
  /** [x, y, width, height], pixel-corner convention (x = min column, width = max - min + 1). */
  bbox: [number, number, number, number];
  iscrowd: 0;
}

export interface CocoCategory {
  id: number;
  name: string;
  supercategory: string;
}

export interface CocoDocument {
  info: CocoInfo;
  licenses: CocoLicense[];
  images: CocoImage[];
  annotations: CocoAnnotation[];
  categories: CocoCategory[];
}

export interface CocoParts {
  info: CocoInfo;
  licenses?: CocoLicense[];
  images: CocoImage[];
  annotations: CocoAnnotation[];
  categories: CocoCategory[];
}

function checkId(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${field} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function checkText(value: unknown, field: string, allowEmpty: boolean): void {
  if (typeof value !== "string" || (!allowEmpty && value.length === 0)) {
    throw new RangeError(`${field} must be a ${allowEmpty ? "" : "non-empty "}string, got ${JSON.stringify(value)}`);
  }
}

/** Ids of a table, checked positive and unique; returns id -> row. */
function indexById<T extends { id: number }>(rows: T[], table: string): Map<number, T> {
  if (!Array.isArray(rows)) throw new RangeError(`${table} must be an array, got ${typeof rows}`);
  const byId = new Map<number, T>();
  rows.forEach((row, k) => {
    const id = checkId(row?.id, `${table}[${k}].id`);
    if (byId.has(id)) throw new RangeError(`${table}[${k}].id ${id} is used twice`);
    byId.set(id, row);
  });
  return byId;
}

/** A validated COCO document; the arrays are copied (shallowly), in the order given. */
export function cocoDocument(parts: CocoParts): CocoDocument {
  const { info } = parts;
  if (!info || typeof info !== "object") throw new RangeError(`info must be an object, got ${JSON.stringify(info)}`);
  if (!Number.isSafeInteger(info.year)) throw new RangeError(`info.year must be an integer, got ${info.year}`);
  for (const key of ["version", "description", "contributor", "url", "date_created"] as const) checkText(info[key], `info.${key}`, true);

  const licenses = parts.licenses ?? [];
  const licenseById = indexById(licenses, "licenses");
  licenses.forEach((l, k) => {
    checkText(l.name, `licenses[${k}].name`, false);
    checkText(l.url, `licenses[${k}].url`, true);
  });

  const categoryById = indexById(parts.categories, "categories");
  const categoryNames = new Set<string>();
  parts.categories.forEach((c, k) => {
    checkText(c.name, `categories[${k}].name`, false);
    checkText(c.supercategory, `categories[${k}].supercategory`, true);
    if (categoryNames.has(c.name)) throw new RangeError(`categories[${k}].name "${c.name}" is used twice`);
    categoryNames.add(c.name);
  });

  const imageById = indexById(parts.images, "images");
  const fileNames = new Set<string>();
  parts.images.forEach((im, k) => {
    checkText(im.file_name, `images[${k}].file_name`, false);
    if (fileNames.has(im.file_name)) throw new RangeError(`images[${k}].file_name "${im.file_name}" is used twice`);
    fileNames.add(im.file_name);
    for (const key of ["width", "height"] as const) {
      if (!Number.isSafeInteger(im[key]) || im[key] < 1) throw new RangeError(`images[${k}].${key} must be a positive integer, got ${im[key]}`);
    }
    if (im["license"] !== undefined && !licenseById.has(im["license"] as number)) {
      throw new RangeError(`images[${k}].license ${JSON.stringify(im["license"])} is not a license id`);
    }
  });

  indexById(parts.annotations, "annotations");
  parts.annotations.forEach((a, k) => {
    const field = `annotations[${k}]`;
    const image = imageById.get(checkId(a.image_id, `${field}.image_id`));
    if (!image) throw new RangeError(`${field}.image_id ${a.image_id} is not an image id`);
    if (!categoryById.has(checkId(a.category_id, `${field}.category_id`))) {
      throw new RangeError(`${field}.category_id ${a.category_id} is not a category id`);
    }
    if (a.iscrowd !== 0) throw new RangeError(`${field}.iscrowd must be 0, got ${JSON.stringify(a.iscrowd)}`);
    checkRle(a.segmentation);
    const [h, w] = a.segmentation.size;
    if (h !== image.height || w !== image.width) {
      throw new RangeError(`${field}.segmentation.size [${h}, ${w}] is not image ${image.id}'s [height, width] [${image.height}, ${image.width}]`);
    }
    if (!(Number.isFinite(a.area) && a.area > 0)) throw new RangeError(`${field}.area must be a positive number, got ${a.area}`);
    const b = a.bbox;
    const inside = Array.isArray(b) && b.length === 4 && b.every(Number.isFinite) && b[0] >= 0 && b[1] >= 0 && b[2] > 0 && b[3] > 0 &&
      b[0] + b[2] <= image.width && b[1] + b[3] <= image.height;
    if (!inside) throw new RangeError(`${field}.bbox must be [x, y, w, h] with w, h > 0 inside image ${image.id} (${image.width}x${image.height}), got ${JSON.stringify(b)}`);
  });

  return {
    info: { ...info },
    licenses: [...licenses],
    images: [...parts.images],
    annotations: [...parts.annotations],
    categories: [...parts.categories],
  };
}

/** One annotation per region, ids firstAnnotationId, firstAnnotationId + 1, ... in region order. */
export function cocoAnnotationsFor(imageId: number, firstAnnotationId: number, regions: InstanceRegion[], categoryId: number): CocoAnnotation[] {
  checkId(imageId, "imageId");
  checkId(firstAnnotationId, "firstAnnotationId");
  checkId(categoryId, "categoryId");
  return regions.map((r, k) => ({
    id: firstAnnotationId + k,
    image_id: imageId,
    category_id: categoryId,
    segmentation: r.rle,
    area: r.area,
    bbox: [r.bbox[0], r.bbox[1], r.bbox[2], r.bbox[3]],
    iscrowd: 0,
  }));
}
