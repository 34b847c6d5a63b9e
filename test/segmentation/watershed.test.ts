import { test } from "uvu";
import * as assert from "uvu/assert";
import { hMaximaMarkers, localMaximaMarkers, regionalMaxima } from "../../src/segmentation/markers.js";
import type { VolumeShape } from "../../src/segmentation/shape.js";
import { separateTouchingParticles, watershed } from "../../src/segmentation/watershed.js";

type Centre = [number, number, number];

/** Per-sphere masks (voxel centres within radius r of the centre) and their union. */
function spheres(s: VolumeShape, centres: Centre[], r: number): { union: Uint8Array; each: Uint8Array[] } {
  const n = s.nx * s.ny * s.nz;
  const union = new Uint8Array(n);
  const each = centres.map(() => new Uint8Array(n));
  for (let k = 0; k < s.nz; k++) for (let j = 0; j < s.ny; j++) for (let i = 0; i < s.nx; i++) {
    const p = i + s.nx * (j + s.ny * k);
    centres.forEach(([x, y, z], c) => {
      if ((i - x) ** 2 + (j - y) ** 2 + (k - z) ** 2 <= r * r) {
        each[c]![p] = 1;
        union[p] = 1;
      }
    });
  }
  return { union, each };
}

/** For each true sphere, the instance overlapping it most: its recall and IoU. */
function matchInstances(labels: Int32Array, count: number, truth: Uint8Array[]): { recall: number; iou: number; label: number }[] {
  return truth.map((sphere) => {
    const overlap = new Int32Array(count + 1);
    const size = new Int32Array(count + 1);
    let sphereSize = 0;
    for (let p = 0; p < labels.length; p++) {
      size[labels[p]!]!++;
      if (sphere[p] === 1) {
        sphereSize++;
        overlap[labels[p]!]!++;
      }
    }
    let label = 1;
    for (let l = 2; l <= count; l++) if (overlap[l]! > overlap[label]!) label = l;
    const inter = overlap[label]!;
    return { recall: inter / sphereSize, iou: inter / (sphereSize + size[label]! - inter), label };
  });
}

test("two touching spheres (r = 10, 16 apart) in 48x32x32: 2 instances, each >= 95 % of its sphere, IoU >= 0.9", () => {
  const s = { nx: 48, ny: 32, nz: 32 };
  const { union, each } = spheres(s, [[15.5, 15.5, 15.5], [31.5, 15.5, 15.5]], 10);
  const { labels, count } = separateTouchingParticles(union, s);
  assert.is(count, 2);
  const match = matchInstances(labels, count, each);
  assert.is.not(match[0]!.label, match[1]!.label);
  for (const m of match) {
    assert.ok(m.recall >= 0.95, `recall ${m.recall}`);
    assert.ok(m.iou >= 0.9, `IoU ${m.iou}`);
  }
  // Every mask voxel has an instance and nothing outside does.
  for (let p = 0; p < union.length; p++) assert.is(labels[p]! > 0, union[p] === 1);
});

test("three touching spheres in a triangle -> 3 instances; local-maxima markers agree", () => {
  const s = { nx: 48, ny: 48, nz: 32 };
  const centres: Centre[] = [[15.5, 15.5, 15.5], [31.5, 15.5, 15.5], [23.5, 15.5 + 8 * Math.sqrt(3), 15.5]];
  const { union, each } = spheres(s, centres, 10);
  const hmax = separateTouchingParticles(union, s);
  assert.is(hmax.count, 3);
  const local = separateTouchingParticles(union, s, { markers: "local-maxima", minDistance: 5 });
  assert.is(local.count, 3);
  for (const result of [hmax, local]) {
    for (const m of matchInstances(result.labels, result.count, each)) assert.ok(m.iou >= 0.9, `IoU ${m.iou}`);
  }
});

test("one sphere stays one instance; the result is deterministic", () => {
  const s = { nx: 32, ny: 32, nz: 32 };
  const { union } = spheres(s, [[16, 15, 15.5]], 11);
  assert.is(separateTouchingParticles(union, s).count, 1);
  const pair = spheres({ nx: 48, ny: 32, nz: 32 }, [[15.5, 15.5, 15.5], [31.5, 15.5, 15.5]], 10).union;
  const a = separateTouchingParticles(pair, { nx: 48, ny: 32, nz: 32 }, { smoothSigma: 1 });
  const b = separateTouchingParticles(pair, { nx: 48, ny: 32, nz: 32 }, { smoothSigma: 1 });
  assert.is(a.count, 2);
  let differences = 0;
  for (let p = 0; p < pair.length; p++) if (a.labels[p] !== b.labels[p]) differences++;
  assert.is(differences, 0);
});

test("watershed on a 1-D ridge splits at the crest; FIFO gives the tied crest to the first marker", () => {
  const s = { nx: 11, ny: 1, nz: 1 };
  const relief = Float32Array.from([0, 1, 2, 3, 4, 5, 4, 3, 2, 1, 0]);
  const markers = new Int32Array(11);
  markers[0] = 1;
  markers[10] = 2;
  assert.equal(Array.from(watershed(relief, s, markers)), [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
  // A mask cuts the line: the flood does not cross it.
  const mask = Uint8Array.from([1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1]);
  assert.equal(Array.from(watershed(relief, s, markers, { mask })), [1, 1, 1, 0, 2, 2, 2, 2, 2, 2, 2]);
  markers[3] = 3;
  assert.throws(() => watershed(relief, s, markers, { mask }), RangeError);
});

test("h-maxima keep a peak only if it rises h above its saddle; regional maxima find plateaus", () => {
  const s = { nx: 9, ny: 1, nz: 1 };
  // Peaks 10 and 9 joined by a saddle at 8: the lower peak's dynamic is 1.
  const f = [0, 5, 10, 8, 9, 4, 0, 3, 0];
  assert.is(hMaximaMarkers(f, s, 0.5).count, 3);
  const h15 = hMaximaMarkers(f, s, 1.5);
  assert.is(h15.count, 2);
  assert.equal(Array.from(h15.markers), [0, 0, 1, 0, 0, 0, 0, 2, 0]);
  assert.is(hMaximaMarkers(f, s, 3.5).count, 1);
  const plateau = regionalMaxima([1, 3, 3, 2, 3, 1], { nx: 6, ny: 1, nz: 1 });
  assert.equal(Array.from(plateau.markers), [0, 1, 1, 0, 2, 0]);
  // Local maxima must dominate +-minDistance: with 1 all three peaks, with 2 only the 10.
  assert.equal(Array.from(localMaximaMarkers(f, s, { minDistance: 1 }).markers), [0, 0, 1, 0, 2, 0, 0, 3, 0]);
  assert.equal(Array.from(localMaximaMarkers(f, s, { minDistance: 2 }).markers), [0, 0, 1, 0, 0, 0, 0, 0, 0]);
  assert.throws(() => hMaximaMarkers(f, s, 0), RangeError);
});

test.run();
