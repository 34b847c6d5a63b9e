/**
 * Diffusion-induced stress in an isotropic, linear-elastic, traction-free sphere.
 *
 * Lithium changes the lattice volume: the stress-free (chemical) strain is Omega c / 3 in
 * every direction, Omega the partial molar volume (m^3/mol). This is the thermal-stress
 * problem of a sphere (S. Timoshenko, J. N. Goodier, "Theory of Elasticity", 3rd ed.,
 * McGraw-Hill 1970, sec. 151) with alpha T replaced by Omega c / 3, as used by
 * J. Christensen, J. Newman, J. Solid State Electrochem. 10 (2006) 293,
 * doi:10.1007/s10008-006-0095-1, and X. Zhang, W. Shyy, A. M. Sastry, J. Electrochem. Soc.
 * 154 (2007) A910, doi:10.1149/1.2759840, eqs. 7-8:
 *
 *   sigma_r(r) = (2 Omega E / (3 (1 - nu))) [ (1/R^3) I(R) - (1/r^3) I(r) ]
 *   sigma_t(r) = (  Omega E / (3 (1 - nu))) [ (2/R^3) I(R) + (1/r^3) I(r) - c(r) ]
 *   I(r) = int_0^r c(s) s^2 ds
 *
 * Tensile stress is positive. Only differences of c matter (a uniform c gives zero stress).
 * At the surface sigma_r = 0 and sigma_t(R) = K (c_avg - c(R)), K = Omega E / (3 (1 - nu)):
 * with Omega > 0 (the lattice grows with lithium) a surface poorer in lithium than the mean
 * (delithiation, i.e. charging a cathode) is in tension. At the centre
 * sigma_r = sigma_t = 2K (c_avg - c(0)) / 3.
 *
 * The profile is given at discrete radii; c is interpolated piecewise-quadratically (through
 * three neighbouring nodes) and I(r) is integrated exactly for that interpolant, so a
 * concentration quadratic in r gives stresses exact to rounding. Pure module.
 */

export interface ElasticParams {
  /** Young's modulus E, Pa. */
  youngModulusPa: number;
  /** Poisson ratio nu, in (-1, 0.5). */
  poissonRatio: number;
  /** Partial molar volume Omega, m^3/mol; positive when the lattice expands with lithium. */
  partialMolarVolumeM3PerMol: number;
}

/**
 * NMC811 (LiNi0.8Mn0.1Co0.1O2) secondary particles, order-of-magnitude values:
 * - E = 150 GPa: nanoindentation of NMC grains gives ~140-200 GPa (R. Xu, H. Sun,
 *   L. S. de Vasconcelos, K. Zhao, J. Electrochem. Soc. 164 (2017) A3333,
 *   doi:10.1149/2.1751713jes, for NMC532) [unverified for NMC811; secondary particles with
 *   porous grain boundaries are softer].
 * - nu = 0.3: the customary value for layered oxides [unverified].
 * - Omega = 7.28e-7 m^3/mol: magnitude of the positive-electrode value of W. Ai et al.,
 *   J. Electrochem. Soc. 167 (2020) 013512, doi:10.1149/2.0122001JES (used for NMC in the
 *   PyBaMM "Mohtat2020" parameter set). Omega * c_max = 7.28e-7 * 63104 = 4.6 % volume over
 *   the full lithium range, the size of the unit-cell volume collapse of NMC811 on charge
 *   [unverified]. The sign here follows our convention (lattice shrinks on delithiation).
 */
export const NMC811_ELASTIC: Readonly<ElasticParams> = Object.freeze({
  youngModulusPa: 150e9,
  poissonRatio: 0.3,
  partialMolarVolumeM3PerMol: 7.28e-7,
});

export interface StressProfile {
  /** Radial stress at each radius, Pa (tensile positive); zero at the surface. */
  radialPa: Float64Array;
  /** Tangential (hoop) stress at each radius, Pa (tensile positive). */
  hoopPa: Float64Array;
}

function checkElastic(p: ElasticParams): number {
  const { youngModulusPa: e, poissonRatio: nu, partialMolarVolumeM3PerMol: omega } = p;
  if (!(Number.isFinite(e) && e > 0)) throw new RangeError(`youngModulusPa must be positive (Pa), got ${e}`);
  if (!(nu > -1 && nu < 0.5)) throw new RangeError(`poissonRatio must be in (-1, 0.5), got ${nu}`);
  if (!Number.isFinite(omega)) throw new RangeError(`partialMolarVolumeM3PerMol must be finite (m^3/mol), got ${omega}`);
  return (omega * e) / (3 * (1 - nu));
}

