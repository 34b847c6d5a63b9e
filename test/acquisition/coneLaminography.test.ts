import { test } from "uvu";
import * as assert from "uvu/assert";
import type { VolumeGrid } from "../../src/core/grid.js";
import {
  coneBeamGeometry,
  laminographyGeometry,
  parallelBeamGeometry,
  pixelCentre,
  pixelRay,
  projectionCount,
  type ProjectionGeometry,
  VECTORS_PER_PROJECTION,
} from "../../src/acquisition/geometry.js";
import { projectOne } from "../../src/acquisition/projector.js";
import { createAnalyticObject, type AnalyticObjectSpec } from "../../src/phantoms/analytic/index.js";
import { attenuationMap, sceneLineIntegral, voxelizeScene, type AnalyticScene } from "../../src/phantoms/scene.js";

const DEG = Math.PI / 180;
const UM = 1e-6;

function close(actual: number, expected: number, tol: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${label}: got ${actual}, expected ${expected} (tol ${tol})`);
}

function scene(grid: VolumeGrid, specs: AnalyticObjectSpec[]): AnalyticScene {
  return { grid, background: "air", objects: specs.map(createAnalyticObject) };
}

/** Analytic integral along the ray through (possibly fractional) pixel (row, col). */
function analyticPixel(sc: AnalyticScene, mu: Float64Array, g: ProjectionGeometry, p: number, row: number, col: number): number {
  const ray = new Float64Array(6);
  pixelRay(g, p, row, col, ray);
  return sceneLineIntegral(sc, mu, { origin: [ray[0]!, ray[1]!, ray[2]!], direction: [ray[3]!, ray[4]!, ray[5]!] });
}

// Cone beam: SOD 5 cm, SDD 20 cm, M = 4, physical pitch 10 um (2.5 um at the axis).
const SOD = 0.05;
const SDD = 0.2;
const M = SDD / SOD;
const PITCH = 10 * UM;
const GRID64: VolumeGrid = { nx: 64, ny: 64, nz: 64, voxelSizeM: 1 * UM };

test("coneBeamGeometry: vectors at 0 and 90 degrees, central ray matches parallelBeamGeometry", () => {
  const g = coneBeamGeometry({ anglesRad: [0, 90 * DEG], rows: 4, cols: 6, pixelSizeM: PITCH, sourceObjectM: SOD, sourceDetectorM: SDD, centerOffsetPx: 1.5 });
  assert.is(g.type, "cone_vec");
  assert.is(projectionCount(g), 2);
  // theta = 0: source (0, SOD, 0), detector centre (1.5 pitch, -(SDD - SOD), 0).
  assert.equal(Array.from(g.vectors.subarray(0, 12)), [0, SOD, 0, 1.5 * PITCH, -(SDD - SOD), 0, PITCH, 0, 0, 0, 0, PITCH]);
  // theta = 90 deg: source (-SOD, 0, 0), beam along +x.
  assert.equal(Array.from(g.vectors.subarray(12, 24)), [-SOD, 0, 0, SDD - SOD, 1.5 * PITCH, 0, 0, PITCH, 0, 0, 0, PITCH]);
  // Same u, v and central-ray direction as the parallel geometry at any angle.
  const angles = [0, 17 * DEG, 123 * DEG, 301 * DEG];
  const c = coneBeamGeometry({ anglesRad: angles, rows: 5, cols: 5, pixelSizeM: PITCH, sourceObjectM: SOD, sourceDetectorM: SDD });
  const par = parallelBeamGeometry({ anglesRad: angles, rows: 5, cols: 5, pixelSizeM: PITCH });
  const ray = new Float64Array(6);
  for (let p = 0; p < angles.length; p++) {
    const o = p * VECTORS_PER_PROJECTION;
    for (let k = 6; k < 12; k++) assert.is(c.vectors[o + k], par.vectors[o + k], `u/v component ${k} at projection ${p}`);
    pixelRay(c, p, 2, 2, ray);
    for (let k = 0; k < 3; k++) close(ray[3 + k]!, par.vectors[o + k]!, 1e-15, `central ray ${k} at projection ${p}`);
    // The central ray passes through the rotation axis at the origin.
    const t = -(ray[0]! * ray[3]! + ray[1]! * ray[4]! + ray[2]! * ray[5]!);
    close(Math.hypot(ray[0]! + t * ray[3]!, ray[1]! + t * ray[4]!, ray[2]! + t * ray[5]!), 0, 1e-15, "central ray through the axis");
    close(t, SOD, 1e-15, "source to axis");
  }
  assert.throws(() => coneBeamGeometry({ anglesRad: [0], rows: 1, cols: 1, pixelSizeM: PITCH, sourceObjectM: SOD, sourceDetectorM: SOD }), /source-detector/);
  assert.throws(() => coneBeamGeometry({ anglesRad: [0], rows: 1, cols: 1, pixelSizeM: PITCH, sourceObjectM: 0, sourceDetectorM: SDD }), /source-object/);
});

test("coneBeamGeometry: an off-centre sphere projects at the magnified position", () => {
  // Projection of P: column (cols-1)/2 + SDD (P.u^)/((SOD + P.r) pitch), row likewise with z.
  // At theta = 0 (r = (0,-1,0), u^ = x) a sphere at (x0, 0, 0) lands at column c0 + M x0 / pitch.
  const rows = 31, cols = 41;
  const x0 = 15 * UM; // M x0 / pitch = 6 pixels
  const r = 2 * UM;
  const mu = Float64Array.of(0, 1e4);
  const sc = scene(GRID64, [{ type: "sphere", material: "w", center: [x0, 0, 0], radius: r }]);
  const g = coneBeamGeometry({ anglesRad: [0, 90 * DEG, 37 * DEG], rows, cols, pixelSizeM: PITCH, sourceObjectM: SOD, sourceDetectorM: SDD });
  const c0 = (cols - 1) / 2, r0 = (rows - 1) / 2;
  const colAt0 = c0 + (M * x0) / PITCH;
  close(colAt0, 26, 1e-9, "derived column");
  // The chord through the centre is the full diameter; neighbours are shorter.
  close(analyticPixel(sc, mu, g, 0, r0, 26), 2 * r * mu[1]!, 1e-9, "diameter chord at the predicted pixel");
  assert.ok(analyticPixel(sc, mu, g, 0, r0, 25) < analyticPixel(sc, mu, g, 0, r0, 26));
  assert.ok(analyticPixel(sc, mu, g, 0, r0, 27) < analyticPixel(sc, mu, g, 0, r0, 26));
  assert.is(analyticPixel(sc, mu, g, 0, r0, Math.round(c0 + (x0 * M) / PITCH) - 4), 0);
  // General point, general angle: the ray through the predicted (fractional) pixel hits P.
  const P = [x0, -9 * UM, 7 * UM];
  const out = new Float64Array(3);
  for (let p = 0; p < 3; p++) {
    const o = p * VECTORS_PER_PROJECTION;
    const rx = -g.vectors[o]! / SOD, ry = -g.vectors[o + 1]! / SOD; // r = -s / SOD
    const ux = g.vectors[o + 6]! / PITCH, uy = g.vectors[o + 7]! / PITCH;
    const depth = SOD + P[0]! * rx + P[1]! * ry;
    const col = c0 + (SDD * (P[0]! * ux + P[1]! * uy)) / (depth * PITCH);
    const row = r0 + (SDD * P[2]!) / (depth * PITCH);
    pixelCentre(g, p, row, col, out);
    const s = g.vectors.subarray(o, o + 3);
    // |(P - s) x (c - s)| / |c - s| = distance of P from the source-pixel line.
    const a = [P[0]! - s[0]!, P[1]! - s[1]!, P[2]! - s[2]!];
    const b = [out[0]! - s[0]!, out[1]! - s[1]!, out[2]! - s[2]!];
    const cr = [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
    close(Math.hypot(cr[0]!, cr[1]!, cr[2]!) / Math.hypot(b[0]!, b[1]!, b[2]!), 0, 1e-15, `projection ${p}: ray misses P`);
  }
  // Row orientation: a sphere above the centre plane (+z) lands at higher rows.
  const up = scene(GRID64, [{ type: "sphere", material: "w", center: [0, 0, 5 * UM], radius: r }]);
  close(analyticPixel(up, mu, g, 0, r0 + 2, c0), 2 * r * mu[1]!, 1e-9, "+z -> +rows, magnified (M 5 um / 10 um = 2 rows)");
});

test("coneBeamGeometry: a centred sphere's projected radius is M r / pitch (exactly SDD r / sqrt(SOD^2 - r^2))", () => {
  const r = 20 * UM;
  const mu = Float64Array.of(0, 1);
  const sc = scene(GRID64, [{ type: "sphere", material: "w", center: [0, 0, 0], radius: r }]);
  const g = coneBeamGeometry({ anglesRad: [0, 50 * DEG], rows: 21, cols: 41, pixelSizeM: PITCH, sourceObjectM: SOD, sourceDetectorM: SDD });
  const c0 = 20, r0 = 10;
  const exact = (SDD * r) / Math.sqrt(SOD * SOD - r * r) / PITCH;
  for (let p = 0; p < 2; p++) {
    // Bisect for the silhouette edge along +u through the central row.
    let lo = 0, hi = 20;
    for (let it = 0; it < 60; it++) {
      const mid = 0.5 * (lo + hi);
      if (analyticPixel(sc, mu, g, p, r0, c0 + mid) > 0) lo = mid; else hi = mid;
    }
    close(lo, exact, 1e-6, `projection ${p}: edge radius (px)`);
    close(lo, (M * r) / PITCH, 1e-3 * ((M * r) / PITCH), `projection ${p}: ~ M r / pitch`);
  }
});

test("coneBeamGeometry + projector: voxelised sphere (64^3) line integrals match sceneLineIntegral within 0.5%", () => {
  const mu = Float64Array.of(100, 5e4);
  const sc = scene(GRID64, [{ type: "sphere", material: "w", center: [1.3 * UM, -0.7 * UM, 0.4 * UM], radius: 20 * UM }]);
  const vol = attenuationMap(voxelizeScene(sc), mu);
  const rows = 3, cols = 3;
  const g = coneBeamGeometry({ anglesRad: [0, 30 * DEG, 90 * DEG, 211 * DEG], rows, cols, pixelSizeM: 2 * PITCH, sourceObjectM: SOD, sourceDetectorM: SDD });
  const img = new Float32Array(rows * cols);
  for (let p = 0; p < projectionCount(g); p++) {
    projectOne(vol, GRID64, g, p, img);
    // Central ray within 0.5%; oblique off-centre rays (5 um off the axis in u and v at the
    // sphere, a more grazing boundary) within 1%.
    for (const [row, col, tol] of [[1, 1, 5e-3], [0, 2, 1e-2], [2, 0, 1e-2]] as const) {
      const want = analyticPixel(sc, mu, g, p, row, col);
      assert.ok(want > 1.5, `projection ${p} (${row}, ${col}): ray should cross the sphere`);
      close(img[row * cols + col]!, want, tol * want, `projection ${p} pixel (${row}, ${col})`);
    }
  }
});

test("laminographyGeometry: tilt 0 is parallelBeamGeometry exactly; tilt pi/2 puts the axis along the beam", () => {
  const angles = [0, 30 * DEG, 90 * DEG, 180 * DEG, 271 * DEG];
  const lam = laminographyGeometry({ anglesRad: angles, rows: 4, cols: 7, pixelSizeM: 3 * UM, tiltRad: 0, centerOffsetPx: -2.5 });
  const par = parallelBeamGeometry({ anglesRad: angles, rows: 4, cols: 7, pixelSizeM: 3 * UM, centerOffsetPx: -2.5 });
  assert.is(lam.type, "parallel3d_vec");
  assert.is(lam.vectors.length, par.vectors.length);
  lam.vectors.forEach((x, i) => assert.ok(Object.is(x, par.vectors[i]), `component ${i}: ${x} vs ${par.vectors[i]}`));
  const side = laminographyGeometry({ anglesRad: angles, rows: 4, cols: 7, pixelSizeM: 3 * UM, tiltRad: Math.PI / 2 });
  for (let p = 0; p < angles.length; p++) {
    assert.equal(Array.from(side.vectors.subarray(p * 12, p * 12 + 3)), [0, 0, 1], `tilt pi/2: beam along sample z at projection ${p}`);
  }
  // Tilt 30 deg at theta = 0: r = (0, -cos, sin), v = s (0, sin, cos).
  const t = laminographyGeometry({ anglesRad: [0], rows: 1, cols: 1, pixelSizeM: 1, tiltRad: 30 * DEG });
  const v = Array.from(t.vectors);
  [0, -Math.cos(30 * DEG), 0.5, 0, 0, 0, 1, 0, 0, 0, 0.5, Math.cos(30 * DEG)].forEach((w, i) => close(v[i]!, w, 1e-15, `component ${i}`));
  assert.throws(() => laminographyGeometry({ anglesRad: [0], rows: 1, cols: 1, pixelSizeM: 1, tiltRad: -0.1 }), /tilt/);
});

test("laminographyGeometry: a thin plate's line integral is mu thickness / cos(beam, normal), the same at every angle", () => {
  const tilt = 30 * DEG;
  const thickness = 4 * UM;
  const muPlate = 2e4;
  const mu = Float64Array.of(0, muPlate);
  const sc = scene(GRID64, [{ type: "box", material: "w", center: [0, 0, 0], size: [50 * UM, 50 * UM, thickness], rotation: [0, 0, 0] }]);
  const angles = [0, 23 * DEG, 90 * DEG, 147 * DEG, 200 * DEG, 333 * DEG];
  const rows = 5, cols = 5;
  const g = laminographyGeometry({ anglesRad: angles, rows, cols, pixelSizeM: 1 * UM, tiltRad: tilt });
  const vol = attenuationMap(voxelizeScene(sc), mu); // plate faces on voxel planes: exact voxels
  const img = new Float32Array(rows * cols);
  const values: number[] = [];
  for (let p = 0; p < angles.length; p++) {
    const o = p * VECTORS_PER_PROJECTION;
    const cosBeamNormal = Math.abs(g.vectors[o + 2]!); // r . z, normal = z
    const want = (muPlate * thickness) / cosBeamNormal;
    close(cosBeamNormal, Math.sin(tilt), 1e-15, "beam-normal angle = 90 deg - tilt");
    const centre = analyticPixel(sc, mu, g, p, 2, 2);
    close(centre, want, 1e-2 * want, `analytic, plate centre, projection ${p}`);
    values.push(centre);
    projectOne(vol, GRID64, g, p, img);
    for (let k = 0; k < rows * cols; k++) close(img[k]!, want, 1e-2 * want, `projector, projection ${p}, pixel ${k}`);
  }
  // Independent of the rotation angle (to rounding): the laminography property.
  for (const x of values) close(x, values[0]!, 1e-9 * values[0]!, "angle independence");
  // For contrast, ordinary CT (tilt 0) sees the plate edge-on: the integral depends on theta.
  const ct = parallelBeamGeometry({ anglesRad: [0, 45 * DEG], rows: 1, cols: 1, pixelSizeM: 1 * UM });
  const a = analyticPixel(sc, mu, ct, 0, 0, 0), b = analyticPixel(sc, mu, ct, 1, 0, 0);
  assert.ok(Math.abs(a - b) > 0.1 * a, `CT edge-on chords should differ with theta: ${a} vs ${b}`);
});

test("cone and laminography vectors: unit ray directions, u and v orthogonal with length pixel size", () => {
  const angles = Array.from({ length: 13 }, (_, k) => k * 29 * DEG - 1);
  const geoms: [string, ProjectionGeometry, number][] = [
    ["cone", coneBeamGeometry({ anglesRad: angles, rows: 6, cols: 9, pixelSizeM: PITCH, sourceObjectM: SOD, sourceDetectorM: SDD, centerOffsetPx: 0.7 }), PITCH],
    ["cone, source offset", coneBeamGeometry({ anglesRad: angles, rows: 6, cols: 9, pixelSizeM: PITCH, sourceObjectM: SOD, sourceDetectorM: SDD, centerOffsetPx: 0.7, sourceOffset: [3 * UM, -2 * UM] }), PITCH],
    ...[0, 10, 30, 45, 61, 90].map((d): [string, ProjectionGeometry, number] => [
      `laminography ${d} deg`,
      laminographyGeometry({ anglesRad: angles, rows: 6, cols: 9, pixelSizeM: 2 * UM, tiltRad: d * DEG, centerOffsetPx: 1.2 }),
      2 * UM,
    ]),
  ];
  const ray = new Float64Array(6);
  for (const [name, g, px] of geoms) {
    for (let p = 0; p < angles.length; p++) {
      const o = p * VECTORS_PER_PROJECTION;
      const V = g.vectors;
      const u = [V[o + 6]!, V[o + 7]!, V[o + 8]!], v = [V[o + 9]!, V[o + 10]!, V[o + 11]!];
      close(Math.hypot(u[0]!, u[1]!, u[2]!), px, 1e-12 * px, `${name} |u|`);
      close(Math.hypot(v[0]!, v[1]!, v[2]!), px, 1e-12 * px, `${name} |v|`);
      close(u[0]! * v[0]! + u[1]! * v[1]! + u[2]! * v[2]!, 0, 1e-15 * px * px, `${name} u.v`);
      // Detector normal along the (central) beam: r perpendicular to u and v.
      // Cone: the detector normal u x v / |u x v| (the central-ray direction without offsets).
      const r = g.type === "parallel3d_vec"
        ? [V[o]!, V[o + 1]!, V[o + 2]!]
        : [(u[1]! * v[2]! - u[2]! * v[1]!) / px ** 2, (u[2]! * v[0]! - u[0]! * v[2]!) / px ** 2, (u[0]! * v[1]! - u[1]! * v[0]!) / px ** 2];
      if (g.type === "cone_vec") {
        // The detector sits SDD - SOD beyond the axis along r, the source SOD before it (the
        // source offset is transverse, so the distances along r are unchanged).
        close(r[0]! * V[o + 3]! + r[1]! * V[o + 4]! + r[2]! * V[o + 5]!, SDD - SOD, 1e-15, `${name} detector distance`);
        close(r[0]! * V[o]! + r[1]! * V[o + 1]! + r[2]! * V[o + 2]!, -SOD, 1e-15, `${name} source distance`);
      }
      if (g.type === "parallel3d_vec") close(Math.hypot(r[0]!, r[1]!, r[2]!), 1, 1e-15, `${name} |r|`);
      close(r[0]! * u[0]! + r[1]! * u[1]! + r[2]! * u[2]!, 0, 1e-9 * px, `${name} r.u`);
      close(r[0]! * v[0]! + r[1]! * v[1]! + r[2]! * v[2]!, 0, 1e-9 * px, `${name} r.v`);
      for (const [row, col] of [[0, 0], [5, 8], [2, 4]]) {
        pixelRay(g, p, row!, col!, ray);
        close(Math.hypot(ray[3]!, ray[4]!, ray[5]!), 1, 1e-15, `${name} pixel ray unit`);
      }
    }
  }
});

test.run();
