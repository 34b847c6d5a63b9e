/**
 * The simulation pipeline as an rxjs Observable: scenario -> phantom -> flats and darks ->
 * projections, one frame at a time. Pure computation: no files, runs in a browser too;
 * writers (src/io) and displays (src/cli) subscribe. Unsubscribing stops the run between
 * frames.
 *
 * Randomness comes from one seeded stream consumed in a fixed order (flats, darks, then
 * projections in acquisition order), so the same scenario and seed give the same counts
 * whatever projector computes the line integrals.
 */
import { Observable } from "rxjs";
import {
  coneBeamGeometry,
  equalAngles,
  goldenAngles,
  laminographyGeometry,
  parallelBeamGeometry,
  type ProjectionGeometry,
} from "../acquisition/geometry.js";
import { projectOne } from "../acquisition/projector.js";
import { darkFieldExpected, expectedCounts, flatFieldExpected, poissonCounts } from "../acquisition/detector.js";
import type { VolumeGrid } from "../core/grid.js";
import { createRandom } from "../core/random.js";
import type { Material } from "../materials/library.js";
import { materialOptics, opticsTable } from "../materials/optics.js";
import { depositedEnergy, muEnPerClass, polychromaticExpected, projectPathLengths } from "../acquisition/polychromatic.js";
import { DetectorModel, gaussianKernel1d, scintillatorEfficiency, scintillatorMaterial, separableBlur } from "../acquisition/detectorModel.js";
import { gaussianBeamProfile } from "../beam/beamProfile.js";
import type { SpectrumLike } from "../beam/tubeSpectrum.js";
import { createAnalyticObject } from "../phantoms/analytic/index.js";
import { attenuationMap, voxelizeScene, type AnalyticScene, type LabelledVolume } from "../phantoms/scene.js";
import { generatePhantom } from "../phantoms/microstructure/generate.js";
import type { Microstructure } from "../phantoms/microstructure/types.js";
import type { FrameEvent, SimEvent } from "./events.js";
import { fineGeometry, phaseContrastImager, phaseContrastWarnings, type PhaseContrastImager } from "./phaseContrast.js";
import { DamageLoop } from "./damageLoop.js";
import { depositedEnergyWithOptics, spectralOptics } from "../dose/polychromaticDeposit.js";
import { spectrumWithPhotons } from "../dose/plan.js";
import type { Scenario } from "./scenario.js";

/**
 * Computes the line integrals of projections. The default runs in this thread; the CLI
 * passes a worker-thread pool. `project` resolves projections in any order; the engine
 * consumes them in acquisition order.
 */
export interface Projector {
  project(index: number): Promise<Float32Array>;
  close(): void;
}

export type ProjectorFactory = (mu: Float32Array, grid: VolumeGrid, geometry: ProjectionGeometry) => Projector;

/** Per-class path lengths [class][row][col] of projections of a labelled volume (polychromatic beams). */
export type PathProjectorFactory = (volume: LabelledVolume, grid: VolumeGrid, geometry: ProjectionGeometry) => Projector;

export interface SimulateOptions {
  readonly projector?: ProjectorFactory;
  /** Path lengths for polychromatic beams, e.g. on worker threads (default: this thread). */
  readonly pathProjector?: PathProjectorFactory;
  /** A sample made elsewhere (e.g. aged by src/degradation/) to scan instead of the scenario's own. */
  readonly phantom?: ScenarioPhantom;
  /** How many projections may be in flight at once with an asynchronous projector (default 8). */
  readonly lookahead?: number;
}

/** A projector that runs in the calling thread. */
export const inThreadProjector: ProjectorFactory = (mu, grid, geometry) => ({
  project: (index) => {
    const out = new Float32Array(geometry.rows * geometry.cols);
    projectOne(mu, grid, geometry, index, out);
    return Promise.resolve(out);
  },
  close: () => undefined,
});

/**
 * Projections of a polychromatic beam, as effective line integrals p = -ln(N / N0) with
 * N = sum_E S(E) exp(-sum_k mu_k(E) L_k): the engine then treats them like monochromatic
 * ones (counts = N0 eta exp(-p)), which is exact for a detector whose efficiency does not
 * depend on energy.
 */
