import { test } from "uvu";
import * as assert from "uvu/assert";
import type { VolumeGrid } from "../../../src/core/grid.js";
import { cropCentredXY, tortuosityFactor, type TortuosityOptions } from "../../../src/phantoms/microstructure/tortuosity.js";
import { assertRelClose } from "../../helpers.js";

const grid = (nx: number, ny: number, nz: number): VolumeGrid => ({ nx, ny, nz, voxelSizeM: 1e-6 });
const at = (g: VolumeGrid, i: number, j: number, k: number): number => i + g.nx * (j + g.ny * k);

/** D_eff / D of a simple cubic array of non-conducting spheres (Lord Rayleigh, Phil. Mag. 34 (1892) 481). */
const rayleigh = (phi: number): number => 1 - (3 * phi) / (2 + phi - 0.3058 * phi ** (10 / 3));

/** Conducting matrix around one sphere of volume fraction ~phi0 per cubic cell of `cell` voxels; returns mask and measured phi. */
function sphereArray(cell: number, cells: readonly [number, number, number], phi0: number): { mask: Uint8Array; g: VolumeGrid; phi: number } {
  const g = grid(cell * cells[0], cell * cells[1], cell * cells[2]);
  const r = cell * Math.cbrt((3 * phi0) / (4 * Math.PI));
  const mask = new Uint8Array(g.nx * g.ny * g.nz);
  let solid = 0;
  for (let k = 0; k < g.nz; k++) for (let j = 0; j < g.ny; j++) for (let i = 0; i < g.nx; i++) {
    const dx = (i % cell) + 0.5 - cell / 2, dy = (j % cell) + 0.5 - cell / 2, dz = (k % cell) + 0.5 - cell / 2;
    const inside = dx * dx + dy * dy + dz * dz <= r * r;
    mask[at(g, i, j, k)] = inside ? 0 : 1;
    if (inside) solid++;
  }
  return { mask, g, phi: solid / mask.length };
}

test("straight channels along z (and an open volume): tau = 1 and D_eff / D = eps to 1e-6", () => {
  const g = grid(20, 18, 30);
  const mask = new Uint8Array(g.nx * g.ny * g.nz);
  let phase = 0;
  for (let k = 0; k < g.nz; k++) for (let j = 0; j < g.ny; j++) for (let i = 0; i < g.nx; i++) {
    // 1-voxel channels on a 3-grid plus a 3 x 2 channel: straight, of different widths.
    const on = (i % 3 === 0 && j % 3 === 0 && i < 12) || (i >= 14 && i < 17 && j >= 5 && j < 7);
    if (on) { mask[at(g, i, j, k)] = 1; phase++; }
  }
  const res = tortuosityFactor(mask, g);
  assert.ok(res.percolates && res.converged);
  assertRelClose(res.tau, 1, 1e-6, "tau of straight channels");
  assertRelClose(res.relativeDiffusivity, phase / mask.length, 1e-6, "D_eff / D = eps");
  assert.ok(res.fluxSpread < 1e-5, `flux spread ${res.fluxSpread}`);
  const open = tortuosityFactor(new Uint8Array(mask.length).fill(1), g);
  assertRelClose(open.tau, 1, 1e-6, "open volume");
  assertRelClose(open.relativeDiffusivity, 1, 1e-6, "open volume D_eff / D");
});

test("channels along x do not percolate in z: tau = Infinity, D_eff = 0, percolates false", () => {
  const g = grid(16, 8, 12);
  const mask = new Uint8Array(g.nx * g.ny * g.nz);
  for (let k = 1; k < g.nz; k += 3) for (let j = 0; j < g.ny; j += 2) for (let i = 0; i < g.nx; i++) mask[at(g, i, j, k)] = 1;
  const res = tortuosityFactor(mask, g);
  assert.is(res.percolates, false);
  assert.is(res.tau, Infinity);
  assert.is(res.relativeDiffusivity, 0);
  assert.is(res.percolatingFraction, 0);
  assert.ok(res.volumeFraction > 0);
  // An empty phase too.
  assert.is(tortuosityFactor(new Uint8Array(mask.length), g).tau, Infinity);
});

