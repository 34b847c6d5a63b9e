/**
 * Oversampled edge-spread function from an image of a slightly slanted straight edge
 * (ISO 12233's slanted-edge method, P. D. Burns, Proc. IS&T PICS (2000) 135-138; for X-ray
 * imaging E. Samei et al., Med. Phys. 25 (1998) 102, doi:10.1118/1.598165):
 *   1. the edge position in each row is the centroid of the row's |central difference|;
 *   2. a least-squares line x = a + b y through those positions gives the edge and its angle;
 *   3. every pixel is placed at its signed perpendicular distance d = (x - a - b y) / sqrt(1 + b^2)
 *      from the line and binned at 1/oversampling pixel; the bin means are the ESF.
 * Because the edge crosses the pixel grid at a slant, the rows sample the edge at different
 * sub-pixel phases and the binned ESF resolves detail finer than a pixel. Feed the result to
 * edgeMtf with sampleSpacingM = pixel size / oversampling.
 *
 * The edge must run closer to the image's y axis than to its x axis (|angle| < 45 deg from
 * the columns); transpose the image for a near-horizontal edge. Image: nx * ny, x fastest.
 *
 * Pure module.
 */
import type { RealArray } from "./imageMetrics.js";

export interface SlantedEdgeEsf {
  /** ESF samples, 1/oversampling pixel apart, d from -halfWidth to +halfWidth. */
  readonly esf: Float64Array;
  /** Spacing of the ESF samples in pixels (1 / oversampling). */
  readonly sampleSpacingPx: number;
  /** Perpendicular distance (px) of the first sample from the edge. */
  readonly firstDistancePx: number;
  /** Edge angle from the y axis (rad), atan(b), positive when x grows with y. */
  readonly angleRad: number;
  /** Edge x position (px, pixel index units) at row 0: a. */
  readonly offsetPx: number;
}

export function slantedEdgeEsf(image: RealArray, nx: number, ny: number, oversampling = 4): SlantedEdgeEsf {
  if (!(Number.isInteger(nx) && Number.isInteger(ny) && nx >= 8 && ny >= 4)) {
    throw new RangeError(`slantedEdgeEsf: image must be at least 8 x 4 pixels, got ${nx} x ${ny}`);
  }
  if (image.length !== nx * ny) throw new RangeError(`slantedEdgeEsf: image holds ${image.length} values, ${nx} x ${ny} needs ${nx * ny}`);
  if (!(Number.isInteger(oversampling) && oversampling >= 1 && oversampling <= 16)) {
    throw new RangeError(`slantedEdgeEsf: oversampling must be an integer in 1..16, got ${oversampling}`);
  }
  // 1. Edge centroid per row.
  let sy = 0, sx = 0, syy = 0, sxy = 0;
  for (let y = 0; y < ny; y++) {
    const row = nx * y;
    let w = 0, wx = 0;
    for (let x = 1; x < nx - 1; x++) {
      const g = Math.abs(image[row + x + 1]! - image[row + x - 1]!);
      w += g;
      wx += g * x;
    }
    if (!(w > 0)) throw new RangeError(`slantedEdgeEsf: row ${y} is flat, expected an edge crossing every row`);
    const xc = wx / w;
    sy += y;
    sx += xc;
    syy += y * y;
    sxy += y * xc;
  }
  // 2. Least-squares line x = a + b y.
  const b = (ny * sxy - sy * sx) / (ny * syy - sy * sy);
  const a = (sx - b * sy) / ny;
  if (Math.abs(b) >= 1) throw new RangeError(`slantedEdgeEsf: edge is ${((Math.atan(b) * 180) / Math.PI).toFixed(1)} deg from the columns, expected under 45 (transpose the image)`);
  const s = Math.sqrt(1 + b * b);
  // Half-width every row covers on both sides of the edge.
  let half = Infinity;
  for (const y of [0, ny - 1]) {
    const xc = a + b * y;
    half = Math.min(half, xc / s, (nx - 1 - xc) / s);
  }
  const binsEachSide = Math.floor(half * oversampling);
  if (binsEachSide < 2) throw new RangeError("slantedEdgeEsf: the edge runs too close to the image border, expected room on both sides");
  // 3. Bin pixels by perpendicular distance; bin m covers d in [(m - 1/2)/ov, (m + 1/2)/ov).
  const nBins = 2 * binsEachSide + 1;
  const sum = new Float64Array(nBins);
  const count = new Float64Array(nBins);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const m = Math.round(((x - a - b * y) / s) * oversampling) + binsEachSide;
      if (m < 0 || m >= nBins) continue;
      sum[m]! += image[x + nx * y]!;
      count[m]!++;
    }
  }
  const esf = new Float64Array(nBins);
  for (let m = 0; m < nBins; m++) esf[m] = count[m]! > 0 ? sum[m]! / count[m]! : NaN;
  // Empty bins (possible at small slants): linear interpolation from the nearest filled ones.
  for (let m = 0; m < nBins; m++) {
    if (!Number.isNaN(esf[m]!)) continue;
    let lo = m - 1;
    while (lo >= 0 && Number.isNaN(esf[lo]!)) lo--;
    let hi = m + 1;
    while (hi < nBins && Number.isNaN(esf[hi]!)) hi++;
    if (lo < 0 && hi >= nBins) throw new RangeError("slantedEdgeEsf: no pixel fell in any bin");
    esf[m] = lo < 0 ? esf[hi]! : hi >= nBins ? esf[lo]! : esf[lo]! + ((m - lo) / (hi - lo)) * (esf[hi]! - esf[lo]!);
  }
  return { esf, sampleSpacingPx: 1 / oversampling, firstDistancePx: -binsEachSide / oversampling, angleRad: Math.atan(b), offsetPx: a };
}
