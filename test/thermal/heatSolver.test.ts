import { test } from "uvu";
import * as assert from "uvu/assert";
import { uniformBoundaries, type ThermalBoundaries } from "../../src/thermal/conductionOperator.js";
import { HeatSolver, steadyState } from "../../src/thermal/heatSolver.js";
import type { ThermalGrid, ThermalProperties } from "../../src/thermal/thermalGrid.js";
import { assertRelClose } from "../helpers.js";

const T0 = 300;
const ADIABATIC = { type: "adiabatic" } as const;
const FIXED = { type: "fixed", temperatureK: T0 } as const;

function uniformProps(n: number, k: number, rhoCp: number): ThermalProperties {
  return { conductivity: new Float64Array(n).fill(k), heatCapacity: new Float64Array(n).fill(rhoCp) };
}

// ---------------------------------------------------------------- uniformly heated slab
// Slab 0 < x < L, faces x = 0 and x = L at T0, uniform q: a 1-D strip of N cells.
const SLAB = { n: 64, L: 6.4e-3, k: 1, rhoCp: 1e6, q: 1e6 };
const slabGrid: ThermalGrid = { nx: SLAB.n, ny: 1, nz: 1, spacingM: SLAB.L / SLAB.n };
const slabBoundaries: ThermalBoundaries = { ...uniformBoundaries(ADIABATIC), xMin: FIXED, xMax: FIXED };
const slabQ = new Float64Array(SLAB.n).fill(SLAB.q);
const slabX = (i: number) => (i + 0.5) * slabGrid.spacingM;

test("heated slab, steady: T - T0 = q x (L - x) / (2 k) within 1 %; FV offset is exactly q s^2 / (8 k)", () => {
  const { q, k, L } = SLAB;
  const s = slabGrid.spacingM;
  const { temperatureK } = steadyState(slabGrid, uniformProps(SLAB.n, k, SLAB.rhoCp), slabBoundaries, slabQ, { tolerance: 1e-13 });
  // The 3-point interior stencil is exact for a quadratic; the half-cell boundary flux is not,
  // and that error shifts the whole discrete profile up by the constant q s^2 / (8 k):
  // relative error (s/L)^2 at the centre, about s / (2 x) next to a wall (0.8 % for N = 64).
  const offset = (q * s * s) / (8 * k);
  let worst = 0;
  for (let i = 0; i < SLAB.n; i++) {
    const x = slabX(i);
    const exact = (q * x * (L - x)) / (2 * k);
    const rise = temperatureK[i]! - T0;
    worst = Math.max(worst, Math.abs(rise / exact - 1));
    assertRelClose(rise - exact, offset, 1e-6, `FV offset at cell ${i}`);
  }
  assert.ok(worst < 0.01, `worst relative error ${worst}`);
});

/**
 * Carslaw & Jaeger (2nd ed. 1959), section 3.14 (slab with constant heat production, faces
 * at zero), rewritten for 0 < x < L by separation of variables:
 *   theta = q x (L - x) / (2 k) - (4 q L^2 / (k pi^3)) sum_{n odd} sin(n pi x / L) exp(-n^2 pi^2 alpha t / L^2) / n^3.
 */
function slabFourier(x: number, t: number): number {
  const { q, k, L, rhoCp } = SLAB;
  const alpha = k / rhoCp;
  let sum = 0;
  for (let n = 1; n < 400; n += 2) {
    sum += (Math.sin((n * Math.PI * x) / L) * Math.exp((-n * n * Math.PI * Math.PI * alpha * t) / (L * L))) / (n * n * n);
  }
  return (q * x * (L - x)) / (2 * k) - ((4 * q * L * L) / (k * Math.PI ** 3)) * sum;
}

