/**
 * The thermal domain around the imaged sample.
 *
 * The beam heats the field of view, but the heat leaves through whatever surrounds it:
 * electrolyte, a polyimide or quartz capillary, a metal holder. Cutting the domain at the
 * field of view with a fixed temperature would pin the sample to ambient and underestimate
 * the rise; an adiabatic cut would overestimate it without bound. So the (coarsened) sample
 * grid is wrapped in layers, applied from the inside out like an onion: each layer adds
 * round(thickness / spacing) cells (at least one) on each of its faces, spanning the whole
 * box built so far. E.g. [{electrolyte, all faces}, {capillary, x and y faces},
 * {copper holder, zMin}] gives a holder plate under the capillary and its content.
 *
 * The domain grid is again centred on its own origin; when layers are asymmetric the sample
 * is off-centre in it, and `sampleOrigin` says where its cell (0, 0, 0) went.
 */
import {
  checkThermalGrid,
  thermalCellCount,
  thermalMaterial,
  type ThermalGrid,
  type ThermalMaterialSpec,
  type ThermalProperties,
} from "./thermalGrid.js";

export type DomainFace = "xMin" | "xMax" | "yMin" | "yMax" | "zMin" | "zMax";
export const DOMAIN_FACES: readonly DomainFace[] = ["xMin", "xMax", "yMin", "yMax", "zMin", "zMax"];

export interface SurroundingLayer {
  /** Library material name, Material, or { conductivityWmK, heatCapacityJm3K }. */
  readonly material: ThermalMaterialSpec;
  /** Layer thickness (m); rounded to whole cells of the sample grid, at least one. */
  readonly thicknessM: number;
  /** Faces of the box built so far that this layer covers ("all" = the six faces). */
  readonly faces: readonly DomainFace[] | "all";
}

export interface EmbeddedDomain {
  readonly grid: ThermalGrid;
  readonly properties: ThermalProperties;
  /** Domain cell indices (i, j, k) of the sample's cell (0, 0, 0). */
  readonly sampleOrigin: readonly [number, number, number];
  /** sampleCells[c] = domain flat index of sample cell c (sample flat order). */
  readonly sampleCells: Int32Array;
  /** Cells each layer actually got on each of its faces (thickness after rounding). */
  readonly layerCells: readonly number[];
}

