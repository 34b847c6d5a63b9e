/**
 * Phantom recipes: YAML files under phantoms/ that describe an electrode microstructure
 * in physical terms (layers along z, particle populations with volume fractions, D50 and
 * span, CBD fraction, defects). `parseRecipe` validates one into a `Recipe` in SI units or
 * throws a ValidationError listing every problem as `path: expected ..., got ...`.
 */
import { z } from "zod";
import { DENSITY_GCM3, LENGTH_M, type QuantityKind } from "../core/units.js";
import { formatIssues, parseYamlText, quantity, ValidationError } from "../core/validation.js";
import { mixByVolume, mixByMass } from "../materials/composition.js";
import { findMaterialEntry, resolveMaterial, type Material } from "../materials/library.js";

const positiveQuantity = (kind: QuantityKind) =>
  quantity(kind, (v) => (v > 0 ? undefined : `must be positive, got ${v} ${kind.unit}`));

const length = () => positiveQuantity(LENGTH_M);
const fraction = (what: string) =>
  z.number({ error: `expected ${what} between 0 and 1` }).min(0, { error: `expected ${what} between 0 and 1` }).max(1, { error: `expected ${what} between 0 and 1` });
const count = (what: string) => z.number({ error: `expected ${what} (a whole number)` }).int({ error: `expected ${what} (a whole number)` }).min(0);
const materialName = z.string({ error: "expected a material name" });

/** A recipe-defined material: a mixture of library materials by volume or mass. */
const mixtureSchema = z.strictObject({
  by: z.enum(["volume", "mass"], { error: 'expected "volume" or "mass"' }).default("volume"),
  components: z
    .array(z.strictObject({ material: materialName, fraction: fraction("a fraction") }))
    .min(1, { error: "expected at least one component" }),
  density: positiveQuantity(DENSITY_GCM3).optional(),
  description: z.string().optional(),
});

const shapeSchema = z
  .union([
    z.literal("sphere"),
    z.strictObject({
      ellipsoid: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()], {
        error: "expected relative semi-axes [a, b, c], e.g. [1, 1, 0.3] for a flake",
      }),
    }),
  ], { error: 'expected "sphere" or { ellipsoid: [a, b, c] }' })
  .default("sphere");

const populationSchema = z.strictObject({
  material: materialName,
  volumeFraction: fraction("a volume fraction of the layer"),
  d50: length(),
  span: z.number({ error: "expected a span (D90 - D10) / D50 such as 0.8" }).min(0).max(5).default(0.8),
  shape: shapeSchema,
  /** Concentration of the flake normal about z (von Mises-Fisher kappa); 0 = isotropic. */
  alignment: z.number({ error: "expected an alignment (kappa) >= 0" }).min(0).default(0),
  grainSize: length().optional(),
  internalPorosity: fraction("an internal porosity").default(0),
  crackedFraction: fraction("a fraction of cracked particles").default(0),
});

const electrodeSchema = z.strictObject({
  type: z.literal("electrode"),
  thickness: length(),
  pore: materialName,
  particles: z.array(populationSchema).min(1, { error: "expected at least one particle population" }),
  cbd: z.strictObject({ material: materialName, volumeFraction: fraction("a CBD volume fraction") }).optional(),
  voids: z.strictObject({ material: materialName.default("air"), volumeFraction: fraction("a void fraction"), size: length() }).optional(),
  impurities: z.array(z.strictObject({ material: materialName, count: count("a number of impurity particles"), diameter: length() })).default([]),
  agglomerates: z
    .strictObject({ count: count("a number of agglomerates"), particles: count("particles per agglomerate"), d50: length() })
    .optional(),
  overlapTolerance: fraction("an overlap tolerance").default(0.02),
});

const layerSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({
      type: z.literal("foil"),
      material: materialName,
      thickness: length(),
      burrs: z.strictObject({ count: count("a number of burrs"), height: length(), radius: length() }).optional(),
    }),
    electrodeSchema,
    z.strictObject({
      type: z.literal("separator"),
      material: materialName,
      thickness: length(),
      /** Pinholes through the separator, filled with the electrolyte of the stack. */
      pinholes: z.strictObject({ count: count("a number of pinholes"), diameter: length() }).optional(),
    }),
    z.strictObject({ type: z.literal("fill"), material: materialName, thickness: length() }),
    z.strictObject({
      type: z.literal("lithium"),
      thickness: length(),
      sei: z.strictObject({ material: materialName, thickness: length() }),
      mossy: z.strictObject({ height: length(), volumeFraction: fraction("a mossy-lithium volume fraction"), pore: materialName }),
    }),
  ],
  { error: "expected a layer type: foil, electrode, separator, fill or lithium" },
);

const recipeSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: "expected a name of letters, digits, '.', '_' or '-'" }),
  description: z.string().default(""),
  voxelSize: length(),
  shape: z.tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)], { error: "expected [nx, ny, nz] voxels" }),
  /** What fills the volume above the top layer. */
  top: materialName.default("air"),
  materials: z.record(z.string(), mixtureSchema).default({}),
  layers: z.array(layerSchema).min(1, { error: "expected at least one layer" }),
});

export type RecipeLayer = z.output<typeof layerSchema>;
export type ElectrodeLayer = Extract<RecipeLayer, { type: "electrode" }>;
export type ParticlePopulationSpec = z.output<typeof populationSchema>;

export interface Recipe {
  readonly name: string;
  readonly description: string;
  readonly voxelSizeM: number;
  readonly shape: readonly [number, number, number];
  readonly top: string;
  readonly layers: readonly RecipeLayer[];
  /** Every material the recipe names, resolved (library entries and recipe mixtures). */
  readonly materials: ReadonlyMap<string, Material>;
  /** The recipe as written. */
  readonly source: unknown;
}

function materialNamesOf(layers: readonly RecipeLayer[], top: string): string[] {
  const names = [top];
  for (const l of layers) {
    switch (l.type) {
      case "foil":
      case "fill":
        names.push(l.material);
        break;
      case "separator":
        names.push(l.material);
        break;
      case "electrode":
        names.push(l.pore, ...l.particles.map((p) => p.material), ...l.impurities.map((i) => i.material));
        if (l.cbd) names.push(l.cbd.material);
        if (l.voids) names.push(l.voids.material);
        break;
      case "lithium":
        names.push("lithium", l.sei.material, l.mossy.pore);
        break;
    }
  }
  return [...new Set(names)];
}

/** Height a layer takes in the stack (m): a lithium layer adds its mossy zone. */
export function layerThickness(l: RecipeLayer): number {
  return l.type === "lithium" ? l.thickness + l.mossy.height : l.thickness;
}

/** Validate a parsed recipe object. */
export function validateRecipe(raw: unknown, source?: string): Recipe {
  const result = recipeSchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new ValidationError(formatIssues(result.error.issues), source);
  const r = result.data;
  const problems: string[] = [];
  // Recipe mixtures first (they may only use library materials), then every name used.
  const materials = new Map<string, Material>();
  for (const [name, mix] of Object.entries(r.materials)) {
    try {
      const parts = mix.components.map((c) => ({ material: resolveMaterial(c.material), fraction: c.fraction }));
      if (mix.by === "volume") {
        const m = mixByVolume(parts.map((p) => ({ composition: p.material.composition, densityGcm3: p.material.densityGcm3, fraction: p.fraction })));
        materials.set(name, { name, composition: m.composition, densityGcm3: mix.density ?? m.densityGcm3 });
      } else {
        if (mix.density === undefined) throw new Error("a mixture by mass needs a density");
        const composition = mixByMass(parts.map((p) => ({ composition: p.material.composition, fraction: p.fraction })));
        materials.set(name, { name, composition, densityGcm3: mix.density });
      }
    } catch (e) {
      problems.push(`materials.${name}: ${(e as Error).message}`);
    }
  }
  for (const name of materialNamesOf(r.layers, r.top)) {
    if (materials.has(name)) continue;
    try {
      const m = resolveMaterial(name);
      // Keep the name as the recipe writes it: it is the class name in the labels.
      materials.set(name, findMaterialEntry(name) ? { ...m, name } : m);
    } catch (e) {
      problems.push(`${name}: ${(e as Error).message}`);
    }
  }
  const stack = r.layers.reduce((s, l) => s + layerThickness(l), 0);
  const height = r.shape[2] * r.voxelSize;
  if (stack > height * (1 + 1e-9)) {
    problems.push(`layers: the stack is ${+(stack * 1e6).toFixed(3)} um thick but shape[2] x voxelSize is only ${+(height * 1e6).toFixed(3)} um`);
  }
  r.layers.forEach((l, i) => {
    if (l.type !== "electrode") return;
    const total = l.particles.reduce((s, p) => s + p.volumeFraction, 0) + (l.cbd?.volumeFraction ?? 0) + (l.voids?.volumeFraction ?? 0);
    if (total >= 0.9) problems.push(`layers[${i}]: particles, CBD and voids fill ${total.toFixed(3)} of the layer; at most 0.9 can be packed`);
  });
  if (materials.size > 255) problems.push(`materials: ${materials.size} classes, at most 255 fit uint8 labels`);
  if (problems.length > 0) throw new ValidationError(problems, source);
  return { name: r.name, description: r.description, voxelSizeM: r.voxelSize, shape: r.shape, top: r.top, layers: r.layers, materials, source: raw };
}

export function parseRecipe(text: string, source?: string): Recipe {
  return validateRecipe(parseYamlText(text, source), source);
}
