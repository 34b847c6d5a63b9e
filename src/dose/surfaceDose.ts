/**
 * Entrance surface dose: the absorbed dose just inside the surface the beam enters,
 *   D = Phi E (mu_en / rho)            (monochromatic, fluence Phi in photons per m^2)
 *   D = Phi sum_E w_E E (mu_en/rho)(E) (spectrum, w_E the fraction of photons in bin E),
 * which is the collision kerma of the incident beam. Kerma equals absorbed dose under
 * charged-particle equilibrium and without bremsstrahlung losses (ICRU Report 85,
 * "Fundamental quantities and units for ionizing radiation", J. ICRU 11(1) (2011),
 * doi:10.1093/jicru/ndr011, sections 4.2-5.2; Attix, "Introduction to Radiological Physics
 * and Radiation Dosimetry", Wiley (1986), ch. 2 and 4): at the energies of lab and
 * synchrotron CT (< 200 keV) the secondary electrons' ranges are microns and radiative
 * losses under 1 %, so equilibrium holds a few microns below the surface.
 *
 * mu_en/rho: the materials library (Hubbell & Seltzer, NIST SRD 126,
 * https://physics.nist.gov/PhysRefData/XrayMassCoef/; J. H. Hubbell, Int. J. Appl. Radiat.
 * Isot. 33 (1982) 1269, doi:10.1016/0020-708X(82)90248-4).
 *
 * Units: Phi photons/m^2, E keV -> J, mu_en/rho cm^2/g -> m^2/kg (x 0.1), D in Gy.
 * Pure module.
 */
import { ELECTRONVOLT_J } from "../core/constants.js";
import type { SpectrumLike } from "../beam/tubeSpectrum.js";
import { resolveMaterial, type Material } from "../materials/library.js";
import { opticsTable } from "../materials/optics.js";

const KEV_J = 1e3 * ELECTRONVOLT_J;
/** 1 cm^2/g = 1e-4 m^2 / 1e-3 kg = 0.1 m^2/kg. */
const CM2G_TO_M2KG = 0.1;

/**
 * Energy-absorption-weighted energy of a beam: sum_E w_E E (mu_en/rho)(E) in J m^2/kg,
 * w_E photon fractions (a single energy has w = 1). Times fluence (1/m^2) gives Gy.
 */
export function dosePerFluenceGyM2(energy: number | SpectrumLike, material: Material | string): number {
  const m = typeof material === "string" ? resolveMaterial(material) : material;
  if (typeof energy === "number") {
    if (!(energy > 0 && Number.isFinite(energy))) throw new RangeError(`photon energy must be a positive number of keV, got ${energy}`);
    return energy * KEV_J * opticsTable(m, [energy]).muEnRho[0]! * CM2G_TO_M2KG;
  }
  const nE = energy.energyKeV.length;
  if (energy.photons.length !== nE) throw new RangeError(`spectrum has ${nE} energies but ${energy.photons.length} photon bins; they must match`);
  let total = 0;
  const used: number[] = [];
  for (let e = 0; e < nE; e++) {
    const p = energy.photons[e]!;
    if (!(p >= 0 && Number.isFinite(p))) throw new RangeError(`spectrum bin ${e} has ${p} photons; expected a finite number >= 0`);
    total += p;
    if (p > 0) used.push(e);
  }
  if (!(total > 0)) throw new RangeError("spectrum has no photons");
  const energies = Float64Array.from(used, (e) => energy.energyKeV[e]!);
  const t = opticsTable(m, energies);
  let sum = 0;
  used.forEach((e, i) => {
    sum += (energy.photons[e]! / total) * energies[i]! * KEV_J * t.muEnRho[i]!;
  });
  return sum * CM2G_TO_M2KG;
}

/**
 * Entrance surface dose (Gy) of a fluence `fluencePhotonsPerM2` (total photons per m^2;
 * with a spectrum, shared between bins in proportion to spectrum.photons) of `energy`
 * (keV, or a spectrum) on `material`.
 */
export function entranceSurfaceDoseGy(fluencePhotonsPerM2: number, energy: number | SpectrumLike, material: Material | string): number {
  if (!(fluencePhotonsPerM2 >= 0 && Number.isFinite(fluencePhotonsPerM2))) {
    throw new RangeError(`fluence must be a finite number >= 0 photons/m^2, got ${fluencePhotonsPerM2}`);
  }
  return fluencePhotonsPerM2 * dosePerFluenceGyM2(energy, material);
}

/** Photon fluence (1/m^2) of `photonsPerPixel` on square pixels of edge `pixelSizeM` (at the sample). */
export function fluenceFromPhotonsPerPixel(photonsPerPixel: number, pixelSizeM: number): number {
  if (!(photonsPerPixel >= 0 && Number.isFinite(photonsPerPixel))) throw new RangeError(`photons per pixel must be a finite number >= 0, got ${photonsPerPixel}`);
  if (!(pixelSizeM > 0 && Number.isFinite(pixelSizeM))) throw new RangeError(`pixel size must be a positive length in metres, got ${pixelSizeM}`);
  return photonsPerPixel / (pixelSizeM * pixelSizeM);
}
