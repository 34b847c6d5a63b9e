/**
 * Pre-processing of raw detector frames into line integrals, one projection at a time.
 *
 * Flat/dark correction (the standard normalisation, e.g. F. De Carlo et al., "Scientific
 * data exchange: a schema for HDF5-based storage of raw and analyzed data",
 * J. Synchrotron Rad. 21 (2014) 1224, doi:10.1107/S160057751401604X; TomoPy's `normalize`):
 *   T = (I - D) / (F - D),
 * with D the mean dark frame and F the mean flat frame. When flats were taken both before
 * and after the scan, the beam may have drifted between them: F for projection p of n is
 * interpolated linearly by index, F_p = (1 - t) F_before + t F_after, t = p / (n - 1).
 * Transmissions below `floor` (noise, dead pixels, F <= D) or not finite are set to
 * `floor` and counted, so -log stays finite; the count tells the caller how much was
 * clamped.
 *
 * Beer-Lambert: the line integral is p = -ln T (dimensionless).
 *
 * Pure module: runs in a browser too.
 */

/** Any typed array of detector values (counts or normalised). */
export type FrameArray = Float32Array | Float64Array | Uint16Array | Uint32Array | Uint8Array | Int32Array;

export interface FlatFieldOptions {
  readonly rows: number;
  readonly cols: number;
  /** Number of projections of the scan (needed to interpolate before/after flats). */
  readonly projections: number;
  /** Flat frames taken before the scan (or the only flats), [frame][row][col]. */
  readonly flats: FrameArray;
  /** Flat frames taken after the scan; when given, flats are interpolated by index. */
  readonly flatsAfter?: FrameArray;
  /** Dark frames [frame][row][col] (default: none, D = 0). */
  readonly darks?: FrameArray;
  /** Smallest transmission kept (default 1e-6, i.e. line integrals up to 13.8). */
  readonly floor?: number;
}

/** Mean of a stack of frames of `size` pixels (Float64 accumulation). */
export function meanFrame(stack: FrameArray, size: number, what = "frames"): Float64Array {
  if (stack.length === 0 || stack.length % size !== 0) {
    throw new RangeError(`${what} hold ${stack.length} values, expected a positive multiple of the frame size ${size}`);
  }
  const n = stack.length / size;
  const out = new Float64Array(size);
  for (let f = 0; f < n; f++) {
    const o = f * size;
    for (let i = 0; i < size; i++) out[i] += stack[o + i]!;
  }
  for (let i = 0; i < size; i++) out[i] = out[i]! / n;
  return out;
}

/**
 * Streams flat/dark correction: `transmission(index, raw, out)` or
 * `lineIntegrals(index, raw, out)` per projection. `clamped` accumulates the number of
 * pixels set to the floor over all calls.
 */
export class FlatFieldCorrector {
  readonly rows: number;
  readonly cols: number;
  readonly projections: number;
  readonly floor: number;
  /** Pixels clamped to the floor so far (all calls). */
  clamped = 0;
  private readonly dark: Float64Array;
  /** F_before - D and (F_after - D) - (F_before - D), so F_p - D = base + t slope. */
  private readonly base: Float64Array;
  private readonly slope: Float64Array | null;

  constructor(o: FlatFieldOptions) {
    for (const [k, v] of [["rows", o.rows], ["cols", o.cols], ["projections", o.projections]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`flat-field ${k} must be a positive integer, got ${v}`);
    }
    const floor = o.floor ?? 1e-6;
    if (!(floor > 0 && floor < 1)) throw new RangeError(`transmission floor must be in (0, 1), got ${floor}`);
    this.rows = o.rows;
    this.cols = o.cols;
    this.projections = o.projections;
    this.floor = floor;
    const size = o.rows * o.cols;
    this.dark = o.darks ? meanFrame(o.darks, size, "darks") : new Float64Array(size);
    const before = meanFrame(o.flats, size, "flats");
    this.base = new Float64Array(size);
    for (let i = 0; i < size; i++) this.base[i] = before[i]! - this.dark[i]!;
    if (o.flatsAfter) {
      const after = meanFrame(o.flatsAfter, size, "flats after");
      this.slope = new Float64Array(size);
      for (let i = 0; i < size; i++) this.slope[i] = after[i]! - before[i]!;
    } else this.slope = null;
  }

