/**
 * Sub-critical (fatigue) growth of flaws in active particles over charge cycles.
 *
 * cracking.ts decides, for one charge, whether a particle's peak hoop stress beats its Weibull
 * strength. Here the strength is read as a flaw: linear-elastic fracture mechanics gives a
 * surface flaw of depth a the strength sigma_f with K_IC = Y sigma_f sqrt(pi a), so one
 * Weibull draw fixes both,
 *   a0 = (K_IC / (Y sigma_f))^2 / pi,
 * and a flaw of depth a has the residual strength K_IC / (Y sqrt(pi a)) = sigma_f sqrt(a0 / a).
 *
 * Each charge loads the surface with the peak hoop stress of cracking.ts (the same every cycle
 * of a protocol); the discharge puts the surface in compression, which closes the flaw and
 * does not drive it, so the stress range is Delta_sigma = sigma_peak. The flaw grows by the
 * Paris law (P. C. Paris, F. Erdogan, J. Basic Eng. 85 (1963) 528, doi:10.1115/1.3656900),
 *   da/dN = C (Y Delta_sigma sqrt(pi a))^m,
 * as used for electrode particles by R. Deshpande, M. Verbrugge, Y.-T. Cheng, J. Wang, P. Liu,
 * J. Electrochem. Soc. 159 (2012) A1730, doi:10.1149/2.049210jes. For constant Delta_sigma the
 * law integrates in closed form, so one cycle is advanced exactly (no step error):
 *   a_{N+1}^(1-m/2) = a_N^(1-m/2) + (1 - m/2) g,   g = C (Y Delta_sigma sqrt(pi))^m   (m != 2)
 *   a_{N+1} = a_N exp(g)                                                         (m = 2)
 * and the cycles to grow from a0 to a_c are
 *   N_f = [a_c^(1-m/2) - a0^(1-m/2)] / ((1 - m/2) g)   (m != 2),   ln(a_c / a0) / g   (m = 2).
 *
 * A particle cracks once K_max = Y sigma_peak sqrt(pi a) >= K_IC, i.e. once its residual
 * strength has fallen to the peak stress; its cracked zone is then the shell where the peak
 * hoop stress exceeds the residual strength (crackedZoneFraction of cracking.ts, so with C = 0
 * the result is exactly the one-charge result of crackVolumeFraction). The flaw keeps growing,
 * the residual strength keeps falling and the zone deepens; a flaw that has grown to the
 * particle radius has split the particle, which then counts as cracked through (fraction 1).
 * Every per-particle fraction is non-decreasing in cycles, so the population's is too.
 *
 * Pure module (no Node APIs); deterministic for a seed (the strength draws of cracking.ts).
 */
import { createRandom } from "../core/random.js";
import {
  crackedZoneFraction,
  NMC811_PARTICLE,
  NMC_SECONDARY_STRENGTH,
  cachedPeakHoopStress,
  sampleStrengthPa,
  type ParticleChargeParams,
  type PeakHoopStress,
  type WeibullStrength,
} from "./cracking.js";

export interface ParisLaw {
  /** Paris coefficient C, m per cycle per (Pa m^0.5)^m. 0 switches growth off. */
  coefficient: number;
  /** Paris exponent m (> 0). */
  exponent: number;
  /** Geometry factor Y of K = Y sigma sqrt(pi a) (1.12 for a shallow surface crack). */
  geometryFactor: number;
  /** Fracture toughness K_IC, Pa m^0.5. */
  fractureToughnessPaSqrtM: number;
}

/**
 * NMC secondary particles.
 * - C = 3.9e-20 m/cycle/(Pa m^0.5)^2.2, m = 2.2, Y = 1.12: the positive-electrode cracking rate
 *   and Paris constants of PyBaMM's "OKane2022" parameter set for the LG M50 NMC811 (S. E. J.
 *   O'Kane et al., Phys. Chem. Chem. Phys. 24 (2022) 7909, doi:10.1039/D2CP00417H), taken from
 *   W. Ai et al., J. Electrochem. Soc. 167 (2020) 013512, doi:10.1149/2.0122001JES, after
 *   Deshpande et al. 2012 (values read in PyBaMM, where the rate is per 3600 s of tensile
 *   surface stress, i.e. one cycle at 1C) [unverified: not measured on NMC811].
 * - K_IC = 0.24 MPa m^0.5: the pillar-splitting toughness of LiMn2O4 particles (M. Z. Mughal,
 *   H.-Y. Amanieu, R. Moscatelli, M. Sebastiani, Materials 10 (2017) 403,
 *   doi:10.3390/ma10040403; the same paper gives 0.81 from crack-opening displacement)
 *   [unverified: no NMC value could be read]. The lower value is taken because with the Weibull
 *   scale of 150 MPa it puts the characteristic flaw at 0.65 um, inside the particles; 0.81 would
 *   put it at 7 um, beyond their radius.
 */
