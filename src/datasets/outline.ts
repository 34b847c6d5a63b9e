/**
 * Outer boundary polygon of one instance in a 2-D label image, for polygon annotation formats
 * (VGG Image Annotator, COCO polygons).
 *
 * Convention: pixel (row r, column c) is the unit square [c - 0.5, c + 0.5] x [r - 0.5, r + 0.5],
 * its centre at (c, r). The polygon runs along pixel edges, so its vertices sit at
 * half-integer coordinates and no pixel centre lies on it: a point-in-polygon test at pixel
 * centres (skimage.draw.polygon, the even-odd rule) fills exactly the pixels the polygon
 * encloses, and the enclosed area (shoelace) equals that pixel count.
 *
 * What is traced: the largest 4-connected component C of `labels == id` (ties: the one whose
 * first pixel comes first in raster order) with its holes filled. A hole is a set of pixels
 * not in C that cannot reach the image exterior by 8-connected steps through pixels not in C
 * (4-connected foreground pairs with 8-connected background, A. Rosenfeld, "Digital
 * topology", Amer. Math. Monthly 86 (1979) 621, doi:10.2307/2321290); holes may contain other
 * labels. The boundary of C-plus-holes against the exterior is then one closed edge path.
 *
 * Tracing is a crack (inter-pixel edge) following walk with the region on the right-hand side:
 * at each lattice vertex, with the two pixels ahead called left and right, turn right if the
 * right one is outside, else turn left if the left one is inside, else go straight. Preferring
 * the right turn keeps diagonal-only contacts apart (the 4-connected reading of the region),
 * so where the region touches itself at a corner the polygon passes the same vertex twice
 * (a pinch) instead of crossing. Only vertices where the direction changes are kept (no
 * collinear vertices) and the first vertex is not repeated at the end.
 *
 * Orientation: the walk starts at the top-left corner of the region's first raster pixel going
 * +x, so the polygon is clockwise as displayed with the y axis pointing down, i.e. its shoelace
 * signed area sum(x_i y_{i+1} - x_{i+1} y_i) / 2 in image coordinates is positive.
 *
 * Pure module (no Node APIs). Work is over the instance's bounding box plus a 1-pixel frame.
 */
import type { InstanceRegion } from "./instances.js";
import { checkImageSize } from "./rle.js";

/** A closed polygon (first vertex not repeated), image coordinates x = column, y = row. */
export interface Polygon {
  x: number[];
  y: number[];
}

// Directions with y pointing down, in clockwise order so that "turn right" is +1.
const EAST = 0;
const SOUTH = 1;
const WEST = 2;
const NORTH = 3;
const DX = [1, 0, -1, 0] as const;
const DY = [0, 1, 0, -1] as const;

/**
 * Outer boundary of the largest 4-connected component of label `id`, holes filled, traced
 * along pixel edges (see the module comment), clockwise as displayed (y down).
 * `bbox` ([x, y, w, h] of all pixels of `id`, as InstanceRegion.bbox) saves a pass over the
 * image when known; it must contain every pixel of `id`.
 */
export function instanceOutline(
  labels: ArrayLike<number>,
  width: number,
  height: number,
  id: number,
  bbox?: readonly [number, number, number, number],
): Polygon {
  checkImageSize(labels.length, width, height, "labels");
  if (!Number.isSafeInteger(id) || id < 1) throw new RangeError(`instance id must be a positive integer, got ${id}`);
  const [x0, y0, bw, bh] = bbox ? checkBbox(bbox, width, height) : boundingBox(labels, width, height, id);

  // Grid = bbox with a one-pixel frame; cell (i, j) is image pixel (x0 - 1 + i, y0 - 1 + j).
  const gw = bw + 2;
  const gh = bh + 2;
  const component = largestComponent(labels, width, x0, y0, bw, bh, id, gw, gh);
  if (component === null) throw new RangeError(`label ${id} does not occur in the ${width}x${height} label image${bbox ? " inside the given bbox" : ""}`);
  const filled = fillHoles(component.mask, gw, gh);
  return traceBoundary(filled, gw, gh, component.firstCell, x0 - 1.5, y0 - 1.5);
}

