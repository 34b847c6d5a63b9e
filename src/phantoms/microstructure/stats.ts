/**
 * Microstructure statistics measured on the voxels of a labelled microstructure: what a
 * segmentation of the simulated scan should recover.
 *
 * Conventions:
 * - Analysed volume: the whole grid, or the voxel layers zRange = { k0, k1 } = layers [k0, k1) (e.g. the electrode
 *   layer; `zRangeFromMetres` converts a z interval of the sample frame). Since z is the
 *   slowest index, a z range is a zero-copy subarray.
 * - Volume fractions and porosity are voxel counts over the analysed voxels, by class NAME
 *   (labels sharing a name are pooled). A label with no class name is an error.
 * - Particle sizes: per instance id (0 = none) the voxel count V, equivalent spherical diameter
 *   d = (6 V h^3 / pi)^(1/3); D10/D50/D90 are volume-weighted quantiles (see
 *   `volumeWeightedQuantile`). Always measured on the whole grid: particles live in the
 *   electrode layer, and in-plane periodic wrapping keeps an instance's voxels together.
 * - Specific surface (m^2 per m^3 of analysed volume) by face counting: every face shared by
 *   two voxels of different classes counts h^2 for each of the two classes (and once for the
 *   class pair). Faces on the outer boundary of the analysed volume are not interfaces, except
 *   across x and y when `periodicXY`. See `FACE_COUNT_ISOTROPIC_CORRECTION` for the 2/3.
 * - Percolating fraction: per class, the fraction of its voxels in 6-connected components
 *   touching both z faces of the analysed volume (percolation.ts).
 * - Tortuosity: tortuosity.ts (TauFactor's definition), of the union of the pore classes by
 *   default, on a centred x, y crop of at most 128 x 128 voxels of the analysed volume.
 */
import { checkGrid, voxelCount, type VolumeGrid } from "../../core/grid.js";
import { percolatingFractionByClass } from "./percolation.js";
import { cropCentredXY, tortuosityFactor, type TortuosityOptions, type TortuosityResult } from "./tortuosity.js";
import type { Microstructure } from "./types.js";

/**
 * Face counting measures a surface by the area of its voxel staircase, sum over the surface of
 * (|n_x| + |n_y| + |n_z|) dA. For a surface whose normals are isotropically distributed the
 * mean of |n_x| over the unit sphere is 1/2, so the staircase area is 3/2 of the true area
 * (Cauchy's projection formula: the mean projected area of a convex body is a quarter of its
 * surface area, and the three axis projections are each counted twice, front and back).
 * Multiplying by 2/3 removes this bias for isotropic surfaces (sphere packings, random
 * microstructures); it does NOT apply to surfaces aligned with the grid (a plane z = const has
 * no bias, and is underestimated by a third after the correction). Refs: Mullikin & Verbeek,
 * "Surface area estimation of digitized planes", Bioimaging 1 (1993) 6-16 (bias of face
 * counting for randomly oriented planes); Lehmann & Legland, "Efficient N-dimensional surface
 * estimation using Crofton formula and run-length encoding", Insight Journal (2012)
 * (Cauchy-Crofton estimators on voxel grids). TauFactor's face counting reports the raw count.
 */
export const FACE_COUNT_ISOTROPIC_CORRECTION = 2 / 3;

/** Half-open voxel range [k0, k1) in z. */
export type { ZRange } from "./types.js";
import type { ZRange } from "./types.js";

export interface RegionOptions {
  /** Analyse only voxel layers [k0, k1) in z (default: all). */
  readonly zRange?: ZRange;
}

