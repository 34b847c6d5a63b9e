/**
 * Scan geometry: one explicit vector set per projection, in the style of ASTRA's `*_vec`
 * geometries (W. van Aarle et al., Opt. Express 24 (2016) 25129; ASTRA documentation,
 * "3D geometries"). All lengths in metres, in the frame of `core/grid.ts` (volume centred on
 * the origin, rotation axis = z).
 *
 * For each projection p, `vectors[12 p .. 12 p + 11]` hold:
 *   parallel3d_vec: (rX, rY, rZ, dX, dY, dZ, uX, uY, uZ, vX, vY, vZ)
 *     r = ray direction (unit), d = detector centre,
 *     u = vector from pixel (row, col) to (row, col + 1), v = from (row, col) to (row + 1, col);
 *   cone_vec:       (sX, sY, sZ, dX, dY, dZ, uX, uY, uZ, vX, vY, vZ)
 *     s = source position, d, u, v as above.
 * Pixel (row, col) has its centre at
 *   c(row, col) = d + (col - (cols - 1)/2) u + (row - (rows - 1)/2) v,
 * so a detector of any parity is centred on d, and a centred object projects symmetrically
 * about column (cols - 1)/2 (the ASTRA/TomoPy convention). Projections are stored
 * row-major: pixel (row, col) at index row * cols + col.
 *
 * Pure module: runs in a browser too.
 */

export type ProjectionGeometryType = "parallel3d_vec" | "cone_vec";

export interface ProjectionGeometry {
  readonly type: ProjectionGeometryType;
  /** Detector rows (along v). */
  readonly rows: number;
  /** Detector columns (along u). */
  readonly cols: number;
  /** nProjections x 12 numbers (see the module comment), metres. */
  readonly vectors: Float64Array;
}

/** Number of numbers per projection in `ProjectionGeometry.vectors`. */
export const VECTORS_PER_PROJECTION = 12;

export function projectionCount(g: ProjectionGeometry): number {
  return g.vectors.length / VECTORS_PER_PROJECTION;
}

export function checkGeometry(g: ProjectionGeometry): void {
  if (g.type !== "parallel3d_vec" && g.type !== "cone_vec") throw new RangeError(`unknown geometry type ${String(g.type)}`);
  for (const [k, v] of [["rows", g.rows], ["cols", g.cols]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`geometry ${k} must be a positive integer, got ${v}`);
  }
  if (g.vectors.length % VECTORS_PER_PROJECTION !== 0) {
    throw new RangeError(`geometry vectors must hold 12 numbers per projection, got ${g.vectors.length}`);
  }
  for (let i = 0; i < g.vectors.length; i++) {
    if (!Number.isFinite(g.vectors[i]!)) throw new RangeError(`geometry vector ${i} is not finite`);
  }
}

/**
 * cos/sin with the rounding residue at multiples of pi/2 removed (cos(pi/2) evaluates to
 * 6.1e-17, not 0), so that scans at 0, 90, 180, 270 degrees give rays exactly parallel to the
 * grid axes. Components below 1e-15 in magnitude are set to 0.
 */
function cleanTrig(x: number): number {
  return Math.abs(x) < 1e-15 ? 0 : x;
}

export interface ParallelBeamOptions {
  /** Rotation angles theta (rad) of the projections, in acquisition order. */
  readonly anglesRad: Float64Array | readonly number[];
  readonly rows: number;
  readonly cols: number;
  /** Detector pixel pitch (m), the same along u and v. */
  readonly pixelSizeM: number;
  /**
   * Detector shift along u, in pixels (default 0): the detector centre is at
   * centerOffsetPx * u, so the rotation axis projects onto column
   * (cols - 1)/2 - centerOffsetPx.
   */
  readonly centerOffsetPx?: number;
}

/**
 * Parallel-beam rotation scan in ASTRA's parallel3d convention: at angle theta
 *   r = (sin t, -cos t, 0),  u = pixelSize (cos t, sin t, 0),  v = pixelSize (0, 0, 1),
 *   d = centerOffsetPx u.
 * A point (x, y, z) projects onto column (cols - 1)/2 + (x cos t + y sin t)/pixelSize
 * - centerOffsetPx and row (rows - 1)/2 + z/pixelSize: rows run along +z.
 */
