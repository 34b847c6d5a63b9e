/**
 * Dose over a scan: cumulative absorbed dose per voxel (Gy) and the peak dose rate per
 * voxel (Gy/s), fed one exposure at a time (e.g. from the engine's DoseEvent: depositedJ
 * per voxel and exposureS).
 *
 * Dose rate: the dose an exposure gives a voxel divided by its exposure time, i.e. the
 * mean rate while the beam is on for that exposure; the peak is the maximum over
 * exposures. Time with the beam off (readout, stage moves) does not enter the rates;
 * `totalTimeS` is the beam-on time.
 *
 * Pure module.
 */
export class DoseAccumulator {
  /** Cumulative absorbed dose per voxel (Gy). */
  readonly doseGy: Float32Array;
  /** Maximum over exposures of (dose of that exposure) / (its exposure time), per voxel (Gy/s). */
  readonly peakDoseRateGyPerS: Float32Array;
  /** Beam-on time summed over exposures (s). */
  totalTimeS = 0;
  /** Number of exposures added. */
  exposures = 0;
  /** Energy deposited in the whole volume (J). */
  depositedJ = 0;

  /** `massKg` per voxel (voxelMassKg); voxels of zero mass stay at 0 Gy. Kept by reference. */
  constructor(readonly massKg: Float32Array) {
    this.doseGy = new Float32Array(massKg.length);
    this.peakDoseRateGyPerS = new Float32Array(massKg.length);
  }

  /** Add one exposure: energy deposited per voxel (J) over `exposureS` seconds (> 0). */
  add(depositedJ: Float32Array, exposureS: number): void {
    const n = this.massKg.length;
    if (depositedJ.length !== n) throw new RangeError(`deposited energy has ${depositedJ.length} voxels, the accumulator ${n}`);
    if (!(exposureS > 0 && Number.isFinite(exposureS))) throw new RangeError(`exposure time must be a positive number of seconds, got ${exposureS}`);
    const inv = 1 / exposureS;
    const mass = this.massKg, dose = this.doseGy, peak = this.peakDoseRateGyPerS;
    let total = 0;
    for (let v = 0; v < n; v++) {
      const e = depositedJ[v]!;
      total += e;
      const m = mass[v]!;
      if (!(m > 0)) continue;
      const d = e / m;
      dose[v] += d;
      const rate = d * inv;
      if (rate > peak[v]!) peak[v] = rate;
    }
    this.depositedJ += total;
    this.totalTimeS += exposureS;
    this.exposures++;
  }

  /** Mean dose rate over the beam-on time per voxel (Gy/s): doseGy / totalTimeS. */
  meanDoseRateGyPerS(out?: Float32Array): Float32Array {
    const n = this.doseGy.length;
    const o = out ?? new Float32Array(n);
    if (o.length !== n) throw new RangeError(`output holds ${o.length} voxels, needs ${n}`);
    const inv = this.totalTimeS > 0 ? 1 / this.totalTimeS : 0;
    for (let v = 0; v < n; v++) o[v] = this.doseGy[v]! * inv;
    return o;
  }

  /**
   * An in situ series of `scans` identical scans (a new accumulator; this one is unchanged):
   * cumulative dose, time, exposures and energy times `scans`, peak rate unchanged. Assumes
   * the sample does not change between scans (same geometry, composition and so the same
   * deposit per scan); an operando cell that evolves needs each scan simulated.
   */
  repeat(scans: number): DoseAccumulator {
    if (!(Number.isInteger(scans) && scans >= 1)) throw new RangeError(`scans must be an integer >= 1, got ${scans}`);
    const r = new DoseAccumulator(this.massKg);
    const n = this.doseGy.length;
    for (let v = 0; v < n; v++) r.doseGy[v] = this.doseGy[v]! * scans;
    r.peakDoseRateGyPerS.set(this.peakDoseRateGyPerS);
    r.totalTimeS = this.totalTimeS * scans;
    r.exposures = this.exposures * scans;
    r.depositedJ = this.depositedJ * scans;
    return r;
  }
}
