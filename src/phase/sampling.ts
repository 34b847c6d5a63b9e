/**
 * Sampling and validity checks of the propagation model. They return warnings (readable
 * strings, empty when all is well) rather than throwing: an under-sampled simulation still
 * runs, the caller decides what to do.
 *
 * Also the Fresnel integrals C(x), S(x), which give the analytic straight-edge diffraction
 * pattern the propagator is tested against.
 */
import type { PropagationMethod } from "./fresnel.js";

/**
 * Warnings on the transfer-function sampling of a propagation by distanceM on an nx x ny
 * FFT grid (the padded grid, nx = ny = N of the criterion) of pitch pixelSizeM.
 *
 * The chirp H = exp(-i pi lambda z f^2) sampled at df = 1/(N dx) changes its phase by at
 * most pi lambda |z| / (N dx^2) per sample at the Nyquist frequency, so it is aliased when
 * lambda |z| / (N dx^2) > 1 (critical sampling lambda z = N dx^2: D. G. Voelz, "Computational
 * Fourier Optics: a MATLAB tutorial", SPIE Press 2011, ch. 5; D. G. Voelz and M. C.
 * Roggemann, "Digital simulation of scalar optical diffraction: revisiting chirp function
 * sampling criteria and consequences", Appl. Opt. 48 (2009) 6132, doi:10.1364/AO.48.006132).
 * Beyond it the diffracted light also leaves the window (lambda z / dx > N dx), so the
 * result wraps around. The angular-spectrum transfer function has the same chirp at X-ray
 * wavelengths (paraxial), so the same criterion applies to both methods.
 */
export function propagationSamplingWarnings(
  nx: number,
  ny: number,
  pixelSizeM: number,
  wavelengthM: number,
  distanceM: number,
  method: PropagationMethod = "fresnel",
): string[] {
  if (!(Number.isInteger(nx) && nx >= 1 && Number.isInteger(ny) && ny >= 1)) throw new RangeError(`grid size must be positive integers, got ${nx} x ${ny}`);
  if (!(pixelSizeM > 0 && wavelengthM > 0 && Number.isFinite(distanceM))) {
    throw new RangeError(`pixel size and wavelength must be positive and the distance finite, got ${pixelSizeM}, ${wavelengthM}, ${distanceM}`);
  }
  const warnings: string[] = [];
  const lz = wavelengthM * Math.abs(distanceM);
  for (const [axis, n] of [["x", nx], ["y", ny]] as const) {
    const ratio = lz / (n * pixelSizeM * pixelSizeM);
    if (ratio > 1) {
      const minN = Math.ceil(lz / (pixelSizeM * pixelSizeM));
      warnings.push(
        `${method} transfer function under-sampled along ${axis}: lambda z / (N dx^2) = ${ratio.toPrecision(3)} > 1 ` +
          `(N = ${n}, dx = ${pixelSizeM} m, lambda z = ${lz.toPrecision(3)} m^2); the chirp aliases and the ` +
          `diffraction wraps around the window: pad to N >= ${minN}, use larger pixels or a shorter distance`,
      );
    }
  }
  if (method === "fresnel") {
    // Paraxial validity: the largest angle on the grid, lambda / (2 dx), must stay small;
    // the dropped phase term is ~ pi z lambda^3 f^4 / 4 (Goodman 2005, sec. 4.2.2).
    const fMax = 1 / (2 * pixelSizeM);
    const phaseError = (Math.PI * Math.abs(distanceM) * wavelengthM ** 3 * fMax ** 4) / 4;
    if (phaseError > 0.1) {
      warnings.push(`paraxial (Fresnel) approximation off by up to ${phaseError.toPrecision(3)} rad at the Nyquist frequency: use method "angular-spectrum"`);
    }
  }
  return warnings;
}

/**
 * Warning when the projection approximation is doubtful for a sample of thickness T whose
 * smallest feature is a: it neglects diffraction inside the sample, which needs the
 * sample's own Fresnel number for its thickness small, T lambda / a^2 << 1 (D. M. Paganin,
 * "Coherent X-Ray Optics", OUP 2006, sec. 2.2). Warns above 0.1 and recommends multislice.
 */
export function projectionApproximationWarning(thicknessM: number, smallestFeatureM: number, wavelengthM: number): string[] {
  if (!(thicknessM >= 0 && Number.isFinite(thicknessM))) throw new RangeError(`sample thickness must be a finite number >= 0 m, got ${thicknessM}`);
  if (!(smallestFeatureM > 0 && Number.isFinite(smallestFeatureM))) throw new RangeError(`smallest feature must be a positive number of metres, got ${smallestFeatureM}`);
  if (!(wavelengthM > 0 && Number.isFinite(wavelengthM))) throw new RangeError(`wavelength must be a positive number of metres, got ${wavelengthM}`);
  const ratio = (thicknessM * wavelengthM) / (smallestFeatureM * smallestFeatureM);
  if (ratio <= PROJECTION_APPROXIMATION_LIMIT) return [];
  return [
    `projection approximation doubtful: T lambda / a^2 = ${ratio.toPrecision(3)} > ${PROJECTION_APPROXIMATION_LIMIT} ` +
      `(thickness ${thicknessM} m, feature ${smallestFeatureM} m): diffraction inside the sample matters, use multislicePropagate`,
  ];
}

