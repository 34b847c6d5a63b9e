/**
 * Fracture of active particles by diffusion-induced stress on a charge.
 *
 * Chain: a C-rate sets the surface flux (diffusion.ts, uniform reaction), Fick diffusion in the
 * sphere builds a concentration gradient, the gradient gives a hoop stress (stress.ts), and a
 * particle cracks where that tensile hoop stress exceeds its strength. In the quasi-steady
 * regime of a constant flux the surface-to-mean difference is j R / (5 D) (Crank 1975 sec. 6.3.2,
 * the r^2 term), so with j = cRate dc R / (3 * 3600 s) the stress scales as cRate R^2 / D:
 * larger particles and faster charges crack more (Zhang, Shyy, Sastry 2007,
 * doi:10.1149/1.2759840; Christensen & Newman 2006, doi:10.1007/s10008-006-0095-1).
 *
 * Strength scatter: particle strengths follow a two-parameter Weibull distribution,
 * P(strength <= s) = 1 - exp(-(s/sigma0)^m) (W. Weibull, J. Appl. Mech. 18 (1951) 293,
 * doi:10.1115/1.4010337). One strength is drawn per particle from a seeded stream.
 *
 * Cracked volume of one particle: radial cracks run inward from the surface through the zone
 * where the hoop stress at the moment of peak stress exceeds the particle's strength; the
 * shell r_c < r < R is counted as cracked, fraction 1 - (r_c/R)^3. This is a damage-zone
 * measure (what a CT segmentation labels as "cracked particle material"), not the crack void
 * volume (crack opening times grain-boundary area), which this model does not resolve.
 * Pure module.
 */
import { createRandom, type Random } from "../core/random.js";
import { chargeDurationS, SphereDiffusion, surfaceFluxFromCRate, type Diffusivity } from "./diffusion.js";
import { hoopStressProfile, NMC811_ELASTIC, type ElasticParams, type StressProfile } from "./stress.js";

export interface ParticleChargeParams extends ElasticParams {
  /** Solid diffusivity, m^2/s, constant or D(c). */
  diffusivityM2PerS: Diffusivity;
  /** Maximum lithium concentration c_max, mol/m^3. */
  maxConcentrationMolPerM3: number;
  /** Stoichiometry x = c/c_max of the discharged (lithiated) cathode, where the charge starts. */
  stoichiometryDischarged: number;
  /** Stoichiometry of the charged cathode; the charge stops when the SURFACE reaches it (the voltage cut-off). */
  stoichiometryCharged: number;
  /** Radial shells of the diffusion solve; default 40. */
  shells?: number;
  /** Time steps over a nominal full charge; default 400. */
  stepsPerCharge?: number;
}

/**
 * NMC811 of the LG M50 cell: C. H. Chen, F. Brosa Planella, K. O'Regan, D. Gastol,
 * W. D. Widanage, E. Kendrick, J. Electrochem. Soc. 167 (2020) 080534,
 * doi:10.1149/1945-7111/ab9050 (values as in the PyBaMM "Chen2020" set): D = 4e-15 m^2/s,
 * c_max = 63104 mol/m^3, x = 0.9084 (0 % SOC) to 0.2661 (100 % SOC), particle radius
 * 5.22 um [stoichiometry limits unverified against the paper]. Elastic constants: NMC811_ELASTIC.
 */
export const NMC811_PARTICLE: Readonly<ParticleChargeParams> = Object.freeze({
  ...NMC811_ELASTIC,
  diffusivityM2PerS: 4e-15,
  maxConcentrationMolPerM3: 63104,
  stoichiometryDischarged: 0.9084,
  stoichiometryCharged: 0.2661,
});

/** Radius of the NMC811 particles of Chen et al. 2020, m. */
export const NMC811_PARTICLE_RADIUS_M = 5.22e-6;

export interface WeibullStrength {
  /** Characteristic strength sigma0 (63.2 % of particles weaker), Pa. */
  characteristicStrengthPa: number;
  /** Weibull modulus m (larger = less scatter). */
  weibullModulus: number;
}

/**
 * NMC secondary particles: single-particle compression gives fracture strengths from tens to a
 * few hundred MPa, falling with state of charge and cycling (R. Xu, L. S. de Vasconcelos,
 * J. Shi, J. Li, K. Zhao, Exp. Mech. 58 (2018) 549, doi:10.1007/s11340-017-0292-0)
 * [unverified: sigma0 = 150 MPa and m = 5 are representative choices, not fitted values].
 */
export const NMC_SECONDARY_STRENGTH: Readonly<WeibullStrength> = Object.freeze({
  characteristicStrengthPa: 150e6,
  weibullModulus: 5,
});

