/**
 * Iterative multi-distance phase retrieval for strong objects, where the linear CTF and the
 * TIE (src/phase/retrievalCtf.ts, retrievalPaganin.ts) no longer hold: a Gerchberg-Saxton
 * style amplitude-replacement loop over several defocus distances (R. W. Gerchberg and
 * W. O. Saxton, Optik 35 (1972) 237; multi-plane form: L. J. Allen and M. P. Oxley, Opt.
 * Commun. 199 (2001) 65, doi:10.1016/S0030-4018(01)00556-5), in its parallel "averaged
 * projections" variant:
 *   psi_{n+1} = (1/M) sum_m P_-z_m [ sqrt(I_m) P_z_m psi_n / |P_z_m psi_n| ]
 * with P_z the Fresnel propagator (spectrum times exp(-i pi lambda z |f|^2), unitary).
 *
 * Why this variant: replacing the amplitude is the exact (Euclidean) projection onto the
 * set of fields with the measured modulus at distance z_m, and the propagator is unitary,
 * so the error E(psi) = sum_m || |P_z_m psi| - sqrt(I_m) ||^2 can only decrease or stay:
 * E(psi_{n+1}) <= sum_m ||psi_{n+1} - Q_m(psi_n)||^2 <= sum_m ||psi_n - Q_m(psi_n)||^2 = E(psi_n),
 * the mean psi_{n+1} minimising the middle sum (Q_m the projection in the object plane).
 * `residuals` reports sqrt(E / sum_m ||sqrt(I_m)||^2), non-increasing up to rounding.
 *
 * The loop stays in Fourier space on the padded canvas (2 M FFTs per iteration); the
 * margin holds the edge-replicated measured amplitudes. The phase is unwrapped against
 * the initial guess (phi = phi0 + arg(psi exp(-i phi0))), so start from the CTF or Paganin
 * result: the update per pixel must stay within (-pi, pi]. A constant phase is invisible to
 * the data: the mean phase stays whatever the initial guess had.
 */
import { fft2d } from "../core/fft.js";
import { checkStack, ctfRetrieve } from "./retrievalCtf.js";
import { padInto, retrievalGrid, type RetrievalImage, type WavelengthOption } from "./retrievalGrid.js";

export interface IterativeOptions extends WavelengthOption {
  /** Detector pixel pitch (m) in the object plane. */
  pixelSizeM: number;
  /** Propagation distance (m) of each image, in the order of `intensities`. */
  distancesM: number[];
  /** Number of iterations (a fixed count; >= 0). */
  iterations: number;
  /**
   * Starting exit wave: phase (rad) and attenuation line integral (2 b), e.g. ctfRetrieve's
   * result, or "plane" for a unit plane wave. Omitted: ctfRetrieve of the same images with
   * `alpha` and `deltaOverBeta` below (a plane wave when neither delta/beta nor two
   * different distances are given, the CTF being undetermined then).
   */
  initial?: { phase: Float64Array; absorption?: Float64Array } | "plane";
  /** Tikhonov alpha of the CTF start when `initial` is omitted (default 1e-6; see retrievalCtf.ts). */
  alpha?: number;
  /** delta / beta for the homogeneous CTF start when `initial` is omitted. */
  deltaOverBeta?: number;
  /** Canvas size / image size per axis, edge-replicated margin (default 2). */
  pad?: number;
}

export interface IterativeResult {
  /** Exit phase phi = -k D (rad), unwrapped against the initial phase. */
  phase: Float64Array;
  /** Projected delta integral D = -phi / k (m). */
  deltaIntegralM: Float64Array;
  /** Attenuation line integral -ln |psi|^2 (dimensionless). */
  absorption: Float64Array;
  /** Relative amplitude residual before each iteration and after the last (iterations + 1 values). */
  residuals: Float64Array;
}

