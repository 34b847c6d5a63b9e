/**
 * Multi-distance contrast-transfer-function (CTF) phase retrieval for weakly interacting
 * objects (P. Cloetens et al., Appl. Phys. Lett. 75 (1999) 2912, doi:10.1063/1.125225;
 * homogeneous-object least squares: S. Zabler et al., Rev. Sci. Instrum. 76 (2005) 073705,
 * doi:10.1063/1.1960797).
 *
 * Convention (src/phase/wave.ts): the exit wave is T = exp(-k B - i k D) with B, D the
 * projected beta and delta integrals (m), k = 2 pi / lambda. Write T = exp(-b + i phi) with
 *   phi = -k D  (exit phase, rad; negative inside matter)   b = k B  (amplitude attenuation).
 * Free-space propagation over z multiplies the spectrum by H = exp(-i chi), chi = pi lambda z
 * |f|^2 (src/phase/fresnel.ts). Linearising T ~ 1 - b + i phi and I = |u|^2 ~ 1 + 2 Re(u - 1):
 *   F[I_z / I0](f) = delta(f) - 2 cos(chi) b~(f) + 2 sin(chi) phi~(f)
 * (F[2 Re g] = g~(f) + conj(g~(-f)); b, phi real; chi even in f). Valid for |phi| << 1 and
 * b << 1, or more loosely for slowly varying phi (Cloetens 1999).
 *
 * Two unknowns per frequency (phi~, b~), least squares over the M distances (Zabler 2005,
 * eq. 6), with s_m = sin chi_m, c_m = cos chi_m, I'_m = F[I_m - 1]:
 *   phi~ = (C sum s I' - A sum c I') / (2 Delta + alpha),  b~ = (A sum s I' - S sum c I') / (2 Delta + alpha)
 *   S = sum s^2, C = sum c^2, A = sum s c, Delta = S C - A^2.
 * Delta = 0 at f = 0 (s = 0): the mean phase is undetermined and set to 0; the mean b is
 * fixed by intensity conservation, b~(0) = -mean_m I'_m(0) / 2. Needs >= 2 distances.
 *
 * Homogeneous object (delta/beta known): b = -phi beta/delta = -eps phi, one unknown,
 *   I'_m = A_m phi~,  A_m = 2 (sin chi_m + eps cos chi_m),  phi~ = sum A_m I'_m / (sum A_m^2 + alpha).
 * Here f = 0 is determined (A = 2 eps) and one distance suffices.
 *
 * alpha is a Tikhonov constant added to the denominators, which are O(M) to O(M^2) where the
 * CTF is well conditioned: 1e-8 to 1e-4 for noiseless or photon-rich data, up to 1e-2 as
 * noise grows; it damps the frequencies where every distance's sin chi_m vanishes. In the
 * homogeneous form the low-frequency denominator is only 4 M eps^2 (eps = beta/delta; 1.6e-3
 * for M = 4, delta/beta = 100): keep alpha well below it, or the retrieved phase loses its
 * low frequencies (measured on blobs down to -1.5 rad: alpha = 1e-2 there gives a 49 % RMS phase error, 1e-4 gives 4 %).
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

export interface CtfOptions extends WavelengthOption {
  /** Detector pixel pitch (m) in the object plane. */
  pixelSizeM: number;
  /** Propagation distance (m) of each image, in the order of `intensities`. */
  distancesM: number[];
  /** delta / beta of a homogeneous object: couples phase and absorption (one unknown). */
  deltaOverBeta?: number;
  /** Tikhonov regularisation (> 0), see the module comment. */
  alpha: number;
  /** Canvas size / image size per axis, edge-replicated margin (default 2). */
  pad?: number;
}

export interface CtfResult {
  /** Exit phase phi = -k D (rad), the f = 0 mean undetermined (0) unless deltaOverBeta is given. */
  phase: Float64Array;
  /** Projected delta integral D = -phi / k (m). */
  deltaIntegralM: Float64Array;
  /** Attenuation line integral 2 b = 2 k B = integral of mu (dimensionless), -ln of the transmission. */
  absorption: Float64Array;
}

/** Checks the stack of images and distances; returns the wavelength (m). */
export function checkStack(intensities: readonly RetrievalImage[], nx: number, ny: number, distancesM: readonly number[], pixelSizeM: number, o: WavelengthOption, what: string): number {
  if (intensities.length === 0) throw new RangeError(`${what}: needs at least one intensity image`);
  if (distancesM.length !== intensities.length) {
    throw new RangeError(`${what}: ${intensities.length} images but ${distancesM.length} distances; give one distance per image`);
  }
  for (let m = 0; m < intensities.length; m++) checkImage(intensities[m]!, nx, ny, `${what} (image ${m})`);
  for (let m = 0; m < distancesM.length; m++) checkPositive(distancesM[m]!, `distancesM[${m}]`, what, " of metres");
  checkPositive(pixelSizeM, "pixelSizeM", what, " of metres");
  return resolveWavelength(o, what);
}