test("heated slab, transient: backward Euler follows the Fourier series (Carslaw & Jaeger 3.14) within 0.5 %", () => {
  const tau = (SLAB.L * SLAB.L * SLAB.rhoCp) / SLAB.k; // diffusion time L^2 / alpha
  const dt = tau / 4000;
  const solver = new HeatSolver(slabGrid, uniformProps(SLAB.n, SLAB.k, SLAB.rhoCp), slabBoundaries, T0);
  const checkpoints = [0.01, 0.03, 0.1, 0.3];
  let stepCount = 0;
  let worst = 0;
  for (const frac of checkpoints) {
    const target = Math.round((frac * tau) / dt);
    while (stepCount < target) {
      solver.step(dt, slabQ);
      stepCount++;
    }
    for (const i of [4, 16, 31]) {
      const expected = slabFourier(slabX(i), solver.timeS);
      const err = Math.abs((solver.temperatureK[i]! - T0) / expected - 1);
      worst = Math.max(worst, err);
      // The issue asks for 2 %; dt = tau / 4000 and N = 64 give <= 0.2 %, so hold it to 0.5 %.
      assert.ok(err < 0.005, `t = ${frac} tau, cell ${i}: got ${solver.temperatureK[i]! - T0}, expected ${expected}`);
    }
  }
  assert.ok(worst > 0, "the comparison ran");
});

// ---------------------------------------------------------------- Gaussian spot on a half-space
// Surface flux q''(r) = P / (2 pi s^2) exp(-r^2 / (2 s^2)) on the adiabatic top face of a large
// body whose other faces are at T0. Centre rise of the half-space (Lax 1977, with the 1/e
// radius w = sqrt(2) s): Delta T = P / (2 sqrt(pi) k w) = P / (2 sqrt(2 pi) k s).
function gaussianSpotRise(n: number, nz: number, h: number, sigma: number, power: number, k: number): number {
  const grid: ThermalGrid = { nx: n, ny: n, nz, spacingM: h };
  const cells = n * n * nz;
  const q = new Float64Array(cells);
  // The flux enters through the top face; in finite volumes that is a source in the top cell layer.
  const top = n * n * (nz - 1);
  let sum = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const x = (i - (n - 1) / 2) * h;
      const y = (j - (n - 1) / 2) * h;
      const v = Math.exp(-(x * x + y * y) / (2 * sigma * sigma));
      q[top + i + n * j] = v;
      sum += v;
    }
  }
  // Normalise the sampled Gaussian to deliver exactly P.
  const scale = power / (sum * h * h * h);
  for (let c = top; c < cells; c++) q[c] *= scale;
  const boundaries: ThermalBoundaries = { ...uniformBoundaries(FIXED), zMax: ADIABATIC };
  const { temperatureK } = steadyState(grid, uniformProps(cells, k, 1e6), boundaries, q);
  const centre = top + (n - 1) / 2 + n * ((n - 1) / 2);
  // The top cell's value sits half a cell below the surface; the face flux q_c h gives the
  // surface value: T_surface = T_cell + q_c h^2 / (2 k).
  return temperatureK[centre]! - T0 + (q[centre]! * h * h) / (2 * k);
}

test("Gaussian spot on a half-space: centre rise P / (2 sqrt(2 pi) k s) (Lax 1977) within 2.5 %", () => {
  const h = 1e-6;
  const sigma = 3 * h;
  const power = 1e-3;
  const k = 1;
  const expected = power / (2 * Math.sqrt(2 * Math.PI) * k * sigma);
  // A box held at T0 at distance R lowers the centre by ~ P / (2 pi k R): ~ 0.8 s / R relative.
  // Two box sizes of the same shape remove that 1/R term by extrapolation.
  const small = { n: 31, nz: 16 };
  const large = { n: 51, nz: 26 };
  const r1 = gaussianSpotRise(small.n, small.nz, h, sigma, power, k);
  const r2 = gaussianSpotRise(large.n, large.nz, h, sigma, power, k);
  const R1 = small.n / 2;
  const R2 = large.n / 2;
  const extrapolated = (R2 * r2 - R1 * r1) / (R2 - R1);
  assert.ok(r1 < r2 && r2 < expected * 1.01, `finite boxes run cold: ${r1}, ${r2} vs ${expected}`);
  // What remains after the extrapolation is the O((h/s)^2) sampling error of a spot 3 cells
  // wide: 1.65 % here (0.93 % at s = 4 h, i.e. ~ 0.15 (h/s)^2); larger boxes change it < 0.01 %.
  assertRelClose(extrapolated, expected, 0.025, "extrapolated centre rise");
});

