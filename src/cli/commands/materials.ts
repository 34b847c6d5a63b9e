/** `xtwin materials [--json]`: the material library. */
import { describeComposition } from "../../materials/composition.js";
import { libraryEntries, materialFromEntry } from "../../materials/library.js";
import { elementSymbol } from "../../materials/elements.js";
import { formatTable, sig } from "../format.js";

export function materialsCommand(options: { json?: boolean }): string {
  const entries = libraryEntries();
  if (options.json) {
    return JSON.stringify(
      entries.map((entry) => ({
        ...entry,
        massFractions: Object.fromEntries(
          materialFromEntry(entry).composition.map((e) => [elementSymbol(e.z), e.massFraction]),
        ),
      })),
      null,
      2,
    );
  }
  const rows = entries.map((e) => [
    e.name,
    e.composition.kind === "formula" ? e.composition.formula : `mixture by ${e.composition.by}`,
    sig(e.densityGcm3),
    sig(e.thermalConductivityWmK, 3),
    sig(e.specificHeatJkgK, 4),
  ]);
  const table = formatTable(["material", "composition", "rho (g/cm^3)", "k (W/m/K)", "cp (J/kg/K)"], rows, 2);
  const mixtures = entries
    .filter((e) => e.composition.kind === "mixture")
    .map((e) => `  ${e.name}: ${describeComposition(materialFromEntry(e).composition, 3)}`);
  return [
    table,
    "",
    "Mixtures by element mass fraction:",
    ...mixtures,
    "",
    "Sources: `xtwin materials --json` or docs/materials.md.",
  ].join("\n");
}
