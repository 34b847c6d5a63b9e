import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRandom } from "../../src/core/random.js";
import { distanceTransform, squaredDistanceTransform } from "../../src/segmentation/distanceTransform.js";
import type { VolumeShape } from "../../src/segmentation/shape.js";

/** Brute force: for each voxel not in the target set, the least distance to a target voxel. */
function bruteForce(m: Uint8Array, s: VolumeShape, spacing: [number, number, number], targetIsZero: boolean): Float64Array {
  const targets: [number, number, number][] = [];
  const out = new Float64Array(m.length);
  for (let k = 0; k < s.nz; k++) for (let j = 0; j < s.ny; j++) for (let i = 0; i < s.nx; i++) {
    if ((m[i + s.nx * (j + s.ny * k)] === 0) === targetIsZero) targets.push([i, j, k]);
  }
  for (let k = 0; k < s.nz; k++) for (let j = 0; j < s.ny; j++) for (let i = 0; i < s.nx; i++) {
    let best = Infinity;
    for (const [a, b, c] of targets) {
      const d = Math.hypot((i - a) * spacing[0], (j - b) * spacing[1], (k - c) * spacing[2]);
      if (d < best) best = d;
    }
    out[i + s.nx * (j + s.ny * k)] = best;
  }
  return out;
}

function randomMask(seed: number, n: number, fraction: number): Uint8Array {
  const rng = createRandom(seed);
  const m = new Uint8Array(n);
  for (let p = 0; p < n; p++) m[p] = rng.next() < fraction ? 1 : 0;
  return m;
}

function maxAbsDifference(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let p = 0; p < a.length; p++) worst = Math.max(worst, a[p] === b[p] ? 0 : Math.abs(a[p]! - b[p]!));
  return worst;
}

test("EDT of a random mask equals brute force (isotropic voxels), to 1e-9", () => {
  const s = { nx: 14, ny: 11, nz: 9 };
  const m = randomMask(11, 14 * 11 * 9, 0.85);
  const d = distanceTransform(m, s);
  const worst = maxAbsDifference(d, bruteForce(m, s, [1, 1, 1], true));
  assert.ok(worst <= 1e-9, `max difference ${worst}`);
});

test("EDT with anisotropic spacing and towards the foreground equals brute force", () => {
  const s = { nx: 12, ny: 10, nz: 8 };
  const m = randomMask(12, 960, 0.9);
  const spacing: [number, number, number] = [0.5, 1.25, 2];
  const worst = maxAbsDifference(distanceTransform(m, s, { spacing }), bruteForce(m, s, spacing, true));
  assert.ok(worst <= 1e-9, `to background: max difference ${worst}`);
  const sparse = randomMask(13, 960, 0.03);
  const worstF = maxAbsDifference(distanceTransform(sparse, s, { spacing, to: "foreground" }), bruteForce(sparse, s, spacing, false));
  assert.ok(worstF <= 1e-9, `to foreground: max difference ${worstF}`);
});

test("distance to a plane: the background slice x = 0 gives i * spacing", () => {
  const s = { nx: 20, ny: 6, nz: 5 };
  const m = new Uint8Array(600).fill(1);
  for (let q = 0; q < 30; q++) m[q * 20] = 0;
  const d = squaredDistanceTransform(m, s, { spacing: 1e-6 });
  for (let p = 0; p < 600; p++) {
    const i = p % 20;
    assert.ok(Math.abs(Math.sqrt(d[p]!) - i * 1e-6) <= 1e-18, `voxel ${p}`);
  }
});

test("2-D image (nz = 1) and a mask without background", () => {
  const s = { nx: 5, ny: 5, nz: 1 };
  const m = new Uint8Array(25).fill(1);
  m[12] = 0;
  const d = squaredDistanceTransform(m, s);
  assert.is(d[0], 8);
  assert.is(d[12], 0);
  assert.is(d[13], 1);
  const full = distanceTransform(new Uint8Array(8).fill(1), { nx: 2, ny: 2, nz: 2 });
  assert.ok(full.every((v) => v === Infinity));
  assert.throws(() => distanceTransform(m, s, { spacing: 0 }), RangeError);
  assert.throws(() => distanceTransform(m, { nx: 4, ny: 4, nz: 1 }), RangeError);
});

test.run();
