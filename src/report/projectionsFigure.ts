/**
 * Figure 1 of the report: a few projections of the scan, flat-field corrected,
 * T = (I - D) / (F - D) (src/reconstruction/preprocess.ts), and the sinogram of the central
 * detector row as line integrals -ln T. Projections are shown as the beam sees the sample:
 * detector rows run along +z, so z points up.
 */
import type { DxchangeFile } from "../io/dxchange.js";
import { FlatFieldCorrector, type FrameArray } from "../reconstruction/preprocess.js";
import { dataKindOf, flatFieldCorrectorOf, projectionFrame } from "../reconstruction/fromDataset.js";
import { GREY, hex } from "./colourMaps.js";
import type { ImagePanel, ProjectionsFigure } from "./figureTypes.js";
import { displayRange, plainNumbers, scalarImage, shrinkFactor, shrinkMean, type Plane } from "./raster.js";

/** Longest side of a projection image and of the sinogram in the page (pixels). */
export const PROJECTION_MAX_SIDE = 256;
export const SINOGRAM_MAX_SIDE = 512;

/** `count` projection indices spread evenly over `n` (0, n/count, ...), fewer when n < count. */
export function spreadIndices(n: number, count: number): number[] {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`projection count must be a positive integer, got ${n}`);
  const k = Math.min(n, count);
  return Array.from({ length: k }, (_, s) => Math.floor((s * n) / k));
}

/** Angle a of a sinogram [angle][col] copied into `out` (a frame the corrector takes). */
function sinoRow(raw: ArrayLike<number>, a: number, out: Float64Array): FrameArray {
  const cols = out.length;
  for (let c = 0; c < cols; c++) out[c] = raw[a * cols + c]!;
  return out;
}

/** Row `row` of every frame of a stack read one frame at a time: [frame][col]. */
function rowStack(read: (i: number) => ArrayLike<number>, frames: number, row: number, cols: number): Float64Array {
  const out = new Float64Array(frames * cols);
  for (let i = 0; i < frames; i++) {
    const f = read(i);
    for (let c = 0; c < cols; c++) out[i * cols + c] = f[row * cols + c]!;
  }
  return out;
}

function greyBar(min: number, max: number, label: string): ImagePanel["colourBar"] {
  return { stops: GREY.stops.map(hex), min, max, log: false, label };
}

/** Figure 1 from an open DXchange file. */
export function projectionsFigure(file: DxchangeFile): ProjectionsFigure {
  const { nAngles, nRows, nCols } = file;
  const kind = dataKindOf(file);
  const corrector = kind === "counts" ? flatFieldCorrectorOf(file) : null;
  const pixelM = file.samplePixelSizeM?.x ?? file.pixelSizeM?.x ?? null;
  const unit = pixelM === null ? "pixels" : "um";
  const halfU = pixelM === null ? nCols / 2 : (nCols * pixelM * 1e6) / 2;
  const halfV = pixelM === null ? nRows / 2 : (nRows * pixelM * 1e6) / 2;
  const quantity = kind === "counts" ? (corrector ? "transmission T = (I - D) / (F - D)" : "counts (no flat fields in the file)") : kind === "transmission" ? "transmission" : "line integral";

  // Projections: corrected into one buffer each, then a common grey range.
  const indices = spreadIndices(nAngles, 4);
  const size = nRows * nCols;
  const frames = indices.map((i) => {
    const raw = projectionFrame(file, i);
    const out = new Float32Array(size);
    if (corrector) corrector.transmission(i, raw, out);
    else for (let p = 0; p < size; p++) out[p] = raw[p]!;
    return out;
  });
  const all = new Float32Array(frames.length * size);
  frames.forEach((f, k) => all.set(f, k * size));
  const range = displayRange(all, { low: 0.001, high: 0.999 });
  const f = shrinkFactor(nCols, nRows, PROJECTION_MAX_SIDE);
  const projections: ImagePanel[] = frames.map((frame, k) => {
    const small = shrinkMean({ width: nCols, height: nRows, data: frame }, f);
    const angle = file.theta?.[indices[k]!];
    return {
      title: `projection ${indices[k]}${angle === undefined ? "" : ` at ${angle.toFixed(1)} deg`}`,
      src: scalarImage(small, { ...range, map: GREY, flipY: true }),
      width: small.width,
      height: small.height,
      x: [-halfU, halfU],
      y: [-halfV, halfV],
      xLabel: `u (${unit})`,
      yLabel: `v (${unit})`,
      colourBar: greyBar(range.min, range.max, quantity.split(" =")[0]!),
    };
  });

  // Sinogram of the central row: -ln T when counts can be corrected, else the data as stored.
  const row = nRows >> 1;
  const raw = plainNumbers(file.readSinogram(row));
  const sino = new Float32Array(nAngles * nCols);
  let sinoQuantity: string;
  if (kind === "counts" && corrector) {
    const rowCorrector = new FlatFieldCorrector({
      rows: 1,
      cols: nCols,
      projections: nAngles,
      flats: rowStack((i) => plainNumbers(file.readFlat(i)), file.nFlat, row, nCols),
      ...(file.nDark > 0 ? { darks: rowStack((i) => plainNumbers(file.readDark(i)), file.nDark, row, nCols) } : {}),
    });
    const line = new Float32Array(nCols);
    const rawRow = new Float64Array(nCols);
    for (let a = 0; a < nAngles; a++) {
      rowCorrector.lineIntegrals(a, sinoRow(raw, a, rawRow), line);
      sino.set(line, a * nCols);
    }
    sinoQuantity = "-ln T";
  } else {
    for (let p = 0; p < sino.length; p++) sino[p] = raw[p]!;
    sinoQuantity = quantity;
  }
  const sinoPlane: Plane = { width: nCols, height: nAngles, data: sino };
  const fs = shrinkFactor(nCols, nAngles, SINOGRAM_MAX_SIDE);
  const small = shrinkMean(sinoPlane, fs);
  const sRange = displayRange(sino, { low: 0.001, high: 0.999 });
  // Angles down the image when they increase (an ordinary sinogram), else projection index.
  const theta = file.theta;
  let ordered = theta !== null && theta.length === nAngles && nAngles > 1;
  for (let a = 1; ordered && a < nAngles; a++) if (!(theta![a]! > theta![a - 1]!)) ordered = false;
  const sinogram: ImagePanel = {
    title: `sinogram of detector row ${row}`,
    src: scalarImage(small, { ...sRange, map: GREY }),
    width: small.width,
    height: small.height,
    x: [-halfU, halfU],
    y: ordered ? [theta![nAngles - 1]!, theta![0]!] : [nAngles - 1, 0],
    xLabel: `u (${unit})`,
    yLabel: ordered ? "angle (deg)" : "projection",
    freeAspect: true,
    colourBar: greyBar(sRange.min, sRange.max, sinoQuantity),
  };
  const note = `${nAngles} projections of ${nRows} x ${nCols} pixels${pixelM === null ? "" : ` of ${(pixelM * 1e6).toPrecision(3)} um`}` +
    `${corrector ? `; corrected with the mean of ${file.nFlat} flats and ${file.nDark} darks` : ""}${f > 1 || fs > 1 ? `; shown shrunk ${Math.max(f, fs)}x by block means` : ""}`;
  return { status: "ok", quantity, projections, sinogram, note };
}