/**
 * Outlines of many instances (e.g. instanceRegions' output, in its order), each found within
 * its region's bbox, so the cost is the sum of the bbox areas rather than one image pass each.
 */
export function instanceOutlines(
  labels: ArrayLike<number>,
  width: number,
  height: number,
  regions: readonly Pick<InstanceRegion, "id" | "bbox">[],
): Polygon[] {
  return regions.map((r) => instanceOutline(labels, width, height, r.id, r.bbox));
}

/** Signed shoelace area; positive for the clockwise-as-displayed polygons of instanceOutline. */
export function polygonArea(polygon: Polygon): number {
  const { x, y } = polygon;
  if (x.length !== y.length) throw new RangeError(`polygon has ${x.length} x and ${y.length} y coordinates`);
  let twice = 0;
  for (let i = 0, j = x.length - 1; i < x.length; j = i++) twice += x[j]! * y[i]! - x[i]! * y[j]!;
  return twice / 2;
}

function checkBbox(bbox: readonly [number, number, number, number], width: number, height: number): [number, number, number, number] {
  const [x, y, w, h] = bbox;
  const ok = [x, y, w, h].every(Number.isSafeInteger) && x >= 0 && y >= 0 && w >= 1 && h >= 1 && x + w <= width && y + h <= height;
  if (!ok) throw new RangeError(`bbox must be integer [x, y, w, h] inside the ${width}x${height} image, got [${bbox.join(", ")}]`);
  return [x, y, w, h];
}

function boundingBox(labels: ArrayLike<number>, width: number, height: number, id: number): [number, number, number, number] {
  let minX = width;
  let maxX = -1;
  let minY = height;
  let maxY = -1;
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      if (labels[p] !== id) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      maxY = y;
    }
  }
  // An absent id gives an empty box; largestComponent then finds nothing and the caller throws.
  if (maxX < 0) return [0, 0, 1, 1];
  return [minX, minY, maxX - minX + 1, maxY - minY + 1];
}

/**
 * Mask (1 = in the component) over the framed grid of the largest 4-connected component of
 * `labels == id` inside the bbox, and the grid index of its first cell in raster order.
 */
function largestComponent(
  labels: ArrayLike<number>,
  width: number,
  x0: number,
  y0: number,
  bw: number,
  bh: number,
  id: number,
  gw: number,
  gh: number,
): { mask: Uint8Array; firstCell: number } | null {
  // comp[cell] = component number (1, 2, ...) of grid cells with label id; 0 elsewhere.
  const comp = new Int32Array(gw * gh);
  const stack = new Int32Array(bw * bh);
  let count = 0;
  let best = 0;
  let bestSize = 0;
  let bestFirst = -1;
  for (let j = 1; j <= bh; j++) {
    for (let i = 1; i <= bw; i++) {
      const cell = i + gw * j;
      if (comp[cell] !== 0 || labels[x0 - 1 + i + width * (y0 - 1 + j)] !== id) continue;
      count++;
      let size = 0;
      let top = 0;
      stack[top++] = cell;
      comp[cell] = count;
      while (top > 0) {
        const c = stack[--top]!;
        size++;
        const ci = c % gw;
        const cj = (c - ci) / gw;
        // The frame cells (i = 0, gw - 1, j = 0, gh - 1) are never in the component.
        if (ci > 1) top = visit(c - 1, labels, width, x0, y0, gw, id, comp, count, stack, top);
        if (ci < bw) top = visit(c + 1, labels, width, x0, y0, gw, id, comp, count, stack, top);
        if (cj > 1) top = visit(c - gw, labels, width, x0, y0, gw, id, comp, count, stack, top);
        if (cj < bh) top = visit(c + gw, labels, width, x0, y0, gw, id, comp, count, stack, top);
      }
      // Strictly larger: on a tie the component found first (raster order) stays.
      if (size > bestSize) {
        best = count;
        bestSize = size;
        bestFirst = cell;
      }
    }
  }
  if (best === 0) return null;
  const mask = new Uint8Array(gw * gh);
  for (let c = 0; c < mask.length; c++) if (comp[c] === best) mask[c] = 1;
  return { mask, firstCell: bestFirst };
}

