/**
 * Image-quality metrics of a reconstruction against the ground-truth attenuation volume:
 * root-mean-square error, peak signal-to-noise ratio and the structural similarity index.
 *
 * SSIM follows Z. Wang, A. C. Bovik, H. R. Sheikh, E. P. Simoncelli, "Image quality
 * assessment: from error visibility to structural similarity", IEEE Trans. Image Process. 13
 * (2004) 600-612, doi:10.1109/TIP.2003.819861:
 *   SSIM(x, y) = (2 mu_x mu_y + C1)(2 sigma_xy + C2) / ((mu_x^2 + mu_y^2 + C1)(sigma_x^2 + sigma_y^2 + C2)),
 *   C1 = (K1 L)^2, C2 = (K2 L)^2, K1 = 0.01, K2 = 0.03, L = data range,
 * with local statistics under Wang's circular-symmetric Gaussian window (sigma = 1.5 px,
 * normalised, no N/(N-1) covariance correction), mean SSIM taken over the voxels whose window
 * lies wholly inside the image (the "valid" region; no padding). The Gaussian is truncated at
 * 3.5 sigma (radius 5, an 11-point window, as in Wang's 11x11 window and scikit-image's
 * structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False), which
 * this reproduces up to the border: skimage filters the whole image with reflected borders and
 * crops the same 5-voxel margin before averaging, so the averaged voxels are the same).
 * The alternative `window: "uniform"` is skimage's default: a 7-point box with the sample
 * covariance N/(N-1).
 *
 * The windowed moments are computed by a separable filter (x, then y, then z in 3-D) over
 * only the output voxels needed, with a ring of filtered slices so that memory is a few slices,
 * not a copy of the volume per moment.
 *
 * Pure module.
 */

/** Real-valued volume or image (x fastest). */
export type RealArray = Float32Array | Float64Array;

export interface VolumeShape {
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
}

function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length) throw new RangeError(`${what}: arrays hold ${a.length} and ${b.length} values, expected equal lengths`);
  if (a.length === 0) throw new RangeError(`${what}: arrays are empty, expected at least one value`);
}

/**
 * Root-mean-square difference sqrt(mean((a - b)^2)), over the voxels where `mask` is non-zero
 * when a mask is given.
 */
export function rmse(a: RealArray, b: RealArray, mask?: Uint8Array): number {
  checkSameLength(a, b, "rmse");
  if (mask && mask.length !== a.length) throw new RangeError(`rmse: mask holds ${mask.length} values, expected ${a.length} like the images`);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (mask && mask[i] === 0) continue;
    const d = a[i]! - b[i]!;
    sum += d * d;
    n++;
  }
  if (n === 0) throw new RangeError("rmse: the mask selects no voxel, expected at least one");
  return Math.sqrt(sum / n);
}

/** max - min of an array (the default data range L of psnr and ssim). */
export function dataRangeOf(a: RealArray): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi - lo;
}

function checkRange(L: number, what: string): void {
  if (!(L > 0 && Number.isFinite(L))) {
    throw new RangeError(`${what}: data range must be a positive finite number, got ${L} (a constant reference has range 0: pass dataRange explicitly)`);
  }
}

/**
 * Peak signal-to-noise ratio in dB: 10 log10(L^2 / MSE) = 20 log10(L / RMSE).
 * L defaults to the reference's max - min (not scikit-image's dtype range, which for floats
 * would be 1 or 2 whatever the attenuation units are). Identical images give +Infinity.
 */
export function psnr(test: RealArray, reference: RealArray, dataRange?: number): number {
  checkSameLength(test, reference, "psnr");
  const L = dataRange ?? dataRangeOf(reference);
  checkRange(L, "psnr");
  const e = rmse(test, reference);
  return e === 0 ? Infinity : 20 * Math.log10(L / e);
}

export interface SsimOptions {
  /** L in C1 = (K1 L)^2, C2 = (K2 L)^2; default max - min of the reference (second image). */
  readonly dataRange?: number;
  /** "2d": SSIM of each z slice, averaged over slices (default); "3d": 3-D windows. */
  readonly mode?: "2d" | "3d";
  /** "gaussian" (Wang's, default) or "uniform" (7-point box, sample covariance). */
  readonly window?: "gaussian" | "uniform";
  /** Gaussian sigma in voxels (default 1.5, Wang's). */
  readonly sigma?: number;
  /** Gaussian truncation in sigmas (default 3.5: radius round(3.5 * 1.5) = 5). */
  readonly truncate?: number;
  /** Box width of the uniform window (odd, default 7). */
  readonly winSize?: number;
  readonly k1?: number;
  readonly k2?: number;
}

/**
 * Normalised 1-D window. Gaussian: exp(-x^2 / (2 sigma^2)) for |x| <= radius,
 * radius = floor(truncate * sigma + 0.5) (scipy.ndimage.gaussian_filter's), summing to 1.
 */
export function ssimWindow(opts: SsimOptions = {}): Float64Array {
  if ((opts.window ?? "gaussian") === "uniform") {
    const w = opts.winSize ?? 7;
    if (!(Number.isInteger(w) && w >= 3 && w % 2 === 1)) throw new RangeError(`ssim: uniform window size must be an odd integer >= 3, got ${w}`);
    return new Float64Array(w).fill(1 / w);
  }
  const sigma = opts.sigma ?? 1.5;
  const truncate = opts.truncate ?? 3.5;
  if (!(sigma > 0 && Number.isFinite(sigma))) throw new RangeError(`ssim: Gaussian sigma must be positive, got ${sigma}`);
  if (!(truncate > 0 && Number.isFinite(truncate))) throw new RangeError(`ssim: truncation must be positive, got ${truncate}`);
  const r = Math.floor(truncate * sigma + 0.5);
  const w = new Float64Array(2 * r + 1);
  let s = 0;
  for (let i = -r; i <= r; i++) {
    w[i + r] = Math.exp((-0.5 * i * i) / (sigma * sigma));
    s += w[i + r]!;
  }
  for (let i = 0; i < w.length; i++) w[i]! /= s;
  return w;
}

