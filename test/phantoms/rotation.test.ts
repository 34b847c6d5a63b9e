import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Vec3 } from "../../src/core/grid.js";
import {
  applyRotation, applyRotationTranspose, frameFromAxis, multiply3, rotationFromEuler, type Mat3,
} from "../../src/core/rotation.js";

const close = (a: number, b: number, tol = 1e-14) => Math.abs(a - b) <= tol;
const rx = (a: number): Mat3 => Float64Array.of(1, 0, 0, 0, Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a));
const ry = (a: number): Mat3 => Float64Array.of(Math.cos(a), 0, Math.sin(a), 0, 1, 0, -Math.sin(a), 0, Math.cos(a));
const rz = (a: number): Mat3 => Float64Array.of(Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a), 0, 0, 0, 1);

function assertOrthonormalRightHanded(m: Mat3, label: string): void {
  const p = multiply3(m, Float64Array.of(m[0]!, m[3]!, m[6]!, m[1]!, m[4]!, m[7]!, m[2]!, m[5]!, m[8]!));
  for (let i = 0; i < 9; i++) assert.ok(close(p[i]!, i % 4 === 0 ? 1 : 0, 1e-14), `${label}: R R^T != I at ${i}`);
  const det =
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) - m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) + m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
  assert.ok(close(det, 1, 1e-14), `${label}: det ${det}`);
}

test("rotationFromEuler is Rz * Ry * Rx", () => {
  for (const angles of [[0.3, -1.1, 2.5], [1.2, 0.4, -0.7], [0, 0, 0], [Math.PI, Math.PI / 2, -Math.PI / 3]] as Vec3[]) {
    const expected = multiply3(rz(angles[2]), multiply3(ry(angles[1]), rx(angles[0])));
    const r = rotationFromEuler(angles);
    for (let i = 0; i < 9; i++) assert.ok(close(r[i]!, expected[i]!), `[${angles}] element ${i}: ${r[i]} vs ${expected[i]}`);
    assertOrthonormalRightHanded(r, `euler [${angles}]`);
  }
});

test("rotations are active and counter-clockwise: rz = pi/2 takes x to y, rx = pi/2 takes y to z", () => {
  const out = [0, 0, 0];
  applyRotation(rotationFromEuler([0, 0, Math.PI / 2]), [1, 0, 0], out);
  assert.ok(close(out[0]!, 0) && close(out[1]!, 1) && close(out[2]!, 0), `rz: ${out}`);
  applyRotation(rotationFromEuler([Math.PI / 2, 0, 0]), [0, 1, 0], out);
  assert.ok(close(out[0]!, 0) && close(out[1]!, 0) && close(out[2]!, 1), `rx: ${out}`);
  // x first, then z: x axis stays x under rx, then goes to y under rz.
  applyRotation(rotationFromEuler([Math.PI / 2, 0, Math.PI / 2]), [1, 0, 0], out);
  assert.ok(close(out[0]!, 0) && close(out[1]!, 1) && close(out[2]!, 0), `rx then rz: ${out}`);
});

test("applyRotationTranspose inverts applyRotation, in place", () => {
  const r = rotationFromEuler([0.7, -0.2, 1.9]);
  const v = new Float64Array([0.3, -2, 5]);
  const w = Float64Array.from(v);
  applyRotation(r, w, w);
  assert.ok(Math.abs(Math.hypot(w[0]!, w[1]!, w[2]!) - Math.hypot(0.3, -2, 5)) < 1e-14, "length preserved");
  applyRotationTranspose(r, w, w);
  for (let i = 0; i < 3; i++) assert.ok(close(w[i]!, v[i]!, 1e-14), `component ${i}: ${w[i]} vs ${v[i]}`);
});

test("frameFromAxis: third column is the axis, frame orthonormal and right-handed, including +-z", () => {
  const axes: Vec3[] = [[0, 0, 1], [0, 0, -1], [1, 0, 0], [0, 1, 0], [1, 2, 3], [-0.3, 0.1, -0.9], [1e-9, 0, -1]];
  for (const a of axes) {
    const f = frameFromAxis(a);
    const n = Math.hypot(...a);
    for (let i = 0; i < 3; i++) assert.ok(close(f[3 * i + 2]!, a[i]! / n), `axis [${a}] column 3 component ${i}`);
    assertOrthonormalRightHanded(f, `frame [${a}]`);
  }
  assert.throws(() => frameFromAxis([0, 0, 0]), /non-zero/);
});

test.run();