function polychromaticProjector(
  volume: LabelledVolume,
  grid: VolumeGrid,
  geometry: ProjectionGeometry,
  spectrum: SpectrumLike,
  classMaterials: readonly Material[],
  efficiencyAt: (energyKeV: number) => number,
  pathProjector?: PathProjectorFactory,
): Projector {
  // Bins carrying under 1e-7 of the photons change no count; skip them.
  const photons = Float64Array.from(spectrum.photons);
  const total = photons.reduce((a, b) => a + b, 0);
  const keep = Array.from(photons.keys()).filter((e) => photons[e]! > 1e-7 * total);
  const used = { energyKeV: Float64Array.from(keep, (e) => spectrum.energyKeV[e]!), photons: Float64Array.from(keep, (e) => photons[e]! / total) };
  const nE = keep.length;
  const classes = classMaterials.length;
  const mu = new Float64Array(classes * nE);
  classMaterials.forEach((m, k) => {
    const t = opticsTable(m, used.energyKeV);
    for (let e = 0; e < nE; e++) mu[k * nE + e] = t.mu[e]!;
  });
  const pixels = geometry.rows * geometry.cols;
  const source: Projector = pathProjector
    ? pathProjector(volume, grid, geometry)
    : {
        project: (index) => {
          const paths = new Float32Array(classes * pixels);
          projectPathLengths(volume, grid, geometry, index, paths);
          return Promise.resolve(paths);
        },
        close: () => undefined,
      };
  // Detected fraction of the open beam: p is relative to what the detector sees without a sample.
  const eta = Float64Array.from(used.energyKeV, efficiencyAt);
  const open = used.photons.reduce((sum, w, e) => sum + w * eta[e]!, 0);
  return {
    project: (index) =>
      source.project(index).then((paths) => {
        const out = new Float32Array(pixels);
        polychromaticExpected(paths, classes, used, mu, eta, out);
        for (let p = 0; p < pixels; p++) out[p] = -Math.log(out[p]! / open);
        return out;
      }),
    close: () => source.close(),
  };
}

/**
 * Penumbra of a finite focal spot in a cone beam: the spot's shadow through a point of the
 * sample is magnified by (SDD - SOD) / SOD onto the detector, so a Gaussian spot of FWHM f
 * blurs the projection by a Gaussian of sigma = f (SDD - SOD) / (SOD 2.3548) / pitch (pixels)
 * (geometric unsharpness; J. Hsieh, Computed Tomography: Principles, Design, Artifacts, and
 * Recent Advances, 2nd ed., SPIE Press 2009).
 * Exact for points on the rotation axis; points nearer the source blur more.
 */
export function penumbraSigmaPx(sourceFwhmM: number, sourceObjectM: number, sourceDetectorM: number, pitchM: number): number {
  return (sourceFwhmM * (sourceDetectorM - sourceObjectM)) / (sourceObjectM * 2 * Math.sqrt(2 * Math.log(2)) * pitchM);
}

/** The scenario's detector: scintillator efficiency per energy, and the model's factory. */
function detectorChain(s: Scenario): { efficiencyAt: (energyKeV: number) => number; model?: (efficiency: number) => DetectorModel } {
  const m = s.detector.model;
  if (m === undefined) return { efficiencyAt: () => 1 };
  const scint = m.scintillator;
  const material = scint ? scintillatorMaterial(scint.material) : undefined;
  const efficiencyAt = (e: number) => (material ? scintillatorEfficiency(material, scint!.thickness, e) : 1);
  return {
    efficiencyAt,
    model: (efficiency) =>
      new DetectorModel({
        rows: s.detector.rows,
        cols: s.detector.cols,
        efficiency: Math.min(1, efficiency),
        gainAduPerPhoton: m.gain,
        psfSigmaPx: m.psf,
        gainNonUniformity: m.gainNonUniformity,
        readNoiseAdu: m.readNoise,
        darkCurrentAduPerS: m.darkCurrent,
        exposureS: m.exposure,
        offsetAdu: m.offset,
        bitDepth: m.bitDepth,
        deadPixelFraction: m.deadPixels,
        zingerProbability: m.zingers,
        seed: s.seed,
      }),
  };
}

/** Spectrum-weighted detection efficiency: sum_E w(E) eta(E), w the photon fractions. */
function spectrumEfficiency(spectrum: SpectrumLike, efficiencyAt: (energyKeV: number) => number): number {
  let total = 0;
  let eta = 0;
  for (let k = 0; k < spectrum.photons.length; k++) {
    total += spectrum.photons[k]!;
    eta += spectrum.photons[k]! * efficiencyAt(spectrum.energyKeV[k]!);
  }
  return eta / total;
}

