/**
 * Named materials: resolve a library name or a chemical formula into a Material, the
 * composition-and-density that every optics, dose and thermal calculation takes.
 */
import { compositionFromFormula, mixByMass, mixByVolume, type Composition } from "./composition.js";
import { elementTable } from "./elementTable.js";
import { atomicNumber } from "./elements.js";
import { FormulaError } from "./formula.js";
import type { MaterialEntry } from "./materialEntry.js";
import { MATERIAL_LIBRARY } from "./libraryData.js";

export interface Material {
  /** The name as given by the user (library name, or the formula itself). */
  readonly name: string;
  readonly composition: Composition;
  readonly densityGcm3: number;
  /** The library entry this material came from, with thermal constants and sources. */
  readonly entry?: MaterialEntry;
}

export class UnknownMaterialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnknownMaterialError";
  }
}

const key = (s: string) => s.trim().toLowerCase();
const BY_NAME = new Map<string, MaterialEntry>();
for (const entry of MATERIAL_LIBRARY) {
  for (const n of [entry.name, ...(entry.aliases ?? [])]) {
    if (BY_NAME.has(key(n))) throw new Error(`material library: name "${n}" is used twice`);
    BY_NAME.set(key(n), entry);
  }
}

/** Every library entry, in library order. */
export function libraryEntries(): readonly MaterialEntry[] {
  return MATERIAL_LIBRARY;
}

/** The library entry with this name or alias (case-insensitive), if any. */
export function findMaterialEntry(name: string): MaterialEntry | undefined {
  return BY_NAME.get(key(name));
}

const resolved = new Map<MaterialEntry, Material>();

/** The Material of a library entry, its mixtures resolved to elemental mass fractions. */
export function materialFromEntry(entry: MaterialEntry, seen: readonly string[] = []): Material {
  const cached = resolved.get(entry);
  if (cached !== undefined) return cached;
  if (seen.includes(entry.name)) {
    throw new Error(`material library: "${entry.name}" contains itself (${[...seen, entry.name].join(" -> ")})`);
  }
  let composition: Composition;
  const c = entry.composition;
  if (c.kind === "formula") {
    composition = compositionFromFormula(c.formula);
  } else {
    const path = [...seen, entry.name];
    const parts = c.components.map((part) => {
      const component = findMaterialEntry(part.material);
      if (component !== undefined) {
        const m = materialFromEntry(component, path);
        return { composition: m.composition, densityGcm3: part.densityGcm3 ?? m.densityGcm3, fraction: part.fraction };
      }
      const density = part.densityGcm3 ?? elementalDensity(part.material);
      if (c.by === "volume" && density === undefined) {
        throw new Error(`material library: "${entry.name}" mixes "${part.material}" by volume but gives no density for it`);
      }
      return { composition: compositionFromFormula(part.material), densityGcm3: density ?? 0, fraction: part.fraction };
    });
    composition = c.by === "mass" ? mixByMass(parts) : mixByVolume(parts).composition;
  }
  const material: Material = { name: entry.name, composition, densityGcm3: entry.densityGcm3, entry };
  resolved.set(entry, material);
  return material;
}

/** Density of a pure element written as its bare symbol ("Ni"), else undefined. */
function elementalDensity(formula: string): number | undefined {
  const z = atomicNumber(formula.trim());
  return z === undefined ? undefined : elementTable(z).densityGcm3;
}

/**
 * Resolve what a user typed: a library name or alias, else a chemical formula.
 * A formula needs a density, except a bare element symbol, which takes the element's
 * standard density. An explicit density overrides the library's.
 */
export function resolveMaterial(nameOrFormula: string, densityGcm3?: number): Material {
  if (densityGcm3 !== undefined && !(Number.isFinite(densityGcm3) && densityGcm3 > 0)) {
    throw new RangeError(`density must be a positive number of g/cm^3, got ${densityGcm3}`);
  }
  const entry = findMaterialEntry(nameOrFormula);
  if (entry !== undefined) {
    const m = materialFromEntry(entry);
    return densityGcm3 === undefined ? m : { ...m, densityGcm3 };
  }
  let composition: Composition;
  try {
    composition = compositionFromFormula(nameOrFormula);
  } catch (err) {
    if (!(err instanceof FormulaError)) throw err;
    throw new UnknownMaterialError(
      `unknown material "${nameOrFormula}": not a library name (see \`xtwin materials\`) and not a formula (${err.message})`,
    );
  }
  const density = densityGcm3 ?? elementalDensity(nameOrFormula);
  if (density === undefined) {
    throw new UnknownMaterialError(
      `"${nameOrFormula}" is not in the material library; as a formula it needs a density (--density <g/cm3>)`,
    );
  }
  return { name: nameOrFormula.trim(), composition, densityGcm3: density };
}
