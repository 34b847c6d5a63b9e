/**
 * Partial coherence and polychromaticity of propagation-based phase contrast.
 *
 * Source size: a source of finite size blurs the propagated intensity by its image projected
 * through the sample onto the detector, the penumbra sigma_det = sigma_src z2 / z1 (z1 source
 * to sample, z2 sample to detector: each point of an incoherent source casts its own
 * coherent pattern, shifted by its offset times z2 / z1; D. M. Paganin, "Coherent X-Ray
 * Optics", OUP 2006, ch. 4). Applied as a
 * Gaussian convolution of the intensity, separable, with the edge values replicated beyond
 * the borders.
 *
 * Fresnel scaling theorem: the intensity of a point-source (cone) beam at distance z2 behind
 * a sample that is z1 from the source equals the plane-wave intensity at the effective
 * distance z_eff = z1 z2 / (z1 + z2), magnified by M = (z1 + z2) / z1 and divided by M^2
 * (Paganin 2006, sec. 2.5; used e.g. for cone-beam holotomography by R. Mokso, P. Cloetens
 * et al., Appl. Phys. Lett. 90 (2007) 144104, doi:10.1063/1.2719653). In one transverse
 * dimension the intensity divides by M instead of M^2.
 */

/** Magnification and effective propagation distance of a cone beam (Fresnel scaling theorem). */
export function fresnelScaling(z1M: number, z2M: number): { magnification: number; effectiveDistanceM: number } {
  if (!(Number.isFinite(z1M) && z1M > 0)) throw new RangeError(`source-to-sample distance z1 must be a positive number of metres, got ${z1M}`);
  if (!(Number.isFinite(z2M) && z2M >= 0)) throw new RangeError(`sample-to-detector distance z2 must be a finite number >= 0 m, got ${z2M}`);
  return { magnification: (z1M + z2M) / z1M, effectiveDistanceM: (z1M * z2M) / (z1M + z2M) };
}

/** FWHM -> standard deviation of a Gaussian: FWHM = 2 sqrt(2 ln 2) sigma. */
export const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);

/** The source's penumbra on the detector, sigma_det = (FWHM_src / 2.3548) z2 / z1 (m). */
export function projectedSourceSigmaM(sourceFwhmM: number, sourceDistanceM: number, propagationDistanceM: number): number {
  if (!(Number.isFinite(sourceFwhmM) && sourceFwhmM >= 0)) throw new RangeError(`source FWHM must be a finite number >= 0 m, got ${sourceFwhmM}`);
  if (!(Number.isFinite(sourceDistanceM) && sourceDistanceM > 0)) throw new RangeError(`source distance z1 must be a positive number of metres, got ${sourceDistanceM}`);
  if (!(Number.isFinite(propagationDistanceM))) throw new RangeError(`propagation distance z2 must be finite, got ${propagationDistanceM}`);
  return ((sourceFwhmM / FWHM_PER_SIGMA) * Math.abs(propagationDistanceM)) / sourceDistanceM;
}

/**
 * Blurs an intensity image (nx x ny, x fastest, detector-plane pixel pitch pixelSizeM) by
 * the projected source, a Gaussian of sigma = sigma_src z2 / z1. The source FWHM is one
 * number, or [FWHM along x, FWHM along y] for the usual wider-than-high synchrotron source.
 * Returns a new image. The kernel is the sampled Gaussian truncated at 4 sigma and normalised
 * to sum 1 (so a uniform image stays uniform); below ~0.5 pixel its variance is less than
 * sigma^2.
 */
export function sourceSizeBlur(
  intensity: Float64Array,
  nx: number,
  ny: number,
  pixelSizeM: number,
  sourceFwhmM: number | readonly [number, number],
  sourceDistanceM: number,
  propagationDistanceM: number,
): Float64Array {
  if (!(Number.isInteger(nx) && nx >= 1 && Number.isInteger(ny) && ny >= 1)) throw new RangeError(`image size must be positive integers, got ${nx} x ${ny}`);
  if (intensity.length !== nx * ny) throw new RangeError(`intensity holds ${intensity.length} values, ${nx} x ${ny} expected`);
  if (!(Number.isFinite(pixelSizeM) && pixelSizeM > 0)) throw new RangeError(`pixel size must be a positive number of metres, got ${pixelSizeM}`);
  const [fwhmX, fwhmY] = typeof sourceFwhmM === "number" ? [sourceFwhmM, sourceFwhmM] : sourceFwhmM;
  const sigmaX = projectedSourceSigmaM(fwhmX, sourceDistanceM, propagationDistanceM) / pixelSizeM;
  const sigmaY = projectedSourceSigmaM(fwhmY, sourceDistanceM, propagationDistanceM) / pixelSizeM;
  return gaussianBlur(intensity, nx, ny, sigmaX, sigmaY);
}

