import { test } from "uvu";
import * as assert from "uvu/assert";
import { fresnelNumber, fresnelPropagate, fresnelTransferFunction, paddedSize, type PropagationMethod } from "../../src/phase/fresnel.js";
import { fresnelIntegrals, projectionApproximationWarning, propagationSamplingWarnings } from "../../src/phase/sampling.js";
import { intensity, wavelengthM } from "../../src/phase/wave.js";

const LAMBDA_17KEV = wavelengthM(17);

/**
 * Sine integral Si at pi (m + 1/2), m = 0..count, by Simpson's rule over each segment of
 * length pi (64 panels: error < 1e-9, far below the test tolerances).
 */
function sineIntegralAtHalfIntegers(count: number): Float64Array {
  const f = (t: number): number => (t === 0 ? 1 : Math.sin(t) / t);
  const simpson = (a: number, b: number): number => {
    const n = 64, h = (b - a) / n;
    let s = f(a) + f(b);
    for (let j = 1; j < n; j++) s += (j % 2 ? 4 : 2) * f(a + j * h);
    return (s * h) / 3;
  };
  const out = new Float64Array(count + 1);
  out[0] = simpson(0, Math.PI / 2);
  for (let m = 1; m <= count; m++) out[m] = out[m - 1]! + simpson(Math.PI * (m - 0.5), Math.PI * (m + 0.5));
  return out;
}

test("Fresnel integrals: A&S table 7.7 values, odd symmetry, limits", () => {
  const table: [number, number, number][] = [
    [1, 0.7798934, 0.4382591],
    [2, 0.4882534, 0.3434157],
    [0.5, 0.4923442, 0.0647324],
    [3, 0.6057208, 0.4963130],
  ];
  for (const [x, c, s] of table) {
    const r = fresnelIntegrals(x);
    assert.ok(Math.abs(r.c - c) < 1e-7 && Math.abs(r.s - s) < 1e-7, `x=${x}: C=${r.c} S=${r.s}, table ${c} ${s}`);
    const m = fresnelIntegrals(-x);
    assert.is(m.c, -r.c);
    assert.is(m.s, -r.s);
  }
  // Continuity across the switch from the power series to the continued fraction at 2.
  const a = fresnelIntegrals(2 - 1e-9), b = fresnelIntegrals(2 + 1e-9);
  assert.ok(Math.abs(a.c - b.c) < 1e-8 && Math.abs(a.s - b.s) < 1e-8, "continuous at x = 2");
  // C, S -> 1/2 - sin/cos(pi x^2/2)/(pi x) (A&S 7.3.27-28 leading terms) for large x.
  const x = 40.3, r = fresnelIntegrals(x);
  assert.ok(Math.abs(r.c - (0.5 + Math.sin((Math.PI * x * x) / 2) / (Math.PI * x))) < 1e-5);
  assert.ok(Math.abs(r.s - (0.5 - Math.cos((Math.PI * x * x) / 2) / (Math.PI * x))) < 1e-5);
});

/**
 * Straight edge (Goodman 2005 sec. 4.5; Born & Wolf sec. 8.7): field 1 for x < 0 and
 * t = exp(-k B0 - i k D0) for x > 0. The paraxial propagation by z is
 *   u(x) = 1 + (t - 1) F(w),  F = 1/2 + (1 - i)/2 (C(w) + i S(w)),  w = x sqrt(2 / (lambda z)),
 * from u = integral u0(x') exp(i pi (x - x')^2 / (lambda z)) dx' / sqrt(i lambda z).
 * The edge is given as the band-limited (sinc-interpolated) step 1/2 + Si(pi x / dx) / pi
 * sampled at the pixel centres: a hard 0/1 step on the grid aliases its spectrum near the
 * Nyquist frequency and errs by ~ |t - 1| dx / (2 pi sqrt(lambda z)) (4e-3 here). Within
 * |x| < lambda z / (2 dx) = 36 um of the edge the band-limited edge's pattern is the hard
 * edge's; we compare within 25.6 um.
 */
