/**
 * Figure 2 of the report: central slices of the reconstruction, or of the true attenuation
 * when the run has none, alone and under the true labels and the segmentation's classes.
 * Two planes: the axial slice z = nz / 2 (y up) and the vertical slice y = ny / 2 (z up),
 * which crosses every layer of a stacked electrode or cell. Segmented classes are coloured as
 * the true class they were mapped to (scores.json's classMapping, majority overlap), so equal
 * colours mean equal phases.
 */
import { centralXzSlice } from "./doseFigure.js";
import { AGED_CLASS_COLOURS, classColour, GREY, hex, type Rgb } from "./colourMaps.js";
import type { ImagePanel, LegendEntry, SlicesFigure } from "./figureTypes.js";
import { displayRange, labelOverlayImage, scalarImage, shrinkFactor, shrinkLabels, shrinkMean, type Plane } from "./raster.js";

export const SLICE_MAX_SIDE = 384;
/** Opacity of the label colours over the grey slice. */
export const OVERLAY_ALPHA = 0.45;

export interface SliceInputs {
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  readonly voxelSizeM: number | null;
  /** The grey volume (mu in 1/m), a short name for titles and a line saying what it is. */
  readonly values: ArrayLike<number>;
  readonly valuesSource: string;
  readonly valuesNote: string;
  readonly truthLabels: ArrayLike<number> | null;
  readonly truthClassNames: readonly string[];
  readonly segClasses: ArrayLike<number> | null;
  readonly segClassNames: readonly string[];
  /** Truth class name of each segmented class (scores.json), if scored. */
  readonly segToTruth: readonly string[] | null;
}

/** Plane z = k of a volume [z][y][x] as a copy. */
export function axialSlice(values: ArrayLike<number>, nx: number, ny: number, k: number): Float32Array {
  const out = new Float32Array(nx * ny);
  const o = k * nx * ny;
  for (let i = 0; i < out.length; i++) out[i] = values[o + i]!;
  return out;
}

/** Segmented classes relabelled as the index of the true class each maps to (unmapped ones kept). */
export function segAsTruthLabels(seg: Float32Array, segToTruth: readonly string[], truthClassNames: readonly string[]): Float32Array {
  const truthIndex = segToTruth.map((name) => truthClassNames.indexOf(name));
  const out = new Float32Array(seg.length);
  for (let i = 0; i < seg.length; i++) {
    const t = truthIndex[seg[i]!];
    out[i] = t !== undefined && t >= 0 ? t : seg[i]!;
  }
  return out;
}

export function slicesFigure(s: SliceInputs): SlicesFigure {
  const { nx, ny, nz } = s;
  if (s.values.length !== nx * ny * nz) throw new RangeError(`slices: the volume holds ${s.values.length} voxels, ${nx}x${ny}x${nz} needs ${nx * ny * nz}`);
  for (const [what, v] of [["true labels", s.truthLabels], ["segmentation", s.segClasses]] as const) {
    if (v !== null && v.length !== nx * ny * nz) throw new RangeError(`slices: the ${what} hold ${v.length} voxels, ${nx}x${ny}x${nz} needs ${nx * ny * nz}`);
  }
  const um = s.voxelSizeM === null ? null : s.voxelSizeM * 1e6;
  const unit = um === null ? "voxels" : "um";
  const half = (n: number) => (um === null ? n / 2 : (n * um) / 2);
  const planes = [
    { name: `z = ${nz >> 1}`, width: nx, height: ny, cut: (v: ArrayLike<number>) => axialSlice(v, nx, ny, nz >> 1), yAxis: "y", hy: half(ny) },
    { name: `y = ${ny >> 1}`, width: nx, height: nz, cut: (v: ArrayLike<number>) => centralXzSlice(v, nx, ny, nz), yAxis: "z", hy: half(nz) },
  ];
  // Aged classes (crack, SEI, plated-Li, ...) keep their own colours, as in the cycles figure,
  // rather than a palette slot that may repeat a pristine phase's.
  const colours: Rgb[] = s.truthClassNames.map((name, label) => AGED_CLASS_COLOURS[name] ?? classColour(label));
  const colourOf = (label: number): Rgb => colours[label] ?? classColour(label);
  const panels: ImagePanel[] = [];
  let shrunk = 1;
  for (const plane of planes) {
    const f = shrinkFactor(plane.width, plane.height, SLICE_MAX_SIDE);
    shrunk = Math.max(shrunk, f);
    const grey = shrinkMean({ width: plane.width, height: plane.height, data: plane.cut(s.values) }, f);
    const range = displayRange(grey.data, { low: 0.005, high: 0.995 });
    const base: Omit<ImagePanel, "title"> = {
      src: scalarImage(grey, { ...range, map: GREY, flipY: true }),
      width: grey.width,
      height: grey.height,
      x: [-half(nx), half(nx)],
      y: [-plane.hy, plane.hy],
      xLabel: `x (${unit})`,
      yLabel: `${plane.yAxis} (${unit})`,
      colourBar: { stops: GREY.stops.map(hex), min: range.min, max: range.max, log: false, label: "mu (1/m)" },
    };
    const overlay = (labels: Plane<ArrayLike<number>>): string => labelOverlayImage(shrinkLabels(labels, f), { alpha: OVERLAY_ALPHA, flipY: true, colours });
    panels.push({ title: `${s.valuesSource}, ${plane.name}`, ...base });
    if (s.truthLabels !== null) {
      panels.push({ title: `true labels, ${plane.name}`, ...base, overlay: overlay({ width: plane.width, height: plane.height, data: plane.cut(s.truthLabels) }) });
    }
    if (s.segClasses !== null) {
      const cut = plane.cut(s.segClasses);
      const labels = s.segToTruth !== null ? segAsTruthLabels(cut, s.segToTruth, s.truthClassNames) : cut;
      panels.push({ title: `segmentation, ${plane.name}`, ...base, overlay: overlay({ width: plane.width, height: plane.height, data: labels }) });
    }
  }
  const legends: { title: string; entries: LegendEntry[] }[] = [];
  if (s.truthLabels !== null) legends.push({ title: "true labels", entries: s.truthClassNames.map((name, label) => ({ label, name, colour: hex(colourOf(label)) })) });
  if (s.segClasses !== null) {
    const names = s.segClassNames.length > 0 ? s.segClassNames : (s.segToTruth ?? []).map((_, c) => `class${c}`);
    const entries: LegendEntry[] = names.map((name, c) => {
      const mapped = s.segToTruth?.[c];
      const t = mapped === undefined ? -1 : s.truthClassNames.indexOf(mapped);
      const label = t >= 0 ? t : c;
      return { label, name: mapped === undefined ? name : `${name} -> ${mapped}`, colour: hex(colourOf(label)) };
    });
    legends.push({ title: "segmentation", entries });
  }
  return { status: "ok", source: s.valuesNote + (shrunk > 1 ? ` (shown shrunk ${shrunk}x)` : ""), panels, legends };
}
