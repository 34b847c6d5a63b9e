import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRandom } from "../../src/core/random.js";
import { psnr, rmse, ssim, ssimWindow } from "../../src/scoring/imageMetrics.js";

function randomVolume(n: number, seed: number): Float32Array {
  const r = createRandom(seed);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = r.next();
  return v;
}

/**
 * SSIM by its definition, one window at a time (weights = outer product of the 1-D window),
 * independent of the separable sliding implementation. 2-D, slice by slice.
 */
function ssimDirect2d(a: Float32Array, b: Float32Array, nx: number, ny: number, nz: number, w: Float64Array, L: number, covNorm: number): number {
  const r = (w.length - 1) / 2;
  const C1 = (0.01 * L) ** 2, C2 = (0.03 * L) ** 2;
  let total = 0, count = 0;
  for (let k = 0; k < nz; k++) {
    for (let y = r; y < ny - r; y++) {
      for (let x = r; x < nx - r; x++) {
        let ma = 0, mb = 0;
        for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) {
          const wt = w[dx + r]! * w[dy + r]!;
          const o = x + dx + nx * (y + dy + ny * k);
          ma += wt * a[o]!;
          mb += wt * b[o]!;
        }
        let va = 0, vb = 0, cab = 0;
        for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) {
          const wt = w[dx + r]! * w[dy + r]!;
          const o = x + dx + nx * (y + dy + ny * k);
          va += wt * (a[o]! - ma) ** 2;
          vb += wt * (b[o]! - mb) ** 2;
          cab += wt * (a[o]! - ma) * (b[o]! - mb);
        }
        va *= covNorm; vb *= covNorm; cab *= covNorm;
        total += ((2 * ma * mb + C1) * (2 * cab + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
        count++;
      }
    }
  }
  return total / count;
}

test("RMSE and PSNR of a constant offset c: rmse = c, psnr = 20 log10(range / c)", () => {
  const ref = randomVolume(4096, 1);
  const c = 0.125;
  const t = ref.map((v) => v + c);
  // Float32 rounding of v + c limits the agreement to ~1e-7.
  assert.ok(Math.abs(rmse(t, ref) - c) < 1e-6, `rmse ${rmse(t, ref)}`);
  let lo = Infinity, hi = -Infinity;
  for (const v of ref) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  assert.ok(Math.abs(psnr(t, ref) - 20 * Math.log10((hi - lo) / c)) < 1e-4);
  assert.ok(Math.abs(psnr(t, ref, 2) - 20 * Math.log10(2 / c)) < 1e-4);
  assert.is(psnr(ref, ref), Infinity);
});

test("RMSE over a mask counts only the masked voxels", () => {
  const a = new Float64Array([0, 0, 0, 0]);
  const b = new Float64Array([3, 4, 100, -100]);
  assert.is(rmse(a, b, new Uint8Array([1, 1, 0, 0])), Math.sqrt((9 + 16) / 2));
  assert.throws(() => rmse(a, b, new Uint8Array(4)), RangeError);
  assert.throws(() => rmse(a, new Float64Array(3)), RangeError);
  assert.throws(() => psnr(a, a), RangeError); // constant reference: range 0
});

test("Wang's window: 11 Gaussian taps (sigma 1.5, 3.5 sigma) summing to 1; the uniform one is 7 wide", () => {
  const w = ssimWindow();
  assert.is(w.length, 11);
  assert.ok(Math.abs(w.reduce((s, v) => s + v, 0) - 1) < 1e-15);
  assert.ok(Math.abs(w[5]! / w[0]! - Math.exp(25 / (2 * 2.25))) < 1e-9);
  assert.is(ssimWindow({ window: "uniform" }).length, 7);
});

test("SSIM of an image with itself is 1 (2-D and 3-D)", () => {
  const v = randomVolume(16 * 16 * 16, 2);
  const s = { nx: 16, ny: 16, nz: 16 };
  assert.ok(Math.abs(ssim(v, v, s) - 1) < 1e-12);
  assert.ok(Math.abs(ssim(v, v, s, { mode: "3d" }) - 1) < 1e-12);
});

test("SSIM of uniform images p and q equals (2pq + C1) / (p^2 + q^2 + C1)", () => {
  const n = 20 * 20 * 2;
  const p = 0.3, q = 0.5, L = 1;
  const a = new Float64Array(n).fill(p);
  const b = new Float64Array(n).fill(q);
  const C1 = (0.01 * L) ** 2;
  const expected = (2 * p * q + C1) / (p * p + q * q + C1);
  const got = ssim(a, b, { nx: 20, ny: 20, nz: 2 }, { dataRange: L });
  assert.ok(Math.abs(got - expected) < 1e-9, `${got} vs ${expected}`);
  assert.ok(expected < 0.95); // the offset is visible
});

test("SSIM with an added constant keeps the structure term at 1: equals the luminance term averaged per window", () => {
  const nx = 24, ny = 24, nz = 2;
  const a = randomVolume(nx * ny * nz, 3);
  const c = 0.25;
  const b = a.map((v) => v + c);
  const got = ssim(a, b, { nx, ny, nz }, { dataRange: 1 });
  // Reference from the definition (structure = contrast = 1 since b - mu_b = a - mu_a).
  const direct = ssimDirect2d(a, b, nx, ny, nz, ssimWindow(), 1, 1);
  assert.ok(Math.abs(got - direct) < 1e-6, `${got} vs ${direct}`);
  // Local means of U(0,1) noise under the window stay near 0.5: luminance ~ (2*0.5*0.75)/(0.25+0.5625).
  assert.ok(Math.abs(got - 0.75 / 0.8125) < 0.01, `${got}`);
});

test("SSIM of two different images matches the window-by-window definition (Gaussian and uniform windows)", () => {
  const nx = 20, ny = 18, nz = 3;
  const a = randomVolume(nx * ny * nz, 4);
  const noise = randomVolume(nx * ny * nz, 5);
  const b = a.map((v, i) => 0.7 * v + 0.4 * noise[i]!);
  const g = ssim(a, b, { nx, ny, nz });
  let lo = Infinity, hi = -Infinity;
  for (const v of b) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const gRef = ssimDirect2d(a, b, nx, ny, nz, ssimWindow(), hi - lo, 1);
  assert.ok(Math.abs(g - gRef) < 1e-6, `gaussian ${g} vs ${gRef}`);
  const u = ssim(a, b, { nx, ny, nz }, { window: "uniform", dataRange: 1 });
  const uRef = ssimDirect2d(a, b, nx, ny, nz, ssimWindow({ window: "uniform" }), 1, 49 / 48);
  assert.ok(Math.abs(u - uRef) < 1e-6, `uniform ${u} vs ${uRef}`);
  assert.ok(g > 0.3 && g < 0.95, `partly similar images: ${g}`);
});

test("3-D SSIM of uniform volumes follows the same closed form; too-small images are refused", () => {
  const s = { nx: 12, ny: 12, nz: 12 };
  const a = new Float64Array(12 ** 3).fill(0.2);
  const b = new Float64Array(12 ** 3).fill(0.6);
  const C1 = 1e-4;
  assert.ok(Math.abs(ssim(a, b, s, { mode: "3d", dataRange: 1 }) - (2 * 0.12 + C1) / (0.04 + 0.36 + C1)) < 1e-9);
  assert.throws(() => ssim(a.subarray(0, 10 * 10 * 10), b.subarray(0, 1000), { nx: 10, ny: 10, nz: 10 }, { dataRange: 1 }), RangeError);
  assert.throws(() => ssim(a, b, { nx: 12, ny: 12, nz: 11 }), RangeError);
});

test.run();
