/**
 * Random close packing of polydisperse spheres and ellipsoids in an electrode slab.
 *
 * Box: x and y periodic (period max - min), z bounded by walls at [zMin, zMax] that every
 * particle stays inside up to its surface (its centre stays within its z half-extent of the
 * walls). Volume fractions are of the box volume, counting each particle's envelope volume
 * (4/3 pi a b c; internal porosity is not subtracted) once, whatever periodic images it has.
 *
 * Algorithm (packParticles):
 *  1. Draw each population's particles until their volume reaches the population's target
 *     (sizeDistribution.ts: number-weighted lognormal with the volume-weighted D50/span),
 *     shapes and orientations (orientation.ts), grain counts, cracked flags.
 *  2. Random sequential addition (RSA), largest first, with every particle shrunk by a common
 *     factor lambda0 such that the shrunk fraction is 0.25, where RSA nearly always finds a
 *     free site (a particle that finds none in its attempts takes its least-overlapping one).
 *  3. Collective rearrangement while growing lambda to 1: Gauss-Seidel sweeps over the
 *     neighbour pairs push every overlapping pair apart along its contact normal by its
 *     overlap, shared in inverse proportion to the particle volumes, so that a resolved pair
 *     ends IN CONTACT; walls clamp the centres. There is no over-relaxation: pushing further
 *     leaves systematic gaps (pushing by 1.9 times the overlap in the final relaxation
 *     converged in far fewer sweeps but cut the mean number of contacts within 0.5 % of r_eq
 *     from 4.7 to 2.3 per particle at a fraction of 0.6). lambda grows in adaptive steps,
 *     the overlaps being relaxed below a loose tolerance at each; at lambda = 1 the sweeps
 *     run until the largest overlap, verified by an exact all-pairs pass, is below the
 *     tolerance (or the sweep cap is reached). Pairs whose overlap is already below half the
 *     tolerance are left touching rather than chased to zero, which saves most final sweeps.
 *  This is the push-apart collective rearrangement of W. S. Jodrey and E. M. Tory, "Computer
 *  simulation of close random packing of equal spheres", Phys. Rev. A 32 (1985) 2347, in the
 *  polydisperse form of D. He, N. N. Ekere, L. Cai, "Computer simulation of random packing of
 *  unequal particles", Phys. Rev. E 60 (1999) 7098, with particle growth as in B. D.
 *  Lubachevsky and F. H. Stillinger, "Geometric properties of random disk packings",
 *  J. Stat. Phys. 60 (1990) 561 (without the dynamics: each growth step is followed by
 *  relaxation, as in the force-biased algorithm of J. Moscinski, M. Bargiel, Z. A. Rycerz,
 *  P. W. M. Jacobs, Molecular Simulation 3 (1989) 201). In-place (Gauss-Seidel) moves rather
 *  than accumulated (Jacobi) ones converge in far fewer sweeps and never overshoot a pair.
 *
 * Neighbour search: a uniform cell grid over the slab (periodic in x, y) builds Verlet lists
 * (L. Verlet, Phys. Rev. 159 (1967) 98) with a skin, rebuilt when a particle has moved more
 * than half the skin or the size grew past the list's margin. A pair is owned by the
 * particle with the larger bounding radius, which searches 2 R lambda + skin, so polydisperse
 * populations do not make every particle search the largest particle's range. Sweeps skip
 * pairs neither of whose particles moved since the previous sweep (they cannot have changed).
 * Particles are renumbered in cell order after RSA to keep the sweeps' accesses in cache.
 *
 * Ellipsoids: Perram-Wertheim contact function (J. W. Perram, M. S. Wertheim, "Statistical
 * mechanics of hard ellipsoids. I. Overlap algorithm and the contact function", J. Comput.
 * Phys. 58 (1985) 409-416). With P = R diag(a^2, b^2, c^2) R^T and r the centre separation,
 *     F(r) = max over mu in [0, 1] of  mu (1 - mu) r^T [(1 - mu) P_A + mu P_B]^-1 r
 * is < 1, = 1, > 1 for overlapping, touching, separate ellipsoids, and S = sqrt(F) is the
 * factor by which both would have to be scaled about their centres to touch. S is
 * homogeneous of degree 1 and convex in r (a maximum of Euclidean norms of r), and its
 * gradient at the optimal mu, grad S = mu (1 - mu) C^-1 r / S, is the contact normal. The
 * overlap is taken as the Newton step to contact along that normal, (1 - S) / |grad S|: by
 * convexity, moving the pair apart by it along the normal always separates them (to contact,
 * or just past it by a second-order amount), and for spheres it is exactly r_A + r_B - d.
 * (The distance to contact along the line of centres, d (1/S - 1), would be exact too, but
 * for two flakes side by side it asks for a large lateral move where a small one along the
 * normal suffices; pushing along it took 7 times more sweeps for flakes of aspect 0.25-0.4,
 * kappa = 10, at a fraction of 0.55.)
 * This was preferred to covering each ellipsoid with a few spheres: a sphere cover of a flake
 * of aspect 0.25-0.4 either misses the rims (a non-conservative test, leaving real overlaps)
 * or bulges beyond the surface (leaving gaps that prevent real contacts). The contact function
 * costs a 1-D Newton maximisation (6-7 steps of a 3x3 solve on average in the packings of
 * the tests) and is only evaluated for pairs whose bounding spheres overlap. Orientations
 * stay fixed during the packing.
 *
 * Overlaps are reported as depth / min(r_eq,i, r_eq,j), r_eq = (abc)^(1/3) the equivalent
 * radius; the default tolerance is 0.02.
 *
 * Pure module (no Node APIs), typed arrays in the hot loops, deterministic given the Random.
 */
import type { Vec3 } from "../../core/grid.js";
import type { Random } from "../../core/random.js";
import { identity3 } from "../../core/rotation.js";
import { checkOrientation, sampleOrientation, type OrientationSpec } from "./orientation.js";
import { sampleDiameters, type SizeDistributionSpec } from "./sizeDistribution.js";
import type { Mat3, Packing, Particle, ParticleKind } from "./types.js";

// ---------------------------------------------------------------------------------------
// Specs.

/** A ratio given as a value or as a [min, max] range sampled uniformly per particle. */
export type RatioSpec = number | readonly [number, number];

export type ShapeSpec =
  | { readonly type: "sphere" }
  | {
      readonly type: "ellipsoid";
      /** b / a (default 1: a spheroid with two equal axes, e.g. a flake). Any positive ratio. */
      readonly bOverA?: RatioSpec;
      /**
       * c / a, c along the body z axis (the flake normal): e.g. [0.25, 0.4] for graphite
       * flakes (oblate, c the short axis), > 1 for prolate rods along the body z axis.
       */
      readonly cOverA: RatioSpec;
      /** Distribution of the body c axis about the sample z axis (default isotropic). */
      readonly orientation?: OrientationSpec;
    };

export interface GrainSpec {
  /** Mean primary-grain diameter (m): grainCount = max(1, round((d / dg)^3)), at most 255. */
  readonly meanGrainDiameterM: number;
}

export interface PopulationSpec {
  readonly material: string;
  /** Default "active". */
  readonly kind?: ParticleKind;
  /** Target volume fraction of the BOX volume (sum of the particles' envelope volumes). */
  readonly volumeFraction: number;
  /** Volume-equivalent diameters (volume-weighted D50, span). */
  readonly size: SizeDistributionSpec;
  /** Default sphere. Ellipsoids keep the volume of the sphere of the drawn diameter. */
  readonly shape?: ShapeSpec;
  /** Default: monolithic (1 grain). */
  readonly grains?: GrainSpec;
  /** Internal pore fraction of each particle, 0-1 (default 0). */
  readonly internalPorosity?: number;
  /** Fraction of the population marked pre-cracked, 0-1 (default 0). */
  readonly crackedFraction?: number;
}

