/**
 * Dataset scenarios: an ordinary scan scenario (docs/engine.md: sample grid, beam, geometry,
 * detector, scan) plus a `dataset:` section with the electrode recipe of the slab and the
 * ranges each sample's parameters are drawn from (domain randomisation). The scan part is
 * validated by the engine's own schema (src/engine/scenario.ts), the dataset part by the zod
 * schema below; every problem is reported as `path: expected ..., got ...`.
 *
 * Roles of the scan part: sample.voxelSize is the slice's pixel, sample.shape [nx, ny, nz]
 * the slab generated per sample (the slice is its middle layer, nz / 2 rounded down), and
 * beam / detector / geometry / scan are the defaults a sample's drawn values override
 * (energy, photons, detector PSF, propagation distance). A sample is a 2-D slice, so the
 * scan must be a parallel-beam, monochromatic one-row scan with the sample left empty
 * (the slab comes from dataset.recipe).
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { ENERGY_KEV, LENGTH_M, type QuantityKind } from "../core/units.js";
import { formatIssues, parseYamlText, quantity, ValidationError } from "../core/validation.js";
import { validateScenario, type Scenario } from "../engine/scenario.js";
import { validateRecipe, type ElectrodeLayer, type Recipe } from "../phantoms/recipe.js";
import { canonicalize } from "../io/canonicalJson.js";
import { findRecipeFile } from "../io/recipeFile.js";
import { AGED_CLASS_MATERIALS } from "../degradation/ageSample.js";
import { resolveMaterial, type Material } from "../materials/library.js";

/** Classes the degradation state paints, always in the class table (fixed label values). */
export const DEGRADATION_CLASSES = ["crack", "rock-salt"] as const;

/** A drawn quantity: [lo, hi] (uniform, or log-uniform where noted) or one fixed value. */
const range = (kind: QuantityKind | undefined, what: string, min: number, max = Infinity) => {
  const item = kind === undefined ? z.number({ error: `expected ${what}` }) : quantity(kind);
  return z
    .union([item, z.tuple([item, item])], { error: `expected ${what} or a range [lo, hi] of them` })
    .transform((v, ctx): [number, number] => {
      const [lo, hi] = Array.isArray(v) ? v : [v, v];
      if (!(lo >= min && hi <= max && lo <= hi)) {
        ctx.addIssue({ code: "custom", message: `expected lo <= hi within [${min}, ${max}], got [${lo}, ${hi}]`, input: v });
        return z.NEVER;
      }
      return [lo, hi];
    });
};

const probability = z.number({ error: "expected a probability from 0 to 1" }).min(0).max(1);

const datasetSchema = z.strictObject({
  /** The slab's electrode: a recipe (phantoms/*.yaml layout) inline, or the path of one. */
  recipe: z.union([z.string(), z.record(z.string(), z.unknown())], { error: "expected a recipe (a mapping as in phantoms/*.yaml) or its path" }),
  imageFormat: z.enum(["png", "tiff"], { error: 'expected "png" (16-bit) or "tiff" (float32)' }).default("png"),
  /** Attenuation (1/m) mapped to 0 and 65535 in the 16-bit images. */
  muRange: z.tuple([z.number(), z.number()], { error: "expected [lo, hi] in 1/m, e.g. [-2000, 30000]" }).refine(([lo, hi]) => hi > lo, { error: "expected hi > lo" }),
  split: z
    .strictObject({ train: probability.default(0.8), val: probability.default(0.1), test: probability.default(0.1) })
    .refine((s) => Math.abs(s.train + s.val + s.test - 1) < 1e-9, { error: "expected train + val + test = 1" })
    .default({ train: 0.8, val: 0.1, test: 0.1 }),
  /** Reconstruction filter of the FBP. */
  filter: z.enum(["ram-lak", "shepp-logan", "cosine", "hamming", "hann"], { error: 'expected "ram-lak", "shepp-logan", "cosine", "hamming" or "hann"' }).default("shepp-logan"),
  /** Particle sections smaller than this (pixels) are no instances (left out of the instance mask). */
  minInstanceArea: z.number({ error: "expected a number of pixels" }).int().min(1).default(9),
  ranges: z.strictObject({
    /** D50 of the first particle population. */
    particleSize: range(LENGTH_M, "a length", 0),
    /** Pore fraction of the electrode layer (active = 1 - porosity - cbd). */
    porosity: range(undefined, "a porosity", 0.1, 0.95),
    cbdFraction: range(undefined, "a CBD volume fraction", 0, 0.5),
    energy: range(ENERGY_KEV, "an energy", 1, 200),
    /** Incident photons per pixel per projection (log-uniform). */
    photons: range(undefined, "a number of photons per pixel", 1),
    /** Detector PSF sigma (pixels). */
    blur: range(undefined, "a PSF sigma in pixels", 0, 20).default([0, 0]),
    /** rms of the per-column gain error left after flat-fielding (ring artefacts). */
    rings: range(undefined, "a relative gain error", 0, 0.5).default([0, 0]),
  }),
  phaseContrast: z
    .strictObject({ probability: probability, distance: range(LENGTH_M, "a distance", 0) })
    .default({ probability: 0, distance: [0, 0] }),
  degradation: z
    .strictObject({
      probability: probability,
      /** Fraction of each particle's grain-boundary area opened (src/degradation/morphology.ts). */
      crackFraction: range(undefined, "a fraction", 0, 1),
      /** Crack width; rounded to whole pixels, at least one. */
      crackOpening: range(LENGTH_M, "a length", 0),
      /** Rock-salt shell thickness grown inward on the particles (default none: nm-thin, below CT pixels). */
      rockSalt: range(LENGTH_M, "a length", 0).default([0, 0]),
    })
    .default({ probability: 0, crackFraction: [0, 0], crackOpening: [0, 0], rockSalt: [0, 0] }),
});