/** Flat fields in the whole scan: one set of scan.flats before, after, both, and every N projections. */
export function flatFrameCount(s: Scenario): number {
  const { flats, flatsAt, flatsEvery } = s.scan;
  const ends = flatsAt === "both" ? 2 : 1;
  const inside = flatsEvery === undefined ? 0 : Math.floor((s.geometry.angles - 1) / flatsEvery);
  return flats * (ends + inside);
}

/** The largest count a uint16 sample may be asked to hold with room for noise. */
const UINT16_SAFE = 60000;

/** Storage type of the counts: integers from Poisson noise fit uint16 when they are small. */
export function countsDtype(s: Scenario): "uint16" | "float32" {
  if (s.detector.dtype !== "auto") return s.detector.dtype;
  if (s.detector.model) return s.detector.model.bitDepth <= 16 ? "uint16" : "float32";
  const mean = s.beam.photonsPerPixel * s.detector.efficiency + s.detector.darkCounts;
  return s.detector.noise && mean + 10 * Math.sqrt(mean) <= UINT16_SAFE ? "uint16" : "float32";
}

/** Projection angles (rad) in acquisition order. */
export function scanAngles(s: Scenario): Float64Array {
  const { angles, rangeRad, angleOrder } = s.geometry;
  return angleOrder === "golden" ? goldenAngles(angles, rangeRad) : equalAngles(angles, rangeRad);
}

/**
 * The per-projection geometry of the scan. For a cone beam, detector.pixelSize is the
 * physical pitch (the pixel at the axis is pitch / magnification).
 */
export function scanGeometry(
  s: Scenario, anglesRad: Float64Array,
  detector: { rows: number; cols: number; pixelSizeM: number; centerOffsetPx: number } = { ...s.detector, centerOffsetPx: s.geometry.centerOffsetPx },
): ProjectionGeometry {
  const { rows, cols, pixelSizeM, centerOffsetPx } = detector;
  const g = s.geometry;
  const common = { anglesRad, rows, cols, pixelSizeM, centerOffsetPx };
  switch (g.type) {
    case "cone":
      return coneBeamGeometry({ ...common, sourceObjectM: g.sourceObjectM!, sourceDetectorM: g.sourceDetectorM! });
    case "laminography":
      return laminographyGeometry({ ...common, tiltRad: g.tiltRad! });
    default:
      return parallelBeamGeometry(common);
  }
}

export function scenarioGrid(s: Scenario): VolumeGrid {
  const [nx, ny, nz] = s.sample.shape;
  return { nx, ny, nz, voxelSizeM: s.sample.voxelSizeM };
}

/** Materials of the scene by the class names the voxeliser gives (material names). */
function materialsByName(s: Scenario): Map<string, Material> {
  const map = new Map<string, Material>([[s.sample.background.name, s.sample.background]]);
  s.sample.objects.forEach((o, i) => map.set(o.material, s.sample.objectMaterials[i]!));
  return map;
}

/** Let the event loop breathe (timers, Ctrl-C, I/O) about every 50 ms of computation. */
function yielder(): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < 50) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    last = performance.now();
  };
}

/** The scenario's phantom: labelled volume, the microstructure if any, and the material of every class name. */
export interface ScenarioPhantom {
  readonly volume: LabelledVolume;
  readonly microstructure?: Microstructure;
  readonly materials: Map<string, Material>;
  /** Lithium concentration per voxel (mol/m^3), for a cycled sample (ground truth). */
  readonly lithiumMolPerM3?: Float32Array;
}

/**
 * Build the scenario's sample: a microstructure recipe generated on the grid (pure voxels),
 * or the analytic objects voxelised with partial volumes. Shared by `simulate` and `xtwin plan`.
 */
export function buildPhantom(scenario: Scenario, onProgress?: (done: number, total: number) => void): ScenarioPhantom {
  return phantomOf(scenario, undefined, onProgress);
}

/**
 * The scenario's sample, or `given` (a microstructure on the scenario's grid, e.g. aged) with
 * the materials of its extra classes, as `simulate`'s `phantom` option takes it.
 */
