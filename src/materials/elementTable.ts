/**
 * Per-element x-ray interaction tables and their interpolation.
 *
 * The data (src/materials/data/elementTables.ts) are generated from xraylib by
 * scripts/generate_element_tables.py. Each absorption edge appears twice in an element's
 * energy grid, below then above; interpolation is log-log for cross sections (they follow
 * power laws between edges) and linear in ln E for f1, the fluorescence energy and the
 * incoherent energy-transfer fraction, always inside one interval, never across an edge.
 */
import { ELEMENT_TABLE_RECORDS, ELEMENT_TABLE_SOURCE } from "./data/elementTables.js";
import { MAX_ATOMIC_NUMBER, elementSymbol } from "./elements.js";

/** Public energy range of the optics layer (keV). */
export const MIN_ENERGY_KEV = 1;
export const MAX_ENERGY_KEV: number = ELEMENT_TABLE_SOURCE.energyRangeKeV[1];

export interface AbsorptionEdge {
  /** Shell: K, L1..L3, M1..M5, N1..N7. */
  readonly shell: string;
  readonly energyKeV: number;
  /** Ratio of photoelectric cross section just above to just below the edge. */
  readonly jumpRatio: number;
}

/** What one element does to a photon of one energy; filled in place by `evaluate`. */
export interface ElementInteraction {
  /** Photoelectric mass cross section tau/rho (cm^2/g). */
  photo: number;
  /** Coherent (Rayleigh) mass cross section (cm^2/g). */
  coherent: number;
  /** Incoherent (Compton) mass cross section (cm^2/g). */
  incoherent: number;
  /** Real part of the forward scattering factor, f1 = Z + f' (electrons/atom). */
  f1: number;
  /** Mean fluorescence energy leaving per photoabsorption (keV). */
  fluorescenceKeV: number;
  /** Mean fraction of the photon energy given to the electron per incoherent scattering. */
  incoherentTransfer: number;
}

interface ElementRecord {
  Z: number;
  symbol: string;
  atomicWeight: number;
  densityGcm3: number;
  edges: [string, number, number][];
  energyKeV: number[];
  photo: number[];
  coherent: number[];
  incoherent: number[];
  f1: number[];
  fluorescenceKeV: number[];
  incoherentTransfer: number[];
}

export function newElementInteraction(): ElementInteraction {
  return { photo: 0, coherent: 0, incoherent: 0, f1: 0, fluorescenceKeV: 0, incoherentTransfer: 0 };
}

export class ElementTable {
  readonly z: number;
  readonly symbol: string;
  /** Standard atomic weight (g/mol). */
  readonly atomicWeight: number;
  /** Density of the element in its usual standard state (g/cm^3). */
  readonly densityGcm3: number;
  readonly edges: readonly AbsorptionEdge[];
  readonly energyKeV: Float64Array;
  private readonly lnEnergy: Float64Array;
  private readonly lnPhoto: Float64Array;
  private readonly lnCoherent: Float64Array;
  private readonly lnIncoherent: Float64Array;
  private readonly f1: Float64Array;
  private readonly fluorescenceKeV: Float64Array;
  private readonly incoherentTransfer: Float64Array;

  constructor(record: ElementRecord) {
    this.z = record.Z;
    this.symbol = record.symbol;
    this.atomicWeight = record.atomicWeight;
    this.densityGcm3 = record.densityGcm3;
    this.edges = record.edges.map(([shell, energyKeV, jumpRatio]) => ({ shell, energyKeV, jumpRatio }));
    this.energyKeV = Float64Array.from(record.energyKeV);
    const ln = (xs: number[]) => Float64Array.from(xs, Math.log);
    this.lnEnergy = ln(record.energyKeV);
    this.lnPhoto = ln(record.photo);
    this.lnCoherent = ln(record.coherent);
    this.lnIncoherent = ln(record.incoherent);
    this.f1 = Float64Array.from(record.f1);
    this.fluorescenceKeV = Float64Array.from(record.fluorescenceKeV);
    this.incoherentTransfer = Float64Array.from(record.incoherentTransfer);
  }

  /**
   * Index i of the grid interval [E_i, E_i+1] that holds `energyKeV`, with E_i < E_i+1.
   * Exactly at an edge the interval above the edge is chosen (absorption at the edge
   * energy is the above-edge value).
   */
  interval(energyKeV: number): number {
    const e = this.energyKeV;
    let lo = 0;
    let hi = e.length - 1;
    // Largest i with e[i] <= energy; the duplicate edge point makes that the upper copy.
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (e[mid]! <= energyKeV) lo = mid;
      else hi = mid;
    }
    if (e[hi]! <= energyKeV && hi < e.length - 1) lo = hi;
    return Math.min(lo, e.length - 2);
  }

  /**
   * Interpolate every tabulated quantity at `energyKeV` into `out` (no allocation).
   * `lnEnergy` = ln(energyKeV) may be passed by a caller that evaluates many elements.
   */
  evaluate(energyKeV: number, out: ElementInteraction, lnEnergy = Math.log(energyKeV)): ElementInteraction {
    const i = this.interval(energyKeV);
    const lnE = lnEnergy;
    const t = (lnE - this.lnEnergy[i]!) / (this.lnEnergy[i + 1]! - this.lnEnergy[i]!);
    out.photo = Math.exp(lerp(this.lnPhoto, i, t));
    out.coherent = Math.exp(lerp(this.lnCoherent, i, t));
    out.incoherent = Math.exp(lerp(this.lnIncoherent, i, t));
    out.f1 = lerp(this.f1, i, t);
    out.fluorescenceKeV = lerp(this.fluorescenceKeV, i, t);
    out.incoherentTransfer = lerp(this.incoherentTransfer, i, t);
    return out;
  }
}

function lerp(ys: Float64Array, i: number, t: number): number {
  return ys[i]! + t * (ys[i + 1]! - ys[i]!);
}

let recordLines: string[] | undefined;
const tables: (ElementTable | undefined)[] = [];

/** The interaction table of element Z (parsed on first use, then cached). */
export function elementTable(z: number): ElementTable {
  if (!Number.isInteger(z) || z < 1 || z > MAX_ATOMIC_NUMBER) {
    throw new RangeError(`atomic number must be an integer from 1 to ${MAX_ATOMIC_NUMBER}, got ${z}`);
  }
  let table = tables[z];
  if (table === undefined) {
    recordLines ??= ELEMENT_TABLE_RECORDS.split("\n").filter((line) => line.length > 0);
    const record = JSON.parse(recordLines[z - 1]!) as ElementRecord;
    if (record.Z !== z || record.symbol !== elementSymbol(z)) {
      throw new Error(`element table is corrupt: line ${z} holds Z=${record.Z} (${record.symbol})`);
    }
    table = new ElementTable(record);
    tables[z] = table;
  }
  return table;
}

/** Throws a RangeError naming the value unless 1 keV <= energy <= 200 keV. */
export function assertPhotonEnergy(energyKeV: number, what = "photon energy"): void {
  if (!Number.isFinite(energyKeV) || energyKeV < MIN_ENERGY_KEV || energyKeV > MAX_ENERGY_KEV) {
    throw new RangeError(
      `${what} must be between ${MIN_ENERGY_KEV} and ${MAX_ENERGY_KEV} keV, got ${energyKeV} keV`,
    );
  }
}