// ---------------------------------------------------------------- energy balance
function mixedCube(n: number): { grid: ThermalGrid; props: ThermalProperties; power: Float64Array } {
  const grid: ThermalGrid = { nx: n, ny: n, nz: n, spacingM: 20e-6 };
  const cells = n * n * n;
  const props = uniformProps(cells, 0.5, 2e6);
  const power = new Float64Array(cells);
  for (let c = 0; c < cells; c++) {
    // A deterministic mix of electrolyte-, oxide- and metal-like cells.
    const m = (c * 7919) % 5;
    props.conductivity[c] = m === 0 ? 400 : m === 1 ? 4 : 0.3;
    props.heatCapacity[c] = m === 0 ? 3.4e6 : m === 1 ? 3.0e6 : 1.8e6;
    const i = c % n;
    const j = ((c / n) | 0) % n;
    if (Math.abs(i - n / 2) < 3 && Math.abs(j - n / 2) < 3) power[c] = 5e9; // a beam column along z
  }
  return { grid, props, power };
}

function storedEnergy(props: ThermalProperties, T: Float64Array, volume: number): number {
  let e = 0;
  for (let c = 0; c < T.length; c++) e += props.heatCapacity[c]! * volume * (T[c]! - T0);
  return e;
}

test("adiabatic box with a power pulse: stored energy = delivered (1e-9), then uniform at T0 + E / sum(C)", () => {
  const { grid, props, power } = mixedCube(16);
  const solver = new HeatSolver(grid, props, uniformBoundaries(ADIABATIC), T0, { tolerance: 1e-12 });
  const dt = 1e-3;
  for (let s = 0; s < 5; s++) solver.step(dt, power);
  const volume = grid.spacingM ** 3;
  let delivered = 0;
  for (let c = 0; c < power.length; c++) delivered += power[c]! * volume * 5 * dt;
  assertRelClose(solver.energyDeliveredJ, delivered, 1e-12, "delivered energy");
  assertRelClose(storedEnergy(props, solver.temperatureK, volume), delivered, 1e-9, "stored energy after the pulse");
  for (let s = 0; s < 10; s++) solver.step(1, null); // 1 s steps: >> the box's diffusion time
  let capacity = 0;
  for (let c = 0; c < power.length; c++) capacity += props.heatCapacity[c]! * volume;
  const uniform = T0 + delivered / capacity;
  let spread = 0;
  for (const t of solver.temperatureK) spread = Math.max(spread, Math.abs(t - uniform));
  assert.ok(spread < 1e-6 * (uniform - T0), `equilibrium spread ${spread} K around ${uniform} K`);
  assert.ok(Math.abs(solver.energyBalanceErrorJ()) < 1e-9 * delivered, `balance error ${solver.energyBalanceErrorJ()} J`);
  assert.is(solver.boundaryHeatLossJ, 0);
});

test("convective and fixed faces: stored + lost = delivered (1e-9 relative), loss > 0", () => {
  const { grid, props, power } = mixedCube(16);
  const boundaries: ThermalBoundaries = {
    ...uniformBoundaries({ type: "convection", hWPerM2K: 1e4, ambientK: T0 }),
    zMin: FIXED,
  };
  const solver = new HeatSolver(grid, props, boundaries, T0);
  for (let s = 0; s < 8; s++) solver.step(2e-3, s < 4 ? power : null);
  const volume = grid.spacingM ** 3;
  const stored = storedEnergy(props, solver.temperatureK, volume);
  assert.ok(solver.boundaryHeatLossJ > 0.01 * solver.energyDeliveredJ, `heat left: ${solver.boundaryHeatLossJ} J`);
  assertRelClose(stored + solver.boundaryHeatLossJ, solver.energyDeliveredJ, 1e-9, "stored + lost");
});

