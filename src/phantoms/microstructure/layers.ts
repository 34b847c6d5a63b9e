/**
 * Layered cell stacks along z (through-plane): current-collector foils, porous separators,
 * electrode layers (left to the particle packing) and plain fills, plus two defects: pinholes
 * through a separator and burrs on a foil.
 *
 * Layer z ranges (sample frame, src/core/grid.ts): layers are stacked bottom to top from
 * `zStartM` (default the bottom face of the volume, -nz s / 2); a voxel belongs to the layer
 * whose half-open interval [z0, z1) holds its CENTRE. Boundaries are cumulative sums of the
 * thicknesses, so rounding never drifts: a layer's voxel thickness is its thickness in
 * voxels rounded to the nearest integer, to within one voxel overall.
 *
 * - Foil (Al, Cu): a dense slab of the foil class.
 * - Separator: a slab of the separator class (a porous polymer is one mixed material, e.g.
 *   the library's "PE-separator" mixed with electrolyte by the caller's recipe); pinholes are
 *   vertical cylinders of the pore class through its full thickness, centres uniform in x-y.
 * - Electrode: filled with the pore class; particles, CBD come later.
 * - Burrs: cones of foil material standing on a foil face, pointing into the neighbouring
 *   layer (edge burrs from slitting or punching; a tall one pierces the separator). A voxel
 *   is in a cone of base radius rb and height h when its centre is at height t in [0, h]
 *   above the face and within rb (1 - t / h) of the axis. Burrs overwrite whatever is there
 *   (instance 0, grain 0): build them BEFORE rasterising particles and pass the foil label in
 *   rasterizeParticles' keepLabels so particles do not overwrite them.
 *
 * All fills set instance 0 and grain 0. Pure module (no Node APIs).
 */
import type { Vec3, VolumeGrid } from "../../core/grid.js";
import type { Random } from "../../core/random.js";
import type { Microstructure } from "./types.js";

/** A layer's extent: metres (sample frame) and voxel layers [k0, k1) clipped to the grid. */
export interface LayerRange {
  readonly z0M: number;
  readonly z1M: number;
  readonly k0: number;
  readonly k1: number;
}

/** Index of the first voxel whose centre is at or above z (may lie outside 0..nz). */
function firstVoxelAtOrAbove(grid: VolumeGrid, zM: number): number {
  // Voxel k's centre is at (k - (nz - 1) / 2) s; centre >= z  <=>  k >= z / s + (nz - 1) / 2.
  return Math.ceil(zM / grid.voxelSizeM + (grid.nz - 1) / 2 - 1e-9);
}

/** The voxel layers whose centres lie in [z0M, z1M), clipped to the grid. */
export function zRangeOf(grid: VolumeGrid, z0M: number, z1M: number): LayerRange {
  const clamp = (k: number): number => Math.min(grid.nz, Math.max(0, k));
  const k0 = clamp(firstVoxelAtOrAbove(grid, z0M));
  const k1 = Math.max(k0, clamp(firstVoxelAtOrAbove(grid, z1M)));
  return { z0M, z1M, k0, k1 };
}

/** Ranges of consecutive layers of the given thicknesses (m), bottom to top from zStartM. */
export function layerZRanges(grid: VolumeGrid, thicknessesM: readonly number[], zStartM?: number): LayerRange[] {
  let z = zStartM ?? (-grid.nz * grid.voxelSizeM) / 2;
  return thicknessesM.map((t, n) => {
    if (!(t >= 0 && Number.isFinite(t))) throw new RangeError(`layer ${n}: thickness must be a length >= 0 (m), got ${t}`);
    const r = zRangeOf(grid, z, z + t);
    z += t;
    return r;
  });
}

function checkLabel(ms: Microstructure, label: number, what = "label"): void {
  if (!Number.isInteger(label) || label < 0 || label >= ms.classNames.length) {
    throw new RangeError(`${what} must index the ${ms.classNames.length} class names, got ${label}`);
  }
}

/** Fill voxel layers [k0, k1) with `label` (instance 0, grain 0). */
export function fillSlab(ms: Microstructure, range: Pick<LayerRange, "k0" | "k1">, label: number): void {
  checkLabel(ms, label);
  const slab = ms.grid.nx * ms.grid.ny;
  const a = slab * range.k0, b = slab * range.k1;
  ms.labels.fill(label, a, b);
  ms.instances.fill(0, a, b);
  ms.localGrains.fill(0, a, b);
}