/** Voxel layers whose centres lie in [zMinM, zMaxM] (sample frame, metres, origin at the centre). */
export function zRangeFromMetres(grid: VolumeGrid, zMinM: number, zMaxM: number): ZRange {
  checkGrid(grid);
  if (!(zMaxM >= zMinM)) throw new RangeError(`z interval [${zMinM}, ${zMaxM}] m is empty`);
  const h = grid.voxelSizeM, c = (grid.nz - 1) / 2;
  // Centre of layer k is (k - c) h; a small tolerance keeps centres lying on an end inside.
  const eps = 1e-9;
  const k0 = Math.max(0, Math.ceil(zMinM / h + c - eps));
  const k1 = Math.min(grid.nz, Math.floor(zMaxM / h + c + eps) + 1);
  if (k1 <= k0) throw new RangeError(`z interval [${zMinM}, ${zMaxM}] m holds no voxel centre`);
  return { k0, k1 };
}

/** Labels (and grid) of the analysed layers: a zero-copy view. */
export function zSlab<T extends Uint8Array | Uint32Array>(volume: T, grid: VolumeGrid, zRange?: ZRange): { volume: T; grid: VolumeGrid } {
  checkGrid(grid);
  if (volume.length !== voxelCount(grid)) throw new RangeError(`volume has ${volume.length} voxels, grid needs ${voxelCount(grid)}`);
  if (!zRange) return { volume, grid };
  const { k0, k1 } = zRange;
  if (!(Number.isInteger(k0) && Number.isInteger(k1) && 0 <= k0 && k0 < k1 && k1 <= grid.nz)) {
    throw new RangeError(`zRange [${k0}, ${k1}) must be integers with 0 <= k0 < k1 <= nz = ${grid.nz}`);
  }
  const nxy = grid.nx * grid.ny;
  return { volume: volume.subarray(k0 * nxy, k1 * nxy) as T, grid: { ...grid, nz: k1 - k0 } };
}

/** Voxels per label value (index 0..255). */
export function labelCounts(labels: Uint8Array): Float64Array {
  const counts = new Uint32Array(256);
  for (let g = 0; g < labels.length; g++) counts[labels[g]!]!++;
  return Float64Array.from(counts);
}

function checkLabelsNamed(counts: ArrayLike<number>, classNames: readonly string[]): void {
  for (let v = classNames.length; v < 256; v++) {
    if (counts[v]! > 0) throw new RangeError(`label ${v} has no class name (${classNames.length} classes)`);
  }
}

/** Volume fraction of each class by name over the analysed voxels; they sum to 1. */
export function volumeFractions(ms: Microstructure, options: RegionOptions = {}): Record<string, number> {
  const { volume } = zSlab(ms.labels, ms.grid, options.zRange);
  const counts = labelCounts(volume);
  checkLabelsNamed(counts, ms.classNames);
  const out: Record<string, number> = {};
  ms.classNames.forEach((name, v) => { out[name] = (out[name] ?? 0) + counts[v]! / volume.length; });
  return out;
}

/** Fraction of the analysed voxels whose class is one of `poreClasses` (names). */
export function porosity(ms: Microstructure, poreClasses: readonly string[], options: RegionOptions = {}): number {
  return porosityFrom(volumeFractions(ms, options), poreClasses, ms.classNames);
}

function porosityFrom(fractions: Record<string, number>, poreClasses: readonly string[], classNames: readonly string[]): number {
  for (const c of poreClasses) {
    if (!(c in fractions)) throw new RangeError(`pore class "${c}" is not one of ${JSON.stringify(classNames)}`);
  }
  return [...new Set(poreClasses)].reduce((s, c) => s + fractions[c]!, 0);
}

export interface ParticleSizeDistribution {
  /** Instances counted. */
  readonly count: number;
  /** Instance ids, in the order of `diametersM`. */
  readonly ids: Uint32Array;
  /** Equivalent spherical diameters (m), ascending. */
  readonly diametersM: Float64Array;
  /** Voxel-counted volumes (m^3), same order. */
  readonly volumesM3: Float64Array;
  /** Volume-weighted quantiles (m); NaN when there are no particles. */
  readonly d10M: number;
  readonly d50M: number;
  readonly d90M: number;
}