export function iterativeRetrieve(intensities: readonly RetrievalImage[], nx: number, ny: number, o: IterativeOptions): IterativeResult {
  const what = "iterativeRetrieve";
  const lambda = checkStack(intensities, nx, ny, o.distancesM, o.pixelSizeM, o, what);
  if (!(Number.isInteger(o.iterations) && o.iterations >= 0)) throw new RangeError(`${what}: iterations must be an integer >= 0, got ${o.iterations}`);
  const g = retrievalGrid(nx, ny, o.pixelSizeM, o.pad ?? 2, what);
  const { px, py } = g;
  const n = px * py;
  const M = intensities.length;
  let initial = o.initial;
  if (initial === undefined && (o.deltaOverBeta !== undefined || new Set(o.distancesM).size >= 2)) {
    const { phase, absorption } = ctfRetrieve(intensities, nx, ny, {
      pixelSizeM: o.pixelSizeM,
      wavelengthM: lambda,
      distancesM: o.distancesM,
      alpha: o.alpha ?? 1e-6,
      ...(o.deltaOverBeta !== undefined ? { deltaOverBeta: o.deltaOverBeta } : {}),
      ...(o.pad !== undefined ? { pad: o.pad } : {}),
    });
    initial = { phase, absorption };
  }
  const initialPhase = typeof initial === "object" ? initial.phase : undefined;
  const initialAbsorption = typeof initial === "object" ? initial.absorption : undefined;
  if (initialPhase && initialPhase.length !== nx * ny) throw new RangeError(`${what}: initial.phase holds ${initialPhase.length} values, expected ${nx * ny}`);
  if (initialAbsorption && initialAbsorption.length !== nx * ny) {
    throw new RangeError(`${what}: initial.absorption holds ${initialAbsorption.length} values, expected ${nx * ny}`);
  }

  // Measured amplitudes on the canvas, and the propagators H_m = exp(-i chi_m).
  const work = new Float64Array(2 * n);
  const amplitudes: Float64Array[] = [];
  let norm = 0;
  for (let m = 0; m < M; m++) {
    padInto(intensities[m]!, g, work, 0);
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = Math.sqrt(Math.max(0, work[2 * i]!));
      norm += a[i]! * a[i]!;
    }
    amplitudes.push(a);
  }
  const propagators: Float64Array[] = [];
  for (let m = 0; m < M; m++) {
    const h = new Float64Array(2 * n);
    const c = Math.PI * lambda * o.distancesM[m]!;
    for (let y = 0; y < py; y++) {
      for (let x = 0; x < px; x++) {
        const chi = c * (g.fx2[x]! + g.fy2[y]!);
        const i = 2 * (x + px * y);
        h[i] = Math.cos(chi);
        h[i + 1] = -Math.sin(chi);
      }
    }
    propagators.push(h);
  }

  // Initial exit wave exp(-absorption / 2 + i phase), edge-replicated onto the canvas.
  const spectrum = new Float64Array(2 * n);
  const scratch = new Float64Array(2 * n);
  if (initialPhase) padInto(initialPhase, g, scratch, 0);
  const phase0 = initialPhase ? Float64Array.from({ length: n }, (_, i) => scratch[2 * i]!) : new Float64Array(n);
  if (initialAbsorption) padInto(initialAbsorption, g, scratch, 0);
  for (let i = 0; i < n; i++) {
    const amp = initialAbsorption ? Math.exp(-0.5 * scratch[2 * i]!) : 1;
    spectrum[2 * i] = amp * Math.cos(phase0[i]!);
    spectrum[2 * i + 1] = amp * Math.sin(phase0[i]!);
  }
  fft2d(spectrum, px, py, false);

  const residuals = new Float64Array(o.iterations + 1);
  const accumulated = scratch;
  for (let it = 0; it <= o.iterations; it++) {
    const last = it === o.iterations;
    let error = 0;
    accumulated.fill(0);
    for (let m = 0; m < M; m++) {
      const h = propagators[m]!;
      const a = amplitudes[m]!;
      for (let i = 0; i < 2 * n; i += 2) {
        const sr = spectrum[i]!, si = spectrum[i + 1]!, hr = h[i]!, hi = h[i + 1]!;
        work[i] = sr * hr - si * hi;
        work[i + 1] = sr * hi + si * hr;
      }
      fft2d(work, px, py, true);
      for (let p = 0; p < n; p++) {
        const re = work[2 * p]!, im = work[2 * p + 1]!;
        const mod = Math.hypot(re, im);
        const target = a[p]!;
        error += (mod - target) ** 2;
        if (mod > 0) {
          const r = target / mod;
          work[2 * p] = re * r;
          work[2 * p + 1] = im * r;
        } else {
          work[2 * p] = target;
          work[2 * p + 1] = 0;
        }
      }
      if (last) continue;
      fft2d(work, px, py, false);
      for (let i = 0; i < 2 * n; i += 2) {
        const wr = work[i]!, wi = work[i + 1]!, hr = h[i]!, hi = -h[i + 1]!;
        accumulated[i] = accumulated[i]! + wr * hr - wi * hi;
        accumulated[i + 1] = accumulated[i + 1]! + wr * hi + wi * hr;
      }
    }
    residuals[it] = norm > 0 ? Math.sqrt(error / norm) : 0;
    if (last) break;
    for (let i = 0; i < 2 * n; i++) spectrum[i] = accumulated[i]! / M;
  }

  fft2d(spectrum, px, py, true);
  const phase = new Float64Array(nx * ny);
  const absorption = new Float64Array(nx * ny);
  const deltaIntegralM = new Float64Array(nx * ny);
  const k = (2 * Math.PI) / lambda;
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const p = x + g.ox + px * (y + g.oy);
      const re = spectrum[2 * p]!, im = spectrum[2 * p + 1]!;
      const p0 = phase0[p]!;
      // arg(psi exp(-i phi0)) in (-pi, pi]: unwraps against the initial phase.
      const c = Math.cos(p0), s = Math.sin(p0);
      const q = x + nx * y;
      phase[q] = p0 + Math.atan2(im * c - re * s, re * c + im * s);
      absorption[q] = -Math.log(Math.max(re * re + im * im, 1e-300));
      deltaIntegralM[q] = -phase[q]! / k;
    }
  }
  return { phase, deltaIntegralM, absorption, residuals };
}
