/**
 * The report's data as it travels to the page (JSON inside the HTML): one entry per figure,
 * either its data or the one-line reason the run lacks it. The page's script
 * (clientScript.ts) draws each with d3; nothing here is computed in the browser but the
 * layout.
 */

/** A section whose data the run does not have says why, in one line. */
export interface Missing {
  readonly status: "missing";
  readonly reason: string;
}

export interface ColourBar {
  /** "#rrggbb" stops, evenly spaced from min to max. */
  readonly stops: readonly string[];
  readonly min: number;
  readonly max: number;
  readonly log: boolean;
  readonly label: string;
}

/** A pixel image (PNG data URI) on physical axes, with an optional overlay and colour bar. */
export interface ImagePanel {
  readonly title: string;
  readonly src: string;
  /** Pixels of the PNG (after any shrinking). */
  readonly width: number;
  readonly height: number;
  /** Axis extents of the image's left..right and bottom..top edges, in the axis units. */
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
  readonly xLabel: string;
  readonly yLabel: string;
  /** True when the axes are not both lengths (a sinogram: angle against position): the
   * plot then keeps the pixel grid's aspect instead of the physical one. */
  readonly freeAspect?: boolean;
  /** A translucent label image drawn over this one. */
  readonly overlay?: string;
  readonly colourBar?: ColourBar;
}

export interface LegendEntry {
  readonly label: number;
  readonly name: string;
  readonly colour: string;
}

export interface ProjectionsFigure {
  readonly status: "ok";
  readonly quantity: string;
  readonly projections: readonly ImagePanel[];
  readonly sinogram: ImagePanel;
  readonly note: string;
}

export interface SlicesFigure {
  readonly status: "ok";
  readonly source: string;
  readonly panels: readonly ImagePanel[];
  /** Class names and colours of each overlay, by panel title. */
  readonly legends: readonly { readonly title: string; readonly entries: readonly LegendEntry[] }[];
}

export interface HistogramSeries {
  readonly name: string;
  /** Particles per bin. */
  readonly counts: readonly number[];
  readonly particles: number;
  readonly meanUm: number;
  readonly medianUm: number;
}

export interface ParticleSizeFigure {
  readonly status: "ok";
  /** Bin edges (um), one more than the counts of each series. */
  readonly edgesUm: readonly number[];
  readonly series: readonly HistogramSeries[];
}

export interface DoseFigure {
  readonly status: "ok";
  readonly map: ImagePanel;
  readonly maxGy: number;
  readonly meanGy: number;
  readonly note: string;
}

export interface TemperatureFigure {
  readonly status: "ok";
  readonly source: string;
  /** Beam-on time (s) and the hottest sample cell (K) at that time. */
  readonly timeS: readonly number[];
  readonly peakK: readonly number[];
  readonly ambientK: number | null;
  readonly bubbles: number;
}

export interface FadeFigure {
  readonly status: "ok";
  readonly cycle: readonly number[];
  readonly capacityFraction: readonly number[];
  readonly lliFraction: readonly number[];
  readonly lamFraction: readonly number[];
  /** Cycles a scan was taken at (cycle_<n>/ of a cycling run), drawn as vertical lines; empty otherwise. */
  readonly scannedCycles: readonly number[];
}

/** One scanned cycle of a cycling run: its truth slice, its lithium slice and its aged-class counts. */
export interface CycleColumn {
  readonly cycle: number;
  /** capacityFraction of degradation.json at this cycle, when it has the record. */
  readonly capacityFraction: number | null;
  /** /truth/labels in class colours (CyclesFigure.legend). */
  readonly labels: ImagePanel;
  /** /truth/lithium (mol/m^3) with its colour bar; null when the dataset has none. */
  readonly lithium: ImagePanel | null;
  /** Voxels of each of CyclesFigure.agedClasses in the whole truth volume. */
  readonly agedCounts: readonly number[];
}

export interface CyclesFigure {
  readonly status: "ok";
  /** Where the images come from and which plane they show (a line on the page). */
  readonly source: string;
  readonly note: string;
  readonly agedClasses: readonly string[];
  /** Every class of any scanned cycle, by name; label is the class's place in this list. */
  readonly legend: readonly LegendEntry[];
  readonly columns: readonly CycleColumn[];
}

export interface ScoresFigure {
  readonly status: "ok";
  /** [quantity, value] rows of the image scores. */
  readonly table: readonly (readonly [string, string])[];
  readonly classes: readonly string[];
  readonly dice: readonly number[];
  readonly iou: readonly number[];
}

export type Section<T> = T | Missing;

export interface ReportData {
  readonly title: string;
  readonly runDir: string;
  /** Lines about the run as a whole (e.g. which cycle of a series the images show). */
  readonly notes: readonly string[];
  readonly projections: Section<ProjectionsFigure>;
  readonly slices: Section<SlicesFigure>;
  readonly particleSizes: Section<ParticleSizeFigure>;
  readonly dose: Section<DoseFigure>;
  readonly temperature: Section<TemperatureFigure>;
  readonly fade: Section<FadeFigure>;
  readonly cycles: Section<CyclesFigure>;
  readonly scores: Section<ScoresFigure>;
}

export function missing(reason: string): Missing {
  return { status: "missing", reason };
}