/** Threshold of T lambda / a^2 above which projectionApproximationWarning warns. */
export const PROJECTION_APPROXIMATION_LIMIT = 0.1;

/**
 * Fresnel integrals C(x) = int_0^x cos(pi t^2 / 2) dt, S(x) = int_0^x sin(pi t^2 / 2) dt
 * (M. Abramowitz and I. A. Stegun, "Handbook of Mathematical Functions", 1964, 7.3.1-2),
 * to ~1e-12 absolute:
 *   - |x| < 2: the power series A&S 7.3.11, 7.3.13 (largest term ~ e^(pi x^2/2) < 600, so
 *     little cancellation);
 *   - beyond: C + iS = (1 + i)/2 [1 - erfc-like tail], the tail by the continued fraction of
 *     the complementary error function evaluated with the modified Lentz method (W. H.
 *     Press et al., "Numerical Recipes", 3rd ed., 2007, sec. 6.8.1), equivalent to the
 *     auxiliary functions f, g of A&S 7.3.9-10.
 * Odd functions: C(-x) = -C(x), S(-x) = -S(x).
 */
export function fresnelIntegrals(x: number): { c: number; s: number } {
  if (!Number.isFinite(x)) {
    if (Number.isNaN(x)) throw new RangeError("Fresnel integral of NaN");
    return { c: Math.sign(x) * 0.5, s: Math.sign(x) * 0.5 };
  }
  const ax = Math.abs(x);
  const sign = x < 0 ? -1 : 1;
  let c: number;
  let s: number;
  if (ax < 2) {
    // C = sum (-1)^n (pi/2)^(2n) x^(4n+1) / ((2n)! (4n+1)); S likewise with 2n+1.
    const t = (Math.PI / 2) * ax * ax; // term ratio variable
    let term = ax; // (pi/2 x^2)^m x / m! for m = 0
    c = 0;
    s = 0;
    for (let m = 0; m < 200; m++) {
      const contribution = term / (2 * m + 1);
      const q = m & 3; // i^m: 1, i, -1, -i
      if (q === 0) c += contribution;
      else if (q === 1) s += contribution;
      else if (q === 2) c -= contribution;
      else s -= contribution;
      term *= t / (m + 1);
      if (term < 1e-17) break;
    }
    // The series above is sum_m (i t)^m x / (m! (2m+1)) = C + i S (A&S 7.3.11/13 merged).
  } else {
    // Modified Lentz on the continued fraction of erfc (Numerical Recipes 3rd ed., 6.8).
    const pix2 = Math.PI * ax * ax;
    const tiny = 1e-300;
    let bRe = 1, bIm = -pix2;
    let ccRe = 1 / tiny, ccIm = 0;
    // d = h = 1 / b
    let den = bRe * bRe + bIm * bIm;
    let dRe = bRe / den, dIm = -bIm / den;
    let hRe = dRe, hIm = dIm;
    let n = -1;
    for (let k = 2; k < 400; k++) {
      n += 2;
      const a = -n * (n + 1);
      bRe += 4;
      // d = 1 / (a d + b)
      let tRe = a * dRe + bRe, tIm = a * dIm + bIm;
      den = tRe * tRe + tIm * tIm;
      dRe = tRe / den;
      dIm = -tIm / den;
      // cc = b + a / cc
      den = ccRe * ccRe + ccIm * ccIm;
      ccRe = bRe + (a * ccRe) / den;
      ccIm = bIm - (a * ccIm) / den;
      // del = cc d; h *= del
      const delRe = ccRe * dRe - ccIm * dIm;
      const delIm = ccRe * dIm + ccIm * dRe;
      tRe = hRe * delRe - hIm * delIm;
      tIm = hRe * delIm + hIm * delRe;
      hRe = tRe;
      hIm = tIm;
      if (Math.abs(delRe - 1) + Math.abs(delIm) < 1e-15) break;
    }
    // h *= (ax, -ax); cs = (1/2 + i/2) (1 - exp(i pix2 / 2) h)
    const h2Re = hRe * ax + hIm * ax;
    const h2Im = hIm * ax - hRe * ax;
    const eRe = Math.cos(pix2 / 2), eIm = Math.sin(pix2 / 2);
    const pRe = 1 - (eRe * h2Re - eIm * h2Im);
    const pIm = -(eRe * h2Im + eIm * h2Re);
    c = 0.5 * pRe - 0.5 * pIm;
    s = 0.5 * pRe + 0.5 * pIm;
  }
  return { c: sign * c, s: sign * s };
}
