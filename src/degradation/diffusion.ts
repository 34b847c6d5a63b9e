/**
 * Solid-state diffusion of lithium in one spherical active particle (the "single particle"
 * of the Doyle–Fuller–Newman model): Fick's second law in spherical symmetry
 *
 *   dc/dt = (1/r^2) d/dr ( r^2 D(c) dc/dr ),   0 < r < R,
 *   dc/dr = 0 at r = 0,     -D dc/dr = j(t) at r = R,
 *
 * with j in mol/(m^2 s), positive when lithium leaves the particle (a cathode particle on
 * charge). Reference: J. Crank, "The Mathematics of Diffusion", 2nd ed., Oxford 1975, ch. 6.
 *
 * Discretisation: finite volumes on N shells of equal thickness h = R/N (shell i spans
 * [i h, (i+1) h]); each unknown is the shell's mean concentration. Equal thickness keeps the
 * surface shell as thin as the centre one, which is where the steepest gradient sits on a
 * fast charge. The flux through the face at r_f between two shells is
 * 4 pi r_f^2 D_f (c_{i+1} - c_i)/h, with D_f = D((c_i + c_{i+1})/2) when D depends on c.
 * Interior fluxes cancel pairwise when the shell balances are summed, so the total amount
 * changes by exactly -4 pi R^2 j dt per step (to rounding) whatever N, dt or D(c).
 *
 * Time stepping: theta scheme (theta = 1 backward Euler, the default, unconditionally stable
 * and free of the oscillations Crank–Nicolson shows after a sudden flux change; theta = 1/2
 * Crank–Nicolson, second order). Each step is one tridiagonal solve (Thomas algorithm) on
 * buffers allocated once. A concentration-dependent D(c) is handled by Picard iteration: the
 * implicit face diffusivities are re-evaluated from the latest iterate (`picardIterations`
 * solves per step; 1 = D lagged at the start of the step).
 *
 * Also here: the galvanostatic link from a C-rate (or a current) to the surface flux.
 * Pure module (no Node APIs).
 */

import { FARADAY_C_PER_MOL } from "../core/constants.js";
import { parseCRate } from "./protocol.js";
export { FARADAY_C_PER_MOL, parseCRate };

/** Seconds in the hour that defines a C-rate (1C empties the nominal capacity in 1 h). */
const SECONDS_PER_HOUR = 3600;

/** Diffusion coefficient in m^2/s: a constant or a function of the local concentration (mol/m^3). */
export type Diffusivity = number | ((concentrationMolPerM3: number) => number);

export interface SphereDiffusionOptions {
  /** Particle radius R, m. */
  radiusM: number;
  /** Number of equal-thickness shells N (>= 2). */
  shells: number;
  /** D in m^2/s, constant or D(c). */
  diffusivityM2PerS: Diffusivity;
  /** Initial concentration, mol/m^3: one value (uniform) or one per shell (centre first). */
  initialMolPerM3: number | ArrayLike<number>;
  /** 1 = backward Euler (default), 0.5 = Crank–Nicolson; any value in [0.5, 1]. */
  theta?: number;
  /** Solves per step when D depends on c (Picard iteration); default 2. Ignored for constant D. */
  picardIterations?: number;
}

export class SphereDiffusion {
  readonly radiusM: number;
  readonly shells: number;
  /** Shell thickness h = R/N, m. */
  readonly shellThicknessM: number;
  /** Mean concentration of each shell, mol/m^3, centre shell first. Live view: updated by step(). */
  readonly concentration: Float64Array;
  /** Radius of each shell's midpoint (i + 1/2) h, m. */
  readonly shellRadiiM: Float64Array;
  /** Elapsed simulated time, s. */
  timeS = 0;
  /** Surface flux of the last step, mol/(m^2 s) (0 before the first): the default for surfaceConcentration(). */
  lastSurfaceFluxMolPerM2S = 0;

