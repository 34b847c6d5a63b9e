/**
 * What one sample is made of: its parameters drawn from the scenario's ranges and its split,
 * both from seeded streams of (scenario seed, sample index) only, so sample k is the same
 * made alone, in a shard, in a full run or by any worker.
 *
 * Parameters: stream createRandom(`${seed}/${index}`), one uniform per quantity in a fixed
 * order whatever the branches (a sample without phase contrast still draws a distance), so a
 * probability change does not shift the other draws. Uniform on [lo, hi] (lo + u (hi - lo));
 * photons log-uniform (lo (hi / lo)^u). Values are rounded to 6 significant digits: what is
 * recorded is exactly what is used.
 *
 * Split: its own stream createRandom(`${seed}/split/${index}`), one uniform u: train when
 * u < f_train, val when u < f_train + f_val, else test. Changing a range does not move a
 * sample between splits.
 */
import { createRandom, type Random } from "../core/random.js";
import type { DatasetSpec } from "./scenario.js";

export type Split = "train" | "val" | "test";
export const SPLITS: readonly Split[] = ["train", "val", "test"];

export interface SampleParameters {
  readonly particleSizeM: number;
  readonly porosity: number;
  readonly cbdFraction: number;
  readonly energyKeV: number;
  readonly photonsPerPixel: number;
  readonly blurPx: number;
  readonly ringGainRms: number;
  /** Sample-detector distance (m); 0: absorption contrast only. */
  readonly distanceM: number;
  readonly degraded: boolean;
  readonly crackFraction: number;
  readonly crackOpeningM: number;
  readonly rockSaltM: number;
  /** Seeds of the slab's generator, the scan's noise and the degradation (uint32). */
  readonly phantomSeed: number;
  readonly scanSeed: number;
  readonly ageingSeed: number;
}

const round6 = (v: number): number => Number(v.toPrecision(6));

function uniform(rng: Random, [lo, hi]: readonly [number, number]): number {
  return round6(lo + rng.next() * (hi - lo));
}

function logUniform(rng: Random, [lo, hi]: readonly [number, number]): number {
  return round6(lo * (hi / lo) ** rng.next());
}

const seed32 = (rng: Random): number => Math.floor(rng.next() * 2 ** 32);

/** The parameters of sample `index` of a dataset with scenario seed `seed`. */
export function drawParameters(spec: DatasetSpec, seed: number, index: number): SampleParameters {
  checkIndex(index);
  const rng = createRandom(`${seed}/${index}`);
  const r = spec.ranges;
  const particleSizeM = uniform(rng, r.particleSize);
  const porosity = uniform(rng, r.porosity);
  const cbdFraction = uniform(rng, r.cbdFraction);
  const energyKeV = uniform(rng, r.energy);
  const photonsPerPixel = logUniform(rng, r.photons);
  const blurPx = uniform(rng, r.blur);
  const ringGainRms = uniform(rng, r.rings);
  const phase = rng.next() < spec.phaseContrast.probability;
  const distance = uniform(rng, spec.phaseContrast.distance);
  const degraded = rng.next() < spec.degradation.probability;
  const crackFraction = uniform(rng, spec.degradation.crackFraction);
  const crackOpeningM = uniform(rng, spec.degradation.crackOpening);
  const rockSaltM = uniform(rng, spec.degradation.rockSalt);
  return {
    particleSizeM,
    porosity,
    cbdFraction,
    energyKeV,
    photonsPerPixel,
    blurPx,
    ringGainRms,
    distanceM: phase ? distance : 0,
    degraded,
    crackFraction: degraded ? crackFraction : 0,
    crackOpeningM: degraded ? crackOpeningM : 0,
    rockSaltM: degraded ? rockSaltM : 0,
    phantomSeed: seed32(rng),
    scanSeed: seed32(rng),
    ageingSeed: seed32(rng),
  };
}

/** The split of sample `index` (see the module comment for the rule). */
export function splitOf(fractions: { readonly train: number; readonly val: number }, seed: number, index: number): Split {
  checkIndex(index);
  const u = createRandom(`${seed}/split/${index}`).next();
  return u < fractions.train ? "train" : u < fractions.train + fractions.val ? "val" : "test";
}

function checkIndex(index: number): void {
  if (!(Number.isSafeInteger(index) && index >= 0)) throw new RangeError(`sample index must be a whole number >= 0, got ${index}`);
}

/** `sample_000042`: the index zero-padded to the width of count - 1 (at least 6 digits). */
export function sampleId(index: number, count: number): string {
  const width = Math.max(6, String(Math.max(0, count - 1)).length);
  return `sample_${String(index).padStart(width, "0")}`;
}