export interface Box {
  readonly min: Vec3;
  readonly max: Vec3;
}

export interface RelaxOptions {
  /** Largest pair overlap allowed, fraction of the smaller equivalent radius (default 0.02). */
  readonly overlapTolerance?: number;
  /** Cap on rearrangement sweeps (default 10,000: ~20 s for 12,000 particles that cannot reach the target). */
  readonly maxIterations?: number;
}

export interface PackingSpec extends RelaxOptions {
  readonly box: Box;
  readonly populations: readonly PopulationSpec[];
  /** Volume fraction at which the shrunk particles are placed by RSA (default 0.25). */
  readonly rsaFraction?: number;
  /** Overlap (fraction of r_eq) relaxed to at each growth step before growing on (default 0.5). */
  readonly growthTolerance?: number;
}

export const DEFAULT_OVERLAP_TOLERANCE = 0.02;
export const DEFAULT_MAX_ITERATIONS = 10_000;
/** localGrains of a Microstructure are uint8: at most 255 grains per particle. */
export const MAX_GRAIN_COUNT = 255;

const DEFAULT_RSA_FRACTION = 0.25;
const DEFAULT_GROWTH_TOLERANCE = 0.5;
const RSA_ATTEMPTS = 24;
/** Verlet skin, fraction of the median equivalent radius. */
const SKIN_FRACTION = 0.5;
/** Relative size margin of the Verlet list during growth. */
const GROWTH_SKIN = 0.02;
/** Pairs overlapping by less than this fraction of the tolerance are left as they are. */
const PUSH_FRACTION = 0.5;

/** Grains of a particle of volume-equivalent diameter d: max(1, round((d / dg)^3)), capped at 255. */
export function grainCountFor(diameterM: number, meanGrainDiameterM: number): number {
  if (!(meanGrainDiameterM > 0)) throw new RangeError(`mean grain diameter must be positive, got ${meanGrainDiameterM} m`);
  const r = diameterM / meanGrainDiameterM;
  return Math.min(MAX_GRAIN_COUNT, Math.max(1, Math.round(r * r * r)));
}

// ---------------------------------------------------------------------------------------
// Geometry of one particle.

/** Shape matrix P = R diag(a^2, b^2, c^2) R^T as [xx, yy, zz, xy, xz, yz] (written at `offset`). */
export function shapeMatrix(semiAxes: Vec3, rotation: Mat3, out: Float64Array = new Float64Array(6), offset = 0): Float64Array {
  const a2 = semiAxes[0] * semiAxes[0], b2 = semiAxes[1] * semiAxes[1], c2 = semiAxes[2] * semiAxes[2];
  const r = rotation;
  const e = (k: number, l: number) => r[3 * k]! * r[3 * l]! * a2 + r[3 * k + 1]! * r[3 * l + 1]! * b2 + r[3 * k + 2]! * r[3 * l + 2]! * c2;
  out[offset] = e(0, 0);
  out[offset + 1] = e(1, 1);
  out[offset + 2] = e(2, 2);
  out[offset + 3] = e(0, 1);
  out[offset + 4] = e(0, 2);
  out[offset + 5] = e(1, 2);
  return out;
}

/** Half extent along z of an ellipsoid: sqrt(P_zz) (the support function along z). */
export function zHalfExtent(semiAxes: Vec3, rotation: Mat3): number {
  return Math.sqrt(shapeMatrix(semiAxes, rotation)[2]!);
}

/** Equivalent radius (abc)^(1/3). */
export function equivalentRadius(p: Pick<Particle, "semiAxes">): number {
  return Math.cbrt(p.semiAxes[0] * p.semiAxes[1] * p.semiAxes[2]);
}

/** Envelope volume 4/3 pi a b c. */
export function particleVolume(p: Pick<Particle, "semiAxes">): number {
  return (4 / 3) * Math.PI * p.semiAxes[0] * p.semiAxes[1] * p.semiAxes[2];
}

// ---------------------------------------------------------------------------------------
// Perram-Wertheim contact function.

/** Scratch output of pwMaximum: mu (1 - mu) C^-1 n at the optimum. */
const PW_GRAD = new Float64Array(3);

/**
 * max over mu of h(mu) = mu (1 - mu) n^T C^-1 n, C = (1 - mu) P + mu Q, for a unit direction n
 * and shape matrices P (at p[pi..pi+5]) and Q (at q[qi..qi+5]); writes mu (1 - mu) C^-1 n at
 * the optimum into PW_GRAD. Then F(d n) = d^2 h and grad S = PW_GRAD / sqrt(h).
 *
 * Newton on h' with bisection safeguarding inside the bracket [0, 1] (h'(0) = n^T P^-1 n > 0,
 * h'(1) = -n^T Q^-1 n < 0). With x = C^-1 n, D = Q - P, y = D x:
 *   q = n.x, q' = -x.y, q'' = 2 y.C^-1 y,
 *   h' = (1 - 2mu) q + mu(1 - mu) q',  h'' = -2q + 2(1 - 2mu) q' + mu(1 - mu) q''.
 * Starts at mu = r_A / (r_A + r_B), r = sqrt(n^T P n), the exact optimum for spheres. The
 * largest h met is returned (an unconverged value errs towards a larger overlap).
 */
function pwMaximum(p: ArrayLike<number>, pi: number, q: ArrayLike<number>, qi: number, nx: number, ny: number, nz: number): number {
  const p0 = p[pi]!, p1 = p[pi + 1]!, p2 = p[pi + 2]!, p3 = p[pi + 3]!, p4 = p[pi + 4]!, p5 = p[pi + 5]!;
  const q0 = q[qi]!, q1 = q[qi + 1]!, q2 = q[qi + 2]!, q3 = q[qi + 3]!, q4 = q[qi + 4]!, q5 = q[qi + 5]!;
  const d0 = q0 - p0, d1 = q1 - p1, d2 = q2 - p2, d3 = q3 - p3, d4 = q4 - p4, d5 = q5 - p5;
  const ra = Math.sqrt(nx * (p0 * nx + p3 * ny + p4 * nz) + ny * (p3 * nx + p1 * ny + p5 * nz) + nz * (p4 * nx + p5 * ny + p2 * nz));
  const rb = Math.sqrt(nx * (q0 * nx + q3 * ny + q4 * nz) + ny * (q3 * nx + q1 * ny + q5 * nz) + nz * (q4 * nx + q5 * ny + q2 * nz));
  let mu = ra / (ra + rb);
  let lo = 0, hi = 1, best = -1;
  for (let it = 0; it < 64; it++) {
    const om = 1 - mu;
    const c0 = om * p0 + mu * q0, c1 = om * p1 + mu * q1, c2 = om * p2 + mu * q2;
    const c3 = om * p3 + mu * q3, c4 = om * p4 + mu * q4, c5 = om * p5 + mu * q5;
    // Adjugate of the symmetric C = [[c0, c3, c4], [c3, c1, c5], [c4, c5, c2]].
    const a00 = c1 * c2 - c5 * c5, a11 = c0 * c2 - c4 * c4, a22 = c0 * c1 - c3 * c3;
    const a01 = c4 * c5 - c3 * c2, a02 = c3 * c5 - c1 * c4, a12 = c3 * c4 - c0 * c5;
    const inv = 1 / (c0 * a00 + c3 * a01 + c4 * a02);
    const x0 = (a00 * nx + a01 * ny + a02 * nz) * inv;
    const x1 = (a01 * nx + a11 * ny + a12 * nz) * inv;
    const x2 = (a02 * nx + a12 * ny + a22 * nz) * inv;
    const qv = nx * x0 + ny * x1 + nz * x2;
    const y0 = d0 * x0 + d3 * x1 + d4 * x2;
    const y1 = d3 * x0 + d1 * x1 + d5 * x2;
    const y2 = d4 * x0 + d5 * x1 + d2 * x2;
    const qp = -(x0 * y0 + x1 * y1 + x2 * y2);
    const z0 = (a00 * y0 + a01 * y1 + a02 * y2) * inv;
    const z1 = (a01 * y0 + a11 * y1 + a12 * y2) * inv;
    const z2 = (a02 * y0 + a12 * y1 + a22 * y2) * inv;
    const qpp = 2 * (y0 * z0 + y1 * z1 + y2 * z2);
    const mm = mu * om;
    const h = mm * qv;
    if (h > best) {
      best = h;
      PW_GRAD[0] = mm * x0;
      PW_GRAD[1] = mm * x1;
      PW_GRAD[2] = mm * x2;
    }
    const hp = (1 - 2 * mu) * qv + mm * qp;
    const hpp = -2 * qv + 2 * (1 - 2 * mu) * qp + mm * qpp;
    if (hp > 0) lo = mu;
    else hi = mu;
    let next = hpp < 0 ? mu - hp / hpp : NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - mu) < 1e-8) break;
    mu = next;
  }
  return best;
}

