/**
 * The 7-point finite-volume conduction operator on a thermal grid.
 *
 * Integrating div(k grad T) over cell c of volume V = s^3 gives sum over faces of
 * G_f (T_nb - T_c), with face conductance G_f = A k_f / s = s k_f (A = s^2) and k_f the
 * harmonic mean 2 k_c k_nb / (k_c + k_nb) of the two cells: the exact conductance of two
 * half-cells in series (S. V. Patankar, Numerical Heat Transfer and Fluid Flow, Hemisphere
 * 1980, eq. 4.9). A boundary face contributes G_b (T_b - T_c) with
 *   - fixed temperature T_b on the face: G_b = A k_c / (s/2) = 2 s k_c;
 *   - convection h to ambient T_b: the half cell and the film in series,
 *     G_b = A / (s / (2 k_c) + 1 / h);
 *   - adiabatic: G_b = 0.
 * The operator (L + G_b) with (L T)_c = sum G_f (T_c - T_nb) is symmetric, diagonally
 * dominant with positive diagonal and non-positive off-diagonals (an M-matrix), so adding
 * the capacity term C/dt >= 0 keeps it symmetric positive definite, and positive definite
 * for C/dt = 0 too as soon as one boundary face is not adiabatic.
 */
import { checkThermalGrid, thermalCellCount, type ThermalGrid, type ThermalProperties } from "./thermalGrid.js";

export type BoundaryCondition =
  | { readonly type: "adiabatic" }
  | { readonly type: "fixed"; readonly temperatureK: number }
  | { readonly type: "convection"; readonly hWPerM2K: number; readonly ambientK: number };

export interface ThermalBoundaries {
  readonly xMin: BoundaryCondition;
  readonly xMax: BoundaryCondition;
  readonly yMin: BoundaryCondition;
  readonly yMax: BoundaryCondition;
  readonly zMin: BoundaryCondition;
  readonly zMax: BoundaryCondition;
}

/** The same condition on all six faces. */
export function uniformBoundaries(bc: BoundaryCondition): ThermalBoundaries {
  return { xMin: bc, xMax: bc, yMin: bc, yMax: bc, zMin: bc, zMax: bc };
}

/** Face and boundary conductances (W/K) of a grid; see the module comment. */
export class ConductionOperator {
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  readonly cellVolumeM3: number;
  /** gx[c]: conductance between cell c and its +x neighbour (0 on the last x plane); same for y, z. */
  readonly gx: Float64Array;
  readonly gy: Float64Array;
  readonly gz: Float64Array;
  /** Sum of the boundary conductances of cell c (W/K). */
  readonly gBoundary: Float64Array;
  /** Sum over boundary faces of G_b T_b (W): the boundary's drive. */
  readonly gBoundaryT: Float64Array;
  /** Diagonal of L + G_b: sum of all conductances of the cell (W/K). */
  readonly diagonal: Float64Array;
  /** Heat capacity of each cell, rho c_p V (J/K). */
  readonly capacity: Float64Array;

