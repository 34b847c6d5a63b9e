/**
 * `xtwin plan <scenario.yaml> [--json] [--max-temperature-rise 10K] [--dose-budget 1e8Gy]
 * [--samples N]`: the dose, dose rate and heating of the scenario's scan plan, when the
 * electrolyte would boil, and the largest flux, exposure and number of projections within
 * the limits (src/planning/tolerance.ts). JSON keys: maxDoseGy, meanDoseGy,
 * peakDoseRateGyPerS, peakTemperatureRiseK, timeToFirstBubbleS (null if none),
 * maxFluxPhotonsPerS, maxExposureS, snr, and the details.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeMapFigure } from "../../io/mapFigure.js";
import { planTolerance, type ToleranceReport } from "../../planning/tolerance.js";
import { formatTable, sig } from "../format.js";
import { readScenarioFile } from "../scenarioFile.js";
import { optionalWholeNumber } from "../options.js";
import { UsageError } from "../usageError.js";

export interface PlanOptions {
  json?: boolean;
  maxTemperatureRise?: string;
  doseBudget?: string;
  samples?: string;
  figures?: string;
  scans?: string;
}

/** "10K", "10 K", "10" -> 10 (kelvin: a temperature difference). */
export function parseTemperatureRise(text: string): number {
  const m = /^\s*([0-9.eE+-]+)\s*(K|degC)?\s*$/.exec(text);
  const v = m ? Number(m[1]) : NaN;
  if (!(v > 0 && Number.isFinite(v))) throw new UsageError(`--max-temperature-rise: expected a temperature difference such as "10K", got "${text}"`);
  return v;
}

/** "1e8Gy", "1e8 Gy", "100 MGy", "1e8" -> Gy. */
export function parseDose(text: string): number {
  const m = /^\s*([0-9.eE+-]+)\s*(Gy|kGy|MGy|GGy)?\s*$/.exec(text);
  const scale: Record<string, number> = { Gy: 1, kGy: 1e3, MGy: 1e6, GGy: 1e9 };
  const v = m ? Number(m[1]) * scale[m[2] ?? "Gy"]! : NaN;
  if (!(v > 0 && Number.isFinite(v))) throw new UsageError(`--dose-budget: expected a dose such as "1e8Gy" or "100 MGy", got "${text}"`);
  return v;
}

function orNone(x: number | null, unit: string, digits = 3): string {
  return x === null ? "none" : `${sig(x, digits)} ${unit}`;
}

export function formatPlan(r: ToleranceReport): string {
  const lines = [
    `dose over the scan: max ${sig(r.maxDoseGy, 3)} Gy, mean ${sig(r.meanDoseGy, 3)} Gy, 95th percentile ${sig(r.p95DoseGy, 3)} Gy; entrance surface dose ${sig(r.entranceSurfaceDoseGy, 3)} Gy`,
    `peak dose rate ${sig(r.peakDoseRateGyPerS, 3)} Gy/s over ${sig(r.beamOnTimeS, 3)} s of beam (${sig(r.fluxPhotonsPerS, 3)} photons/s)`,
    `peak temperature rise ${orNone(r.peakTemperatureRiseK, "K")}; first bubble ${r.timeToFirstBubbleS === null ? "none" : `after ${sig(r.timeToFirstBubbleS, 3)} s`}`,
    formatTable(["material", "max Gy", "mean Gy", "p95 Gy"], Object.entries(r.byMaterial).map(([n, d]) => [n, sig(d.maxGy, 3), sig(d.meanGy, 3), sig(d.p95Gy, 3)]), 1),
    `within ${r.limits.maxTemperatureRiseK} K and ${sig(r.limits.doseBudgetGy, 3)} Gy: flux up to ${orNone(r.maxFluxPhotonsPerS, "photons/s")}, ` +
      `exposure up to ${orNone(r.maxExposureS, "s")} at that flux, ${r.maxProjections === null ? "any number of" : r.maxProjections} projections at the scenario's flux and exposure`,
    `SNR (Poisson, median transmission): ${sig(r.snr, 3)} as planned, ${r.snrAtLimits === null ? "n/a" : sig(r.snrAtLimits, 3)} at the limits`,
    ...r.notes.map((n) => `note: ${n}`),
  ];
  return lines.join("\n");
}

export function planCommand(path: string, o: PlanOptions, log: (line: string) => void = () => undefined): string {
  const maxTemperatureRiseK = parseTemperatureRise(o.maxTemperatureRise ?? "10K");
  const doseBudgetGy = parseDose(o.doseBudget ?? "1e8Gy");
  const samples = optionalWholeNumber(o.samples, "--samples", 8, 1, 1000);
  const scans = optionalWholeNumber(o.scans, "--scans", 1, 1, 1e6);
  const scenario = readScenarioFile(path);
  const report = planTolerance(scenario, { maxTemperatureRiseK, doseBudgetGy }, { samples, scans, onProgress: (stage) => log(`plan: ${stage}`), keepMaps: o.figures !== undefined });
  const figures: string[] = [];
  if (o.figures !== undefined && report.maps) {
    mkdirSync(o.figures, { recursive: true });
    const { grid, doseGy, thermalShape, temperatureRiseK } = report.maps;
    const d = writeMapFigure(join(o.figures, "dose.png"), doseGy, grid.nx, grid.ny, grid.nz, { log: true });
    figures.push(`${join(o.figures, "dose.png")}: dose, central x-z slice, log scale ${sig(d.min, 3)} .. ${sig(d.max, 3)} Gy`);
    if (temperatureRiseK) {
      const t = writeMapFigure(join(o.figures, "temperature.png"), temperatureRiseK, thermalShape[0], thermalShape[1], thermalShape[2], { scale: 4 * scenario.thermal!.coarsen });
      figures.push(`${join(o.figures, "temperature.png")}: steady temperature rise, central x-z slice, ${sig(t.min, 3)} .. ${sig(t.max, 3)} K`);
    }
  }
  const { maps: _maps, ...printed } = report;
  void _maps;
  return o.json ? JSON.stringify(printed, null, 2) : [formatPlan(report), ...figures.map((f) => `figure ${f}`)].join("\n");
}