/**
 * Centre distance along the unit direction (nx, ny, nz) at which two ellipsoids with shape
 * matrices P (p[pi..pi+5]) and Q (q[qi..qi+5]) touch, orientations fixed: 1 / sqrt(max h).
 */
export function contactDistanceAlong(p: ArrayLike<number>, pi: number, q: ArrayLike<number>, qi: number, nx: number, ny: number, nz: number): number {
  return 1 / Math.sqrt(pwMaximum(p, pi, q, qi, nx, ny, nz));
}

/** Scratch output of overlapDepth: the unit push direction (from body i towards body j). */
const PUSH = new Float64Array(3);

/**
 * Overlap depth (m; negative: a gap, for ellipsoids a lower bound of it) of bodies i and j at
 * scale lam, the separation from i to j being (dx, dy, dz) at distance d > 0; writes the unit
 * direction along which j should move away from i into PUSH. Spheres: lam (r_i + r_j) - d
 * along the line of centres. Otherwise the Newton step to contact along the contact normal,
 * (1 - S) / |grad S| (see the file comment).
 */
function overlapDepth(b: Bodies, i: number, j: number, dx: number, dy: number, dz: number, d: number, lam: number): number {
  const inv = 1 / d;
  const nx = dx * inv, ny = dy * inv, nz = dz * inv;
  if (b.sphere[i]! & b.sphere[j]!) {
    PUSH[0] = nx;
    PUSH[1] = ny;
    PUSH[2] = nz;
    return (b.bound[i]! + b.bound[j]!) * lam - d;
  }
  const h = pwMaximum(b.shape, 6 * i, b.shape, 6 * j, nx, ny, nz);
  const sq = Math.sqrt(h);
  const sVal = (d * sq) / lam;
  // grad S at scale lam: (PW_GRAD / sqrt(h)) / lam.
  const gx = PW_GRAD[0]!, gy = PW_GRAD[1]!, gz = PW_GRAD[2]!;
  const gl = Math.sqrt(gx * gx + gy * gy + gz * gz);
  PUSH[0] = gx / gl;
  PUSH[1] = gy / gl;
  PUSH[2] = gz / gl;
  return ((1 - sVal) * lam * sq) / gl;
}

// ---------------------------------------------------------------------------------------
// Geometry on Particle objects (for callers and tests).

/** Minimum-image separation vector from a to b (periodic in x, y). */
export function minimumImage(box: Box, a: Vec3, b: Vec3): Vec3 {
  const lx = box.max[0] - box.min[0], ly = box.max[1] - box.min[1];
  let dx = b[0] - a[0], dy = b[1] - a[1];
  dx -= lx * Math.round(dx / lx);
  dy -= ly * Math.round(dy / ly);
  return [dx, dy, b[2] - a[2]];
}

function isSphere(p: Pick<Particle, "semiAxes">): boolean {
  return p.semiAxes[0] === p.semiAxes[1] && p.semiAxes[1] === p.semiAxes[2];
}

/** Contact distance of two particles along the unit direction n (orientations fixed). */
export function contactDistance(a: Particle, b: Particle, n: Vec3): number {
  if (isSphere(a) && isSphere(b)) return a.semiAxes[0] + b.semiAxes[0];
  const s = new Float64Array(12);
  shapeMatrix(a.semiAxes, a.rotation, s, 0);
  shapeMatrix(b.semiAxes, b.rotation, s, 6);
  return contactDistanceAlong(s, 0, s, 6, n[0], n[1], n[2]);
}

/**
 * Geometry of a pair (minimum image): centre distance, contact distance along the line of
 * centres, and the overlap depth as the packing measures it (m; negative = gap) with its
 * unit direction (from a towards b).
 */
export function pairGeometry(a: Particle, b: Particle, box: Box): { distance: number; contact: number; depth: number; normal: Vec3 } {
  const [dx, dy, dz] = minimumImage(box, a.center, b.center);
  const body = bodiesOf([a, b]);
  let d = Math.hypot(dx, dy, dz);
  let sx = dx, sy = dy, sz = dz;
  if (d === 0) {
    // Coincident centres: measure along x.
    d = sx = 1e-300;
    sy = sz = 0;
  }
  const depth = overlapDepth(body, 0, 1, sx, sy, sz, d, 1);
  const normal: Vec3 = [PUSH[0]!, PUSH[1]!, PUSH[2]!];
  const contact = contactDistance(a, b, [sx / d, sy / d, sz / d]);
  return { distance: Math.hypot(dx, dy, dz), contact, depth, normal };
}

// ---------------------------------------------------------------------------------------
// Internal state: structure of arrays.

interface Slab {
  readonly x0: number;
  readonly y0: number;
  readonly z0: number;
  readonly z1: number;
  readonly lx: number;
  readonly ly: number;
  readonly lz: number;
}

interface Bodies {
  readonly n: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  /** Bounding radius: largest semi-axis. */
  readonly bound: Float64Array;
  /** Equivalent radius (abc)^(1/3). */
  readonly req: Float64Array;
  /** z half extent. */
  readonly hz: Float64Array;
  /** Mobility: 1 / volume (0 = pinned). */
  readonly mob: Float64Array;
  /** 1 for a sphere (then bound = req). */
  readonly sphere: Uint8Array;
  /** Shape matrices, 6 per body. */
  readonly shape: Float64Array;
}

function slabOf(box: Box): Slab {
  for (let k = 0; k < 3; k++) {
    if (!(Number.isFinite(box.min[k]!) && Number.isFinite(box.max[k]!) && box.max[k]! > box.min[k]!)) {
      throw new RangeError(`box must have finite min < max on every axis, got min [${box.min}] max [${box.max}]`);
    }
  }
  return {
    x0: box.min[0], y0: box.min[1], z0: box.min[2], z1: box.max[2],
    lx: box.max[0] - box.min[0], ly: box.max[1] - box.min[1], lz: box.max[2] - box.min[2],
  };
}

