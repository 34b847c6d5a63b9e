import { test } from "uvu";
import * as assert from "uvu/assert";
import { halfExtent, type Vec3, type VolumeGrid } from "../../src/core/grid.js";
import {
  createAnalyticObject, createBox, createSphere, OUTSIDE, type AnalyticObject, type AnalyticObjectSpec, type Ray,
} from "../../src/phantoms/analytic/index.js";
import { sceneClassNames, sceneLineIntegral, type AnalyticScene } from "../../src/phantoms/scene.js";
import { assertRelClose } from "../helpers.js";
import { randomDirection, seeded, unit } from "./analyticHelpers.js";

const s = 1e-5; // 10 um voxels

/** Topmost-object composition at a point, written independently of scene.ts. */
function muAt(objects: readonly AnalyticObject[], classOf: (m: string) => number, mu: Float64Array, x: number, y: number, z: number): number {
  for (let i = objects.length - 1; i >= 0; i--) {
    const v = objects[i]!.valueAt(x, y, z);
    if (v !== OUTSIDE) return v * mu[classOf(objects[i]!.material)]! + (1 - v) * mu[0]!;
  }
  return mu[0]!;
}

test("sceneLineIntegral: closed forms for overwrite order along the axis", () => {
  const grid: VolumeGrid = { nx: 64, ny: 64, nz: 64, voxelSizeM: s };
  const H = 32 * s, r = 10 * s, mu = Float64Array.of(5, 100, 1000);
  const sphere = createSphere({ material: "Si", center: [0, 0, 0], radius: r });
  const box = createBox({ material: "Cu", center: [H / 2, 0, 0], size: [H, 4 * s, 4 * s], rotation: [0, 0, 0] });
  const ray: Ray = { origin: [-1, 0, 0], direction: [1, 0, 0] };
  const boxOver = sceneLineIntegral({ grid, background: "air", objects: [sphere, box] }, mu, ray);
  assertRelClose(boxOver, 5 * (H - r) + 100 * r + 1000 * H, 1e-12, "box over sphere");
  const sphereOver = sceneLineIntegral({ grid, background: "air", objects: [box, sphere] }, Float64Array.of(5, 1000, 100), ray);
  assertRelClose(sphereOver, 5 * (H - r) + 100 * 2 * r + 1000 * (H - r), 1e-12, "sphere over box");
  // A non-unit direction scales t, not the integral.
  assertRelClose(sceneLineIntegral({ grid, background: "air", objects: [sphere, box] }, mu, { origin: [-1, 0, 0], direction: [2.5, 0, 0] }), boxOver, 1e-12, "non-unit direction");
  assert.throws(() => sceneLineIntegral({ grid, background: "air", objects: [sphere] }, mu, { origin: [0, 0, 0], direction: [0, 0, 0] }), /direction/);
  // Clipped to the grid: a ray missing the box gives 0; a parallel ray inside gives mu0 * 2H.
  assert.is(sceneLineIntegral({ grid, background: "air", objects: [sphere] }, mu, { origin: [0, 2 * H, 0], direction: [1, 0, 0] }), 0);
  assertRelClose(sceneLineIntegral({ grid, background: "air", objects: [sphere] }, mu, { origin: [0, 0.9 * H, 0.2 * H], direction: [0, 0, -1] }), 5 * 2 * H, 1e-12, "background only");
});

test("sceneLineIntegral matches brute-force integration through overlapping objects of every kind", () => {
  const grid: VolumeGrid = { nx: 64, ny: 60, nz: 56, voxelSizeM: s };
  const specs: AnalyticObjectSpec[] = [
    { type: "halfplane", material: "Li", point: [0, 0, -18 * s], normal: [0.1, 0.2, 1] },
    { type: "sphere", material: "Si", center: [3 * s, -2 * s, 1 * s], radius: 15 * s },
    { type: "box", material: "Cu", center: [-6 * s, 4 * s, 0], size: [10 * s, 30 * s, 8 * s], rotation: [0.2, 0.5, 0.3] },
    { type: "cylinder", material: "Si", center: [8 * s, 8 * s, 0], radius: 5 * s, height: 40 * s, axis: unit([0.3, 0.1, 1]) },
    { type: "shepp-logan", material: "water", center: [0, -10 * s, 4 * s], scale: 14 * s },
    { type: "ellipsoid", material: "Cu", center: [10 * s, -14 * s, -5 * s], radii: [3 * s, 6 * s, 4 * s], rotation: [1, 0, 0.5] },
    { type: "siemens-star", material: "W", center: [-8 * s, -8 * s, 10 * s], radius: 12 * s, spokes: 5, thickness: 3 * s },
  ];
  const scene: AnalyticScene = { grid, background: "air", objects: specs.map(createAnalyticObject) };
  const names = sceneClassNames(scene);
  const classOf = (m: string) => names.indexOf(m);
  const mu = Float64Array.of(7, 300, 900, 5000, 150, 20000);
  const [hx, hy, hz] = halfExtent(grid);
  const rand = seeded(42);
  const rays: Ray[] = [
    { origin: [-1, 0.5 * s, 0.3 * s], direction: [1, 0, 0] },
    { origin: [1.3 * s, 2 * s, 0], direction: unit([0.3, -1, 0.2]) }, // starts inside the grid: the whole line counts
    { origin: [-8 * s, -8 * s, -1], direction: [0, 0, 1] }, // along the star's axis through its centre
    { origin: [-8 * s - 1, -8 * s, 10 * s], direction: [1, 0, 0] }, // through the star's centre in its plane
  ];
  for (let i = 0; i < 6; i++) {
    const d = randomDirection(rand);
    const target: Vec3 = [(rand() - 0.5) * hx, (rand() - 0.5) * hy, (rand() - 0.5) * hz];
    rays.push({ origin: [target[0] - d[0], target[1] - d[1], target[2] - d[2]], direction: d });
  }
  const L = 2 * Math.hypot(hx, hy, hz);
  for (const [ri, ray] of rays.entries()) {
    // Brute force: midpoint rule over the line near the grid, counting points inside the box.
    const o = ray.origin, d = ray.direction;
    const tc = -(o[0] * d[0] + o[1] * d[1] + o[2] * d[2]);
    const n = 300000, dt = (2 * L) / n;
    let sum = 0;
    for (let q = 0; q < n; q++) {
      const t = tc - L + (q + 0.5) * dt;
      const x = o[0] + t * d[0], y = o[1] + t * d[1], z = o[2] + t * d[2];
      if (Math.abs(x) > hx || Math.abs(y) > hy || Math.abs(z) > hz) continue;
      sum += muAt(scene.objects, classOf, mu, x, y, z) * dt;
    }
    const exact = sceneLineIntegral(scene, mu, ray);
    assert.ok(sum > 0, `ray ${ri} misses the grid`);
    assertRelClose(exact, sum, 2e-4, `ray ${ri}`);
  }
});

test.run();
