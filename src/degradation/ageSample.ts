/**
 * The sample after N cycles: a copy of the pristine microstructure with the morphology of
 * one ageing record (ageing.ts) written into it (morphology.ts, dendrites.ts), so it can be
 * scanned like any phantom. Only what the sample holds is aged: cracks, rock-salt and
 * isolation need the cathode class, SEI, plating and deposits the anode class, dendrites a
 * separator.
 *
 * Mapping from the record (all documented in docs/degradation.md):
 * - cracks: `crackVolumeFraction` (the cracked zone of the cathode particles) times
 *   CRACK_OPENING_M / voxel size is the fraction of their grain-boundary area opened, one
 *   voxel wide, as the class "crack": a voxel is far wider than a crack, so fewer boundaries
 *   open and the crack void volume stays about what cracks of the physical opening would hold;
 * - rock-salt: an inward shell of `rockSaltThicknessM` on the cathode particles;
 * - SEI: an outward shell of `seiThicknessM` on the anode particles;
 * - plated lithium: `platedLiVolumeFraction` x the anode layer's volume, at the separator side;
 * - deposit: the transition metal on the anode (mol/m^2 x the cross-section x nickel's molar
 *   volume) as an even film on the anode particles;
 * - isolation: `lamFraction` of the cathode particles lose their carbon-binder contacts;
 * - dendrites: DENDRITE_SHARE_OF_PLATING of the plated lithium's volume grows as seeded
 *   filaments from the anode into the separator towards the cathode (dendrites.ts), before any
 *   other change, so the walk depends only on the pristine sample and the seed; a bridge is an
 *   internal short. `dendriteVoxelsToShort` finds the smallest budget that bridges, so the
 *   cycle loop can report the short at the cycle whose plating first reaches it.
 * Films thinner than a voxel are placed by seeded stochastic rounding (morphology.ts).
 */
import { copyMicrostructure } from "../phantoms/microstructure/rasterize.js";
import type { Microstructure, ZRange } from "../phantoms/microstructure/types.js";
import type { DegradationRecord } from "./ageing.js";
import { growDendrites } from "./dendrites.js";
import { classLabel, depositLayer, growShell, isolateParticles, openGrainBoundaryCracks } from "./morphology.js";

/** Opening of an intergranular crack in a cycled NMC secondary particle (m): ~0.1 um [unverified]. */
export const CRACK_OPENING_M = 0.1e-6;

/**
 * Share of the plated lithium that grows as filaments into the separator rather than as a
 * film on the anode: 0.05 [unverified placeholder; no measured partition of mossy vs
 * filamentary lithium on graphite was found].
 */
export const DENDRITE_SHARE_OF_PLATING = 0.05;

/** Molar volume of nickel metal (m^3/mol): 58.69 g/mol / 8.908 g/cm^3 (CRC Handbook). */
const NICKEL_MOLAR_VOLUME_M3_PER_MOL = 58.6934e-3 / 8908;

/** Materials of the aged classes (library names), for the scan's optics. */
export const AGED_CLASS_MATERIALS: Readonly<Record<string, string>> = {
  // Cracks fill with the electrolyte; the class keeps them apart in the truth.
  crack: "LP30",
  "rock-salt": "NiO",
  // The SEI is a mixture of Li2CO3, LiF, Li2O and organics; Li2CO3 stands in for its optics.
  SEI: "Li2CO3",
  "plated-Li": "lithium",
  dendrite: "lithium",
  deposit: "Ni",
};

export interface AgeSampleOptions {
  readonly cathodeClass?: string;
  readonly anodeClass?: string;
  /** Which way the cathode lies from the anode along z (default: from the class positions). */
  readonly cathodeTowards?: "+z" | "-z";
  /**
   * Seed of the dendrite walk (default: the seed of the call). Give every cycle of a cell the
   * same one, so its dendrites grow as one walk with a rising budget, as dendriteVoxelsToShort assumes.
   */
  readonly dendriteSeed?: number;
}

export interface AgedSample {
  readonly microstructure: Microstructure;
  /** What was done: voxels per aged class, isolated particles, whether a dendrite bridged. */
  readonly summary: Record<string, number | boolean>;
}

