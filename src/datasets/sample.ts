/**
 * One training sample, made from the project's physics end to end:
 *
 *   1. slab: the scenario's recipe with the drawn particle size, porosity and CBD fraction,
 *      generated on sample.shape (src/phantoms/microstructure/generate.ts);
 *   2. degradation state (when drawn): an inward rock-salt shell on the particles' surface,
 *      then grain-boundary cracks inside it (src/degradation/morphology.ts), in the layers
 *      around the slice (enough for the crack opening and the shell's distance transform to
 *      be the same as in the whole slab);
 *   3. truth: the slab's middle layer: class labels, and particle instances split into
 *      4-connected sections (a particle can cross the slice in several pieces: periodic
 *      wrap, concave shapes, cracks), sections under minInstanceArea pixels dropped,
 *      numbered 1..K in raster order;
 *   4. scan: that slice as a one-layer phantom through the engine (src/engine/simulate.ts):
 *      mu at the drawn energy, parallel-beam projections, optional Fresnel propagation to
 *      the drawn distance (the engine's phase-contrast imager on a one-row field, which the
 *      edge padding makes a 1-D propagation), flats, Poisson noise at the drawn photons per
 *      pixel through the detector model with the drawn PSF;
 *   5. rings: each detector column's gain changed by a factor 1 + r z (z normal, r the drawn
 *      rms) after the flats were taken, so flat-fielding leaves -ln(1 + r z) in that column;
 *   6. flat-field correction and FBP (src/reconstruction/) onto the slice's pixel grid.
 *
 * Deterministic for (scenario, index): every seed comes from drawParameters.
 */
import { gaussian, createRandom } from "../core/random.js";
import type { VolumeGrid } from "../core/grid.js";
import { growShell, openGrainBoundaryCracks, ensureClass } from "../degradation/morphology.js";
import { validateScenario, type Scenario } from "../engine/scenario.js";
import { simulate } from "../engine/simulate.js";
import type { ProjectionGeometry } from "../acquisition/geometry.js";
import { generatePhantom } from "../phantoms/microstructure/generate.js";
import { copyMicrostructure } from "../phantoms/microstructure/rasterize.js";
import type { ElectrodeLayer, Recipe } from "../phantoms/recipe.js";
import { correctStack } from "../reconstruction/preprocess.js";
import { fbpParallel } from "../reconstruction/fbp.js";
import { labelComponents } from "../segmentation/labelling.js";
import { drawParameters, splitOf, type SampleParameters, type Split } from "./draw.js";
import type { DatasetScenario } from "./scenario.js";

export interface SampleTruth {
  /** Class label per pixel (the dataset's class table), x fastest. */
  readonly classes: Uint8Array;
  /** Instance id per pixel, 0 = none, 1..K. */
  readonly instances: Uint16Array;
  /** The 3-D particle id and material of instance k at [k - 1]. */
  readonly particles: readonly { readonly particleId: number; readonly material: string }[];
}

export interface GeneratedSample {
  readonly index: number;
  readonly split: Split;
  readonly parameters: SampleParameters;
  readonly width: number;
  readonly height: number;
  readonly pixelSizeM: number;
  /** Reconstructed attenuation (1/m), x fastest. */
  readonly mu: Float32Array;
  readonly truth: SampleTruth;
  /** Pixels the flat-field correction clamped, and the engine's warnings (sampling of phase contrast). */
  readonly clampedPixels: number;
  readonly warnings: readonly string[];
}

/** The recipe with the drawn particle size, porosity and CBD fraction in its electrode layer. */
export function sampleRecipe(ds: DatasetScenario, p: SampleParameters): Recipe {
  const layers = ds.recipe.layers.map((l, i) => {
    if (i !== ds.electrodeLayer) return l;
    const e = l as ElectrodeLayer;
    const active = 1 - p.porosity - p.cbdFraction - (e.voids?.volumeFraction ?? 0);
    return {
      ...e,
      particles: e.particles.map((q) => ({ ...q, d50: p.particleSizeM, volumeFraction: active })),
      ...(e.cbd ? { cbd: { ...e.cbd, volumeFraction: p.cbdFraction } } : {}),
    };
  });
  return { ...ds.recipe, layers };
}

