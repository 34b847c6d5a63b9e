/**
 * Reconstruct a scan stored as DXchange (xtwin's or any writer's in the standard layout):
 * flat/dark correction -> -log -> optional ring removal -> geometry -> centre -> FBP, FDK,
 * laminographic FBP, SIRT or CGLS. Used by `xtwin reconstruct` and by `xtwin run` when a
 * scenario asks for a reconstruction.
 *
 * Geometry: xtwin's /geometry/vectors when present (parallel, cone or laminography exactly
 * as scanned); otherwise a parallel-beam scan is built from /exchange/theta (degrees) and
 * the sample-plane pixel size (actual_pixel_size, else pixel_size, else 1 m so the volume
 * is in 1/pixel). Grid: the truth's when the file has one (so scores compare voxel for
 * voxel), else cols x cols x rows voxels of the sample-plane pixel.
 *
 * Memory: the line integrals of the whole scan are held as float32 (projections x rows x
 * cols x 4 bytes), plus the volume. Node only (parallel FBP runs on worker threads).
 */
import { parallelBeamGeometry, type ProjectionGeometry, projectionCount, VECTORS_PER_PROJECTION } from "../acquisition/geometry.js";
import type { VolumeGrid } from "../core/grid.js";
import type { DxchangeFile, NumericArray } from "../io/dxchange.js";
import { estimateCenterOffset } from "./centerOfRotation.js";
import { defaultParallelGrid, fbpParallel } from "./fbp.js";
import { fbpParallelThreaded } from "./fbpPool.js";
import { defaultConeGrid, fdk } from "./fdk.js";
import type { RampFilterName } from "./filters.js";
import { cgls, sirt, type StopReason } from "./iterative.js";
import { laminographyFbp } from "./laminography.js";
import { type FrameArray, FlatFieldCorrector, transmissionToLineIntegrals } from "./preprocess.js";
import { removeStripesStack } from "./ringRemoval.js";

export type ReconstructionAlgorithm = "fbp" | "fdk" | "sirt" | "cgls";
export const RECONSTRUCTION_ALGORITHMS: readonly ReconstructionAlgorithm[] = ["fbp", "fdk", "sirt", "cgls"];

export interface DatasetReconstructionOptions {
  readonly algorithm?: ReconstructionAlgorithm;
  readonly filter?: RampFilterName;
  /** Iterations of SIRT/CGLS (default 50 for SIRT, 15 for CGLS). */
  readonly iterations?: number;
  /**
   * "file": the scan's own geometry (xtwin vectors; estimated when the file has none);
   * "auto": estimate the axis from the data (parallel 180-degree scans); a number: the
   * centre offset in pixels (geometry.ts convention).
   */
  readonly center?: "file" | "auto" | number;
  /**
   * What /exchange/data holds: "counts" (needs flat fields), "transmission" (already
   * flat-field corrected: -log is taken) or "line-integrals" (used as they are). Default:
   * from /exchange/data's units attribute (`dataKindOf`), counts when it says nothing else.
   */
  readonly data?: "counts" | "transmission" | "line-integrals";
  /** Sorting-based ring removal (Vo et al. 2018) before reconstruction. */
  readonly rings?: boolean;
  /** Output grid; default the truth's, else cols x cols x rows. */
  readonly grid?: VolumeGrid;
  readonly onProgress?: (stage: string, done: number, total: number) => void;
  /** Worker threads for parallel-beam FBP (default: one per core; 0 or 1: this thread). */
  readonly workers?: number;
}

export interface DatasetReconstruction {
  readonly volume: Float32Array;
  readonly grid: VolumeGrid;
  readonly geometry: ProjectionGeometry;
  /** Algorithm actually run ("fbp" on a tilted scan runs laminographic FBP: "laminography"). */
  readonly algorithm: ReconstructionAlgorithm | "laminography";
  readonly filter?: RampFilterName;
  /** Centre offset applied (px), when the centre was estimated or given. */
  readonly centerOffsetPx?: number;
  readonly iterations?: number;
  readonly stopReason?: StopReason;
  /** Pixels clamped at the transmission floor by the flat-field correction. */
  readonly clampedPixels: number;
}

function stack(read: (i: number) => NumericArray, n: number, size: number): Float32Array {
  const out = new Float32Array(n * size);
  for (let i = 0; i < n; i++) {
    const f = read(i);
    for (let p = 0; p < size; p++) out[i * size + p] = Number(f[p]!);
  }
  return out;
}

/** Projection i of a scan as the flat-field corrector takes it (typed arrays pass through). */
export function projectionFrame(file: DxchangeFile, i: number): FrameArray {
  const f = file.readProjection(i);
  return f instanceof Float32Array || f instanceof Float64Array || f instanceof Uint16Array || f instanceof Uint32Array || f instanceof Uint8Array || f instanceof Int32Array
    ? f
    : Float32Array.from(f as ArrayLike<number>);
}

