/**
 * Elemental composition by mass, and mixing rules.
 *
 * Attenuation and energy absorption of a compound or mixture follow the mixture rule
 * mu/rho = sum_i w_i (mu/rho)_i (Hubbell & Seltzer, NISTIR 5632, section 2), valid away
 * from edges where chemical binding shifts fine structure; the same weights serve
 * delta through the electron-count sum.
 */
import { elementTable } from "./elementTable.js";
import { elementSymbol } from "./elements.js";
import { parseFormula, type Stoichiometry } from "./formula.js";

/** One element's share of a material by mass. */
export interface ElementFraction {
  readonly z: number;
  readonly massFraction: number;
}

/** Elemental mass fractions (sum 1), sorted by Z. */
export type Composition = readonly ElementFraction[];

/** Mass fractions of a formula unit: w_i = n_i A_i / sum_j n_j A_j. */
export function compositionFromStoichiometry(stoichiometry: Stoichiometry): Composition {
  let mass = 0;
  for (const [z, n] of stoichiometry) mass += n * elementTable(z).atomicWeight;
  return [...stoichiometry]
    .map(([z, n]) => ({ z, massFraction: (n * elementTable(z).atomicWeight) / mass }))
    .sort((a, b) => a.z - b.z);
}

export function compositionFromFormula(formula: string): Composition {
  return compositionFromStoichiometry(parseFormula(formula));
}

/** Molar mass of a formula unit (g/mol). */
export function molarMass(formula: string): number {
  let mass = 0;
  for (const [z, n] of parseFormula(formula)) mass += n * elementTable(z).atomicWeight;
  return mass;
}

function checkFractions(fractions: readonly number[], what: string): number {
  let sum = 0;
  fractions.forEach((f, i) => {
    if (!Number.isFinite(f) || f < 0) {
      throw new RangeError(`${what} fraction ${i + 1} must be a number >= 0, got ${f}`);
    }
    sum += f;
  });
  if (Math.abs(sum - 1) > 1e-3) {
    throw new RangeError(`${what} fractions must sum to 1, got ${+sum.toFixed(6)} (${fractions.join(" + ")})`);
  }
  return sum;
}

/** Mixture by mass fraction: w_i = sum_k f_k w_ik (fractions renormalised to sum 1). */
export function mixByMass(parts: readonly { composition: Composition; fraction: number }[]): Composition {
  const sum = checkFractions(parts.map((p) => p.fraction), "mass");
  const byZ = new Map<number, number>();
  for (const { composition, fraction } of parts) {
    for (const { z, massFraction } of composition) {
      byZ.set(z, (byZ.get(z) ?? 0) + (fraction / sum) * massFraction);
    }
  }
  return [...byZ].map(([z, massFraction]) => ({ z, massFraction })).sort((a, b) => a.z - b.z);
}

/**
 * Mixture by volume fraction: component k has mass fraction f_k rho_k / sum_j f_j rho_j
 * and the mixture density is sum_k f_k rho_k (no excess volume of mixing).
 */
export function mixByVolume(
  parts: readonly { composition: Composition; densityGcm3: number; fraction: number }[],
): { composition: Composition; densityGcm3: number } {
  const sum = checkFractions(parts.map((p) => p.fraction), "volume");
  let density = 0;
  for (const p of parts) {
    if (!(p.densityGcm3 >= 0)) throw new RangeError(`component density must be >= 0 g/cm^3, got ${p.densityGcm3}`);
    density += (p.fraction / sum) * p.densityGcm3;
  }
  if (!(density > 0)) throw new RangeError("a volume mixture needs at least one component with mass");
  const composition = mixByMass(
    parts.map((p) => ({ composition: p.composition, fraction: ((p.fraction / sum) * p.densityGcm3) / density })),
  );
  return { composition, densityGcm3: density };
}

/** "Li 0.0716, Ni 0.4827, ..." for messages and tables. */
export function describeComposition(composition: Composition, digits = 4): string {
  return composition.map((e) => `${elementSymbol(e.z)} ${e.massFraction.toFixed(digits)}`).join(", ");
}
