import { test } from "uvu";
import * as assert from "uvu/assert";
import { halfExtent, voxelCentre, type Vec3, type VolumeGrid } from "../../src/core/grid.js";
import {
  createAnalyticObject, createBox, createCylinder, createHalfplane, createSphere, OUTSIDE, SHEPP_LOGAN_3D,
} from "../../src/phantoms/analytic/index.js";
import {
  attenuationMap, sceneClassNames, voxelizeScene, type AnalyticScene, type LabelledVolume,
} from "../../src/phantoms/scene.js";
import { assertRelClose } from "../helpers.js";
import { unit } from "./analyticHelpers.js";

const s = 1e-5; // 10 um voxels

/** Volume (m^3) of class c in a labelled volume: sum of its fractions times the voxel volume. */
function classVolume(vol: LabelledVolume, c: number): number {
  let sum = 0;
  for (let v = 0; v < vol.labels.length; v++) {
    if (vol.labels[v] === c) sum += vol.primaryFraction[v]!;
    else if (vol.secondary[v] === c) sum += 1 - vol.primaryFraction[v]!;
  }
  return sum * vol.grid.voxelSizeM ** 3;
}

/** Structural invariants every labelled volume must satisfy. */
function assertWellFormed(vol: LabelledVolume): void {
  for (let v = 0; v < vol.labels.length; v++) {
    const f = vol.primaryFraction[v]!;
    assert.ok(f >= 0.5 && f <= 1, `voxel ${v}: primary fraction ${f}`);
    assert.ok(vol.labels[v]! < vol.classNames.length && vol.secondary[v]! < vol.classNames.length, `voxel ${v}: label`);
    if (f === 1) assert.is(vol.secondary[v], vol.labels[v], `voxel ${v}: pure but secondary differs`);
    else assert.ok(vol.secondary[v] !== vol.labels[v], `voxel ${v}: mixed but secondary = label`);
  }
}

/**
 * Recompute boundary voxels independently at the same S^3 cell midpoints the voxeliser
 * uses: the label must be the class with the largest fraction (at least half), and the
 * primary fraction must be that fraction (two classes here, so no renormalisation).
 */
function assertMajority(scene: AnalyticScene, vol: LabelledVolume, S = 4, maxVoxels = 2000): void {
  const { nx, ny, nz } = scene.grid;
  const classOf = (m: string) => vol.classNames.indexOf(m);
  const frac = new Float64Array(vol.classNames.length);
  let checked = 0;
  for (let v = 0; v < vol.labels.length && checked < maxVoxels; v++) {
    if (vol.primaryFraction[v] === 1) continue;
    checked++;
    const i = v % nx, j = Math.floor(v / nx) % ny, k = Math.floor(v / (nx * ny));
    const x0 = voxelCentre(nx, i, s) - s / 2, y0 = voxelCentre(ny, j, s) - s / 2, z0 = voxelCentre(nz, k, s) - s / 2;
    frac.fill(0);
    for (let a = 0; a < S; a++) for (let b = 0; b < S; b++) for (let c = 0; c < S; c++) {
      const x = x0 + ((c + 0.5) / S) * s, y = y0 + ((b + 0.5) / S) * s, z = z0 + ((a + 0.5) / S) * s;
      let cls = 0, val = 1;
      for (let q = scene.objects.length - 1; q >= 0; q--) {
        const w = scene.objects[q]!.valueAt(x, y, z);
        if (w !== OUTSIDE) { cls = classOf(scene.objects[q]!.material); val = w; break; }
      }
      frac[cls] += val / S ** 3;
      frac[0] += (1 - val) / S ** 3;
    }
    const label = vol.labels[v]!;
    for (let c = 0; c < frac.length; c++) assert.ok(frac[label]! >= frac[c]!, `voxel ${v}: label ${label} (${frac[label]}) but class ${c} has ${frac[c]}`);
    assert.ok(Math.abs(vol.primaryFraction[v]! - frac[label]!) < 1e-6, `voxel ${v}: primary fraction ${vol.primaryFraction[v]} vs ${frac[label]}`);
    assert.ok(frac[vol.secondary[v]!]! > 0, `voxel ${v}: secondary class absent`);
  }
  assert.ok(checked > 100, `only ${checked} boundary voxels checked`);
}

