import { test } from "uvu";
import * as assert from "uvu/assert";
import type { VolumeGrid } from "../../src/core/grid.js";
import { resolveMaterial } from "../../src/materials/library.js";
import { uniformBoundaries } from "../../src/thermal/conductionOperator.js";
import { embedField, embedInDomain, sampleField } from "../../src/thermal/domain.js";
import { steadyState } from "../../src/thermal/heatSolver.js";
import { coarsenPower, coarsenToThermal, spreadCellsToVoxels, thermalMaterial, thermalProperties, type ThermalGrid } from "../../src/thermal/thermalGrid.js";
import { assertRelClose } from "../helpers.js";

const imaging: VolumeGrid = { nx: 8, ny: 6, nz: 4, voxelSizeM: 1e-6 };

test("library materials give k and rho c_p = density x specific heat (copper: 401 W/(m K), 3.45e6 J/(m^3 K))", () => {
  const cu = thermalMaterial("copper");
  assert.is(cu.conductivityWmK, 401);
  assertRelClose(cu.heatCapacityJm3K, 8960 * 385, 1e-12, "copper rho c_p");
  // A bare formula carries no thermal constants.
  assert.throws(() => thermalMaterial(resolveMaterial("Al2O3", 3.95)), /no thermal data/);
});

test("coarsening by f keeps the box and the origin: cells are f voxels wide", () => {
  const g = coarsenToThermal(imaging, 2);
  assert.equal([g.nx, g.ny, g.nz, g.spacingM], [4, 3, 2, 2e-6]);
  assert.throws(() => coarsenToThermal(imaging, 3), /not divisible/);
  assert.throws(() => coarsenToThermal(imaging, 0), /positive integer/);
});

test("coarsened properties are the f^3 arithmetic means; coarsened power conserves the total", () => {
  const n = imaging.nx * imaging.ny * imaging.nz;
  const labels = new Uint8Array(n);
  const power = new Float32Array(n);
  let total = 0;
  for (let v = 0; v < n; v++) {
    labels[v] = v % 2; // alternating along x: every 2^3 cell holds 4 voxels of each class
    power[v] = (v % 7) * 1e-6;
    total += power[v]!;
  }
  const a = { conductivityWmK: 1, heatCapacityJm3K: 1e6 };
  const b = { conductivityWmK: 3, heatCapacityJm3K: 3e6 };
  const props = thermalProperties(labels, imaging, [a, b], 2);
  for (let c = 0; c < props.conductivity.length; c++) {
    assert.is(props.conductivity[c], 2);
    assert.is(props.heatCapacity[c], 2e6);
  }
  const q = coarsenPower(power, imaging, 2);
  const cellVolume = props.grid.spacingM ** 3;
  let sum = 0;
  for (const v of q) sum += v * cellVolume;
  assertRelClose(sum, total, 1e-12, "total power after coarsening");
  assert.throws(() => thermalProperties(labels, imaging, [a], 2), /no class material/);
});

test("spreading cell values to voxels inverts the coarsening: each cell's f^3 voxels carry its value", () => {
  const imaging: VolumeGrid = { nx: 6, ny: 4, nz: 2, voxelSizeM: 1e-6 };
  const cells = Float64Array.from({ length: 3 * 2 * 1 }, (_, c) => 10 + c * c);
  const voxels = new Float64Array(6 * 4 * 2);
  spreadCellsToVoxels(cells, imaging, 2, voxels);
  // voxel (5, 2, 1) lies in cell (2, 1, 0) = 2 + 3 * 1 = 5
  assert.is(voxels[5 + 6 * (2 + 4 * 1)], 10 + 25);
  // Summing the spread field back into cells gives f^3 times each value, whatever the cell.
  const cellVolume = (2e-6) ** 3;
  const sums = coarsenPower(voxels, imaging, 2, new Float64Array(6));
  for (let c = 0; c < cells.length; c++) assertRelClose(sums[c]! * cellVolume, 8 * cells[c]!, 1e-12, `cell ${c}`);
  assert.throws(() => spreadCellsToVoxels(cells, imaging, 2, new Float64Array(5)), /expected 48 \(6 x 4 x 2\)/);
  assert.throws(() => coarsenPower(voxels, imaging, 2, new Float64Array(5)), /expected 6 \(the thermal grid\)/);
});

