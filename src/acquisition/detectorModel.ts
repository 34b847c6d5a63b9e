/**
 * Indirect (scintillator + camera) detector model: from expected photons per pixel at the
 * scintillator to one digitised frame, with the classic non-idealities of a CT detector.
 *
 * Chain, per pixel i of one frame (all in the order the random numbers are drawn):
 *   1. absorbed photons  n_i ~ Poisson(N_i eta)          (quantum noise; eta = 1 - exp(-mu t))
 *   2. signal            s_i = g n_i                     (ADU; Var = g^2 N eta, NOT g N eta)
 *   3. light spread      s  <- s * PSF                   (separable normalised Gaussian,
 *                                                          sigma in pixels, mirror edges;
 *                                                          mean kept, white-noise variance x
 *                                                          sum_kl w_kl^2 = (sum_k w_k^2)^2)
 *   4. gain map          s_i <- G_i s_i                  (fixed per detector, seeded; mean 1,
 *                                                          rms `gainNonUniformity`: rings)
 *   5. dark current      + d_i,  d_i ~ Poisson(rate t)   (ADU; mean = variance = rate t)
 *   6. read noise        + sigma_r z_i,  z_i ~ N(0, 1)   (ADU)
 *   7. offset            + offset                        (ADU)
 *   8. zingers           + A at pixels hit, each pixel with probability p per frame
 *                                                          (Bernoulli process sampled by
 *                                                          geometric skips)
 *   9. ADC               round to integer, clip to [0, 2^bits - 1]   (+1/12 ADU^2 variance)
 *  10. dead pixels       0 on a fixed seeded mask
 *  11. binning           optional sum of b x b blocks (software binning, after the ADC)
 *
 * So for a flat field without gain map and PSF, unclipped:
 *   mean = offset + rate t + g N eta,
 *   var  = g^2 N eta + sigma_r^2 + rate t + 1/12.
 *
 * The gain map multiplies the X-ray signal only (not dark or offset), so a flat/dark
 * correction with flats taken through the same map removes it; a map that changed between
 * flats and projections leaves -ln(G_proj / G_flat) in each detector column: ring
 * artifacts after reconstruction.
 *
 * Polychromatic beams: pass N = absorbed photons and eta = 1, or an effective eta. One gain
 * g per absorbed photon is a monoenergetic simplification (no Swank/energy weighting).
 *
 * Pure module (browser-safe): all buffers are allocated once in the constructor; `frame`
 * allocates nothing.
 */
import { gaussian, createRandom, poisson, type Random } from "../core/random.js";
import { resolveMaterial, type Material } from "../materials/library.js";
import { newOpticalConstants, opticsEvaluator } from "../materials/optics.js";

// ---------------------------------------------------------------------------------------
// Scintillators.

export interface ScintillatorDefinition {
  readonly name: string;
  /** Chemical formula for the materials layer (activator dopants omitted: < 1% by mass). */
  readonly formula: string;
  /** Bulk (single-crystal) density, g/cm^3. */
  readonly densityGcm3: number;
  readonly densitySource: string;
}

/**
 * Common imaging scintillators. Densities are bulk crystal values; powder screens (Gadox)
 * have a packing fraction of roughly 0.5, so pass an effective density for those.
 */
export const SCINTILLATORS = {
  LuAG: {
    name: "LuAG:Ce",
    formula: "Lu3Al5O12",
    densityGcm3: 6.73,
    densitySource: "Crytur scintillation materials data table (LuAG:Ce 6.73 g/cm3)",
  },
  GGG: {
    name: "GGG:Eu",
    formula: "Gd3Ga5O12",
    densityGcm3: 7.09,
    densitySource:
      "X-ray density of the garnet cell (a = 12.383 A, Z = 8) = 7.08-7.09 g/cm3; as tabulated for thin-film GGG screens (Martin & Koch, J. Synchrotron Rad. 13 (2006) 180)",
  },
  CdWO4: {
    name: "CdWO4",
    formula: "CdWO4",
    densityGcm3: 7.9,
    densitySource: "Ahmed, Physics and Engineering of Radiation Detection, Table 6.3.1 (CWO 7.9 g/cm3); Saint-Gobain CdWO4 data sheet",
  },
  CsI: {
    name: "CsI:Tl",
    formula: "CsI",
    densityGcm3: 4.51,
    densitySource: "Crytur data table and Ahmed, Physics and Engineering of Radiation Detection, Table 6.3.1 (CsI:Tl 4.51 g/cm3)",
  },
  Gadox: {
    name: "Gd2O2S:Tb",
    formula: "Gd2O2S",
    densityGcm3: 7.32,
    densitySource:
      "Ahmed, Physics and Engineering of Radiation Detection, Table 6.3.1 (Gd2O2S 7.3 g/cm3); X-ray density of the trigonal cell (a = 3.85 A, c = 6.67 A, Z = 1) 7.3-7.34 g/cm3",
  },
} as const satisfies Record<string, ScintillatorDefinition>;