test("sceneClassNames: background first, then distinct materials in order; background reused; at most 255", () => {
  const grid: VolumeGrid = { nx: 4, ny: 4, nz: 4, voxelSizeM: s };
  const sph = (m: string) => createSphere({ material: m, center: [0, 0, 0], radius: s });
  assert.equal(sceneClassNames({ grid, background: "air", objects: [sph("Si"), sph("Cu"), sph("Si"), sph("air"), sph("Li")] }), [
    "air", "Si", "Cu", "Li",
  ]);
  const many = Array.from({ length: 255 }, (_, i) => sph(`m${i}`));
  assert.throws(() => sceneClassNames({ grid, background: "air", objects: many }), /255/);
  assert.is(sceneClassNames({ grid, background: "air", objects: many.slice(0, 254) }).length, 255);
});

test("voxelised sphere (r = 20 voxels, 48^3): volume within 0.3%, labels are the majority class", () => {
  const grid: VolumeGrid = { nx: 48, ny: 48, nz: 48, voxelSizeM: s };
  const r = 20 * s;
  const scene: AnalyticScene = { grid, background: "air", objects: [createSphere({ material: "Si", center: [0.3 * s, -0.2 * s, 0.1 * s], radius: r })] };
  const progress: number[] = [];
  const vol = voxelizeScene(scene, { onProgress: (done, total) => { assert.is(total, 48); progress.push(done); } });
  assert.equal(progress, Array.from({ length: 48 }, (_, k) => k + 1));
  assert.equal(vol.classNames, ["air", "Si"]);
  assertRelClose(classVolume(vol, 1), (4 / 3) * Math.PI * r ** 3, 0.003, "sphere volume");
  assertRelClose(classVolume(vol, 0) + classVolume(vol, 1), 48 ** 3 * s ** 3, 1e-9, "fractions add up to the grid");
  assertWellFormed(vol);
  const centre = 24 + 48 * (24 + 48 * 24);
  assert.is(vol.labels[centre], 1);
  assert.is(vol.primaryFraction[centre], 1);
  assert.is(vol.labels[0], 0);
  assertMajority(scene, vol);
});

test("voxelised tilted cylinder: volume within 0.3% of pi r^2 h", () => {
  const grid: VolumeGrid = { nx: 48, ny: 48, nz: 48, voxelSizeM: s };
  const r = 12 * s, h = 30 * s;
  const scene: AnalyticScene = {
    grid, background: "air",
    objects: [createCylinder({ material: "Al", center: [0.4 * s, 0.1 * s, -0.3 * s], radius: r, height: h, axis: unit([1, 1, 2]) })],
  };
  const vol = voxelizeScene(scene);
  assertRelClose(classVolume(vol, 1), Math.PI * r * r * h, 0.003, "cylinder volume");
  assertWellFormed(vol);
  assertMajority(scene, vol);
});

test("halfplane through the origin fills exactly half; a tilted offset plane matches its analytic volume", () => {
  const grid: VolumeGrid = { nx: 32, ny: 32, nz: 32, voxelSizeM: s };
  const total = 32 ** 3;
  // Axis-aligned through the origin: the plane lies on voxel faces, every voxel is pure.
  const flat = voxelizeScene({ grid, background: "air", objects: [createHalfplane({ material: "Li", point: [0, 0, 0], normal: [0, 0, 1] })] });
  assert.is(flat.labels.reduce((n, l) => n + l, 0), total / 2);
  assert.ok(flat.primaryFraction.every((f) => f === 1), "all pure");
  // Tilted through the origin: point symmetry makes the filled volume exactly half.
  const tilted = voxelizeScene({
    grid, background: "air", objects: [createHalfplane({ material: "Li", point: [0, 0, 0], normal: [1, Math.SQRT2, Math.sqrt(3)] })],
  });
  assertRelClose(classVolume(tilted, 1) / s ** 3, total / 2, 1e-9, "tilted through the origin");
  assert.ok(tilted.primaryFraction.some((f) => f < 1), "partial volumes present");
  // Tilted and offset, crossing only the four side faces of the grid box: the filled
  // volume is 4 hx hy (hz + z_plane(0, 0)), the plane's height averaged over the square.
  // Irrational slopes: with rational ones the sub-sample heights under the plane repeat
  // with a short period and the midpoint rule's rounding does not average out.
  const n = unit([0.2 * Math.SQRT2, -0.1 * Math.sqrt(3), 1]), p0: Vec3 = [0.3 * s, 0.2 * s, 1.7 * s];
  const offset = voxelizeScene({ grid, background: "air", objects: [createHalfplane({ material: "Li", point: p0, normal: n })] });
  const [hx, hy, hz] = halfExtent(grid);
  const expected = 4 * hx * hy * (hz + p0[2] + (n[0] * p0[0] + n[1] * p0[1]) / n[2]);
  assertRelClose(classVolume(offset, 1), expected, 2e-5, "tilted offset plane");
  assertWellFormed(offset);
});