/** Mean z index of the voxels of a class (NaN when absent). */
function meanZ(ms: Microstructure, label: number): number {
  const { nx, ny } = ms.grid;
  let sum = 0, n = 0;
  for (let v = 0; v < ms.labels.length; v++) {
    if (ms.labels[v] === label) {
      sum += Math.floor(v / (nx * ny));
      n++;
    }
  }
  return n > 0 ? sum / n : NaN;
}

/** z extent (voxel layers) of a class: [first, last]. */
function zExtent(ms: Microstructure, label: number): [number, number] {
  const { nx, ny } = ms.grid;
  let lo = Infinity, hi = -Infinity;
  for (let v = 0; v < ms.labels.length; v++) {
    if (ms.labels[v] === label) {
      const k = Math.floor(v / (nx * ny));
      if (k < lo) lo = k;
      if (k > hi) hi = k;
    }
  }
  return [lo, hi];
}

/** Where dendrites can grow in a sample: from the anode through the separator, towards the cathode. */
interface DendritePath {
  readonly from: string;
  readonly through: string;
  readonly towards: "+z" | "-z";
  readonly within: ZRange;
  /** Walk steps per tip: 50 separator thicknesses, enough for any budget the plating gives. */
  readonly steps: number;
  /** Voxels of the anode layer (its z extent x the cross-section). */
  readonly anodeLayerVoxels: number;
}

function dendritePath(ms: Microstructure, options: AgeSampleOptions): DendritePath | undefined {
  const cathode = options.cathodeClass ?? "NMC811";
  const anode = options.anodeClass ?? "graphite";
  const separator = ms.classNames.find((c) => c.toLowerCase().includes("separator"));
  if (separator === undefined || classLabel(ms, anode) < 0) return undefined;
  const hasCathode = classLabel(ms, cathode) >= 0;
  const towards = options.cathodeTowards ?? (hasCathode && meanZ(ms, classLabel(ms, cathode)) < meanZ(ms, classLabel(ms, anode)) ? "-z" : "+z");
  const [k0, k1] = zExtent(ms, classLabel(ms, separator));
  const [a0, a1] = zExtent(ms, classLabel(ms, anode));
  return { from: anode, through: separator, towards, within: { k0, k1: k1 + 1 }, steps: 50 * (k1 - k0 + 1), anodeLayerVoxels: (a1 - a0 + 1) * ms.grid.nx * ms.grid.ny };
}

/** The filament share of the plated volume, in voxels of the path's sample. */
function budgetOf(path: DendritePath | undefined, platedLiVolumeFraction: number): number {
  if (path === undefined || !(platedLiVolumeFraction > 0)) return 0;
  return Math.floor(DENDRITE_SHARE_OF_PLATING * platedLiVolumeFraction * path.anodeLayerVoxels);
}

/** Dendrite voxels a record's plating pays for: the filament share of the plated volume. */
export function dendriteVoxelBudget(ms: Microstructure, platedLiVolumeFraction: number, options: AgeSampleOptions = {}): number {
  return budgetOf(dendritePath(ms, options), platedLiVolumeFraction);
}

function growDendritesFor(ms: Microstructure, path: DendritePath, seed: number, maxVoxels?: number): ReturnType<typeof growDendrites> {
  return growDendrites(ms, { fromClass: path.from, throughClass: path.through, towards: path.towards, within: path.within, seeds: 4, steps: path.steps, bias: 0.6, ...(maxVoxels === undefined ? {} : { maxVoxels }) }, seed + 6);
}

/**
 * The smallest dendrite budget (voxels) whose filaments bridge the separator of the pristine
 * sample with this seed, or null when they never do (no separator or anode, or the walk stalls).
 * A record shorts when dendriteVoxelBudget(record) >= this (the walk is budget-monotone).
 */
export function dendriteVoxelsToShort(pristine: Microstructure, seed: number, options: AgeSampleOptions = {}): number | null {
  const path = dendritePath(pristine, options);
  if (path === undefined) return null;
  return growDendritesFor(copyMicrostructure(pristine), path, seed).voxelsAtBridge;
}

