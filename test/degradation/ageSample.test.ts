import { test } from "uvu";
import * as assert from "uvu/assert";
import { createMicrostructure } from "../../src/phantoms/microstructure/rasterize.js";
import type { Microstructure } from "../../src/phantoms/microstructure/types.js";
import { agedMicrostructure, DENDRITE_SHARE_OF_PLATING, dendriteVoxelBudget, dendriteVoxelsToShort, internalShortFromDendrites } from "../../src/degradation/ageSample.js";
import type { DegradationRecord } from "../../src/degradation/ageing.js";

const N = 16;
const NXY = N * N;
const ANODE_SLICES = 6;

/**
 * Graphite with seeded ~30 % electrolyte pores (k < 6) | wetted separator as one effective
 * material (6 <= k < 14, as in phantoms/full-cell.yaml) | NMC811 (k >= 14).
 */
function cell(): Microstructure {
  const ms = createMicrostructure({ nx: N, ny: N, nz: 20, voxelSizeM: 1e-6 }, ["electrolyte", "graphite", "wet-separator", "NMC811"]);
  let x = 123456789;
  const rand = () => ((x = (1103515245 * x + 12345) % 2147483648) / 2147483648);
  for (let v = 0; v < ms.labels.length; v++) {
    const k = Math.floor(v / NXY);
    ms.labels[v] = k < ANODE_SLICES ? (rand() < 0.3 ? 0 : 1) : k < 14 ? 2 : 3;
  }
  return ms;
}

/** A record with nothing but plated lithium paying for `budget` dendrite voxels. */
function recordWithBudget(budget: number): DegradationRecord {
  const platedLiVolumeFraction = (budget + 0.5) / (DENDRITE_SHARE_OF_PLATING * ANODE_SLICES * NXY);
  return {
    cycle: 1, capacityFraction: 1, chargeCapacityFraction: 1, lliFraction: 0, lamFraction: 0, seiThicknessM: 0,
    platedLiVolumeFraction, crackVolumeFraction: 0, rockSaltThicknessM: 0, internalShort: false,
    transitionMetalOnAnodeMolPerM2: 0,
    inventory: { cyclable: 1, sei: 0, platedReversible: 0, platedDead: 0, isolated: 0 },
  } as DegradationRecord;
}

test("the budget that first shorts is the one at which the aged sample's dendrites bridge the separator", () => {
  const ms = cell();
  const toShort = dendriteVoxelsToShort(ms, 7);
  assert.ok(toShort !== null, "the unlimited walk bridges an 8-slice separator");
  // A filament must at least cross the 8 separator slices.
  assert.ok(toShort! >= 8, `bridge after ${toShort} voxels`);
  assert.is(dendriteVoxelBudget(ms, recordWithBudget(toShort!).platedLiVolumeFraction), toShort);
  const below = agedMicrostructure(ms, recordWithBudget(toShort! - 1), 99, { dendriteSeed: 7 });
  const at = agedMicrostructure(ms, recordWithBudget(toShort!), 1234, { dendriteSeed: 7 });
  assert.is(below.summary.dendriteBridges, false);
  assert.is(below.summary.dendriteVoxels, toShort! - 1);
  assert.is(at.summary.dendriteBridges, true);
  assert.is(at.summary.dendriteVoxels, toShort);
  // The cycle loop's hook says the same as the aged sample.
  const shorted = internalShortFromDendrites(ms, 7);
  assert.is(shorted(recordWithBudget(toShort! - 1).platedLiVolumeFraction), false);
  assert.is(shorted(recordWithBudget(toShort!).platedLiVolumeFraction), true);
  // The pristine sample is not touched.
  assert.is(ms.classNames.includes("dendrite"), false);
});

test("the walk is budget-monotone: a smaller budget grows a subset of a larger one's dendrite voxels", () => {
  const ms = cell();
  const small = agedMicrostructure(ms, recordWithBudget(10), 1, { dendriteSeed: 3 }).microstructure;
  const large = agedMicrostructure(ms, recordWithBudget(40), 2, { dendriteSeed: 3 }).microstructure;
  const dSmall = small.classNames.indexOf("dendrite");
  const dLarge = large.classNames.indexOf("dendrite");
  let n = 0;
  for (let v = 0; v < small.labels.length; v++) {
    if (small.labels[v] !== dSmall) continue;
    n++;
    assert.is(large.labels[v], dLarge, `voxel ${v}`);
  }
  assert.is(n, 10);
});

test("no plating, no dendrites; no separator, no short", () => {
  const ms = cell();
  assert.is(dendriteVoxelBudget(ms, 0), 0);
  assert.is(agedMicrostructure(ms, recordWithBudget(0), 1).summary.dendriteVoxels, undefined);
  const noSeparator = createMicrostructure({ nx: 4, ny: 4, nz: 4, voxelSizeM: 1e-6 }, ["electrolyte", "graphite"]);
  assert.is(dendriteVoxelsToShort(noSeparator, 1), null);
});

test.run();
