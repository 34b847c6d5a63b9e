/**
 * Single-distance, single-material phase retrieval of D. Paganin, S. C. Mayo, T. E. Gureyev,
 * P. R. Miller and S. W. Wilkins, J. Microsc. 206 (2002) 33, doi:10.1046/j.1365-2818.2002.01010.x.
 *
 * For a homogeneous object of projected thickness T(x, y) with n = 1 - delta + i beta and
 * mu = 4 pi beta / lambda, the transport-of-intensity equation at distance z gives
 *   I_z / I0 = (1 - (z delta / mu) nabla^2) exp(-mu T)                  (Paganin eq. 7)
 * and in Fourier space, with angular frequencies k = 2 pi f (f in cycles per metre),
 *   F[I_z / I0] = (1 + (z delta / mu) |k|^2) F[exp(-mu T)]
 *   z delta / mu * 4 pi^2 |f|^2 = z delta lambda / (4 pi beta) * 4 pi^2 |f|^2
 *                               = pi lambda z (delta / beta) |f|^2       (dimensionless:
 *                                 m * m * m^-2).
 * Hence  mu T = -ln F^-1[ F[I_z / I0] / (1 + pi lambda z (delta/beta) |f|^2) ]    (eq. 8).
 * The filter is a low-pass of unit gain at f = 0, so a flat background I/I0 = 1 maps to 0.
 * Valid in the near field (Fresnel number a^2 / (lambda z) >> 1 for the finest feature a),
 * for one material (or a fixed delta/beta), weak absorption gradients.
 */
import { fft2d } from "../core/fft.js";
import {
  checkImage,
  canvasBuffer,
  checkPositive,
  cropReal,
  padInto,
  resolveWavelength,
  retrievalGrid,
  type RetrievalImage,
  type WavelengthOption,
} from "./retrievalGrid.js";

export interface PaganinOptions extends WavelengthOption {
  /** Detector pixel pitch (m) in the object plane (divide by the magnification for cone beam). */
  pixelSizeM: number;
  /** Propagation distance object-detector (m); the effective distance for cone beam. */
  distanceM: number;
  /** delta / beta of the object's material, e.g. materialOptics(m, E).delta / .beta. */
  deltaOverBeta: number;
  /** Canvas size / image size per axis, edge-replicated margin (default 2). */
  pad?: number;
}

export interface PaganinThicknessOptions extends PaganinOptions {
  /** Linear attenuation coefficient mu (1/m) of the material; give this or beta. */
  muPerM?: number;
  /** Absorption index beta of the material (mu = 4 pi beta / lambda); give this or muPerM. */
  beta?: number;
}

/** Smallest filtered intensity taken by the logarithm: noise can push a dark pixel to <= 0. */
const MIN_TRANSMISSION = 1e-30;

/**
 * The attenuation-equivalent line integral mu T = -ln(filtered I/I0) (dimensionless) of
 * Paganin's method: no material mu needed, and its filtered back-projection is the
 * material's mu (1/m). This is the quantity `xtwin retrieve-phase` should reconstruct.
 */
export function paganinLineIntegral(intensity: RetrievalImage, nx: number, ny: number, o: PaganinOptions, out?: Float64Array): Float64Array {
  const what = "paganinLineIntegral";
  checkImage(intensity, nx, ny, what);
  const lambda = resolveWavelength(o, what);
  checkPositive(o.pixelSizeM, "pixelSizeM", what, " of metres");
  checkPositive(o.distanceM, "distanceM", what, " of metres");
  if (!(Number.isFinite(o.deltaOverBeta) && o.deltaOverBeta >= 0)) {
    throw new RangeError(`${what}: deltaOverBeta must be a number >= 0 (delta / beta of the material), got ${o.deltaOverBeta}`);
  }
  const result = out ?? new Float64Array(nx * ny);
  if (result.length !== nx * ny) throw new RangeError(`${what}: output holds ${result.length} values, expected ${nx * ny}`);
  const g = retrievalGrid(nx, ny, o.pixelSizeM, o.pad ?? 2, what);
  const canvas = canvasBuffer(g, 0);
  padInto(intensity, g, canvas, 0);
  fft2d(canvas, g.px, g.py, false);
  const c = Math.PI * lambda * o.distanceM * o.deltaOverBeta;
  for (let y = 0; y < g.py; y++) {
    const fy2 = g.fy2[y]!;
    for (let x = 0; x < g.px; x++) {
      const w = 1 / (1 + c * (g.fx2[x]! + fy2));
      const i = 2 * (x + g.px * y);
      canvas[i] = canvas[i]! * w;
      canvas[i + 1] = canvas[i + 1]! * w;
    }
  }
  fft2d(canvas, g.px, g.py, true);
  cropReal(canvas, g, result);
  for (let i = 0; i < result.length; i++) result[i] = -Math.log(Math.max(result[i]!, MIN_TRANSMISSION));
  return result;
}

/**
 * Paganin's projected thickness T (m) = (mu T) / mu of a homogeneous object; needs the
 * material's mu (muPerM, or beta with mu = 4 pi beta / lambda) besides delta / beta.
 */
export function paganinRetrieve(intensity: RetrievalImage, nx: number, ny: number, o: PaganinThicknessOptions, out?: Float64Array): Float64Array {
  const what = "paganinRetrieve";
  const lambda = resolveWavelength(o, what);
  if ((o.muPerM === undefined) === (o.beta === undefined)) {
    throw new RangeError(`${what}: the thickness needs the material's attenuation: give exactly one of muPerM (1/m) or beta`);
  }
  const mu = o.muPerM ?? (4 * Math.PI * o.beta!) / lambda;
  checkPositive(mu, o.muPerM !== undefined ? "muPerM" : "beta", what, "");
  const t = paganinLineIntegral(intensity, nx, ny, o, out);
  for (let i = 0; i < t.length; i++) t[i] = t[i]! / mu;
  return t;
}