// ---------------------------------------------------------------- linearity and stability
test("linearity: twice the power gives twice the temperature rise (to the solver tolerance)", () => {
  const { grid, props, power } = mixedCube(12);
  const double = Float64Array.from(power, (p) => 2 * p);
  const boundaries: ThermalBoundaries = { ...uniformBoundaries(ADIABATIC), zMin: FIXED, xMax: { type: "convection", hWPerM2K: 1e3, ambientK: T0 } };
  const a = new HeatSolver(grid, props, boundaries, T0);
  const b = new HeatSolver(grid, props, boundaries, T0);
  for (let s = 0; s < 6; s++) {
    a.step(5e-3, power);
    b.step(5e-3, double);
  }
  let worst = 0;
  let peak = 0;
  for (let c = 0; c < power.length; c++) {
    const ra = a.temperatureK[c]! - T0;
    worst = Math.max(worst, Math.abs(b.temperatureK[c]! - T0 - 2 * ra));
    peak = Math.max(peak, ra);
  }
  assert.ok(peak > 0.1, `the beam heats: peak ${peak} K`);
  assert.ok(worst < 1e-8 * peak, `departure from linearity ${worst} K (peak rise ${peak} K)`);
});

test("stability: 1000x the explicit step stays bounded and monotone for a heated cube", () => {
  const n = 16;
  const grid: ThermalGrid = { nx: n, ny: n, nz: n, spacingM: 50e-6 };
  const cells = n ** 3;
  const props = uniformProps(cells, 1, 2e6);
  const q = new Float64Array(cells).fill(1e8);
  const boundaries = uniformBoundaries(FIXED);
  const steady = steadyState(grid, props, boundaries, q, { tolerance: 1e-12 }).temperatureK;
  let steadyMax = 0;
  for (const t of steady) steadyMax = Math.max(steadyMax, t);
  const solver = new HeatSolver(grid, props, boundaries, T0);
  const dt = 1000 * solver.explicitStepLimitS();
  const centre = n / 2 + n * (n / 2 + n * (n / 2));
  let previous = T0;
  for (let s = 0; s < 12; s++) {
    solver.step(dt, q);
    let min = Infinity;
    let max = -Infinity;
    for (const t of solver.temperatureK) {
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
    assert.ok(min >= T0 - 1e-9, `step ${s}: no undershoot below T0 (min ${min})`);
    assert.ok(max <= steadyMax + 1e-9, `step ${s}: no overshoot above the steady maximum (${max} > ${steadyMax})`);
    const tc = solver.temperatureK[centre]!;
    // Once steady, successive steps differ by round-off of ~300 K numbers (1e-13 K), not more.
    assert.ok(tc >= previous - 1e-9, `step ${s}: centre rises monotonically (${tc} after ${previous})`);
    previous = tc;
  }
  assertRelClose(previous - T0, steady[centre]! - T0, 1e-6, "centre reaches the steady rise");
});

test("bad input is refused with a RangeError that says what was expected", () => {
  const grid: ThermalGrid = { nx: 4, ny: 4, nz: 4, spacingM: 1e-5 };
  const props = uniformProps(64, 1, 1e6);
  assert.throws(() => new HeatSolver(grid, uniformProps(8, 1, 1e6), uniformBoundaries(ADIABATIC), T0), /expected 64/);
  assert.throws(() => new HeatSolver(grid, props, uniformBoundaries({ type: "fixed", temperatureK: -1 }), T0), /kelvin/);
  const solver = new HeatSolver(grid, props, uniformBoundaries(ADIABATIC), T0);
  assert.throws(() => solver.step(0, null), /time step/);
  assert.throws(() => solver.step(1, new Float64Array(3)), /expected 64/);
  assert.throws(() => steadyState(grid, props, uniformBoundaries(ADIABATIC), null), /at least one fixed/);
});

test.run();
