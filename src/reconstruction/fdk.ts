/**
 * FDK reconstruction for circular cone-beam scans on a flat detector (`coneBeamGeometry`):
 * L. A. Feldkamp, L. C. Davis, J. W. Kress, "Practical cone-beam algorithm",
 * J. Opt. Soc. Am. A 1 (1984) 612, doi:10.1364/JOSAA.1.000612; in the notation of
 * A. C. Kak, M. Slaney, "Principles of Computerized Tomographic Imaging", IEEE Press 1988,
 * sec. 3.6 (eqs. 209-211):
 *   1. cosine pre-weighting: each pixel times D_sd / sqrt(D_sd^2 + a^2 + b^2), with (a, b)
 *      its offset (m) from the foot of the perpendicular from the source to the detector
 *      and D_sd that perpendicular's length;
 *   2. ramp filtering of each detector row (filters.ts), in metres on the detector;
 *   3. weighted back-projection along the cone rays:
 *        mu(P) = 1/2 sum_p dBeta_p D_so D_sd / L_p(P)^2 q_p(col_p(P), row_p(P)),
 *      with L_p(P) = (P - s) . n the depth of P along the detector normal n from the source,
 *      D_so the depth of the rotation axis (the origin), and (col, row) where the ray from
 *      the source through P meets the detector (bilinear interpolation). dBeta_p is each
 *      source angle's share of the full circle (half the gaps to its neighbours), so
 *      sum dBeta = 2 pi and the 1/2 counts every line twice, as in Kak & Slaney eq. 211.
 *      (Kak & Slaney's virtual detector at the axis has pitch tau / M and their weight is
 *      U^-2 = D_so^2 / L^2; in physical detector units the filtered row gains M = D_sd / D_so,
 *      which gives the D_so D_sd / L^2 above.)
 * Source, detector centre, u and v are read from each projection's vectors, so detector
 * and source offsets need no special case. Exact in the central plane; elsewhere the usual
 * cone-beam approximation (errors grow with the cone angle, Feldkamp et al. sec. 4). Needs
 * a full circle of source positions: a short scan (180 deg + fan) would need Parker weights,
 * which this module does not apply.
 *
 * Pure module: runs in a browser too.
 */
import { checkGrid, type VolumeGrid, voxelCentre } from "../core/grid.js";
import { checkGeometry, type ProjectionGeometry, projectionCount, VECTORS_PER_PROJECTION } from "../acquisition/geometry.js";
import { checkFilterName, type RampFilterName, RowFilter } from "./filters.js";
import { checkProjections } from "./fbp.js";