export function ctfRetrieve(intensities: readonly RetrievalImage[], nx: number, ny: number, o: CtfOptions): CtfResult {
  const what = "ctfRetrieve";
  const lambda = checkStack(intensities, nx, ny, o.distancesM, o.pixelSizeM, o, what);
  if (!(Number.isFinite(o.alpha) && o.alpha > 0)) throw new RangeError(`${what}: alpha must be a positive regularisation constant (e.g. 1e-8 to 1e-2), got ${o.alpha}`);
  const homogeneous = o.deltaOverBeta !== undefined;
  if (homogeneous && !(o.deltaOverBeta! > 0)) {
    throw new RangeError(`${what}: deltaOverBeta must be > 0 (Infinity for a pure phase object), got ${o.deltaOverBeta}`);
  }
  if (!homogeneous && new Set(o.distancesM).size < 2) {
    throw new RangeError(`${what}: without deltaOverBeta, phase and absorption need at least two different distances, got [${o.distancesM.join(", ")}]`);
  }
  const g = retrievalGrid(nx, ny, o.pixelSizeM, o.pad ?? 2, what);
  const chiPerF2 = o.distancesM.map((z) => Math.PI * lambda * z);
  const M = intensities.length;
  const work = canvasBuffer(g, 0);
  const sumS = canvasBuffer(g, 1).fill(0); // sum_m s_m I'_m (homogeneous: sum_m A_m I'_m)
  const sumC = homogeneous ? work : canvasBuffer(g, 2).fill(0);
  const eps = homogeneous ? 1 / o.deltaOverBeta! : 0;
  for (let m = 0; m < M; m++) {
    padInto(intensities[m]!, g, work, 1);
    fft2d(work, g.px, g.py, false);
    const a = chiPerF2[m]!;
    for (let y = 0; y < g.py; y++) {
      const fy2 = g.fy2[y]!;
      for (let x = 0; x < g.px; x++) {
        const chi = a * (g.fx2[x]! + fy2);
        const s = Math.sin(chi);
        const c = Math.cos(chi);
        const i = 2 * (x + g.px * y);
        const re = work[i]!;
        const im = work[i + 1]!;
        if (homogeneous) {
          const w = 2 * (s + eps * c);
          sumS[i] = sumS[i]! + w * re;
          sumS[i + 1] = sumS[i + 1]! + w * im;
        } else {
          sumS[i] = sumS[i]! + s * re;
          sumS[i + 1] = sumS[i + 1]! + s * im;
          sumC[i] = sumC[i]! + c * re;
          sumC[i + 1] = sumC[i + 1]! + c * im;
        }
      }
    }
  }
  // Solve per frequency: phase spectrum into sumS, b spectrum into sumC (general case).
  for (let y = 0; y < g.py; y++) {
    const fy2 = g.fy2[y]!;
    for (let x = 0; x < g.px; x++) {
      const f2 = g.fx2[x]! + fy2;
      let S = 0;
      let C = 0;
      let A = 0;
      for (let m = 0; m < M; m++) {
        const chi = chiPerF2[m]! * f2;
        const s = Math.sin(chi);
        const c = Math.cos(chi);
        if (homogeneous) {
          const w = 2 * (s + eps * c);
          S += w * w;
        } else {
          S += s * s;
          C += c * c;
          A += s * c;
        }
      }
      const i = 2 * (x + g.px * y);
      if (homogeneous) {
        const r = 1 / (S + o.alpha);
        sumS[i] = sumS[i]! * r;
        sumS[i + 1] = sumS[i + 1]! * r;
      } else if (f2 === 0) {
        // sum_m I'_m(0) sits in sumC (c = 1): b~(0) = -mean / 2, phase mean unknown -> 0.
        sumC[i] = -sumC[i]! / (2 * M);
        sumC[i + 1] = -sumC[i + 1]! / (2 * M);
        sumS[i] = 0;
        sumS[i + 1] = 0;
      } else {
        const r = 1 / (2 * (S * C - A * A) + o.alpha);
        const sr = sumS[i]!, si = sumS[i + 1]!, cr = sumC[i]!, ci = sumC[i + 1]!;
        sumS[i] = (C * sr - A * cr) * r;
        sumS[i + 1] = (C * si - A * ci) * r;
        sumC[i] = (A * sr - S * cr) * r;
        sumC[i + 1] = (A * si - S * ci) * r;
      }
    }
  }
  const phase = new Float64Array(nx * ny);
  const absorption = new Float64Array(nx * ny);
  const deltaIntegralM = new Float64Array(nx * ny);
  fft2d(sumS, g.px, g.py, true);
  cropReal(sumS, g, phase);
  if (homogeneous) {
    for (let i = 0; i < phase.length; i++) absorption[i] = -2 * eps * phase[i]!;
  } else {
    fft2d(sumC, g.px, g.py, true);
    cropReal(sumC, g, absorption);
    for (let i = 0; i < absorption.length; i++) absorption[i] = 2 * absorption[i]!;
  }
  const k = (2 * Math.PI) / lambda;
  for (let i = 0; i < phase.length; i++) deltaIntegralM[i] = -phase[i]! / k;
  return { phase, deltaIntegralM, absorption };
}