export const NMC_PARIS_LAW: Readonly<ParisLaw> = Object.freeze({
  coefficient: 3.9e-20,
  exponent: 2.2,
  geometryFactor: 1.12,
  fractureToughnessPaSqrtM: 0.24e6,
});

function checkParis(law: ParisLaw): void {
  if (!(law.coefficient >= 0 && Number.isFinite(law.coefficient))) throw new RangeError(`ParisLaw.coefficient must be >= 0 (m/cycle/(Pa m^0.5)^m), got ${law.coefficient}`);
  if (!(law.exponent > 0 && Number.isFinite(law.exponent))) throw new RangeError(`ParisLaw.exponent must be positive, got ${law.exponent}`);
  if (!(law.geometryFactor > 0 && Number.isFinite(law.geometryFactor))) throw new RangeError(`ParisLaw.geometryFactor must be positive, got ${law.geometryFactor}`);
  if (!(law.fractureToughnessPaSqrtM > 0 && Number.isFinite(law.fractureToughnessPaSqrtM))) {
    throw new RangeError(`ParisLaw.fractureToughnessPaSqrtM must be positive (Pa m^0.5), got ${law.fractureToughnessPaSqrtM}`);
  }
}

/** Flaw depth (m) that gives a strength sigma_f: a0 = (K_IC / (Y sigma_f))^2 / pi. */
export function flawSizeFromStrength(strengthPa: number, law: ParisLaw = NMC_PARIS_LAW): number {
  checkParis(law);
  if (!(strengthPa > 0 && Number.isFinite(strengthPa))) throw new RangeError(`strengthPa must be a positive stress (Pa), got ${strengthPa}`);
  const q = law.fractureToughnessPaSqrtM / (law.geometryFactor * strengthPa);
  return (q * q) / Math.PI;
}

/** Strength (Pa) of a particle with a flaw of depth a: K_IC / (Y sqrt(pi a)). */
export function residualStrengthPa(flawM: number, law: ParisLaw = NMC_PARIS_LAW): number {
  checkParis(law);
  if (!(flawM > 0)) throw new RangeError(`flawM must be a positive depth (m), got ${flawM}`);
  return law.fractureToughnessPaSqrtM / (law.geometryFactor * Math.sqrt(Math.PI * flawM));
}

/** g = C (Y Delta_sigma sqrt(pi))^m: the Paris rate without its a^(m/2) factor. */
function parisRate(stressRangePa: number, law: ParisLaw): number {
  if (!(stressRangePa > 0) || law.coefficient === 0) return 0;
  return law.coefficient * Math.pow(law.geometryFactor * stressRangePa * Math.sqrt(Math.PI), law.exponent);
}

/**
 * Flaw depth after `cycles` cycles of constant stress range from depth a (m), the Paris law
 * integrated exactly. Infinity when, for m > 2, the flaw runs away within the interval.
 */
export function parisGrowth(flawM: number, stressRangePa: number, cycles: number, law: ParisLaw = NMC_PARIS_LAW): number {
  checkParis(law);
  if (!(flawM > 0)) throw new RangeError(`flawM must be a positive depth (m), got ${flawM}`);
  if (!(cycles >= 0)) throw new RangeError(`cycles must be >= 0, got ${cycles}`);
  const g = parisRate(stressRangePa, law) * cycles;
  if (g === 0) return flawM;
  const e = 1 - law.exponent / 2;
  if (e === 0) return flawM * Math.exp(g);
  const base = Math.pow(flawM, e) + e * g;
  // For m > 2 (e < 0) a^e falls to 0 as a -> infinity: reaching 0 is a finite-N runaway.
  if (!(base > 0)) return Infinity;
  return Math.pow(base, 1 / e);
}

