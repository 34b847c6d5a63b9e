/**
 * Figures 5 and 6 of the report, from the run's JSON files: capacity fade
 * (degradation.json, one record per cycle: capacityFraction, lliFraction, lamFraction; see
 * docs/degradation.md) and the validation scores (scores.json as `xtwin validate --json`
 * writes it: image scores as a table, Dice and IoU per true class as bars).
 */
import type { ValidationReport } from "../cli/commands/validate.js";
import type { FadeFigure, ScoresFigure } from "./figureTypes.js";

interface DegradationRow {
  cycle: number;
  capacityFraction: number;
  lliFraction: number;
  lamFraction: number;
}

/**
 * The fade curves of degradation.json's text; RangeError naming the record and key when one
 * is not a number. `scannedCycles` (the cycle_<n>/ scans of the run) are marked on the plot.
 */
export function fadeFigure(text: string, path: string, scannedCycles: readonly number[] = []): FadeFigure {
  const rows = JSON.parse(text) as unknown;
  if (!Array.isArray(rows) || rows.length === 0) throw new RangeError(`${path}: expected a non-empty list of cycle records`);
  const keys = ["cycle", "capacityFraction", "lliFraction", "lamFraction"] as const;
  rows.forEach((r: Partial<DegradationRow>, i) => {
    for (const k of keys) {
      if (typeof r?.[k] !== "number" || !Number.isFinite(r[k])) throw new RangeError(`${path}: record ${i} has ${k} = ${JSON.stringify(r?.[k])}, expected a number`);
    }
  });
  const typed = rows as DegradationRow[];
  return {
    status: "ok",
    cycle: typed.map((r) => r.cycle),
    capacityFraction: typed.map((r) => r.capacityFraction),
    lliFraction: typed.map((r) => r.lliFraction),
    lamFraction: typed.map((r) => r.lamFraction),
    scannedCycles: [...scannedCycles],
  };
}

function fmt(x: number, digits = 4): string {
  return Number.isInteger(x) ? String(x) : Number(x.toPrecision(digits)).toString();
}

/** The scores of scores.json; null when it holds neither image nor class scores. */
export function scoresFigure(r: ValidationReport): ScoresFigure | null {
  const table: [string, string][] = [];
  const row = (name: string, v: number | null | undefined, unit = "") => {
    if (typeof v === "number" && Number.isFinite(v)) table.push([name, fmt(v) + unit]);
  };
  row("RMSE", r.rmse, " 1/m");
  row("PSNR", r.psnr, " dB");
  row("SSIM", r.ssim);
  row("mean error", r.meanError, " 1/m");
  row("data range", r.dataRange, " 1/m");
  if (r.resolution?.resolutionM != null) row(`resolution (FSC = ${r.resolution.fscThreshold})`, r.resolution.resolutionM * 1e6, " um");
  row("segmentation accuracy", r.accuracy);
  if (r.instances) {
    row("instances precision", r.instances.precision);
    row("instances recall", r.instances.recall);
    row("instances F1", r.instances.f1);
    row("instances AP", r.instances.ap);
    row("true / predicted instances", r.instances.nTrue);
    table[table.length - 1] = ["true / predicted instances", `${r.instances.nTrue} / ${r.instances.nPred}`];
  }
  if (r.sizeDistribution) row("size distribution W1", r.sizeDistribution.wasserstein1M * 1e6, " um");
  const classes = Object.keys(r.dice ?? {});
  if (table.length === 0 && classes.length === 0) return null;
  return {
    status: "ok",
    table,
    classes,
    dice: classes.map((c) => r.dice![c]!),
    iou: classes.map((c) => r.iou?.[c] ?? 0),
  };
}
