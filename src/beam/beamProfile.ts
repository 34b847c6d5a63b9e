/**
 * Transverse intensity profile of a synchrotron beam at the sample: an elliptical Gaussian
 * with full widths at half maximum F_h (horizontal, along the detector's u) and F_v
 * (vertical, along v), centred on the lab's optical axis. Undulator and bending-magnet
 * beams after the optics are close to Gaussian in both directions (e.g. the source-size
 * and divergence formulas in the X-ray Data Booklet, LBNL, section 2.1); a flat top comes
 * from a slit-limited or defocused beam and is the default (no profile).
 *
 *   I(u, v) = I_peak exp(-4 ln 2 (u^2 / F_h^2 + v^2 / F_v^2)),
 *   photons through the plane = I_peak pi F_h F_v / (4 ln 2).
 *
 * A detector pixel records the profile's mean over its area (not its value at the pixel
 * centre, which is wrong for a beam a few pixels wide), from the Gaussian's integral:
 *   mean over [a, b] of exp(-x^2 / (2 sigma^2)) = sigma sqrt(pi/2) (erf(b / (sigma sqrt 2)) - erf(a / (sigma sqrt 2))) / (b - a).
 */

/** sigma of a Gaussian per unit FWHM: 1 / (2 sqrt(2 ln 2)). */
export const SIGMA_PER_FWHM = 1 / (2 * Math.sqrt(2 * Math.LN2));

/**
 * The error function, |error| < 1.2e-7 everywhere: erfc by the Chebyshev-fitted exponential
 * of W. H. Press et al., Numerical Recipes, 2nd ed. (Cambridge 1992), section 6.2 (erfcc).
 */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 +
          t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc : erfc - 1;
}

export interface GaussianBeam {
  /** FWHM along the detector's u (horizontal), m at the sample. */
  readonly fwhmHorizontalM: number;
  /** FWHM along v (vertical), m at the sample. */
  readonly fwhmVerticalM: number;
}

/** Peak photon density (1/m^2) of a Gaussian beam carrying one photon: 4 ln 2 / (pi F_h F_v). */
export function peakDensityPerPhoton(beam: GaussianBeam): number {
  checkBeam(beam);
  return (4 * Math.LN2) / (Math.PI * beam.fwhmHorizontalM * beam.fwhmVerticalM);
}

function checkBeam(beam: GaussianBeam): void {
  for (const [k, v] of [["horizontal", beam.fwhmHorizontalM], ["vertical", beam.fwhmVerticalM]] as const) {
    if (!(v > 0 && Number.isFinite(v))) throw new RangeError(`beam profile ${k} FWHM must be a positive length, got ${v} m`);
  }
}

/** 5-point Gauss-Legendre nodes and weights on [-1, 1] (Abramowitz & Stegun 25.4.29). */
const GL_X = [0, 0.5384693101056831, -0.5384693101056831, 0.906179845938664, -0.906179845938664];
const GL_W = [0.5688888888888889, 0.47862867049936647, 0.47862867049936647, 0.23692688505618908, 0.23692688505618908];

/**
 * Mean of exp(-x^2 / (2 sigma^2)) over [a, b]. A pixel narrower than sigma: Gauss-Legendre
 * quadrature (relative error below 1e-9 there), since the difference of two close erf
 * values would lose digits; a wider one: the erf difference (absolute error ~1e-7 of the
 * peak, from erf's).
 */
function gaussianMean(a: number, b: number, sigma: number): number {
  const w = b - a;
  const c = 1 / (2 * sigma * sigma);
  if (w <= sigma) {
    const mid = 0.5 * (a + b);
    let sum = 0;
    for (let i = 0; i < 5; i++) {
      const x = mid + 0.5 * w * GL_X[i]!;
      sum += GL_W[i]! * Math.exp(-x * x * c);
    }
    return 0.5 * sum;
  }
  const k = 1 / (sigma * Math.SQRT2);
  return Math.max(0, (sigma * Math.sqrt(Math.PI / 2) * (erf(b * k) - erf(a * k))) / w);
}

export interface ProfileGrid {
  readonly rows: number;
  readonly cols: number;
  /** Pixel pitch at the sample (m). */
  readonly pixelSizeM: number;
  /**
   * Column offset of the optical axis (as geometry.ts's centerOffsetPx: the axis, and the
   * beam centre, fall on column (cols - 1)/2 - centerOffsetPx). Default 0.
   */
  readonly centerOffsetPx?: number;
}

/**
 * Relative intensity recorded by each pixel ([row][col], peak of the profile = 1), the
 * profile averaged over the pixel's area. Separable: one row factor times one column factor.
 */
export function gaussianBeamProfile(beam: GaussianBeam, grid: ProfileGrid): Float32Array {
  checkBeam(beam);
  const { rows, cols, pixelSizeM: p } = grid;
  if (!(Number.isInteger(rows) && rows > 0 && Number.isInteger(cols) && cols > 0)) throw new RangeError(`profile grid must have positive integer rows and cols, got ${rows} x ${cols}`);
  if (!(p > 0 && Number.isFinite(p))) throw new RangeError(`pixel size must be a positive length, got ${p} m`);
  const centreCol = (cols - 1) / 2 - (grid.centerOffsetPx ?? 0);
  const centreRow = (rows - 1) / 2;
  const sh = beam.fwhmHorizontalM * SIGMA_PER_FWHM;
  const sv = beam.fwhmVerticalM * SIGMA_PER_FWHM;
  const colFactor = new Float64Array(cols);
  for (let c = 0; c < cols; c++) colFactor[c] = gaussianMean((c - centreCol - 0.5) * p, (c - centreCol + 0.5) * p, sh);
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const f = gaussianMean((r - centreRow - 0.5) * p, (r - centreRow + 0.5) * p, sv);
    for (let c = 0; c < cols; c++) out[r * cols + c] = f * colFactor[c]!;
  }
  return out;
}