/** The slab's middle layer after the drawn degradation, as class labels and particle ids. */
function sliceOfSlab(ds: DatasetScenario, p: SampleParameters): { labels: Uint8Array; particleIds: Uint32Array; material: Map<number, string> } {
  const [nx, ny, nz] = ds.scan.sample.shape;
  const s = ds.scan.sample.voxelSizeM;
  const slab = generatePhantom(sampleRecipe(ds, p), { seed: p.phantomSeed, shape: [nx, ny, nz], voxelSizeM: s, tortuosity: false }).microstructure;
  const openingVoxels = Math.max(1, Math.round(p.crackOpeningM / s));
  const margin = p.degraded ? Math.ceil(Math.max(openingVoxels, p.rockSaltM / s)) + 2 : 0;
  const k = Math.floor(nz / 2);
  const k0 = Math.max(0, k - margin), k1 = Math.min(nz, k + margin + 1);
  const ms = copyMicrostructure(slab, k0, k1);
  for (const c of ds.classes) ensureClass(ms, c.name);
  if (ms.classNames.length !== ds.classes.length) throw new Error(`the slab has classes ${ms.classNames.join(", ")}, the dataset's table ${ds.classes.map((c) => c.name).join(", ")}`);
  const host = ds.particleMaterials[0]!;
  const at = (k - k0) * nx * ny;
  const before = ms.instances.slice(at, at + nx * ny);
  // The shell first: it grows on the particles' outer surface; the cracks then open inside it
  // (they only cut the host class), not lined with rock-salt along every crack face.
  if (p.degraded && p.rockSaltM > 0) growShell(ms, { hostClass: host, shellClass: "rock-salt", thicknessM: p.rockSaltM, into: "inward", seed: p.ageingSeed + 1 });
  if (p.degraded && p.crackFraction > 0) openGrainBoundaryCracks(ms, { particleClass: host, crackFraction: p.crackFraction, openingVoxels, fillClass: "crack" }, p.ageingSeed);
  const labels = ms.labels.slice(at, at + nx * ny);
  const particleIds = ms.instances.slice(at, at + nx * ny);
  // A crack stays inside its particle's instance (an annotator outlines the cracked particle
  // whole); the class mask tells the crack apart.
  const crack = ds.classes.find((c) => c.name === "crack")!.id;
  for (let q = 0; q < labels.length; q++) if (labels[q] === crack && particleIds[q] === 0) particleIds[q] = before[q]!;
  const material = new Map(slab.particles.map((q) => [q.id, q.material]));
  return { labels, particleIds, material };
}

/**
 * Particle sections: 4-connected pieces of equal particle id, those under `minArea` pixels
 * dropped, numbered 1..K in raster order of their first pixel.
 */
export function particleSections(particleIds: Uint32Array, width: number, height: number, minArea: number): { instances: Uint16Array; particleOf: number[] } {
  const { labels, count, sizes } = labelComponents(particleIds, { nx: width, ny: height, nz: 1 }, { connectivity: 4 });
  const renumber = new Int32Array(count + 1);
  const particleOf: number[] = [];
  for (let p = 0; p < labels.length; p++) {
    const c = labels[p]!;
    if (c === 0 || renumber[c] !== 0 || sizes[c]! < minArea) continue;
    particleOf.push(particleIds[p]!);
    renumber[c] = particleOf.length;
  }
  if (particleOf.length > 65535) throw new RangeError(`${particleOf.length} particle sections do not fit a 16-bit instance mask`);
  const instances = new Uint16Array(labels.length);
  for (let p = 0; p < labels.length; p++) instances[p] = renumber[labels[p]!]!;
  return { instances, particleOf };
}

/** The scan part of the scenario with this sample's energy, photons, PSF, distance and seed. */
export function sampleScan(ds: DatasetScenario, p: SampleParameters): Scenario {
  const src = ds.scanSource as { sample: object; beam: Record<string, unknown>; detector: Record<string, unknown> };
  const { flux: _flux, size: _size, ...beam } = src.beam;
  const model = (src.detector["model"] ?? {}) as object;
  return validateScenario({
    ...src,
    seed: p.scanSeed,
    sample: { ...src.sample, shape: [ds.scan.sample.shape[0], ds.scan.sample.shape[1], 1] },
    beam: { ...beam, energy: `${p.energyKeV} keV`, photonsPerPixel: p.photonsPerPixel },
    detector: { ...src.detector, model: { ...model, psf: p.blurPx }, distance: p.distanceM > 0 ? `${p.distanceM} m` : 0 },
  }, `sample scan`);
}