function emptyBodies(n: number): Bodies {
  return {
    n,
    x: new Float64Array(n), y: new Float64Array(n), z: new Float64Array(n),
    bound: new Float64Array(n), req: new Float64Array(n), hz: new Float64Array(n), mob: new Float64Array(n),
    sphere: new Uint8Array(n), shape: new Float64Array(6 * n),
  };
}

/** Bodies from shapes; centres copied when given. */
function bodiesOf(geoms: readonly { readonly semiAxes: Vec3; readonly rotation: Mat3; readonly center?: Vec3 }[]): Bodies {
  const b = emptyBodies(geoms.length);
  geoms.forEach((g, i) => {
    const [a, bb, c] = g.semiAxes;
    if (!(a > 0 && bb > 0 && c > 0 && Number.isFinite(a * bb * c))) throw new RangeError(`semi-axes must be positive, got [${g.semiAxes}]`);
    b.bound[i] = Math.max(a, bb, c);
    b.req[i] = Math.cbrt(a * bb * c);
    b.sphere[i] = a === bb && bb === c ? 1 : 0;
    shapeMatrix(g.semiAxes, g.rotation, b.shape, 6 * i);
    b.hz[i] = b.sphere[i] ? a : Math.sqrt(b.shape[6 * i + 2]!);
    b.mob[i] = 1 / (a * bb * c);
    if (g.center) {
      b.x[i] = g.center[0];
      b.y[i] = g.center[1];
      b.z[i] = g.center[2];
    }
  });
  return b;
}

/** The bodies in a new order: body k of the result is body order[k] of `b`. */
function permuteBodies(b: Bodies, order: Int32Array): Bodies {
  const out = emptyBodies(b.n);
  for (let k = 0; k < b.n; k++) {
    const i = order[k]!;
    out.x[k] = b.x[i]!;
    out.y[k] = b.y[i]!;
    out.z[k] = b.z[i]!;
    out.bound[k] = b.bound[i]!;
    out.req[k] = b.req[i]!;
    out.hz[k] = b.hz[i]!;
    out.mob[k] = b.mob[i]!;
    out.sphere[k] = b.sphere[i]!;
    out.shape.set(b.shape.subarray(6 * i, 6 * i + 6), 6 * k);
  }
  return out;
}

function checkFits(b: Bodies, s: Slab): void {
  let rMax = 0, hzMax = 0;
  for (let i = 0; i < b.n; i++) {
    rMax = Math.max(rMax, b.bound[i]!);
    hzMax = Math.max(hzMax, b.hz[i]!);
  }
  // Minimum-image pairs are exact when the interaction range 2 rMax is below half a period.
  if (4 * rMax >= Math.min(s.lx, s.ly)) {
    throw new RangeError(`box in-plane size ${Math.min(s.lx, s.ly)} m must exceed twice the largest particle diameter (${4 * rMax} m)`);
  }
  if (2 * hzMax > s.lz) throw new RangeError(`slab thickness ${s.lz} m is below the largest particle height ${2 * hzMax} m`);
}

/** Clamp every centre into the slab (z walls at scale lam) and wrap x, y. */
function confine(b: Bodies, s: Slab, lam: number): void {
  for (let i = 0; i < b.n; i++) {
    b.x[i] = s.x0 + ((((b.x[i]! - s.x0) % s.lx) + s.lx) % s.lx);
    b.y[i] = s.y0 + ((((b.y[i]! - s.y0) % s.ly) + s.ly) % s.ly);
    b.z[i] = Math.min(Math.max(b.z[i]!, s.z0 + b.hz[i]! * lam), s.z1 - b.hz[i]! * lam);
  }
}

// ---------------------------------------------------------------------------------------
// Cell grid and pair enumeration.

/** Uniform cell grid over the slab, periodic in x and y; bodies binned by centre (CSR). */
class CellGrid {
  readonly ncx: number;
  readonly ncy: number;
  readonly ncz: number;
  readonly wx: number;
  readonly wy: number;
  readonly wz: number;
  readonly start: Int32Array;
  readonly items: Int32Array;
  private readonly cellOf: Int32Array;

  constructor(private readonly s: Slab, n: number, width: number) {
    // At most ~2 cells per body: a finer grid only adds empty cells to visit.
    const maxCells = Math.max(64, 2 * n);
    let w = width;
    while (Math.max(1, Math.floor(s.lx / w)) * Math.max(1, Math.floor(s.ly / w)) * Math.max(1, Math.floor(s.lz / w)) > maxCells) w *= 1.25;
    this.ncx = Math.max(1, Math.floor(s.lx / w));
    this.ncy = Math.max(1, Math.floor(s.ly / w));
    this.ncz = Math.max(1, Math.floor(s.lz / w));
    this.wx = s.lx / this.ncx;
    this.wy = s.ly / this.ncy;
    this.wz = s.lz / this.ncz;
    this.start = new Int32Array(this.ncx * this.ncy * this.ncz + 1);
    this.items = new Int32Array(n);
    this.cellOf = new Int32Array(n);
  }

  cellX(x: number): number {
    const c = Math.floor((x - this.s.x0) / this.wx);
    return c < 0 ? 0 : c >= this.ncx ? this.ncx - 1 : c;
  }
  cellY(y: number): number {
    const c = Math.floor((y - this.s.y0) / this.wy);
    return c < 0 ? 0 : c >= this.ncy ? this.ncy - 1 : c;
  }
  cellZ(z: number): number {
    const c = Math.floor((z - this.s.z0) / this.wz);
    return c < 0 ? 0 : c >= this.ncz ? this.ncz - 1 : c;
  }
  cellOfPoint(x: number, y: number, z: number): number {
    return this.cellX(x) + this.ncx * (this.cellY(y) + this.ncy * this.cellZ(z));
  }

  /** Counting sort of the bodies by cell. */
  build(b: Bodies): void {
    const { start, items, cellOf } = this;
    start.fill(0);
    for (let i = 0; i < b.n; i++) {
      const c = this.cellOfPoint(b.x[i]!, b.y[i]!, b.z[i]!);
      cellOf[i] = c;
      start[c + 1]!++;
    }
    for (let c = 0; c < start.length - 1; c++) start[c + 1]! += start[c]!;
    const fill = Int32Array.from(start.subarray(0, start.length - 1));
    for (let i = 0; i < b.n; i++) items[fill[cellOf[i]!]!++] = i;
  }

  /**
   * Calls visit(c) for every cell within `reach` of cell (cx, cy, cz): periodic in x, y
   * (each cell once even when the reach exceeds the period), clipped in z.
   */
  forCellsNear(x: number, y: number, z: number, reach: number, visit: (cell: number) => void): void {
    const { ncx, ncy, ncz } = this;
    const cx = this.cellX(x), cy = this.cellY(y), cz = this.cellZ(z);
    const kx = Math.ceil(reach / this.wx), ky = Math.ceil(reach / this.wy), kz = Math.ceil(reach / this.wz);
    const fullX = 2 * kx + 1 >= ncx, fullY = 2 * ky + 1 >= ncy;
    const xa = fullX ? 0 : cx - kx, xb = fullX ? ncx - 1 : cx + kx;
    const ya = fullY ? 0 : cy - ky, yb = fullY ? ncy - 1 : cy + ky;
    const za = Math.max(0, cz - kz), zb = Math.min(ncz - 1, cz + kz);
    for (let gz = za; gz <= zb; gz++) {
      for (let gy = ya; gy <= yb; gy++) {
        const row = ncx * ((gy < 0 ? gy + ncy : gy >= ncy ? gy - ncy : gy) + ncy * gz);
        for (let gx = xa; gx <= xb; gx++) visit(row + (gx < 0 ? gx + ncx : gx >= ncx ? gx - ncx : gx));
      }
    }
  }
}