export interface FdkOptions {
  /**
   * Output grid (default: cols x cols x rows voxels of the detector pitch divided by the
   * magnification D_sd / D_so of projection 0).
   */
  readonly grid?: VolumeGrid;
  readonly filter?: RampFilterName;
  /** Called after each projection is back-projected with (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Each angle's share (rad) of the full circle (half-gaps, period 2 pi). Sums to 2 pi. */
export function fullCircleWeights(anglesRad: ArrayLike<number>): Float64Array {
  const n = anglesRad.length;
  const w = new Float64Array(n);
  if (n === 1) { w[0] = 2 * Math.PI; return w; }
  const TWO_PI = 2 * Math.PI;
  const red = Float64Array.from({ length: n }, (_, p) => {
    let r = anglesRad[p]! % TWO_PI;
    if (r < 0) r += TWO_PI;
    return TWO_PI - r < 1e-12 ? 0 : r;
  });
  const order = Array.from({ length: n }, (_, p) => p).sort((a, b) => red[a]! - red[b]!);
  for (let q = 0; q < n; q++) {
    const prev = q === 0 ? red[order[n - 1]!]! - TWO_PI : red[order[q - 1]!]!;
    const next = q === n - 1 ? red[order[0]!]! + TWO_PI : red[order[q + 1]!]!;
    w[order[q]!] = 0.5 * (next - prev);
  }
  return w;
}

interface ConeFrame {
  sx: number; sy: number; sz: number;
  nx: number; ny: number; nz: number;
  /** Perpendicular source-detector distance and depth of the origin (m). */
  dsd: number; dso: number;
  /** Detector coordinates (pixels from the centre) of the source's foot point. */
  aF: number; bF: number;
}

function coneFrame(V: Float64Array, p: number): ConeFrame {
  const o = p * VECTORS_PER_PROJECTION;
  const sx = V[o]!, sy = V[o + 1]!, sz = V[o + 2]!;
  const dx = V[o + 3]!, dy = V[o + 4]!, dz = V[o + 5]!;
  const ux = V[o + 6]!, uy = V[o + 7]!, uz = V[o + 8]!;
  const vx = V[o + 9]!, vy = V[o + 10]!, vz = V[o + 11]!;
  let nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
  const nn = Math.hypot(nx, ny, nz);
  nx /= nn; ny /= nn; nz /= nn;
  let dsd = (dx - sx) * nx + (dy - sy) * ny + (dz - sz) * nz;
  if (dsd < 0) { nx = -nx; ny = -ny; nz = -nz; dsd = -dsd; }
  const dso = -(sx * nx + sy * ny + sz * nz);
  if (!(dso > 0 && dsd > dso)) {
    throw new RangeError(`projection ${p}: FDK needs the rotation axis between source and detector (source depth of the axis ${dso} m, detector ${dsd} m)`);
  }
  const fx = sx + dsd * nx - dx, fy = sy + dsd * ny - dy, fz = sz + dsd * nz - dz;
  const uu = ux * ux + uy * uy + uz * uz, vv = vx * vx + vy * vy + vz * vz;
  return { sx, sy, sz, nx, ny, nz, dsd, dso, aF: (fx * ux + fy * uy + fz * uz) / uu, bF: (fx * vx + fy * vy + fz * vz) / vv };
}

/** The default FDK grid: cols x cols x rows voxels of pitch / magnification at projection 0. */
export function defaultConeGrid(geometry: ProjectionGeometry): VolumeGrid {
  const f = coneFrame(geometry.vectors, 0);
  const V = geometry.vectors;
  return { nx: geometry.cols, ny: geometry.cols, nz: geometry.rows, voxelSizeM: (Math.hypot(V[6]!, V[7]!, V[8]!) * f.dso) / f.dsd };
}

/**
 * FDK of cone-beam projections [projection][row][col] (line integrals, dimensionless) to
 * mu (1/m) on the grid (x fastest).
 */
export function fdk(projections: Float32Array, geometry: ProjectionGeometry, options: FdkOptions = {}): Float32Array {
  checkGeometry(geometry);
  if (geometry.type !== "cone_vec") throw new RangeError(`FDK needs a cone_vec geometry, got ${geometry.type} (use fbpParallel for parallel beam)`);
  checkProjections(projections, geometry);
  const filter = options.filter ?? "ram-lak";
  checkFilterName(filter);
  const grid = options.grid ?? defaultConeGrid(geometry);
  checkGrid(grid);
  const { rows, cols, vectors: V } = geometry;
  const n = projectionCount(geometry);
  const frames = Array.from({ length: n }, (_, p) => coneFrame(V, p));
  const dBeta = fullCircleWeights(frames.map((f) => Math.atan2(f.sy, f.sx)));

  const { nx, ny, nz, voxelSizeM: s } = grid;
  const out = new Float32Array(nx * ny * nz);
  const stride = cols + 1;
  const filtered = new Float32Array((rows + 1) * stride); // one zero row and column beyond the last
  const weighted = new Float32Array(rows * cols);
  const filterer = new RowFilter(cols, filter);
  const x0 = voxelCentre(nx, 0, s), y0 = voxelCentre(ny, 0, s), z0 = voxelCentre(nz, 0, s);
  const cc = (cols - 1) / 2, rc = (rows - 1) / 2;
  // Positions within 1e-6 pixel of the detector's edge count as on it (rounding of exact hits).
  const colMax = cols - 1 + 1e-6, rowMax = rows - 1 + 1e-6;

  for (let p = 0; p < n; p++) {
    const f = frames[p]!;
    const o = p * VECTORS_PER_PROJECTION;
    const ux = V[o + 6]!, uy = V[o + 7]!, uz = V[o + 8]!;
    const vx = V[o + 9]!, vy = V[o + 10]!, vz = V[o + 11]!;
    const uLen = Math.hypot(ux, uy, uz), vLen = Math.hypot(vx, vy, vz);
    // 1. cosine weights.
    const src = projections.subarray(p * rows * cols, (p + 1) * rows * cols);
    const d2 = f.dsd * f.dsd;
    for (let r = 0; r < rows; r++) {
      const b = (r - rc - f.bF) * vLen;
      for (let c = 0; c < cols; c++) {
        const a = (c - cc - f.aF) * uLen;
        weighted[r * cols + c] = src[r * cols + c]! * (f.dsd / Math.sqrt(d2 + a * a + b * b));
      }
    }
    // 2. ramp filter along rows, in metres, with the projection's constant factor.
    const scale = (0.5 * dBeta[p]! * f.dso * f.dsd) / uLen;
    for (let r = 0; r < rows; r += 2) {
      const hasB = r + 1 < rows;
      filterer.filterPair(weighted, r * cols, hasB ? (r + 1) * cols : 0, filtered, r * stride, hasB ? (r + 1) * stride : 0, scale, hasB);
    }
    // 3. back-projection. col = cc + (s - d).u/|u|^2 + D_sd ((P - s).u/|u|^2) / L, same for row.
    const uu = uLen * uLen, vv = vLen * vLen;
    const dx = V[o + 3]!, dy = V[o + 4]!, dz = V[o + 5]!;
    const colBase = cc + ((f.sx - dx) * ux + (f.sy - dy) * uy + (f.sz - dz) * uz) / uu;
    const rowBase = rc + ((f.sx - dx) * vx + (f.sy - dy) * vy + (f.sz - dz) * vz) / vv;
    const { dsd } = f;
    // Per-i increments of L, (P - s).u / |u|^2 and (P - s).v / |v|^2.
    const dL = s * f.nx, dU = (s * ux) / uu, dV = (s * vx) / vv;
    for (let k = 0; k < nz; k++) {
      const pz = z0 + k * s - f.sz;
      for (let j = 0; j < ny; j++) {
        const py = y0 + j * s - f.sy;
        const px = x0 - f.sx;
        let L = px * f.nx + py * f.ny + pz * f.nz;
        let U = (px * ux + py * uy + pz * uz) / uu;
        let W = (px * vx + py * vy + pz * vz) / vv;
        const ao = nx * (j + ny * k);
        for (let i = 0; i < nx; i++, L += dL, U += dU, W += dV) {
          const invL = 1 / L;
          const m = dsd * invL;
          const col = colBase + m * U;
          const row = rowBase + m * W;
          // Bilinear interpolation inside [0, cols-1] x [0, rows-1] (the zero row/column
          // beyond the last absorbs col = cols - 1 or row = rows - 1 exactly).
          if (!(col > -1e-6 && col < colMax && row > -1e-6 && row < rowMax)) continue;
          const c0 = col | 0, r0 = row | 0;
          const fc = col - c0, fr = row - r0;
          const q = r0 * stride + c0;
          const top = filtered[q]! + fc * (filtered[q + 1]! - filtered[q]!);
          const bottom = filtered[q + stride]! + fc * (filtered[q + stride + 1]! - filtered[q + stride]!);
          out[ao + i] += (top + fr * (bottom - top)) * invL * invL;
        }
      }
    }
    options.onProgress?.(p + 1, n);
  }
  return out;
}
