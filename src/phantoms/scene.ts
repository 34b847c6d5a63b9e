/**
 * Analytic scenes: a background material and a list of analytic objects on a voxel grid.
 * A scene can be voxelised into a labelled volume with partial volumes (two classes per
 * voxel), mapped to attenuation, and integrated exactly along rays for ground truth.
 *
 * Composition rule (the same everywhere here): at a point, the topmost (last-listed)
 * object whose valueAt is not OUTSIDE decides; its material gets the volume fraction
 * `value` and the background gets `1 - value`. A point covered by no object is background.
 */
import { checkGrid, halfExtent, voxelCount, type VolumeGrid } from "../core/grid.js";
import type { AnalyticObject, Ray } from "./analytic/types.js";
import { clipSlab } from "./analytic/intersect.js";
import { thinBoundsOf } from "./analytic/thin.js";

export interface AnalyticScene {
  readonly grid: VolumeGrid;
  /** Material filling everything no object covers (class 0). */
  readonly background: string;
  /**
   * Objects in paint order: later objects overwrite earlier ones where present. Treat a
   * scene as immutable: per-scene tables are cached on first use (keyed on the scene, its
   * objects array and length).
   */
  readonly objects: readonly AnalyticObject[];
}

/** Label values are bytes; the brief caps a scene at 255 classes. */
export const MAX_CLASSES = 255;

/**
 * Class names, which are the label values: index 0 is the background material, then each
 * distinct object material in order of first appearance (an object made of the background
 * material maps to 0).
 */
export function sceneClassNames(scene: AnalyticScene): string[] {
  const names = [scene.background];
  const seen = new Set(names);
  for (const o of scene.objects) {
    if (seen.has(o.material)) continue;
    seen.add(o.material);
    names.push(o.material);
    if (names.length > MAX_CLASSES) {
      throw new RangeError(`a scene may hold at most ${MAX_CLASSES} materials (background included); this one has more`);
    }
  }
  return names;
}

export interface LabelledVolume {
  readonly grid: VolumeGrid;
  /** Material name of each label value. */
  readonly classNames: string[];
  /** Majority class of each voxel (ties go to the lower class index). */
  readonly labels: Uint8Array;
  /** Second class in the voxel; equal to labels[v] where the voxel is pure. */
  readonly secondary: Uint8Array;
  /** Volume fraction of labels[v]; the rest (1 - it) is secondary[v]. In [0.5, 1]. */
  readonly primaryFraction: Float32Array;
}