/** Cell width: twice the 90th-percentile bounding radius plus `extra` (most bodies then search 3^3 cells). */
function cellWidthFor(b: Bodies, extra = 0): number {
  const r = Float64Array.from(b.bound).sort();
  return 2 * r[Math.min(b.n - 1, Math.floor(0.9 * b.n))]! + extra;
}

/**
 * Calls visit(i, j, dx, dy, dz, d) once for every pair whose bounding spheres at scale lam are
 * closer than `gap` (minimum image; (dx, dy, dz) from i to j). A pair is found from the body
 * with the larger bounding radius (ties: lower index), whose reach 2 R lam + gap covers the
 * partner; positions must not change during the enumeration.
 */
function forEachNearPair(
  b: Bodies, g: CellGrid, s: Slab, lam: number, gap: number,
  visit: (i: number, j: number, dx: number, dy: number, dz: number, d: number) => void,
): void {
  g.build(b);
  const { x, y, z, bound } = b;
  const { start, items } = g;
  const hlx = 0.5 * s.lx, hly = 0.5 * s.ly;
  for (let i = 0; i < b.n; i++) {
    const xi = x[i]!, yi = y[i]!, zi = z[i]!, ri = bound[i]!;
    g.forCellsNear(xi, yi, zi, 2 * ri * lam + gap, (cell) => {
      for (let t = start[cell]!, end = start[cell + 1]!; t < end; t++) {
        const j = items[t]!;
        const rj = bound[j]!;
        if (rj > ri || (rj === ri && j <= i)) continue;
        let dx = x[j]! - xi, dy = y[j]! - yi;
        const dz = z[j]! - zi;
        if (dx > hlx) dx -= s.lx;
        else if (dx < -hlx) dx += s.lx;
        if (dy > hly) dy -= s.ly;
        else if (dy < -hly) dy += s.ly;
        const lim = (ri + rj) * lam + gap;
        const d2 = dx * dx + dy * dy + dz * dz;
        if (d2 >= lim * lim) continue;
        visit(i, j, dx, dy, dz, Math.sqrt(d2));
      }
    });
  }
}

/** Exact largest relative overlap over all pairs at scale lam (no moves). */
function measureBodies(b: Bodies, g: CellGrid, s: Slab, lam: number): number {
  let worst = 0;
  forEachNearPair(b, g, s, lam, 0, (i, j, dx, dy, dz, d) => {
    // Coincident centres: measure along x.
    const depth = d > 0 ? overlapDepth(b, i, j, dx, dy, dz, d, lam) : overlapDepth(b, i, j, 1e-300, 0, 0, 1e-300, lam);
    if (depth > 0) worst = Math.max(worst, depth / (lam * Math.min(b.req[i]!, b.req[j]!)));
  });
  return worst;
}

// ---------------------------------------------------------------------------------------
// Verlet lists and sweeps.

/**
 * Verlet neighbour list: for each body i, the partners j it owns (see forEachNearPair) whose
 * centres were within (R_i + R_j) lamReach + skin when built. Valid while lam <= lamReach and
 * no body has moved more than skin / 2 since: no pair can then have come into range unlisted.
 */
class PairList {
  readonly start: Int32Array;
  list = new Int32Array(4096);
  readonly xr: Float64Array;
  readonly yr: Float64Array;
  readonly zr: Float64Array;
  lamReach = 0;
  builds = 0;

  constructor(n: number, readonly skin: number) {
    this.start = new Int32Array(n + 1);
    this.xr = new Float64Array(n);
    this.yr = new Float64Array(n);
    this.zr = new Float64Array(n);
  }

  build(b: Bodies, g: CellGrid, s: Slab, lamReach: number): void {
    g.build(b);
    this.lamReach = lamReach;
    this.builds++;
    const { n, x, y, z, bound } = b;
    const { ncx, ncy, ncz, wx, wy, wz, start, items } = g;
    const { x0, y0, z0, lx, ly } = s;
    const hlx = 0.5 * lx, hly = 0.5 * ly, skin = this.skin;
    const nbStart = this.start, xr = this.xr, yr = this.yr, zr = this.zr;
    let list = this.list;
    let count = 0;
    for (let i = 0; i < n; i++) {
      nbStart[i] = count;
      const xi = x[i]!, yi = y[i]!, zi = z[i]!, ri = bound[i]!;
      xr[i] = xi;
      yr[i] = yi;
      zr[i] = zi;
      const reach = 2 * ri * lamReach + skin;
      let cx = Math.floor((xi - x0) / wx), cy = Math.floor((yi - y0) / wy), cz = Math.floor((zi - z0) / wz);
      cx = cx < 0 ? 0 : cx >= ncx ? ncx - 1 : cx;
      cy = cy < 0 ? 0 : cy >= ncy ? ncy - 1 : cy;
      cz = cz < 0 ? 0 : cz >= ncz ? ncz - 1 : cz;
      const kx = Math.ceil(reach / wx), ky = Math.ceil(reach / wy), kz = Math.ceil(reach / wz);
      const fullX = 2 * kx + 1 >= ncx, fullY = 2 * ky + 1 >= ncy;
      const xa = fullX ? 0 : cx - kx, xb = fullX ? ncx - 1 : cx + kx;
      const ya = fullY ? 0 : cy - ky, yb = fullY ? ncy - 1 : cy + ky;
      const za = cz - kz < 0 ? 0 : cz - kz, zb = cz + kz >= ncz ? ncz - 1 : cz + kz;
      for (let gz = za; gz <= zb; gz++) {
        for (let gy = ya; gy <= yb; gy++) {
          const rowBase = ncx * ((gy < 0 ? gy + ncy : gy >= ncy ? gy - ncy : gy) + ncy * gz);
          for (let gx = xa; gx <= xb; gx++) {
            const cell = rowBase + (gx < 0 ? gx + ncx : gx >= ncx ? gx - ncx : gx);
            const end = start[cell + 1]!;
            for (let t = start[cell]!; t < end; t++) {
              const j = items[t]!;
              const rj = bound[j]!;
              if (rj > ri || (rj === ri && j <= i)) continue;
              let dx = x[j]! - xi, dy = y[j]! - yi;
              const dz = z[j]! - zi;
              if (dx > hlx) dx -= lx;
              else if (dx < -hlx) dx += lx;
              if (dy > hly) dy -= ly;
              else if (dy < -hly) dy += ly;
              const lim = (ri + rj) * lamReach + skin;
              if (dx * dx + dy * dy + dz * dz >= lim * lim) continue;
              if (count === list.length) {
                const grown = new Int32Array(2 * list.length);
                grown.set(list);
                list = grown;
              }
              list[count++] = j;
            }
          }
        }
      }
    }
    nbStart[n] = count;
    this.list = list;
  }