export type ScintillatorName = keyof typeof SCINTILLATORS;

/** The scintillator as a material of the materials layer (density overridable, e.g. for a powder screen). */
export function scintillatorMaterial(name: ScintillatorName, densityGcm3?: number): Material {
  const def: ScintillatorDefinition | undefined = SCINTILLATORS[name];
  if (def === undefined) throw new RangeError(`unknown scintillator "${name}" (known: ${Object.keys(SCINTILLATORS).join(", ")})`);
  return { ...resolveMaterial(def.formula, densityGcm3 ?? def.densityGcm3), name: def.name };
}

const scintScratch = newOpticalConstants();

/**
 * Absorption (interaction) efficiency eta(E) = 1 - exp(-mu(E) t) of a scintillator of
 * thickness `thicknessM` (m) at normal incidence, with mu the TOTAL linear attenuation
 * coefficient of the materials layer (photoelectric + coherent + incoherent): the
 * probability that a photon interacts, not the deposited energy fraction.
 */
export function scintillatorEfficiency(material: Material, thicknessM: number, energyKeV: number): number {
  if (!(thicknessM >= 0 && Number.isFinite(thicknessM))) throw new RangeError(`scintillator thickness must be finite and >= 0 m, got ${thicknessM}`);
  const mu = opticsEvaluator(material).evaluate(energyKeV, scintScratch).mu;
  return -Math.expm1(-mu * thicknessM);
}

/** eta(E) at many energies into `out` (allocated when omitted). */
export function scintillatorEfficiencies(
  material: Material,
  thicknessM: number,
  energiesKeV: ArrayLike<number>,
  out: Float64Array = new Float64Array(energiesKeV.length),
): Float64Array {
  if (out.length !== energiesKeV.length) throw new RangeError(`scintillatorEfficiencies: lengths differ (${energiesKeV.length} vs ${out.length})`);
  for (let i = 0; i < out.length; i++) out[i] = scintillatorEfficiency(material, thicknessM, energiesKeV[i]!);
  return out;
}

// ---------------------------------------------------------------------------------------
// Light-spread PSF.

/**
 * Normalised, point-sampled 1-D Gaussian kernel w_k, k = -r..r, r = ceil(4 sigma), stored
 * as a Float64Array of length 2r + 1 (index k + r). sigma = 0 gives [1].
 */
export function gaussianKernel1d(sigmaPx: number): Float64Array {
  if (!(sigmaPx >= 0 && Number.isFinite(sigmaPx))) throw new RangeError(`PSF sigma must be finite and >= 0 pixels, got ${sigmaPx}`);
  if (sigmaPx === 0) return Float64Array.of(1);
  const r = Math.max(1, Math.ceil(4 * sigmaPx));
  const w = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let k = -r; k <= r; k++) sum += w[k + r] = Math.exp(-(k * k) / (2 * sigmaPx * sigmaPx));
  for (let k = 0; k < w.length; k++) w[k] = w[k]! / sum;
  return w;
}

/**
 * Factor by which a separable blur with 1-D kernel `w` multiplies the variance of white
 * noise: sum over the 2-D kernel of w_k^2 w_l^2 = (sum_k w_k^2)^2.
 */
export function psfVarianceFactor(w: Float64Array): number {
  let s = 0;
  for (let k = 0; k < w.length; k++) s += w[k]! * w[k]!;
  return s * s;
}

/** Mirror (half-sample symmetric) index: ... 1 0 | 0 1 ... n-1 | n-1 n-2 ... */
function mirror(j: number, n: number): number {
  const period = 2 * n;
  let m = j % period;
  if (m < 0) m += period;
  return m < n ? m : period - 1 - m;
}

/**
 * Separable blur of `src` ([row][col]) with the 1-D kernel `w` in both directions, mirror
 * boundaries, through `tmp`, into `dst` (may be `src`). Allocates nothing.
 */
