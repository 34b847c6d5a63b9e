import { test } from "uvu";
import * as assert from "uvu/assert";
import { applyClassMapping, mapClasses } from "../../src/scoring/classMapping.js";

test("same class count: segmented classes follow the true classes' attenuation order, not their overlap", () => {
  // True labels 0 = NMC (mu 3000), 1 = air (mu 1), 2 = CBD (mu 100).
  const truth = Uint8Array.from([0, 0, 1, 1, 2, 2]);
  const mu = Float32Array.from([3000, 3000, 1, 1, 100, 100]);
  // A deliberately poor segmentation: classes by grey value 0 < 1 < 2, one voxel wrong.
  const pred = Uint8Array.from([2, 1, 0, 0, 1, 1]);
  const m = mapClasses(pred, 3, truth, 3, mu);
  assert.is(m.method, "attenuation-order");
  assert.equal(Array.from(m.mapping), [1, 2, 0]); // lowest -> air, middle -> CBD, highest -> NMC
  assert.equal(Array.from(m.truthMeanMu), [3000, 1, 100]);
  assert.equal(Array.from(applyClassMapping(pred, m.mapping)), [0, 2, 1, 1, 2, 2]);
});

test("different class counts: majority overlap, reported as such", () => {
  const truth = Uint8Array.from([0, 0, 1, 1, 2, 2]);
  const pred = Uint8Array.from([0, 0, 0, 1, 1, 1]);
  const m = mapClasses(pred, 2, truth, 3, null);
  assert.is(m.method, "majority-overlap");
  assert.equal(Array.from(m.mapping), [0, 2]);
  assert.throws(() => mapClasses(Uint8Array.from([3]), 2, Uint8Array.from([0]), 3, null), /class 3 of 2 segmented/);
});

test.run();