  /** Whether the list still covers every pair in range at scale lam. */
  valid(b: Bodies, s: Slab, lam: number): boolean {
    if (lam > this.lamReach) return false;
    const lim = 0.25 * this.skin * this.skin;
    const hlx = 0.5 * s.lx, hly = 0.5 * s.ly;
    for (let i = 0; i < b.n; i++) {
      let dx = b.x[i]! - this.xr[i]!, dy = b.y[i]! - this.yr[i]!;
      const dz = b.z[i]! - this.zr[i]!;
      if (dx > hlx) dx -= s.lx;
      else if (dx < -hlx) dx += s.lx;
      if (dy > hly) dy -= s.ly;
      else if (dy < -hly) dy += s.ly;
      if (dx * dx + dy * dy + dz * dz > lim) return false;
    }
    return true;
  }
}

/**
 * A Gauss-Seidel sweep over the listed pairs at scale lam: each pair overlapping by more than
 * `pushAbove` (relative) is pushed apart along its contact normal by its overlap depth,
 * shared in proportion to the mobilities; centres wrap in x, y and are clamped to the walls.
 * Returns the largest relative overlap met (before its push).
 *
 * Active set: moved[i] is the last sweep in which body i was pushed. A pair neither of whose
 * bodies was pushed since sweep `since` (the previous sweep) is skipped: it has not changed
 * since it was last examined, when it was left without overlap above pushAbove. `since` = 0
 * (after a change of scale or of the list) examines every pair.
 */
function pairSweep(
  b: Bodies, pl: PairList, s: Slab, lam: number, moved: Int32Array, sweepIndex: number, since: number, pushAbove: number,
): number {
  const { n, x, y, z, bound, req, hz, mob, sphere } = b;
  const { start, list } = pl;
  const { x0, y0, z0, z1, lx, ly } = s;
  const hlx = 0.5 * lx, hly = 0.5 * ly;
  let maxRel = 0;
  for (let i = 0; i < n; i++) {
    const end = start[i + 1]!;
    if (start[i] === end) continue;
    let xi = x[i]!, yi = y[i]!, zi = z[i]!;
    const ri = bound[i]!, reqi = req[i]!, mi = mob[i]!, sphi = sphere[i]!;
    const zloI = z0 + hz[i]! * lam, zhiI = z1 - hz[i]! * lam;
    let activeI = moved[i]! >= since;
    for (let t = start[i]!; t < end; t++) {
      const j = list[t]!;
      if (!activeI && moved[j]! < since) continue;
      let dx = x[j]! - xi, dy = y[j]! - yi;
      const dz = z[j]! - zi;
      if (dx > hlx) dx -= lx;
      else if (dx < -hlx) dx += lx;
      if (dy > hly) dy -= ly;
      else if (dy < -hly) dy += ly;
      const sumR = (ri + bound[j]!) * lam;
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 >= sumR * sumR) continue;
      let d = Math.sqrt(d2);
      if (d === 0) {
        // Coincident centres: separate along x (any fixed direction will do).
        dx = d = 1e-9 * sumR;
      }
      let delta: number, nx: number, ny: number, nz: number;
      if (sphi & sphere[j]!) {
        delta = sumR - d;
        nx = dx / d;
        ny = dy / d;
        nz = dz / d;
      } else {
        delta = overlapDepth(b, i, j, dx, dy, dz, d, lam);
        nx = PUSH[0]!;
        ny = PUSH[1]!;
        nz = PUSH[2]!;
      }
      if (delta <= 0) continue;
      const reqj = req[j]!;
      const rel = delta / (lam * (reqi < reqj ? reqi : reqj));
      if (rel > maxRel) maxRel = rel;
      if (rel <= pushAbove) continue;
      const mj = mob[j]!;
      const msum = mi + mj;
      if (msum === 0) continue;
      const pi = (delta * mi) / msum, pj = (delta * mj) / msum;
      if (pi > 0) {
        moved[i] = sweepIndex;
        activeI = true;
        xi -= nx * pi;
        yi -= ny * pi;
        zi -= nz * pi;
        if (zi < zloI) zi = zloI;
        else if (zi > zhiI) zi = zhiI;
      }
      if (pj > 0) {
        moved[j] = sweepIndex;
        let xj = x[j]! + nx * pj, yj = y[j]! + ny * pj, zj = z[j]! + nz * pj;
        if (xj < x0) xj += lx;
        else if (xj >= x0 + lx) xj -= lx;
        if (yj < y0) yj += ly;
        else if (yj >= y0 + ly) yj -= ly;
        const zloJ = z0 + hz[j]! * lam, zhiJ = z1 - hz[j]! * lam;
        if (zj < zloJ) zj = zloJ;
        else if (zj > zhiJ) zj = zhiJ;
        x[j] = xj;
        y[j] = yj;
        z[j] = zj;
      }
    }
    if (xi < x0) xi += lx;
    else if (xi >= x0 + lx) xi -= lx;
    if (yi < y0) yi += ly;
    else if (yi >= y0 + ly) yi -= ly;
    x[i] = xi;
    y[i] = yi;
    z[i] = zi;
  }
  return maxRel;
}

/** The rearrangement engine: bodies, slab, cell grid, neighbour list and active set. */
class Relaxer {
  readonly g: CellGrid;
  readonly pl: PairList;
  /** Sweep (1-based) in which each body was last pushed. */
  readonly moved: Int32Array;
  sweeps = 0;
  private lastLam = NaN;

  constructor(readonly b: Bodies, readonly s: Slab) {
    const r = Float64Array.from(b.req).sort();
    const skin = SKIN_FRACTION * r[b.n >> 1]!;
    this.pl = new PairList(b.n, skin);
    this.g = new CellGrid(s, b.n, cellWidthFor(b, skin) * (1 + GROWTH_SKIN));
    this.moved = new Int32Array(b.n);
  }

  /** Exact largest relative overlap at scale lam. */
  measure(lam: number): number {
    return measureBodies(this.b, this.g, this.s, lam);
  }

  /** One moving sweep at scale lam, rebuilding the neighbour list first when needed. */
  step(lam: number, pushAbove: number): number {
    let since = this.sweeps; // bodies pushed in the previous sweep or in this one
    if (lam !== this.lastLam) since = 0;
    if (!this.pl.valid(this.b, this.s, lam)) {
      this.pl.build(this.b, this.g, this.s, lam * (1 + GROWTH_SKIN));
      since = 0;
    }
    this.lastLam = lam;
    this.sweeps++;
    return pairSweep(this.b, this.pl, this.s, lam, this.moved, this.sweeps, since, pushAbove);
  }

  /**
   * Sweeps at scale lam until one meets no overlap above `tol`; with `verify`, until an exact
   * measurement confirms it. At most `maxSweeps` sweeps. Returns the overlap and sweep count.
   */
  relax(lam: number, tol: number, maxSweeps: number, verify: boolean, pushAbove: number): { maxOverlap: number; sweeps: number } {
    let sweeps = 0;
    let rel = Infinity;
    while (sweeps < maxSweeps) {
      rel = this.step(lam, pushAbove);
      sweeps++;
      if (rel < tol) {
        if (!verify) return { maxOverlap: rel, sweeps };
        rel = this.measure(lam);
        if (rel < tol) return { maxOverlap: rel, sweeps };
      }
    }
    if (verify) rel = this.measure(lam);
    return { maxOverlap: rel, sweeps };
  }
}

// ---------------------------------------------------------------------------------------
// Random sequential addition.

/**
 * Places the bodies in the given order at scale lam: up to `attempts` uniform positions each,
 * taking the first free one, else the least-overlapping. Overlaps are tested against all
 * bodies already placed (linked-list cell grid). Returns how many found a free site.
 */