export function separableBlur(src: Float32Array, rows: number, cols: number, w: Float64Array, tmp: Float32Array, dst: Float32Array): Float32Array {
  const n = rows * cols;
  if (src.length !== n || tmp.length !== n || dst.length !== n) throw new RangeError(`separableBlur: arrays must hold ${rows} x ${cols} pixels`);
  const r = (w.length - 1) >> 1;
  // Along rows (columns index), src -> tmp.
  for (let y = 0; y < rows; y++) {
    const base = y * cols;
    for (let x = 0; x < cols; x++) {
      let acc = 0;
      if (x >= r && x + r < cols) {
        for (let k = -r; k <= r; k++) acc += w[k + r]! * src[base + x + k]!;
      } else {
        for (let k = -r; k <= r; k++) acc += w[k + r]! * src[base + mirror(x + k, cols)]!;
      }
      tmp[base + x] = acc;
    }
  }
  // Along columns (rows index), tmp -> dst.
  for (let y = 0; y < rows; y++) {
    const interior = y >= r && y + r < rows;
    for (let x = 0; x < cols; x++) {
      let acc = 0;
      if (interior) {
        for (let k = -r; k <= r; k++) acc += w[k + r]! * tmp[(y + k) * cols + x]!;
      } else {
        for (let k = -r; k <= r; k++) acc += w[k + r]! * tmp[mirror(y + k, rows) * cols + x]!;
      }
      dst[y * cols + x] = acc;
    }
  }
  return dst;
}

// ---------------------------------------------------------------------------------------
// Detector model.

export interface DetectorModelOptions {
  readonly rows: number;
  readonly cols: number;
  /** Scintillator absorption efficiency eta in [0, 1] (see scintillatorEfficiency). Default 1. */
  readonly efficiency?: number;
  /** Conversion gain g: ADU per absorbed X-ray photon. Default 1. */
  readonly gainAduPerPhoton?: number;
  /** Light-spread PSF: Gaussian sigma in pixels. Default 0 (none). */
  readonly psfSigmaPx?: number;
  /** Relative rms of the per-pixel gain map, G_i = max(0, 1 + s z_i). Default 0. */
  readonly gainNonUniformity?: number;
  /** Explicit gain map (rows x cols), overrides `gainNonUniformity`; copied. */
  readonly gainMap?: Float32Array;
  /** Read noise sigma (ADU). Default 0. */
  readonly readNoiseAdu?: number;
  /** Dark current (ADU per second); the dark signal per frame is Poisson(rate x exposure). Default 0. */
  readonly darkCurrentAduPerS?: number;
  /** Exposure time per frame (s). Default 1. */
  readonly exposureS?: number;
  /** Constant offset (ADU). Default 0. */
  readonly offsetAdu?: number;
  /** ADC bit depth (1-24): values clip to [0, 2^bits - 1]. Default 16. */
  readonly bitDepth?: number;
  /** Probability that a pixel is dead (fixed mask, value 0). Default 0. */
  readonly deadPixelFraction?: number;
  /** Explicit dead-pixel mask (rows x cols, non-zero = dead), overrides `deadPixelFraction`; copied. */
  readonly deadPixelMask?: Uint8Array;
  /** Probability per pixel per frame of a zinger. Default 0. */
  readonly zingerProbability?: number;
  /** ADU added by a zinger (before the ADC). Default 2^bits - 1 (saturates). */
  readonly zingerAmplitudeAdu?: number;
  /** Software binning factor b: output is floor(rows/b) x floor(cols/b) sums of b x b blocks. Default 1. */
  readonly binning?: number;
  /** Seed of the fixed maps (gain, dead pixels). Default 0. */
  readonly seed?: number | string;
}

function nonNegative(x: number, what: string): number {
  if (!(x >= 0 && Number.isFinite(x))) throw new RangeError(`${what} must be finite and >= 0, got ${x}`);
  return x;
}

function positiveInt(x: number, what: string): number {
  if (!(Number.isInteger(x) && x >= 1)) throw new RangeError(`${what} must be a positive integer, got ${x}`);
  return x;
}

/** A detector built once per scan: fixed gain map and dead-pixel mask, seeded. */
export class DetectorModel {
  readonly rows: number;
  readonly cols: number;
  readonly efficiency: number;
  readonly gainAduPerPhoton: number;
  readonly psfSigmaPx: number;
  readonly readNoiseAdu: number;
  readonly darkCurrentAduPerS: number;
  readonly exposureS: number;
  readonly offsetAdu: number;
  readonly bitDepth: number;
  /** 2^bits - 1. */
  readonly saturationAdu: number;
  readonly zingerProbability: number;
  readonly zingerAmplitudeAdu: number;
  readonly binning: number;
  /** Output frame size (after binning). */
  readonly outRows: number;
  readonly outCols: number;
  /** Per-pixel multiplicative gain (rows x cols). */
  readonly gainMap: Float32Array;
  /** 1 where the pixel is dead (rows x cols). */
  readonly deadPixelMask: Uint8Array;
  readonly deadPixelCount: number;
  /** 1-D normalised PSF kernel ([1] without PSF). */
  readonly psfKernel: Float64Array;
  /** White-noise variance factor of the PSF, (sum w_k^2)^2 (1 without PSF). */
  readonly psfVarianceFactor: number;
  private readonly work: Float32Array;
  private readonly tmp: Float32Array;