export function parallelBeamGeometry(opts: ParallelBeamOptions): ProjectionGeometry {
  const { anglesRad, rows, cols, pixelSizeM } = opts;
  const offset = opts.centerOffsetPx ?? 0;
  if (!(pixelSizeM > 0 && Number.isFinite(pixelSizeM))) throw new RangeError(`pixel size must be a positive length, got ${pixelSizeM} m`);
  if (!Number.isFinite(offset)) throw new RangeError(`centre offset must be finite, got ${offset}`);
  const n = anglesRad.length;
  const vectors = new Float64Array(n * VECTORS_PER_PROJECTION);
  for (let p = 0; p < n; p++) {
    const t = anglesRad[p]!;
    if (!Number.isFinite(t)) throw new RangeError(`angle ${p} is not finite: ${t}`);
    const c = cleanTrig(Math.cos(t));
    const s = cleanTrig(Math.sin(t));
    const o = p * VECTORS_PER_PROJECTION;
    const ux = pixelSizeM * c;
    const uy = pixelSizeM * s;
    vectors[o] = s;
    vectors[o + 1] = -c;
    vectors[o + 2] = 0;
    vectors[o + 3] = offset * ux;
    vectors[o + 4] = offset * uy;
    vectors[o + 5] = 0;
    vectors[o + 6] = ux;
    vectors[o + 7] = uy;
    vectors[o + 8] = 0;
    vectors[o + 9] = 0;
    vectors[o + 10] = 0;
    vectors[o + 11] = pixelSizeM;
  }
  const g: ProjectionGeometry = { type: "parallel3d_vec", rows, cols, vectors };
  checkGeometry(g);
  return g;
}

/**
 * Centre (m) of pixel (row, col) of projection p: d + (col - (cols-1)/2) u + (row - (rows-1)/2) v.
 * Writes x, y, z to out[offset .. offset + 2].
 */
export function pixelCentre(g: ProjectionGeometry, projection: number, row: number, col: number, out: Float64Array, offset = 0): void {
  const o = projection * VECTORS_PER_PROJECTION;
  const V = g.vectors;
  const a = col - (g.cols - 1) / 2;
  const b = row - (g.rows - 1) / 2;
  out[offset] = V[o + 3]! + a * V[o + 6]! + b * V[o + 9]!;
  out[offset + 1] = V[o + 4]! + a * V[o + 7]! + b * V[o + 10]!;
  out[offset + 2] = V[o + 5]! + a * V[o + 8]! + b * V[o + 11]!;
}

/**
 * The ray through the centre of pixel (row, col) of projection p, as
 * out = [ox, oy, oz, dx, dy, dz] with (dx, dy, dz) a unit vector and lengths in metres;
 * returns the distance from the origin point to the pixel centre along the ray.
 *
 * - parallel3d_vec: origin = the pixel centre itself, direction = r normalised. A parallel
 *   ray is a whole line (the detector of an ASTRA parallel geometry may sit anywhere, even
 *   through the object), so integrate it over t in (-inf, +inf) (`rayIntegral`); the
 *   returned distance is 0.
 * - cone_vec: origin = the source, direction = (pixel centre - source) / |...|; the
 *   physical ray is the segment t in [0, distance] (`segmentIntegral`).
 */
export function pixelRay(g: ProjectionGeometry, projection: number, row: number, col: number, out: Float64Array): number {
  const o = projection * VECTORS_PER_PROJECTION;
  const V = g.vectors;
  pixelCentre(g, projection, row, col, out, 0);
  if (g.type === "parallel3d_vec") {
    const rx = V[o]!, ry = V[o + 1]!, rz = V[o + 2]!;
    const inv = 1 / Math.sqrt(rx * rx + ry * ry + rz * rz);
    out[3] = rx * inv;
    out[4] = ry * inv;
    out[5] = rz * inv;
    return 0;
  }
  const sx = V[o]!, sy = V[o + 1]!, sz = V[o + 2]!;
  const dx = out[0]! - sx, dy = out[1]! - sy, dz = out[2]! - sz;
  const len = Math.sqrt(dx * dx + dy * dy + dz * dz);
  out[0] = sx;
  out[1] = sy;
  out[2] = sz;
  out[3] = dx / len;
  out[4] = dy / len;
  out[5] = dz / len;
  return len;
}

/** n angles from 0, rangeRad / n apart, endpoint excluded: theta_k = k range / n. */
export function equalAngles(n: number, rangeRad: number): Float64Array {
  checkAngleArgs(n, rangeRad);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = (k * rangeRad) / n;
  return out;
}

/** (sqrt(5) - 1)/2, the golden section of the unit interval. */
const GOLDEN_FRACTION = (Math.sqrt(5) - 1) / 2;

/**
 * Golden-ratio angle ordering (T. Köhler, "A projection access scheme for iterative
 * reconstruction based on the golden section", IEEE NSS Conf. Rec. 2004, vol. 6, 3961):
 *   theta_k = (k range (sqrt(5) - 1)/2) mod range, k = 0 .. n-1,
 * evaluated as range * frac(k (sqrt(5) - 1)/2) to keep precision for large k. Every prefix
 * of the sequence covers [0, range) nearly uniformly, so a scan can stop at any point.
 */
export function goldenAngles(n: number, rangeRad: number): Float64Array {
  checkAngleArgs(n, rangeRad);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const f = k * GOLDEN_FRACTION;
    out[k] = rangeRad * (f - Math.floor(f));
  }
  return out;
}

function checkAngleArgs(n: number, rangeRad: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`number of angles must be a non-negative integer, got ${n}`);
  if (!(rangeRad > 0 && Number.isFinite(rangeRad))) throw new RangeError(`angular range must be positive, got ${rangeRad} rad`);
}