/** Wraps the sample's cells and properties in the surrounding layers. */
export function embedInDomain(
  sampleGrid: ThermalGrid,
  sample: ThermalProperties,
  layers: readonly SurroundingLayer[],
): EmbeddedDomain {
  checkThermalGrid(sampleGrid);
  const nSample = thermalCellCount(sampleGrid);
  if (sample.conductivity.length !== nSample || sample.heatCapacity.length !== nSample) {
    throw new RangeError(
      `sample properties have ${sample.conductivity.length} / ${sample.heatCapacity.length} cells, expected ${nSample}`,
    );
  }
  const s = sampleGrid.spacingM;
  // Box [lo, hi) per axis in domain cells, grown layer by layer; the sample starts at 0.
  const lo = [0, 0, 0];
  const hi = [sampleGrid.nx, sampleGrid.ny, sampleGrid.nz];
  const boxes: { lo: number[]; hi: number[] }[] = [];
  const layerCells: number[] = [];
  const mats = layers.map((layer, n) => {
    if (!(layer.thicknessM > 0 && Number.isFinite(layer.thicknessM))) {
      throw new RangeError(`surrounding layer ${n} thickness must be a positive length, got ${layer.thicknessM} m`);
    }
    const faces = layer.faces === "all" ? DOMAIN_FACES : layer.faces;
    if (faces.length === 0) throw new RangeError(`surrounding layer ${n} covers no faces; give "all" or a list of faces`);
    const cells = Math.max(1, Math.round(layer.thicknessM / s));
    for (const f of faces) {
      const axis = f[0] === "x" ? 0 : f[0] === "y" ? 1 : f[0] === "z" ? 2 : -1;
      if (axis < 0 || !DOMAIN_FACES.includes(f)) throw new RangeError(`surrounding layer ${n}: unknown face "${f}", expected one of ${DOMAIN_FACES.join(", ")}`);
      if (f.endsWith("Min")) lo[axis]! -= cells;
      else hi[axis]! += cells;
    }
    boxes.push({ lo: [...lo], hi: [...hi] });
    layerCells.push(cells);
    return thermalMaterial(layer.material);
  });
  const grid: ThermalGrid = { nx: hi[0]! - lo[0]!, ny: hi[1]! - lo[1]!, nz: hi[2]! - lo[2]!, spacingM: s };
  const n = thermalCellCount(grid);
  const conductivity = new Float64Array(n);
  const heatCapacity = new Float64Array(n);
  // Paint the outermost layer's box first, then each inner box over it, then the sample.
  for (let l = layers.length - 1; l >= 0; l--) {
    const b = boxes[l]!;
    const m = mats[l]!;
    for (let k = b.lo[2]! - lo[2]!; k < b.hi[2]! - lo[2]!; k++) {
      for (let j = b.lo[1]! - lo[1]!; j < b.hi[1]! - lo[1]!; j++) {
        const row = grid.nx * (j + grid.ny * k);
        for (let i = b.lo[0]! - lo[0]!; i < b.hi[0]! - lo[0]!; i++) {
          conductivity[row + i] = m.conductivityWmK;
          heatCapacity[row + i] = m.heatCapacityJm3K;
        }
      }
    }
  }
  const sampleOrigin = [-lo[0]!, -lo[1]!, -lo[2]!] as const;
  const sampleCells = new Int32Array(nSample);
  let c = 0;
  for (let k = 0; k < sampleGrid.nz; k++) {
    for (let j = 0; j < sampleGrid.ny; j++) {
      const row = sampleOrigin[0] + grid.nx * (j + sampleOrigin[1] + grid.ny * (k + sampleOrigin[2]));
      for (let i = 0; i < sampleGrid.nx; i++, c++) {
        sampleCells[c] = row + i;
        conductivity[row + i] = sample.conductivity[c]!;
        heatCapacity[row + i] = sample.heatCapacity[c]!;
      }
    }
  }
  return { grid, properties: { conductivity, heatCapacity }, sampleOrigin, sampleCells, layerCells };
}

/**
 * A sample field (e.g. power density) placed into the domain; cells outside the sample get
 * `fill` (0 W/m^3: the layers absorb none of the beam unless you add it yourself).
 */
export function embedField(domain: EmbeddedDomain, sampleField: ArrayLike<number>, fill = 0, out?: Float64Array): Float64Array {
  if (sampleField.length !== domain.sampleCells.length) {
    throw new RangeError(`sample field has ${sampleField.length} cells, expected ${domain.sampleCells.length}`);
  }
  const n = thermalCellCount(domain.grid);
  const result = out ?? new Float64Array(n);
  if (result.length !== n) throw new RangeError(`output has ${result.length} cells, expected ${n} (the domain)`);
  result.fill(fill);
  const map = domain.sampleCells;
  for (let c = 0; c < map.length; c++) result[map[c]!] = sampleField[c]!;
  return result;
}

/** The sample's cells of a domain field (e.g. the temperature), in sample order. */
export function sampleField(domain: EmbeddedDomain, domainField: ArrayLike<number>, out?: Float64Array): Float64Array {
  const n = thermalCellCount(domain.grid);
  if (domainField.length !== n) throw new RangeError(`domain field has ${domainField.length} cells, expected ${n}`);
  const map = domain.sampleCells;
  const result = out ?? new Float64Array(map.length);
  if (result.length !== map.length) throw new RangeError(`output has ${result.length} cells, expected ${map.length} (the sample)`);
  for (let c = 0; c < map.length; c++) result[c] = domainField[map[c]!]!;
  return result;
}
