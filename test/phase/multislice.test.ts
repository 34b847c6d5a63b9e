import { test } from "uvu";
import * as assert from "uvu/assert";
import { fresnelPropagate } from "../../src/phase/fresnel.js";
import { multislicePropagate } from "../../src/phase/multislice.js";
import { exitWave, intensity, wavelengthM } from "../../src/phase/wave.js";

const E = 17;
const LAMBDA = wavelengthM(E);
const NX = 64, NY = 64, NZ = 32;

/**
 * A sphere of radius 10 voxels in a 64 x 64 x 32 grid of voxel s; delta scaled as 1e-12 m / s
 * so that its projected phase (k D up to 1.7 rad) is the same at every s, beta = delta / 100.
 */
function sphere(s: number): { delta: Float32Array; beta: Float32Array; d: Float64Array; b: Float64Array } {
  const delta = new Float32Array(NX * NY * NZ), beta = new Float32Array(NX * NY * NZ);
  const dv = 1e-12 / s;
  for (let k = 0; k < NZ; k++) for (let j = 0; j < NY; j++) for (let i = 0; i < NX; i++) {
    if ((i - 31.5) ** 2 + (j - 31.5) ** 2 + (k - 15.5) ** 2 < 100) {
      delta[i + NX * (j + NY * k)] = dv;
      beta[i + NX * (j + NY * k)] = dv / 100;
    }
  }
  const d = new Float64Array(NX * NY), b = new Float64Array(NX * NY);
  for (let k = 0; k < NZ; k++) for (let p = 0; p < NX * NY; p++) {
    d[p] = d[p]! + delta[p + NX * NY * k]! * s;
    b[p] = b[p]! + beta[p + NX * NY * k]! * s;
  }
  return { delta, beta, d, b };
}

/**
 * Max |I_multislice - I_projection| at the exit face, the projection-approximation wave taken
 * at the sphere's mid-plane and propagated the half thickness NZ s / 2 to the exit face.
 */
function difference(s: number): number {
  const { delta, beta, d, b } = sphere(s);
  const ms = intensity(multislicePropagate(delta, beta, { nx: NX, ny: NY, nz: NZ, voxelSizeM: s }, E, { padMode: "one" }));
  const pa = intensity(fresnelPropagate(exitWave(d, b, E), NX, NY, s, LAMBDA, (NZ * s) / 2, { padMode: "one" }));
  let diff = 0;
  for (let p = 0; p < NX * NY; p++) diff = Math.max(diff, Math.abs(ms[p]! - pa[p]!));
  return diff;
}

test("thin sample (T lambda / a^2 = 1.5e-3): multislice equals the projection approximation", () => {
  const s = 1e-6; // T = 20 um, a = 1 um
  assert.ok((20 * s * LAMBDA) / (s * s) < 2e-3);
  const diff = difference(s);
  assert.ok(diff < 1e-4, `max intensity difference ${diff.toExponential(2)} (measured 1.3e-5)`);
});

test("thick sample: the difference grows in proportion to T lambda / a^2 (diffraction inside the sample)", () => {
  // T lambda / a^2 = 20 lambda / s: 0.0146 at s = 100 nm, 0.73 at s = 2 nm.
  const thin = difference(1e-7);
  const thick = difference(2e-9);
  const ratio = 50; // of the two Fresnel numbers
  assert.ok(thick > 3e-3, `thick sample departs from the projection approximation: ${thick.toExponential(2)} (measured 5.7e-3)`);
  const gain = thick / thin;
  assert.ok(gain > ratio / 2 && gain < ratio * 2, `first order in the thickness Fresnel number: difference x${gain.toFixed(1)} for x${ratio}`);
});

test("identities: vacuum gives the plane wave; one slab equals projection + propagation; pure phase conserves intensity", () => {
  const s = 0.5e-6, grid = { nx: NX, ny: NY, nz: NZ, voxelSizeM: s };
  const empty = new Float32Array(NX * NY * NZ);
  const vac = multislicePropagate(empty, empty, grid, E, { detectorDistanceM: 0.1 });
  for (let p = 0; p < NX * NY; p++) assert.ok(Math.abs(vac[2 * p]! - 1) < 1e-12 && Math.abs(vac[2 * p + 1]!) < 1e-12);
  const { delta, beta, d, b } = sphere(s);
  const slab = multislicePropagate(delta, beta, grid, E, { voxelsPerSlice: NZ, detectorDistanceM: 0.02, pad: 1 });
  const direct = fresnelPropagate(exitWave(d, b, E), NX, NY, s, LAMBDA, NZ * s + 0.02, { pad: 1 });
  let e = 0;
  for (let i = 0; i < slab.length; i++) e = Math.max(e, Math.abs(slab[i]! - direct[i]!));
  assert.ok(e < 1e-12, `single slab ${e}`);
  // Pure phase, periodic grid: every step is unitary, so the total intensity is NX * NY.
  const noBeta = new Float32Array(NX * NY * NZ);
  const phaseOnly = intensity(multislicePropagate(delta, noBeta, grid, E, { pad: 1, detectorDistanceM: 0.05 }));
  const total = phaseOnly.reduce((acc, v) => acc + v, 0);
  assert.ok(Math.abs(total - NX * NY) < 1e-9 * NX * NY, `total ${total}`);
  assert.throws(() => multislicePropagate(delta, beta, { ...grid, nz: 4 }, E), /voxels/);
});

test.run();