/** Set one voxel column run at in-plane disc (cx, cy, radius; index units) for k in [k0, k1). */
function stampDisc(
  ms: Microstructure, cx: number, cy: number, radius: number, k0: number, k1: number, label: number,
  periodic: boolean,
): number {
  const { nx, ny } = ms.grid;
  const r2 = radius * radius;
  let n = 0;
  for (let jj = Math.ceil(cy - radius); jj <= Math.floor(cy + radius); jj++) {
    const dy = jj - cy;
    const rem = r2 - dy * dy;
    if (rem < 0) continue;
    let j = jj;
    if (j < 0 || j >= ny) {
      if (!periodic) continue;
      j = ((j % ny) + ny) % ny;
    }
    const half = Math.sqrt(rem);
    for (let ii = Math.ceil(cx - half); ii <= Math.floor(cx + half); ii++) {
      let i = ii;
      if (i < 0 || i >= nx) {
        if (!periodic) continue;
        i = ((i % nx) + nx) % nx;
      }
      for (let k = k0; k < k1; k++) {
        const v = i + nx * (j + ny * k);
        ms.labels[v] = label;
        ms.instances[v] = 0;
        ms.localGrains[v] = 0;
        n++;
      }
    }
  }
  return n;
}

export interface PinholeOptions {
  readonly count: number;
  readonly diameterM: number;
  /** Pore (electrolyte) label filling the holes. */
  readonly label: number;
  readonly rng: Random;
  /** x and y periodic (default true). */
  readonly periodic?: boolean;
}

export interface Pinhole {
  /** Axis position (m, sample frame). */
  readonly xM: number;
  readonly yM: number;
  readonly diameterM: number;
}

/** Through-thickness cylindrical pinholes in a separator layer. */
export function addPinholes(ms: Microstructure, range: LayerRange, options: PinholeOptions): Pinhole[] {
  checkLabel(ms, options.label, "pinhole label");
  const { count, diameterM, rng } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`pinhole count must be an integer >= 0, got ${count}`);
  if (!(diameterM > 0 && Number.isFinite(diameterM))) throw new RangeError(`pinhole diameter must be a positive length, got ${diameterM}`);
  const { nx, ny, voxelSizeM: s } = ms.grid;
  const out: Pinhole[] = [];
  for (let n = 0; n < count; n++) {
    // Continuous in-plane position over the whole face, [-0.5, n - 0.5) in index units.
    const cx = rng.next() * nx - 0.5, cy = rng.next() * ny - 0.5;
    stampDisc(ms, cx, cy, diameterM / (2 * s), range.k0, range.k1, options.label, options.periodic ?? true);
    out.push({ xM: (cx - (nx - 1) / 2) * s, yM: (cy - (ny - 1) / 2) * s, diameterM });
  }
  return out;
}

export interface BurrOptions {
  readonly count: number;
  /** Protrusion above the foil face (m). */
  readonly heightM: number;
  /** Cone base radius on the foil face (m). */
  readonly baseRadiusM: number;
  /** Which face: "top" (+z), "bottom" (-z) or "both" (each burr picks one at random). */
  readonly side: "top" | "bottom" | "both";
  /** Foil label. */
  readonly label: number;
  readonly rng: Random;
  readonly periodic?: boolean;
}

export interface Burr {
  /** Centre of the cone base on the foil face (m, sample frame). */
  readonly baseM: Vec3;
  /** +1: pointing up (+z), -1: pointing down. */
  readonly direction: 1 | -1;
  readonly heightM: number;
  readonly baseRadiusM: number;
}