interface ScanFrames {
  geometry: ProjectionGeometry;
  flats: Float32Array[];
  darks: Float32Array[];
  projections: Float32Array[];
  warnings: string[];
}

/** Run the engine on a one-layer phantom and keep its frames. */
function scanSlice(scenario: Scenario, ds: DatasetScenario, labels: Uint8Array): Promise<ScanFrames> {
  const [nx, ny] = scenario.sample.shape;
  const grid: VolumeGrid = { nx, ny, nz: 1, voxelSizeM: scenario.sample.voxelSizeM };
  const classNames = ds.classes.map((c) => c.name);
  const volume = { grid, classNames, labels, secondary: labels, primaryFraction: new Float32Array(labels.length).fill(1) };
  const frames: Partial<ScanFrames> & Omit<ScanFrames, "geometry"> = { flats: [], darks: [], projections: [], warnings: [] };
  const rows1 = scenario.detector.rows === 1;
  return new Promise((resolve, reject) => {
    simulate(scenario, { phantom: { volume, materials: new Map(ds.materials) } }).subscribe({
      next: (ev) => {
        if (ev.type === "start") frames.geometry = ev.geometry;
        // A one-row field is uniform along y (edge padding): its y sampling cannot alias.
        else if (ev.type === "warning" && !(rows1 && / along y/.test(ev.message))) frames.warnings.push(ev.message);
        else if (ev.type === "flat") frames.flats.push(ev.counts);
        else if (ev.type === "dark") frames.darks.push(ev.counts);
        else if (ev.type === "projection") frames.projections.push(ev.counts);
      },
      error: reject,
      complete: () => resolve(frames as ScanFrames),
    });
  });
}

function concat(frames: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(frames.reduce((n, f) => n + f.length, 0));
  let o = 0;
  for (const f of frames) {
    out.set(f, o);
    o += f.length;
  }
  return out;
}

/** Per-column gain change 1 + r z (z standard normal, clipped at 0) applied to every projection. */
export function applyColumnGains(projections: Float32Array, cols: number, rms: number, seed: string): void {
  if (rms === 0) return;
  const rng = createRandom(seed);
  const gain = new Float64Array(cols);
  for (let c = 0; c < cols; c++) gain[c] = Math.max(0, 1 + rms * gaussian(rng));
  for (let p = 0; p < projections.length; p++) projections[p] = projections[p]! * gain[p % cols]!;
}

/** Make sample `index` of the dataset (in memory). */
export async function generateSample(ds: DatasetScenario, index: number): Promise<GeneratedSample> {
  const parameters = drawParameters(ds.spec, ds.seed, index);
  const [nx, ny] = ds.scan.sample.shape;
  const slice = sliceOfSlab(ds, parameters);
  const { instances, particleOf } = particleSections(slice.particleIds, nx, ny, ds.spec.minInstanceArea);
  const scenario = sampleScan(ds, parameters);
  const frames = await scanSlice(scenario, ds, slice.labels);
  const { rows, cols } = frames.geometry;
  const raw = concat(frames.projections);
  applyColumnGains(raw, cols, parameters.ringGainRms, `${parameters.scanSeed}/rings`);
  const { lineIntegrals, clamped } = correctStack(raw, {
    rows,
    cols,
    projections: frames.projections.length,
    flats: concat(frames.flats),
    ...(frames.darks.length > 0 ? { darks: concat(frames.darks) } : {}),
  });
  const grid: VolumeGrid = { nx, ny, nz: 1, voxelSizeM: ds.scan.sample.voxelSizeM };
  const mu = fbpParallel(lineIntegrals, frames.geometry, { grid, filter: ds.spec.filter });
  return {
    index,
    split: splitOf(ds.spec.split, ds.seed, index),
    parameters,
    width: nx,
    height: ny,
    pixelSizeM: grid.voxelSizeM,
    mu,
    truth: { classes: slice.labels, instances, particles: particleOf.map((id) => ({ particleId: id, material: slice.material.get(id) ?? "unknown" })) },
    clampedPixels: clamped,
    warnings: frames.warnings,
  };
}
