/**
 * Dose-tolerance planning of a scenario's scan (`xtwin plan`): the dose and dose rate the
 * plan deposits, the temperature rise of the sample in its thermal surroundings, when the
 * electrolyte would first boil, and the largest flux, exposure and number of projections
 * that keep the temperature rise and the dose within given limits.
 *
 * Method (docs/dose.md, "Planning"):
 * 1. Dose: the narrow-beam energy deposited at `samples` angles spread over the scan
 *    (src/dose/plan.ts), scaled to every projection (x distances for holotomography),
 *    divided by the voxel mass.
 * 2. Heat: the mean absorbed power while the beam is on (deposited energy / beam-on time,
 *    per voxel), coarsened to the thermal grid and embedded in the scenario's surroundings
 *    (src/thermal/); the peak rise is the steady state with the beam on continuously, an
 *    upper bound for a scan whose exposures are separated by read-outs. The transient from
 *    the ambient temperature, with growing time steps, gives when an electrolyte cell first
 *    passes its solvent's boiling point (src/damage/solventData.ts).
 * 3. Limits: in the linear regime the temperature rise scales with the flux, the dose with
 *    flux x exposure x projections, so the largest flux is flux x (limit / rise), the largest
 *    exposure at that flux keeps the dose within the budget, and so does the largest number
 *    of projections at the scenario's flux and exposure.
 * 4. SNR: the Poisson signal-to-noise ratio of a detector pixel behind the sample's median
 *    transmission, sqrt(N eta T_median), at the scenario's settings and at the limits.
 */
import { projectOne } from "../acquisition/projector.js";
import type { SpectrumLike } from "../beam/tubeSpectrum.js";
import { gaussianBeamProfile } from "../beam/beamProfile.js";
import type { VolumeGrid } from "../core/grid.js";
import { boilingThresholdK, findElectrolyteSolvents } from "../damage/solventData.js";
import { classDensitiesKgM3, voxelMassKg } from "../dose/mass.js";
import { monochromaticBeam, planScanDose, spectrumWithPhotons } from "../dose/plan.js";
import { summarizeDose } from "../dose/summary.js";
import { entranceSurfaceDoseGy, fluenceFromPhotonsPerPixel } from "../dose/surfaceDose.js";
import { buildPhantom, scanAngles, scanGeometry, scenarioGrid } from "../engine/simulate.js";
import type { Scenario } from "../engine/scenario.js";
import type { Material } from "../materials/library.js";
import { materialOptics } from "../materials/optics.js";
import { attenuationMap } from "../phantoms/scene.js";
import type { BoundaryCondition, ThermalBoundaries } from "../thermal/conductionOperator.js";
import { embedField, embedInDomain } from "../thermal/domain.js";
import { HeatSolver, steadyState } from "../thermal/heatSolver.js";
import { coarsenPower, thermalProperties } from "../thermal/thermalGrid.js";

export interface ToleranceLimits {
  /** Largest temperature rise allowed (K). */
  readonly maxTemperatureRiseK: number;
  /** Largest dose allowed anywhere in the sample (Gy). */
  readonly doseBudgetGy: number;
}

export interface ToleranceReport {
  readonly maxDoseGy: number;
  readonly meanDoseGy: number;
  readonly p95DoseGy: number;
  readonly peakDoseRateGyPerS: number;
  readonly entranceSurfaceDoseGy: number;
  readonly beamOnTimeS: number;
  readonly peakTemperatureRiseK: number | null;
  readonly timeToFirstBubbleS: number | null;
  readonly maxFluxPhotonsPerS: number | null;
  readonly maxExposureS: number | null;
  readonly maxProjections: number | null;
  readonly snr: number;
  readonly snrAtLimits: number | null;
  readonly fluxPhotonsPerS: number;
  readonly byMaterial: Record<string, { maxGy: number; meanGy: number; p95Gy: number }>;
  readonly limits: ToleranceLimits;
  readonly notes: string[];
  /** The maps behind the numbers, with options.keepMaps: dose per voxel, steady rise per sample thermal cell. */
  readonly maps?: {
    readonly grid: VolumeGrid;
    readonly doseGy: Float32Array;
    readonly thermalShape: readonly [number, number, number];
    readonly temperatureRiseK: Float64Array | null;
  };
}

/** Photons per pixel ray per energy bin of one projection: the scenario's beam. */
function beamSpectrum(s: Scenario): SpectrumLike {
  const poly = s.beam.polychromatic;
  return poly === undefined ? monochromaticBeam(s.beam.energyKeV, s.beam.photonsPerPixel) : spectrumWithPhotons(poly, s.beam.photonsPerPixel);
}

/** The faces of the thermal domain: convection to ambient, the holder's face fixed. */
export function thermalBoundaries(s: Scenario): ThermalBoundaries {
  const t = s.thermal!;
  const outer: BoundaryCondition = t.convectionWPerM2K > 0 ? { type: "convection", hWPerM2K: t.convectionWPerM2K, ambientK: t.ambientK } : { type: "adiabatic" };
  const faces: Record<keyof ThermalBoundaries, BoundaryCondition> = { xMin: outer, xMax: outer, yMin: outer, yMax: outer, zMin: outer, zMax: outer };
  if (t.holder) faces[t.holder.face] = { type: "fixed", temperatureK: t.holder.temperatureK };
  return faces;
}