/** The flat/dark corrector of a scan from its own mean flats and darks; null when it has no flats. */
export function flatFieldCorrectorOf(file: DxchangeFile): FlatFieldCorrector | null {
  if (file.nFlat === 0) return null;
  const size = file.nRows * file.nCols;
  return new FlatFieldCorrector({
    rows: file.nRows,
    cols: file.nCols,
    projections: file.nAngles,
    flats: stack((i) => file.readFlat(i), file.nFlat, size),
    ...(file.nDark > 0 ? { darks: stack((i) => file.readDark(i), file.nDark, size) } : {}),
  });
}

/** Units attribute of /exchange/data for phase-retrieved (or otherwise -log'd) projections. */
export const LINE_INTEGRAL_UNITS = "dimensionless line integral";

/** What /exchange/data holds, from its units attribute: line integrals, transmissions, else counts. */
export function dataKindOf(file: DxchangeFile): "counts" | "transmission" | "line-integrals" {
  const u = (file.dataUnits ?? "").toLowerCase();
  if (/line.?integral/.test(u)) return "line-integrals";
  if (/transmission/.test(u)) return "transmission";
  return "counts";
}

/** The scan's geometry: the file's vectors, or a parallel scan from theta and pixel size. */
export function datasetGeometry(file: DxchangeFile, g = file.readGeometry()): ProjectionGeometry {
  if (g !== null) {
    if (g.type !== "parallel3d_vec" && g.type !== "cone_vec") throw new RangeError(`${file.path}: unknown /geometry/vectors type "${g.type}"`);
    if (g.vectors.length !== file.nAngles * VECTORS_PER_PROJECTION) {
      throw new RangeError(`${file.path}: /geometry/vectors has ${g.vectors.length / VECTORS_PER_PROJECTION} projections, /exchange/data ${file.nAngles}`);
    }
    return { type: g.type, rows: file.nRows, cols: file.nCols, vectors: g.vectors };
  }
  if (file.theta === null) throw new RangeError(`${file.path}: no /exchange/theta and no /geometry/vectors; the scan angles are unknown`);
  const pixel = file.samplePixelSizeM?.x ?? file.pixelSizeM?.x ?? 1;
  return parallelBeamGeometry({
    anglesRad: Float64Array.from(file.theta, (d) => (d * Math.PI) / 180),
    rows: file.nRows,
    cols: file.nCols,
    pixelSizeM: pixel,
  });
}

/** True when every ray of a parallel scan is horizontal (an ordinary CT, not laminography). */
function isUntilted(g: ProjectionGeometry): boolean {
  for (let p = 0; p < projectionCount(g); p++) if (Math.abs(g.vectors[p * VECTORS_PER_PROJECTION + 2]!) > 1e-12) return false;
  return true;
}

/** The angles (rad) of an untilted parallel scan, from its ray directions r = (sin t, -cos t, 0). */
function parallelAngles(g: ProjectionGeometry): Float64Array {
  return Float64Array.from({ length: projectionCount(g) }, (_, p) => Math.atan2(g.vectors[p * 12]!, -g.vectors[p * 12 + 1]!));
}

/** The same parallel scan with its detector moved so the axis falls on (cols-1)/2 - offset. */
function withCenterOffset(g: ProjectionGeometry, offsetPx: number): ProjectionGeometry {
  const v = Float64Array.from(g.vectors);
  for (let p = 0; p < projectionCount(g); p++) {
    const o = p * 12;
    v[o + 3] = offsetPx * v[o + 6]!;
    v[o + 4] = offsetPx * v[o + 7]!;
    v[o + 5] = offsetPx * v[o + 8]!;
  }
  return { ...g, vectors: v };
}

/** Line integrals of the whole scan (flat/dark corrected, -log), [projection][row][col]. */
export function lineIntegrals(
  file: DxchangeFile, kind: "counts" | "transmission" | "line-integrals" = "counts", onProgress?: (done: number, total: number) => void,
): { data: Float32Array; clamped: number } {
  const { nAngles: n, nRows: rows, nCols: cols } = file;
  const size = rows * cols;
  const data = new Float32Array(n * size);
  if (kind !== "counts") {
    let clamped = 0;
    const frame = new Float64Array(size);
    for (let i = 0; i < n; i++) {
      const f = projectionFrame(file, i);
      const out = data.subarray(i * size, (i + 1) * size);
      if (kind === "transmission") {
        for (let p = 0; p < size; p++) frame[p] = Number(f[p]!);
        clamped += transmissionToLineIntegrals(frame, out);
      } else for (let p = 0; p < size; p++) out[p] = Number(f[p]!);
      onProgress?.(i + 1, n);
    }
    return { data, clamped };
  }
  const corrector = flatFieldCorrectorOf(file);
  if (corrector === null) {
    throw new RangeError(`${file.path}: no flat fields (/exchange/data_white) to normalise the counts; if the data are already normalised say so (transmission or line-integrals)`);
  }
  for (let i = 0; i < n; i++) {
    corrector.lineIntegrals(i, projectionFrame(file, i), data.subarray(i * size, (i + 1) * size));
    onProgress?.(i + 1, n);
  }
  return { data, clamped: corrector.clamped };
}