export function phantomOf(
  scenario: Scenario,
  given?: { readonly microstructure: Microstructure; readonly materials: ReadonlyMap<string, Material> },
  onProgress?: (done: number, total: number) => void,
): ScenarioPhantom {
  const grid = scenarioGrid(scenario);
  const materials = materialsByName(scenario);
  if (scenario.sample.phantom !== undefined) {
    const recipe = scenario.sample.phantom;
    const microstructure = given?.microstructure ?? generatePhantom(recipe, { seed: scenario.seed, shape: [grid.nx, grid.ny, grid.nz], voxelSizeM: grid.voxelSizeM, tortuosity: false }).microstructure;
    for (const [name, m] of recipe.materials) materials.set(name, m);
    if (given) for (const [name, m] of given.materials) materials.set(name, m);
    // Microstructure voxels are pure: the label fills the voxel.
    const volume: LabelledVolume = {
      grid,
      classNames: microstructure.classNames,
      labels: microstructure.labels,
      secondary: microstructure.labels,
      primaryFraction: new Float32Array(microstructure.labels.length).fill(1),
    };
    return { volume, microstructure, materials };
  }
  const scene: AnalyticScene = {
    grid,
    background: scenario.sample.background.name,
    objects: scenario.sample.objects.map(createAnalyticObject),
  };
  return { volume: voxelizeScene(scene, { supersampling: scenario.sample.supersampling, ...(onProgress ? { onProgress } : {}) }), materials };
}