/** Plan the scenario's scan against the limits (see the module comment). */
export function planTolerance(
  s: Scenario, limits: ToleranceLimits,
  options: { samples?: number; scans?: number; onProgress?: (stage: string) => void; keepMaps?: boolean } = {},
): ToleranceReport {
  const notes: string[] = [];
  const grid: VolumeGrid = scenarioGrid(s);
  const progress = options.onProgress ?? (() => undefined);
  progress("phantom");
  const { volume, materials } = buildPhantom(s);
  const classMaterials: Material[] = volume.classNames.map((n) => materials.get(n)!);
  const anglesRad = scanAngles(s);
  const geometry = scanGeometry(s, anglesRad);
  const distances = s.detector.distancesM.length;
  const exposure = s.scan.exposureS;
  const projections = anglesRad.length * distances;
  const beam = beamSpectrum(s);
  const profile = s.beam.profile
    ? gaussianBeamProfile(s.beam.profile, { rows: s.detector.rows, cols: s.detector.cols, pixelSizeM: s.detector.pixelSizeM, centerOffsetPx: s.geometry.centerOffsetPx })
    : undefined;

  // 1. Dose.
  progress("dose");
  const mass = voxelMassKg(volume, classDensitiesKgM3(classMaterials), grid.voxelSizeM);
  const planned = planScanDose(volume, grid, geometry, { projections, exposurePerProjectionS: exposure, beam, scans: options.scans ?? 1 }, classMaterials, mass, {
    samples: options.samples ?? 8,
    ...(profile ? { profile } : {}),
  });
  const summary = summarizeDose(planned.doseGy, volume, mass);
  let peakRate = 0;
  for (const r of planned.peakDoseRateGyPerS) if (r > peakRate) peakRate = r;
  const pixelAtSample = s.geometry.type === "cone" ? (s.detector.pixelSizeM * s.geometry.sourceObjectM!) / s.geometry.sourceDetectorM! : s.detector.pixelSizeM;
  const surface = materials.get(s.sample.background.name) ?? classMaterials[0]!;
  const esd = projections * (options.scans ?? 1) * entranceSurfaceDoseGy(fluenceFromPhotonsPerPixel(s.beam.photonsPerPixel, pixelAtSample), s.beam.polychromatic ?? s.beam.energyKeV, surface);

  // Flux: the scenario's, else the photons that reach the detector's field per second.
  const fluxPhotonsPerS = s.beam.photonsPerPixel * s.detector.rows * s.detector.cols / exposure;

  // 2. Heat.
  let peakRise: number | null = null;
  let timeToBubble: number | null = null;
  let riseSteady: Float64Array | undefined;
  let sampleRise: Float64Array | null = null;
  if (s.thermal === undefined) {
    notes.push("no thermal section in the scenario: temperature rise and bubbles not computed");
  } else {
    progress("heat");
    const t = s.thermal;
    const f = t.coarsen;
    const props = thermalProperties(volume.labels, grid, classMaterials, f);
    // Mean power per voxel while the beam is on (W): dose x mass / beam-on time.
    const powerW = new Float64Array(planned.doseGy.length);
    for (let v = 0; v < powerW.length; v++) powerW[v] = (planned.doseGy[v]! * mass[v]!) / planned.beamOnTimeS;
    const sampleCellPower = coarsenPower(powerW, grid, f);
    const domain = embedInDomain(props.grid, props, t.surroundings.map((l) => ({ material: l.material, thicknessM: l.thicknessM, faces: "all" as const })));
    const power = embedField(domain, sampleCellPower, 0);
    const bc = thermalBoundaries(s);
    const hasSink = t.holder !== undefined || t.convectionWPerM2K > 0;
    if (hasSink) {
      const steady = steadyState(domain.grid, domain.properties, bc, power);
      riseSteady = steady.temperatureK;
      let max = 0;
      for (const c of domain.sampleCells) max = Math.max(max, steady.temperatureK[c]! - t.ambientK);
      peakRise = max;
      sampleRise = Float64Array.from(domain.sampleCells, (c) => steady.temperatureK[c]! - t.ambientK);
    } else notes.push("all thermal faces adiabatic: no steady state; the temperature rises for as long as the beam is on");

    // Transient: the first electrolyte cell to pass its solvent's boiling point.
    const electrolyteCells: number[] = [];
    const thresholds: number[] = [];
    const sampleCellLabels = majorityLabels(volume.labels, grid, f);
    for (let c = 0; c < domain.sampleCells.length; c++) {
      const name = volume.classNames[sampleCellLabels[c]!]!;
      if (findElectrolyteSolvents(name) !== undefined) {
        electrolyteCells.push(domain.sampleCells[c]!);
        thresholds.push(boilingThresholdK(name));
      }
    }
    if (s.damage?.bubbles !== false && electrolyteCells.length > 0) {
      let wouldBoil = true;
      if (riseSteady !== undefined) wouldBoil = electrolyteCells.some((c, i) => riseSteady![c]! >= thresholds[i]!);
      if (wouldBoil) {
        progress("transient");
        const solver = new HeatSolver(domain.grid, domain.properties, bc, t.ambientK, { tolerance: 1e-8 });
        // Time steps growing by 1.5x from 1 us: the sample's thermal time constants span us to s.
        let dt = 1e-6;
        const tEnd = planned.beamOnTimeS;
        while (solver.timeS < tEnd && timeToBubble === null) {
          const step = Math.min(dt, tEnd - solver.timeS);
          const before = solver.timeS;
          solver.step(step, power);
          for (let i = 0; i < electrolyteCells.length; i++) {
            if (solver.temperatureK[electrolyteCells[i]!]! >= thresholds[i]!) {
              timeToBubble = solver.timeS;
              break;
            }
          }
          if (solver.timeS === before) break;
          dt *= 1.5;
        }
        if (timeToBubble !== null) notes.push(`the electrolyte passes its boiling point after ${timeToBubble.toPrecision(3)} s of beam (time steps growing 1.5x from 1 us: resolution about a third of the time)`);
      }
    } else if (electrolyteCells.length === 0) notes.push("no liquid electrolyte in the sample: no bubbles");
  }

  // 3. Limits (linear in the flux).
  const maxDose = summary.maxGy;
  const fluxScale = peakRise !== null && peakRise > 0 ? limits.maxTemperatureRiseK / peakRise : null;
  const maxFlux = fluxScale === null ? null : fluxPhotonsPerS * fluxScale;
  const doseScale = maxDose > 0 ? limits.doseBudgetGy / maxDose : null;
  const maxExposure = doseScale === null ? null : exposure * doseScale / (fluxScale ?? 1);
  const maxProjections = doseScale === null ? null : Math.floor(anglesRad.length * doseScale);

  // 4. SNR behind the median transmission (the first angle, contact image).
  const mu = attenuationMap(volume, Float64Array.from(classMaterials, (m) => materialOptics(m, s.beam.energyKeV).mu));
  const p = new Float32Array(s.detector.rows * s.detector.cols);
  projectOne(mu, grid, geometry, 0, p);
  const transmissions = Float64Array.from(p, (x) => Math.exp(-x)).sort();
  const tMedian = transmissions[transmissions.length >> 1]!;
  const eta = s.detector.efficiency;
  const snr = Math.sqrt(s.beam.photonsPerPixel * eta * tMedian);
  const snrAtLimits = maxExposure === null ? null : Math.sqrt(s.beam.photonsPerPixel * (fluxScale ?? 1) * (maxExposure / exposure) * eta * tMedian);

  const byMaterial: ToleranceReport["byMaterial"] = {};
  for (const [name, st] of Object.entries(summary.byClass)) byMaterial[name] = { maxGy: st.maxGy, meanGy: st.meanGy, p95Gy: st.p95Gy };
  return {
    maxDoseGy: maxDose,
    meanDoseGy: summary.meanGy,
    p95DoseGy: summary.p95Gy,
    peakDoseRateGyPerS: peakRate,
    entranceSurfaceDoseGy: esd,
    beamOnTimeS: planned.beamOnTimeS,
    peakTemperatureRiseK: peakRise,
    timeToFirstBubbleS: timeToBubble,
    maxFluxPhotonsPerS: maxFlux,
    maxExposureS: maxExposure,
    maxProjections,
    snr,
    snrAtLimits,
    fluxPhotonsPerS,
    byMaterial,
    limits,
    notes,
    ...(options.keepMaps
      ? { maps: { grid, doseGy: planned.doseGy, thermalShape: [grid.nx / (s.thermal?.coarsen ?? 1), grid.ny / (s.thermal?.coarsen ?? 1), grid.nz / (s.thermal?.coarsen ?? 1)] as const, temperatureRiseK: sampleRise } }
      : {}),
  };
}

/** The most frequent label of each thermal cell's f^3 voxels. */
function majorityLabels(labels: Uint8Array, grid: VolumeGrid, f: number): Uint8Array {
  const cx = grid.nx / f, cy = grid.ny / f, cz = grid.nz / f;
  const out = new Uint8Array(cx * cy * cz);
  const counts = new Uint32Array(256);
  for (let K = 0; K < cz; K++) for (let J = 0; J < cy; J++) for (let I = 0; I < cx; I++) {
    counts.fill(0);
    for (let k = K * f; k < (K + 1) * f; k++) for (let j = J * f; j < (J + 1) * f; j++) {
      const row = grid.nx * (j + grid.ny * k);
      for (let i = I * f; i < (I + 1) * f; i++) counts[labels[row + i]!]!++;
    }
    let best = 0;
    for (let l = 1; l < 256; l++) if (counts[l]! > counts[best]!) best = l;
    out[I + cx * (J + cy * K)] = best;
  }
  return out;
}