  /** Interpolation weight of the after-flats for projection `index`. */
  private weight(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.projections) {
      throw new RangeError(`projection index must be an integer in [0, ${this.projections - 1}], got ${index}`);
    }
    return this.projections > 1 ? index / (this.projections - 1) : 0;
  }

  private check(raw: FrameArray, out: Float32Array): void {
    const size = this.rows * this.cols;
    if (raw.length !== size) throw new RangeError(`raw frame holds ${raw.length} values, expected ${this.rows} x ${this.cols} = ${size}`);
    if (out.length !== size) throw new RangeError(`output holds ${out.length} values, expected ${size}`);
  }

  /** Transmission T = (I - D) / (F_p - D), clamped below at the floor. Returns the pixels clamped. */
  transmission(index: number, raw: FrameArray, out: Float32Array): number {
    return this.run(index, raw, out, false);
  }

  /** Line integrals -ln T of projection `index`. Returns the pixels clamped. */
  lineIntegrals(index: number, raw: FrameArray, out: Float32Array): number {
    return this.run(index, raw, out, true);
  }

  private run(index: number, raw: FrameArray, out: Float32Array, log: boolean): number {
    const t = this.weight(index);
    this.check(raw, out);
    const { dark, base, slope, floor } = this;
    const logFloor = -Math.log(floor);
    let clamped = 0;
    for (let i = 0; i < out.length; i++) {
      const open = slope ? base[i]! + t * slope[i]! : base[i]!;
      const tr = (raw[i]! - dark[i]!) / open;
      if (tr >= floor && Number.isFinite(tr)) out[i] = log ? -Math.log(tr) : tr;
      else {
        out[i] = log ? logFloor : floor;
        clamped++;
      }
    }
    this.clamped += clamped;
    return clamped;
  }
}

/**
 * -ln of transmissions, element by element, into `out` (may be the input). Values below
 * `floor` (default 1e-6) or not finite are clamped to it; returns how many were.
 */
export function transmissionToLineIntegrals(transmission: Float32Array | Float64Array, out: Float32Array, floor = 1e-6): number {
  if (out.length !== transmission.length) throw new RangeError(`output holds ${out.length} values, input ${transmission.length}`);
  if (!(floor > 0)) throw new RangeError(`transmission floor must be positive, got ${floor}`);
  const logFloor = -Math.log(floor);
  let clamped = 0;
  for (let i = 0; i < out.length; i++) {
    const t = transmission[i]!;
    if (t >= floor && Number.isFinite(t)) out[i] = -Math.log(t);
    else {
      out[i] = logFloor;
      clamped++;
    }
  }
  return clamped;
}

/**
 * Convenience for a whole stack in memory: raw [projection][row][col] to line integrals
 * (a new Float32Array), with the number of clamped pixels.
 */
export function correctStack(raw: FrameArray, options: FlatFieldOptions): { lineIntegrals: Float32Array; clamped: number } {
  const c = new FlatFieldCorrector(options);
  const size = options.rows * options.cols;
  if (raw.length !== size * options.projections) {
    throw new RangeError(`raw stack holds ${raw.length} values, ${options.projections} projections of ${options.rows} x ${options.cols} need ${size * options.projections}`);
  }
  const out = new Float32Array(raw.length);
  for (let p = 0; p < options.projections; p++) {
    c.lineIntegrals(p, raw.subarray(p * size, (p + 1) * size), out.subarray(p * size, (p + 1) * size));
  }
  return { lineIntegrals: out, clamped: c.clamped };
}