function randomSequentialAddition(b: Bodies, s: Slab, order: Int32Array, lam: number, attempts: number, rng: Random): number {
  const g = new CellGrid(s, b.n, cellWidthFor(b));
  const head = new Int32Array(g.ncx * g.ncy * g.ncz).fill(-1);
  const next = new Int32Array(b.n).fill(-1);
  const { x, y, z, bound, req, hz } = b;
  const hlx = 0.5 * s.lx, hly = 0.5 * s.ly;
  let rPlacedMax = 0, free = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const ri = bound[i]!, reqi = req[i]!;
    const zlo = s.z0 + hz[i]! * lam, zspan = s.lz - 2 * hz[i]! * lam;
    let bestX = 0, bestY = 0, bestZ = 0, bestOverlap = Infinity;
    for (let a = 0; a < attempts && bestOverlap > 0; a++) {
      const px = s.x0 + rng.next() * s.lx, py = s.y0 + rng.next() * s.ly, pz = zlo + rng.next() * zspan;
      let worst = 0;
      g.forCellsNear(px, py, pz, (ri + rPlacedMax) * lam, (cell) => {
        for (let j = head[cell]!; j >= 0 && worst < bestOverlap; j = next[j]!) {
          let dx = x[j]! - px, dy = y[j]! - py;
          const dz = z[j]! - pz;
          if (dx > hlx) dx -= s.lx;
          else if (dx < -hlx) dx += s.lx;
          if (dy > hly) dy -= s.ly;
          else if (dy < -hly) dy += s.ly;
          const sumR = (ri + bound[j]!) * lam;
          const d2 = dx * dx + dy * dy + dz * dz;
          if (d2 >= sumR * sumR) continue;
          const d = Math.sqrt(d2);
          // j relative to the trial position of i: the overlap is symmetric in the pair.
          const depth = d > 0 ? overlapDepth(b, i, j, dx, dy, dz, d, lam) : sumR;
          if (depth > 0) worst = Math.max(worst, depth / (lam * Math.min(reqi, req[j]!)));
        }
      });
      if (worst < bestOverlap) {
        bestOverlap = worst;
        bestX = px;
        bestY = py;
        bestZ = pz;
      }
    }
    if (bestOverlap === 0) free++;
    x[i] = bestX;
    y[i] = bestY;
    z[i] = bestZ;
    const c = g.cellOfPoint(bestX, bestY, bestZ);
    next[i] = head[c]!;
    head[c] = i;
    if (ri > rPlacedMax) rPlacedMax = ri;
  }
  return free;
}

/**
 * An order of the bodies by cell (z slowest, x fastest), ties by index: neighbours in space
 * become neighbours in memory, which keeps the sweeps' accesses in cache.
 */
function spatialOrder(b: Bodies, g: CellGrid): Int32Array {
  const cell = new Float64Array(b.n);
  for (let i = 0; i < b.n; i++) cell[i] = g.cellOfPoint(b.x[i]!, b.y[i]!, b.z[i]!);
  return Int32Array.from({ length: b.n }, (_, i) => i).sort((i, j) => cell[i]! - cell[j]! || i - j);
}

// ---------------------------------------------------------------------------------------
// Particle generation.

/** A particle before placement. */
export interface ParticleDraft {
  material: string;
  kind: ParticleKind;
  semiAxes: Vec3;
  rotation: Mat3;
  grainCount: number;
  internalPorosity: number;
  cracked: boolean;
}

function sampleRatio(r: RatioSpec | undefined, rng: Random, label: string): number {
  if (r === undefined) return 1;
  if (typeof r === "number") {
    if (!(r > 0 && Number.isFinite(r))) throw new RangeError(`${label} must be a positive ratio, got ${r}`);
    return r;
  }
  const [lo, hi] = r;
  if (!(lo > 0 && hi >= lo && Number.isFinite(hi))) throw new RangeError(`${label} range must satisfy 0 < min <= max, got [${lo}, ${hi}]`);
  return lo + (hi - lo) * rng.next();
}

function checkFraction(v: number | undefined, label: string): number {
  const f = v ?? 0;
  if (!(f >= 0 && f <= 1)) throw new RangeError(`${label} must be in [0, 1], got ${v}`);
  return f;
}

/** A 0/1 mask choosing round(fraction * n) of n items uniformly (partial Fisher-Yates). */
export function chooseFraction(n: number, fraction: number, rng: Random): Uint8Array {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`fraction must be in [0, 1], got ${fraction}`);
  const chosen = new Uint8Array(n);
  const m = Math.round(fraction * n);
  const idx = Int32Array.from({ length: n }, (_, k) => k);
  for (let k = 0; k < m; k++) {
    const r = k + Math.floor(rng.next() * (n - k));
    const t = idx[k]!;
    idx[k] = idx[r]!;
    idx[r] = t;
    chosen[idx[k]!] = 1;
  }
  return chosen;
}

/** The particles (not yet placed) of one population, volume target = fraction * box volume. */
export function drawPopulation(pop: PopulationSpec, boxVolumeM3: number, rng: Random): ParticleDraft[] {
  if (!pop.material) throw new RangeError("population material must be a non-empty name");
  if (!(pop.volumeFraction >= 0 && pop.volumeFraction <= 1)) {
    throw new RangeError(`volume fraction of ${pop.material} must be in [0, 1], got ${pop.volumeFraction}`);
  }
  const porosity = checkFraction(pop.internalPorosity, `internal porosity of ${pop.material}`);
  const crackedFraction = checkFraction(pop.crackedFraction, `cracked fraction of ${pop.material}`);
  const shape: ShapeSpec = pop.shape ?? { type: "sphere" };
  const orientation: OrientationSpec = (shape.type === "ellipsoid" && shape.orientation) || { type: "isotropic" };
  checkOrientation(orientation);
  const diameters = sampleDiameters(pop.size, pop.volumeFraction * boxVolumeM3, rng);
  const drafts: ParticleDraft[] = [];
  for (const d of diameters) {
    const r = d / 2;
    let semiAxes: Vec3 = [r, r, r];
    let rotation = identity3();
    if (shape.type === "ellipsoid") {
      const p = sampleRatio(shape.bOverA, rng, "bOverA");
      const q = sampleRatio(shape.cOverA, rng, "cOverA");
      const a = r / Math.cbrt(p * q); // volume-equivalent: a b c = r^3
      semiAxes = [a, p * a, q * a];
      rotation = sampleOrientation(orientation, rng);
    }
    drafts.push({
      material: pop.material,
      kind: pop.kind ?? "active",
      semiAxes,
      rotation,
      grainCount: pop.grains ? grainCountFor(d, pop.grains.meanGrainDiameterM) : 1,
      internalPorosity: porosity,
      cracked: false,
    });
  }
  if (crackedFraction > 0) {
    const chosen = chooseFraction(drafts.length, crackedFraction, rng);
    drafts.forEach((p, k) => { p.cracked = chosen[k] === 1; });
  }
  return drafts;
}

// ---------------------------------------------------------------------------------------
// Public entry points.

function optionsOf(o: RelaxOptions): { tol: number; maxIterations: number } {
  const tol = o.overlapTolerance ?? DEFAULT_OVERLAP_TOLERANCE;
  const maxIterations = o.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  if (!(tol > 0 && tol < 1)) throw new RangeError(`overlap tolerance must be in (0, 1), got ${tol}`);
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) throw new RangeError(`maxIterations must be a positive integer, got ${maxIterations}`);
  return { tol, maxIterations };
}

