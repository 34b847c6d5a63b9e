import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Vec3 } from "../../src/core/grid.js";
import { applyRotation, frameFromAxis, rotationFromEuler } from "../../src/core/rotation.js";
import {
  createAnalyticObject, createBox, createCylinder, createEllipsoid, createHalfplane, createSphere, OUTSIDE,
  type AnalyticObjectSpec,
} from "../../src/phantoms/analytic/index.js";
import { assertRelClose } from "../helpers.js";
import { assertCrossingsConsistent, chordLength, rayThrough, sortedCrossings, unit } from "./analyticHelpers.js";

const add = (a: Vec3, b: Vec3, s = 1): Vec3 => [a[0] + s * b[0], a[1] + s * b[1], a[2] + s * b[2]];

test("sphere: chord 2 sqrt(r^2 - b^2) at impact parameter b; tangent and missing rays give nothing", () => {
  const r = 2e-3, c: Vec3 = [1e-3, -2e-3, 5e-4];
  const s = createSphere({ material: "Si", center: c, radius: r });
  for (const f of [0, 0.3, 0.5, 0.9, 0.999999]) {
    const b = f * r;
    // Near tangency the chord is ill-conditioned in b itself (d chord / chord = b db / (r^2 - b^2)):
    // scale the tolerance by that, so the check is on the method, not on rounding b.
    const tol = 1e-13 * (r * r) / (r * r - b * b) + 1e-13;
    assertRelClose(chordLength(s, rayThrough(add(c, [0, b, 0]), [1, 0, 0])), 2 * Math.sqrt(r * r - b * b), tol, `b = ${f} r`);
  }
  assert.equal(sortedCrossings(s, rayThrough(add(c, [0, r, 0]), [1, 0, 0])), [], "tangent");
  assert.equal(sortedCrossings(s, rayThrough(add(c, [0, 0, 1.001 * r]), [0, 1, 0])), [], "miss");
  assert.is(s.valueAt(c[0], c[1] + 0.99 * r, c[2]), 1);
  assert.is(s.valueAt(c[0], c[1] + 1.01 * r, c[2]), OUTSIDE);
  assert.equal(s.bounds, { min: [c[0] - r, c[1] - r, c[2] - r], max: [c[0] + r, c[1] + r, c[2] + r] });
});

test("sphere: a 10 um sphere seen from 1 m keeps its chord to 1e-9 (no discriminant cancellation)", () => {
  const r = 10e-6, b = 0.6 * r;
  const s = createSphere({ material: "Si", center: [0, 0, 0], radius: r });
  const d = unit([1, 0.2, -0.1]);
  // Offset the closest approach by b along a direction perpendicular to d.
  const perp = unit([0.2, -1, 0]);
  const through: Vec3 = [b * perp[0], b * perp[1], b * perp[2]];
  assertRelClose(chordLength(s, rayThrough(through, d, 1)), 2 * Math.sqrt(r * r - b * b), 1e-9, "far origin");
});

test("cylinder: across the axis 2 sqrt(r^2 - b^2), along the axis its height, oblique through the caps or the side", () => {
  const r = 1e-3, h = 4e-3, axis = unit([1, 2, 2]), c: Vec3 = [2e-4, -1e-4, 3e-4];
  const cyl = createCylinder({ material: "Al", center: c, radius: r, height: h, axis });
  const f = frameFromAxis(axis);
  const u: Vec3 = [f[0]!, f[3]!, f[6]!], v: Vec3 = [f[1]!, f[4]!, f[7]!];
  for (const k of [0, 0.4, 0.95]) {
    const b = k * r;
    // Perpendicular to the axis at mid-height and at 0.3 h off it, offset b along v.
    for (const along of [0, 0.3 * h]) {
      const through = add(add(c, v, b), axis, along);
      assertRelClose(chordLength(cyl, rayThrough(through, u, 0.01)), 2 * Math.sqrt(r * r - b * b), 1e-12, `across, b = ${k} r, ${along}`);
    }
  }
  // Parallel to the axis (the lateral quadratic degenerates): the height, inside or on-axis.
  assertRelClose(chordLength(cyl, rayThrough(c, axis, 0.01)), h, 1e-12, "along the axis");
  assertRelClose(chordLength(cyl, rayThrough(add(c, u, 0.7 * r), axis, 0.01)), h, 1e-12, "parallel, off axis");
  assert.equal(sortedCrossings(cyl, rayThrough(add(c, u, 1.01 * r), axis, 0.01)), [], "parallel, outside");
  // Through the centre at angle theta to the axis: min(h / cos, 2 r / sin).
  for (const theta of [0.2, 0.4, 1.0, 1.4]) {
    const dir = add(axis, u, Math.tan(theta));
    const expected = Math.min(h / Math.cos(theta), (2 * r) / Math.sin(theta));
    assertRelClose(chordLength(cyl, rayThrough(c, dir, 0.01)), expected, 1e-12, `oblique ${theta}`);
  }
  // Exactly axis-aligned: ray exactly along z, d = (0, 0, 1) so dx = dy = 0.
  const zc = createCylinder({ material: "Al", center: [0, 0, 0], radius: r, height: h, axis: [0, 0, 1] });
  assertRelClose(chordLength(zc, { origin: [0.5 * r, 0, -1], direction: [0, 0, 1] }), h, 1e-12, "z axis");
  assert.equal(zc.bounds, { min: [-r, -r, -h / 2], max: [r, r, h / 2] });
  assert.is(zc.valueAt(0, 0, h / 2 + 1e-9), OUTSIDE);
  assert.is(zc.valueAt(0.99 * r, 0, 0.49 * h), 1);
});

