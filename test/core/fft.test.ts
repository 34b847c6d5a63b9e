import { test } from "uvu";
import * as assert from "uvu/assert";
import { fft, fft2d, fftFrequency, ifft, nextPowerOfTwo, realFft } from "../../src/core/fft.js";

/** Direct O(N^2) DFT, the definition the FFT must reproduce. */
function dft(x: Float64Array): Float64Array {
  const n = x.length >> 1;
  const out = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    let re = 0, im = 0;
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * k * j) / n;
      re += x[2 * j]! * Math.cos(a) - x[2 * j + 1]! * Math.sin(a);
      im += x[2 * j]! * Math.sin(a) + x[2 * j + 1]! * Math.cos(a);
    }
    out[2 * k] = re;
    out[2 * k + 1] = im;
  }
  return out;
}

function signal(n: number): Float64Array {
  const x = new Float64Array(2 * n);
  for (let j = 0; j < 2 * n; j++) x[j] = Math.sin(0.37 * j * j + 1) + 0.25 * Math.cos(3.1 * j);
  return x;
}

test("FFT equals the direct DFT and the inverse returns the signal (N = 2 .. 256)", () => {
  for (const n of [2, 4, 8, 32, 256]) {
    const x = signal(n);
    const X = new Float64Array(2 * n);
    fft(x, X);
    const ref = dft(x);
    for (let i = 0; i < 2 * n; i++) assert.ok(Math.abs(X[i]! - ref[i]!) < 1e-9 * n, `N=${n} bin ${i}: ${X[i]} vs ${ref[i]}`);
    const back = new Float64Array(2 * n);
    ifft(X, back);
    for (let i = 0; i < 2 * n; i++) assert.ok(Math.abs(back[i]! - x[i]!) < 1e-12, `round trip N=${n}`);
  }
});

test("real FFT gives the Hermitian full spectrum of the complex FFT; Parseval holds", () => {
  const n = 64;
  const r = new Float64Array(n).map((_, j) => Math.exp(-((j - 20) ** 2) / 30) - 0.1 * j);
  const c = new Float64Array(2 * n);
  for (let j = 0; j < n; j++) c[2 * j] = r[j]!;
  const a = new Float64Array(2 * n);
  const b = new Float64Array(2 * n);
  realFft(r, a);
  fft(c, b);
  for (let i = 0; i < 2 * n; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-9);
  let e = 0, E = 0;
  for (let j = 0; j < n; j++) e += r[j]! ** 2;
  for (let k = 0; k < n; k++) E += a[2 * k]! ** 2 + a[2 * k + 1]! ** 2;
  assert.ok(Math.abs(E / n - e) < 1e-9 * e, `Parseval: ${E / n} vs ${e}`);
});

test("2-D FFT of a plane wave is one delta at its frequency; inverse returns the image", () => {
  const nx = 16, ny = 8, kx = 3, ky = 5;
  const img = new Float64Array(2 * nx * ny);
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    const ph = 2 * Math.PI * (kx * x / nx + ky * y / ny);
    img[2 * (x + nx * y)] = Math.cos(ph);
    img[2 * (x + nx * y) + 1] = Math.sin(ph);
  }
  const orig = img.slice();
  fft2d(img, nx, ny);
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    const mag = Math.hypot(img[2 * (x + nx * y)]!, img[2 * (x + nx * y) + 1]!);
    assert.ok(Math.abs(mag - (x === kx && y === ky ? nx * ny : 0)) < 1e-9, `bin ${x},${y}: ${mag}`);
  }
  fft2d(img, nx, ny, true);
  for (let i = 0; i < img.length; i++) assert.ok(Math.abs(img[i]! - orig[i]!) < 1e-12);
  const sq = img.slice(0, 2 * 8 * 8);
  const sqOrig = sq.slice();
  fft2d(sq, 8, 8);
  fft2d(sq, 8, 8, true);
  for (let i = 0; i < sq.length; i++) assert.ok(Math.abs(sq[i]! - sqOrig[i]!) < 1e-12, "square image round trip");
});

test("sizes and frequencies: powers of two, numpy's fftfreq, clear errors", () => {
  assert.is(nextPowerOfTwo(1), 2);
  assert.is(nextPowerOfTwo(513), 1024);
  assert.equal([0, 1, 2, 3, 4, 5, 6, 7].map((k) => fftFrequency(k, 8)), [0, 0.125, 0.25, 0.375, -0.5, -0.375, -0.25, -0.125]);
  assert.throws(() => fft(new Float64Array(12), new Float64Array(12)), /power of two/);
  assert.throws(() => fft(new Float64Array(8), new Float64Array(6)), /needs 8/);
});

test.run();