  private readonly diffusivity: Diffusivity;
  private readonly theta: number;
  private readonly picardIterations: number;
  /** Shell volume / (4 pi) = ((i+1)^3 - i^3) h^3 / 3. */
  private readonly volumeOver4Pi: Float64Array;
  /** Face i (between shell i-1 and i, at r = i h) area / (4 pi h) = (i h)^2 / h; index 0..N. */
  private readonly faceAreaOver4PiH: Float64Array;
  // Work buffers (no allocation per step).
  private readonly conductanceOld: Float64Array;
  private readonly conductanceNew: Float64Array;
  private readonly lower: Float64Array;
  private readonly diag: Float64Array;
  private readonly upper: Float64Array;
  private readonly rhs: Float64Array;
  private readonly scratch: Float64Array;
  private readonly previous: Float64Array;

  constructor(options: SphereDiffusionOptions) {
    const { radiusM, shells, diffusivityM2PerS, initialMolPerM3 } = options;
    if (!(Number.isFinite(radiusM) && radiusM > 0)) throw new RangeError(`radiusM must be a positive length in m, got ${radiusM}`);
    if (!(Number.isInteger(shells) && shells >= 2)) throw new RangeError(`shells must be an integer >= 2, got ${shells}`);
    if (typeof diffusivityM2PerS === "number") {
      if (!(Number.isFinite(diffusivityM2PerS) && diffusivityM2PerS > 0)) {
        throw new RangeError(`diffusivityM2PerS must be positive (m^2/s) or a function of c, got ${diffusivityM2PerS}`);
      }
    } else if (typeof diffusivityM2PerS !== "function") {
      throw new RangeError("diffusivityM2PerS must be a number (m^2/s) or a function (c in mol/m^3) => D");
    }
    const theta = options.theta ?? 1;
    if (!(theta >= 0.5 && theta <= 1)) throw new RangeError(`theta must be in [0.5, 1] (0.5 Crank–Nicolson, 1 backward Euler), got ${theta}`);
    const picard = options.picardIterations ?? 2;
    if (!(Number.isInteger(picard) && picard >= 1)) throw new RangeError(`picardIterations must be an integer >= 1, got ${picard}`);

    this.radiusM = radiusM;
    this.shells = shells;
    this.shellThicknessM = radiusM / shells;
    this.diffusivity = diffusivityM2PerS;
    this.theta = theta;
    this.picardIterations = picard;

    const h = this.shellThicknessM;
    this.concentration = new Float64Array(shells);
    this.shellRadiiM = new Float64Array(shells);
    this.volumeOver4Pi = new Float64Array(shells);
    this.faceAreaOver4PiH = new Float64Array(shells + 1);
    for (let i = 0; i < shells; i++) {
      this.shellRadiiM[i] = (i + 0.5) * h;
      // (i+1)^3 - i^3 = 3i^2 + 3i + 1, exact in integers, so the volumes sum to R^3/3 without cancellation.
      this.volumeOver4Pi[i] = ((3 * i * i + 3 * i + 1) * h * h * h) / 3;
    }
    for (let f = 0; f <= shells; f++) this.faceAreaOver4PiH[f] = f * f * h;

    if (typeof initialMolPerM3 === "number") {
      if (!Number.isFinite(initialMolPerM3)) throw new RangeError(`initialMolPerM3 must be finite, got ${initialMolPerM3}`);
      this.concentration.fill(initialMolPerM3);
    } else {
      if (initialMolPerM3.length !== shells) {
        throw new RangeError(`initialMolPerM3 has ${initialMolPerM3.length} values; expected one per shell (${shells})`);
      }
      for (let i = 0; i < shells; i++) {
        const c = initialMolPerM3[i]!;
        if (!Number.isFinite(c)) throw new RangeError(`initialMolPerM3[${i}] must be finite, got ${c}`);
        this.concentration[i] = c;
      }
    }

    this.conductanceOld = new Float64Array(shells + 1);
    this.conductanceNew = new Float64Array(shells + 1);
    this.lower = new Float64Array(shells);
    this.diag = new Float64Array(shells);
    this.upper = new Float64Array(shells);
    this.rhs = new Float64Array(shells);
    this.scratch = new Float64Array(shells);
    this.previous = new Float64Array(shells);
  }

  /** D at concentration c, m^2/s. */
  diffusivityAt(c: number): number {
    const d = this.diffusivity;
    return typeof d === "number" ? d : d(c);
  }

