import { test } from "uvu";
import * as assert from "uvu/assert";
import { scoreReconstruction, scoreSegmentation } from "../../src/scoring/validate.js";

test("scoreReconstruction: exact recon scores rmse 0, psnr Infinity, ssim 1; offset c gives rmse c and 20 log10(L/c)", () => {
  const nx = 16, ny = 16, nz = 4;
  const truth = new Float32Array(nx * ny * nz);
  // Two phases: attenuation 50 /m in a disc, 10 /m outside.
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    truth[i + nx * (j + ny * k)] = (i - 7.5) ** 2 + (j - 7.5) ** 2 < 25 ? 50 : 10;
  }
  const same = scoreReconstruction(truth, truth, { nx, ny, nz });
  assert.is(same.rmse, 0);
  assert.is(same.psnr, Infinity);
  assert.ok(Math.abs(same.ssim - 1) < 1e-12);
  assert.is(same.dataRange, 40);
  const recon = truth.map((v) => v + 2);
  const s = scoreReconstruction(recon, truth, { nx, ny, nz });
  assert.ok(Math.abs(s.rmse - 2) < 1e-12);
  assert.ok(Math.abs(s.meanError - 2) < 1e-12);
  assert.ok(Math.abs(s.psnr - 20 * Math.log10(40 / 2)) < 1e-9);
  assert.ok(s.ssim < 1 && s.ssim > 0.9, `${s.ssim}`);
  // A mask restricts RMSE to its voxels.
  const mask = new Uint8Array(truth.length);
  mask[0] = 1;
  const r2 = recon.slice();
  r2[0] = truth[0]! + 5;
  assert.ok(Math.abs(scoreReconstruction(r2, truth, { nx, ny, nz }, { mask }).rmse - 5) < 1e-12);
});

test("scoreSegmentation keys Dice and IoU by class name and adds instance scores when given", () => {
  const truth = new Uint8Array([0, 0, 1, 1, 1, 2, 2, 2, 2, 0]);
  const pred = new Uint8Array([0, 1, 1, 1, 0, 2, 2, 1, 2, 0]);
  const names = ["pore", "carbonBinder", "NMC811"];
  const s = scoreSegmentation(pred, truth, names);
  assert.ok(Math.abs(s.dice["pore"]! - 2 / 3) < 1e-15);
  assert.ok(Math.abs(s.iou["NMC811"]! - 3 / 4) < 1e-15);
  assert.is(s.accuracy, 0.7);
  assert.equal(s.confusion, [[2, 1, 0], [1, 2, 0], [0, 1, 3]]);
  assert.ok(Math.abs(s.volumeFractionError["carbonBinder"]! - 0.1) < 1e-15);
  assert.is(s.instances, undefined);
  // Instances: true {1: voxels 5-8}, predicted {4: voxels 5,6,8} -> IoU 3/4, one match.
  const ti = new Int32Array([0, 0, 0, 0, 0, 1, 1, 1, 1, 0]);
  const pi = new Int32Array([0, 0, 0, 0, 0, 4, 4, 0, 4, 0]);
  const w = scoreSegmentation(pred, truth, names, pi, ti, 1e-6);
  assert.is(w.instances!.f1, 1);
  assert.ok(Math.abs(w.instances!.ap - 0.6) < 1e-12); // IoU 0.75 passes 0.50 .. 0.75
  assert.ok(Math.abs(w.sizeDistribution!.wasserstein1M - (Math.cbrt(24 / Math.PI) - Math.cbrt(18 / Math.PI)) * 1e-6) < 1e-18);
  assert.throws(() => scoreSegmentation(pred, truth, names, pi), RangeError);
  assert.throws(() => scoreSegmentation(pred, truth, ["pore", "NMC811"]), RangeError);
});

test.run();
