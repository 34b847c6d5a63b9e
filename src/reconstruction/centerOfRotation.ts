/**
 * Centre-of-rotation estimation for parallel-beam scans over 180 degrees.
 *
 * Method: N. T. Vo, M. Drakopoulos, R. C. Atwood, C. Rau, "Reliable method for calculating
 * the center of rotation in parallel-beam tomography", Opt. Express 22 (2014) 19078,
 * doi:10.1364/OE.22.019078. A 180-degree sinogram extends to 360 degrees by mirroring,
 * because the projection at theta + pi is the one at theta reflected about the axis column c:
 *   p(theta + pi, t) = p(theta, 2c - t).
 * With the right c the 360-degree sinogram [p_0 .. p_{N-1}, m_0 .. m_{N-1}],
 * m_k(t) = p_k(2c - t), is the sinogram of an object, whose 2-D spectrum (angular harmonic
 * n, spatial frequency f) is empty outside the double wedge |n| <= 2 pi R |f| (R the object
 * radius in pixels); with a wrong c the seams at 0 and 180 degrees put energy there.
 * Vo et al. sum |spectrum| over that region for each trial c. Here the energy (squared
 * magnitude) is used, which makes the search exact and cheap: with X the 2-D spectrum of
 * the direct half and Y that of the unshifted mirrored half (Y(n, w) = (-1)^n conj X(-n, w)),
 * the mirrored half for axis c is Y exp(-2 pi i w 2c / L) (rows zero-padded to L), so
 *   E(c) = sum over the mask |X + Y exp(-2 pi i w 2c / L)|^2
 *        = const + 2 Re sum_w D(w) exp(-2 pi i w 2c / L),  D(w) = sum_n in mask conj(X) Y:
 * one FFT of D gives E at every integer 2c, and the sum itself at fractional 2c (a
 * band-limited shift, no interpolation error) refines to sub-pixel: a 0.01-pixel scan around
 * the best integer, then a parabola through the best three. The mask uses R = cols / 2
 * (anything the detector sees), plus 2 harmonics of margin.
 * Cost: N x 2N x L complex products per detector row (the angular DFT), so use a few rows
 * (`rowRange`) on large scans.
 *
 * Result in the convention of acquisition/geometry.ts: `centerOffsetPx` such that the
 * axis projects onto column (cols - 1)/2 - centerOffsetPx.
 *
 * Requirements: N >= 8 angles equally spaced over [theta_0, theta_0 + 180 deg) (endpoint
 * excluded, as `equalAngles(N, pi)`); the object inside the field of view at every angle
 * (projections near zero at both detector edges).
 *
 * Pure module: runs in a browser too.
 */
import { fft, nextPowerOfTwo, realFft } from "../core/fft.js";

export interface CenterOfRotationOptions {
  /** Rotation angles (rad) to verify equal 180-degree spacing against (optional). */
  readonly anglesRad?: ArrayLike<number>;
  /** Detector rows used, [from, to) (default: all rows). */
  readonly rowRange?: readonly [number, number];
  /** Largest |centerOffsetPx| searched (default cols / 4). */
  readonly searchRadiusPx?: number;
}

export interface CenterOfRotationResult {
  /** Axis at column (cols - 1)/2 - centerOffsetPx (geometry.ts convention). */
  readonly centerOffsetPx: number;
  /** The axis column itself. */
  readonly axisColumn: number;
  /** Mask energy E at the estimate over E at offset 0 (< 1 when the estimate improves on 0). */
  readonly relativeResidual: number;
}

function checkAngles(angles: ArrayLike<number>, n: number): void {
  if (angles.length !== n) throw new RangeError(`${angles.length} angles given for ${n} projections`);
  const step = Math.PI / n;
  for (let p = 0; p < n; p++) {
    if (Math.abs(angles[p]! - angles[0]! - p * step) > 1e-6) {
      throw new RangeError(
        `centre estimation needs ${n} angles equally spaced over 180 degrees (endpoint excluded, step ${step} rad); angle ${p} is ${angles[p]} rad`,
      );
    }
  }
}

/**
 * Estimate the centre offset of a 180-degree parallel-beam scan from its line integrals
 * [projection][row][col] (count projections of rows x cols).
 */