  /**
   * Advance by dtS seconds with the surface flux j (mol/(m^2 s), positive = lithium leaving)
   * held constant over the step.
   */
  step(dtS: number, surfaceFluxMolPerM2S: number): void {
    if (!(Number.isFinite(dtS) && dtS > 0)) throw new RangeError(`dtS must be a positive time step in s, got ${dtS}`);
    if (!Number.isFinite(surfaceFluxMolPerM2S)) throw new RangeError(`surfaceFluxMolPerM2S must be finite, got ${surfaceFluxMolPerM2S}`);
    const n = this.shells;
    const c = this.concentration;
    const prev = this.previous;
    prev.set(c);
    const theta = this.theta;
    const constantD = typeof this.diffusivity === "number";
    this.fillConductance(prev, this.conductanceOld);
    const iterations = constantD ? 1 : this.picardIterations;
    // Outward flux through the surface / (4 pi): R^2 j.
    const boundary = this.radiusM * this.radiusM * surfaceFluxMolPerM2S;
    const gOld = this.conductanceOld;
    for (let it = 0; it < iterations; it++) {
      const gNew = it === 0 ? gOld : this.conductanceNew;
      if (it > 0) this.fillConductance(c, gNew);
      const vol = this.volumeOver4Pi;
      for (let i = 0; i < n; i++) {
        const capacity = vol[i]! / dtS;
        const gIn = gNew[i]!; // face i (inner), zero at the centre
        const gOut = i === n - 1 ? 0 : gNew[i + 1]!; // the surface face carries the prescribed flux instead
        this.lower[i] = -theta * gIn;
        this.upper[i] = -theta * gOut;
        this.diag[i] = capacity + theta * (gIn + gOut);
        // Explicit part of the theta scheme, with the start-of-step conductances.
        let explicit = 0;
        if (theta < 1) {
          const goIn = gOld[i]!;
          const goOut = i === n - 1 ? 0 : gOld[i + 1]!;
          const ci = prev[i]!;
          explicit = goIn * ((i > 0 ? prev[i - 1]! : ci) - ci) + goOut * ((i < n - 1 ? prev[i + 1]! : ci) - ci);
        }
        this.rhs[i] = capacity * prev[i]! + (1 - theta) * explicit - (i === n - 1 ? boundary : 0);
      }
      this.solveTridiagonal(c);
    }
    this.timeS += dtS;
    this.lastSurfaceFluxMolPerM2S = surfaceFluxMolPerM2S;
  }

  /** Concentration extrapolated from the outer shell's midpoint to r = R with the boundary gradient dc/dr = -j/D. */
  surfaceConcentration(surfaceFluxMolPerM2S = this.lastSurfaceFluxMolPerM2S): number {
    const cOuter = this.concentration[this.shells - 1]!;
    return cOuter - (surfaceFluxMolPerM2S * 0.5 * this.shellThicknessM) / this.diffusivityAt(cOuter);
  }

  /** Mean concentration of the innermost shell (a sphere of radius h), mol/m^3: the centre value to O(h^2). */
  centreConcentration(): number {
    return this.concentration[0]!;
  }

  /** Volume-averaged concentration, mol/m^3. */
  averageConcentration(): number {
    return (3 * this.totalMol()) / (4 * Math.PI * this.radiusM ** 3);
  }

  /** Lithium in the particle, mol. */
  totalMol(): number {
    let s = 0;
    for (let i = 0; i < this.shells; i++) s += this.volumeOver4Pi[i]! * this.concentration[i]!;
    return 4 * Math.PI * s;
  }

  /**
   * Radii (shell midpoints, then R) and concentrations (shell means, then the surface value)
   * for stress.ts: the last entry is the particle surface.
   */
  profileWithSurface(surfaceFluxMolPerM2S: number, radiiOut?: Float64Array, concentrationOut?: Float64Array): { radiiM: Float64Array; concentration: Float64Array } {
    const n = this.shells;
    const radiiM = radiiOut ?? new Float64Array(n + 1);
    const conc = concentrationOut ?? new Float64Array(n + 1);
    if (radiiM.length !== n + 1 || conc.length !== n + 1) throw new RangeError(`profile buffers must hold shells + 1 = ${n + 1} values`);
    radiiM.set(this.shellRadiiM);
    radiiM[n] = this.radiusM;
    conc.set(this.concentration);
    conc[n] = this.surfaceConcentration(surfaceFluxMolPerM2S);
    return { radiiM, concentration: conc };
  }