/**
 * The internal-short test of a cell whose pristine sample this is, for simulateAgeing's
 * internalShort hook: true once a record's plating pays for the budget that bridges. The
 * sample is scanned and the walk grown once here, not once per cycle.
 */
export function internalShortFromDendrites(pristine: Microstructure, seed: number, options: AgeSampleOptions = {}): (platedLiVolumeFraction: number) => boolean {
  const path = dendritePath(pristine, options);
  if (path === undefined) return () => false;
  const toShort = growDendritesFor(copyMicrostructure(pristine), path, seed).voxelsAtBridge;
  return (platedLiVolumeFraction) => toShort !== null && budgetOf(path, platedLiVolumeFraction) >= toShort;
}

/** The pristine microstructure aged to `record` (see the module comment). Deterministic per seed. */
export function agedMicrostructure(pristine: Microstructure, record: DegradationRecord, seed: number, options: AgeSampleOptions = {}): AgedSample {
  const ms = copyMicrostructure(pristine);
  const cathode = options.cathodeClass ?? "NMC811";
  const anode = options.anodeClass ?? "graphite";
  const summary: Record<string, number | boolean> = {};
  const { nx, ny, voxelSizeM: s } = ms.grid;
  const hasCathode = classLabel(ms, cathode) >= 0;
  const hasAnode = classLabel(ms, anode) >= 0;
  // Dendrites first: the walk then sees the pristine sample, as dendriteVoxelsToShort does.
  const path = dendritePath(ms, options);
  const budget = budgetOf(path, record.platedLiVolumeFraction);
  if (path !== undefined && budget > 0) {
    const d = growDendritesFor(ms, path, options.dendriteSeed ?? seed, budget);
    summary.dendriteVoxels = d.voxels;
    summary.dendriteBridges = d.reachedOpposite;
  }
  if (hasCathode && record.crackVolumeFraction > 0) {
    const crackFraction = Math.min(1, record.crackVolumeFraction * Math.min(1, CRACK_OPENING_M / s));
    summary.crackVoxels = openGrainBoundaryCracks(ms, { particleClass: cathode, crackFraction, openingVoxels: 1, fillClass: "crack" }, seed).voxels;
  }
  if (hasCathode && record.rockSaltThicknessM > 0) {
    summary.rockSaltVoxels = growShell(ms, { hostClass: cathode, shellClass: "rock-salt", thicknessM: record.rockSaltThicknessM, into: "inward", seed: seed + 1 });
  }
  if (hasAnode && record.seiThicknessM > 0) {
    summary.seiVoxels = growShell(ms, { hostClass: anode, shellClass: "SEI", thicknessM: record.seiThicknessM, into: "outward", seed: seed + 2 });
  }
  const hasSeparator = ms.classNames.some((c) => c.toLowerCase().includes("separator"));
  if (hasAnode && record.platedLiVolumeFraction > 0 && hasSeparator) {
    const [k0, k1] = zExtent(ms, classLabel(ms, anode));
    const anodeVolume = (k1 - k0 + 1) * nx * ny * s ** 3;
    // Plating sits on the anode or on its SEI, whichever faces the electrolyte.
    summary.platedLiVoxels = depositLayer(ms, { atClass: classLabel(ms, "SEI") >= 0 ? "SEI" : anode, class: "plated-Li", where: "separator", volumeM3: record.platedLiVolumeFraction * anodeVolume }, seed + 3).voxels;
  }
  if (hasAnode && record.transitionMetalOnAnodeMolPerM2 > 0) {
    const volumeM3 = record.transitionMetalOnAnodeMolPerM2 * nx * ny * s * s * NICKEL_MOLAR_VOLUME_M3_PER_MOL;
    summary.depositVoxels = depositLayer(ms, { atClass: classLabel(ms, "SEI") >= 0 ? "SEI" : anode, class: "deposit", where: "everywhere", volumeM3 }, seed + 4).voxels;
  }
  if (hasCathode && record.lamFraction > 0) {
    summary.isolatedParticles = isolateParticles(ms, Math.min(1, record.lamFraction), seed + 5, { particleClass: cathode }).isolated.length;
  }
  return { microstructure: ms, summary };
}