function toShared(a: Float32Array): Float32Array {
  const out = new Float32Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

export function simulate(scenario: Scenario, options: SimulateOptions = {}): Observable<SimEvent> {
  return new Observable<SimEvent>((subscriber) => {
    let projector: Projector | undefined;
    const breathe = yielder();
    const run = async () => {
      const grid = scenarioGrid(scenario);
      const { rows, cols, noise, efficiency, darkCounts } = scenario.detector;
      const anglesRad = scanAngles(scenario);
      const geometry = scanGeometry(scenario, anglesRad);
      // Degrees as written to /exchange/theta, without the float dust of the radian round trip.
      const anglesDeg = anglesRad.map((a) => Number(((a * 180) / Math.PI).toPrecision(12)));
      subscriber.next({ type: "start", scenario, geometry, anglesDeg, dtype: countsDtype(scenario) });

      // Phantom: a microstructure recipe generated on the grid, or analytic objects
      // voxelised with partial volumes; then mu at the beam energy.
      subscriber.next({ type: "progress", stage: "phantom", done: 0, total: 1 });
      const { volume, microstructure, materials, lithiumMolPerM3 } = options.phantom ?? buildPhantom(scenario, (done, total) => subscriber.next({ type: "progress", stage: "phantom", done, total }));
      subscriber.next({ type: "progress", stage: "phantom", done: 1, total: 1 });
      const muPerClass = Float64Array.from(volume.classNames, (name) => materialOptics(materials.get(name)!, scenario.beam.energyKeV).mu);
      // With damage feedback the mu map changes during the scan: keep it where worker
      // threads see the changes (a SharedArrayBuffer), and project one at a time.
      const damaging = scenario.damage?.bubbles === true && scenario.thermal !== undefined;
      const mu = damaging && typeof SharedArrayBuffer !== "undefined" ? toShared(attenuationMap(volume, muPerClass)) : attenuationMap(volume, muPerClass);
      if (subscriber.closed) return;
      subscriber.next({ type: "phantom", grid, volume, mu, muPerClass, ...(microstructure ? { microstructure } : {}), ...(lithiumMolPerM3 ? { lithiumMolPerM3 } : {}) });

      const rng = createRandom(scenario.seed);
      const incident = scenario.beam.photonsPerPixel;
      // The detector: an ideal photon counter (Poisson on I0 eta exp(-p)), or the chain of
      // src/acquisition/detectorModel.ts fed with the photons at the scintillator.
      const chain = detectorChain(scenario);
      const spectrum = scenario.beam.polychromatic;
      const totalEfficiency = efficiency * (spectrum === undefined ? chain.efficiencyAt(scenario.beam.energyKeV) : 1);
      const model = chain.model?.(spectrum === undefined ? totalEfficiency : efficiency * spectrumEfficiency(spectrum, chain.efficiencyAt));
      const exposureS = scenario.scan.exposureS;
      let frames = 0;
      const frame = (type: FrameEvent["type"], index: number, angleDeg: number, expected: Float32Array): FrameEvent => {
        const timeS = exposureS * frames++;
        if (model !== undefined) {
          return { type, index, angleDeg, timeS, exposureS, counts: model.frame(expected, rng, new Float32Array(model.outRows * model.outCols)) };
        }
        const counts = noise ? poissonCounts(expected, rng, new Float32Array(expected.length)) : expected;
        return { type, index, angleDeg, timeS, exposureS, counts };
      };
      // With a model, frames carry photons at the scintillator (the model absorbs and converts);
      // without, the expected counts of an ideal detector.
      const detected = model === undefined ? totalEfficiency : 1;

      // A Gaussian beam: each pixel gets its share of the peak (flats, projections and dose alike).
      const profile = scenario.beam.profile
        ? gaussianBeamProfile(scenario.beam.profile, { rows, cols, pixelSizeM: scenario.detector.pixelSizeM, centerOffsetPx: scenario.geometry.centerOffsetPx })
        : undefined;
      // Beam intensity over the scan: linear drift from the first frame to the last.
      const frameCount = flatFrameCount(scenario) + scenario.scan.darks + anglesRad.length;
      const scanTimeS = frameCount * exposureS;
      const intensityAt = (timeS: number) => incident * (1 + (scenario.beam.drift * timeS) / scanTimeS);
      let flatIndex = 0;
      const flatTotal = flatFrameCount(scenario);
      const flatSet = async (): Promise<boolean> => {
        for (let k = 0; k < scenario.scan.flats; k++) {
          if (subscriber.closed) return false;
          const level = intensityAt(exposureS * frames);
          subscriber.next(frame("flat", flatIndex++, Number.NaN, flatFieldExpected(new Float32Array(rows * cols), level, detected, darkCounts, profile)));
          subscriber.next({ type: "progress", stage: "flats", done: flatIndex, total: flatTotal });
          await breathe();
        }
        return true;
      };
      const { flatsAt, flatsEvery } = scenario.scan;
      if ((flatsAt === "before" || flatsAt === "both") && !(await flatSet())) return;
      for (let i = 0; i < scenario.scan.darks; i++) {
        if (subscriber.closed) return;
        subscriber.next(frame("dark", i, Number.NaN, darkFieldExpected(new Float32Array(rows * cols), darkCounts)));
        subscriber.next({ type: "progress", stage: "darks", done: i + 1, total: scenario.scan.darks });
        await breathe();
      }

      // Projections: line integrals (possibly in worker threads, a few ahead), then counts.
      // A lab spectrum needs each class's path length instead: computed in this thread, the
      // spectrum summed per pixel, so beam hardening arises by itself. Phase contrast
      // propagates the exit wave to each detector distance (one frame per distance).
      const classMaterials = volume.classNames.map((name) => materials.get(name)!);
      const propagating = scenario.detector.distancesM.some((z) => z > 0);
      let imager: PhaseContrastImager | undefined;
      if (propagating) {
        for (const message of phaseContrastWarnings(scenario, grid)) subscriber.next({ type: "warning", message });
        const fine = fineGeometry((r, c, p, o) => scanGeometry(scenario, anglesRad, { rows: r, cols: c, pixelSizeM: p, centerOffsetPx: o }), scenario);
        imager = phaseContrastImager(scenario, volume, classMaterials, grid, fine, options.projector ?? inThreadProjector);
        projector = { project: () => Promise.reject(new Error("unused")), close: () => imager!.close() };
      } else {
        projector =
          spectrum === undefined
            ? (options.projector ?? inThreadProjector)(mu, grid, geometry)
            : polychromaticProjector(volume, grid, geometry, spectrum, classMaterials, chain.efficiencyAt, options.pathProjector);
      }
      const n = anglesRad.length;
      const lookahead = damaging ? 1 : Math.max(1, options.lookahead ?? 8);
      const damage = damaging ? new DamageLoop(scenario, volume, classMaterials, grid, mu, geometry) : undefined;
      // A finite focal spot blurs the expected image before the photons are counted (phase
      // contrast blurs the intensity on its fine grid instead: phaseContrast.ts).
      const g = scenario.geometry;
      const penumbra =
        g.type === "cone" && g.sourceSizeM !== undefined && imager === undefined
          ? gaussianKernel1d(penumbraSigmaPx(g.sourceSizeM, g.sourceObjectM!, g.sourceDetectorM!, scenario.detector.pixelSizeM))
          : undefined;
      const blurTmp = new Float32Array(penumbra ? rows * cols : 0);
      // Energy deposition (scan.dose): mu_en per voxel once, a second walk per projection.
      // With damage feedback the bubble gas adds a class during the scan: take the damage
      // loop's mu_en map, which follows the volume.
      const staticMuEn = scenario.scan.dose && damage === undefined ? attenuationMap(volume, muEnPerClass(classMaterials, scenario.beam.energyKeV)) : undefined;
      // The spectral optics for the deposited energy of a polychromatic beam, once per scan:
      // photons per pixel per bin, normalised to the incident photons per pixel.
      const spectralDose = scenario.scan.dose && spectrum !== undefined ? { optics: spectralOptics(spectrumWithPhotons(spectrum, incident), classMaterials) } : undefined;
      // Per projection: one image of line integrals, or (phase contrast) one -ln(I/I0) per distance.
      const images = (index: number): Promise<Float32Array[]> =>
        imager !== undefined
          ? imager.project(index).then((rels) => rels.map((r) => r.map((v) => (v > 0 ? -Math.log(v) : Infinity))))
          : projector!.project(index).then((p) => [p]);
      const multi = scenario.detector.distancesM.length > 1;
      const pending = new Map<number, Promise<Float32Array[]>>();
      let next = 0;
      for (let i = 0; i < n; i++) {
        while (next < n && next < i + lookahead) {
          pending.set(next, images(next));
          next++;
        }
        const perDistance = await pending.get(i)!;
        pending.delete(i);
        if (subscriber.closed) return;
        if (flatsEvery !== undefined && i > 0 && i % flatsEvery === 0 && !(await flatSet())) return;
        // Energy deposition (scan.dose): the same for every distance of a holotomography
        // scan (the sample does not move), one event per exposure.
        let deposit: { depositedJ: Float32Array; summary: ReturnType<typeof depositedEnergy> } | undefined;
        const muEn = scenario.scan.dose ? (damage?.muEnMap() ?? staticMuEn) : undefined;
        if (muEn !== undefined) {
          const depositedJ = new Float32Array(mu.length);
          // A spectrum (tube or monochromator band) deposits bin by bin along each ray (src/dose/).
          const summary = spectralDose !== undefined
            ? depositedEnergyWithOptics(volume, grid, geometry, i, spectralDose.optics, depositedJ, profile)
            : depositedEnergy(mu, muEn, grid, geometry, i, incident, scenario.beam.energyKeV, depositedJ, profile);
          deposit = { depositedJ, summary };
        }
        for (let k = 0; k < perDistance.length; k++) {
          const lineIntegrals = perDistance[k]!;
          const expected = expectedCounts(lineIntegrals, intensityAt(exposureS * frames), detected, lineIntegrals, darkCounts, profile);
          if (penumbra !== undefined) separableBlur(expected, rows, cols, penumbra, blurTmp, expected);
          const projection = frame("projection", i, anglesDeg[i]!, expected);
          subscriber.next(multi ? { ...projection, distanceIndex: k } : projection);
          if (deposit !== undefined) {
            subscriber.next({
              type: "dose",
              index: i,
              timeS: projection.timeS,
              exposureS,
              depositedJ: deposit.depositedJ,
              totalDepositedJ: deposit.summary.depositedJ,
              incidentJ: deposit.summary.incidentJ,
              transmittedJ: deposit.summary.transmittedJ,
            });
          }
        }
        if (damage !== undefined) {
          // The exposures of this angle (one per distance) heat the sample; bubbles change it.
          const events = damage.expose(i, exposureS * perDistance.length, intensityAt(exposureS * frames), profile);
          subscriber.next({ type: "damage", index: i, timeS: exposureS * frames, peakTemperatureK: damage.peakTemperatureK, bubbles: events });
        }
        subscriber.next({ type: "progress", stage: "projections", done: i + 1, total: n });
        await breathe();
      }
      if ((flatsAt === "after" || flatsAt === "both") && !(await flatSet())) return;
      subscriber.complete();
    };
    run()
      .catch((err: unknown) => subscriber.error(err))
      .finally(() => projector?.close());
    return () => projector?.close();
  });
}
