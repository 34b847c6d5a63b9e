import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRandom, gaussian } from "../../src/core/random.js";
import { absorbSmallPatches } from "../../src/segmentation/cleanup.js";
import { segmentVolume } from "../../src/segmentation/segmentVolume.js";

const shape = { nx: 48, ny: 32, nz: 32 };

/** Pore (0.1), a binder layer k < 4 (0.45) and two touching spheres of active material (1.0), plus noise. */
function phantom(noise: number, specks: number[]): { values: Float32Array; truth: Uint8Array } {
  const n = 48 * 32 * 32;
  const truth = new Uint8Array(n);
  const values = new Float32Array(n);
  const rng = createRandom(21);
  for (let k = 0; k < 32; k++) for (let j = 0; j < 32; j++) for (let i = 0; i < 48; i++) {
    const p = i + 48 * (j + 32 * k);
    const inSphere = [15.5, 31.5].some((cx) => (i - cx) ** 2 + (j - 15.5) ** 2 + (k - 15.5) ** 2 <= 100);
    truth[p] = inSphere ? 2 : k < 4 ? 1 : 0;
  }
  for (const p of specks) truth[p] = 2;
  const level = [0.1, 0.45, 1.0];
  for (let p = 0; p < n; p++) values[p] = level[truth[p]!]! + noise * gaussian(rng);
  return { values, truth };
}

test("3 phases and 2 touching particles from a noisy volume", () => {
  const { values, truth } = phantom(0.04, []);
  const seg = segmentVolume(values, shape, { classes: 3, instances: { phase: 2, minVoxels: 50 } });
  assert.is(seg.thresholds.length, 2);
  assert.ok(seg.thresholds[0]! > 0.1 && seg.thresholds[0]! < 0.45, `t0 ${seg.thresholds[0]}`);
  assert.ok(seg.thresholds[1]! > 0.45 && seg.thresholds[1]! < 1.0, `t1 ${seg.thresholds[1]}`);
  let wrong = 0;
  for (let p = 0; p < truth.length; p++) if (seg.classMap[p] !== truth[p]) wrong++;
  assert.ok(wrong / truth.length <= 1e-3, `${wrong} misclassified voxels`);
  assert.is(seg.instanceCount, 2);
  // Instances live only on the phase.
  for (let p = 0; p < truth.length; p++) if (seg.instances![p]! > 0) assert.is(seg.classMap[p], 2);
});

test("specks of the dense phase: absorbed by the pore with minPatchVoxels, dropped from instances by minVoxels", () => {
  const specks = [2 + 48 * (2 + 32 * 30), 45 + 48 * (29 + 32 * 28), 40 + 48 * (3 + 32 * 10)];
  const { values } = phantom(0.02, specks);
  const plain = segmentVolume(values, shape, { classes: 3, instances: { phase: 2 } });
  assert.is(plain.instanceCount, 2 + specks.length);
  const filtered = segmentVolume(values, shape, { classes: 3, instances: { phase: 2, minVoxels: 10 } });
  assert.is(filtered.instanceCount, 2);
  const cleaned = segmentVolume(values, shape, { classes: 3, minPatchVoxels: 5, instances: { phase: 2 } });
  for (const p of specks) assert.is(cleaned.classMap[p], 0);
  assert.is(cleaned.instanceCount, 2);
});

test("absorbSmallPatches gives a small patch the majority class around it and keeps big patches", () => {
  const s = { nx: 7, ny: 7, nz: 1 };
  const map = new Uint8Array(49);
  for (let p = 0; p < 49; p++) map[p] = p % 7 < 4 ? 0 : 1; // columns 0-3 class 0, 4-6 class 1
  map[1 + 7 * 3] = 2; // one voxel inside class 0
  map[3 + 7 * 3] = 2; // one voxel on the border: 3 neighbours of class 0, 1 of class 1
  const out = absorbSmallPatches(map, s, 2);
  assert.is(out[1 + 7 * 3], 0);
  assert.is(out[3 + 7 * 3], 0);
  let changed = 0;
  for (let p = 0; p < 49; p++) if (out[p] !== map[p]) changed++;
  assert.is(changed, 2);
  assert.throws(() => segmentVolume(new Float32Array(8), { nx: 2, ny: 2, nz: 2 }, { classes: 2, instances: { phase: 2 } }), RangeError);
});

test.run();
