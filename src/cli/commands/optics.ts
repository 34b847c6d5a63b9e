/**
 * `xtwin optics`: x-ray optical constants of a material, the library table, or the
 * dose-efficient energy for telling two materials apart.
 */
import { DENSITY_GCM3, ENERGY_KEV, LENGTH_M, parseQuantity, parseQuantityList } from "../../core/units.js";
import { contrastEnergyCurve, logEnergyGrid, ROSE_CNR } from "../../materials/contrastEnergy.js";
import { assertPhotonEnergy, MAX_ENERGY_KEV, MIN_ENERGY_KEV } from "../../materials/elementTable.js";
import { libraryEntries, materialFromEntry, resolveMaterial } from "../../materials/library.js";
import { materialOptics, opticalContrast, type MaterialOptics } from "../../materials/optics.js";
import { formatLength, formatTable, sig } from "../format.js";
import { UsageError } from "../usageError.js";

export interface OpticsOptions {
  material?: string;
  density?: string;
  energy?: string;
  json?: boolean;
  library?: boolean;
  contrast?: string;
  thickness?: string;
  detail?: string;
  pixel?: string;
  energyRange?: string;
}

export function opticsCommand(options: OpticsOptions): string {
  const modes = [options.material, options.library, options.contrast].filter((m) => m !== undefined && m !== false);
  if (modes.length !== 1) {
    throw new UsageError("optics: give exactly one of --material <name|formula>, --library or --contrast A,B");
  }
  if (options.contrast !== undefined) return contrastReport(options);
  const energies = parseEnergies(options.energy);
  if (options.library) return libraryReport(energies, options.json === true);
  const density = options.density === undefined ? undefined : parseQuantity(options.density, DENSITY_GCM3, "--density");
  const material = resolveMaterial(options.material!, density);
  const rows = energies.map((e) => materialOptics(material, e));
  if (options.json) return JSON.stringify(rows, null, 2);
  return [materialHeading(material.name, material.densityGcm3), opticsTableText(rows)].join("\n");
}

function parseEnergies(text: string | undefined): number[] {
  if (text === undefined) throw new UsageError('optics: --energy is required, e.g. --energy 8,20,30 (keV)');
  const energies = parseQuantityList(text, ENERGY_KEV, "--energy");
  if (energies.length === 0) throw new UsageError(`--energy: expected one or more energies such as "20 keV", got "${text}"`);
  for (const e of energies) assertPhotonEnergy(e, "--energy");
  return energies;
}

function materialHeading(name: string, densityGcm3: number): string {
  return `${name}, ${sig(densityGcm3)} g/cm^3`;
}

function opticsTableText(rows: readonly MaterialOptics[]): string {
  return formatTable(
    ["E (keV)", "mu/rho", "photo", "coherent", "incoh.", "mu_en/rho", "mu (1/m)", "delta", "beta", "1/mu"],
    rows.map((r) => [
      sig(r.energyKeV),
      sig(r.muRho),
      sig(r.muRhoPhoto),
      sig(r.muRhoCoherent),
      sig(r.muRhoIncoherent),
      sig(r.muEnRho),
      sig(r.mu),
      ...indexCells(r),
    ]),
  ) + "\n(mass coefficients in cm^2/g; 1/mu is the attenuation length)";
}

/** delta, beta and the attenuation length, as both optics tables print them. */
function indexCells(r: MaterialOptics): string[] {
  return [r.delta.toExponential(3), r.beta.toExponential(3), formatLength(r.attenuationLengthM)];
}

function libraryReport(energies: readonly number[], json: boolean): string {
  const rows = libraryEntries().flatMap((entry) => {
    const material = materialFromEntry(entry);
    return energies.map((e) => materialOptics(material, e));
  });
  if (json) return JSON.stringify(rows, null, 2);
  return (
    `X-ray optics of the xtwin material library at ${energies.map((e) => sig(e)).join(", ")} keV\n` +
    formatTable(
      ["material", "rho (g/cm^3)", "E (keV)", "mu/rho (cm^2/g)", "mu_en/rho (cm^2/g)", "delta", "beta", "1/mu"],
      rows.map((r) => [
        r.material,
        sig(r.densityGcm3),
        sig(r.energyKeV),
        sig(r.muRho),
        sig(r.muEnRho),
        ...indexCells(r),
      ]),
      1,
    )
  );
}

