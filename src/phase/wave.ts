/**
 * Complex waves of the phase-contrast forward model.
 *
 * A complex field is an interleaved Float64Array [re0, im0, re1, im1, ...] of ny rows of nx
 * columns (x fastest), lengths in metres. The time dependence is exp(-i omega t) (J. W.
 * Goodman, "Introduction to Fourier Optics", 3rd ed., 2005, ch. 3-4), so a wave travelling
 * along +z is exp(+i k z) and a medium of refractive index n = 1 - delta + i beta multiplies
 * the wave by exp(i k (n - 1) t) = exp(-i k delta t) exp(-k beta t) over a thickness t.
 *
 * Projection approximation (D. M. Paganin, "Coherent X-Ray Optics", OUP 2006, eq. 2.39):
 * the exit wave of a thin sample lit by a unit plane wave is
 *   T = exp(-k B) exp(-i k D),  D = integral(delta dz), B = integral(beta dz) (metres),
 * so |T|^2 = exp(-2 k B) = exp(-integral mu dz) with mu = 4 pi beta / lambda, the
 * convention of docs/materials.md.
 */
import { wavelengthM as wavelengthFromEnergy } from "../core/constants.js";

/** Photon wavelength lambda = h c / E (m) at a photon energy (keV). */
export function wavelengthM(energyKeV: number): number {
  if (!(Number.isFinite(energyKeV) && energyKeV > 0)) throw new RangeError(`photon energy must be a positive number of keV, got ${energyKeV}`);
  return wavelengthFromEnergy(energyKeV);
}

/**
 * Exit wave T = exp(-k B - i k D) of a sample in the projection approximation, from its
 * projected delta and beta integrals D, B (m, one value per pixel), lit by a unit plane
 * wave. Returns an interleaved complex field of the same pixel count (into `out` if given).
 */
export function exitWave(
  deltaIntegralM: Float32Array | Float64Array,
  betaIntegralM: Float32Array | Float64Array,
  energyKeV: number,
  out?: Float64Array,
): Float64Array {
  const n = deltaIntegralM.length;
  if (betaIntegralM.length !== n) throw new RangeError(`beta integrals hold ${betaIntegralM.length} pixels, the delta integrals ${n}: both must cover the same pixels`);
  const field = out ?? new Float64Array(2 * n);
  if (field.length !== 2 * n) throw new RangeError(`output field holds ${field.length} values, ${n} complex pixels need ${2 * n}`);
  const k = (2 * Math.PI) / wavelengthM(energyKeV);
  for (let p = 0; p < n; p++) {
    const amplitude = Math.exp(-k * betaIntegralM[p]!);
    const phase = -k * deltaIntegralM[p]!;
    field[2 * p] = amplitude * Math.cos(phase);
    field[2 * p + 1] = amplitude * Math.sin(phase);
  }
  return field;
}

/** Intensity |u|^2 of an interleaved complex field (into `out` if given). */
export function intensity(field: Float64Array, out?: Float64Array): Float64Array {
  if (field.length % 2 !== 0) throw new RangeError(`a complex field holds an even number of values (re, im pairs), got ${field.length}`);
  const n = field.length >> 1;
  const result = out ?? new Float64Array(n);
  if (result.length !== n) throw new RangeError(`output holds ${result.length} values, the field has ${n} pixels`);
  for (let p = 0; p < n; p++) {
    const re = field[2 * p]!;
    const im = field[2 * p + 1]!;
    result[p] = re * re + im * im;
  }
  return result;
}