export function estimateCenterOffset(
  projections: Float32Array, count: number, rows: number, cols: number, options: CenterOfRotationOptions = {},
): CenterOfRotationResult {
  if (!Number.isInteger(count) || count < 8) throw new RangeError(`centre estimation needs at least 8 projections over 180 degrees, got ${count}`);
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(cols) || cols < 4) {
    throw new RangeError(`detector must have >= 1 row and >= 4 columns, got ${rows} x ${cols}`);
  }
  if (projections.length !== count * rows * cols) {
    throw new RangeError(`projections hold ${projections.length} values, ${count} x ${rows} x ${cols} need ${count * rows * cols}`);
  }
  if (options.anglesRad) checkAngles(options.anglesRad, count);
  const [r0, r1] = options.rowRange ?? [0, rows];
  if (!(Number.isInteger(r0) && Number.isInteger(r1) && r0 >= 0 && r1 <= rows && r0 < r1)) {
    throw new RangeError(`row range must be integers [from, to) within [0, ${rows}], got [${r0}, ${r1})`);
  }
  const radius = options.searchRadiusPx ?? cols / 4;
  if (!(radius > 0 && radius < cols / 2)) throw new RangeError(`search radius must be in (0, cols/2 = ${cols / 2}) px, got ${radius}`);

  const L = nextPowerOfTwo(2 * cols);
  const N = count;
  const M2 = 2 * N;
  const frame = rows * cols;
  // Twiddles exp(-2 pi i m / 2N).
  const twRe = new Float64Array(M2), twIm = new Float64Array(M2);
  for (let m = 0; m < M2; m++) {
    twRe[m] = Math.cos((2 * Math.PI * m) / M2);
    twIm[m] = -Math.sin((2 * Math.PI * m) / M2);
  }
  // Mask: angular harmonics beyond what any object inside the detector can make,
  // |n| > 2 pi R |f| + 2 with R = cols / 2 (a point at radius r puts harmonics up to
  // 2 pi r f into the 360-degree sinogram: the Bessel expansion of exp(-2 pi i f r cos)).
  const R = cols / 2;
  const spectra = new Float64Array(N * 2 * L); // row FFT of each projection
  const padded = new Float64Array(L);
  const spec = new Float64Array(2 * L);
  const X = new Float64Array(2 * M2);
  const C = new Float64Array(2 * L);
  let Q = 0; // sum over the mask of |X|^2 + |Y|^2: E = (Q + 2 Re sum C exp(...)) / L
  for (let r = r0; r < r1; r++) {
    for (let k = 0; k < N; k++) {
      padded.fill(0);
      const o = k * frame + r * cols;
      for (let c = 0; c < cols; c++) padded[c] = projections[o + c]!;
      realFft(padded, spec);
      spectra.set(spec, k * 2 * L);
    }
    for (let w = 0; w < L; w++) {
      const f = Math.abs(w < L / 2 ? w : w - L) / L;
      const nMin = 2 * Math.PI * R * f + 2;
      if (nMin >= N) continue; // the mask is empty at this spatial frequency
      // X(n, w) = sum over the 180-degree projections k of F_k(w) exp(-2 pi i n k / 2N).
      for (let n = 0; n < M2; n++) {
        let re = 0, im = 0;
        let m = 0;
        for (let k = 0; k < N; k++) {
          const a = spectra[k * 2 * L + 2 * w]!, b = spectra[k * 2 * L + 2 * w + 1]!;
          re += a * twRe[m]! - b * twIm[m]!;
          im += a * twIm[m]! + b * twRe[m]!;
          m += n;
          if (m >= M2) m -= M2;
        }
        X[2 * n] = re;
        X[2 * n + 1] = im;
      }
      // The mirrored half (angles k + N, rows m_k = reflected p_k) has, before the shift
      // exp(-2 pi i w 2c / L), Y(n, w) = (-1)^n conj(X(-n, w)).
      for (let n = 0; n < M2; n++) {
        const ns = n < N ? n : n - M2;
        if (Math.abs(ns) <= nMin) continue;
        const neg = (M2 - n) % M2;
        const sign = n % 2 === 0 ? 1 : -1;
        const yRe = sign * X[2 * neg]!, yIm = -sign * X[2 * neg + 1]!;
        const xRe = X[2 * n]!, xIm = X[2 * n + 1]!;
        Q += xRe * xRe + xIm * xIm + yRe * yRe + yIm * yIm;
        C[2 * w] += xRe * yRe + xIm * yIm;
        C[2 * w + 1] += xRe * yIm - xIm * yRe;
      }
    }
  }
  // Re sum_w C(w) exp(-2 pi i w s / L) at every integer s = 2c: the forward FFT of C.
  const G = new Float64Array(2 * L);
  fft(C, G);
  const centre0 = (cols - 1) / 2;
  const sLo = Math.ceil(2 * (centre0 - radius));
  const sHi = Math.floor(2 * (centre0 + radius));
  let best = sLo;
  for (let s = sLo; s <= sHi; s++) if (G[2 * s]! < G[2 * best]!) best = s;
  // Band-limited evaluation at fractional s (signed frequencies so the shift interpolates).
  const energy = (s: number): number => {
    let sum = 0;
    for (let w = 0; w < L; w++) {
      const f = w < L / 2 ? w : w - L;
      const ph = (-2 * Math.PI * f * s) / L;
      sum += C[2 * w]! * Math.cos(ph) - C[2 * w + 1]! * Math.sin(ph);
    }
    return sum;
  };
  const step = 0.01;
  let sBest = best;
  let eBest = Infinity;
  for (let s = best - 1; s <= best + 1 + 1e-9; s += step) {
    const e = energy(s);
    if (e < eBest) { eBest = e; sBest = s; }
  }
  const em = energy(sBest - step), ep = energy(sBest + step);
  const curv = em - 2 * eBest + ep;
  if (curv > 0) sBest += (0.5 * step * (em - ep)) / curv;
  const axisColumn = sBest / 2;
  const e0 = Q + 2 * energy(2 * centre0);
  return {
    centerOffsetPx: centre0 - axisColumn,
    axisColumn,
    relativeResidual: e0 > 0 ? (Q + 2 * energy(sBest)) / e0 : 1,
  };
}
