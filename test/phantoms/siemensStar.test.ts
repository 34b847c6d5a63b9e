import { test } from "uvu";
import * as assert from "uvu/assert";
import { createSiemensStar, OUTSIDE } from "../../src/phantoms/analytic/index.js";
import { assertRelClose } from "../helpers.js";
import { chordLength, rayThrough, sortedCrossings } from "./analyticHelpers.js";

const R = 1e-3, T = 1e-4, spokes = 9;
const c = [2e-4, -1e-4, 5e-5] as const;
const star = createSiemensStar({ material: "W", center: c, radius: R, spokes, thickness: T });
const polar = (rho: number, phi: number, z = 0) => star.valueAt(c[0] + rho * Math.cos(phi), c[1] + rho * Math.sin(phi), c[2] + z);

test("Siemens star: sectors alternate, material first in [0, pi/spokes) from +x", () => {
  for (let k = 0; k < 2 * spokes; k++) {
    const phi = ((k + 0.5) * Math.PI) / spokes;
    for (const rho of [0.01 * R, 0.5 * R, 0.99 * R]) {
      assert.is(polar(rho, phi), k % 2 === 0 ? 1 : OUTSIDE, `sector ${k} at rho ${rho}`);
    }
  }
  // Just either side of the first edge (angle 0) and of the edge at pi/spokes.
  assert.is(polar(0.5 * R, 1e-6), 1);
  assert.is(polar(0.5 * R, -1e-6), OUTSIDE);
  assert.is(polar(0.5 * R, Math.PI / spokes - 1e-6), 1);
  assert.is(polar(0.5 * R, Math.PI / spokes + 1e-6), OUTSIDE);
  // Exactly on an edge, and at the centre where all edges meet: half material.
  assert.is(polar(0.5 * R, 0), 0.5);
  assert.is(polar(0.5 * R, (3 * Math.PI) / spokes), 0.5);
  assert.is(star.valueAt(c[0], c[1], c[2]), 0.5);
  // Outside the rim and the faces.
  assert.is(polar(1.01 * R, 0.1), OUTSIDE);
  assert.is(polar(0.5 * R, 0.1, 0.51 * T), OUTSIDE);
  assert.is(polar(0.5 * R, 0.1, 0.49 * T), 1);
});

test("Siemens star: a ray through the centre crosses the rim twice and the centre once", () => {
  // In the mid-plane, not along an edge.
  const phi = 0.3 * Math.PI / spokes;
  const dir = [Math.cos(phi), Math.sin(phi), 0] as const;
  const ts = sortedCrossings(star, rayThrough(c, dir, 0.01));
  assert.is(ts.length, 3, `crossings ${ts}`);
  assertRelClose(ts[1]! - ts[0]!, R, 1e-12, "rim to centre");
  assertRelClose(ts[2]! - ts[1]!, R, 1e-12, "centre to rim");
  // With an odd number of spokes the opposite sector is a gap: exactly one radius is material.
  assertRelClose(chordLength(star, rayThrough(c, dir, 0.01)), R, 1e-12, "material length through the centre");
  // Steeply tilted through the centre: in through one face, out through the other.
  const tilted = sortedCrossings(star, rayThrough(c, [Math.cos(phi), Math.sin(phi), 5], 0.01));
  assert.is(tilted.length, 3, `tilted crossings ${tilted}`);
});

test("Siemens star: an off-centre chord crosses the edges it sweeps, and its material length matches sampling", () => {
  // Mid-plane chord along x at y = b: the polar angle sweeps from pi - asin(b/R) to asin(b/R).
  const b = 0.2 * R;
  const ray = { origin: [c[0] - 2 * R, c[1] + b, c[2]] as const, direction: [1, 0, 0] as const };
  const ts = sortedCrossings(star, ray);
  const lo = Math.asin(b / R), hi = Math.PI - lo;
  let edges = 0;
  for (let k = 0; k < 2 * spokes; k++) {
    const phi = (k * Math.PI) / spokes;
    if (phi > lo && phi < hi) edges++;
  }
  assert.is(ts.length, 2 + edges);
  // Brute-force material length by fine sampling along the chord.
  const n = 200000, x0 = -Math.sqrt(R * R - b * b), dx = (2 * -x0) / n;
  let len = 0;
  for (let i = 0; i < n; i++) {
    if (star.valueAt(c[0] + x0 + (i + 0.5) * dx, c[1] + b, c[2]) !== OUTSIDE) len += dx;
  }
  assertRelClose(chordLength(star, ray), len, 1e-4, "material length");
});

test("Siemens star: bounds and thin region near the centre", () => {
  assert.equal(star.bounds, { min: [c[0] - R, c[1] - R, c[2] - T / 2], max: [c[0] + R, c[1] + R, c[2] + T / 2] });
  // Sectors narrower than w lie inside rho < w / (2 sin(pi / (2 spokes))).
  const w = 2e-5;
  const [thin] = star.thinBounds(w);
  const rho = w / (2 * Math.sin(Math.PI / (2 * spokes)));
  assert.ok(thin !== undefined && Math.abs(thin.max[0] - (c[0] + rho)) < 1e-15, "thin radius");
  // Thinner than the thickness: the whole star is thin.
  assert.equal(star.thinBounds(2 * T), [star.bounds]);
});

test.run();
