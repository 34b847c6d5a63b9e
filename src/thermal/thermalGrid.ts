/**
 * The grid heat conduction is solved on, and the per-cell thermal properties on it.
 *
 * A thermal grid is nx x ny x nz cubic cells of edge `spacingM`, centred on the origin and
 * indexed x fastest like src/core/grid.ts: cell (i, j, k) is at i + nx (j + ny k).
 * Heat diffuses over lengths much larger than an imaging voxel during a scan, so the thermal
 * grid is usually the imaging grid coarsened by an integer factor f (f^3 voxels per cell).
 *
 * Coarsening rules (each chosen so that a coarse cell stores and conducts like its voxels):
 *  - volumetric heat capacity rho c_p: arithmetic mean over the f^3 voxels, so the heat
 *    stored for a uniform temperature rise is exactly that of the voxels;
 *  - conductivity k: arithmetic mean inside a cell (the Wiener "parallel" upper bound),
 *    while the solver takes the harmonic mean between neighbouring cells at each face (the
 *    "series" lower bound). Arithmetic-in-cell then harmonic-at-face is the usual
 *    finite-volume choice (S. V. Patankar, Numerical Heat Transfer and Fluid Flow,
 *    Hemisphere 1980, section 4.2-3): it keeps a continuous phase (e.g. a connected
 *    electrolyte or current collector) conducting, and a thin resistive layer between two
 *    cells still limits the flux through their face;
 *  - absorbed power: summed over the voxels and divided by the cell volume, so the energy
 *    delivered per second is conserved exactly.
 */
import type { VolumeGrid } from "../core/grid.js";
import { checkGrid } from "../core/grid.js";
import { resolveMaterial, type Material } from "../materials/library.js";

export interface ThermalGrid {
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  /** Cell edge length (m). */
  readonly spacingM: number;
}

/** Conductivity and volumetric heat capacity of one material. */
export interface ThermalMaterial {
  /** Thermal conductivity k, W/(m K). */
  readonly conductivityWmK: number;
  /** Volumetric heat capacity rho c_p, J/(m^3 K). */
  readonly heatCapacityJm3K: number;
}

/** Per-cell properties on a thermal grid. */
export interface ThermalProperties {
  /** Thermal conductivity k per cell, W/(m K). */
  readonly conductivity: Float64Array;
  /** Volumetric heat capacity rho c_p per cell, J/(m^3 K). */
  readonly heatCapacity: Float64Array;
}

/** A material given by library name / Material, or directly by its thermal constants. */
export type ThermalMaterialSpec = string | Material | ThermalMaterial;

export type LabelVolume = Uint8Array | Uint16Array | Int32Array;

export function thermalCellCount(g: ThermalGrid): number {
  return g.nx * g.ny * g.nz;
}

export function checkThermalGrid(g: ThermalGrid): void {
  for (const [k, v] of [["nx", g.nx], ["ny", g.ny], ["nz", g.nz]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`thermal grid ${k} must be a positive integer, got ${v}`);
  }
  if (!(g.spacingM > 0 && Number.isFinite(g.spacingM))) {
    throw new RangeError(`thermal grid spacing must be a positive length, got ${g.spacingM} m`);
  }
}

/**
 * k and rho c_p of a material. A library material gives k directly and
 * rho c_p = density (g/cm^3 -> 1000 kg/m^3) x specific heat (J/(kg K)).
 */
export function thermalMaterial(spec: ThermalMaterialSpec): ThermalMaterial {
  if (typeof spec === "object" && "conductivityWmK" in spec) {
    if (!(spec.conductivityWmK > 0 && Number.isFinite(spec.conductivityWmK))) {
      throw new RangeError(`thermal conductivity must be a positive number of W/(m K), got ${spec.conductivityWmK}`);
    }
    if (!(spec.heatCapacityJm3K > 0 && Number.isFinite(spec.heatCapacityJm3K))) {
      throw new RangeError(`volumetric heat capacity must be a positive number of J/(m^3 K), got ${spec.heatCapacityJm3K}`);
    }
    return spec;
  }
  const m = typeof spec === "string" ? resolveMaterial(spec) : spec;
  if (m.entry === undefined) {
    throw new RangeError(
      `material "${m.name}" has no thermal data (only library materials carry conductivity and specific heat); ` +
        "give { conductivityWmK, heatCapacityJm3K } instead",
    );
  }
  return {
    conductivityWmK: m.entry.thermalConductivityWmK,
    heatCapacityJm3K: m.densityGcm3 * 1000 * m.entry.specificHeatJkgK,
  };
}

function checkFactor(imaging: VolumeGrid, factor: number): void {
  checkGrid(imaging);
  if (!Number.isInteger(factor) || factor < 1) {
    throw new RangeError(`coarsening factor must be a positive integer, got ${factor}`);
  }
  for (const [k, n] of [["nx", imaging.nx], ["ny", imaging.ny], ["nz", imaging.nz]] as const) {
    if (n % factor !== 0) {
      throw new RangeError(`imaging grid ${k} = ${n} is not divisible by the coarsening factor ${factor}; crop or pad the volume first`);
    }
  }
}

/**
 * The thermal grid of an imaging grid coarsened by `factor` along each axis. The grid stays
 * centred on the origin and covers the same box, so cell (I, J, K) holds the voxels
 * i in [f I, f I + f), etc.
 */
