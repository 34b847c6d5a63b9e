import { test } from "uvu";
import * as assert from "uvu/assert";
import { COCO_IOU_THRESHOLDS, instanceOverlaps, matchInstances, scoreInstances } from "../../src/scoring/instanceMetrics.js";

const NX = 64, NY = 32, NZ = 4;

/** Label the box [x0, x1] x [y0, y1] x all z with `label`. */
function box(v: Int32Array, label: number, x0: number, x1: number, y0: number, y1: number): void {
  for (let k = 0; k < NZ; k++) for (let j = y0; j <= y1; j++) for (let i = x0; i <= x1; i++) v[i + NX * (j + NY * k)] = label;
}

/** Label a voxelised ball (voxel centres within r of c) in an n^3 grid. */
function ball(v: Int32Array, n: number, label: number, cx: number, cy: number, cz: number, r: number): void {
  for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
    if ((i - cx) ** 2 + (j - cy) ** 2 + (k - cz) ** 2 <= r * r) v[i + n * (j + n * k)] = label;
  }
}

/** IoU of two balls of radius R with centres d apart: lens V = pi (4R + d)(2R - d)^2 / 12. */
function ballIou(R: number, d: number): number {
  const lens = (Math.PI * (4 * R + d) * (2 * R - d) ** 2) / 12;
  return lens / ((8 / 3) * Math.PI * R ** 3 - lens);
}

test("COCO IoU thresholds are numpy.linspace(0.5, 0.95, 10)", () => {
  assert.equal(COCO_IOU_THRESHOLDS, [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.8999999999999999, 0.95]);
});

test("overlap table of shifted boxes: sizes, intersections, IoU = (L - d) / (L + d)", () => {
  const t = new Int32Array(NX * NY * NZ);
  const p = new Int32Array(NX * NY * NZ);
  box(t, 5, 0, 27, 0, 3); // 28 long
  box(p, 9, 1, 28, 0, 3); // shifted by 1
  box(t, 7, 0, 20, 8, 11);
  box(p, 2, 5, 25, 8, 11); // 21 long shifted by 5
  const o = instanceOverlaps(t, p);
  assert.equal(Array.from(o.trueLabels), [5, 7]);
  assert.equal(Array.from(o.predLabels), [2, 9]);
  assert.equal(Array.from(o.trueSizes), [28 * 16, 21 * 16]);
  assert.is(o.pairIou.length, 2);
  for (let k = 0; k < 2; k++) {
    const label = o.trueLabels[o.pairTrue[k]!];
    const expected = label === 5 ? 27 / 29 : 16 / 26;
    assert.ok(Math.abs(o.pairIou[k]! - expected) < 1e-15, `${label}: ${o.pairIou[k]}`);
    assert.is(o.pairIntersection[k], label === 5 ? 27 * 16 : 16 * 16);
  }
});

test("every prediction matched at IoU 14/18 = 0.78: AP = 6/10 (thresholds 0.50 .. 0.75 pass), AP50 = AP75 = 1", () => {
  const t = new Int32Array(NX * NY * NZ);
  const p = new Int32Array(NX * NY * NZ);
  for (let n = 0; n < 3; n++) {
    box(t, n + 1, 0, 15, 8 * n, 8 * n + 3);
    box(p, n + 1, 2, 17, 8 * n, 8 * n + 3);
  }
  const s = scoreInstances(t, p);
  assert.ok(Math.abs(s.ap - 0.6) < 1e-12, `ap ${s.ap}`);
  assert.is(s.ap50, 1);
  assert.is(s.ap75, 1);
  assert.is(s.precision, 1);
  assert.is(s.recall, 1);
  assert.is(s.f1, 1);
  assert.is(s.matched, 3);
  assert.ok(Math.abs(s.meanMatchedIou - 14 / 18) < 1e-15);
});

/**
 * Three true boxes, three predictions: p1 matches t1 at IoU 27/29 = 0.93, p3 matches t2 at
 * 16/26 = 0.62, p2 overlaps nothing, t3 is missed.
 */
function mixedCase(): { t: Int32Array; p: Int32Array } {
  const t = new Int32Array(NX * NY * NZ);
  const p = new Int32Array(NX * NY * NZ);
  box(t, 1, 0, 27, 0, 3);
  box(p, 1, 1, 28, 0, 3); // 448 voxels
  box(t, 2, 0, 20, 8, 11);
  box(p, 3, 5, 25, 8, 11); // 336 voxels
  box(t, 3, 0, 9, 16, 19);
  box(p, 2, 0, 39, 24, 27); // false positive, the largest (640 voxels)
  return { t, p };
}

