/** Fick diffusion in a sphere: Crank's constant-flux series, exact mass balance, relaxation, C-rate flux. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FARADAY_C_PER_MOL, parseCRate, SphereDiffusion, surfaceFluxFromCRate, surfaceFluxFromCurrent } from "../../src/degradation/diffusion.js";

/** Roots of x cot x = 1 (i.e. tan x = x) in (n pi, n pi + pi/2), n = 1, 2, ..., by bisection on sin x - x cos x. */
function tanRoots(count: number): Float64Array {
  const roots = new Float64Array(count);
  for (let n = 1; n <= count; n++) {
    let lo = n * Math.PI + 1e-12;
    let hi = n * Math.PI + Math.PI / 2 - 1e-12;
    const f = (x: number) => Math.sin(x) - x * Math.cos(x);
    const flo = f(lo);
    for (let it = 0; it < 200; it++) {
      const mid = 0.5 * (lo + hi);
      if (f(mid) * flo > 0) lo = mid;
      else hi = mid;
    }
    roots[n - 1] = 0.5 * (lo + hi);
  }
  return roots;
}
const ROOTS = tanRoots(400);

/**
 * Sphere of radius a, initially empty, constant flux F0 INTO it (J. Crank, The Mathematics of
 * Diffusion, 2nd ed., 1975, sec. 6.3.2, the constant-flux solution; equation number [unverified]):
 *   C = (F0 a / D) { 3Dt/a^2 + r^2/(2a^2) - 3/10 - (2a/r) sum sin(a_n r) exp(-D a_n^2 t) / (a^2 a_n^2 sin(a_n a)) }
 * with a a_n cot(a a_n) = 1. At r = 0, sin(a_n r)/r -> a_n.
 */
function crankConstantFlux(r: number, t: number, a: number, d: number, f0: number): number {
  let sum = 0;
  for (let n = 0; n < ROOTS.length; n++) {
    const an = ROOTS[n]! / a;
    const decay = Math.exp(-d * an * an * t);
    if (decay < 1e-30) break;
    const radial = r > 0 ? Math.sin(an * r) / r : an;
    sum += (radial * decay) / (a * a * an * an * Math.sin(an * a));
  }
  return ((f0 * a) / d) * ((3 * d * t) / (a * a) + (r * r) / (2 * a * a) - 3 / 10 - 2 * a * sum);
}

const A = 5e-6;
const D = 1e-14;
const F0 = 1e-5; // mol/(m^2 s) into the particle: j = -F0

test("the series itself: zero at t = 0 everywhere (checks the roots and coefficients)", () => {
  // At t = 0 the series converges like 1/n^2; with 400 terms the remainder is ~1e-3 of F0 a / D.
  const scale = (F0 * A) / D;
  for (const r of [0.2 * A, 0.5 * A, 0.9 * A]) assert.ok(Math.abs(crankConstantFlux(r, 0, A, D, F0)) < 2e-3 * scale, `C(r=${r}, 0)`);
});

test("constant flux into a sphere: surface and centre within 1 % of Crank's series", () => {
  const sphere = new SphereDiffusion({ radiusM: A, shells: 100, diffusivityM2PerS: D, initialMolPerM3: 0 });
  const tau = A * A / D; // 2500 s
  const dt = 2e-4 * tau;
  let t = 0;
  const report: string[] = [];
  for (const target of [0.1, 0.2, 0.5, 1.0]) {
    while (t < target * tau - 1e-9 * tau) {
      sphere.step(dt, -F0);
      t += dt;
    }
    const surface = crankConstantFlux(A, t, A, D, F0);
    const centre = crankConstantFlux(0, t, A, D, F0);
    const es = Math.abs(sphere.surfaceConcentration() / surface - 1);
    const ec = Math.abs(sphere.centreConcentration() / centre - 1);
    report.push(`Dt/a^2=${target}: surface ${es.toExponential(2)}, centre ${ec.toExponential(2)}`);
    assert.ok(es < 0.01, `surface at Dt/a^2 = ${target}: ${sphere.surfaceConcentration()} vs ${surface}`);
    assert.ok(ec < 0.01, `centre at Dt/a^2 = ${target}: ${sphere.centreConcentration()} vs ${centre}`);
  }
  if (process.env.XTWIN_VERBOSE) console.log(report.join("\n"));
});