export interface PeakHoopStress {
  /** Largest tensile hoop stress during the charge, Pa. */
  maxHoopStressPa: number;
  /** Time of the peak, s from the start of the charge. */
  timeS: number;
  /** Time the charge ended (nominal duration or the surface cut-off), s. */
  chargeEndS: number;
  /** Radii of the profile at the peak (shell midpoints, then R), m. */
  radiiM: Float64Array;
  /** Hoop stress at those radii at the peak, Pa. */
  hoopPa: Float64Array;
}

function checkParticle(p: ParticleChargeParams): void {
  if (!(p.maxConcentrationMolPerM3 > 0)) throw new RangeError(`maxConcentrationMolPerM3 must be positive, got ${p.maxConcentrationMolPerM3}`);
  const lo = p.stoichiometryCharged;
  const hi = p.stoichiometryDischarged;
  if (!(lo >= 0 && hi <= 1 && lo < hi)) {
    throw new RangeError(`need 0 <= stoichiometryCharged < stoichiometryDischarged <= 1, got ${lo} and ${hi}`);
  }
}

/**
 * Simulate one constant-current charge (delithiation, lithium leaving the particle) of a
 * particle of radius R at a C-rate, from uniform x = stoichiometryDischarged until either the
 * nominal charge time 3600/cRate has passed or the surface reaches stoichiometryCharged, and
 * return the peak tensile hoop stress with its profile.
 */
export function peakHoopStress(radiusM: number, cRate: number | string, params: ParticleChargeParams = NMC811_PARTICLE): PeakHoopStress {
  checkParticle(params);
  const shells = params.shells ?? 40;
  const steps = params.stepsPerCharge ?? 400;
  if (!(Number.isInteger(steps) && steps >= 1)) throw new RangeError(`stepsPerCharge must be a positive integer, got ${steps}`);
  const cMax = params.maxConcentrationMolPerM3;
  const usable = (params.stoichiometryDischarged - params.stoichiometryCharged) * cMax;
  const flux = surfaceFluxFromCRate(cRate, radiusM, usable);
  const duration = chargeDurationS(cRate);
  const dt = duration / steps;
  const cutoff = params.stoichiometryCharged * cMax;

  const particle = new SphereDiffusion({
    radiusM,
    shells,
    diffusivityM2PerS: params.diffusivityM2PerS,
    initialMolPerM3: params.stoichiometryDischarged * cMax,
  });
  const radii = new Float64Array(shells + 1);
  const conc = new Float64Array(shells + 1);
  const work: StressProfile = { radialPa: new Float64Array(shells + 1), hoopPa: new Float64Array(shells + 1) };
  const peakHoop = new Float64Array(shells + 1);
  let peak = -Infinity;
  let peakTime = 0;
  for (let s = 0; s < steps; s++) {
    particle.step(dt, flux);
    particle.profileWithSurface(flux, radii, conc);
    const surfaceBelowCutoff = conc[shells]! <= cutoff;
    hoopStressProfile(radii, conc, params, work);
    const hoop = work.hoopPa;
    let m = -Infinity;
    for (let i = 0; i <= shells; i++) if (hoop[i]! > m) m = hoop[i]!;
    if (m > peak) {
      peak = m;
      peakTime = particle.timeS;
      peakHoop.set(hoop);
    }
    // The voltage cut-off ends the constant-current charge (the step that crossed it counts).
    if (surfaceBelowCutoff) break;
  }
  return { maxHoopStressPa: peak, timeS: peakTime, chargeEndS: particle.timeS, radiiM: radii, hoopPa: peakHoop };
}

/** Peak tensile hoop stress (Pa) of a particle of radius R over one charge at a C-rate. */
export function particleCrackStress(radiusM: number, cRate: number | string, params: ParticleChargeParams = NMC811_PARTICLE): number {
  return peakHoopStress(radiusM, cRate, params).maxHoopStressPa;
}

function checkStrength(w: WeibullStrength): void {
  if (!(w.characteristicStrengthPa > 0 && Number.isFinite(w.characteristicStrengthPa))) {
    throw new RangeError(`characteristicStrengthPa must be positive (Pa), got ${w.characteristicStrengthPa}`);
  }
  if (!(w.weibullModulus > 0 && Number.isFinite(w.weibullModulus))) throw new RangeError(`weibullModulus must be positive, got ${w.weibullModulus}`);
}

/** Weibull failure probability 1 - exp(-(sigma/sigma0)^m) of a particle loaded to stressPa (0 for compression). */
export function crackProbability(stressPa: number, strength: WeibullStrength = NMC_SECONDARY_STRENGTH): number {
  checkStrength(strength);
  if (!(stressPa > 0)) return 0;
  return -Math.expm1(-Math.pow(stressPa / strength.characteristicStrengthPa, strength.weibullModulus));
}

