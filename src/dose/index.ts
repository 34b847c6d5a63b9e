/** Absorbed dose: voxel masses, polychromatic deposition, accumulation, summaries, planning. */
export { absorbedDoseGy, classDensitiesKgM3, voxelMassKg } from "./mass.js";
export { depositedEnergyPolychromatic, depositedEnergyWithOptics, spectralOptics, SKIP_BIN_FRACTION, type SpectralOptics } from "./polychromaticDeposit.js";
export { DoseAccumulator } from "./accumulator.js";
export { summarizeDose, sortedPercentile, type DoseStatistics, type DoseSummary } from "./summary.js";
export { dosePerFluenceGyM2, entranceSurfaceDoseGy, fluenceFromPhotonsPerPixel } from "./surfaceDose.js";
export {
  doseRateGyPerS,
  monochromaticBeam,
  planScanDose,
  scanPlanDose,
  thinSampleScanDoseGy,
  timeToDoseS,
  type PlannedDose,
  type PlanScanDoseOptions,
  type ScanPlan,
} from "./plan.js";