  constructor(options: DetectorModelOptions) {
    this.rows = positiveInt(options.rows, "rows");
    this.cols = positiveInt(options.cols, "cols");
    const n = this.rows * this.cols;
    this.efficiency = options.efficiency ?? 1;
    if (!(this.efficiency >= 0 && this.efficiency <= 1)) throw new RangeError(`efficiency must be in [0, 1], got ${this.efficiency}`);
    this.gainAduPerPhoton = nonNegative(options.gainAduPerPhoton ?? 1, "conversion gain");
    this.psfSigmaPx = nonNegative(options.psfSigmaPx ?? 0, "PSF sigma");
    this.readNoiseAdu = nonNegative(options.readNoiseAdu ?? 0, "read noise");
    this.darkCurrentAduPerS = nonNegative(options.darkCurrentAduPerS ?? 0, "dark current");
    this.exposureS = nonNegative(options.exposureS ?? 1, "exposure");
    this.offsetAdu = nonNegative(options.offsetAdu ?? 0, "offset");
    this.bitDepth = options.bitDepth ?? 16;
    if (!(Number.isInteger(this.bitDepth) && this.bitDepth >= 1 && this.bitDepth <= 24)) {
      throw new RangeError(`bit depth must be an integer in 1..24, got ${this.bitDepth}`);
    }
    this.saturationAdu = 2 ** this.bitDepth - 1;
    this.zingerProbability = options.zingerProbability ?? 0;
    if (!(this.zingerProbability >= 0 && this.zingerProbability <= 1)) throw new RangeError(`zinger probability must be in [0, 1], got ${this.zingerProbability}`);
    this.zingerAmplitudeAdu = nonNegative(options.zingerAmplitudeAdu ?? this.saturationAdu, "zinger amplitude");
    this.binning = positiveInt(options.binning ?? 1, "binning");
    this.outRows = Math.floor(this.rows / this.binning);
    this.outCols = Math.floor(this.cols / this.binning);
    if (this.outRows < 1 || this.outCols < 1) throw new RangeError(`binning ${this.binning} larger than the ${this.rows} x ${this.cols} detector`);

    const seed = String(options.seed ?? 0);
    if (options.gainMap !== undefined) {
      if (options.gainMap.length !== n) throw new RangeError(`gain map must hold ${n} pixels, got ${options.gainMap.length}`);
      this.gainMap = Float32Array.from(options.gainMap);
    } else {
      const s = nonNegative(options.gainNonUniformity ?? 0, "gain non-uniformity");
      this.gainMap = new Float32Array(n).fill(1);
      if (s > 0) {
        const rng = createRandom(`${seed}/gain`);
        for (let i = 0; i < n; i++) this.gainMap[i] = Math.max(0, 1 + s * gaussian(rng));
      }
    }
    let dead = 0;
    if (options.deadPixelMask !== undefined) {
      if (options.deadPixelMask.length !== n) throw new RangeError(`dead-pixel mask must hold ${n} pixels, got ${options.deadPixelMask.length}`);
      this.deadPixelMask = Uint8Array.from(options.deadPixelMask, (v) => (v ? 1 : 0));
      for (let i = 0; i < n; i++) dead += this.deadPixelMask[i]!;
    } else {
      const f = options.deadPixelFraction ?? 0;
      if (!(f >= 0 && f <= 1)) throw new RangeError(`dead-pixel fraction must be in [0, 1], got ${f}`);
      this.deadPixelMask = new Uint8Array(n);
      if (f > 0) {
        const rng = createRandom(`${seed}/dead`);
        for (let i = 0; i < n; i++) {
          if (rng.next() < f) {
            this.deadPixelMask[i] = 1;
            dead++;
          }
        }
      }
    }
    this.deadPixelCount = dead;
    this.psfKernel = gaussianKernel1d(this.psfSigmaPx);
    this.psfVarianceFactor = psfVarianceFactor(this.psfKernel);
    this.work = new Float32Array(n);
    this.tmp = this.psfKernel.length > 1 ? new Float32Array(n) : new Float32Array(0);
  }