function visit(
  cell: number,
  labels: ArrayLike<number>,
  width: number,
  x0: number,
  y0: number,
  gw: number,
  id: number,
  comp: Int32Array,
  count: number,
  stack: Int32Array,
  top: number,
): number {
  if (comp[cell] !== 0) return top;
  const i = cell % gw;
  const j = (cell - i) / gw;
  if (labels[x0 - 1 + i + width * (y0 - 1 + j)] !== id) return top;
  comp[cell] = count;
  stack[top] = cell;
  return top + 1;
}

/**
 * The component with its holes filled: every grid cell not reachable from the frame by
 * 8-connected steps through cells outside the component. Returns 1 = filled region.
 */
function fillHoles(component: Uint8Array, gw: number, gh: number): Uint8Array {
  const exterior = new Uint8Array(gw * gh);
  const stack = new Int32Array(gw * gh);
  let top = 0;
  // Cell 0 is a frame corner, never in the component; the whole frame is reachable from it.
  exterior[0] = 1;
  stack[top++] = 0;
  while (top > 0) {
    const c = stack[--top]!;
    const ci = c % gw;
    const cj = (c - ci) / gw;
    for (let dj = -1; dj <= 1; dj++) {
      const nj = cj + dj;
      if (nj < 0 || nj >= gh) continue;
      for (let di = -1; di <= 1; di++) {
        const ni = ci + di;
        if (ni < 0 || ni >= gw) continue;
        const n = ni + gw * nj;
        if (exterior[n] !== 0 || component[n] !== 0) continue;
        exterior[n] = 1;
        stack[top++] = n;
      }
    }
  }
  for (let c = 0; c < exterior.length; c++) exterior[c] = exterior[c] === 0 ? 1 : 0;
  return exterior;
}

/**
 * Crack-following walk around `region` (1 = inside, frame cells all 0), starting at the
 * top-left corner of `firstCell` (the region's first cell in raster order) heading east.
 * Lattice vertex (i, j) is the top-left corner of cell (i, j); it maps to image coordinates
 * (i + offsetX, j + offsetY).
 */
function traceBoundary(region: Uint8Array, gw: number, gh: number, firstCell: number, offsetX: number, offsetY: number): Polygon {
  const inside = (i: number, j: number): boolean => region[i + gw * j] === 1;
  const si = firstCell % gw;
  const sj = (firstCell - si) / gw;
  const x: number[] = [si + offsetX];
  const y: number[] = [sj + offsetY];
  let i = si;
  let j = sj;
  let d = EAST;
  // Each edge is walked at most once; the bound only guards against a broken invariant.
  const maxSteps = 2 * (gw + 1) * (gh + 1);
  for (let step = 0; step < maxSteps; step++) {
    i += DX[d]!;
    j += DY[d]!;
    // Cells around vertex (i, j): NW (i-1, j-1), NE (i, j-1), SW (i-1, j), SE (i, j).
    let left: boolean;
    let right: boolean;
    switch (d) {
      case EAST:
        left = inside(i, j - 1);
        right = inside(i, j);
        break;
      case SOUTH:
        left = inside(i, j);
        right = inside(i - 1, j);
        break;
      case WEST:
        left = inside(i - 1, j);
        right = inside(i - 1, j - 1);
        break;
      case NORTH:
        left = inside(i - 1, j - 1);
        right = inside(i, j - 1);
        break;
      default:
        throw new Error(`outline trace heading ${d} is not a direction`);
    }
    const next = !right ? (d + 1) % 4 : left ? (d + 3) % 4 : d;
    if (i === si && j === sj) {
      // The start vertex has a single inside cell (SE), so it is reached once, heading north.
      if (next !== EAST) throw new Error(`outline trace returned to its start heading ${next}, expected east`);
      return { x, y };
    }
    if (next !== d) {
      x.push(i + offsetX);
      y.push(j + offsetY);
      d = next;
    }
  }
  throw new Error(`outline trace did not close within ${maxSteps} steps`);
}
