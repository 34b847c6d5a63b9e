/**
 * Transient and steady heat conduction with beam heating:
 *   rho c_p dT/dt = div(k grad T) + q(x, t),
 * on a thermal grid, finite volumes (see conductionOperator.ts), backward Euler in time:
 *   (C/dt + L + G_b) dT = Q + G_b T_b - (L + G_b) T^n,   T^{n+1} = T^n + dT,
 * with C = rho c_p V and Q = q V per cell.
 *
 * Why backward Euler + conjugate gradient (and not Douglas-Gunn ADI): the system matrix is a
 * symmetric M-matrix for any dt, so the scheme is unconditionally stable and, because the
 * inverse of an M-matrix is non-negative, monotone (no over- or undershoot for any step; the
 * Crank-Nicolson core of Douglas-Gunn ADI oscillates for steps far above the explicit limit,
 * which is the regime of a multi-minute scan on a 10 um grid). Per-cell conductivities that
 * jump by 10^4 (copper beside electrolyte) and convective boundaries fit the matrix without
 * splitting errors, and the same operator solves the steady problem with C/dt = 0.
 * Accuracy is first order in dt: choose dt well below the diffusion time of the feature
 * of interest (s^2 rho c_p / k for one cell) when the transient itself matters.
 *
 * The linear system is solved for the increment dT with the previous step's increment as the
 * start (a warm start that is exact for a steady ramp), to a relative residual
 * ||r||_2 <= tolerance ||rhs||_2 (default 1e-10; with a floor of 1e-15 (~5 machine epsilons) times the size of the terms
 * the rhs is computed from, temperatures taken from T_ref, so a step at steady state does not chase round-off). Conservation: summing the equations over all
 * cells, the conduction terms cancel in pairs, so
 *   sum C dT = dt (sum Q - sum G_b (T^{n+1} - T_b)) - dt sum r,
 * i.e. delivered = stored + boundary loss up to dt sum(r), which the tolerance bounds.
 */
import { ConductionOperator, type ThermalBoundaries } from "./conductionOperator.js";
import { pcgWork, solvePcg, type PcgWork } from "./pcg.js";
import { thermalCellCount, type ThermalGrid, type ThermalProperties } from "./thermalGrid.js";

export interface HeatSolverOptions {
  /** Relative residual at which the conjugate gradient stops (default 1e-10). */
  readonly tolerance?: number;
  /** Iteration cap per solve (default 20,000); exceeding it throws ConvergenceError. */
  readonly maxIterations?: number;
  /** T_ref of totalEnergyJ (default: the uniform initial temperature, or the mean initial field). */
  readonly referenceTemperatureK?: number;
}

const DEFAULT_TOLERANCE = 1e-10;
const DEFAULT_MAX_ITERATIONS = 20000;
/** Residual floor relative to the magnitude of the terms the step's rhs is computed from. */
const ROUND_OFF_FLOOR = 1e-15;

function checkSolverOptions(options: HeatSolverOptions): { tolerance: number; maxIterations: number } {
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  if (!(tolerance > 0 && tolerance < 1)) throw new RangeError(`solver tolerance must be in (0, 1), got ${tolerance}`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new RangeError(`maxIterations must be a positive integer, got ${maxIterations}`);
  }
  return { tolerance, maxIterations };
}

function checkPower(power: ArrayLike<number>, n: number): void {
  if (power.length !== n) throw new RangeError(`power density has ${power.length} cells, expected ${n} (the thermal grid)`);
}

export class HeatSolver {
  /** Current temperature per cell (K); updated in place by step(). */
  readonly temperatureK: Float64Array;
  readonly referenceTemperatureK: number;
  /** Heat that left through the boundaries since construction (J); negative if it came in. */
  boundaryHeatLossJ = 0;
  /** Energy the power density delivered since construction (J). */
  energyDeliveredJ = 0;
  /** Simulated time since construction (s). */
  timeS = 0;
  /** Conjugate-gradient iterations of the last step. */
  lastIterations = 0;

  private readonly op: ConductionOperator;
  private readonly increment: Float64Array;
  private readonly rhs: Float64Array;
  private readonly work: PcgWork;
  private readonly tolerance: number;
  private readonly maxIterations: number;
  private readonly initialEnergyJ: number;

  constructor(
    readonly grid: ThermalGrid,
    props: ThermalProperties,
    boundaries: ThermalBoundaries,
    initialTemperatureK: number | Float64Array,
    options: HeatSolverOptions = {},
  ) {
    this.op = new ConductionOperator(grid, props, boundaries);
    const n = thermalCellCount(grid);
    ({ tolerance: this.tolerance, maxIterations: this.maxIterations } = checkSolverOptions(options));
    if (typeof initialTemperatureK === "number") {
      if (!(initialTemperatureK > 0 && Number.isFinite(initialTemperatureK))) {
        throw new RangeError(`initial temperature must be a positive number of kelvin, got ${initialTemperatureK}`);
      }
      this.temperatureK = new Float64Array(n).fill(initialTemperatureK);
    } else {
      if (initialTemperatureK.length !== n) {
        throw new RangeError(`initial temperature field has ${initialTemperatureK.length} cells, expected ${n}`);
      }
      this.temperatureK = Float64Array.from(initialTemperatureK);
    }
    let mean = 0;
    for (let c = 0; c < n; c++) mean += this.temperatureK[c]!;
    mean /= n;
    this.referenceTemperatureK =
      options.referenceTemperatureK ?? (typeof initialTemperatureK === "number" ? initialTemperatureK : mean);
    this.increment = new Float64Array(n);
    this.rhs = new Float64Array(n);
    this.work = pcgWork(n);
    this.initialEnergyJ = this.totalEnergyJ();
  }

