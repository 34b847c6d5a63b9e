import { test } from "uvu";
import * as assert from "uvu/assert";
import { type VolumeGrid, voxelCount, voxelIndex } from "../../src/core/grid.js";
import { laminographyGeometry, parallelBeamGeometry, pixelRay, type ProjectionGeometry, projectionCount } from "../../src/acquisition/geometry.js";
import { projectOne, rayIntegral, segmentIntegral } from "../../src/acquisition/projector.js";
import { bruteForceIntegral, lcg, slabChord } from "./helpers.js";

// A non-cubic grid: 7 x 5 x 6 voxels of 0.1 m, box [-0.35, 0.35] x [-0.25, 0.25] x [-0.3, 0.3].
const G: VolumeGrid = { nx: 7, ny: 5, nz: 6, voxelSizeM: 0.1 };
const H = [0.35, 0.25, 0.3] as const;
const LO = [-H[0], -H[1], -H[2]];
const HI = [H[0], H[1], H[2]];
const ONES = new Float32Array(voxelCount(G)).fill(1);

function close(actual: number, expected: number, tol: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${label}: got ${actual}, expected ${expected}`);
}

function ray(o: readonly number[], d: readonly number[]): number {
  return rayIntegral(ONES, G, o[0]!, o[1]!, o[2]!, d[0]!, d[1]!, d[2]!);
}

test("uniform box: axis-parallel rays give the box's edge lengths, both directions", () => {
  close(ray([0.01, 0.02, 0.03], [1, 0, 0]), 0.7, 1e-12, "+x");
  close(ray([0.01, 0.02, 0.03], [-1, 0, 0]), 0.7, 1e-12, "-x");
  close(ray([0.12, -0.2, 0.07], [0, 1, 0]), 0.5, 1e-12, "+y");
  close(ray([0.12, -0.2, 0.07], [0, -1, 0]), 0.5, 1e-12, "-y");
  close(ray([-0.3, 0.2, 5], [0, 0, 1]), 0.6, 1e-12, "+z from outside");
  close(ray([-0.3, 0.2, 5], [0, 0, -1]), 0.6, 1e-12, "-z from outside");
  // On an internal voxel plane (y = -0.05 and z = 0 are planes): still the full length.
  close(ray([0, -0.05, 0], [1, 0, 0]), 0.7, 1e-12, "+x in the planes y = -0.05 and z = 0");
});

test("uniform box: diagonals, corner and edge entries", () => {
  const diag = Math.hypot(0.7, 0.5, 0.6);
  close(ray(LO, [0.7, 0.5, 0.6]), diag, 1e-12, "corner to corner");
  close(ray(HI, [-0.7, -0.5, -0.6]), diag, 1e-12, "corner to corner, reversed");
  close(ray([0, 0, 0], [0.7, -0.5, 0.6]), diag, 1e-12, "other space diagonal");
  // Entering through the edge x = -0.35, y = -0.25 at 45 degrees in the plane z = 0.01:
  // leaves through y = +0.25 after 0.5 in y, a chord of 0.5 sqrt 2.
  close(ray([-0.35, -0.25, 0.01], [1, 1, 0]), 0.5 * Math.SQRT2, 1e-12, "entry through an edge");
  // Through an internal edge and out through a corner of the grid, oblique in z.
  close(ray([0.25, 0.25, 0.3], [-1, -1, -1.2]), slabChord(LO, HI, [0.25, 0.25, 0.3], [-1, -1, -1.2]), 1e-12, "exit through a corner");
  // Touching only an edge of the box: zero length.
  close(ray([0.35, 0.25, 0], [1, -1, 0]), 0, 1e-12, "grazing an edge");
  close(ray([0.35, 0.25, 0.3], [1, -1, 0.5]), 0, 1e-12, "grazing a corner");
});

test("lines in a face get half, along an edge a quarter (mean of the sides)", () => {
  close(ray([0, -0.25, 0.01], [1, 0, 0]), 0.35, 1e-12, "in the face y = -h");
  close(ray([0, 0.25, 0.01], [1, 0, 0]), 0.35, 1e-12, "in the face y = +h");
  close(ray([0, 0.25, 0.3], [1, 0, 0]), 0.175, 1e-12, "along the edge y = +h, z = +h");
});

test("rays that miss give 0, including rays parallel to a face outside the box", () => {
  close(ray([0, 0.3, 0], [1, 0, 0]), 0, 0, "parallel to x above the box");
  close(ray([0, 0, -0.31], [1, 1, 0]), 0, 0, "parallel to the xy plane, below");
  close(ray([1, 1, 1], [1, 0.2, -0.1]), 0, 0, "oblique, far away");
  close(ray([0.7, 0, 0], [1, 1, 0]), 0, 0, "passes beside a vertical edge (x - y = 0.7 > 0.6)");
});

test("direction scale does not matter; zero directions are refused", () => {
  const o = [0.03, -0.11, 0.07];
  const d = [0.3, 0.8, -0.52];
  const ref = ray(o, d);
  close(ray(o, [3.7 * d[0]!, 3.7 * d[1]!, 3.7 * d[2]!]), ref, 1e-12, "scaled");
  close(ray(o, [-d[0]!, -d[1]!, -d[2]!]), ref, 1e-12, "reversed");
  assert.throws(() => ray(o, [0, 0, 0]), /non-zero/);
});

test("oblique random lines through the uniform box match the slab chord", () => {
  const r = lcg(11);
  let hits = 0;
  for (let n = 0; n < 2000; n++) {
    const o = [(r() - 0.5) * 1.2, (r() - 0.5) * 1.2, (r() - 0.5) * 1.2];
    const d = [r() - 0.5, r() - 0.5, r() - 0.5];
    const expected = slabChord(LO, HI, o, d);
    if (expected > 0) hits++;
    close(ray(o, d), expected, 1e-12, `line ${n}`);
  }
  assert.ok(hits > 500, `enough lines hit the box (${hits})`);
});

test("non-uniform volume: Siddon-Jacobs equals the brute-force sum of value x chord per voxel", () => {
  const r = lcg(5);
  const vol = new Float32Array(voxelCount(G));
  for (let i = 0; i < vol.length; i++) vol[i] = r() < 0.2 ? 0 : r() * 10;
  for (let n = 0; n < 400; n++) {
    const o = [(r() - 0.5) * 0.8, (r() - 0.5) * 0.6, (r() - 0.5) * 0.7];
    // A quarter of the lines axis-parallel or in a coordinate plane, the rest oblique.
    const kind = n % 4;
    const d = [r() - 0.5, r() - 0.5, r() - 0.5];
    if (kind === 1) d[n % 3] = 0;
    if (kind === 2) { d[0] = 0; d[1] = 0; d[2] = 1; }
    const expected = bruteForceIntegral(vol, G, o, d);
    const got = rayIntegral(vol, G, o[0]!, o[1]!, o[2]!, d[0]!, d[1]!, d[2]!);
    close(got, expected, 1e-11 * Math.max(1, expected), `line ${n}`);
  }
});

test("segmentIntegral clips to [t0, t1]: start inside, stop inside, stop short", () => {
  const r = lcg(9);
  const vol = new Float32Array(voxelCount(G));
  for (let i = 0; i < vol.length; i++) vol[i] = r();
  for (let n = 0; n < 200; n++) {
    const o = [(r() - 0.5) * 0.8, (r() - 0.5) * 0.6, (r() - 0.5) * 0.7];
    const d = [r() - 0.5, r() - 0.5, r() - 0.5];
    const t0 = (r() - 0.5) * 2;
    const t1 = t0 + r() * 1.5;
    const expected = bruteForceIntegral(vol, G, o, d, t0, t1);
    const got = segmentIntegral(vol, G, o[0]!, o[1]!, o[2]!, d[0]!, d[1]!, d[2]!, t0, t1);
    close(got, expected, 1e-11 * Math.max(1, expected), `segment ${n}`);
  }
  close(segmentIntegral(ONES, G, -1, 0, 0, 1, 0, 0, 0, 0.5), 0, 0, "stops before the box");
});

test("projectOne, cone_vec: each pixel gets the chord from the source to the pixel centre", () => {
  const s = 0.05;
  const geometry: ProjectionGeometry = {
    type: "cone_vec",
    rows: 9,
    cols: 11,
    // source at y = -2, detector centre at y = +1.5, u along x, v along z.
    vectors: Float64Array.of(0.02, -2, 0.01, 0, 1.5, 0, s, 0, 0, 0, 0, s),
  };
  const out = new Float32Array(9 * 11);
  projectOne(ONES, G, geometry, 0, out);
  for (let row = 0; row < 9; row++) {
    for (let col = 0; col < 11; col++) {
      const p = [(col - 5) * s, 1.5, (row - 4) * s];
      const src = [0.02, -2, 0.01];
      const d = [p[0]! - src[0]!, p[1]! - src[1]!, p[2]! - src[2]!];
      const expected = slabChord(LO, HI, src, d, 0, 1);
      close(out[row * 11 + col]!, expected, 1e-6, `pixel (${row}, ${col})`);
    }
  }
  // A detector inside the box cuts the ray at the pixel.
  const inside: ProjectionGeometry = { type: "cone_vec", rows: 1, cols: 1, vectors: Float64Array.of(0, -2, 0, 0, 0.1, 0, s, 0, 0, 0, 0, s) };
  const one = new Float32Array(1);
  projectOne(ONES, G, inside, 0, one);
  close(one[0]!, 0.35, 1e-6, "source outside, pixel inside");
});

test("projectOne, horizontal parallel beam (row-shared x-y walk) equals the per-pixel general walk", () => {
  const r = lcg(23);
  const vol = new Float32Array(voxelCount(G));
  for (let i = 0; i < vol.length; i++) vol[i] = r() < 0.15 ? 0 : r() * 10;
  const angles = [0, Math.PI / 2, Math.PI, 1.5 * Math.PI, 0.3, 1.234567, 2.5, -0.7, Math.PI / 4];
  const ray6 = new Float64Array(6);
  const check = (g: ProjectionGeometry, label: string): void => {
    const out = new Float32Array(g.rows * g.cols);
    let nonZero = 0;
    for (let p = 0; p < projectionCount(g); p++) {
      projectOne(vol, G, g, p, out);
      for (let row = 0; row < g.rows; row++) {
        for (let col = 0; col < g.cols; col++) {
          pixelRay(g, p, row, col, ray6);
          const expected = rayIntegral(vol, G, ray6[0]!, ray6[1]!, ray6[2]!, ray6[3]!, ray6[4]!, ray6[5]!);
          const got = out[row * g.cols + col]!;
          if (expected !== 0) nonZero++;
          close(got, expected, 1e-6 * Math.max(Math.abs(expected), 1e-3), `${label}, projection ${p}, pixel (${row}, ${col})`);
        }
      }
    }
    assert.ok(nonZero > 0, `${label}: some rays hit`);
  };
  // Pixel = voxel; rows on the z planes (9 rows of 0.1 m: centres at -0.4 .. 0.4, faces +-0.3).
  check(parallelBeamGeometry({ anglesRad: angles, rows: 6, cols: 11, pixelSizeM: 0.1 }), "pixel = voxel");
  check(parallelBeamGeometry({ anglesRad: angles, rows: 9, cols: 10, pixelSizeM: 0.1, centerOffsetPx: 0.5 }), "rows on z planes, beyond the grid");
  // Pitch unlike the voxel, rows beyond the grid, centre offsets.
  check(parallelBeamGeometry({ anglesRad: angles, rows: 13, cols: 17, pixelSizeM: 0.063, centerOffsetPx: 1.37 }), "pitch 0.063, offset 1.37");
  check(parallelBeamGeometry({ anglesRad: angles, rows: 4, cols: 9, pixelSizeM: 0.137, centerOffsetPx: -2 }), "pitch 0.137, offset -2");
  // u with a z component (rows still vertical): z varies along a row.
  const tilt: ProjectionGeometry = {
    type: "parallel3d_vec",
    rows: 7,
    cols: 12,
    vectors: Float64Array.of(0.6, -0.8, 0, 0.01, 0.02, 0.03, 0.064, 0.048, 0.013, 0, 0, 0.09,
      0, 2, 0, 0, 0, 0.05, 0.1, 0, 0.05, 0, 0, 0.1),
  };
  check(tilt, "u with a z component");
  // Not on the fast path (tilted axis): unchanged.
  check(laminographyGeometry({ anglesRad: angles.slice(0, 4), rows: 5, cols: 8, pixelSizeM: 0.09, tiltRad: 0.4 }), "laminography");
});

test("projectOne validates its inputs", () => {
  const g: ProjectionGeometry = { type: "parallel3d_vec", rows: 2, cols: 3, vectors: Float64Array.of(0, -1, 0, 0, 0, 0, 0.1, 0, 0, 0, 0, 0.1) };
  assert.throws(() => projectOne(ONES, G, g, 1, new Float32Array(6)), /out of range/);
  assert.throws(() => projectOne(ONES, G, g, 0, new Float32Array(5)), /detector/);
  assert.throws(() => projectOne(new Float32Array(3), G, g, 0, new Float32Array(6)), /voxels/);
  // and voxelIndex agrees with the projector's layout: x fastest.
  const vol = new Float32Array(voxelCount(G));
  vol[voxelIndex(G, 6, 0, 0)] = 1; // x = +0.3, y = -0.2, z = -0.25
  close(rayIntegral(vol, G, 0.3, 0, -0.25, 0, 1, 0), 0.1, 1e-12, "voxel (6, 0, 0) is at x = +0.3");
});

test.run();