test("straight-edge diffraction of a phase-and-amplitude edge matches the Fresnel-integral solution to 1e-3", () => {
  const nx = 1024, ny = 4, dx = 0.1e-6, z = 0.1;
  // The field is uniform along y, so only x needs the sampling criterion.
  assert.equal(propagationSamplingWarnings(paddedSize(nx), paddedSize(nx), dx, LAMBDA_17KEV, z), [], "sampling satisfies lambda z <= N dx^2");
  const tr = Math.exp(-0.1) * Math.cos(-0.5), ti = Math.exp(-0.1) * Math.sin(-0.5);
  const si = sineIntegralAtHalfIntegers(nx);
  const u = new Float64Array(2 * nx * ny);
  for (let y = 0; y < ny; y++) {
    for (let i = 0; i < nx; i++) {
      const xn = i - (nx - 1) / 2; // pixel centres at half-integers, edge at x = 0
      const step = 0.5 + (Math.sign(xn) * si[Math.abs(xn) - 0.5]!) / Math.PI;
      u[2 * (i + nx * y)] = 1 + (tr - 1) * step;
      u[2 * (i + nx * y) + 1] = ti * step;
    }
  }
  for (const method of ["fresnel", "angular-spectrum"] as PropagationMethod[]) {
    const v = fresnelPropagate(u, nx, ny, dx, LAMBDA_17KEV, z, { method, pad: 2, padMode: "edge" });
    let maxRel = 0, lo = Infinity, hi = 0;
    for (let i = 256; i < nx - 256; i++) {
      const w = (i - (nx - 1) / 2) * dx * Math.sqrt(2 / (LAMBDA_17KEV * z));
      const { c, s } = fresnelIntegrals(w);
      const fr = 0.5 + 0.5 * (c + s), fi = 0.5 * (s - c);
      const ar = 1 + (tr - 1) * fr - ti * fi, ai = (tr - 1) * fi + ti * fr;
      const exact = ar * ar + ai * ai;
      for (let y = 0; y < ny; y++) {
        const got = v[2 * (i + nx * y)]! ** 2 + v[2 * (i + nx * y) + 1]! ** 2;
        maxRel = Math.max(maxRel, Math.abs(got - exact) / exact);
      }
      lo = Math.min(lo, exact);
      hi = Math.max(hi, exact);
    }
    assert.ok(hi - lo > 0.3, `the fringes are strong (intensity ${lo.toFixed(3)}..${hi.toFixed(3)})`);
    assert.ok(maxRel < 1e-3, `${method}: max relative intensity error ${maxRel.toExponential(2)} (measured 4.3e-4)`);
  }
});

/** A smooth random-looking phase: a few sinusoids with incommensurate frequencies. */
function phaseScreen(nx: number, ny: number, amplitude: (x: number, y: number) => number): Float64Array {
  const u = new Float64Array(2 * nx * ny);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const phi = 1.3 * Math.sin(0.21 * x + 0.4) + 0.8 * Math.cos(0.13 * y - 0.05 * x + 1.1) + 0.6 * Math.sin(0.37 * y + 0.29 * x);
      const a = amplitude(x, y);
      u[2 * (x + nx * y)] = a * Math.cos(phi);
      u[2 * (x + nx * y) + 1] = a * Math.sin(phi);
    }
  }
  return u;
}

function total(field: Float64Array): number {
  return intensity(field).reduce((s, v) => s + v, 0);
}

/** A Gaussian beam far from the window's borders: nothing reaches the crop edges. */
const compactBeam = (nx: number, ny: number) => (x: number, y: number): number =>
  Math.exp(-(((x - nx / 2) / (nx / 10)) ** 2 + ((y - ny / 2) / (ny / 10)) ** 2));

test("Parseval: a pure phase object keeps its total intensity (periodic and zero-padded)", () => {
  const dx = 0.5e-6, z = 0.05;
  // Periodic (pad 1 on a power-of-two grid): the transfer function is unimodular, exact.
  const periodic = phaseScreen(128, 64, () => 1);
  for (const method of ["fresnel", "angular-spectrum"] as PropagationMethod[]) {
    const v = fresnelPropagate(periodic, 128, 64, dx, LAMBDA_17KEV, z, { pad: 1, method });
    const rel = Math.abs(total(v) - total(periodic)) / total(periodic);
    assert.ok(rel < 1e-10, `periodic ${method}: ${rel}`);
  }
  // Zero padding, a compact beam in a non-power-of-two window.
  const nx = 100, ny = 90;
  const beam = phaseScreen(nx, ny, compactBeam(nx, ny));
  const v = fresnelPropagate(beam, nx, ny, dx, LAMBDA_17KEV, z, { pad: 2, padMode: "zero" });
  const rel = Math.abs(total(v) - total(beam)) / total(beam);
  assert.ok(rel < 1e-10, `zero-padded: ${rel}`);
  assert.ok(Math.abs(total(v) - total(beam)) < 1e-10 * total(beam));
});

test("propagating by +z then -z returns the field", () => {
  const dx = 0.5e-6, z = 0.08;
  const periodic = phaseScreen(64, 32, (x, y) => 0.7 + 0.2 * Math.cos(0.3 * x + 0.1 * y));
  const back = fresnelPropagate(fresnelPropagate(periodic, 64, 32, dx, LAMBDA_17KEV, z, { pad: 1 }), 64, 32, dx, LAMBDA_17KEV, -z, { pad: 1 });
  let err = 0;
  for (let i = 0; i < back.length; i++) err = Math.max(err, Math.abs(back[i]! - periodic[i]!));
  assert.ok(err < 1e-10, `periodic round trip ${err}`);
  const nx = 96, ny = 80;
  const beam = phaseScreen(nx, ny, compactBeam(nx, ny));
  for (const method of ["fresnel", "angular-spectrum"] as PropagationMethod[]) {
    const there = fresnelPropagate(beam, nx, ny, dx, LAMBDA_17KEV, z, { method, padMode: "zero" });
    const again = fresnelPropagate(there, nx, ny, dx, LAMBDA_17KEV, -z, { method, padMode: "zero" });
    let e = 0, changed = 0;
    for (let i = 0; i < beam.length; i++) {
      e = Math.max(e, Math.abs(again[i]! - beam[i]!));
      changed = Math.max(changed, Math.abs(there[i]! - beam[i]!));
    }
    assert.ok(changed > 0.05, "the propagation did change the field");
    assert.ok(e < 1e-10, `${method} padded round trip ${e}`);
  }
});

