import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRandom } from "../../../src/core/random.js";
import { multiply3 } from "../../../src/core/rotation.js";
import {
  bodyAxisC, expectedMeanAbsCos, meanAbsCosToZ, sampleAxisCosine, sampleOrientation, type OrientationSpec,
} from "../../../src/phantoms/microstructure/orientation.js";
import type { Mat3 } from "../../../src/phantoms/microstructure/types.js";

function sample(spec: OrientationSpec, n: number, seed: number): Mat3[] {
  const rng = createRandom(seed);
  return Array.from({ length: n }, () => sampleOrientation(spec, rng));
}

test("rotations are orthonormal, right-handed, with the sampled axis as third column", () => {
  for (const r of sample({ type: "fisher", kappa: 3 }, 200, 1)) {
    const rt = Float64Array.of(r[0]!, r[3]!, r[6]!, r[1]!, r[4]!, r[7]!, r[2]!, r[5]!, r[8]!);
    const p = multiply3(r, rt);
    for (let i = 0; i < 9; i++) assert.ok(Math.abs(p[i]! - (i % 4 === 0 ? 1 : 0)) < 1e-14, `R R^T at ${i}`);
    const det = r[0]! * (r[4]! * r[8]! - r[5]! * r[7]!) - r[1]! * (r[3]! * r[8]! - r[5]! * r[6]!) + r[2]! * (r[3]! * r[7]! - r[4]! * r[6]!);
    assert.ok(Math.abs(det - 1) < 1e-14, `det ${det}`);
    const c = bodyAxisC(r);
    assert.ok(Math.abs(Math.hypot(...c) - 1) < 1e-14);
  }
});

test("mean |cos| to z: ~0.5 for kappa = 0 and isotropic, ~1 for large kappa, exactly 1 aligned", () => {
  const n = 20_000;
  const iso = meanAbsCosToZ(sample({ type: "isotropic" }, n, 2));
  assert.ok(Math.abs(iso - 0.5) < 0.01, `isotropic ${iso}`);
  const k0 = meanAbsCosToZ(sample({ type: "fisher", kappa: 0 }, n, 3));
  assert.ok(Math.abs(k0 - 0.5) < 0.01, `kappa 0 ${k0}`);
  const k200 = meanAbsCosToZ(sample({ type: "fisher", kappa: 200 }, n, 4));
  assert.ok(k200 > 0.99 && k200 <= 1, `kappa 200 ${k200}`);
  assert.is(meanAbsCosToZ(sample({ type: "aligned" }, 10, 5)), 1);
  assert.is(expectedMeanAbsCos({ type: "fisher", kappa: 0 }), 0.5);
  assert.ok(Math.abs(expectedMeanAbsCos({ type: "fisher", kappa: 1e4 }) - (1 - 1e-4)) < 1e-8);
});

test("Fisher sampling matches the closed forms: E|cos| and the Langevin mean E[cos] = coth k - 1/k", () => {
  const n = 40_000;
  for (const kappa of [0.5, 2, 5, 20]) {
    const rng = createRandom(10 + kappa);
    let sumW = 0, sumAbs = 0;
    for (let k = 0; k < n; k++) {
      const w = sampleAxisCosine({ type: "fisher", kappa }, rng);
      sumW += w;
      sumAbs += Math.abs(w);
    }
    const langevin = 1 / Math.tanh(kappa) - 1 / kappa;
    // Standard errors are below 0.006; allow 4 of them.
    assert.ok(Math.abs(sumW / n - langevin) < 0.02, `kappa ${kappa}: E[w] ${sumW / n} vs ${langevin}`);
    const expected = expectedMeanAbsCos({ type: "fisher", kappa });
    assert.ok(Math.abs(sumAbs / n - expected) < 0.012, `kappa ${kappa}: E|w| ${sumAbs / n} vs ${expected}`);
  }
  // The closed form is continuous across its small-kappa series branch.
  const a = expectedMeanAbsCos({ type: "fisher", kappa: 0.999e-3 }), b = expectedMeanAbsCos({ type: "fisher", kappa: 1.001e-3 });
  assert.ok(Math.abs(a - b) < 1e-8, `${a} vs ${b}`);
});

test("isotropic axes have no preferred direction: second moment I/3", () => {
  const rs = sample({ type: "isotropic" }, 30_000, 6);
  const m = [0, 0, 0, 0, 0, 0];
  for (const r of rs) {
    const [x, y, z] = bodyAxisC(r);
    m[0] += x * x; m[1] += y * y; m[2] += z * z; m[3] += x * y; m[4] += x * z; m[5] += y * z;
  }
  for (let k = 0; k < 6; k++) {
    const v = m[k]! / rs.length;
    assert.ok(Math.abs(v - (k < 3 ? 1 / 3 : 0)) < 0.01, `moment ${k}: ${v}`);
  }
  assert.throws(() => sampleOrientation({ type: "fisher", kappa: -1 }, createRandom(1)), /kappa/);
  assert.throws(() => expectedMeanAbsCos({ type: "fisher", kappa: Number.NaN }), /kappa/);
});

test.run();