/** Conical burrs of foil material on the faces of a foil layer. */
export function addFoilBurrs(ms: Microstructure, foil: LayerRange, options: BurrOptions): Burr[] {
  checkLabel(ms, options.label, "burr label");
  const { count, heightM, baseRadiusM, side, rng } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`burr count must be an integer >= 0, got ${count}`);
  if (!(heightM > 0 && Number.isFinite(heightM))) throw new RangeError(`burr height must be a positive length, got ${heightM}`);
  if (!(baseRadiusM > 0 && Number.isFinite(baseRadiusM))) throw new RangeError(`burr base radius must be a positive length, got ${baseRadiusM}`);
  const grid = ms.grid;
  const { nx, ny, nz, voxelSizeM: s } = grid;
  const periodic = options.periodic ?? true;
  const out: Burr[] = [];
  for (let n = 0; n < count; n++) {
    const cx = rng.next() * nx - 0.5, cy = rng.next() * ny - 0.5;
    const dir: 1 | -1 = side === "top" ? 1 : side === "bottom" ? -1 : rng.next() < 0.5 ? 1 : -1;
    const faceM = dir === 1 ? foil.z1M : foil.z0M;
    const tipM = faceM + dir * heightM;
    const r = dir === 1 ? zRangeOf(grid, faceM, tipM) : zRangeOf(grid, tipM, faceM);
    for (let k = r.k0; k < r.k1; k++) {
      const zc = (k - (nz - 1) / 2) * s;
      const t = dir * (zc - faceM);
      const radius = (baseRadiusM * (1 - t / heightM)) / s;
      if (radius > 0) stampDisc(ms, cx, cy, radius, k, k + 1, options.label, periodic);
    }
    out.push({ baseM: [(cx - (nx - 1) / 2) * s, (cy - (ny - 1) / 2) * s, faceM], direction: dir, heightM, baseRadiusM });
  }
  return out;
}

/** One layer of a stack. */
export type LayerSpec =
  | {
      readonly kind: "foil";
      readonly name: string;
      readonly thicknessM: number;
      readonly label: number;
      readonly burrs?: Omit<BurrOptions, "label" | "rng" | "periodic">;
    }
  | {
      readonly kind: "separator";
      readonly name: string;
      readonly thicknessM: number;
      readonly label: number;
      readonly pinholes?: Omit<PinholeOptions, "label" | "rng" | "periodic">;
    }
  /** Filled with the pore class; particles and CBD come later. */
  | { readonly kind: "electrode"; readonly name: string; readonly thicknessM: number }
  /** Any plain slab (e.g. lithium metal, an electrolyte gap). */
  | { readonly kind: "fill"; readonly name: string; readonly thicknessM: number; readonly label: number };

export interface LayerStackOptions {
  readonly poreLabel: number;
  readonly rng: Random;
  /** Bottom of the first layer (m); default the bottom face of the volume. */
  readonly zStartM?: number;
  readonly periodic?: boolean;
}

export interface LayerStack {
  /** Range of each layer by name, bottom to top. */
  readonly ranges: ReadonlyMap<string, LayerRange>;
  readonly pinholes: ReadonlyMap<string, Pinhole[]>;
  readonly burrs: ReadonlyMap<string, Burr[]>;
}

/**
 * Fill a stack of layers bottom to top; then pinholes, then burrs (so a burr is not erased
 * by the layer it protrudes into). Voxels outside every layer are left as they are.
 */
export function buildLayerStack(ms: Microstructure, layers: readonly LayerSpec[], options: LayerStackOptions): LayerStack {
  const names = new Set<string>();
  for (const l of layers) {
    if (names.has(l.name)) throw new RangeError(`layer name "${l.name}" appears twice`);
    names.add(l.name);
  }
  const rangeList = layerZRanges(ms.grid, layers.map((l) => l.thicknessM), options.zStartM);
  const ranges = new Map<string, LayerRange>();
  layers.forEach((l, n) => {
    const r = rangeList[n]!;
    ranges.set(l.name, r);
    fillSlab(ms, r, l.kind === "electrode" ? options.poreLabel : l.label);
  });
  const pinholes = new Map<string, Pinhole[]>();
  const burrs = new Map<string, Burr[]>();
  const periodic = options.periodic ?? true;
  layers.forEach((l, n) => {
    if (l.kind === "separator" && l.pinholes) {
      pinholes.set(l.name, addPinholes(ms, rangeList[n]!, { ...l.pinholes, label: options.poreLabel, rng: options.rng, periodic }));
    }
  });
  layers.forEach((l, n) => {
    if (l.kind === "foil" && l.burrs) {
      burrs.set(l.name, addFoilBurrs(ms, rangeList[n]!, { ...l.burrs, label: l.label, rng: options.rng, periodic }));
    }
  });
  return { ranges, pinholes, burrs };
}