  constructor(grid: ThermalGrid, props: ThermalProperties, boundaries: ThermalBoundaries) {
    checkThermalGrid(grid);
    const n = thermalCellCount(grid);
    const { conductivity: k, heatCapacity } = props;
    if (k.length !== n || heatCapacity.length !== n) {
      throw new RangeError(`thermal properties have ${k.length} / ${heatCapacity.length} cells, expected ${n} (${grid.nx} x ${grid.ny} x ${grid.nz})`);
    }
    for (let c = 0; c < n; c++) {
      if (!(k[c]! > 0 && Number.isFinite(k[c]!))) throw new RangeError(`conductivity of cell ${c} must be a positive number of W/(m K), got ${k[c]}`);
      if (!(heatCapacity[c]! > 0 && Number.isFinite(heatCapacity[c]!))) {
        throw new RangeError(`volumetric heat capacity of cell ${c} must be a positive number of J/(m^3 K), got ${heatCapacity[c]}`);
      }
    }
    for (const face of ["xMin", "xMax", "yMin", "yMax", "zMin", "zMax"] as const) checkBoundary(face, boundaries[face]);
    const { nx, ny, nz, spacingM: s } = grid;
    this.nx = nx;
    this.ny = ny;
    this.nz = nz;
    this.cellVolumeM3 = s * s * s;
    this.gx = new Float64Array(n);
    this.gy = new Float64Array(n);
    this.gz = new Float64Array(n);
    this.gBoundary = new Float64Array(n);
    this.gBoundaryT = new Float64Array(n);
    this.diagonal = new Float64Array(n);
    this.capacity = new Float64Array(n);
    const sxy = nx * ny;
    for (let kk = 0; kk < nz; kk++) {
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          const c = i + nx * (j + ny * kk);
          const kc = k[c]!;
          this.capacity[c] = heatCapacity[c]! * this.cellVolumeM3;
          if (i < nx - 1) this.gx[c] = harmonicConductance(kc, k[c + 1]!, s);
          if (j < ny - 1) this.gy[c] = harmonicConductance(kc, k[c + nx]!, s);
          if (kk < nz - 1) this.gz[c] = harmonicConductance(kc, k[c + sxy]!, s);
          if (i === 0) this.addBoundary(c, kc, s, boundaries.xMin);
          if (i === nx - 1) this.addBoundary(c, kc, s, boundaries.xMax);
          if (j === 0) this.addBoundary(c, kc, s, boundaries.yMin);
          if (j === ny - 1) this.addBoundary(c, kc, s, boundaries.yMax);
          if (kk === 0) this.addBoundary(c, kc, s, boundaries.zMin);
          if (kk === nz - 1) this.addBoundary(c, kc, s, boundaries.zMax);
        }
      }
    }
    for (let c = 0; c < n; c++) {
      let d = this.gBoundary[c]! + this.gx[c]! + this.gy[c]! + this.gz[c]!;
      if (c % nx > 0) d += this.gx[c - 1]!;
      if (((c / nx) | 0) % ny > 0) d += this.gy[c - nx]!;
      if (c >= sxy) d += this.gz[c - sxy]!;
      this.diagonal[c] = d;
    }
  }

  get cellCount(): number {
    return this.diagonal.length;
  }

  /** True when some boundary face exchanges heat, i.e. the steady problem is well posed. */
  get hasHeatSink(): boolean {
    for (let c = 0; c < this.gBoundary.length; c++) if (this.gBoundary[c]! > 0) return true;
    return false;
  }

  private addBoundary(c: number, kc: number, s: number, bc: BoundaryCondition): void {
    if (bc.type === "adiabatic") return;
    const g = bc.type === "fixed" ? 2 * s * kc : (s * s) / (s / (2 * kc) + 1 / bc.hWPerM2K);
    const tb = bc.type === "fixed" ? bc.temperatureK : bc.ambientK;
    this.gBoundary[c] += g;
    this.gBoundaryT[c] += g * tb;
  }

  /**
   * y = (shift C + L + G_b) x, shift in 1/s (1/dt for backward Euler, 0 for steady state).
   * Returns x . y, which the conjugate gradient needs, from the same pass.
   */
  apply(x: Float64Array, y: Float64Array, shift: number): number {
    const { nx, ny, nz, gx, gy, gz, diagonal, capacity } = this;
    const sxy = nx * ny;
    let dot = 0;
    for (let k = 0; k < nz; k++) {
      for (let j = 0; j < ny; j++) {
        const row = nx * (j + ny * k);
        for (let i = 0; i < nx; i++) {
          const c = row + i;
          const xc = x[c]!;
          let v = (shift * capacity[c]! + diagonal[c]!) * xc;
          if (i > 0) v -= gx[c - 1]! * x[c - 1]!;
          if (i < nx - 1) v -= gx[c]! * x[c + 1]!;
          if (j > 0) v -= gy[c - nx]! * x[c - nx]!;
          if (j < ny - 1) v -= gy[c]! * x[c + nx]!;
          if (k > 0) v -= gz[c - sxy]! * x[c - sxy]!;
          if (k < nz - 1) v -= gz[c]! * x[c + sxy]!;
          y[c] = v;
          dot += xc * v;
        }
      }
    }
    return dot;
  }
}

function harmonicConductance(k1: number, k2: number, s: number): number {
  return (2 * s * k1 * k2) / (k1 + k2);
}

function checkBoundary(face: string, bc: BoundaryCondition | undefined): void {
  if (bc === undefined) throw new RangeError(`boundary ${face} is missing; give { type: "adiabatic" | "fixed" | "convection", ... }`);
  if (bc.type === "adiabatic") return;
  if (bc.type === "fixed") {
    if (!(bc.temperatureK > 0 && Number.isFinite(bc.temperatureK))) {
      throw new RangeError(`boundary ${face}: fixed temperature must be a positive number of kelvin, got ${bc.temperatureK}`);
    }
    return;
  }
  if (bc.type === "convection") {
    if (!(bc.hWPerM2K > 0 && Number.isFinite(bc.hWPerM2K))) {
      throw new RangeError(`boundary ${face}: convection coefficient must be a positive number of W/(m^2 K), got ${bc.hWPerM2K}`);
    }
    if (!(bc.ambientK > 0 && Number.isFinite(bc.ambientK))) {
      throw new RangeError(`boundary ${face}: ambient temperature must be a positive number of kelvin, got ${bc.ambientK}`);
    }
    return;
  }
  throw new RangeError(`boundary ${face}: unknown type "${(bc as { type: string }).type}", expected adiabatic, fixed or convection`);
}
