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

function checkScanArgs(pixelSizeM: number, offset: number): void {
  if (!(pixelSizeM > 0 && Number.isFinite(pixelSizeM))) throw new RangeError(`pixel size must be a positive length, got ${pixelSizeM} m`);
  if (!Number.isFinite(offset)) throw new RangeError(`centre offset must be finite, got ${offset}`);
}

export interface ConeBeamOptions {
  /** Rotation angles theta (rad) of the projections, in acquisition order. */
  readonly anglesRad: Float64Array | readonly number[];
  readonly rows: number;
  readonly cols: number;
  /** Physical detector pixel pitch (m), the same along u and v (not divided by magnification). */
  readonly pixelSizeM: number;
  /** Source to rotation axis distance SOD (m), > 0. */
  readonly sourceObjectM: number;
  /** Source to detector distance SDD (m), > SOD (the detector is behind the axis). */
  readonly sourceDetectorM: number;
  /**
   * Detector shift along u, in pixels (default 0): the detector centre moves by
   * centerOffsetPx * u, so (with no source offset) the rotation axis projects onto column
   * (cols - 1)/2 - centerOffsetPx, as in `parallelBeamGeometry`.
   */
  readonly centerOffsetPx?: number;
  /**
   * Source shift [alongU, alongV] (m) along the unit vectors of u and v (default [0, 0]);
   * the detector does not move. Models a source spot off the detector's normal through
   * the axis.
   */
  readonly sourceOffset?: readonly [number, number];
}

/**
 * Circular cone-beam scan in ASTRA's cone_vec convention: per projection
 * (source s, detector centre d, u, v). With the central-ray direction
 *   r = (sin t, -cos t, 0)  (the parallelBeamGeometry ray at the same theta),
 *   u = pixelSize (cos t, sin t, 0),  v = pixelSize (0, 0, 1),
 *   s = -SOD r + a_u u/|u| + a_v v/|v|   (a = sourceOffset, default 0),
 *   d = (SDD - SOD) r + centerOffsetPx u:
 * the source sits SOD from the rotation axis (z) on the side opposite the detector, the
 * detector centre SDD - SOD beyond the axis, and the central ray (s to d, no offsets)
 * runs along r and meets the axis at the origin. u, v and the central-ray direction are
 * exactly parallelBeamGeometry's, so both geometries give the same image orientation:
 * rows along +z, columns along u. Magnification at the axis M = SDD / SOD.
 *
 * With no offsets a point P projects onto
 *   column (cols - 1)/2 + SDD (P . u/|u|) / ((SOD + P . r) pixelSize),
 *   row    (rows - 1)/2 + SDD  P_z        / ((SOD + P . r) pixelSize),
 * i.e. a point on the axis plane (P . r = 0) is magnified by M; at theta = 0 (source at
 * (0, SOD, 0), beam along -y) a point (x, 0, z) lands at column (cols-1)/2 + M x / pixelSize.
 * The detector pitch is physical: the pixel footprint at the axis is pixelSize / M.
 */
export function coneBeamGeometry(opts: ConeBeamOptions): ProjectionGeometry {
  const { anglesRad, rows, cols, pixelSizeM, sourceObjectM: sod, sourceDetectorM: sdd } = opts;
  const offset = opts.centerOffsetPx ?? 0;
  const [su, sv] = opts.sourceOffset ?? [0, 0];
  checkScanArgs(pixelSizeM, offset);
  if (!(sod > 0 && Number.isFinite(sod))) throw new RangeError(`source-object distance must be a positive length, got ${sod} m`);
  if (!(sdd > sod && Number.isFinite(sdd))) {
    throw new RangeError(`source-detector distance must be finite and exceed the source-object distance ${sod} m, got ${sdd} m`);
  }
  if (!Number.isFinite(su) || !Number.isFinite(sv)) throw new RangeError(`source offset must be finite, got [${su}, ${sv}]`);
  const n = anglesRad.length;
  const vectors = new Float64Array(n * VECTORS_PER_PROJECTION);
  for (let p = 0; p < n; p++) {
    const t = anglesRad[p]!;
    if (!Number.isFinite(t)) throw new RangeError(`angle ${p} is not finite: ${t}`);
    const c = cleanTrig(Math.cos(t));
    const s = cleanTrig(Math.sin(t));
    const o = p * VECTORS_PER_PROJECTION;
    const rx = s, ry = -c; // central-ray direction, rz = 0
    const ux = pixelSizeM * c, uy = pixelSizeM * s;
    const dd = sdd - sod;
    vectors[o] = -sod * rx + su * c;
    vectors[o + 1] = -sod * ry + su * s;
    vectors[o + 2] = sv;
    vectors[o + 3] = dd * rx + offset * ux;
    vectors[o + 4] = dd * ry + offset * uy;
    vectors[o + 5] = 0;
    vectors[o + 6] = ux;
    vectors[o + 7] = uy;
    vectors[o + 8] = 0;
    vectors[o + 9] = 0;
    vectors[o + 10] = 0;
    vectors[o + 11] = pixelSizeM;
  }
  const g: ProjectionGeometry = { type: "cone_vec", rows, cols, vectors };
  checkGeometry(g);
  return g;
}

