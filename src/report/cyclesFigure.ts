/**
 * Figure 5b of the report: how the sample ages over a cycling run. One column per scanned
 * cycle (cycle_<n>/ of `xtwin run` on a cycling scenario, docs/degradation.md):
 *
 * - the true classes (/truth/labels) of the vertical slice y = ny / 2 (x-z, z up), the plane
 *   that crosses every layer of a cell, so plating at the separator, SEI on the graphite and
 *   cracks in the cathode are all in view. Colours are keyed by class name, not label number:
 *   the ageing appends its classes to the class list as they first appear, so one class has
 *   different label numbers in different cycles (SEI is 7 in a pristine full cell and 10 once
 *   cracks, rock-salt and dendrites exist). Aged classes (AGED_CLASS_NAMES) take strong
 *   colours, pristine phases muted ones (colourMaps.ts).
 * - the lithium concentration of the same slice (/truth/lithium, mol/m^3), on one scale from
 *   0 to the largest value of any shown slice, so the columns compare.
 * - the voxel count of each aged class in the whole truth volume (not only the slice).
 *
 * Slices are shrunk when their longer side exceeds cyclePanelMaxSide (which falls as the
 * number of columns grows, to bound the report's size); labels by the block's first voxel,
 * except that a block holding an aged class shows it, so a one-voxel crack stays visible.
 */
import { AGED_CLASS_NAMES } from "../degradation/morphology.js";
import { AGED_CLASS_COLOURS, VIRIDIS, hex, mutedClassColour, type Rgb } from "./colourMaps.js";
import { centralXzSlice } from "./doseFigure.js";
import type { CycleColumn, CyclesFigure, ImagePanel, LegendEntry } from "./figureTypes.js";
import { classImage, scalarImage, shrinkFactor, shrinkLabelsKeeping, shrinkMean } from "./raster.js";

/** Longest side of a cycle's panels up to this many columns; more columns get smaller panels. */
export const CYCLE_PANEL_FULL_COLUMNS = 8;
export const CYCLE_PANEL_MAX_SIDE = 256;
export const CYCLE_PANEL_MIN_SIDE = 64;

/**
 * Longest panel side (pixels) for `columns` scanned cycles: 256 up to 8 columns, then
 * 256 sqrt(8 / n) (at least 64), so the pixels of all panels together stay about those of
 * 8 columns at full size (a few MB at most) however many cycles were scanned.
 */
export function cyclePanelMaxSide(columns: number): number {
  if (!(Number.isInteger(columns) && columns >= 1)) throw new RangeError(`columns must be a positive integer, got ${columns}`);
  if (columns <= CYCLE_PANEL_FULL_COLUMNS) return CYCLE_PANEL_MAX_SIDE;
  return Math.max(CYCLE_PANEL_MIN_SIDE, Math.floor(CYCLE_PANEL_MAX_SIDE * Math.sqrt(CYCLE_PANEL_FULL_COLUMNS / columns)));
}

/** Voxels of each label 0..nClasses-1; a label outside the class list is a RangeError naming `where`. */
export function labelCounts(labels: ArrayLike<number>, nClasses: number, where: string): Float64Array {
  const counts = new Float64Array(nClasses);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!(label >= 0 && label < nClasses && Number.isInteger(label))) {
      throw new RangeError(`${where}: voxel ${i} has label ${label}, but the class list has ${nClasses} classes`);
    }
    counts[label]++;
  }
  return counts;
}

/** What one scanned cycle contributes: its slices and its class counts (the volumes are not kept). */
export interface CycleScan {
  readonly cycle: number;
  readonly classNames: readonly string[];
  /** Voxels per label in the whole volume (index = label). */
  readonly counts: Float64Array;
  /** The x-z slice y = ny / 2: nx wide, nz high, row k = z index k. */
  readonly width: number;
  readonly height: number;
  readonly labels: Float32Array;
  readonly lithium: Float32Array | null;
  readonly voxelSizeM: number | null;
  /** Index of the slice (ny / 2) and the number of planes. */
  readonly y: number;
}

export interface CycleVolumes {
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  readonly voxelSizeM: number | null;
  readonly labels: ArrayLike<number>;
  readonly classNames: readonly string[];
  readonly lithium: ArrayLike<number> | null;
}

/** Slices and counts of one cycle's truth volumes; `where` names the file in errors. */
export function cycleScan(cycle: number, v: CycleVolumes, where: string): CycleScan {
  const n = v.nx * v.ny * v.nz;
  if (v.labels.length !== n) throw new RangeError(`${where}: /truth/labels holds ${v.labels.length} voxels, ${v.nx}x${v.ny}x${v.nz} needs ${n}`);
  if (v.lithium !== null && v.lithium.length !== n) throw new RangeError(`${where}: /truth/lithium holds ${v.lithium.length} voxels, the labels ${n}`);
  if (v.classNames.length === 0) throw new RangeError(`${where}: /truth/labels has no classNames attribute`);
  return {
    cycle,
    classNames: v.classNames,
    counts: labelCounts(v.labels, v.classNames.length, `${where}:/truth/labels`),
    width: v.nx,
    height: v.nz,
    labels: centralXzSlice(v.labels, v.nx, v.ny, v.nz),
    lithium: v.lithium === null ? null : centralXzSlice(v.lithium, v.nx, v.ny, v.nz),
    voxelSizeM: v.voxelSizeM,
    y: v.ny >> 1,
  };
}

