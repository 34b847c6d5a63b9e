/**
 * The shape of one named material in xtwin's library.
 *
 * A material is either a chemical formula (stoichiometric, fractional allowed) or a
 * mixture of other library materials / formulas, by mass or by volume fraction.
 * Every physical number carries the source it was taken from, so that docs/materials.md
 * can list them and a user can check them.
 */

/** One component of a mixture: a library material name or a chemical formula. */
export interface MixtureComponent {
  /** Library name (e.g. "PVDF") or chemical formula (e.g. "LiPF6"). */
  readonly material: string;
  /** Mass fraction (by: "mass") or volume fraction (by: "volume"); fractions sum to 1. */
  readonly fraction: number;
  /**
   * Density of this component in g/cm^3, needed only for a volume mixture when the
   * component is a bare formula with no library entry.
   */
  readonly densityGcm3?: number;
}

export type MaterialComposition =
  | { readonly kind: "formula"; readonly formula: string }
  | {
      readonly kind: "mixture";
      readonly by: "mass" | "volume";
      readonly components: readonly MixtureComponent[];
    };

/** A named material: composition, density and thermal constants, each with its source. */
export interface MaterialEntry {
  /** Library key, as users type it: "NMC811", "LP30", "graphite". */
  readonly name: string;
  /** Other accepted names (case-insensitive matching is done by the library). */
  readonly aliases?: readonly string[];
  /** One line a battery scientist recognises: what this is. */
  readonly description: string;
  readonly composition: MaterialComposition;
  /** Bulk (or, for a porous domain, effective) density, g/cm^3. */
  readonly densityGcm3: number;
  /** Thermal conductivity at room temperature, W/(m K). */
  readonly thermalConductivityWmK: number;
  /** Specific heat capacity at room temperature, J/(kg K). */
  readonly specificHeatJkgK: number;
  /** Where each number comes from: a paper (with DOI), handbook or data table. */
  readonly sources: {
    readonly density: string;
    readonly thermalConductivity: string;
    readonly specificHeat: string;
    readonly composition?: string;
  };
}