  /** Conductance of face f / (4 pi): D_f r_f^2 / h, with D at the mean of the two shells. */
  private fillConductance(c: Float64Array, g: Float64Array): void {
    const n = this.shells;
    g[0] = 0;
    g[n] = 0;
    for (let f = 1; f < n; f++) {
      const d = this.diffusivityAt(0.5 * (c[f - 1]! + c[f]!));
      if (!(d > 0 && Number.isFinite(d))) throw new RangeError(`diffusivity must be positive and finite, got ${d} at c = ${0.5 * (c[f - 1]! + c[f]!)} mol/m^3`);
      g[f] = d * this.faceAreaOver4PiH[f]!;
    }
  }

  /** Thomas algorithm (W. H. Press et al., Numerical Recipes, 3rd ed., sec. 2.4); the matrix is diagonally dominant, so no pivoting. */
  private solveTridiagonal(x: Float64Array): void {
    const n = this.shells;
    const a = this.lower;
    const b = this.diag;
    const cU = this.upper;
    const d = this.rhs;
    const cp = this.scratch;
    let denom = b[0]!;
    cp[0] = cU[0]! / denom;
    x[0] = d[0]! / denom;
    for (let i = 1; i < n; i++) {
      denom = b[i]! - a[i]! * cp[i - 1]!;
      cp[i] = cU[i]! / denom;
      x[i] = (d[i]! - a[i]! * x[i - 1]!) / denom;
    }
    for (let i = n - 2; i >= 0; i--) x[i] = x[i]! - cp[i]! * x[i + 1]!;
  }
}

// ---------------------------------------------------------------------------------------
// Galvanostatic operation: C-rate -> current -> surface flux.

/**
 * Surface flux j = I / (F 4 pi R^2), mol/(m^2 s), of a particle of radius R carrying the
 * current I (its share of the electrode current, A; positive = lithium leaving).
 */
export function surfaceFluxFromCurrent(currentA: number, radiusM: number): number {
  if (!Number.isFinite(currentA)) throw new RangeError(`currentA must be finite, got ${currentA}`);
  if (!(Number.isFinite(radiusM) && radiusM > 0)) throw new RangeError(`radiusM must be a positive length in m, got ${radiusM}`);
  return currentA / (FARADAY_C_PER_MOL * 4 * Math.PI * radiusM * radiusM);
}

/**
 * Surface flux of a particle cycled at a C-rate, when every particle's share of the current is
 * proportional to its capacity (uniform reaction, the single-particle-model assumption).
 * The particle's capacity is Q = F * dc * (4/3) pi R^3 with dc = usableMolPerM3 (the
 * concentration swing between the empty and full states), so I = cRate * Q / 3600 s and
 * j = I / (F 4 pi R^2) = cRate * dc * R / (3 * 3600 s).
 */
export function surfaceFluxFromCRate(cRate: number | string, radiusM: number, usableMolPerM3: number): number {
  const rate = parseCRate(cRate);
  if (!(Number.isFinite(radiusM) && radiusM > 0)) throw new RangeError(`radiusM must be a positive length in m, got ${radiusM}`);
  if (!(Number.isFinite(usableMolPerM3) && usableMolPerM3 > 0)) {
    throw new RangeError(`usableMolPerM3 (concentration swing between empty and full) must be positive, got ${usableMolPerM3}`);
  }
  const capacityC = FARADAY_C_PER_MOL * usableMolPerM3 * (4 / 3) * Math.PI * radiusM ** 3;
  return surfaceFluxFromCurrent((rate * capacityC) / SECONDS_PER_HOUR, radiusM);
}

/** Duration of a full (dis)charge at a C-rate, s: 3600 / cRate. */
export function chargeDurationS(cRate: number | string): number {
  return SECONDS_PER_HOUR / parseCRate(cRate);
}