export type DatasetSpec = z.output<typeof datasetSchema>;

/** A class of the class masks: its label value and name (a material of `materials`). */
export interface DatasetClass {
  readonly id: number;
  readonly name: string;
}

export interface DatasetScenario {
  readonly name: string;
  readonly seed: number;
  /** The scan part, validated (base values; samples override some). */
  readonly scan: Scenario;
  /** The scan part as written (without `dataset`), for per-sample variants. */
  readonly scanSource: Record<string, unknown>;
  readonly spec: DatasetSpec;
  /** The slab recipe (its electrode layer is modified per sample). */
  readonly recipe: Recipe;
  /** Index of the electrode layer in recipe.layers. */
  readonly electrodeLayer: number;
  /** Class table: the recipe's classes in label order, then DEGRADATION_CLASSES. */
  readonly classes: readonly DatasetClass[];
  /** Materials of every class name. */
  readonly materials: ReadonlyMap<string, Material>;
  /** Particle materials (instance categories), in class-label order. */
  readonly particleMaterials: readonly string[];
  /** The scenario as written with the recipe inlined: echoed in dataset.json, hashed per sample. */
  readonly echo: unknown;
}

function readRecipeSource(path: string, scenarioPath: string | undefined): unknown {
  return parseYamlText(readFileSync(findRecipeFile(path, scenarioPath), "utf8"), path);
}