test("two-layer series medium of 1-voxel wires (straight, then serpentine): exact tau = (N / nz)^2", () => {
  // Each wire is a simple voxel path of N voxels: N - 1 unit links plus two half-voxel
  // boundary links, resistance N (in units 1 / (D h)). Layer 1 (n1 layers) is straight, layer 2
  // (n2 layers) a serpentine taking 2 voxels per layer, so the layer resistances n1 and 2 n2 add
  // in series: flux per wire 1 / N, N = n1 + 2 n2; D_eff / D = W nz / (nx ny N),
  // eps = W N / (nx ny nz), tau = eps / (D_eff / D) = (N / nz)^2.
  const Wx = 3, Wy = 3, n1 = 8, n2 = 16;
  const g = grid(4 * Wx + 1, 2 * Wy + 1, n1 + n2);
  const mask = new Uint8Array(g.nx * g.ny * g.nz);
  for (let w = 0; w < Wx; w++) for (let v = 0; v < Wy; v++) {
    const x0 = 4 * w + 1, y0 = 2 * v + 1;
    for (let k = 0; k < n1; k++) mask[at(g, x0, y0, k)] = 1;
    for (let kk = 0; kk < n2; kk++) {
      const k = n1 + kk;
      const phase = kk % 4;
      if (phase === 0 || phase === 2) for (let d = 0; d < 3; d++) mask[at(g, x0 + d, y0, k)] = 1;
      else mask[at(g, phase === 1 ? x0 + 2 : x0, y0, k)] = 1;
    }
  }
  const N = n1 + 2 * n2, W = Wx * Wy;
  for (const o of [{}, { preconditioner: "jacobi" }, { coarseCorrection: false }] as TortuosityOptions[]) {
    const res = tortuosityFactor(mask, g, o);
    assertRelClose(res.relativeDiffusivity, (W * g.nz) / (g.nx * g.ny * N), 1e-6, `D_eff / D ${JSON.stringify(o)}`);
    assertRelClose(res.tau, (N / g.nz) ** 2, 1e-6, `tau ${JSON.stringify(o)}`);
  }
});

test("isolated and dead-end voxels carry no flux but count in eps (TauFactor's convention)", () => {
  const g = grid(12, 12, 20);
  const mask = new Uint8Array(g.nx * g.ny * g.nz);
  let channel = 0;
  for (let k = 0; k < g.nz; k++) { mask[at(g, 2, 2, k)] = 1; mask[at(g, 7, 7, k)] = 1; channel += 2; }
  // Isolated cube, and a dead-end branch off the first channel.
  for (let k = 8; k < 11; k++) for (let j = 8; j < 11; j++) for (let i = 1; i < 4; i++) mask[at(g, i, j, k)] = 1;
  for (let i = 3; i < 6; i++) mask[at(g, i, 2, 10)] = 1;
  let phase = 0;
  for (const m of mask) phase += m;
  const res = tortuosityFactor(mask, g);
  assertRelClose(res.volumeFraction, phase / mask.length, 1e-12, "eps counts all phase voxels");
  assertRelClose(res.relativeDiffusivity, channel / mask.length, 1e-6, "only the channels conduct");
  assertRelClose(res.tau, phase / channel, 1e-6, "tau = eps / eps_channels");
  assertRelClose(res.percolatingFraction, (channel + 3) / phase, 1e-12, "dead end is connected to both faces via the channel");
});

