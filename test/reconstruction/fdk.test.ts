import { test } from "uvu";
import * as assert from "uvu/assert";
import type { VolumeGrid } from "../../src/core/grid.js";
import { coneBeamGeometry, equalAngles, pixelRay, projectionCount, type ProjectionGeometry } from "../../src/acquisition/geometry.js";
import { fdk, fullCircleWeights } from "../../src/reconstruction/fdk.js";

const S = 10e-6; // 10 um voxels
const N = 64;
const MU = 1000;

/** Exact cone-beam line integrals of a sphere (chord length times mu) through every pixel centre. */
function sphereProjections(g: ProjectionGeometry, c: readonly [number, number, number], R: number, mu: number): Float32Array {
  const out = new Float32Array(projectionCount(g) * g.rows * g.cols);
  const ray = new Float64Array(6);
  let o = 0;
  for (let p = 0; p < projectionCount(g); p++) {
    for (let r = 0; r < g.rows; r++) for (let col = 0; col < g.cols; col++) {
      pixelRay(g, p, r, col, ray);
      const wx = c[0] - ray[0]!, wy = c[1] - ray[1]!, wz = c[2] - ray[2]!;
      const t = wx * ray[3]! + wy * ray[4]! + wz * ray[5]!;
      const d2 = wx * wx + wy * wy + wz * wz - t * t;
      out[o++] = d2 < R * R ? 2 * Math.sqrt(R * R - d2) * mu : 0;
    }
  }
  return out;
}

/** Radius (voxels) where a profile through the centre falls to half of `level`, both sides averaged. */
function halfMaxRadius(profile: Float32Array, centre: number, level: number): number {
  const edge = (dir: 1 | -1): number => {
    for (let i = Math.round(centre); i >= 1 && i < profile.length - 1; i += dir) {
      const a = profile[i]!, b = profile[i + dir]!;
      if (a >= level / 2 && b < level / 2) return Math.abs(i + (dir * (a - level / 2)) / (a - b) - centre);
    }
    return NaN;
  };
  return 0.5 * (edge(1) + edge(-1));
}

test("full-circle weights: 2 pi / n for equal angles, sum 2 pi for any set", () => {
  const w = fullCircleWeights(equalAngles(36, 2 * Math.PI));
  for (const v of w) assert.ok(Math.abs(v - Math.PI / 18) < 1e-12);
  const u = fullCircleWeights([0.1, 3, 2, 6, 4.5]);
  assert.ok(Math.abs(u.reduce((a, b) => a + b, 0) - 2 * Math.PI) < 1e-12);
});

test("FDK of a sphere (M = 3, 64^3, 180 views): centre within 2% of mu, radius within 1 voxel, also off-centre with a detector offset", () => {
  const SOD = 0.02, SDD = 0.06, M = SDD / SOD;
  const grid: VolumeGrid = { nx: N, ny: N, nz: N, voxelSizeM: S };
  const cases: Array<[string, readonly [number, number, number], number]> = [
    ["centred", [0, 0, 0], 0],
    ["off-centre sphere, detector offset 2.5 px", [6 * S, -4 * S, 5 * S], 2.5],
  ];
  for (const [label, centre, offset] of cases) {
    const g = coneBeamGeometry({
      anglesRad: equalAngles(180, 2 * Math.PI), rows: 80, cols: 80, pixelSizeM: M * S,
      sourceObjectM: SOD, sourceDetectorM: SDD, centerOffsetPx: offset,
    });
    const R = 18 * S;
    let calls = 0;
    const rec = fdk(sphereProjections(g, centre, R, MU), g, { grid, onProgress: () => calls++ });
    assert.is(calls, 180);
    const ci = centre[0] / S + (N - 1) / 2, cj = centre[1] / S + (N - 1) / 2, ck = centre[2] / S + (N - 1) / 2;
    // Mean over the 27 voxels around the centre (the sphere centre falls between voxels).
    let sum = 0;
    for (let dk = -1; dk <= 1; dk++) for (let dj = -1; dj <= 1; dj++) for (let di = -1; di <= 1; di++) {
      sum += rec[Math.round(ci) + di + N * (Math.round(cj) + dj + N * (Math.round(ck) + dk))]!;
    }
    const centreMu = sum / 27;
    assert.ok(Math.abs(centreMu / MU - 1) < 0.02, `${label}: centre mu ${centreMu}`);
    const profile = new Float32Array(N);
    const row = N * (Math.round(cj) + N * Math.round(ck));
    for (let i = 0; i < N; i++) profile[i] = rec[row + i]!;
    // The profile's chord through the voxel row nearest the centre: radius sqrt(R^2 - dy^2 - dz^2).
    const dy = Math.round(cj) - cj, dz = Math.round(ck) - ck;
    const expected = Math.sqrt(18 * 18 - dy * dy - dz * dz);
    const radius = halfMaxRadius(profile, ci, MU);
    assert.ok(Math.abs(radius - expected) < 1, `${label}: radius ${radius} voxels, expected ${expected}`);
    console.log(`  FDK ${label}: centre mu ${centreMu.toFixed(1)} /m (${(100 * (centreMu / MU - 1)).toFixed(2)}%), radius ${radius.toFixed(2)} vs ${expected.toFixed(2)} voxels`);
  }
});

test("FDK rejects parallel-beam geometries", async () => {
  const { parallelBeamGeometry } = await import("../../src/acquisition/geometry.js");
  const g = parallelBeamGeometry({ anglesRad: [0, 1], rows: 2, cols: 2, pixelSizeM: S });
  assert.throws(() => fdk(new Float32Array(8), g), /FDK needs a cone_vec geometry/);
});

test.run();