  /** Mean dark signal per frame (ADU), rate x exposure. */
  get darkMeanAdu(): number {
    return this.darkCurrentAduPerS * this.exposureS;
  }

  /** Expected unclipped, unbinned pixel value for N photons at the scintillator and gain G: offset + dark + G g N eta. */
  expectedMean(photons: number, pixelGain = 1): number {
    return this.offsetAdu + this.darkMeanAdu + pixelGain * this.gainAduPerPhoton * photons * this.efficiency;
  }

  /**
   * Expected unclipped, unbinned variance of one pixel for a uniform N (no zingers):
   * G^2 g^2 N eta x psfVarianceFactor + read^2 + dark + 1/12 (ADC rounding).
   */
  expectedVariance(photons: number, pixelGain = 1): number {
    const g = pixelGain * this.gainAduPerPhoton;
    return g * g * photons * this.efficiency * this.psfVarianceFactor + this.readNoiseAdu ** 2 + this.darkMeanAdu + 1 / 12;
  }

  /**
   * One frame. `expectedPhotons` is the mean number of photons per pixel reaching the
   * scintillator ([row][col], rows x cols) or one number for a uniform field (0: a dark
   * frame). `out` holds outRows x outCols values (after binning). Returns `out`.
   */
  frame(expectedPhotons: Float32Array | number, rng: Random, out: Float32Array): Float32Array {
    const n = this.rows * this.cols;
    if (typeof expectedPhotons === "number") nonNegative(expectedPhotons, "expected photons");
    else if (expectedPhotons.length !== n) throw new RangeError(`expected photons must hold ${n} pixels, got ${expectedPhotons.length}`);
    if (out.length !== this.outRows * this.outCols) throw new RangeError(`out must hold ${this.outRows * this.outCols} pixels, got ${out.length}`);
    const work = this.work;
    const eta = this.efficiency;
    const g = this.gainAduPerPhoton;

    // 1-2. Absorbed photons (Poisson) times the conversion gain.
    if (typeof expectedPhotons === "number") {
      const mean = expectedPhotons * eta;
      for (let i = 0; i < n; i++) work[i] = g * poisson(rng, mean);
    } else {
      for (let i = 0; i < n; i++) {
        const m = expectedPhotons[i]! * eta;
        if (!(m >= 0)) throw new RangeError(`expected photons must be finite and >= 0, got ${expectedPhotons[i]} at pixel ${i}`);
        work[i] = g * poisson(rng, m);
      }
    }
    // 3. Light spread.
    if (this.psfKernel.length > 1) separableBlur(work, this.rows, this.cols, this.psfKernel, this.tmp, work);
    // 4-7. Gain map, dark current, read noise, offset.
    const gain = this.gainMap;
    const darkMean = this.darkMeanAdu;
    const read = this.readNoiseAdu;
    const offset = this.offsetAdu;
    for (let i = 0; i < n; i++) {
      let v = gain[i]! * work[i]! + offset;
      if (darkMean > 0) v += poisson(rng, darkMean);
      if (read > 0) v += read * gaussian(rng);
      work[i] = v;
    }
    // 8. Zingers: a Bernoulli(p) process over pixels, sampled by geometric gaps.
    const p = this.zingerProbability;
    if (p > 0) {
      if (p >= 1) {
        for (let i = 0; i < n; i++) work[i] = work[i]! + this.zingerAmplitudeAdu;
      } else {
        const logQ = Math.log1p(-p);
        let i = -1;
        for (;;) {
          i += 1 + Math.floor(Math.log(1 - rng.next()) / logQ);
          if (!(i < n)) break;
          work[i] = work[i]! + this.zingerAmplitudeAdu;
        }
      }
    }
    // 9-10. ADC (round, clip) and dead pixels.
    const sat = this.saturationAdu;
    const dead = this.deadPixelMask;
    for (let i = 0; i < n; i++) {
      const c = Math.round(work[i]!);
      work[i] = dead[i] ? 0 : c < 0 ? 0 : c > sat ? sat : c;
    }
    // 11. Binning.
    const b = this.binning;
    if (b === 1) {
      out.set(work);
      return out;
    }
    for (let y = 0; y < this.outRows; y++) {
      for (let x = 0; x < this.outCols; x++) {
        let acc = 0;
        for (let dy = 0; dy < b; dy++) {
          const base = (y * b + dy) * this.cols + x * b;
          for (let dx = 0; dx < b; dx++) acc += work[base + dx]!;
        }
        out[y * this.outCols + x] = acc;
      }
    }
    return out;
  }
}