/** (b^n - a^n) / n for n = 3, 4, 5, factored so close a, b lose no precision. */
function powDiff3(a: number, b: number): number {
  return ((b - a) * (b * b + a * b + a * a)) / 3;
}
function powDiff4(a: number, b: number): number {
  return ((b - a) * (b + a) * (b * b + a * a)) / 4;
}
function powDiff5(a: number, b: number): number {
  const a2 = a * a;
  const b2 = b * b;
  return ((b - a) * (b2 * b2 + b2 * b * a + b2 * a2 + b * a2 * a + a2 * a2)) / 5;
}

/**
 * int_a^b p(s) s^2 ds for the quadratic p through (x0,y0), (x1,y1), (x2,y2)
 * (Newton divided differences expanded to p = alpha + beta s + gamma s^2).
 */
function quadraticMoment(x0: number, y0: number, x1: number, y1: number, x2: number, y2: number, a: number, b: number): number {
  const d1 = (y1 - y0) / (x1 - x0);
  const d2 = ((y2 - y1) / (x2 - x1) - d1) / (x2 - x0);
  const gamma = d2;
  const beta = d1 - d2 * (x0 + x1);
  const alpha = y0 - d1 * x0 + d2 * x0 * x1;
  return alpha * powDiff3(a, b) + beta * powDiff4(a, b) + gamma * powDiff5(a, b);
}

/**
 * Radial and hoop stress at the given radii (strictly increasing, >= 0; the LAST radius is the
 * particle surface R) for the concentrations there (mol/m^3). `out` buffers may be passed to
 * avoid allocation in a time loop.
 */
export function hoopStressProfile(
  shellRadiiM: ArrayLike<number>,
  concentration: ArrayLike<number>,
  params: ElasticParams,
  out?: StressProfile,
): StressProfile {
  const k = checkElastic(params);
  const n = shellRadiiM.length;
  if (n < 3) throw new RangeError(`need at least 3 radii (the last one the surface), got ${n}`);
  if (concentration.length !== n) throw new RangeError(`concentration has ${concentration.length} values; expected one per radius (${n})`);
  if (!(shellRadiiM[0]! >= 0)) throw new RangeError(`radii must be >= 0, got ${shellRadiiM[0]}`);
  for (let i = 1; i < n; i++) {
    if (!(shellRadiiM[i]! > shellRadiiM[i - 1]!)) throw new RangeError(`radii must increase strictly; radius[${i}] = ${shellRadiiM[i]} after ${shellRadiiM[i - 1]}`);
  }
  const radialPa = out?.radialPa ?? new Float64Array(n);
  const hoopPa = out?.hoopPa ?? new Float64Array(n);
  if (radialPa.length !== n || hoopPa.length !== n) throw new RangeError(`out buffers must hold ${n} values`);
  const r = shellRadiiM;
  const c = concentration;

  // Cumulative moment I(r_i), stored in hoopPa first (reused below, no extra buffer).
  const moment = hoopPa;
  moment[0] = r[0]! > 0 ? quadraticMoment(r[0]!, c[0]!, r[1]!, c[1]!, r[2]!, c[2]!, 0, r[0]!) : 0;
  for (let i = 0; i < n - 1; i++) {
    // Quadratic through nodes i-1, i, i+1 (i, i+1, i+2 for the first interval).
    const j = i === 0 ? 0 : i - 1;
    moment[i + 1] = moment[i]! + quadraticMoment(r[j]!, c[j]!, r[j + 1]!, c[j + 1]!, r[j + 2]!, c[j + 2]!, r[i]!, r[i + 1]!);
  }
  const radius = r[n - 1]!;
  const meanThird = moment[n - 1]! / (radius * radius * radius); // c_avg / 3
  for (let i = 0; i < n; i++) {
    const ri = r[i]!;
    // I(r)/r^3 -> c(0)/3 as r -> 0.
    const inner = ri > 0 ? moment[i]! / (ri * ri * ri) : c[i]! / 3;
    radialPa[i] = 2 * k * (meanThird - inner);
    hoopPa[i] = k * (2 * meanThird + inner - c[i]!);
  }
  radialPa[n - 1] = 0; // traction-free surface (exactly, not to rounding)
  return { radialPa, hoopPa };
}

/** Largest hoop stress over the profile, Pa (tensile positive; negative if the whole particle is in compression). */
export function maxHoopStressPa(shellRadiiM: ArrayLike<number>, concentration: ArrayLike<number>, params: ElasticParams): number {
  const { hoopPa } = hoopStressProfile(shellRadiiM, concentration, params);
  let m = -Infinity;
  for (let i = 0; i < hoopPa.length; i++) if (hoopPa[i]! > m) m = hoopPa[i]!;
  return m;
}