export interface VoxelizeOptions {
  /** Sub-samples per voxel edge (s^3 per voxel) where a voxel is supersampled. Default 4. */
  readonly supersampling?: number;
  /** Called after each z slice with (slices done, nz). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Per-scene arrays every evaluation needs: object classes and bounding boxes. */
interface Prepared {
  readonly objects: readonly AnalyticObject[];
  readonly count: number;
  readonly background: string;
  readonly classNames: string[];
  readonly classOf: Uint8Array;
  readonly minX: Float64Array;
  readonly minY: Float64Array;
  readonly minZ: Float64Array;
  readonly maxX: Float64Array;
  readonly maxY: Float64Array;
  readonly maxZ: Float64Array;
}

const preparedCache = new WeakMap<AnalyticScene, Prepared>();

function prepare(scene: AnalyticScene): Prepared {
  const cached = preparedCache.get(scene);
  if (
    cached !== undefined &&
    cached.objects === scene.objects &&
    cached.count === scene.objects.length &&
    cached.background === scene.background
  ) {
    return cached;
  }
  const classNames = sceneClassNames(scene);
  const index = new Map(classNames.map((name, i) => [name, i]));
  const n = scene.objects.length;
  const p: Prepared = {
    objects: scene.objects,
    count: n,
    background: scene.background,
    classNames,
    classOf: Uint8Array.from(scene.objects, (o) => index.get(o.material)!),
    minX: Float64Array.from(scene.objects, (o) => o.bounds.min[0]),
    minY: Float64Array.from(scene.objects, (o) => o.bounds.min[1]),
    minZ: Float64Array.from(scene.objects, (o) => o.bounds.min[2]),
    maxX: Float64Array.from(scene.objects, (o) => o.bounds.max[0]),
    maxY: Float64Array.from(scene.objects, (o) => o.bounds.max[1]),
    maxZ: Float64Array.from(scene.objects, (o) => o.bounds.max[2]),
  };
  preparedCache.set(scene, p);
  return p;
}

/**
 * The composed state at a point, as (class, fraction of that class; the rest is
 * background), canonical so that equal material mixtures compare equal: pure background
 * is always (0, 1). Written to module variables, not returned, so that the hot loops
 * allocate nothing.
 */
let ptClass = 0;
let ptFrac = 1;

/** Evaluate the topmost present object among list[0..count) (ascending paint order). */
function evalPoint(p: Prepared, list: Int32Array, count: number, x: number, y: number, z: number): void {
  for (let q = count - 1; q >= 0; q--) {
    const o = list[q]!;
    if (x < p.minX[o]! || x > p.maxX[o]! || y < p.minY[o]! || y > p.maxY[o]! || z < p.minZ[o]! || z > p.maxZ[o]!) continue;
    const v = p.objects[o]!.valueAt(x, y, z);
    // OUTSIDE is -1; any negative (or NaN) counts as absent.
    if (!(v >= 0)) continue;
    const c = p.classOf[o]!;
    if (c === 0 || v === 0) {
      ptClass = 0;
      ptFrac = 1;
    } else {
      ptClass = c;
      ptFrac = v < 1 ? v : 1;
    }
    return;
  }
  ptClass = 0;
  ptFrac = 1;
}

/**
 * Voxelise a scene with partial volumes.
 *
 * Each voxel's material fractions are the average over s^3 sub-samples at the midpoints of
 * an s x s x s subdivision; the two largest classes are kept and renormalised to sum to 1.
 *
 * Which voxels are supersampled (the rest take the common state of their corners):
 * - every voxel whose 8 corners do not all have the same (class, fraction): a boundary
 *   passes through it. This catches any surface that cuts the voxel with a corner on each
 *   side (every plane through a cube's interior does), so for objects at least 2 voxels
 *   thick it misses only the slivers where a curved surface bulges between corners
 *   without covering one, whose volume is second order in voxel size / curvature radius;
 * - every voxel touching a region an object reports as thin at a width of 2 voxels
 *   (ThinFeatures.thinBounds; for other objects, the whole bounding box when its smallest
 *   extent is under 2 voxels): a feature that narrow can fall between corners and vanish.
 *   This covers small spheres, thin boxes and cylinders, the Siemens star's spokes near its
 *   centre and the small Shepp-Logan ellipsoids on coarse grids. (A thin wall between two
 *   different states, like the Shepp-Logan skull, needs no flag: its voxels' corners differ.)
 * Corners are evaluated slice by slice, two z-planes in memory at a time.
 */
export function voxelizeScene(scene: AnalyticScene, options: VoxelizeOptions = {}): LabelledVolume {
  const grid = scene.grid;
  checkGrid(grid);
  const S = options.supersampling ?? 4;
  if (!Number.isInteger(S) || S < 1 || S > 64) {
    throw new RangeError(`supersampling must be a whole number from 1 to 64, got ${String(S)}`);
  }
  const p = prepare(scene);
  const nClasses = p.classNames.length;
  const n = p.count;
  const { nx, ny, nz } = grid;
  const s = grid.voxelSizeM;
  const total = voxelCount(grid);
  const labels = new Uint8Array(total);
  const secondary = new Uint8Array(total);
  const primaryFraction = new Float32Array(total);

  // Corner lattice: (nx+1) x (ny+1) per plane, corner (ic, jc, kc) at ((ic - nx/2) s, ...).
  const cx = nx + 1;
  const planeSize = cx * (ny + 1);
  let clsLo = new Uint8Array(planeSize), fracLo = new Float64Array(planeSize);
  let clsHi = new Uint8Array(planeSize), fracHi = new Float64Array(planeSize);

  // Voxel index ranges [i0, i1] x [j0, j1] x [k0, k1] of every thin region.
  const thinRanges: number[] = [];
  const first = (lo: number, m: number) => Math.max(0, Math.ceil(lo / s + m / 2 - 1));
  const last = (hi: number, m: number) => Math.min(m - 1, Math.floor(hi / s + m / 2));
  for (const o of p.objects) {
    for (const b of thinBoundsOf(o, 2 * s)) {
      const r = [first(b.min[0], nx), last(b.max[0], nx), first(b.min[1], ny), last(b.max[1], ny), first(b.min[2], nz), last(b.max[2], nz)];
      if (r[0]! <= r[1]! && r[2]! <= r[3]! && r[4]! <= r[5]!) thinRanges.push(...r);
    }
  }
  const thinMask = new Uint8Array(nx * ny);

  const planeList = new Int32Array(n);
  const rowList = new Int32Array(n);

  const evalCornerPlane = (kc: number, cls: Uint8Array, frac: Float64Array): void => {
    const z = (kc - nz / 2) * s;
    let nPlane = 0;
    for (let o = 0; o < n; o++) if (p.minZ[o]! <= z && z <= p.maxZ[o]!) planeList[nPlane++] = o;
    for (let jc = 0; jc <= ny; jc++) {
      const y = (jc - ny / 2) * s;
      let nRow = 0;
      for (let q = 0; q < nPlane; q++) {
        const o = planeList[q]!;
        if (p.minY[o]! <= y && y <= p.maxY[o]!) rowList[nRow++] = o;
      }
      const base = jc * cx;
      if (nRow === 0) {
        cls.fill(0, base, base + cx);
        frac.fill(1, base, base + cx);
        continue;
      }
      for (let ic = 0; ic <= nx; ic++) {
        evalPoint(p, rowList, nRow, (ic - nx / 2) * s, y, z);
        cls[base + ic] = ptClass;
        frac[base + ic] = ptFrac;
      }
    }
  };

  // Supersampling state: sub-sample offsets within a voxel, per-class accumulators.
  const offsets = Float64Array.from({ length: S }, (_, a) => ((a + 0.5) / S) * s);
  const weight = 1 / (S * S * S);
  const acc = new Float64Array(nClasses);
  const touched = new Int32Array(nClasses);
  const slabList = new Int32Array(n);
  const slabRowList = new Int32Array(n);

  /** Write the state (c, f: fraction f of class c, the rest background) into voxel v. */
  const writeState = (v: number, c: number, f: number): void => {
    if (c === 0 || f >= 1) {
      labels[v] = c;
      secondary[v] = c;
      primaryFraction[v] = 1;
    } else if (f > 0.5) {
      labels[v] = c;
      secondary[v] = 0;
      primaryFraction[v] = f;
    } else {
      // Ties go to the lower class index, the background.
      labels[v] = 0;
      secondary[v] = c;
      primaryFraction[v] = 1 - f;
    }
  };

  const supersample = (v: number, x0: number, y0: number, z0: number, list: Int32Array, count: number): void => {
    let nTouched = 0;
    for (let a = 0; a < S; a++) {
      const z = z0 + offsets[a]!;
      for (let b = 0; b < S; b++) {
        const y = y0 + offsets[b]!;
        for (let c = 0; c < S; c++) {
          evalPoint(p, list, count, x0 + offsets[c]!, y, z);
          if (acc[ptClass] === 0) touched[nTouched++] = ptClass;
          acc[ptClass] += ptFrac * weight;
          if (ptFrac < 1) {
            if (acc[0] === 0) touched[nTouched++] = 0;
            acc[0] += (1 - ptFrac) * weight;
          }
        }
      }
    }
    // The two largest classes; ties go to the lower class index.
    let c1 = -1, f1 = -1, c2 = -1, f2 = -1;
    for (let q = 0; q < nTouched; q++) {
      const c = touched[q]!, f = acc[c]!;
      acc[c] = 0;
      if (f > f1 || (f === f1 && c < c1)) {
        c2 = c1; f2 = f1;
        c1 = c; f1 = f;
      } else if (f > f2 || (f === f2 && c < c2)) {
        c2 = c; f2 = f;
      }
    }
    labels[v] = c1;
    if (c2 < 0 || f2 <= 0) {
      secondary[v] = c1;
      primaryFraction[v] = 1;
    } else {
      secondary[v] = c2;
      primaryFraction[v] = f1 / (f1 + f2);
    }
  };

  evalCornerPlane(0, clsLo, fracLo);
  for (let k = 0; k < nz; k++) {
    evalCornerPlane(k + 1, clsHi, fracHi);
    const z0 = (k - nz / 2) * s, z1 = z0 + s;

    thinMask.fill(0);
    for (let r = 0; r < thinRanges.length; r += 6) {
      if (k < thinRanges[r + 4]! || k > thinRanges[r + 5]!) continue;
      for (let j = thinRanges[r + 2]!; j <= thinRanges[r + 3]!; j++) {
        thinMask.fill(1, j * nx + thinRanges[r]!, j * nx + thinRanges[r + 1]! + 1);
      }
    }

    let nSlab = 0;
    for (let o = 0; o < n; o++) if (p.minZ[o]! <= z1 && z0 <= p.maxZ[o]!) slabList[nSlab++] = o;

    for (let j = 0; j < ny; j++) {
      const y0 = (j - ny / 2) * s, y1 = y0 + s;
      let nSlabRow = 0;
      for (let q = 0; q < nSlab; q++) {
        const o = slabList[q]!;
        if (p.minY[o]! <= y1 && y0 <= p.maxY[o]!) slabRowList[nSlabRow++] = o;
      }
      const rowBase = nx * (j + ny * k);
      for (let i = 0; i < nx; i++) {
        const a = j * cx + i;
        const b = a + cx;
        const c0 = clsLo[a]!, f0 = fracLo[a]!;
        const v = rowBase + i;
        if (
          thinMask[j * nx + i] === 0 &&
          clsLo[a + 1] === c0 && clsLo[b] === c0 && clsLo[b + 1] === c0 &&
          clsHi[a] === c0 && clsHi[a + 1] === c0 && clsHi[b] === c0 && clsHi[b + 1] === c0 &&
          fracLo[a + 1] === f0 && fracLo[b] === f0 && fracLo[b + 1] === f0 &&
          fracHi[a] === f0 && fracHi[a + 1] === f0 && fracHi[b] === f0 && fracHi[b + 1] === f0
        ) {
          writeState(v, c0, f0);
        } else {
          supersample(v, (i - nx / 2) * s, y0, z0, slabRowList, nSlabRow);
        }
      }
    }

    const tc = clsLo, tf = fracLo;
    clsLo = clsHi; fracLo = fracHi;
    clsHi = tc; fracHi = tf;
    options.onProgress?.(k + 1, nz);
  }

  return { grid, classNames: p.classNames.slice(), labels, secondary, primaryFraction };
}

function checkMu(muPerClass: Float64Array, nClasses: number): void {
  if (muPerClass.length < nClasses) {
    throw new RangeError(`muPerClass has ${muPerClass.length} entries for ${nClasses} classes`);
  }
}

/** Linear attenuation (1/m) per voxel: mu = f mu[label] + (1 - f) mu[secondary]. */
export function attenuationMap(volume: LabelledVolume, muPerClass: Float64Array): Float32Array {
  checkMu(muPerClass, volume.classNames.length);
  const { labels, secondary, primaryFraction } = volume;
  const out = new Float32Array(labels.length);
  for (let v = 0; v < labels.length; v++) {
    const f = primaryFraction[v]!;
    out[v] = f * muPerClass[labels[v]!]! + (1 - f) * muPerClass[secondary[v]!]!;
  }
  return out;
}

// Scratch for sceneLineIntegral, reused across calls (single-threaded, not re-entrant).
const crossingScratch: number[] = [];
let sortedScratch = new Float64Array(64);
const boxInterval = new Float64Array(2);
let allObjects = new Int32Array(16);

/**
 * The exact integral of mu along the LINE origin + t direction (all t, not only t >= 0)
 * within the grid's bounding box: the sample is what is inside the grid. Crossings of all
 * objects and of the box are sorted; on each sub-segment the composition is constant and is
 * evaluated at its midpoint. Background (class 0) counts wherever no object is present.
 * Returns mu times metres (dimensionless) for mu in 1/m; a non-unit direction is allowed
 * (lengths are scaled by its norm).
 */
export function sceneLineIntegral(scene: AnalyticScene, muPerClass: Float64Array, ray: Ray): number {
  const p = prepare(scene);
  checkMu(muPerClass, p.classNames.length);
  const [hx, hy, hz] = halfExtent(scene.grid);
  const o = ray.origin, d = ray.direction;
  const dLength = Math.hypot(d[0], d[1], d[2]);
  if (!(dLength > 0 && Number.isFinite(dLength)) || !o.every(Number.isFinite)) {
    throw new RangeError(`ray needs a finite origin and a non-zero direction, got origin [${o.join(", ")}], direction [${d.join(", ")}]`);
  }
  boxInterval[0] = -Infinity;
  boxInterval[1] = Infinity;
  if (!clipSlab(o[0], d[0], hx, boxInterval) || !clipSlab(o[1], d[1], hy, boxInterval) || !clipSlab(o[2], d[2], hz, boxInterval)) {
    return 0;
  }
  const tMin = boxInterval[0]!, tMax = boxInterval[1]!;

  crossingScratch.length = 0;
  for (const obj of p.objects) obj.crossings(ray, crossingScratch);
  if (sortedScratch.length < crossingScratch.length + 1) sortedScratch = new Float64Array(2 * crossingScratch.length + 1);
  let m = 0;
  for (const t of crossingScratch) if (t > tMin && t < tMax) sortedScratch[m++] = t;
  const sorted = sortedScratch.subarray(0, m).sort();
  sortedScratch[m] = tMax;

  if (allObjects.length < p.count) allObjects = new Int32Array(2 * p.count);
  for (let q = 0; q < p.count; q++) allObjects[q] = q;

  const mu0 = muPerClass[0]!;
  let sum = 0;
  let t0 = tMin;
  for (let q = 0; q <= sorted.length; q++) {
    const t1 = sortedScratch[q]!;
    if (t1 <= t0) continue;
    const tm = 0.5 * (t0 + t1);
    evalPoint(p, allObjects, p.count, o[0] + tm * d[0], o[1] + tm * d[1], o[2] + tm * d[2]);
    const mu = ptClass === 0 ? mu0 : ptFrac * muPerClass[ptClass]! + (1 - ptFrac) * mu0;
    sum += mu * (t1 - t0);
    t0 = t1;
  }
  return sum * dLength;
}