/** Discrete Gaussian (sampled, truncated at 4 sigma, sum 1); [1] for sigma 0. */
function gaussianKernel(sigmaPx: number): Float64Array {
  if (!(Number.isFinite(sigmaPx) && sigmaPx >= 0)) throw new RangeError(`blur sigma must be a finite number >= 0 pixels, got ${sigmaPx}`);
  if (sigmaPx === 0) return new Float64Array([1]);
  const radius = Math.ceil(4 * sigmaPx);
  const kernel = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let t = -radius; t <= radius; t++) sum += kernel[t + radius] = Math.exp(-(t * t) / (2 * sigmaPx * sigmaPx));
  for (let t = 0; t < kernel.length; t++) kernel[t] = kernel[t]! / sum;
  return kernel;
}

/** Separable Gaussian blur (sigmas in pixels, sigmaY defaults to sigmaX), edge values replicated; a new image. */
export function gaussianBlur(image: Float64Array, nx: number, ny: number, sigmaXPx: number, sigmaYPx = sigmaXPx): Float64Array {
  const kx = gaussianKernel(sigmaXPx);
  const ky = gaussianKernel(sigmaYPx);
  const out = Float64Array.from(image);
  const line = new Float64Array(Math.max(nx, ny));
  if (kx.length > 1) {
    const radius = kx.length >> 1;
    for (let y = 0; y < ny; y++) {
      const row = nx * y;
      for (let x = 0; x < nx; x++) line[x] = out[row + x]!;
      for (let x = 0; x < nx; x++) {
        let acc = 0;
        for (let t = -radius; t <= radius; t++) {
          const xs = x + t;
          acc += kx[t + radius]! * line[xs < 0 ? 0 : xs >= nx ? nx - 1 : xs]!;
        }
        out[row + x] = acc;
      }
    }
  }
  if (ky.length > 1) {
    const radius = ky.length >> 1;
    for (let x = 0; x < nx; x++) {
      for (let y = 0; y < ny; y++) line[y] = out[x + nx * y]!;
      for (let y = 0; y < ny; y++) {
        let acc = 0;
        for (let t = -radius; t <= radius; t++) {
          const ys = y + t;
          acc += ky[t + radius]! * line[ys < 0 ? 0 : ys >= ny ? ny - 1 : ys]!;
        }
        out[x + nx * y] = acc;
      }
    }
  }
  return out;
}

export interface Spectrum {
  /** Bin energies (keV). */
  energiesKeV: ArrayLike<number>;
  /** Photon fluence per bin (any unit; normalised here). */
  weights: ArrayLike<number>;
}

/**
 * Intensity of a polychromatic beam: the weighted mean of the monochromatic intensities
 * intensityAt(E) over the spectrum, sum w_i I(E_i) / sum w_i, i.e. the flat-field-corrected
 * image. A photon-counting detector weighs each bin by its photon fluence w_i; an
 * energy-integrating (scintillator) detector by the deposited energy, w_i E_i (approximately:
 * the absorbed fraction is taken as flat). The callback's arrays may be reused between calls.
 */
export function polychromaticIntensity(
  spectrum: Spectrum,
  intensityAt: (energyKeV: number, bin: number) => Float64Array,
  detector: "photon-counting" | "energy-integrating" = "photon-counting",
): Float64Array {
  const n = spectrum.energiesKeV.length;
  if (n === 0 || spectrum.weights.length !== n) throw new RangeError(`spectrum needs as many weights as energies (>= 1), got ${spectrum.weights.length} weights for ${n} energies`);
  let total = 0;
  let out: Float64Array | undefined;
  for (let b = 0; b < n; b++) {
    const e = spectrum.energiesKeV[b]!;
    const w0 = spectrum.weights[b]!;
    if (!(e > 0 && Number.isFinite(e) && w0 >= 0 && Number.isFinite(w0))) throw new RangeError(`spectrum bin ${b}: energy must be > 0 keV and weight >= 0, got ${e} keV, ${w0}`);
    const w = detector === "energy-integrating" ? w0 * e : w0;
    if (w === 0) continue;
    const img = intensityAt(e, b);
    if (!out) out = new Float64Array(img.length);
    else if (img.length !== out.length) throw new RangeError(`intensity at bin ${b} has ${img.length} pixels, earlier bins ${out.length}`);
    for (let p = 0; p < img.length; p++) out[p] = out[p]! + w * img[p]!;
    total += w;
  }
  if (!out || total === 0) throw new RangeError("spectrum has no weight: at least one bin needs a positive weight");
  const inv = 1 / total;
  for (let p = 0; p < out.length; p++) out[p] = out[p]! * inv;
  return out;
}