test("transfer function: H(0) = 1, Fresnel phase -pi lambda z f^2, angular spectrum agrees paraxially; z = 0 copies", () => {
  const n = 16, dx = 1e-6, z = 0.2;
  const h = fresnelTransferFunction(n, n, dx, LAMBDA_17KEV, z);
  assert.is(h[0], 1);
  assert.is(h[1], 0);
  const k = 3, f = k / (n * dx);
  const expected = -Math.PI * LAMBDA_17KEV * z * f * f;
  const got = Math.atan2(h[2 * k + 1]!, h[2 * k]!);
  assert.ok(Math.abs(got - expected) < 1e-12, `phase ${got} vs ${expected}`);
  const as = fresnelTransferFunction(n, n, dx, LAMBDA_17KEV, z, "angular-spectrum");
  // They differ by the dropped fourth-order phase pi z lambda^3 f^4 / 4 (Goodman 2005 sec. 4.2.2),
  // at most 4e-9 rad here with f^2 <= 2 f_Nyquist^2.
  const fN2 = 2 * (1 / (2 * dx)) ** 2;
  const bound = (Math.PI * z * LAMBDA_17KEV ** 3 * fN2 * fN2) / 4;
  let maxDiff = 0;
  for (let i = 0; i < h.length; i++) maxDiff = Math.max(maxDiff, Math.abs(h[i]! - as[i]!));
  assert.ok(maxDiff > 0.1 * bound && maxDiff < 1.01 * bound, `angular spectrum - Fresnel ${maxDiff} vs fourth-order bound ${bound}`);
  const u = phaseScreen(8, 8, () => 1);
  assert.equal(Array.from(fresnelPropagate(u, 8, 8, dx, LAMBDA_17KEV, 0)), Array.from(u));
  assert.ok(Math.abs(fresnelNumber(1e-6, LAMBDA_17KEV, -0.1) - 1e-12 / (LAMBDA_17KEV * 0.1)) < 1e-15);
});

test("sampling warnings fire above lambda z = N dx^2 and not below; projection-approximation warning", () => {
  const n = 1024, dx = 0.1e-6;
  const zCritical = (n * dx * dx) / LAMBDA_17KEV; // 0.1404 m
  assert.equal(propagationSamplingWarnings(n, n, dx, LAMBDA_17KEV, 0.95 * zCritical), []);
  const w = propagationSamplingWarnings(n, n, dx, LAMBDA_17KEV, 1.05 * zCritical);
  assert.is(w.length, 2, "both axes");
  assert.match(w[0]!, /under-sampled along x/);
  assert.is(propagationSamplingWarnings(n, 4 * n, dx, LAMBDA_17KEV, -1.05 * zCritical).length, 1, "only the short axis; negative z alike");
  // 1 nm pixels: the paraxial approximation fails, the angular spectrum does not warn about it.
  assert.ok(propagationSamplingWarnings(1 << 20, 1 << 20, 1e-9, LAMBDA_17KEV, 1e-3).some((s) => /paraxial/.test(s)));
  assert.equal(propagationSamplingWarnings(1 << 20, 1 << 20, 1e-9, LAMBDA_17KEV, 1e-3, "angular-spectrum"), []);
  // T lambda / a^2: 20 um, 1 um -> 1.5e-3 (fine); 100 um, 0.1 um -> 0.73 (warn).
  assert.equal(projectionApproximationWarning(20e-6, 1e-6, LAMBDA_17KEV), []);
  const p = projectionApproximationWarning(100e-6, 0.1e-6, LAMBDA_17KEV);
  assert.is(p.length, 1);
  assert.match(p[0]!, /multislice/);
});

test("clear errors on bad input", () => {
  const u = new Float64Array(2 * 8 * 8);
  assert.throws(() => fresnelPropagate(u, 8, 4, 1e-6, LAMBDA_17KEV, 0.1), /needs 64/);
  assert.throws(() => fresnelPropagate(u, 8, 8, 0, LAMBDA_17KEV, 0.1), /pixel size/);
  assert.throws(() => fresnelPropagate(u, 8, 8, 1e-6, LAMBDA_17KEV, Number.NaN), /distance/);
  assert.throws(() => fresnelPropagate(u, 8, 8, 1e-6, LAMBDA_17KEV, 0.1, { pad: 0.5 }), /pad factor/);
  assert.throws(() => fresnelTransferFunction(12, 8, 1e-6, LAMBDA_17KEV, 0.1), /powers of two/);
});

test.run();