  /** Explicit (forward Euler) stability limit min_c C_c / diag_c (s), for reference. */
  explicitStepLimitS(): number {
    let dt = Infinity;
    const { capacity, diagonal } = this.op;
    for (let c = 0; c < capacity.length; c++) dt = Math.min(dt, capacity[c]! / diagonal[c]!);
    return dt;
  }

  /** Advances by dtS with absorbed power density powerWPerM3 (W/m^3 per cell; null = none). */
  step(dtS: number, powerWPerM3: Float64Array | Float32Array | null): void {
    if (!(dtS > 0 && Number.isFinite(dtS))) throw new RangeError(`time step must be a positive number of seconds, got ${dtS}`);
    const op = this.op;
    const n = op.cellCount;
    if (powerWPerM3 !== null) checkPower(powerWPerM3, n);
    const T = this.temperatureK;
    const rhs = this.rhs;
    const v = op.cellVolumeM3;
    // rhs = Q + G_b T_b - (L + G_b) T^n
    op.apply(T, rhs, 0);
    const gbt = op.gBoundaryT;
    const diag = op.diagonal;
    const gb = op.gBoundary;
    const ref = this.referenceTemperatureK;
    let delivered = 0;
    let termScale2 = 0;
    for (let c = 0; c < n; c++) {
      const q = powerWPerM3 === null ? 0 : powerWPerM3[c]! * v;
      delivered += q;
      rhs[c] = q + gbt[c]! - rhs[c]!;
      const scale = Math.abs(q) + Math.abs(gbt[c]! - gb[c]! * ref) + diag[c]! * Math.abs(T[c]! - ref);
      termScale2 += scale * scale;
    }
    const dT = this.increment;
    // Near steady state the rhs is a difference of large terms; ask no more than ~5 eps of them
    // (measured from T_ref, since a uniform shift of T does not change the rhs).
    const floor = ROUND_OFF_FLOOR * Math.sqrt(termScale2);
    this.lastIterations = solvePcg(op, 1 / dtS, rhs, dT, this.work, this.tolerance, this.maxIterations, floor);
    let loss = 0;
    for (let c = 0; c < n; c++) {
      const t = T[c]! + dT[c]!;
      T[c] = t;
      loss += gb[c]! * t - gbt[c]!;
    }
    this.energyDeliveredJ += delivered * dtS;
    this.boundaryHeatLossJ += loss * dtS;
    this.timeS += dtS;
  }

  /** Stored thermal energy relative to the reference temperature: sum rho c_p V (T - T_ref) (J). */
  totalEnergyJ(): number {
    const cap = this.op.capacity;
    const T = this.temperatureK;
    const ref = this.referenceTemperatureK;
    let e = 0;
    for (let c = 0; c < cap.length; c++) e += cap[c]! * (T[c]! - ref);
    return e;
  }

  /** delivered - (stored change + boundary loss) since construction (J); 0 up to the solver tolerance. */
  energyBalanceErrorJ(): number {
    return this.energyDeliveredJ - (this.totalEnergyJ() - this.initialEnergyJ + this.boundaryHeatLossJ);
  }
}

export interface SteadyStateResult {
  readonly temperatureK: Float64Array;
  readonly iterations: number;
}

/**
 * The steady temperature: (L + G_b) T = Q + G_b T_b, solved with the same conjugate gradient
 * for the rise above the first non-adiabatic boundary temperature (so the tolerance applies to
 * the rise, not to the absolute temperature). Needs at least one fixed or convective face.
 */
export function steadyState(
  grid: ThermalGrid,
  props: ThermalProperties,
  boundaries: ThermalBoundaries,
  powerWPerM3: Float64Array | Float32Array | null,
  options: HeatSolverOptions = {},
): SteadyStateResult {
  const op = new ConductionOperator(grid, props, boundaries);
  const { tolerance, maxIterations } = checkSolverOptions(options);
  if (!op.hasHeatSink) {
    throw new RangeError("steady state needs at least one fixed-temperature or convective boundary face; with all faces adiabatic heat has nowhere to go");
  }
  const n = op.cellCount;
  if (powerWPerM3 !== null) checkPower(powerWPerM3, n);
  let ref = 0;
  for (let c = 0; c < n; c++) {
    if (op.gBoundary[c]! > 0) {
      ref = op.gBoundaryT[c]! / op.gBoundary[c]!;
      break;
    }
  }
  const rhs = new Float64Array(n);
  const v = op.cellVolumeM3;
  for (let c = 0; c < n; c++) {
    rhs[c] = (powerWPerM3 === null ? 0 : powerWPerM3[c]! * v) + op.gBoundaryT[c]! - op.gBoundary[c]! * ref;
  }
  const rise = new Float64Array(n);
  const iterations = solvePcg(op, 0, rhs, rise, pcgWork(n), tolerance, maxIterations);
  for (let c = 0; c < n; c++) rise[c] += ref;
  return { temperatureK: rise, iterations };
}