/** Validate a parsed dataset scenario (`source` names it in messages; recipe paths resolve against it). */
export function validateDatasetScenario(raw: unknown, source?: string): DatasetScenario {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new ValidationError(["(top level): expected a mapping of keys (name, sample, ..., dataset)"], source);
  const { dataset, ...scanSource } = raw as Record<string, unknown>;
  if (dataset === undefined) throw new ValidationError(["dataset: missing; a dataset scenario needs a dataset section (recipe, ranges)"], source);
  const parsed = datasetSchema.safeParse(dataset, { reportInput: true });
  const problems: string[] = [];
  if (!parsed.success) problems.push(...formatIssues(parsed.error.issues).map((p) => `dataset.${p}`));
  let scan: Scenario | undefined;
  try {
    scan = validateScenario(scanSource, source);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    problems.push(...e.problems);
  }
  if (scan !== undefined) {
    if (scan.geometry.type !== "parallel") problems.push(`geometry.type: a 2-D sample is scanned in parallel beam, got "${scan.geometry.type}"`);
    if (scan.detector.rows !== 1) problems.push(`detector.rows: a 2-D sample is one detector row, got ${scan.detector.rows}`);
    if (scan.beam.polychromatic !== undefined) problems.push("beam: the dataset draws a monochromatic energy per sample (no spectrum or bandwidth)");
    if (scan.sample.objects.length > 0 || scan.sample.phantom !== undefined) problems.push("sample: leave objects and phantom out; the slab comes from dataset.recipe");
    if (scan.damage !== undefined || scan.cycling !== undefined) problems.push("damage, cycling: not used by datasets (draw a degradation state instead)");
  }
  if (problems.length > 0 || scan === undefined || !parsed.success) throw new ValidationError(problems, source);
  const spec = parsed.data;

  // The recipe: the slab's grid fills in what an inline recipe leaves out.
  const [nx, ny, nz] = scan.sample.shape;
  let recipeRaw: unknown;
  try {
    recipeRaw = typeof spec.recipe === "string" ? readRecipeSource(spec.recipe, source) : spec.recipe;
  } catch (e) {
    throw new ValidationError([`dataset.recipe: ${(e as Error).message}`], source);
  }
  const filled = { name: scan.name, voxelSize: `${scan.sample.voxelSizeM} m`, shape: [nx, ny, nz], ...(recipeRaw as object) };
  let recipe: Recipe;
  try {
    recipe = validateRecipe(filled, `${source ?? "input"} dataset.recipe`);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    throw new ValidationError(e.problems.map((p) => `dataset.recipe.${p}`), source);
  }
  const electrodes = recipe.layers.flatMap((l, i) => (l.type === "electrode" ? [i] : []));
  if (electrodes.length !== 1) throw new ValidationError([`dataset.recipe.layers: expected exactly one electrode layer (the drawn particle size, porosity and CBD apply to it), got ${electrodes.length}`], source);
  const electrodeLayer = electrodes[0]!;
  const electrode = recipe.layers[electrodeLayer] as ElectrodeLayer;
  const extra: string[] = [];
  if (electrode.particles.length !== 1) extra.push(`dataset.recipe.layers[${electrodeLayer}].particles: expected one particle population, got ${electrode.particles.length}`);
  if (electrode.cbd === undefined && spec.ranges.cbdFraction[1] > 0) extra.push(`dataset.ranges.cbdFraction: the recipe's electrode has no cbd to vary`);
  if (spec.ranges.porosity[0] + (electrode.voids?.volumeFraction ?? 0) < 0.1) extra.push("dataset.ranges.porosity: at least 0.1 (at most 0.9 of a layer can be packed)");
  if (spec.degradation.probability > 0 && spec.degradation.crackFraction[1] > 0 && electrode.particles[0]?.grainSize === undefined) {
    extra.push(`dataset.degradation: cracks open along grain boundaries; give the particles a grainSize`);
  }
  // Samples always run through the detector model (for the PSF): 16 bits and gain 1 unless given.
  const bits = scan.detector.model?.bitDepth ?? 16, gain = scan.detector.model?.gain ?? 1;
  if (spec.ranges.photons[1] * gain > 2 ** bits - 1) {
    extra.push(`detector.model.bitDepth: ${bits} bits saturate below the ${spec.ranges.photons[1]} photons per pixel of dataset.ranges.photons (use 24)`);
  }
  if (spec.ranges.porosity[1] + spec.ranges.cbdFraction[1] + (electrode.voids?.volumeFraction ?? 0) >= 1) {
    extra.push("dataset.ranges: the largest porosity and CBD fraction leave no room for particles");
  }
  if (scan.scan.flats < 1) extra.push("scan.flats: the slices are flat-field corrected; take at least 1 flat");
  if (extra.length > 0) throw new ValidationError(extra, source);

  // Class table: the generator's order (the material above the stack first, then the recipe's),
  // then the degradation classes so their labels are the same in every sample.
  const recipeClasses = [recipe.top, ...[...recipe.materials.keys()].filter((n) => n !== recipe.top)];
  const names = [...recipeClasses, ...DEGRADATION_CLASSES.filter((c) => !recipeClasses.includes(c))];
  const materials = new Map<string, Material>(recipe.materials);
  for (const c of DEGRADATION_CLASSES) if (!materials.has(c)) materials.set(c, resolveMaterial(AGED_CLASS_MATERIALS[c]!));
  const particleMaterials = names.filter((n) => electrode.particles.some((p) => p.material === n) || electrode.impurities.some((p) => p.material === n));
  const echo = canonicalize({ ...scanSource, dataset: { ...(dataset as object), recipe: recipeRaw } });
  return {
    name: scan.name,
    seed: scan.seed,
    scan,
    scanSource,
    spec,
    recipe,
    electrodeLayer,
    classes: names.map((name, id) => ({ id, name })),
    materials,
    particleMaterials,
    echo,
  };
}

/** Parse and validate a dataset scenario's YAML text. */
export function parseDatasetScenario(text: string, source?: string): DatasetScenario {
  return validateDatasetScenario(parseYamlText(text, source), source);
}

/** A scenario file's text; a RangeError naming the file when it cannot be read. */
export function readScenarioText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new RangeError(`cannot read scenario "${path}": ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
}

/** Read and validate a dataset scenario file. */
export function readDatasetScenario(path: string): DatasetScenario {
  return parseDatasetScenario(readScenarioText(path), path);
}