const AGED = new Set<string>(AGED_CLASS_NAMES);

/**
 * Every class name of the scans in order of first appearance, each with its colour: aged
 * classes their own (AGED_CLASS_COLOURS), pristine phases muted Tableau hues in their order.
 */
export function cycleClassColours(classLists: readonly (readonly string[])[]): { readonly names: string[]; readonly colours: Map<string, Rgb> } {
  const names: string[] = [];
  const colours = new Map<string, Rgb>();
  let pristine = 0;
  for (const list of classLists) {
    for (const name of list) {
      if (colours.has(name)) continue;
      names.push(name);
      colours.set(name, AGED_CLASS_COLOURS[name] ?? mutedClassColour(pristine++));
    }
  }
  return { names, colours };
}

/** The aged-class voxel counts of a scan, in AGED_CLASS_NAMES order (0 for a class it lacks). */
export function agedClassCounts(scan: Pick<CycleScan, "classNames" | "counts">): number[] {
  return AGED_CLASS_NAMES.map((name) => {
    const label = scan.classNames.indexOf(name);
    return label < 0 ? 0 : scan.counts[label]!;
  });
}

/** The figure of the scans (sorted by cycle); `capacityAt` gives degradation.json's capacity fraction of a cycle. */
export function cyclesFigure(scans: readonly CycleScan[], capacityAt: (cycle: number) => number | null = () => null): CyclesFigure {
  if (scans.length === 0) throw new RangeError("cyclesFigure: no scanned cycles");
  const { names, colours } = cycleClassColours(scans.map((s) => s.classNames));
  const maxSide = cyclePanelMaxSide(scans.length);
  // One lithium scale for every column: 0 to the largest concentration shown.
  let liMax = 0;
  for (const s of scans) if (s.lithium !== null) for (let i = 0; i < s.lithium.length; i++) if (s.lithium[i]! > liMax) liMax = s.lithium[i]!;
  if (!(liMax > 0)) liMax = 1;
  let shrunk = 1;
  const columns: CycleColumn[] = scans.map((s) => {
    const f = shrinkFactor(s.width, s.height, maxSide);
    shrunk = Math.max(shrunk, f);
    const um = s.voxelSizeM === null ? null : s.voxelSizeM * 1e6;
    const unit = um === null ? "voxels" : "um";
    const hx = um === null ? s.width / 2 : (s.width * um) / 2;
    const hz = um === null ? s.height / 2 : (s.height * um) / 2;
    const keep = new Uint8Array(s.classNames.length);
    s.classNames.forEach((name, label) => (keep[label] = AGED.has(name) ? 1 : 0));
    const small = shrinkLabelsKeeping({ width: s.width, height: s.height, data: s.labels }, f, keep);
    const frame = { width: small.width, height: small.height, x: [-hx, hx] as const, y: [-hz, hz] as const, xLabel: `x (${unit})`, yLabel: `z (${unit})` };
    const labels: ImagePanel = { title: `true classes, cycle ${s.cycle}`, src: classImage(small, s.classNames.map((n) => colours.get(n)!), { flipY: true }), ...frame };
    let lithium: ImagePanel | null = null;
    if (s.lithium !== null) {
      const li = shrinkMean({ width: s.width, height: s.height, data: s.lithium }, f);
      lithium = {
        title: `lithium, cycle ${s.cycle}`,
        src: scalarImage(li, { min: 0, max: liMax, map: VIRIDIS, flipY: true }),
        ...frame,
        width: li.width,
        height: li.height,
        colourBar: { stops: VIRIDIS.stops.map(hex), min: 0, max: liMax, log: false, label: "Li (mol/m^3)" },
      };
    }
    return { cycle: s.cycle, capacityFraction: capacityAt(s.cycle), labels, lithium, agedCounts: agedClassCounts(s) };
  });
  const legend: LegendEntry[] = names.map((name, label) => ({ label, name, colour: hex(colours.get(name)!) }));
  const noLithium = scans.filter((s) => s.lithium === null).map((s) => s.cycle);
  const notes = [
    `${scans.length} scanned cycles; the lithium of every column on one scale, 0 to ${Math.round(liMax)} mol/m^3`,
    ...(noLithium.length > 0 ? [`no /truth/lithium at cycle ${noLithium.join(", ")}`] : []),
    ...(shrunk > 1 ? [`slices shown shrunk ${shrunk}x (a block with an aged voxel shows it); counts are of every voxel`] : []),
  ];
  return {
    status: "ok",
    source: `/truth/labels and /truth/lithium of each cycle_<n>/ dataset, slice y = ${scans[0]!.y} (the x-z plane, z up, which crosses every layer)`,
    note: notes.join("; "),
    agedClasses: [...AGED_CLASS_NAMES],
    legend,
    columns,
  };
}