function contrastReport(options: OpticsOptions): string {
  const names = options.contrast!.split(",").map((s) => s.trim());
  if (names.length !== 2 || names.some((n) => n.length === 0)) {
    throw new UsageError(`--contrast: expected two materials "A,B", got "${options.contrast}"`);
  }
  if (options.thickness === undefined) throw new UsageError('optics --contrast needs --thickness, e.g. --thickness "1 mm"');
  const thicknessM = parseQuantity(options.thickness, LENGTH_M, "--thickness");
  const detailM = options.detail === undefined ? 1e-6 : parseQuantity(options.detail, LENGTH_M, "--detail");
  const pixelM = options.pixel === undefined ? 1e-6 : parseQuantity(options.pixel, LENGTH_M, "--pixel");
  let [lo, hi] = [MIN_ENERGY_KEV, MAX_ENERGY_KEV];
  if (options.energyRange !== undefined) {
    const range = parseQuantityList(options.energyRange, ENERGY_KEV, "--energy-range");
    if (range.length !== 2 || !(range[0]! < range[1]!)) {
      throw new UsageError(`--energy-range: expected "low,high" such as "5,60", got "${options.energyRange}"`);
    }
    [lo, hi] = range as [number, number];
    assertPhotonEnergy(lo, "--energy-range");
    assertPhotonEnergy(hi, "--energy-range");
  }
  const a = resolveMaterial(names[0]!);
  const b = resolveMaterial(names[1]!);
  const result = contrastEnergyCurve(a, b, { thicknessM, detailM, pixelM, energiesKeV: logEnergyGrid(lo, hi, 400) });
  if (!(result.best.cnr2PerGy > 0)) {
    throw new UsageError(`${a.name} and ${b.name} have no absorption contrast between ${lo} and ${hi} keV`);
  }
  const phase = opticalContrast(a, b, result.best.energyKeV, detailM);
  if (options.json) return JSON.stringify({ ...result, phaseToAbsorptionAtBest: phase.phaseToAbsorption }, null, 2);
  const b0 = result.best;
  // Show the part of the curve within a factor 1000 of the best, about 40 rows.
  const useful = result.curve.filter((p) => p.cnr2PerGy >= 1e-3 * b0.cnr2PerGy);
  const step = Math.max(1, Math.round(useful.length / 40));
  const shown = useful.filter((_, i) => i % step === 0);
  return [
    `Telling ${a.name} from ${b.name}: a ${formatLength(detailM)} detail of ${a.name} in ${formatLength(thicknessM)} of ${b.name}, ` +
      `${formatLength(pixelM)} pixels, absorption contrast, monochromatic beam`,
    `Best energy for CNR^2 per dose: ${sig(b0.energyKeV)} keV (transmission ${sig(100 * b0.transmission, 3)} %, ` +
      `CNR^2/dose ${sig(b0.cnr2PerGy, 3)} per Gy; CNR ${ROSE_CNR} needs ${sig(b0.roseDoseGy, 3)} Gy)`,
    `Phase contrast there is ${sig(Math.abs(phase.phaseToAbsorption), 3)} times the absorption contrast (|d delta / d beta|).`,
    "",
    formatTable(
      ["E (keV)", "mu_A (1/m)", "mu_B (1/m)", "T", "CNR^2/photon", "CNR^2/Gy", `dose CNR=${ROSE_CNR} (Gy)`],
      shown.map((p) => [
        sig(p.energyKeV),
        sig(p.muA),
        sig(p.muB),
        sig(p.transmission, 3),
        sig(p.cnr2PerPhoton, 3),
        sig(p.cnr2PerGy, 3),
        sig(p.roseDoseGy, 3),
      ]),
    ),
    "",
    "Figure of merit: CNR^2 per mean dose in the sample (docs/materials.md, 'Choosing the energy').",
  ].join("\n");
}