/** Cycles N_f for a flaw to grow from a0 to a_c at a constant stress range (closed form). */
export function cyclesToGrow(initialFlawM: number, finalFlawM: number, stressRangePa: number, law: ParisLaw = NMC_PARIS_LAW): number {
  checkParis(law);
  if (!(initialFlawM > 0 && finalFlawM >= initialFlawM)) throw new RangeError(`need 0 < initialFlawM <= finalFlawM, got ${initialFlawM} and ${finalFlawM}`);
  const g = parisRate(stressRangePa, law);
  if (finalFlawM === initialFlawM) return 0;
  if (g === 0) return Infinity;
  const e = 1 - law.exponent / 2;
  if (e === 0) return Math.log(finalFlawM / initialFlawM) / g;
  return (Math.pow(finalFlawM, e) - Math.pow(initialFlawM, e)) / (e * g);
}

export interface FatigueOptions {
  /** Seed of the strength draws (one per particle, in input order, as crackVolumeFraction). */
  seed: number | string;
  particle?: ParticleChargeParams;
  strength?: WeibullStrength;
  paris?: ParisLaw;
}

export interface FatigueParticle {
  radiusM: number;
  /** Peak tensile hoop stress at the surface on each charge, Pa (the stress range). */
  maxHoopStressPa: number;
  strengthPa: number;
  initialFlawM: number;
  /** Flaw depth after the current cycle (capped at the radius once it has split the particle). */
  flawM: number;
  /** Residual strength sigma_f sqrt(a0 / a), Pa. */
  residualStrengthPa: number;
  /** Cracked fraction of this particle's volume. */
  crackedFraction: number;
  /** First cycle with a crack, or null. */
  crackedAtCycle: number | null;
  /** Whether the flaw has grown through the particle. */
  split: boolean;
}

export interface FatigueState {
  cycle: number;
  /** Cracked volume / particle volume (volume-weighted damage-zone fraction). */
  crackedVolumeFraction: number;
  /** Number fraction of particles with a crack. */
  crackedParticleFraction: number;
  /** Number fraction of particles split by a flaw grown to their radius. */
  splitParticleFraction: number;
  particles: FatigueParticle[];
}

/**
 * A particle population whose flaws grow charge by charge. `advance()` applies one cycle
 * (charge + discharge); `crackedVolumeFractionAt(n)` advances as needed and remembers every
 * cycle's fraction, so the ageing loop's hook costs one step per cycle.
 */
export class FatigueCrackPopulation {
  readonly paris: ParisLaw;
  private readonly peaks: PeakHoopStress[];
  private readonly radii: Float64Array;
  private readonly volumes: Float64Array;
  private readonly strength: Float64Array;
  private readonly flaw0: Float64Array;
  private readonly flaw: Float64Array;
  private readonly fraction: Float64Array;
  private readonly crackedAt: Int32Array;
  private readonly split: Uint8Array;
  private readonly history: number[] = [0];
  private cycleCount = 0;

  constructor(radiiM: ArrayLike<number>, cRate: number | string, options: FatigueOptions) {
    const params = options.particle ?? NMC811_PARTICLE;
    const weibull = options.strength ?? NMC_SECONDARY_STRENGTH;
    this.paris = options.paris ?? NMC_PARIS_LAW;
    checkParis(this.paris);
    const n = radiiM.length;
    if (n === 0) throw new RangeError("the particle population is empty; give at least one radius");
    const rng = createRandom(options.seed);
    const cache = new Map<number, PeakHoopStress>();
    this.peaks = new Array<PeakHoopStress>(n);
    this.radii = new Float64Array(n);
    this.volumes = new Float64Array(n);
    this.strength = new Float64Array(n);
    this.flaw0 = new Float64Array(n);
    this.flaw = new Float64Array(n);
    this.fraction = new Float64Array(n);
    this.crackedAt = new Int32Array(n).fill(-1);
    this.split = new Uint8Array(n);
    for (let p = 0; p < n; p++) {
      const r = radiiM[p]!;
      const peak = cachedPeakHoopStress(cache, r, p, cRate, params);
      this.peaks[p] = peak;
      this.radii[p] = r;
      this.volumes[p] = r * r * r;
      // Same draw order as crackVolumeFraction: one strength per particle, input order.
      const s = sampleStrengthPa(rng, weibull);
      this.strength[p] = s;
      this.flaw0[p] = flawSizeFromStrength(s, this.paris);
      this.flaw[p] = this.flaw0[p]!;
    }
  }