/** One strength drawn from the Weibull distribution by inversion: sigma0 (-ln u)^(1/m), u in (0, 1]. */
export function sampleStrengthPa(rng: Random, strength: WeibullStrength = NMC_SECONDARY_STRENGTH): number {
  checkStrength(strength);
  const u = 1 - rng.next(); // (0, 1]
  return strength.characteristicStrengthPa * Math.pow(-Math.log(u), 1 / strength.weibullModulus);
}

/** Whether a particle loaded to stressPa cracks, its strength drawn with the given seed. */
export function cracks(stressPa: number, strength: WeibullStrength, seed: number | string): boolean {
  return stressPa >= sampleStrengthPa(createRandom(seed), strength);
}

/**
 * Fraction 1 - (r_c/R)^3 of a particle's volume lying in the zone where the hoop stress
 * exceeds strengthPa (r_c found by linear interpolation between profile radii, scanning in
 * from the surface, where the tension is largest).
 */
export function crackedZoneFraction(radiiM: ArrayLike<number>, hoopPa: ArrayLike<number>, strengthPa: number): number {
  const n = radiiM.length;
  if (hoopPa.length !== n || n < 2) throw new RangeError(`radii and hoop stresses must be two equal arrays of >= 2 values, got ${n} and ${hoopPa.length}`);
  if (!(hoopPa[n - 1]! >= strengthPa)) return 0;
  const radius = radiiM[n - 1]!;
  let rc = 0;
  for (let i = n - 2; i >= 0; i--) {
    const h = hoopPa[i]!;
    if (h < strengthPa) {
      const hOut = hoopPa[i + 1]!;
      const t = (hOut - strengthPa) / (hOut - h); // from r_{i+1} inward
      rc = radiiM[i + 1]! - t * (radiiM[i + 1]! - radiiM[i]!);
      break;
    }
  }
  const q = rc / radius;
  return 1 - q * q * q;
}

export interface ParticleCrack {
  radiusM: number;
  maxHoopStressPa: number;
  strengthPa: number;
  /** Cracked fraction of this particle's volume. */
  crackedFraction: number;
}

export interface CrackPopulation {
  /** Cracked volume / total particle volume (volume-weighted damage-zone fraction). */
  crackedVolumeFraction: number;
  /** Number fraction of particles with any crack. */
  crackedParticleFraction: number;
  particles: ParticleCrack[];
}

export interface CrackPopulationOptions {
  particle?: ParticleChargeParams;
  strength?: WeibullStrength;
  /** Seed of the strength draws (one per particle, in input order). */
  seed: number | string;
}

/**
 * The peak hoop stress of particle `index` (radius r) at this rate, computed once per distinct
 * radius: populations repeat radii, and each computation is a diffusion-stress solve.
 */
export function cachedPeakHoopStress(cache: Map<number, PeakHoopStress>, r: number, index: number, cRate: string | number, params: ParticleChargeParams): PeakHoopStress {
  if (!(Number.isFinite(r) && r > 0)) throw new RangeError(`particle radius [${index}] must be a positive length in m, got ${r}`);
  let peak = cache.get(r);
  if (!peak) {
    peak = peakHoopStress(r, cRate, params);
    cache.set(r, peak);
  }
  return peak;
}

/**
 * Cracking of a particle population (radii in m) after one charge at a C-rate. Each particle
 * draws a Weibull strength; its cracked fraction follows crackedZoneFraction at the peak
 * stress profile. Same seed, radii and rate: same result.
 */
export function crackVolumeFraction(radiiM: ArrayLike<number>, cRate: number | string, options: CrackPopulationOptions): CrackPopulation {
  const params = options.particle ?? NMC811_PARTICLE;
  const strength = options.strength ?? NMC_SECONDARY_STRENGTH;
  checkStrength(strength);
  if (radiiM.length === 0) throw new RangeError("the particle population is empty; give at least one radius");
  const rng = createRandom(options.seed);
  const cache = new Map<number, PeakHoopStress>();
  const particles: ParticleCrack[] = [];
  let volume = 0;
  let crackedVolume = 0;
  let crackedCount = 0;
  for (let p = 0; p < radiiM.length; p++) {
    const r = radiiM[p]!;
    const peak = cachedPeakHoopStress(cache, r, p, cRate, params);
    const s = sampleStrengthPa(rng, strength);
    const f = crackedZoneFraction(peak.radiiM, peak.hoopPa, s);
    const v = r * r * r;
    volume += v;
    crackedVolume += f * v;
    if (f > 0) crackedCount++;
    particles.push({ radiusM: r, maxHoopStressPa: peak.maxHoopStressPa, strengthPa: s, crackedFraction: f });
  }
  return { crackedVolumeFraction: crackedVolume / volume, crackedParticleFraction: crackedCount / radiiM.length, particles };
}