/** Reconstruct the scan of `file` (see the module comment). */
export async function reconstructDataset(file: DxchangeFile, options: DatasetReconstructionOptions = {}): Promise<DatasetReconstruction> {
  const progress = options.onProgress;
  const algorithm = options.algorithm ?? "fbp";
  if (!RECONSTRUCTION_ALGORITHMS.includes(algorithm)) throw new RangeError(`unknown algorithm "${algorithm}"; expected one of ${RECONSTRUCTION_ALGORITHMS.join(", ")}`);
  const vectors = file.readGeometry();
  let geometry = datasetGeometry(file, vectors);
  const { data: projections, clamped } = lineIntegrals(file, options.data ?? dataKindOf(file), (d, t) => progress?.("flat-field", d, t));
  const { nAngles: n, nRows: rows, nCols: cols } = file;
  if (options.rings) removeStripesStack(projections, n, rows, cols, {}, (d, t) => progress?.("rings", d, t));

  // Centre of rotation.
  const hasVectors = vectors !== null;
  const center = options.center ?? "file";
  let centerOffsetPx: number | undefined;
  if (center !== "file" || !hasVectors) {
    if (geometry.type !== "parallel3d_vec" || !isUntilted(geometry)) {
      if (center !== "file") throw new RangeError(`--center: the centre can be set or estimated for parallel-beam CT scans only; this scan is ${geometry.type === "cone_vec" ? "cone beam" : "laminography"}`);
    } else {
      centerOffsetPx = typeof center === "number" ? center : estimateCenterOffset(projections, n, rows, cols, { anglesRad: parallelAngles(geometry) }).centerOffsetPx;
      geometry = withCenterOffset(geometry, centerOffsetPx);
    }
  }

  const truth = file.readTruth();
  let grid = options.grid;
  if (grid === undefined && truth !== null && truth.voxelSizeM !== null && truth.shape.length === 3) {
    grid = { nx: truth.shape[2]!, ny: truth.shape[1]!, nz: truth.shape[0]!, voxelSizeM: truth.voxelSizeM };
  }
  const filter = options.filter ?? "shepp-logan";
  const cone = geometry.type === "cone_vec";
  const tilted = !cone && !isUntilted(geometry);
  const base = { geometry, clampedPixels: clamped, ...(centerOffsetPx !== undefined ? { centerOffsetPx } : {}) };
  if (algorithm === "fbp" || algorithm === "fdk") {
    if (algorithm === "fbp" && cone) throw new RangeError("fbp reconstructs parallel-beam scans; this scan is cone beam: use --algorithm fdk");
    if (algorithm === "fdk" && !cone) throw new RangeError("fdk reconstructs cone-beam scans; this scan is parallel beam: use --algorithm fbp");
    const opts = { filter, ...(grid ? { grid } : {}) };
    if (cone) {
      const volume = fdk(projections, geometry, { ...opts, onProgress: (d, t) => progress?.("fdk", d, t) });
      return { ...base, volume, grid: grid ?? defaultConeGrid(geometry), algorithm: "fdk", filter };
    }
    if (tilted) {
      const volume = laminographyFbp(projections, geometry, { ...opts, onProgress: (d, t) => progress?.("laminography", d, t) });
      return { ...base, volume, grid: grid ?? defaultParallelGrid(geometry), algorithm: "laminography", filter };
    }
    const fbpOptions = { ...opts, onProgress: (d: number, t: number) => progress?.("fbp", d, t) };
    const volume = options.workers === 0 || options.workers === 1
      ? fbpParallel(projections, geometry, fbpOptions)
      : await fbpParallelThreaded(projections, geometry, { ...fbpOptions, ...(options.workers !== undefined ? { workers: options.workers } : {}) });
    return { ...base, volume, grid: grid ?? defaultParallelGrid(geometry), algorithm: "fbp", filter };
  }
  const g = grid ?? (cone ? defaultConeGrid(geometry) : defaultParallelGrid(geometry));
  const iterations = options.iterations ?? (algorithm === "sirt" ? 50 : 15);
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError(`iterations must be a positive whole number, got ${iterations}`);
  const run = algorithm === "sirt" ? sirt : cgls;
  const r = run(projections, geometry, g, {
    maxIterations: iterations,
    onIteration: (p) => {
      progress?.(algorithm, p.iteration, iterations);
    },
  });
  return { ...base, volume: r.volume, grid: g, algorithm, iterations: r.iterations, stopReason: r.stopReason };
}