  get cycle(): number {
    return this.cycleCount;
  }

  /** Apply one more cycle; returns the cumulative cracked volume fraction after it. */
  advance(): number {
    const cycle = ++this.cycleCount;
    const n = this.radii.length;
    let volume = 0;
    let crackedVolume = 0;
    for (let p = 0; p < n; p++) {
      const peak = this.peaks[p]!;
      const r = this.radii[p]!;
      if (this.split[p] === 0) {
        const a0 = this.flaw0[p]!;
        let a = this.flaw[p]!;
        // A flaw already as deep as the particle (a very weak draw) has nowhere to grow.
        if (a < r) {
          a = parisGrowth(a, peak.maxHoopStressPa, 1, this.paris);
          if (a >= r && a0 < r) {
            a = r;
            this.split[p] = 1;
          }
          this.flaw[p] = a;
        }
        if (this.split[p] === 1) this.fraction[p] = 1;
        else {
          // sigma_f sqrt(a0/a) is exactly sigma_f while the flaw has not grown (C = 0).
          const residual = this.strength[p]! * Math.sqrt(a0 / a);
          const f = crackedZoneFraction(peak.radiiM, peak.hoopPa, residual);
          if (f > this.fraction[p]!) this.fraction[p] = f;
        }
        if (this.fraction[p]! > 0 && this.crackedAt[p] === -1) this.crackedAt[p] = cycle;
      }
      const v = this.volumes[p]!;
      volume += v;
      crackedVolume += this.fraction[p]! * v;
    }
    const result = crackedVolume / volume;
    this.history.push(result);
    return result;
  }

  /** Cumulative cracked volume fraction after `cycle` cycles (0 before the first charge). */
  crackedVolumeFractionAt(cycle: number): number {
    if (!(Number.isInteger(cycle) && cycle >= 0)) throw new RangeError(`cycle must be an integer >= 0, got ${cycle}`);
    while (this.cycleCount < cycle) this.advance();
    return this.history[cycle]!;
  }

  /** Per-particle detail after the current cycle. */
  state(): FatigueState {
    const n = this.radii.length;
    const particles: FatigueParticle[] = [];
    let cracked = 0;
    let split = 0;
    for (let p = 0; p < n; p++) {
      const a = this.flaw[p]!;
      const f = this.fraction[p]!;
      if (f > 0) cracked++;
      if (this.split[p] === 1) split++;
      particles.push({
        radiusM: this.radii[p]!,
        maxHoopStressPa: this.peaks[p]!.maxHoopStressPa,
        strengthPa: this.strength[p]!,
        initialFlawM: this.flaw0[p]!,
        flawM: a,
        residualStrengthPa: this.strength[p]! * Math.sqrt(this.flaw0[p]! / a),
        crackedFraction: f,
        crackedAtCycle: this.crackedAt[p]! >= 0 ? this.crackedAt[p]! : null,
        split: this.split[p] === 1,
      });
    }
    return {
      cycle: this.cycleCount,
      crackedVolumeFraction: this.history[this.cycleCount]!,
      crackedParticleFraction: cracked / n,
      splitParticleFraction: split / n,
      particles,
    };
  }
}

/**
 * Cracking of a particle population (radii in m) after `cycles` identical charges at a C-rate,
 * with fatigue growth of each particle's flaw. Cumulative, non-decreasing in cycles; with
 * paris.coefficient = 0 and cycles = 1 it equals crackVolumeFraction's one-charge result.
 */
export function crackedFractionAfterCycles(radiiM: ArrayLike<number>, cRate: number | string, cycles: number, options: FatigueOptions): FatigueState {
  if (!(Number.isInteger(cycles) && cycles >= 0)) throw new RangeError(`cycles must be an integer >= 0, got ${cycles}`);
  const population = new FatigueCrackPopulation(radiiM, cRate, options);
  population.crackedVolumeFractionAt(cycles);
  return population.state();
}
