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
 * - dendrites: when `internalShort`, seeded dendrites from the plated lithium (else the
 *   anode) across the separator towards the cathode.
 * Films thinner than a voxel are placed by seeded stochastic rounding (morphology.ts).
 */
import type { Microstructure } from "../phantoms/microstructure/types.js";
import type { DegradationRecord } from "./ageing.js";
import { growDendrites } from "./dendrites.js";
import { classLabel, depositLayer, growShell, isolateParticles, openGrainBoundaryCracks } from "./morphology.js";

/** Opening of an intergranular crack in a cycled NMC secondary particle (m): ~0.1 um [unverified]. */
export const CRACK_OPENING_M = 0.1e-6;

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
}

export interface AgedSample {
  readonly microstructure: Microstructure;
  /** What was done: voxels per aged class, isolated particles, whether a dendrite bridged. */
  readonly summary: Record<string, number | boolean>;
}

function copy(ms: Microstructure): Microstructure {
  return {
    grid: ms.grid,
    classNames: [...ms.classNames],
    labels: ms.labels.slice(),
    instances: ms.instances.slice(),
    localGrains: ms.localGrains.slice(),
    grainOffsets: ms.grainOffsets,
    particles: ms.particles,
  };
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

/** The pristine microstructure aged to `record` (see the module comment). Deterministic per seed. */
export function agedMicrostructure(pristine: Microstructure, record: DegradationRecord, seed: number, options: AgeSampleOptions = {}): AgedSample {
  const ms = copy(pristine);
  const cathode = options.cathodeClass ?? "NMC811";
  const anode = options.anodeClass ?? "graphite";
  const summary: Record<string, number | boolean> = {};
  const { nx, ny, voxelSizeM: s } = ms.grid;
  const hasCathode = classLabel(ms, cathode) >= 0;
  const hasAnode = classLabel(ms, anode) >= 0;
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
  if (record.internalShort && hasAnode && hasSeparator) {
    const separator = ms.classNames.find((c) => c.toLowerCase().includes("separator"))!;
    const towards = options.cathodeTowards ?? (hasCathode && meanZ(ms, classLabel(ms, cathode)) < meanZ(ms, classLabel(ms, anode)) ? "-z" : "+z");
    const [k0, k1] = zExtent(ms, classLabel(ms, separator));
    const from = classLabel(ms, "plated-Li") >= 0 ? "plated-Li" : anode;
    const d = growDendrites(ms, { fromClass: from, throughClass: separator, towards, seeds: 4, steps: 3 * (k1 - k0 + 1), bias: 0.6 }, seed + 6);
    summary.dendriteVoxels = d.voxels;
    summary.dendriteBridges = d.reachedOpposite;
  }
  return { microstructure: ms, summary };
}
