/**
 * The built-in material library: the named materials a phantom can be made of.
 *
 * Each entry gives the composition (a formula, or a mixture of other entries / formulas),
 * the density used for x-ray attenuation, and room-temperature thermal constants for the
 * dose / beam-heating estimate, each with the source it was taken from.
 *
 * Conventions:
 * - Active materials (cathode oxides, graphite, silicon) and solid electrolytes are the
 *   DENSE material: crystallographic (X-ray) density and, where measured, the thermal
 *   conductivity of dense material. Porous electrodes, porous separators and wetted pores are
 *   built at the phantom level by mixing these with electrolyte or air.
 * - Crystallographic densities are rho = Z * M / (N_A * V_cell) with the stated lattice
 *   parameters and current standard atomic weights.
 * - Source strings marked "[unverified]" carry a number that could not be checked against its
 *   primary source when this file was written; they are the first candidates for review.
 */
import type { MaterialEntry } from "./materialEntry.js";

export const MATERIAL_LIBRARY: readonly MaterialEntry[] = [
  // ---------------------------------------------------------------- cathode active materials
  {
    name: "NMC811",
    aliases: ["NCM811", "LiNi0.8Mn0.1Co0.1O2"],
    description: "Ni-rich layered lithium nickel manganese cobalt oxide, LiNi0.8Mn0.1Co0.1O2 (R-3m), dense particle.",
    composition: { kind: "formula", formula: "LiNi0.8Mn0.1Co0.1O2" },
    // M = 97.28 g/mol, a = 2.872 A, c = 14.20 A, Z = 3: V = 101.4 A^3 -> 4.78 g/cm^3.
    densityGcm3: 4.78,
    thermalConductivityWmK: 6.0,
    specificHeatJkgK: 730,
    sources: {
      density:
        "Crystallographic density from representative Rietveld lattice parameters of NCM811 (a ~ 2.872 A, c ~ 14.20 A), e.g. Noh, Youn, Yoon, Sun, J. Power Sources 233 (2013) 121-130.",
      thermalConductivity:
        "Dense-material estimate: first-principles lattice thermal conductivity of the LiNiO2 end member, 6.0 W/(m K) at 300 K (Yang et al., Chem. Mater. (2020), doi:10.1021/acs.chemmater.0c02908); Ni-rich NMC has no direct dense-material measurement located; composite electrodes are far lower.",
      specificHeat:
        "[unverified] ~0.73 J/(g K) at 298 K, taken by analogy with layered LiCoO2 (Jankovsky et al., Thermochim. Acta 634 (2016) 26-30, doi:10.1016/j.tca.2016.04.018).",
    },
  },
  {
    name: "NMC622",
    aliases: ["NCM622", "LiNi0.6Mn0.2Co0.2O2"],
    description: "Layered lithium nickel manganese cobalt oxide, LiNi0.6Mn0.2Co0.2O2 (R-3m), dense particle.",
    composition: { kind: "formula", formula: "LiNi0.6Mn0.2Co0.2O2" },
    // M = 96.93 g/mol, a = 2.868 A, c = 14.22 A, Z = 3: V = 101.3 A^3 -> 4.77 g/cm^3.
    densityGcm3: 4.77,
    thermalConductivityWmK: 6.0,
    specificHeatJkgK: 730,
    sources: {
      density:
        "Crystallographic density from representative Rietveld lattice parameters of NCM622 (a ~ 2.868 A, c ~ 14.22 A), e.g. Noh, Youn, Yoon, Sun, J. Power Sources 233 (2013) 121-130.",
      thermalConductivity:
        "Dense-material estimate: first-principles LiNiO2 value, 6.0 W/(m K) at 300 K (Yang et al., Chem. Mater. (2020), doi:10.1021/acs.chemmater.0c02908); no direct dense-material measurement located.",
      specificHeat:
        "[unverified] ~0.73 J/(g K) at 298 K, taken by analogy with layered LiCoO2 (Jankovsky et al., Thermochim. Acta 634 (2016) 26-30, doi:10.1016/j.tca.2016.04.018).",
    },
  },
  {
    name: "NMC111",
    aliases: ["NCM111", "NMC333", "LiNi1/3Mn1/3Co1/3O2"],
    description: "Layered lithium nickel manganese cobalt oxide, LiNi1/3Mn1/3Co1/3O2 (R-3m), dense particle.",
    composition: { kind: "formula", formula: "LiNi0.3333Mn0.3333Co0.3333O2" },
    // M = 96.45 g/mol, a = 2.860 A, c = 14.23 A, Z = 3: V = 100.8 A^3 -> 4.77 g/cm^3.
    densityGcm3: 4.77,
    thermalConductivityWmK: 6.0,
    specificHeatJkgK: 730,
    sources: {
      density:
        "Crystallographic density from representative Rietveld lattice parameters of NCM111 (a ~ 2.860 A, c ~ 14.23 A), e.g. Noh, Youn, Yoon, Sun, J. Power Sources 233 (2013) 121-130.",
      thermalConductivity:
        "Dense-material estimate: first-principles Li(Ni,Mn,Co)O2 values of 6-9 W/(m K) for the Ni and Mn end members at 300 K (Yang et al., Chem. Mater. (2020), doi:10.1021/acs.chemmater.0c02908); LiNiO2 value 6.0 used; no direct dense-material measurement located.",
      specificHeat:
        "[unverified] ~0.73 J/(g K) at 298 K, taken by analogy with layered LiCoO2 (Jankovsky et al., Thermochim. Acta 634 (2016) 26-30, doi:10.1016/j.tca.2016.04.018).",
    },
  },
  {
    name: "LCO",
    aliases: ["LiCoO2", "lithium cobalt oxide"],
    description: "Layered lithium cobalt oxide, LiCoO2 (R-3m), dense particle.",
    composition: { kind: "formula", formula: "LiCoO2" },
    // M = 97.87 g/mol, a = 2.816 A, c = 14.05 A, Z = 3: V = 96.5 A^3 -> 5.05 g/cm^3.
    densityGcm3: 5.05,
    thermalConductivityWmK: 5.4,
    specificHeatJkgK: 730,
    sources: {
      density:
        "Crystallographic density from the neutron-refined cell a = 2.816 A, c = 14.05 A (Orman and Wiseman, Acta Cryst. C40 (1984) 12-14).",
      thermalConductivity:
        "Dense (sputtered, annealed film) LiCoO2, 5.4 W/(m K) at x = 1, falling to 3.7 at x = 0.6 (Cho et al., Nat. Commun. 5 (2014) 4035, doi:10.1038/ncomms5035); composite electrodes are much lower.",
      specificHeat:
        "[unverified] ~0.73 J/(g K) (~72 J/(mol K)) at 298 K for stoichiometric LiCoO2 (Jankovsky et al., Thermochim. Acta 634 (2016) 26-30, doi:10.1016/j.tca.2016.04.018).",
    },
  },
  {
    name: "LFP",
    aliases: ["LiFePO4", "lithium iron phosphate"],
    description: "Olivine lithium iron phosphate, LiFePO4 (Pnma), dense particle (carbon coating not included).",
    composition: { kind: "formula", formula: "LiFePO4" },
    // M = 157.76 g/mol, a = 10.33 A, b = 6.01 A, c = 4.69 A, Z = 4: V = 291.2 A^3 -> 3.60 g/cm^3.
    densityGcm3: 3.6,
    thermalConductivityWmK: 1.5,
    specificHeatJkgK: 800,
    sources: {
      density:
        "Crystallographic density from the olivine cell a = 10.33 A, b = 6.01 A, c = 4.69 A (Padhi, Nanjundaswamy, Goodenough, J. Electrochem. Soc. 144 (1997) 1188).",
      thermalConductivity:
        "[unverified] order-of-magnitude placeholder for dense LiFePO4; no dense-material measurement was located (composite LFP electrodes measure well below 1 W/(m K)).",
      specificHeat:
        "[unverified] ~0.8 J/(g K) at 298 K, recalled from adiabatic/DSC heat-capacity studies of olivine LiFePO4; check against the primary calorimetry.",
    },
  },
  {
    name: "LMO",
    aliases: ["LiMn2O4", "lithium manganese oxide", "spinel LMO"],
    description: "Spinel lithium manganese oxide, LiMn2O4 (Fd-3m), dense particle.",
    composition: { kind: "formula", formula: "LiMn2O4" },
    // M = 180.81 g/mol, a = 8.24 A, Z = 8: V = 559.5 A^3 -> 4.29 g/cm^3.
    densityGcm3: 4.29,
    thermalConductivityWmK: 2.0,
    specificHeatJkgK: 720,
    sources: {
      density:
        "Crystallographic density from the spinel cell a = 8.24 A (Thackeray, David, Bruce, Goodenough, Mater. Res. Bull. 18 (1983) 461-472).",
      thermalConductivity:
        "[unverified] order-of-magnitude placeholder for dense LiMn2O4; no dense-material measurement was located.",
      specificHeat:
        "[unverified] ~0.72 J/(g K) at 298 K; Cp of LiMn2O4 from 6 to 347 K by adiabatic calorimetry is in 'Study of the phase transition and thermodynamic functions of LiMn2O4', Thermochim. Acta (2014) - value to be read from that paper.",
    },
  },
  {
    name: "NCA",
    aliases: ["LiNi0.8Co0.15Al0.05O2", "lithium nickel cobalt aluminium oxide"],
    description: "Layered lithium nickel cobalt aluminium oxide, LiNi0.8Co0.15Al0.05O2 (R-3m), dense particle.",
    composition: { kind: "formula", formula: "LiNi0.8Co0.15Al0.05O2" },
    // M = 96.08 g/mol, a = 2.865 A, c = 14.18 A, Z = 3: V = 100.8 A^3 -> 4.75 g/cm^3.
    densityGcm3: 4.75,
    thermalConductivityWmK: 6.0,
    specificHeatJkgK: 730,
    sources: {
      density:
        "[unverified] crystallographic density from representative NCA lattice parameters a ~ 2.865 A, c ~ 14.18 A (typical literature Rietveld values).",
      thermalConductivity:
        "Dense-material estimate: first-principles LiNiO2 value, 6.0 W/(m K) at 300 K (Yang et al., Chem. Mater. (2020), doi:10.1021/acs.chemmater.0c02908); no direct dense-material measurement located.",
      specificHeat:
        "[unverified] ~0.73 J/(g K) at 298 K, taken by analogy with layered LiCoO2 (Jankovsky et al., Thermochim. Acta 634 (2016) 26-30, doi:10.1016/j.tca.2016.04.018).",
    },
  },

  // ---------------------------------------------------------------- anode active materials
  {
    name: "graphite",
    aliases: ["natural graphite", "synthetic graphite"],
    description: "Graphite anode active material, C, dense crystal (Li-free).",
    composition: { kind: "formula", formula: "C" },
    densityGcm3: 2.26,
    // Cross-plane value: the conservative choice for randomly oriented flakes; in-plane is ~1950.
    thermalConductivityWmK: 5.7,
    specificHeatJkgK: 709,
    sources: {
      density: "X-ray density 2.26 g/cm^3 from the hexagonal cell a = 2.461 A, c = 6.708 A, 4 atoms per cell (Trucano and Chen, Nature 258 (1975) 136-137).",
      thermalConductivity:
        "Pyrolytic graphite at 300 K: 5.7 W/(m K) perpendicular to and ~1950 W/(m K) along the basal planes (Ho, Powell, Liley, J. Phys. Chem. Ref. Data 3 Suppl. 1 (1974), as tabulated in the CRC Handbook, 97th ed.).",
      specificHeat: "0.709 J/(g K) at 25 C (CRC Handbook of Chemistry and Physics, 97th ed., heat capacity of the elements).",
    },
  },
  {
    name: "silicon",
    aliases: ["Si anode", "crystalline silicon"],
    description: "Crystalline silicon, Si, dense (Li-free).",
    composition: { kind: "formula", formula: "Si" },
    densityGcm3: 2.329,
    thermalConductivityWmK: 148,
    specificHeatJkgK: 705,
    sources: {
      density: "2.329 g/cm^3 at 25 C (CRC Handbook of Chemistry and Physics, 97th ed., 2016).",
      thermalConductivity: "148 W/(m K) at 300 K for single-crystal Si (CRC Handbook, 97th ed., thermal conductivity of the elements).",
      specificHeat: "0.705 J/(g K) at 25 C (CRC Handbook, 97th ed., heat capacity of the elements).",
    },
  },
  {
    name: "lithium",
    aliases: ["Li metal", "Li-metal", "lithium metal"],
    description: "Lithium metal (anode foil or plated lithium), Li.",
    composition: { kind: "formula", formula: "Li" },
    densityGcm3: 0.534,
    thermalConductivityWmK: 84.8,
    specificHeatJkgK: 3582,
    sources: {
      density: "0.534 g/cm^3 at 20 C (CRC Handbook of Chemistry and Physics, 97th ed., 2016).",
      thermalConductivity: "84.8 W/(m K) at 300 K (CRC Handbook, 97th ed., thermal conductivity of the elements).",
      specificHeat: "3.582 J/(g K) at 25 C (CRC Handbook, 97th ed., heat capacity of the elements).",
    },
  },

  // ---------------------------------------------------------------- current collectors
  {
    name: "aluminium",
    aliases: ["aluminum", "Al-foil", "Al foil"],
    description: "Aluminium, Al: cathode current-collector foil.",
    composition: { kind: "formula", formula: "Al" },
    densityGcm3: 2.7,
    thermalConductivityWmK: 237,
    specificHeatJkgK: 897,
    sources: {
      density: "2.70 g/cm^3 at 20 C (CRC Handbook of Chemistry and Physics, 97th ed., 2016).",
      thermalConductivity: "237 W/(m K) at 300 K for pure Al (CRC Handbook, 97th ed.); 1xxx-series foil alloys are slightly lower.",
      specificHeat: "0.897 J/(g K) at 25 C (CRC Handbook, 97th ed., heat capacity of the elements).",
    },
  },
  {
    name: "copper",
    aliases: ["Cu-foil", "Cu foil"],
    description: "Copper, Cu: anode current-collector foil.",
    composition: { kind: "formula", formula: "Cu" },
    densityGcm3: 8.96,
    thermalConductivityWmK: 401,
    specificHeatJkgK: 385,
    sources: {
      density: "8.96 g/cm^3 at 20 C (CRC Handbook of Chemistry and Physics, 97th ed., 2016).",
      thermalConductivity: "401 W/(m K) at 300 K (CRC Handbook, 97th ed., thermal conductivity of the elements).",
      specificHeat: "0.385 J/(g K) at 25 C (CRC Handbook, 97th ed., heat capacity of the elements).",
    },
  },

  // ---------------------------------------------------------------- binder, conductive additive, CBD
  {
    name: "PVDF",
    aliases: ["polyvinylidene fluoride", "polyvinylidene difluoride", "Kynar"],
    description: "Poly(vinylidene fluoride), (C2H2F2)n: electrode binder, bulk polymer.",
    composition: { kind: "formula", formula: "C2H2F2" },
    densityGcm3: 1.78,
    thermalConductivityWmK: 0.19,
    specificHeatJkgK: 1200,
    sources: {
      density: "1.78 g/cm^3 (Arkema, Kynar PVDF Performance Characteristics & Data brochure, typical specific gravity 1.77-1.79).",
      thermalConductivity: "0.19 W/(m K) (Arkema, Kynar PVDF Performance Characteristics & Data brochure, typical property data).",
      specificHeat: "[unverified] ~1.2 J/(g K) at room temperature, typical of the Kynar data sheet range; check the current Arkema brochure.",
    },
  },
  {
    name: "carbon-black",
    aliases: ["carbon black", "Super P", "Super C65", "C65", "acetylene black"],
    description: "Amorphous conductive carbon black (e.g. Super P / C65), C, skeletal (particle) density.",
    composition: { kind: "formula", formula: "C" },
    densityGcm3: 1.9,
    thermalConductivityWmK: 1.59,
    specificHeatJkgK: 709,
    sources: {
      density: "[unverified] skeletal density of conductive carbon blacks, ~1.8-2.0 g/cm^3 (helium pycnometry; manufacturer data for Super P / C65); 1.9 adopted.",
      thermalConductivity: "Amorphous carbon, 1.59 W/(m K) at 300 K (Ho, Powell, Liley, J. Phys. Chem. Ref. Data 3 Suppl. 1 (1974), as tabulated in the CRC Handbook, 97th ed.).",
      specificHeat: "Taken equal to graphite, 0.709 J/(g K) at 25 C (CRC Handbook, 97th ed.); disordered carbons are within a few percent at room temperature.",
    },
  },
  {
    name: "CBD",
    aliases: ["carbon-binder domain", "carbon binder domain", "CBD-wet"],
    description:
      "Carbon-binder domain as imaged in a wetted cell: carbon black + PVDF (1:1 by mass) with 50 % nanoporosity filled with LP30 electrolyte.",
    composition: {
      kind: "mixture",
      by: "volume",
      // Solid part 1:1 by mass: volumes 1/1.9 : 1/1.78 -> 0.484 : 0.516 of the solid,
      // times a solid fraction of 0.5.
      components: [
        { material: "carbon-black", fraction: 0.242 },
        { material: "PVDF", fraction: 0.258 },
        { material: "LP30", fraction: 0.5 },
      ],
    },
    // 0.242*1.9 + 0.258*1.78 + 0.5*1.30 = 1.569 g/cm^3.
    densityGcm3: 1.569,
    thermalConductivityWmK: 0.33,
    specificHeatJkgK: 1200,
    sources: {
      composition:
        "Nanoporosity 0.5, a typical value for the CBD; FIB-SEM studies report CBD nanoporosities of roughly 0.4-0.6 (e.g. Vierrath et al., Electrochem. Commun. 60 (2015) 176-179; Zielke et al., Adv. Energy Mater. 5 (2015) 1401612) [unverified: exact figures of those papers]. Pores filled with LP30 because the imaged cell is wetted; carbon black:PVDF 1:1 by mass.",
      density: "Volume-weighted from the component entries carbon-black, PVDF and LP30 of this library.",
      thermalConductivity:
        "Computed, not measured: symmetric Bruggeman effective-medium value from the component conductivities (1.59, 0.19, 0.18 W/(m K)).",
      specificHeat: "Computed: mass-weighted rule of mixtures of the component specific heats (exact for heat capacity).",
    },
  },
  {
    name: "CBD-dry",
    aliases: ["carbon-binder domain dry", "dry CBD"],
    description:
      "Carbon-binder domain before electrolyte filling: carbon black + PVDF (1:1 by mass) with 50 % air-filled nanoporosity.",
    composition: {
      kind: "mixture",
      by: "volume",
      components: [
        { material: "carbon-black", fraction: 0.242 },
        { material: "PVDF", fraction: 0.258 },
        { material: "air", fraction: 0.5 },
      ],
    },
    // 0.242*1.9 + 0.258*1.78 + 0.5*0.001205 = 0.920 g/cm^3.
    densityGcm3: 0.92,
    thermalConductivityWmK: 0.16,
    specificHeatJkgK: 954,
    sources: {
      composition:
        "As CBD (nanoporosity 0.5, carbon black:PVDF 1:1 by mass) with air instead of electrolyte in the pores.",
      density: "Volume-weighted from the component entries carbon-black, PVDF and air of this library.",
      thermalConductivity:
        "Computed, not measured: symmetric Bruggeman effective-medium value from the component conductivities (1.59, 0.19, 0.0263 W/(m K)).",
      specificHeat: "Computed: mass-weighted rule of mixtures of the component specific heats.",
    },
  },

  // ---------------------------------------------------------------- liquid electrolyte
  {
    name: "LP30",
    aliases: ["1M LiPF6 EC:DMC", "1 M LiPF6 in EC/DMC", "LiPF6 EC/DMC"],
    description: "Liquid electrolyte LP30: 1 M LiPF6 in ethylene carbonate : dimethyl carbonate 1:1 by volume.",
    composition: {
      kind: "mixture",
      by: "mass",
      // Per litre of solution (rho = 1.30 g/cm^3): 1300 g total.
      //   LiPF6: 1 mol * 151.905 g/mol = 151.9 g          -> 151.9 / 1300 = 0.1169
      //   solvent: 1300 - 151.9 = 1148.1 g, EC:DMC 1:1 by volume with
      //   rho(EC) = 1.321, rho(DMC) = 1.063 g/cm^3, so EC mass share = 1.321 / (1.321 + 1.063) = 0.5541
      //   EC:  1148.1 * 0.5541 = 636.2 g                   -> 636.2 / 1300 = 0.4893
      //   DMC: 1148.1 * 0.4459 = 511.9 g                   -> 511.9 / 1300 = 0.3938
      components: [
        { material: "LiPF6", fraction: 0.1169 },
        { material: "C3H4O3", fraction: 0.4893 },
        { material: "C3H6O3", fraction: 0.3938 },
      ],
    },
    densityGcm3: 1.3,
    thermalConductivityWmK: 0.18,
    specificHeatJkgK: 1550,
    sources: {
      composition:
        "Mass fractions computed from 1 mol/L LiPF6 (151.905 g/mol), solution density 1.30 g/cm^3 and pure-solvent densities EC 1.321 g/cm^3 (liquid, 39 C; EC melts at 36 C) and DMC 1.063 g/cm^3 (25 C) (CRC Handbook, 97th ed.). Commercial 'LP30' is also sold as EC:DMC 1:1 by mass; the elemental composition differs by under 1 % of mass.",
      density: "[unverified] 1.3 g/mL at 25 C (Sigma-Aldrich product 746711, LiPF6 solution 1.0 M in EC/DMC 50/50 v/v, battery grade, data sheet).",
      thermalConductivity:
        "[unverified] ~0.18 W/(m K), the usual range for 1 M LiPF6 carbonate electrolytes (0.15-0.20); no primary LP30 measurement was confirmed. Richter et al., J. Power Sources 359 (2017) 592-600 measured how electrolyte solvent raises electrode conductivity.",
      specificHeat:
        "[unverified] estimate: mass-weighted liquid heat capacities of EC (~1.5 J/(g K)) and DMC (~1.8 J/(g K)) plus salt, ~1.55 J/(g K); no primary LP30 calorimetry was confirmed.",
    },
  },

  // ---------------------------------------------------------------- separators
  {
    name: "PE-separator",
    aliases: ["PE", "polyethylene", "polyethylene separator"],
    description:
      "Polyethylene, (C2H4)n, bulk polymer as in PE separators. Separator porosity is modelled by mixing with electrolyte at the phantom level.",
    composition: { kind: "formula", formula: "C2H4" },
    densityGcm3: 0.95,
    thermalConductivityWmK: 0.46,
    specificHeatJkgK: 1900,
    sources: {
      density: "High-density / UHMW polyethylene, 0.93-0.97 g/cm^3 (J.E. Mark (ed.), Physical Properties of Polymers Handbook, 2nd ed., Springer 2007); 0.95 adopted.",
      thermalConductivity: "[unverified] bulk HDPE ~0.44-0.50 W/(m K) at room temperature (polymer handbook range, e.g. Mark 2007); 0.46 adopted. Dry porous separators measure 0.07-0.18 W/(m K) (Richter et al., J. Power Sources 359 (2017) 592-600).",
      specificHeat: "[unverified] ~1.9 J/(g K) at 25 C for semicrystalline PE (polymer handbook range 1.8-2.3, e.g. Mark 2007).",
    },
  },
  {
    name: "PP-separator",
    aliases: ["PP", "polypropylene", "polypropylene separator"],
    description:
      "Isotactic polypropylene, (C3H6)n, bulk polymer as in PP separators. Separator porosity is modelled by mixing with electrolyte at the phantom level.",
    composition: { kind: "formula", formula: "C3H6" },
    densityGcm3: 0.905,
    thermalConductivityWmK: 0.2,
    specificHeatJkgK: 1900,
    sources: {
      density: "Isotactic polypropylene, 0.90-0.91 g/cm^3 (J.E. Mark (ed.), Physical Properties of Polymers Handbook, 2nd ed., Springer 2007).",
      thermalConductivity: "[unverified] bulk iPP ~0.17-0.22 W/(m K) at room temperature (polymer handbook range, e.g. Mark 2007); 0.20 adopted. Dry porous separators measure 0.07-0.18 W/(m K) (Richter et al., J. Power Sources 359 (2017) 592-600).",
      specificHeat: "[unverified] ~1.9 J/(g K) at 25 C for semicrystalline iPP (polymer handbook range, e.g. Mark 2007).",
    },
  },

  // ---------------------------------------------------------------- solid electrolytes
  {
    name: "LLZO",
    aliases: ["Li7La3Zr2O12", "garnet LLZO"],
    description: "Cubic garnet lithium lanthanum zirconate, Li7La3Zr2O12 (Ia-3d), dense ceramic (dopants ignored).",
    composition: { kind: "formula", formula: "Li7La3Zr2O12" },
    // M = 839.74 g/mol, a = 12.97 A, Z = 8: V = 2181.8 A^3 -> 5.11 g/cm^3.
    densityGcm3: 5.11,
    thermalConductivityWmK: 1.4,
    specificHeatJkgK: 550,
    sources: {
      density: "Crystallographic density from the cubic cell a ~ 12.97 A (Murugan, Thangadurai, Weppner, Angew. Chem. Int. Ed. 46 (2007) 7778-7781).",
      thermalConductivity:
        "Li6.4La3Zr1.4Ta0.6O12, 1.4 W/(m K) at room temperature (Cheng et al., 'Good Solid-State Electrolytes Have Low, Glass-Like Thermal Conductivity', Small 17 (2021) 2101693, doi:10.1002/smll.202101693).",
      specificHeat:
        "Ta-/Al-substituted LLZO, Cp 0.55-0.80 J/(g K) from room temperature to 1225 K by DSC; room-temperature end used (Neises et al., J. Mater. Chem. A 10 (2022) 12177-12186).",
    },
  },
  {
    name: "LPSCl",
    aliases: ["Li6PS5Cl", "argyrodite", "LPSC"],
    description: "Argyrodite sulfide solid electrolyte, Li6PS5Cl (F-43m), dense.",
    composition: { kind: "formula", formula: "Li6PS5Cl" },
    // M = 268.37 g/mol, a = 9.85 A, Z = 4: V = 955.7 A^3 -> 1.87 g/cm^3.
    // A figure of 1.64 g/cm^3 is also quoted for Li6PS5Cl; the cell volume does not reproduce it.
    densityGcm3: 1.87,
    thermalConductivityWmK: 0.5,
    specificHeatJkgK: 1208,
    sources: {
      density: "Crystallographic density from the cubic cell a ~ 9.85 A, Z = 4 (Deiseroth et al., Angew. Chem. Int. Ed. 47 (2008) 755-758).",
      thermalConductivity:
        "Sulfide and halide solid electrolytes including Li6PS5Cl measure 0.45-0.70 W/(m K) at room temperature (Cheng et al., Small 17 (2021) 2101693, doi:10.1002/smll.202101693); 0.5 adopted [unverified: exact Li6PS5Cl figure].",
      specificHeat:
        "No measured Cp of Li6PS5Cl exists (Ayadi, Nastar, Bruneval, J. Mater. Chem. A (2024), doi:10.1039/d4ta05159a); the classical Dulong-Petit limit 13 * 3R / M = 1.208 J/(g K) is used as an upper-bound placeholder.",
    },
  },

  // ---------------------------------------------------------------- interphase / degradation products
  {
    name: "LiF",
    aliases: ["lithium fluoride"],
    description: "Lithium fluoride, LiF (rock salt): SEI / CEI component.",
    composition: { kind: "formula", formula: "LiF" },
    densityGcm3: 2.635,
    thermalConductivityWmK: 11.3,
    // Cp(cr, 298.15 K) = 41.6 J/(mol K); M(LiF) = 6.94 + 18.998 = 25.938 g/mol
    // -> 41.6 / 25.938 = 1.604 J/(g K) = 1604 J/(kg K).
    specificHeatJkgK: 1604,
    sources: {
      density: "2.635 g/cm^3 (CRC Handbook of Chemistry and Physics, 97th ed., physical constants of inorganic compounds).",
      thermalConductivity: "[unverified] single-crystal LiF ~11 W/(m K) at 300 K (CRC Handbook, thermal conductivity of crystalline dielectrics); SEI-scale LiF is far lower.",
      specificHeat:
        "Cp(cr) = 41.6 J/(mol K) at 298.15 K (CRC Handbook of Chemistry and Physics, table 'Standard Thermodynamic Properties of Chemical Substances'; value read from its transcription in the CalebBell/chemicals data file 'CRC Standard Thermodynamic Properties of Chemical Substances.tsv') -> 1.604 J/(g K). The previously quoted JANAF figure of 41.9 J/(mol K) was not checked.",
    },
  },
  {
    name: "Li2CO3",
    aliases: ["lithium carbonate"],
    description: "Lithium carbonate, Li2CO3: SEI component and surface impurity on Ni-rich cathodes.",
    composition: { kind: "formula", formula: "Li2CO3" },
    densityGcm3: 2.11,
    thermalConductivityWmK: 1.0,
    // Cp(cr, 298.15 K) = 99.1 J/(mol K); M(Li2CO3) = 2*6.94 + 12.011 + 3*15.999 = 73.888 g/mol
    // -> 99.1 / 73.888 = 1.341 J/(g K) = 1341 J/(kg K).
    specificHeatJkgK: 1341,
    sources: {
      density: "2.11 g/cm^3 (CRC Handbook of Chemistry and Physics, 97th ed., physical constants of inorganic compounds).",
      thermalConductivity:
        "[unverified] order-of-magnitude placeholder; no room-temperature measurement located. First-principles lattice values for SEI compounds: Kulathuvayal and Su, Modelling 6 (2025) 89, doi:10.3390/modelling6030089.",
      specificHeat:
        "Cp(cr) = 99.1 J/(mol K) at 298.15 K (CRC Handbook of Chemistry and Physics, table 'Standard Thermodynamic Properties of Chemical Substances'; value read from its transcription in the CalebBell/chemicals data file 'CRC Standard Thermodynamic Properties of Chemical Substances.tsv') -> 1.341 J/(g K).",
    },
  },
  {
    name: "NiO",
    aliases: ["nickel oxide", "rock-salt NiO", "rocksalt NiO"],
    description: "Nickel(II) oxide, NiO (rock salt): reconstructed surface layer on degraded Ni-rich cathodes.",
    composition: { kind: "formula", formula: "NiO" },
    densityGcm3: 6.67,
    thermalConductivityWmK: 20,
    specificHeatJkgK: 593,
    sources: {
      density: "6.67 g/cm^3 (CRC Handbook of Chemistry and Physics, 97th ed., physical constants of inorganic compounds).",
      thermalConductivity: "[unverified] dense NiO, ~20 W/(m K) at room temperature (order of literature single-crystal/sintered values); nanoscale surface layers are much lower.",
      specificHeat: "[unverified] Cp = 44.3 J/(mol K) at 298.15 K (NIST-JANAF Thermochemical Tables, 4th ed., 1998) -> 0.593 J/(g K).",
    },
  },

  // ---------------------------------------------------------------- cell hardware and surroundings
  {
    name: "Kapton",
    aliases: ["Kapton HN", "polyimide", "PI"],
    description: "Polyimide film (DuPont Kapton HN), (C22H10N2O5)n: x-ray window and cell tape.",
    composition: { kind: "formula", formula: "C22H10N2O5" },
    densityGcm3: 1.42,
    thermalConductivityWmK: 0.12,
    specificHeatJkgK: 1090,
    sources: {
      density: "1.42 g/cm^3 (DuPont, Kapton HN polyimide film technical data sheet).",
      thermalConductivity: "0.12 W/(m K) at 23 C (DuPont, Kapton HN polyimide film technical data sheet).",
      specificHeat: "1.09 J/(g K) (DuPont, Kapton HN polyimide film technical data sheet).",
    },
  },
  {
    name: "air",
    aliases: ["dry air"],
    description: "Dry air near sea level (20 C, 1 atm).",
    composition: {
      kind: "mixture",
      by: "mass",
      components: [
        { material: "N", fraction: 0.755268 },
        { material: "O", fraction: 0.231781 },
        { material: "Ar", fraction: 0.012827 },
        { material: "C", fraction: 0.000124 },
      ],
    },
    densityGcm3: 0.001205,
    thermalConductivityWmK: 0.0263,
    specificHeatJkgK: 1007,
    sources: {
      composition: "NIST X-ray mass attenuation coefficient tables (Hubbell and Seltzer), 'Air, dry (near sea level)' composition by mass.",
      density: "0.001205 g/cm^3 (NIST, Hubbell and Seltzer tables, 'Air, dry (near sea level)').",
      thermalConductivity: "0.0263 W/(m K) at 300 K (Incropera, DeWitt, Bergman, Lavine, Fundamentals of Heat and Mass Transfer, Table A.4).",
      specificHeat: "1.007 J/(g K) at 300 K (Incropera, DeWitt, Bergman, Lavine, Fundamentals of Heat and Mass Transfer, Table A.4).",
    },
  },
  {
    name: "water",
    aliases: ["liquid water"],
    description: "Liquid water, H2O, at 25 C (calibration phantoms, aqueous electrolytes).",
    composition: { kind: "formula", formula: "H2O" },
    densityGcm3: 0.997,
    thermalConductivityWmK: 0.607,
    specificHeatJkgK: 4181,
    sources: {
      density: "0.99705 g/cm^3 at 25 C, 1 atm (NIST Chemistry WebBook, fluid properties, IAPWS-95 formulation).",
      thermalConductivity: "0.6065 W/(m K) at 25 C (NIST Chemistry WebBook, IAPWS 2011 formulation).",
      specificHeat: "4.1813 J/(g K) at 25 C (NIST Chemistry WebBook, IAPWS-95 formulation).",
    },
  },
];