test("box: rotated body diagonal is sqrt(a^2 + b^2 + c^2); edge lengths along body axes; closed faces", () => {
  const size: Vec3 = [1e-3, 2e-3, 3e-3], rot: Vec3 = [0.3, -0.5, 1.1], c: Vec3 = [1e-4, 2e-4, -3e-4];
  const box = createBox({ material: "Cu", center: c, size, rotation: rot });
  const r = rotationFromEuler(rot);
  const diag = applyRotation(r, size, [0, 0, 0]) as number[];
  assertRelClose(chordLength(box, rayThrough(c, diag as unknown as Vec3, 0.01)), Math.hypot(...size), 1e-12, "body diagonal");
  for (let i = 0; i < 3; i++) {
    const e = [0, 0, 0];
    e[i] = 1;
    const dir = applyRotation(r, e, [0, 0, 0]) as unknown as Vec3;
    // Offset inside the box along another body axis: still the full edge.
    const off = [0, 0, 0];
    off[(i + 1) % 3] = 0.45 * size[(i + 1) % 3]!;
    const through = add(c, applyRotation(r, off, [0, 0, 0]) as unknown as Vec3);
    assertRelClose(chordLength(box, rayThrough(through, dir, 0.01)), size[i]!, 1e-12, `body axis ${i}`);
  }
  // Axis-aligned: a ray exactly in the face plane y = +b/2 is inside (closed); parallel
  // rays outside give nothing, and nothing is NaN.
  const ab = createBox({ material: "Cu", center: [0, 0, 0], size, rotation: [0, 0, 0] });
  assertRelClose(chordLength(ab, { origin: [-1, size[1] / 2, 0], direction: [1, 0, 0] }), size[0], 1e-12, "in the face plane");
  assert.equal(sortedCrossings(ab, { origin: [-1, size[1], 0], direction: [1, 0, 0] }), [], "parallel outside");
  assert.equal(ab.bounds, { min: [-size[0] / 2, -size[1] / 2, -size[2] / 2], max: [size[0] / 2, size[1] / 2, size[2] / 2] });
});

test("ellipsoid: chords through the centre are 2 / |diag(1/r) R^T u|", () => {
  const radii: Vec3 = [1e-3, 2e-3, 3e-3], rot: Vec3 = [0.4, 0.2, -0.9], c: Vec3 = [-1e-4, 3e-4, 0];
  const el = createEllipsoid({ material: "C", center: c, radii, rotation: rot });
  const r = rotationFromEuler(rot);
  for (let i = 0; i < 3; i++) {
    const e = [0, 0, 0];
    e[i] = 1;
    const dir = applyRotation(r, e, [0, 0, 0]) as unknown as Vec3;
    assertRelClose(chordLength(el, rayThrough(c, dir, 0.01)), 2 * radii[i]!, 1e-12, `body axis ${i}`);
  }
  for (const u of [unit([1, 1, 1]), unit([-0.3, 0.8, 0.2]), [0, 0, 1] as Vec3]) {
    // body components of u: R^T u
    const bu = [0, 1, 2].map((k) => r[k]! * u[0] + r[3 + k]! * u[1] + r[6 + k]! * u[2]);
    const expected = 2 / Math.hypot(bu[0]! / radii[0], bu[1]! / radii[1], bu[2]! / radii[2]);
    assertRelClose(chordLength(el, rayThrough(c, u, 0.01)), expected, 1e-12, `direction ${u}`);
  }
  // The bounding box is tight: along each world axis it equals the chord-free support value.
  const sphereLike = createEllipsoid({ material: "C", center: [0, 0, 0], radii: [1, 1, 1], rotation: [1, 2, 3] });
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(sphereLike.bounds.max[i]! - 1) < 1e-15);
});