test("thin features do not vanish: a rotated 0.5-voxel plate, a 0.4-voxel sphere between corners, a Siemens star", () => {
  const grid: VolumeGrid = { nx: 32, ny: 32, nz: 32, voxelSizeM: s };
  const plateSize: Vec3 = [20 * s, 16 * s, 0.5 * s];
  const plate = voxelizeScene({
    grid, background: "air", objects: [createBox({ material: "Cu", center: [0.2 * s, 0, 0.3 * s], size: plateSize, rotation: [0.3, 0.2, 0.5] })],
  });
  // Control: the same box 9 voxels thick is not thin, and is voxelised by corners alone.
  const boxSize: Vec3 = [20 * s, 16 * s, 9 * s];
  const box = voxelizeScene({
    grid, background: "air", objects: [createBox({ material: "Cu", center: [0.2 * s, 0, 0.3 * s], size: boxSize, rotation: [0.3, 0.2, 0.5] })],
  });
  assertRelClose(classVolume(box, 1), boxSize[0] * boxSize[1] * boxSize[2], 0.001, "rotated box");
  assertRelClose(classVolume(plate, 1), plateSize[0] * plateSize[1] * plateSize[2], 0.003, "thin plate");
  // A sphere of radius 0.4 voxel centred in a voxel touches none of its corners.
  const tiny = voxelizeScene(
    { grid, background: "air", objects: [createSphere({ material: "Cu", center: [0.5 * s, 0.5 * s, 0.5 * s], radius: 0.4 * s })] },
    { supersampling: 8 },
  );
  assertRelClose(classVolume(tiny, 1), (4 / 3) * Math.PI * (0.4 * s) ** 3, 0.03, "tiny sphere");
  // Siemens star: spokes near the centre are thinner than a voxel; material is half the disc.
  const R = 14 * s, T = 4 * s;
  const star = voxelizeScene({
    grid, background: "air", objects: [createAnalyticObject({ type: "siemens-star", material: "W", center: [0, 0, 0.5 * s], radius: R, spokes: 12, thickness: T })],
  });
  assertRelClose(classVolume(star, 1), (Math.PI * R * R * T) / 2, 0.005, "Siemens star");
});

test("voxelised Shepp-Logan (32^3): water volume is sum of intensity x ellipsoid volume", () => {
  // Values never clamp with the modified intensities, so the integral of the value is
  // linear in the ellipsoids: sum_i A_i (4/3) pi a_i b_i c_i scale^3.
  const grid: VolumeGrid = { nx: 32, ny: 32, nz: 32, voxelSizeM: s };
  const scale = 15 * s;
  const scene: AnalyticScene = {
    grid, background: "air", objects: [createAnalyticObject({ type: "shepp-logan", material: "water", center: [0.2 * s, -0.1 * s, 0.3 * s], scale })],
  };
  const vol = voxelizeScene(scene);
  const expected = SHEPP_LOGAN_3D.reduce((t, e) => t + e.intensity * (4 / 3) * Math.PI * e.semiAxes[0] * e.semiAxes[1] * e.semiAxes[2], 0) * scale ** 3;
  assertRelClose(classVolume(vol, 1), expected, 1e-3, "Shepp-Logan water volume");
  assertWellFormed(vol);
  assertMajority(scene, vol);
});