export function coarsenToThermal(imaging: VolumeGrid, factor: number): ThermalGrid {
  checkFactor(imaging, factor);
  return {
    nx: imaging.nx / factor,
    ny: imaging.ny / factor,
    nz: imaging.nz / factor,
    spacingM: imaging.voxelSizeM * factor,
  };
}

/**
 * Sums a voxel field into cells: out[cell] = sum of the f^3 voxel values. One pass over the
 * voxels in memory order; no allocation besides the output.
 */
function sumIntoCells(values: ArrayLike<number>, imaging: VolumeGrid, factor: number, out: Float64Array): void {
  const { nx, ny, nz } = imaging;
  const cx = nx / factor;
  const cy = ny / factor;
  let v = 0;
  for (let k = 0; k < nz; k++) {
    const kc = ((k / factor) | 0) * cy;
    for (let j = 0; j < ny; j++) {
      const rowc = cx * (((j / factor) | 0) + kc);
      for (let i = 0; i < nx; i++, v++) out[rowc + ((i / factor) | 0)]! += values[v]!;
    }
  }
}

/**
 * Per-cell k and rho c_p from a label volume on the imaging grid: label l takes
 * classMaterials[l]; with factor f > 1 each cell averages its f^3 voxels (arithmetic for
 * both, see the module comment for why).
 */
export function thermalProperties(
  labels: LabelVolume,
  imaging: VolumeGrid,
  classMaterials: readonly ThermalMaterialSpec[],
  factor = 1,
): ThermalProperties & { readonly grid: ThermalGrid } {
  const grid = coarsenToThermal(imaging, factor);
  const nVox = imaging.nx * imaging.ny * imaging.nz;
  if (labels.length !== nVox) {
    throw new RangeError(`label volume has ${labels.length} voxels, expected ${nVox} (${imaging.nx} x ${imaging.ny} x ${imaging.nz})`);
  }
  if (classMaterials.length === 0) throw new RangeError("thermalProperties needs at least one class material, got none");
  const mats = classMaterials.map(thermalMaterial);
  const kOf = Float64Array.from(mats, (m) => m.conductivityWmK);
  const cOf = Float64Array.from(mats, (m) => m.heatCapacityJm3K);
  const nCells = thermalCellCount(grid);
  const conductivity = new Float64Array(nCells);
  const heatCapacity = new Float64Array(nCells);
  const { nx, ny, nz } = imaging;
  const cx = grid.nx;
  const cy = grid.ny;
  let v = 0;
  for (let k = 0; k < nz; k++) {
    const kc = ((k / factor) | 0) * cy;
    for (let j = 0; j < ny; j++) {
      const rowc = cx * (((j / factor) | 0) + kc);
      for (let i = 0; i < nx; i++, v++) {
        const l = labels[v]!;
        if (l >= kOf.length || l < 0) {
          throw new RangeError(`label ${l} at voxel ${v} has no class material (${kOf.length} materials given, labels 0..${kOf.length - 1})`);
        }
        const c = rowc + ((i / factor) | 0);
        conductivity[c] += kOf[l]!;
        heatCapacity[c] += cOf[l]!;
      }
    }
  }
  const inv = 1 / (factor * factor * factor);
  for (let c = 0; c < nCells; c++) {
    conductivity[c] *= inv;
    heatCapacity[c] *= inv;
  }
  return { grid, conductivity, heatCapacity };
}

/**
 * The inverse of sumIntoCells for intensive fields (e.g. temperature): each voxel takes the
 * value of the thermal cell that contains it. Same memory-order walk; no allocation.
 */
export function spreadCellsToVoxels(cellValues: ArrayLike<number>, imaging: VolumeGrid, factor: number, out: Float32Array | Float64Array): void {
  const { nx, ny, nz } = imaging;
  if (out.length !== nx * ny * nz) throw new RangeError(`output has ${out.length} voxels, expected ${nx * ny * nz} (${nx} x ${ny} x ${nz})`);
  const cx = nx / factor;
  const cy = ny / factor;
  let v = 0;
  for (let k = 0; k < nz; k++) {
    const kc = ((k / factor) | 0) * cy;
    for (let j = 0; j < ny; j++) {
      const rowc = cx * (((j / factor) | 0) + kc);
      for (let i = 0; i < nx; i++, v++) out[v] = cellValues[rowc + ((i / factor) | 0)]!;
    }
  }
}

/**
 * Absorbed power per imaging voxel (W) -> power density per thermal cell (W/m^3): the f^3
 * voxel powers are summed, then divided by the cell volume, so sum(q V_cell) = sum(P_voxel).
 */
export function coarsenPower(powerPerVoxelW: Float32Array | Float64Array, imaging: VolumeGrid, factor: number, out?: Float64Array): Float64Array {
  const grid = coarsenToThermal(imaging, factor);
  const nVox = imaging.nx * imaging.ny * imaging.nz;
  if (powerPerVoxelW.length !== nVox) {
    throw new RangeError(`power volume has ${powerPerVoxelW.length} voxels, expected ${nVox} (${imaging.nx} x ${imaging.ny} x ${imaging.nz})`);
  }
  const cells = thermalCellCount(grid);
  const result = out ?? new Float64Array(cells);
  if (result.length !== cells) throw new RangeError(`output has ${result.length} cells, expected ${cells} (the thermal grid)`);
  result.fill(0);
  sumIntoCells(powerPerVoxelW, imaging, factor, result);
  const invVolume = 1 / grid.spacingM ** 3;
  for (let c = 0; c < result.length; c++) result[c] *= invVolume;
  return result;
}