test("COCO AP by hand with scores p1 > p2 > p3: (3 * 56/101 + 6 * 34/101 + 0) / 10 = 372/1010", () => {
  // t <= 0.6: hits at ranks 1 and 3 -> precision envelope 1 up to recall 1/3 (34 of the 101
  // recall points), 2/3 up to recall 2/3 (33 points): 56/101. t = 0.65 .. 0.9: one hit at rank
  // 1: 34/101. t = 0.95: 0.
  const { t, p } = mixedCase();
  const scores = [0, 0.9, 0.8, 0.7];
  const s = scoreInstances(t, p, scores);
  assert.ok(Math.abs(s.ap - 372 / 1010) < 1e-12, `ap ${s.ap}`);
  assert.ok(Math.abs(s.ap50 - 56 / 101) < 1e-12);
  assert.ok(Math.abs(s.ap75 - 34 / 101) < 1e-12);
  assert.is(s.matched, 2);
  assert.is(s.nTrue, 3);
  assert.is(s.nPred, 3);
  assert.ok(Math.abs(s.precision - 2 / 3) < 1e-15 && Math.abs(s.recall - 2 / 3) < 1e-15 && Math.abs(s.f1 - 2 / 3) < 1e-15);
});

test("without scores detections rank by size (false positive first): AP = (3 * (134/3)/101 + 6 * 17/101) / 10 = 236/1010", () => {
  // t <= 0.6: ranks FP, hit, hit -> envelope 2/3 for recall points 0 .. 0.66 (67 points).
  // t = 0.65 .. 0.9: FP, hit, miss -> envelope 1/2 up to recall 1/3 (34 points).
  const { t, p } = mixedCase();
  const s = scoreInstances(t, p);
  assert.ok(Math.abs(s.ap - 236 / 1010) < 1e-12, `ap ${s.ap}`);
  assert.ok(Math.abs(s.ap50 - (67 * (2 / 3)) / 101) < 1e-12);
  assert.is(s.matched, 2); // P/R/F1 do not depend on the ranking
});

test("shifted balls: IoU matches the lens-volume formula; a pair below IoU 0.5 is unmatched", () => {
  const n = 48, R = 10;
  const t = new Int32Array(n ** 3);
  const p = new Int32Array(n ** 3);
  ball(t, n, 1, 20, 12, 12, R);
  ball(p, n, 1, 22, 12, 12, R); // d = 2: IoU 0.740
  ball(t, n, 2, 18, 35, 24, R);
  ball(p, n, 2, 27, 35, 24, R); // d = 9: IoU 0.227
  const o = instanceOverlaps(t, p);
  const m = matchInstances(o, 0.5);
  assert.is(m.iou.length, 1);
  assert.ok(Math.abs(m.iou[0]! - ballIou(R, 2)) < 0.01, `matched IoU ${m.iou[0]} vs ${ballIou(R, 2)}`);
  const other = Array.from(o.pairIou).find((v) => v < 0.5)!;
  assert.ok(Math.abs(other - ballIou(R, 9)) < 0.01, `unmatched IoU ${other} vs ${ballIou(R, 9)}`);
  const s = scoreInstances(t, p);
  assert.is(s.precision, 0.5);
  assert.is(s.recall, 0.5);
  // The voxelised IoU is 0.7403 (analytic 0.7399): matched at t = 0.50 .. 0.70 (5 thresholds).
  // Both balls have 4169 voxels, so the size ranking keeps label order: rank 1 is the hit,
  // precision envelope 1 up to recall 1/2 (51 of the 101 points) -> 51/101 at each.
  assert.ok(Math.abs(s.ap - (5 * 51) / 1010) < 1e-12, `ap ${s.ap}`);
});

test("degenerate cases: no prediction -> AP 0, recall 0; no truth -> AP NaN; bad labels refused", () => {
  const t = new Int32Array(NX * NY * NZ);
  const p = new Int32Array(NX * NY * NZ);
  box(t, 1, 0, 5, 0, 3);
  const s = scoreInstances(t, p);
  assert.is(s.ap, 0);
  assert.is(s.recall, 0);
  assert.ok(Number.isNaN(s.precision));
  assert.ok(Number.isNaN(scoreInstances(p, t).ap));
  const bad = new Int32Array(4);
  bad[2] = -1;
  assert.throws(() => instanceOverlaps(bad, new Int32Array(4)), /negative label/);
  assert.throws(() => instanceOverlaps(t, new Int32Array(3)), RangeError);
  assert.throws(() => scoreInstances(t, t, [0]), /no finite score/);
});

test.run();