test("simple cubic array of spheres, phi = 0.2: tau = eps / (D_eff/D) against Rayleigh (1892)", () => {
  // Cell faces normal to z are equipotentials and the others mirror planes, so several cells
  // give the single-cell value. Maxwell's dilute limit 2 eps / (3 - eps) = 0.72727 at
  // eps = 0.8 and Rayleigh's 0.72710 differ by 0.02%.
  const single = sphereArray(30, [1, 1, 1], 0.2);
  const several = sphereArray(30, [2, 2, 2], 0.2);
  const tau1 = tortuosityFactor(single.mask, single.g).tau;
  const res = tortuosityFactor(several.mask, several.g);
  assertRelClose(res.tau, tau1, 1e-5, "2 x 2 x 2 cells = one cell");
  const tauRayleigh = (phi: number): number => (1 - phi) / rayleigh(phi);
  // Voxel staircases on the sphere add a first-order bias (+0.65 / (voxels per cell), fitted
  // over 16..56 voxels per cell): 2.1% at 30 voxels per cell.
  assertRelClose(res.tau, tauRayleigh(several.phi), 0.025, "30 voxels per cell");
  // Richardson extrapolation of the relative error over h and h/2 removes the O(h) bias.
  const err = (cell: number): number => {
    const s = sphereArray(cell, [1, 1, 1], 0.2);
    return tortuosityFactor(s.mask, s.g).tau / tauRayleigh(s.phi) - 1;
  };
  const extrapolated = 2 * err(48) - err(24);
  assert.ok(Math.abs(extrapolated) < 0.005, `extrapolated error ${(extrapolated * 100).toFixed(3)}%`);
});

test("preconditioners agree on a random medium; progress and abort", () => {
  const g = grid(40, 40, 48);
  const mask = new Uint8Array(g.nx * g.ny * g.nz);
  let seed = 12345;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  mask.fill(1);
  for (let s = 0; s < 60; s++) {
    const cx = rnd() * g.nx, cy = rnd() * g.ny, cz = rnd() * g.nz, r = 3 + 4 * rnd();
    for (let k = 0; k < g.nz; k++) for (let j = 0; j < g.ny; j++) for (let i = 0; i < g.nx; i++) {
      if ((i + 0.5 - cx) ** 2 + (j + 0.5 - cy) ** 2 + (k + 0.5 - cz) ** 2 <= r * r) mask[at(g, i, j, k)] = 0;
    }
  }
  const calls: number[] = [];
  const ref = tortuosityFactor(mask, g, { tolerance: 1e-8, onProgress: (p) => calls.push(p.iteration), progressInterval: 5 });
  assert.ok(ref.converged && ref.tau > 1 && ref.tau < 3, `tau ${ref.tau}`);
  assert.ok(ref.fluxSpread < 1e-5, `flux spread ${ref.fluxSpread}`);
  assert.ok(calls.length >= 2 && calls[calls.length - 1] === ref.iterations);
  for (const o of [{ preconditioner: "jacobi" }, { coarseCorrection: false }] as TortuosityOptions[]) {
    const res = tortuosityFactor(mask, g, o);
    assert.ok(res.converged);
    assertRelClose(res.tau, ref.tau, 1e-5, JSON.stringify(o));
  }
  const ctrl = new AbortController();
  assert.throws(() => tortuosityFactor(mask, g, { onProgress: (p) => { if (p.iteration >= 1) ctrl.abort(new Error("stop")); }, progressInterval: 1, signal: ctrl.signal }), /stop/);
  const capped = tortuosityFactor(mask, g, { maxIterations: 2 });
  assert.is(capped.converged, false);
  assert.is(capped.iterations, 2);
});

test("cropCentredXY: centred offsets, all of z, same array type; clamps to the grid", () => {
  const g = grid(7, 6, 3);
  const v = new Uint32Array(g.nx * g.ny * g.nz).map((_, n) => n);
  const c = cropCentredXY(v, g, 3, 4);
  assert.equal(c.offset, [2, 1]);
  assert.equal({ ...c.grid }, { nx: 3, ny: 4, nz: 3, voxelSizeM: 1e-6 });
  assert.ok(c.volume instanceof Uint32Array);
  for (let k = 0; k < 3; k++) for (let j = 0; j < 4; j++) for (let i = 0; i < 3; i++) {
    assert.is(c.volume[i + 3 * (j + 4 * k)], at(g, i + 2, j + 1, k));
  }
  const big = cropCentredXY(new Uint8Array(g.nx * g.ny * g.nz), g, 100, 100);
  assert.equal([big.grid.nx, big.grid.ny], [7, 6]);
  assert.throws(() => cropCentredXY(v, g, 0, 3), RangeError);
});

test.run();