test("mass conservation: total mol changes by -j 4 pi R^2 t exactly (to 1e-12), also with D(c) and Crank–Nicolson", () => {
  for (const [diffusivity, theta] of [[D, 1], [(c: number) => D * (1 + c / 20000), 1], [D, 0.5]] as const) {
    const sphere = new SphereDiffusion({ radiusM: A, shells: 30, diffusivityM2PerS: diffusivity, initialMolPerM3: 40000, theta, picardIterations: 3 });
    const n0 = sphere.totalMol();
    const j = 2e-5;
    const dt = 7.3;
    for (let s = 0; s < 200; s++) sphere.step(dt, j);
    const expected = n0 - j * 4 * Math.PI * A * A * dt * 200;
    assert.ok(Math.abs(sphere.totalMol() / expected - 1) < 1e-12, `total ${sphere.totalMol()} vs ${expected}`);
    assert.ok(Math.abs(sphere.averageConcentration() / (expected / ((4 / 3) * Math.PI * A ** 3)) - 1) < 1e-12);
  }
});

test("relaxation: after the flux stops the profile becomes uniform at the mean", () => {
  const sphere = new SphereDiffusion({ radiusM: A, shells: 40, diffusivityM2PerS: D, initialMolPerM3: 30000 });
  for (let s = 0; s < 100; s++) sphere.step(5, 3e-5);
  const mean = sphere.averageConcentration();
  const c = sphere.concentration;
  assert.ok(c[0]! - c[39]! > 1000, `a gradient built up: centre ${c[0]} surface shell ${c[39]}`);
  // Slowest mode decays as exp(-4.4934^2 D t / a^2): after 3 a^2/D it is below 1e-26.
  for (let s = 0; s < 300; s++) sphere.step(0.01 * A * A / D, 0);
  for (let i = 0; i < 40; i++) assert.ok(Math.abs(c[i]! / mean - 1) < 1e-9, `shell ${i}: ${c[i]} vs mean ${mean}`);
  assert.ok(Math.abs(sphere.surfaceConcentration() / mean - 1) < 1e-9);
});

test("C-rates parse and give j = I / (F 4 pi R^2)", () => {
  assert.is(parseCRate("4C"), 4);
  assert.is(parseCRate("1C"), 1);
  assert.is(parseCRate("C/3"), 1 / 3);
  assert.is(parseCRate("0.5C"), 0.5);
  assert.is(parseCRate(2), 2);
  assert.throws(() => parseCRate("fast"), /expected a C-rate such as "1C", "C\/3" or "0.5C", got "fast"/);
  assert.throws(() => parseCRate("0C"), /positive/);
  // 1C on a particle of capacity F * dc * V: I = F dc V / 3600 s; j = dc R / (3 * 3600 s).
  const r = 5e-6;
  const dc = 40000;
  const j = surfaceFluxFromCRate("1C", r, dc);
  assert.ok(Math.abs(j / ((dc * r) / (3 * 3600)) - 1) < 1e-14, `j = ${j}`);
  const current = (FARADAY_C_PER_MOL * dc * (4 / 3) * Math.PI * r ** 3) / 3600;
  assert.ok(Math.abs(surfaceFluxFromCurrent(current, r) / j - 1) < 1e-14);
  // One nominal charge at 1C empties exactly dc from the average concentration.
  const sphere = new SphereDiffusion({ radiusM: r, shells: 20, diffusivityM2PerS: 1e-14, initialMolPerM3: 50000 });
  for (let s = 0; s < 100; s++) sphere.step(36, j);
  assert.ok(Math.abs(sphere.averageConcentration() - (50000 - dc)) < 1e-7, `${sphere.averageConcentration()}`);
});

test("bad input gives RangeErrors that say what was expected", () => {
  assert.throws(() => new SphereDiffusion({ radiusM: -1, shells: 10, diffusivityM2PerS: D, initialMolPerM3: 0 }), /radiusM must be a positive/);
  assert.throws(() => new SphereDiffusion({ radiusM: A, shells: 1, diffusivityM2PerS: D, initialMolPerM3: 0 }), /shells must be an integer >= 2/);
  assert.throws(() => new SphereDiffusion({ radiusM: A, shells: 3, diffusivityM2PerS: D, initialMolPerM3: [1, 2] }), /one per shell/);
  const s = new SphereDiffusion({ radiusM: A, shells: 3, diffusivityM2PerS: D, initialMolPerM3: 0 });
  assert.throws(() => s.step(0, 1), /dtS must be a positive/);
});

test.run();