test("embedding: layers wrap the sample like an onion and the mapping finds the sample again", () => {
  const sampleGrid: ThermalGrid = { nx: 4, ny: 4, nz: 4, spacingM: 1e-5 };
  const n = 64;
  const sample = { conductivity: new Float64Array(n).fill(1), heatCapacity: new Float64Array(n).fill(2e6) };
  const domain = embedInDomain(sampleGrid, sample, [
    { material: "LP30", thicknessM: 2e-5, faces: "all" },
    { material: "Kapton", thicknessM: 1e-5, faces: ["xMin", "xMax", "yMin", "yMax"] },
    { material: "copper", thicknessM: 3e-5, faces: ["zMin"] },
  ]);
  assert.equal([domain.grid.nx, domain.grid.ny, domain.grid.nz], [4 + 4 + 2, 4 + 4 + 2, 4 + 4 + 3]);
  assert.equal(domain.sampleOrigin, [3, 3, 5]);
  assert.equal(domain.layerCells, [2, 1, 3]);
  const { nx, ny } = domain.grid;
  const at = (i: number, j: number, k: number) => domain.properties.conductivity[i + nx * (j + ny * k)]!;
  assert.is(at(0, 5, 0), 401, "copper plate spans the whole bottom");
  assert.is(at(0, 5, 6), thermalMaterial("Kapton").conductivityWmK, "capillary wall on x");
  assert.is(at(1, 5, 6), thermalMaterial("LP30").conductivityWmK, "electrolyte inside the capillary");
  assert.is(at(5, 5, 10), thermalMaterial("LP30").conductivityWmK, "electrolyte on top (capillary covers x, y only)");
  assert.is(at(4, 4, 6), 1, "sample");
  const field = Float64Array.from({ length: n }, (_, c) => c + 1);
  const embedded = embedField(domain, field);
  let sum = 0;
  for (const v of embedded) sum += v;
  assert.is(sum, (n * (n + 1)) / 2);
  assert.equal(Array.from(sampleField(domain, embedded)), Array.from(field));
});

test("composite wall through the embedding: steady flux = Delta T / sum(L_i / k_i) (exact with harmonic faces)", () => {
  // 1-D: sample 10 cells of k = 0.5 between 4-cell layers of k = 20 (xMin) and k = 2 (xMax).
  const s = 1e-5;
  const sampleGrid: ThermalGrid = { nx: 10, ny: 1, nz: 1, spacingM: s };
  const sample = { conductivity: new Float64Array(10).fill(0.5), heatCapacity: new Float64Array(10).fill(1e6) };
  const domain = embedInDomain(sampleGrid, sample, [
    { material: { conductivityWmK: 20, heatCapacityJm3K: 3e6 }, thicknessM: 4 * s, faces: ["xMin"] },
    { material: { conductivityWmK: 2, heatCapacityJm3K: 3e6 }, thicknessM: 4 * s, faces: ["xMax"] },
  ]);
  const boundaries = {
    ...uniformBoundaries({ type: "adiabatic" }),
    xMin: { type: "fixed", temperatureK: 310 },
    xMax: { type: "fixed", temperatureK: 300 },
  } as const;
  const { temperatureK } = steadyState(domain.grid, domain.properties, boundaries, null, { tolerance: 1e-13 });
  const resistance = (4 * s) / 20 + (10 * s) / 0.5 + (4 * s) / 2; // per unit area
  const flux = 10 / resistance;
  // Cell i's centre is at (i + 1/2) s; the temperature there is 310 - flux * (resistance up to it).
  const k = domain.properties.conductivity;
  let r = 0;
  for (let i = 0; i < domain.grid.nx; i++) {
    const expected = 310 - flux * (r + s / 2 / k[i]!);
    assertRelClose(temperatureK[i]! - 300, expected - 300, 1e-9, `cell ${i}`);
    r += s / k[i]!;
  }
});

test.run();
