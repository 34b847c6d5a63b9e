/**
 * Data the beam-damage model needs about liquid carbonate electrolytes: the boiling point
 * of each solvent, which solvents each named electrolyte holds, and the radiolytic gas
 * yield and gas solubility that decide when dissolved radiolysis gas forms a bubble.
 *
 * Every number names its source. Numbers that could not be checked against the primary
 * source while writing this module carry the tag `[unverified]`: treat them as
 * order-of-magnitude parameters and override them (BubbleModel options) when better
 * values are known.
 *
 * Pure module (no Node APIs).
 */
import { AVOGADRO, ELECTRONVOLT_J, GAS_CONSTANT_J_PER_MOL_K } from "../core/constants.js";
import { findMaterialEntry } from "../materials/library.js";

export { GAS_CONSTANT_J_PER_MOL_K };

/** Standard atmosphere (Pa): the fixed pressure of the bubble model. */
export const ATMOSPHERE_PA = 101325;

/** Offset from degrees Celsius to kelvin. */
const ZERO_CELSIUS_K = 273.15;

export type SolventName = "EC" | "DMC" | "EMC" | "DEC";

export interface SolventData {
  readonly name: SolventName;
  readonly fullName: string;
  readonly formula: string;
  readonly molarMassGmol: number;
  /** Normal boiling point (at 1 atm), K. */
  readonly boilingPointK: number;
  readonly source: string;
}

/**
 * Normal boiling points. The values are those of the CRC Handbook of Chemistry and Physics,
 * 97th ed. (W. M. Haynes, ed., CRC Press 2016), section 3 "Physical Constants of Organic
 * Compounds", and of the PubChem compound records (https://pubchem.ncbi.nlm.nih.gov/compound/<CID>);
 * sources quote 90-91 C for DMC, 107-110 C for EMC, 126-128 C for DEC and 243-248 C for EC.
 * [unverified: the exact printed table entries were not re-read for this module.]
 */
export const SOLVENTS: Readonly<Record<SolventName, SolventData>> = {
  EC: {
    name: "EC",
    fullName: "ethylene carbonate",
    formula: "C3H4O3",
    molarMassGmol: 88.06,
    boilingPointK: 248 + ZERO_CELSIUS_K,
    source: "CRC Handbook 97th ed. (2016) sec. 3; PubChem CID 7303 (https://pubchem.ncbi.nlm.nih.gov/compound/7303) [unverified: exact entry]",
  },
  DMC: {
    name: "DMC",
    fullName: "dimethyl carbonate",
    formula: "C3H6O3",
    molarMassGmol: 90.08,
    boilingPointK: 90 + ZERO_CELSIUS_K,
    source: "CRC Handbook 97th ed. (2016) sec. 3; PubChem CID 12021 (https://pubchem.ncbi.nlm.nih.gov/compound/12021) [unverified: exact entry]",
  },
  EMC: {
    name: "EMC",
    fullName: "ethyl methyl carbonate",
    formula: "C4H8O3",
    molarMassGmol: 104.1,
    boilingPointK: 107 + ZERO_CELSIUS_K,
    source: "PubChem CID 522046 (https://pubchem.ncbi.nlm.nih.gov/compound/522046) [unverified: exact entry; suppliers quote 107-110 C]",
  },
  DEC: {
    name: "DEC",
    fullName: "diethyl carbonate",
    formula: "C5H10O3",
    molarMassGmol: 118.13,
    boilingPointK: 126 + ZERO_CELSIUS_K,
    source: "CRC Handbook 97th ed. (2016) sec. 3; PubChem CID 7766 (https://pubchem.ncbi.nlm.nih.gov/compound/7766) [unverified: exact entry]",
  },
};

export interface ElectrolyteSolvents {
  /** Name as in the material library (or the commercial name when not in the library). */
  readonly electrolyte: string;
  readonly salt: string;
  /** Solvent shares; `ratioBasis` says whether by mass or by volume. */
  readonly solvents: readonly { readonly solvent: SolventName; readonly fraction: number }[];
  readonly ratioBasis: "mass" | "volume";
  readonly source: string;
}

/**
 * Solvents of common 1 M LiPF6 electrolytes (the BASF / Gotion "Selectilyte" LP names).
 * Only LP30 is in xtwin's material library; the others are listed so that a scene using
 * them (with a library entry added later) gets its threshold.
 */
export const ELECTROLYTES: readonly ElectrolyteSolvents[] = [
  {
    electrolyte: "LP30",
    salt: "LiPF6 1 M",
    solvents: [
      { solvent: "EC", fraction: 0.5 },
      { solvent: "DMC", fraction: 0.5 },
    ],
    // The library entry (src/materials/libraryData.ts) is built 1:1 by volume (Sigma-Aldrich
    // 746711); commercial LP30 is also sold 1:1 by weight. Either way the solvents are EC
    // and DMC, which is all the boiling threshold depends on.
    ratioBasis: "volume",
    source: "xtwin material library entry LP30 (EC:DMC 1:1 v/v, Sigma-Aldrich 746711); also sold EC:DMC 1:1 w/w",
  },
  {
    electrolyte: "LP40",
    salt: "LiPF6 1 M",
    solvents: [
      { solvent: "EC", fraction: 0.5 },
      { solvent: "DEC", fraction: 0.5 },
    ],
    ratioBasis: "mass",
    source: "Selectilyte LP40: 1 M LiPF6 in EC:DEC 1:1 [unverified: w/w vs v/v]",
  },
  {
    electrolyte: "LP57",
    salt: "LiPF6 1 M",
    solvents: [
      { solvent: "EC", fraction: 0.3 },
      { solvent: "EMC", fraction: 0.7 },
    ],
    ratioBasis: "mass",
    source: "Selectilyte LP57: 1 M LiPF6 in EC:EMC 3:7 [unverified: w/w vs v/v]",
  },
  {
    electrolyte: "LP71",
    salt: "LiPF6 1 M",
    solvents: [
      { solvent: "EC", fraction: 1 / 3 },
      { solvent: "DEC", fraction: 1 / 3 },
      { solvent: "DMC", fraction: 1 / 3 },
    ],
    ratioBasis: "mass",
    source: "Selectilyte LP71: 1 M LiPF6 in EC:DEC:DMC 1:1:1 [unverified: w/w vs v/v]",
  },
];

