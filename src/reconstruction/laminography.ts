/**
 * Filtered back-projection for parallel-beam laminography (`laminographyGeometry`: the
 * rotation axis, the sample's z, tilted by tau from the detector's v towards the beam).
 *
 * Derivation (the analytic laminography inversion of A. Myagotin, A. Voropaev, L. Helfen,
 * D. Haenschke, T. Baumbach, "Efficient volume reconstruction for parallel-beam computed
 * laminography by filtered backprojection on multi-core clusters", IEEE Trans. Image
 * Process. 22 (2013) 5348, doi:10.1109/TIP.2013.2285600; L. Helfen et al., Appl. Phys. Lett.
 * 86 (2005) 071915, doi:10.1063/1.1854735): by the Fourier slice theorem the 2-D spectrum of
 * the projection at angle theta is the sample's 3-D spectrum on the plane spanned by the
 * detector's unit vectors u^ (horizontal, perpendicular to z) and v^. Writing a frequency as
 * w = xi u^(theta) + eta v^(theta), the Jacobian of (theta, xi, eta) -> w is
 * |r . dw/dtheta| = cos(tau) |xi| (r the unit ray, cos(tau) = the length of its x-y part), and
 * over a full turn every frequency outside the missing cone is reached twice, so
 *   mu(P) = (cos tau / 2) integral over [0, 2 pi) of q_theta(a(P), b(P)) d theta,
 * with q the detector ROWS ramp-filtered along u only (the |xi| factor; nothing along v),
 * in metres, and (a, b) where the ray through P meets the detector. For tau = 0 this is
 * ordinary 360-degree parallel FBP. Discretely d theta is each angle's share of the full
 * circle (half-gaps, fdk.ts `fullCircleWeights`).
 *
 * Missing cone: the planes sampled are those normal to rays at the angle pi/2 - tau to z;
 * they never contain frequencies within tau of the z axis (|w_z| > |w_xy| / tan(tau)).
 * Those frequencies are 0 in the reconstruction: structure that varies only along z (the
 * mean of a laterally extended layer, interfaces parallel to the plate) is lost or
 * blurred along z, while in-plane features keep full resolution.
 *
 * Back-projection is voxel-driven through each projection's vectors: the column and row of
 * P are affine in P (a = (P - d).(v x r) / (u.(v x r)), b = (P - d).(r x u) / (v.(r x u))),
 * advanced incrementally along x, with bilinear interpolation.
 *
 * Pure module: runs in a browser too.
 */
import { checkGrid, type VolumeGrid, voxelCentre } from "../core/grid.js";
import { checkGeometry, type ProjectionGeometry, projectionCount, VECTORS_PER_PROJECTION } from "../acquisition/geometry.js";
import { checkFilterName, type RampFilterName, RowFilter } from "./filters.js";
import { checkProjections, defaultParallelGrid } from "./fbp.js";
import { fullCircleWeights } from "./fdk.js";

export interface LaminographyFbpOptions {
  /** Output grid (default: cols x cols x rows voxels of the detector pitch). */
  readonly grid?: VolumeGrid;
  readonly filter?: RampFilterName;
  /** Called after each projection is back-projected with (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Laminographic FBP of parallel-beam projections [projection][row][col] (line integrals)
 * to mu (1/m). Expects a full turn about z with u perpendicular to z (laminographyGeometry).
 */
export function laminographyFbp(projections: Float32Array, geometry: ProjectionGeometry, options: LaminographyFbpOptions = {}): Float32Array {
  checkGeometry(geometry);
  if (geometry.type !== "parallel3d_vec") throw new RangeError(`laminography FBP needs a parallel3d_vec geometry, got ${geometry.type}`);
  checkProjections(projections, geometry);
  const filter = options.filter ?? "ram-lak";
  checkFilterName(filter);
  const grid = options.grid ?? defaultParallelGrid(geometry);
  checkGrid(grid);
  const { rows, cols, vectors: V } = geometry;
  const n = projectionCount(geometry);
  const angles = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const o = p * VECTORS_PER_PROJECTION;
    const rx = V[o]!, ry = V[o + 1]!;
    const ux = V[o + 6]!, uy = V[o + 7]!, uz = V[o + 8]!;
    if (Math.abs(uz) > 1e-9 * Math.hypot(ux, uy, uz)) throw new RangeError(`projection ${p}: detector u must be perpendicular to the rotation axis z`);
    if (Math.hypot(rx, ry) === 0) throw new RangeError(`projection ${p}: the beam is along the rotation axis, nothing to reconstruct`);
    angles[p] = Math.atan2(rx, -ry);
  }
  const dTheta = fullCircleWeights(angles);

