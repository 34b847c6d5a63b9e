import { test } from "uvu";
import * as assert from "uvu/assert";
import { accuracy, byClassName, confusionMatrix, confusionRows, diceScores, iouScores, labelFractions, porosityError, volumeFractions } from "../../src/scoring/segmentationMetrics.js";

// Hand-worked example (10 voxels, classes 0..2, plus an unused class 3):
//   truth 0 at voxels 0,1,9 -> predicted 0,1,0;  truth 1 at 2,3,4 -> 1,1,0;  truth 2 at 5..8 -> 2,2,1,2.
const truth = new Uint8Array([0, 0, 1, 1, 1, 2, 2, 2, 2, 0]);
const pred = new Uint8Array([0, 1, 1, 1, 0, 2, 2, 1, 2, 0]);
const close = (a: number, b: number): boolean => Math.abs(a - b) < 1e-15;

test("confusion matrix of the hand-worked example (rows = truth, columns = prediction)", () => {
  const cm = confusionMatrix(truth, pred, 4);
  assert.equal(confusionRows(cm), [[2, 1, 0, 0], [1, 2, 0, 0], [0, 1, 3, 0], [0, 0, 0, 0]]);
  assert.is(accuracy(cm), 0.7);
});

test("Dice and IoU per class by hand: TP/FP/FN = 2/1/1, 2/2/1, 3/0/1; absent class is NaN", () => {
  const cm = confusionMatrix(truth, pred, 4);
  const d = diceScores(cm);
  const j = iouScores(cm);
  const expectDice = [4 / 6, 4 / 7, 6 / 7];
  const expectIou = [2 / 4, 2 / 5, 3 / 4];
  for (let c = 0; c < 3; c++) {
    assert.ok(close(d[c]!, expectDice[c]!), `dice ${c}: ${d[c]}`);
    assert.ok(close(j[c]!, expectIou[c]!), `iou ${c}: ${j[c]}`);
    assert.ok(close(d[c]!, (2 * j[c]!) / (1 + j[c]!)), "Dice = 2 IoU / (1 + IoU)");
  }
  assert.ok(Number.isNaN(d[3]!) && Number.isNaN(j[3]!));
});

test("volume fractions, porosity error and per-name mapping", () => {
  const cm = confusionMatrix(truth, pred, 3);
  const f = volumeFractions(cm);
  assert.equal(Array.from(f.truth), [0.3, 0.3, 0.4]);
  assert.equal(Array.from(f.predicted), [0.3, 0.4, 0.3]);
  assert.equal(Array.from(labelFractions(truth, 3)), [0.3, 0.3, 0.4]);
  assert.ok(Math.abs(porosityError(cm, 1) - 0.1) < 1e-15);
  const named = byClassName(diceScores(cm), ["pore", "carbonBinder", "NMC811"]);
  assert.equal(Object.keys(named), ["pore", "carbonBinder", "NMC811"]);
  assert.ok(close(named["NMC811"]!, 6 / 7));
});

test("perfect segmentation: Dice = IoU = accuracy = 1", () => {
  const cm = confusionMatrix(truth, truth, 3);
  assert.equal(Array.from(diceScores(cm)), [1, 1, 1]);
  assert.equal(Array.from(iouScores(cm)), [1, 1, 1]);
  assert.is(accuracy(cm), 1);
});

test("bad input: label beyond nClasses, length mismatch, wrong number or duplicate names", () => {
  assert.throws(() => confusionMatrix(truth, pred, 2), /label 2/);
  assert.throws(() => confusionMatrix(truth, pred.subarray(1), 3), RangeError);
  assert.throws(() => byClassName(new Float64Array(3), ["a", "b"]), RangeError);
  assert.throws(() => byClassName(new Float64Array(2), ["a", "a"]), RangeError);
  assert.throws(() => porosityError(confusionMatrix(truth, pred, 3), 3), RangeError);
  // "toString" is a fine class name (no prototype clash).
  assert.is(byClassName(new Float64Array([0.5]), ["toString"])["toString"], 0.5);
});

test.run();
