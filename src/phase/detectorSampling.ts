/**
 * Detector sampling of a propagated intensity. A detector pixel counts the photons over its
 * whole area, so its value is the MEAN of the intensity over the pixel, not the intensity at
 * the pixel centre: fringes finer than a pixel are averaged away (their contrast drops), they
 * do not alias into false coarse fringes.
 *
 * How to use it: project the delta and beta integrals on a fine detector grid of pixel
 * (detector pixel) / factor, build the exit wave and propagate it on that fine grid (the
 * Fresnel fringes need the fine sampling), take the intensity, then bin it with
 * integratePixels(intensity, nxFine, nyFine, factor). There is deliberately no function that
 * upsamples a coarse projection: interpolating the projected integrals would smooth away the
 * very edges that make the fringes.
 */

/**
 * Averages factor x factor blocks of a fine intensity image (nxFine x nyFine, x fastest) into
 * a coarse image of (nxFine / factor) x (nyFine / factor) pixels. The sum of the fine image
 * equals factor^2 times the sum of the coarse one (photons are conserved).
 */
export function integratePixels(intensityFine: Float64Array, nxFine: number, nyFine: number, factor: number): Float64Array {
  if (!(Number.isInteger(factor) && factor >= 1)) throw new RangeError(`binning factor must be a positive integer, got ${factor}`);
  if (!(Number.isInteger(nxFine) && nxFine >= 1 && Number.isInteger(nyFine) && nyFine >= 1)) throw new RangeError(`fine image size must be positive integers, got ${nxFine} x ${nyFine}`);
  if (nxFine % factor !== 0 || nyFine % factor !== 0) throw new RangeError(`fine image ${nxFine} x ${nyFine} is not a whole number of ${factor} x ${factor} detector pixels`);
  if (intensityFine.length !== nxFine * nyFine) throw new RangeError(`fine image holds ${intensityFine.length} values, ${nxFine} x ${nyFine} expected`);
  const nx = nxFine / factor;
  const ny = nyFine / factor;
  const out = new Float64Array(nx * ny);
  for (let yf = 0; yf < nyFine; yf++) {
    const row = nx * Math.floor(yf / factor);
    const fineRow = nxFine * yf;
    for (let x = 0; x < nx; x++) {
      let sum = 0;
      const start = fineRow + x * factor;
      for (let s = 0; s < factor; s++) sum += intensityFine[start + s]!;
      out[row + x] = out[row + x]! + sum;
    }
  }
  const norm = 1 / (factor * factor);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! * norm;
  return out;
}