  const { nx, ny, nz, voxelSizeM: s } = grid;
  const out = new Float32Array(nx * ny * nz);
  const stride = cols + 1;
  const filtered = new Float32Array((rows + 1) * stride);
  const filterer = new RowFilter(cols, filter);
  const x0 = voxelCentre(nx, 0, s), y0 = voxelCentre(ny, 0, s), z0 = voxelCentre(nz, 0, s);
  const cc = (cols - 1) / 2, rc = (rows - 1) / 2;
  // Positions within 1e-6 pixel of the detector's edge count as on it (rounding of exact hits).
  const colMax = cols - 1 + 1e-6, rowMax = rows - 1 + 1e-6;

  for (let p = 0; p < n; p++) {
    const o = p * VECTORS_PER_PROJECTION;
    const rx = V[o]!, ry = V[o + 1]!, rz = V[o + 2]!;
    const dx = V[o + 3]!, dy = V[o + 4]!, dz = V[o + 5]!;
    const ux = V[o + 6]!, uy = V[o + 7]!, uz = V[o + 8]!;
    const vx = V[o + 9]!, vy = V[o + 10]!, vz = V[o + 11]!;
    const rn = Math.hypot(rx, ry, rz);
    // Ray spacing across the beam along u (the convolution's tau) and cos(tau) = |r_xy| / |r|.
    const ur = (ux * rx + uy * ry + uz * rz) / rn;
    const pitch = Math.sqrt(Math.max(ux * ux + uy * uy + uz * uz - ur * ur, 0));
    const cosTilt = Math.hypot(rx, ry) / rn;
    const scale = (0.5 * cosTilt * dTheta[p]!) / pitch;
    for (let r = 0; r < rows; r += 2) {
      const hasB = r + 1 < rows;
      filterer.filterPair(projections, p * rows * cols + r * cols, hasB ? p * rows * cols + (r + 1) * cols : 0, filtered, r * stride, hasB ? (r + 1) * stride : 0, scale, hasB);
    }
    // a = (P - d).(v x r) / (u.(v x r)),  b = (P - d).(r x u) / (v.(r x u)).
    const ax = vy * rz - vz * ry, ay = vz * rx - vx * rz, az = vx * ry - vy * rx;
    const bx = ry * uz - rz * uy, by = rz * ux - rx * uz, bz = rx * uy - ry * ux;
    const ad = ux * ax + uy * ay + uz * az, bd = vx * bx + vy * by + vz * bz;
    const cax = ax / ad, cay = ay / ad, caz = az / ad;
    const cbx = bx / bd, cby = by / bd, cbz = bz / bd;
    const colStep = s * cax, rowStep = s * cbx;
    for (let k = 0; k < nz; k++) {
      const pz = z0 + k * s - dz;
      for (let j = 0; j < ny; j++) {
        const py = y0 + j * s - dy;
        const px = x0 - dx;
        let col = cc + px * cax + py * cay + pz * caz;
        let row = rc + px * cbx + py * cby + pz * cbz;
        const ao = nx * (j + ny * k);
        for (let i = 0; i < nx; i++, col += colStep, row += rowStep) {
          if (!(col > -1e-6 && col < colMax && row > -1e-6 && row < rowMax)) continue;
          const c0 = col | 0, r0 = row | 0;
          const fc = col - c0, fr = row - r0;
          const q = r0 * stride + c0;
          const top = filtered[q]! + fc * (filtered[q + 1]! - filtered[q]!);
          const bottom = filtered[q + stride]! + fc * (filtered[q + stride + 1]! - filtered[q + stride]!);
          out[ao + i] += top + fr * (bottom - top);
        }
      }
    }
    options.onProgress?.(p + 1, n);
  }
  return out;
}