/**
 * Volume-weighted quantile of sorted `values` with weights `weights`: particle i (ascending)
 * sits at cumulative weight fraction F_i = (W_{i-1} + W_i) / 2 / W (the midpoint of its share,
 * so one population of equal sizes returns that size for every p), linear interpolation in F
 * between particles, clamped to the smallest / largest value outside [F_1, F_n].
 */
export function volumeWeightedQuantile(values: ArrayLike<number>, weights: ArrayLike<number>, p: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${p}`);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i]!;
  let before = 0, prevF = -Infinity, prevV = values[0]!;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    const f = (before + w / 2) / total;
    const v = values[i]!;
    if (p <= f) return i === 0 || f === prevF ? v : prevV + ((p - prevF) / (f - prevF)) * (v - prevV);
    before += w;
    prevF = f;
    prevV = v;
  }
  return values[n - 1]!;
}

export interface PsdOptions {
  /** Count only instances whose ParticleRecord material is one of these (default: all). */
  readonly particleMaterials?: readonly string[];
}

/** Particle size distribution from the `instances` volume (whole grid). */
export function particleSizeDistribution(ms: Microstructure, options: PsdOptions = {}): ParticleSizeDistribution {
  const { instances, grid } = ms;
  if (instances.length !== voxelCount(grid)) throw new RangeError(`instances have ${instances.length} voxels, grid needs ${voxelCount(grid)}`);
  let maxId = 0;
  for (let g = 0; g < instances.length; g++) if (instances[g]! > maxId) maxId = instances[g]!;
  const counts = new Float64Array(maxId + 1);
  for (let g = 0; g < instances.length; g++) counts[instances[g]!]!++;
  let keep: Uint8Array | undefined;
  if (options.particleMaterials) {
    const wanted = new Set(options.particleMaterials);
    keep = new Uint8Array(maxId + 1);
    for (const rec of ms.particles) if (rec.id <= maxId && wanted.has(rec.material)) keep[rec.id] = 1;
  }
  const idList: number[] = [];
  for (let id = 1; id <= maxId; id++) if (counts[id]! > 0 && (!keep || keep[id])) idList.push(id);
  const h3 = grid.voxelSizeM ** 3;
  // Diameter is monotone in the count: sort by count (ties by id, for determinism).
  idList.sort((a, b) => counts[a]! - counts[b]! || a - b);
  const ids = Uint32Array.from(idList);
  const volumesM3 = new Float64Array(ids.length);
  const diametersM = new Float64Array(ids.length);
  ids.forEach((id, i) => {
    const v = counts[id]! * h3;
    volumesM3[i] = v;
    diametersM[i] = Math.cbrt((6 * v) / Math.PI);
  });
  return {
    count: ids.length, ids, diametersM, volumesM3,
    d10M: volumeWeightedQuantile(diametersM, volumesM3, 0.1),
    d50M: volumeWeightedQuantile(diametersM, volumesM3, 0.5),
    d90M: volumeWeightedQuantile(diametersM, volumesM3, 0.9),
  };
}

export interface SurfaceOptions extends RegionOptions {
  /** Count interfaces across the x and y faces (periodic in-plane microstructure). Default false. */
  readonly periodicXY?: boolean;
  /** Multiply by FACE_COUNT_ISOTROPIC_CORRECTION (default true). */
  readonly isotropicCorrection?: boolean;
}

export interface SpecificSurface {
  /** Interface area of each class with anything else, per analysed volume (m^2/m^3), by name. */
  readonly perClass: Record<string, number>;
  /** Area of each class-pair interface per analysed volume (m^2/m^3), keyed "A|B" in label order. */
  readonly perInterface: Record<string, number>;
  /** The factor applied (2/3 or 1). */
  readonly correction: number;
  /** Analysed volume (m^3). */
  readonly volumeM3: number;
}

/**
 * Faces between different labels, as a symmetric K x K count matrix (K = max label + 1, entry
 * [a * K + b] = [b * K + a] = faces between a and b), over a label volume on `grid`.
 */
export function interfaceFaceCounts(labels: Uint8Array, grid: VolumeGrid, periodicXY = false): { K: number; counts: Float64Array } {
  checkGrid(grid);
  if (labels.length !== voxelCount(grid)) throw new RangeError(`labels have ${labels.length} voxels, grid needs ${voxelCount(grid)}`);
  const { nx, ny, nz } = grid;
  const nxy = nx * ny;
  let maxLabel = 0;
  for (let g = 0; g < labels.length; g++) if (labels[g]! > maxLabel) maxLabel = labels[g]!;
  const K = maxLabel + 1;
  const raw = new Float64Array(K * K); // ordered pairs; symmetrised below
  for (let k = 0, g = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, g++) {
        const a = labels[g]!;
        const ak = a * K;
        let b: number;
        if (i < nx - 1) { b = labels[g + 1]!; if (b !== a) raw[ak + b]!++; }
        else if (periodicXY && nx > 1) { b = labels[g - nx + 1]!; if (b !== a) raw[ak + b]!++; }
        if (j < ny - 1) { b = labels[g + nx]!; if (b !== a) raw[ak + b]!++; }
        else if (periodicXY && ny > 1) { b = labels[g - (ny - 1) * nx]!; if (b !== a) raw[ak + b]!++; }
        if (k < nz - 1) { b = labels[g + nxy]!; if (b !== a) raw[ak + b]!++; }
      }
    }
  }
  const counts = new Float64Array(K * K);
  for (let a = 0; a < K; a++) {
    for (let b = 0; b < K; b++) counts[a * K + b] = raw[a * K + b]! + raw[b * K + a]!;
  }
  return { K, counts };
}

/** Specific surface area per class and per class-pair interface (see the module comment). */
export function specificSurfaceArea(ms: Microstructure, options: SurfaceOptions = {}): SpecificSurface {
  const { volume, grid } = zSlab(ms.labels, ms.grid, options.zRange);
  const { K, counts } = interfaceFaceCounts(volume, grid, options.periodicXY ?? false);
  if (K > ms.classNames.length) throw new RangeError(`label ${K - 1} has no class name (${ms.classNames.length} classes)`);
  const correction = options.isotropicCorrection ?? true ? FACE_COUNT_ISOTROPIC_CORRECTION : 1;
  const h = grid.voxelSizeM;
  const volumeM3 = volume.length * h ** 3;
  const scale = (correction * h * h) / volumeM3;
  const perClass: Record<string, number> = {};
  const perInterface: Record<string, number> = {};
  for (const name of ms.classNames) perClass[name] = 0;
  for (let a = 0; a < K; a++) {
    let faces = 0;
    for (let b = 0; b < K; b++) faces += counts[a * K + b]!;
    perClass[ms.classNames[a]!]! += faces * scale;
    for (let b = a + 1; b < K; b++) {
      const c = counts[a * K + b]!;
      if (c === 0) continue;
      const na = ms.classNames[a]!, nb = ms.classNames[b]!;
      if (na === nb) continue; // two labels of one named class: not an interface between names
      const key = `${na}|${nb}`;
      perInterface[key] = (perInterface[key] ?? 0) + c * scale;
    }
  }
  // Pool classes sharing a name: faces between two of their labels are internal, remove them.
  for (let a = 0; a < K; a++) {
    for (let b = 0; b < K; b++) {
      if (a !== b && ms.classNames[a] === ms.classNames[b]) perClass[ms.classNames[a]!]! -= counts[a * K + b]! * scale;
    }
  }
  return { perClass, perInterface, correction, volumeM3 };
}

export interface StatsOptions extends RegionOptions {
  /** Class names that make up the pore space (e.g. ["electrolyte"]). */
  readonly poreClasses: readonly string[];
  readonly periodicXY?: boolean;
  /** Apply the 2/3 isotropic face-count correction to surfaces (default true). */
  readonly isotropicSurfaceCorrection?: boolean;
  /** Restrict the particle size distribution to particles of these materials. */
  readonly particleMaterials?: readonly string[];
  /**
   * Tortuosity solve, or false to skip it. `classes`: the conducting phase (default the pore
   * classes); `cropXY`: largest in-plane size solved, centred crop (default 128).
   */
  readonly tortuosity?: false | (TortuosityOptions & { readonly classes?: readonly string[]; readonly cropXY?: number });
}

export interface MicrostructureStats {
  /** Analysed layers [k0, k1) and their volume (m^3). */
  readonly zRange: ZRange;
  readonly analysedVolumeM3: number;
  readonly volumeFractions: Record<string, number>;
  readonly porosity: number;
  readonly particleCount: number;
  readonly d10M: number;
  readonly d50M: number;
  readonly d90M: number;
  readonly specificSurfaceM2perM3: Record<string, number>;
  readonly interfaceAreaM2perM3: Record<string, number>;
  readonly surfaceCorrection: number;
  /** Tortuosity factor in z (Infinity: no percolating path); null when skipped. */
  readonly tortuosity: number | null;
  readonly tortuosityDetail: (TortuosityResult & { readonly classes: readonly string[]; readonly cropGrid: VolumeGrid }) | null;
  readonly percolatingFraction: Record<string, number>;
}

/** All of the above for one microstructure (see the module comment for conventions). */
export function microstructureStats(ms: Microstructure, options: StatsOptions): MicrostructureStats {
  const zRange: ZRange = options.zRange ?? { k0: 0, k1: ms.grid.nz };
  const slab = zSlab(ms.labels, ms.grid, zRange);
  const fractions = volumeFractions(ms, { zRange });
  const psd = particleSizeDistribution(ms, options.particleMaterials ? { particleMaterials: options.particleMaterials } : {});
  const surface = specificSurfaceArea(ms, {
    zRange, periodicXY: options.periodicXY ?? false, isotropicCorrection: options.isotropicSurfaceCorrection ?? true,
  });
  const percolating = percolatingFractionByClass(slab.volume, slab.grid, ms.classNames, { periodicXY: options.periodicXY ?? false });
  let tortuosity: number | null = null;
  let tortuosityDetail: MicrostructureStats["tortuosityDetail"] = null;
  if (options.tortuosity !== false) {
    const t = options.tortuosity ?? {};
    const classes = t.classes ?? options.poreClasses;
    const mask = classMask(slab.volume, ms.classNames, classes);
    const size = t.cropXY ?? 128;
    const crop = cropCentredXY(mask, slab.grid, size, size);
    const result = tortuosityFactor(crop.volume, crop.grid, t);
    tortuosity = result.tau;
    tortuosityDetail = { ...result, classes: [...classes], cropGrid: crop.grid };
  }
  return {
    zRange,
    analysedVolumeM3: surface.volumeM3,
    volumeFractions: fractions,
    porosity: porosityFrom(fractions, options.poreClasses, ms.classNames),
    particleCount: psd.count,
    d10M: psd.d10M,
    d50M: psd.d50M,
    d90M: psd.d90M,
    specificSurfaceM2perM3: surface.perClass,
    interfaceAreaM2perM3: surface.perInterface,
    surfaceCorrection: surface.correction,
    tortuosity,
    tortuosityDetail,
    percolatingFraction: percolating,
  };
}

/** 0/1 mask of the voxels whose class name is one of `classes`. */
export function classMask(labels: Uint8Array, classNames: readonly string[], classes: readonly string[]): Uint8Array {
  for (const c of classes) {
    if (!classNames.includes(c)) throw new RangeError(`class "${c}" is not one of ${JSON.stringify(classNames)}`);
  }
  const lut = new Uint8Array(256);
  classNames.forEach((name, v) => { if (classes.includes(name)) lut[v] = 1; });
  const out = new Uint8Array(labels.length);
  for (let g = 0; g < labels.length; g++) out[g] = lut[labels[g]!]!;
  return out;
}