export interface LaminographyOptions extends ParallelBeamOptions {
  /**
   * Tilt tau (rad) of the rotation axis away from the detector's v direction towards the
   * beam, in [0, pi/2]: 0 = ordinary CT (axis along v), pi/2 = axis along the beam.
   */
  readonly tiltRad: number;
}

/**
 * Parallel-beam laminography (tilted rotation axis), as parallel3d_vec vectors expressed in
 * the SAMPLE frame (the frame of the grid and of the scene), so the projector and the
 * analytic ground truth are used unchanged.
 *
 * Lab frame: fixed beam r0 = (0, -1, 0), u0 = pixelSize (1, 0, 0), v0 = pixelSize (0, 0, 1),
 * d0 = centerOffsetPx u0 (parallelBeamGeometry at theta = 0). The rotation axis is
 *   a = cos(tau) (0, 0, 1) + sin(tau) r0 = (0, -sin tau, cos tau),
 * i.e. v's direction tilted by tau towards the beam: a = Rx(tau) z. The sample rotates about
 * its own z axis, which is mounted along a; at projection angle theta, a sample point b is
 * at lab position Rx(tau) Rz(-theta) b (the sample turns by -theta, equivalent to turning the
 * source-detector pair by +theta, as in parallelBeamGeometry). Each projection's vectors
 * are therefore the lab vectors taken back into the sample frame:
 *   w_sample = Rz(theta) Rx(-tau) w_lab,   for w = r0, d0, u0, v0,
 * which gives, with c = cos theta, s = sin theta, C = cos tau, S = sin tau,
 *   r = (C s, -C c, S),  u = pixelSize (c, s, 0),  v = pixelSize (-S s, S c, C),
 *   d = centerOffsetPx u.
 * tau = 0 gives exactly parallelBeamGeometry's vectors. The beam makes the angle
 * pi/2 - tau with the sample's z axis, so a plate normal to z (a laminography sample) is
 * crossed by every ray along thickness / sin(tau), at every theta. The projection of the
 * sample origin is pixel ((rows-1)/2, (cols-1)/2 - centerOffsetPx) at every theta.
 */
export function laminographyGeometry(opts: LaminographyOptions): ProjectionGeometry {
  const { anglesRad, rows, cols, pixelSizeM, tiltRad } = opts;
  const offset = opts.centerOffsetPx ?? 0;
  checkScanArgs(pixelSizeM, offset);
  if (!(tiltRad >= 0 && tiltRad <= Math.PI / 2)) throw new RangeError(`tilt must be in [0, pi/2] rad, got ${tiltRad}`);
  const C = cleanTrig(Math.cos(tiltRad));
  const S = cleanTrig(Math.sin(tiltRad));
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
    vectors[o] = C * s;
    vectors[o + 1] = -C * c;
    vectors[o + 2] = S;
    vectors[o + 3] = offset * ux;
    vectors[o + 4] = offset * uy;
    vectors[o + 5] = 0;
    vectors[o + 6] = ux;
    vectors[o + 7] = uy;
    vectors[o + 8] = 0;
    // + 0 turns -0 into 0, so tilt 0 reproduces parallelBeamGeometry bit for bit.
    vectors[o + 9] = -pixelSizeM * S * s + 0;
    vectors[o + 10] = pixelSizeM * S * c + 0;
    vectors[o + 11] = pixelSizeM * C;
  }
  const g: ProjectionGeometry = { type: "parallel3d_vec", rows, cols, vectors };
  checkGeometry(g);
  return g;
}