test("overlapping objects: later objects overwrite, partial values share with the background, two classes kept", () => {
  const grid: VolumeGrid = { nx: 24, ny: 24, nz: 24, voxelSizeM: s };
  const scene: AnalyticScene = {
    grid, background: "air",
    objects: [
      createSphere({ material: "Si", center: [0, 0, 0], radius: 9 * s }),
      createBox({ material: "Cu", center: [4 * s, 0, 0], size: [8 * s, 30 * s, 30 * s], rotation: [0, 0, 0] }),
      createAnalyticObject({ type: "shepp-logan", material: "water", center: [-5 * s, 0, 0], scale: 4 * s }),
    ],
  };
  const vol = voxelizeScene(scene);
  assert.equal(vol.classNames, ["air", "Si", "Cu", "water"]);
  assertWellFormed(vol);
  const idx = (x: number, y: number, z: number) => x + 24 * (y + 24 * z);
  // x in [0, 8s] is the box everywhere (voxels 12..19), over the sphere.
  assert.is(vol.labels[idx(14, 12, 12)], 2);
  assert.is(vol.primaryFraction[idx(14, 12, 12)], 1);
  // Shepp-Logan centre (value 0.2) is 20% water, 80% air, overwriting the sphere.
  // Voxel x in [-5s, -4s], y in [-s, 0], z in [0, s]: phantom coordinates [0, 0.25] x
  // [-0.25, 0] x [0, 0.25], brain only (clear of c, d, e and the skull).
  const sl = idx(7, 11, 12);
  assert.is(vol.labels[sl], 0);
  assert.is(vol.secondary[sl], 3);
  assert.ok(Math.abs(vol.primaryFraction[sl]! - 0.8) < 1e-6, `brain voxel ${vol.primaryFraction[sl]}`);
});

test("attenuationMap is f mu[label] + (1 - f) mu[secondary], linear in mu", () => {
  const grid: VolumeGrid = { nx: 20, ny: 20, nz: 20, voxelSizeM: s };
  const scene: AnalyticScene = {
    grid, background: "air",
    objects: [
      createSphere({ material: "Si", center: [0, 0, 0], radius: 6 * s }),
      createCylinder({ material: "Cu", center: [2 * s, 0, 0], radius: 3 * s, height: 12 * s, axis: [0, 1, 0] }),
    ],
  };
  const vol = voxelizeScene(scene);
  const mu1 = Float64Array.of(3, 500, 8000), mu2 = Float64Array.of(1, -20, 700);
  const a = 0.75, b = 2.5;
  const m1 = attenuationMap(vol, mu1), m2 = attenuationMap(vol, mu2);
  const mc = attenuationMap(vol, Float64Array.from(mu1, (x, i) => a * x + b * mu2[i]!));
  let mixed = 0;
  for (let v = 0; v < m1.length; v++) {
    const f = vol.primaryFraction[v]!;
    const expected = f * mu1[vol.labels[v]!]! + (1 - f) * mu1[vol.secondary[v]!]!;
    assert.ok(Math.abs(m1[v]! - expected) <= 1e-6 * Math.abs(expected) + 1e-6, `voxel ${v}`);
    assert.ok(Math.abs(mc[v]! - (a * m1[v]! + b * m2[v]!)) <= 1e-5 * (Math.abs(mc[v]!) + 1), `linearity at voxel ${v}`);
    if (f < 1) mixed++;
  }
  assert.ok(mixed > 100, `only ${mixed} mixed voxels`);
  // Total attenuation volume = sum over classes of mu times class volume.
  const totalMu = m1.reduce((t, x) => t + x, 0) * s ** 3;
  const byClass = [0, 1, 2].reduce((t, c) => t + mu1[c]! * classVolume(vol, c), 0);
  assertRelClose(totalMu, byClass, 1e-6, "integrated mu");
  assert.throws(() => attenuationMap(vol, Float64Array.of(1, 2)), /3 classes/);
});

test.run();