test("halfplane: filled where (p - point).n <= 0, the normal points out; one crossing; parallel rays none", () => {
  const hp = createHalfplane({ material: "Li", point: [1e-3, 0, 0], normal: [2, 0, 0] });
  assert.is(hp.valueAt(0, 5, -5), 1);
  assert.is(hp.valueAt(1e-3, 0, 0), 1, "on the plane (closed)");
  assert.is(hp.valueAt(2e-3, 0, 0), OUTSIDE);
  assert.equal(hp.bounds, { min: [-Infinity, -Infinity, -Infinity], max: [1e-3, Infinity, Infinity] });
  assert.equal(sortedCrossings(hp, { origin: [-1, 0, 0], direction: [1, 0, 0] }), [1 + 1e-3]);
  assert.equal(sortedCrossings(hp, { origin: [-1, 0, 0], direction: [0, 1, 0] }), [], "parallel");
  const down = createHalfplane({ material: "Li", point: [0, 0, -1e-3], normal: [0, 0, -1] });
  assert.equal(down.bounds, { min: [-Infinity, -Infinity, -1e-3], max: [Infinity, Infinity, Infinity] });
  assert.is(down.valueAt(0, 0, 0), 1);
  const tilted = createHalfplane({ material: "Li", point: [0, 0, 0], normal: [1, 1, 0] });
  assert.equal(tilted.bounds, { min: [-Infinity, -Infinity, -Infinity], max: [Infinity, Infinity, Infinity] });
});

const SPECS: AnalyticObjectSpec[] = [
  { type: "sphere", material: "a", center: [1e-4, 0, -2e-4], radius: 1e-3 },
  { type: "ellipsoid", material: "a", center: [0, 1e-4, 0], radii: [1e-3, 5e-4, 8e-4], rotation: [0.5, 1, 1.5] },
  { type: "cylinder", material: "a", center: [0, 0, 1e-4], radius: 4e-4, height: 1.5e-3, axis: unit([0.2, -1, 0.4]) },
  { type: "box", material: "a", center: [-1e-4, 0, 0], size: [1e-3, 3e-4, 1.4e-3], rotation: [-0.3, 0.2, 0.9] },
  { type: "halfplane", material: "a", point: [1e-4, 2e-4, 0], normal: [0.3, -0.2, 0.9] },
  { type: "shepp-logan", material: "a", center: [1e-4, 0, 0], scale: 1e-3 },
  { type: "siemens-star", material: "a", center: [0, 1e-4, 0], radius: 1e-3, spokes: 7, thickness: 2e-4 },
];

test("every object: valueAt is constant between consecutive crossings (random rays)", () => {
  SPECS.forEach((spec, i) => assertCrossingsConsistent(createAnalyticObject(spec), [0, 0, 0], 1.2e-3, 300, 1000 + i));
});

test("createAnalyticObject dispatches on type and rejects unknown types and bad parameters", () => {
  for (const spec of SPECS) {
    const o = createAnalyticObject(spec);
    assert.is(o.type, spec.type);
    assert.is(o.material, "a");
  }
  assert.throws(() => createAnalyticObject({ type: "torus" } as unknown as AnalyticObjectSpec), /unknown analytic object type "torus"/);
  assert.throws(() => createAnalyticObject({ type: "sphere", material: "a", center: [0, 0, 0], radius: -1 }), /radius/);
  assert.throws(() => createAnalyticObject({ type: "sphere", material: "", center: [0, 0, 0], radius: 1 }), /material/);
  assert.throws(
    () => createAnalyticObject({ type: "cylinder", material: "a", center: [0, 0, 0], radius: 1, height: 1, axis: [0, 0, 0] }),
    /axis/,
  );
  assert.throws(() => createAnalyticObject({ type: "box", material: "a", center: [0, 0, NaN], size: [1, 1, 1], rotation: [0, 0, 0] }), /center/);
  assert.throws(
    () => createAnalyticObject({ type: "siemens-star", material: "a", center: [0, 0, 0], radius: 1, spokes: 2.5, thickness: 1 }),
    /spokes/,
  );
  assert.throws(() => createAnalyticObject({ type: "halfplane", material: "a", point: [0, 0, 0], normal: [0, 0, 0] }), /normal/);
});

test.run();