const key = (s: string) => s.trim().toLowerCase();

/**
 * The solvents of a named electrolyte, or undefined when it is not a known liquid
 * electrolyte. Library aliases resolve ("1M LiPF6 EC:DMC" is LP30).
 */
export function findElectrolyteSolvents(name: string): ElectrolyteSolvents | undefined {
  const canonical = findMaterialEntry(name)?.name ?? name;
  return ELECTROLYTES.find((e) => key(e.electrolyte) === key(canonical));
}

/** The solvents of a named electrolyte; RangeError when it is not a known one. */
export function electrolyteSolvents(name: string): ElectrolyteSolvents {
  const e = findElectrolyteSolvents(name);
  if (e === undefined) {
    throw new RangeError(
      `"${name}" is not a known liquid electrolyte; known: ${ELECTROLYTES.map((x) => x.electrolyte).join(", ")} (or give thresholdK explicitly)`,
    );
  }
  return e;
}

/**
 * The temperature (K) at which a named electrolyte starts to boil at 1 atm, taken as the
 * normal boiling point of its lowest-boiling solvent.
 *
 * Simplification: a real mixture's bubble point lies between the pure-solvent boiling
 * points (Raoult's law, raised further by the salt's boiling-point elevation), so for
 * EC:DMC it is above 90 C. Using the most volatile solvent is the conservative choice for
 * dose planning: it is the earliest temperature at which vapour can form.
 */
export function boilingThresholdK(name: string): number {
  let t = Infinity;
  for (const s of electrolyteSolvents(name).solvents) t = Math.min(t, SOLVENTS[s.solvent].boilingPointK);
  return t;
}

/** Molecules per 100 eV absorbed (a radiation-chemical G-value) to mol/J. */
export function gValueToMolPerJ(moleculesPer100eV: number): number {
  return moleculesPer100eV / (100 * ELECTRONVOLT_J * AVOGADRO);
}

export interface RadiolyticGasData {
  /** Total permanent-gas yield (H2 + CH4 + C2H6 + CO + CO2), molecules per 100 eV. */
  readonly gasYieldPer100eV: number;
  /** The same in mol/J. */
  readonly gasYieldMolPerJ: number;
  /** Effective solubility of that gas mixture in the electrolyte at 1 atm, mol/m^3. */
  readonly solubilityMolPerM3: number;
  readonly sources: { readonly gasYield: string; readonly solubility: string };
}

const DEFAULT_G_PER_100_EV = 2;

/**
 * Default radiolytic gas data for carbonate electrolytes under X-ray / gamma irradiation.
 *
 * G-value: gamma and electron radiolysis of DMC, DEC and EC/DEC with and without LiPF6
 * yields mainly H2, CH4, C2H6, CO and CO2 (D. Ortiz et al., "Radiolysis as a solution for
 * accelerated ageing studies of electrolytes in Lithium-ion batteries", Nat. Commun. 6
 * (2015) 6950, doi:10.1038/ncomms7950; F. Wang et al., ChemPhysChem 18 (2017) 2799-2806,
 * doi:10.1002/cphc.201700320). Their per-gas yields were not available while writing this
 * module; the total used, 2 molecules/100 eV (2.1e-7 mol/J), is an order-of-magnitude value
 * typical of the gas yields of organic liquids [unverified].
 *
 * Solubility: H2, CO and CH4 dissolve poorly in organic liquids (a few mol/m^3 at 1 atm;
 * for comparison H2 in water is ~0.8 mol/m^3 at 1 atm, R. Sander, Atmos. Chem. Phys. 15
 * (2015) 4399-4981, doi:10.5194/acp-15-4399-2015), CO2 much better. 5 mol/m^3 is an assumed
 * effective value for the mixture [unverified].
 */
export const RADIOLYTIC_GAS_DEFAULTS: RadiolyticGasData = {
  gasYieldPer100eV: DEFAULT_G_PER_100_EV,
  gasYieldMolPerJ: gValueToMolPerJ(DEFAULT_G_PER_100_EV),
  solubilityMolPerM3: 5,
  sources: {
    gasYield:
      "[unverified] order of magnitude; gases identified by Ortiz et al., Nat. Commun. 6 (2015) 6950, doi:10.1038/ncomms7950 and Wang et al., ChemPhysChem 18 (2017) 2799, doi:10.1002/cphc.201700320",
    solubility: "[unverified] assumed effective Henry's-law solubility of the H2/CO/CH4/CO2 mixture at 1 atm",
  },
};
