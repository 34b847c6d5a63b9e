/**
 * Orientation distributions of non-spherical particles: the body c axis (the third semi-axis,
 * the normal of a flake such as a graphite platelet) distributed about the sample z axis
 * (through-plane, the calendering direction).
 *
 * - "isotropic": c uniform on the sphere.
 * - "aligned": c = +z exactly.
 * - "fisher": the Fisher (von Mises-Fisher, p = 3) distribution about +z, density
 *   f(c) = kappa / (4 pi sinh kappa) exp(kappa c.z) (R. A. Fisher, "Dispersion on a sphere",
 *   Proc. R. Soc. Lond. A 217 (1953) 295-305). kappa = 0 is isotropic; large kappa gives an
 *   angular spread of about 1/sqrt(kappa) rad. w = cos(theta) is sampled by the exact
 *   inversion w = 1 + ln(U + (1 - U) exp(-2 kappa)) / kappa, U uniform on (0, 1]
 *   (A. T. A. Wood, "Simulation of the von Mises Fisher distribution", Commun. Statist.
 *   Simul. Comput. 23 (1994) 157-164), the azimuth uniformly.
 *
 * The particle is then spun about its c axis by a uniform angle, so the a and b axes of
 * triaxial shapes are not correlated with the frame of frameFromAxis.
 *
 * Pure module, deterministic given the Random passed in.
 */
import type { Vec3 } from "../../core/grid.js";
import type { Random } from "../../core/random.js";
import { frameFromAxis, type Mat3 } from "../../core/rotation.js";

export type OrientationSpec =
  | { readonly type: "isotropic" }
  | { readonly type: "aligned" }
  | { readonly type: "fisher"; readonly kappa: number };

export function checkOrientation(spec: OrientationSpec): void {
  if (spec.type === "fisher" && !(spec.kappa >= 0 && Number.isFinite(spec.kappa))) {
    throw new RangeError(`Fisher concentration kappa must be finite and >= 0, got ${spec.kappa}`);
  }
}

/** cos(theta) between the sampled axis and +z. */
export function sampleAxisCosine(spec: OrientationSpec, rng: Random): number {
  switch (spec.type) {
    case "aligned":
      return 1;
    case "isotropic":
      return 2 * rng.next() - 1;
    case "fisher": {
      const k = spec.kappa;
      if (!(k >= 0 && Number.isFinite(k))) checkOrientation(spec);
      const u = 1 - rng.next(); // (0, 1]
      if (k < 1e-8) return 2 * u - 1;
      const w = 1 + Math.log(u + (1 - u) * Math.exp(-2 * k)) / k;
      return Math.max(-1, Math.min(1, w));
    }
  }
}

/** A unit axis drawn from the distribution (written into `out`). */
export function sampleAxis(spec: OrientationSpec, rng: Random, out: number[] | Float64Array = [0, 0, 0]): number[] | Float64Array {
  const w = sampleAxisCosine(spec, rng);
  const phi = 2 * Math.PI * rng.next();
  const s = Math.sqrt(Math.max(0, 1 - w * w));
  out[0] = s * Math.cos(phi);
  out[1] = s * Math.sin(phi);
  out[2] = w;
  return out;
}

/**
 * A body-to-sample rotation whose third column (the body c axis) follows the distribution,
 * with a uniform spin about that axis: R = frameFromAxis(c) * Rz(psi).
 */
export function sampleOrientation(spec: OrientationSpec, rng: Random, out: Mat3 = new Float64Array(9)): Mat3 {
  const axis = sampleAxis(spec, rng);
  const frame = frameFromAxis([axis[0]!, axis[1]!, axis[2]!]);
  const psi = 2 * Math.PI * rng.next();
  const c = Math.cos(psi), s = Math.sin(psi);
  // (F * Rz(psi)) columns: u' = c u + s v, v' = -s u + c v, w' = w.
  for (let r = 0; r < 3; r++) {
    const u = frame[3 * r]!, v = frame[3 * r + 1]!;
    out[3 * r] = c * u + s * v;
    out[3 * r + 1] = -s * u + c * v;
    out[3 * r + 2] = frame[3 * r + 2]!;
  }
  return out;
}

/** The body c axis (third column) of a body-to-sample rotation. */
export function bodyAxisC(rotation: Mat3): Vec3 {
  return [rotation[2]!, rotation[5]!, rotation[8]!];
}

/** Mean |cos| between the body c axes of the rotations and the z axis (0.5 isotropic, 1 aligned). */
export function meanAbsCosToZ(rotations: Iterable<Mat3>): number {
  let sum = 0, n = 0;
  for (const r of rotations) {
    sum += Math.abs(r[8]!);
    n++;
  }
  if (n === 0) throw new RangeError("no rotations");
  return sum / n;
}

/**
 * Expected mean |cos theta| of the distribution. Fisher: integrating |w| kappa e^{kappa w} /
 * (2 sinh kappa) over [-1, 1] gives
 *   E|w| = [(kappa - 1) - (kappa + 1) e^{-2 kappa} + 2 e^{-kappa}] / [kappa (1 - e^{-2 kappa})],
 * which tends to 1/2 + kappa^2 / 24 as kappa -> 0 and to 1 - 1/kappa as kappa -> infinity.
 */
export function expectedMeanAbsCos(spec: OrientationSpec): number {
  switch (spec.type) {
    case "aligned":
      return 1;
    case "isotropic":
      return 0.5;
    case "fisher": {
      const k = spec.kappa;
      checkOrientation(spec);
      if (k < 1e-3) return 0.5 + (k * k) / 24;
      const e1 = Math.exp(-k), e2 = Math.exp(-2 * k);
      return (k - 1 - (k + 1) * e2 + 2 * e1) / (k * (1 - e2));
    }
  }
}