/**
 * Packs the populations into the slab box (see the file comment for the algorithm).
 * Particles come out in population order with ids 1..N and agglomerate 0. Compare
 * `maxOverlap` with the tolerance: if the sweep cap is reached first (a target beyond what
 * the shapes can pack in this slab), the packing is returned with its remaining overlap.
 */
export function packParticles(spec: PackingSpec, rng: Random): Packing {
  const s = slabOf(spec.box);
  const { tol, maxIterations } = optionsOf(spec);
  const rsaFraction = spec.rsaFraction ?? DEFAULT_RSA_FRACTION;
  const growthTol = spec.growthTolerance ?? DEFAULT_GROWTH_TOLERANCE;
  if (!(rsaFraction > 0 && rsaFraction <= 1)) throw new RangeError(`rsaFraction must be in (0, 1], got ${rsaFraction}`);
  if (!(growthTol >= tol)) throw new RangeError(`growthTolerance must be >= the overlap tolerance, got ${growthTol}`);
  const boxVolume = s.lx * s.ly * s.lz;
  const total = spec.populations.reduce((t, p) => t + p.volumeFraction, 0);
  if (!(total <= 1)) throw new RangeError(`total volume fraction ${total} exceeds 1`);
  const drafts = spec.populations.flatMap((p) => drawPopulation(p, boxVolume, rng));
  return placeDrafts(drafts, spec.box, s, { tol, maxIterations, rsaFraction, growthTol }, rng);
}

function placeDrafts(
  drafts: readonly ParticleDraft[], box: Box, s: Slab,
  o: { tol: number; maxIterations: number; rsaFraction: number; growthTol: number }, rng: Random,
): Packing {
  let b = bodiesOf(drafts);
  let iterations = 0, maxOverlap = 0;
  /** slot[i]: internal index of draft i. */
  const slot = Int32Array.from({ length: b.n }, (_, i) => i);
  if (b.n > 0) {
    checkFits(b, s);
    let volume = 0;
    for (const d of drafts) volume += particleVolume(d);
    let lam = Math.min(1, Math.cbrt(o.rsaFraction / Math.max(volume / (s.lx * s.ly * s.lz), 1e-12)));
    // Largest first (ties by index): big particles find room while the box is empty.
    const order = Int32Array.from({ length: b.n }, (_, i) => i).sort((i, j) => b.bound[j]! - b.bound[i]! || i - j);
    randomSequentialAddition(b, s, order, lam, RSA_ATTEMPTS, rng);
    const perm = spatialOrder(b, new CellGrid(s, b.n, cellWidthFor(b)));
    b = permuteBodies(b, perm);
    perm.forEach((i, k) => { slot[i] = k; });
    const rx = new Relaxer(b, s);
    // Grow, relaxing to the loose growth tolerance at each scale; the step adapts to how many
    // sweeps that took.
    let step = 0.02;
    while (lam < 1 && iterations < o.maxIterations) {
      lam = Math.min(1, lam * (1 + step));
      confine(b, s, lam);
      const r = rx.relax(lam, o.growthTol, Math.min(200, o.maxIterations - iterations), false, 0);
      iterations += r.sweeps;
      if (r.sweeps <= 2) step = Math.min(0.05, step * 1.5);
      else if (r.sweeps > 6) step = Math.max(1e-3, step * 0.6);
    }
    confine(b, s, 1);
    const r = rx.relax(1, o.tol, Math.max(1, o.maxIterations - iterations), true, PUSH_FRACTION * o.tol);
    iterations += r.sweeps;
    maxOverlap = r.maxOverlap;
  }
  const particles: Particle[] = drafts.map((d, i) => {
    const k = slot[i]!;
    return {
      id: i + 1,
      material: d.material,
      kind: d.kind,
      center: [b.x[k]!, b.y[k]!, b.z[k]!],
      semiAxes: d.semiAxes,
      rotation: d.rotation,
      grainCount: d.grainCount,
      internalPorosity: d.internalPorosity,
      cracked: d.cracked,
      agglomerate: 0,
    };
  });
  return { particles, box, maxOverlap, iterations };
}

/**
 * Collective rearrangement of existing particles at full size: pushes overlapping pairs apart
 * until the largest overlap is below the tolerance (or the sweep cap). Particles with a truthy
 * `pinned[i]` do not move (a pair of pinned particles is never resolved). Ids, shapes and
 * flags are kept; centres are wrapped into the box and clamped to the walls.
 */
export function rearrangeParticles(
  particles: readonly Particle[],
  box: Box,
  options: RelaxOptions & { readonly pinned?: ArrayLike<boolean | number> } = {},
): Packing {
  const s = slabOf(box);
  const { tol, maxIterations } = optionsOf(options);
  const b = bodiesOf(particles);
  if (b.n === 0) return { particles: [], box, maxOverlap: 0, iterations: 0 };
  checkFits(b, s);
  for (let i = 0; i < b.n; i++) if (options.pinned?.[i]) b.mob[i] = 0;
  confine(b, s, 1);
  const r = new Relaxer(b, s).relax(1, tol, maxIterations, true, PUSH_FRACTION * tol);
  return {
    particles: particles.map((p, i) => ({ ...p, center: [b.x[i]!, b.y[i]!, b.z[i]!] as Vec3 })),
    box,
    maxOverlap: r.maxOverlap,
    iterations: r.sweeps,
  };
}

/** Largest pair overlap (fraction of the smaller equivalent radius) over all pairs, periodic images included. */
export function measureMaxOverlap(particles: readonly Particle[], box: Box): number {
  if (particles.length < 2) return 0;
  const s = slabOf(box);
  const b = bodiesOf(particles);
  checkFits(b, s);
  return measureBodies(b, new CellGrid(s, b.n, cellWidthFor(b)), s, 1);
}

/**
 * Pairs [i, j] (indices into packing.particles, i < j, sorted) in contact: overlapping, or
 * with a gap along the contact normal of at most `gapTolerance` times the smaller equivalent
 * radius (default 0.02, the default overlap tolerance). For ellipsoids the gap is the
 * first-order estimate (S - 1) / |grad S|, a lower bound of the true gap.
 */
export function contactPairs(packing: Packing, gapTolerance = DEFAULT_OVERLAP_TOLERANCE): Array<[number, number]> {
  const ps = packing.particles;
  if (!(gapTolerance >= 0)) throw new RangeError(`gap tolerance must be >= 0, got ${gapTolerance}`);
  if (ps.length < 2) return [];
  const s = slabOf(packing.box);
  const b = bodiesOf(ps);
  checkFits(b, s);
  let reqMax = 0;
  for (let i = 0; i < b.n; i++) reqMax = Math.max(reqMax, b.req[i]!);
  const out: Array<[number, number]> = [];
  forEachNearPair(b, new CellGrid(s, b.n, cellWidthFor(b)), s, 1, gapTolerance * reqMax, (i, j, dx, dy, dz, d) => {
    const gapLimit = gapTolerance * Math.min(b.req[i]!, b.req[j]!);
    if (d === 0 || overlapDepth(b, i, j, dx, dy, dz, d, 1) >= -gapLimit) out.push(i < j ? [i, j] : [j, i]);
  });
  return out.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
}

/** Volume fraction of the box occupied by the particles that pass the filter (default all). */
export function volumeFraction(packing: Packing, filter: (p: Particle) => boolean = () => true): number {
  const s = slabOf(packing.box);
  let v = 0;
  for (const p of packing.particles) if (filter(p)) v += particleVolume(p);
  return v / (s.lx * s.ly * s.lz);
}