/**
 * Mean structural similarity of `a` against the reference `b` (both nx*ny*nz, x fastest).
 * 2-D mode averages the per-slice means (every slice has the same number of valid pixels, so
 * this is also the mean over all valid pixels). Each in-plane size (and nz in 3-D) must be at
 * least the window width.
 */
export function ssim(a: RealArray, b: RealArray, shape: VolumeShape, opts: SsimOptions = {}): number {
  const { nx, ny, nz } = shape;
  for (const [k, v] of [["nx", nx], ["ny", ny], ["nz", nz]] as const) {
    if (!(Number.isInteger(v) && v >= 1)) throw new RangeError(`ssim: shape.${k} must be a positive integer, got ${v}`);
  }
  if (a.length !== nx * ny * nz || b.length !== nx * ny * nz) {
    throw new RangeError(`ssim: images hold ${a.length} and ${b.length} values, shape ${nx}x${ny}x${nz} needs ${nx * ny * nz}`);
  }
  const mode = opts.mode ?? "2d";
  const w = ssimWindow(opts);
  const width = w.length;
  const r = (width - 1) >> 1;
  const rz = mode === "3d" ? r : 0;
  if (nx < width || ny < width || (mode === "3d" && nz < width)) {
    throw new RangeError(`ssim: ${mode} window is ${width} voxels wide, image is ${nx}x${ny}x${nz}; expected every ${mode === "3d" ? "" : "in-plane "}size >= ${width}`);
  }
  const L = opts.dataRange ?? dataRangeOf(b);
  checkRange(L, "ssim");
  const K1 = opts.k1 ?? 0.01;
  const K2 = opts.k2 ?? 0.03;
  const C1 = (K1 * L) ** 2;
  const C2 = (K2 * L) ** 2;
  const uniform = (opts.window ?? "gaussian") === "uniform";
  const np = uniform ? width ** (mode === "3d" ? 3 : 2) : 1;
  const covNorm = uniform ? np / (np - 1) : 1;

  // Valid output region in x and y.
  const ox = nx - 2 * r;
  const oy = ny - 2 * r;
  const plane = ox * oy;
  // Per moment (a, b, aa, bb, ab): x-filtered rows of one slice, then the xy-filtered slice.
  const rows = new Float64Array(5 * ox * ny);
  const depth = 2 * rz + 1;
  const ring = new Float64Array(depth * 5 * plane);
  const wz = mode === "3d" ? w : new Float64Array([1]);

  const filterSlice = (k: number, dst: number): void => {
    const base = nx * ny * k;
    // x pass: rows[m][y][x'] = sum_d w[d] f_m(x' + d, y).
    for (let y = 0; y < ny; y++) {
      const row = base + nx * y;
      for (let x = 0; x < ox; x++) {
        let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        for (let d = 0; d < width; d++) {
          const va = a[row + x + d]!;
          const vb = b[row + x + d]!;
          const wd = w[d]!;
          sa += wd * va;
          sb += wd * vb;
          saa += wd * va * va;
          sbb += wd * vb * vb;
          sab += wd * va * vb;
        }
        const o = x + ox * y;
        rows[o] = sa;
        rows[o + ox * ny] = sb;
        rows[o + 2 * ox * ny] = saa;
        rows[o + 3 * ox * ny] = sbb;
        rows[o + 4 * ox * ny] = sab;
      }
    }
    // y pass into the ring slot.
    for (let m = 0; m < 5; m++) {
      const src = m * ox * ny;
      const out = dst + m * plane;
      for (let y = 0; y < oy; y++) {
        for (let x = 0; x < ox; x++) {
          let s = 0;
          for (let d = 0; d < width; d++) s += w[d]! * rows[src + x + ox * (y + d)]!;
          ring[out + x + ox * y] = s;
        }
      }
    }
  };

  let total = 0;
  let count = 0;
  const slotSize = 5 * plane;
  // Fill the ring with the first depth-1 slices, then slide along z.
  for (let k = 0; k < depth - 1; k++) filterSlice(k, (k % depth) * slotSize);
  for (let kc = rz; kc < nz - rz; kc++) {
    const kNew = kc + rz;
    filterSlice(kNew, (kNew % depth) * slotSize);
    for (let p = 0; p < plane; p++) {
      let ma = 0, mb = 0, maa = 0, mbb = 0, mab = 0;
      for (let d = 0; d < depth; d++) {
        const slot = ((kc - rz + d) % depth) * slotSize + p;
        const wd = wz[d]!;
        ma += wd * ring[slot]!;
        mb += wd * ring[slot + plane]!;
        maa += wd * ring[slot + 2 * plane]!;
        mbb += wd * ring[slot + 3 * plane]!;
        mab += wd * ring[slot + 4 * plane]!;
      }
      const va = covNorm * (maa - ma * ma);
      const vb = covNorm * (mbb - mb * mb);
      const cab = covNorm * (mab - ma * mb);
      total += ((2 * ma * mb + C1) * (2 * cab + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
      count++;
    }
  }
  return total / count;
}
