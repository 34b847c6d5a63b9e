/**
 * Particle-level defects added to a packing: metallic impurity particles (Fe, Cu swarf and
 * wear debris), agglomerates of small particles, pre-cracked active particles.
 *
 * Insertion (impurities, agglomerates): each new object is a rigid group of spheres. Its
 * position is drawn uniformly (x, y over the periodic box; z so that every member stays
 * inside the walls) until it overlaps no "rigid" particle already there (impurities and
 * agglomerate members, old or new), then all new groups are added and the packing is
 * rearranged (packing.ts, rearrangeParticles) with every rigid particle pinned: the host
 * particles are pushed out of the new objects' way until no pair overlaps above the
 * tolerance. Rigid objects therefore keep their shape (an agglomerate is not pulled apart by
 * the rearrangement), and the host packing keeps its particles: the total volume fraction
 * rises by the inserted volume.
 *
 * Agglomerates are built by a radial variant of ballistic particle-cluster aggregation (after
 * M. J. Vold, "Computer simulation of floc formation in a colloidal suspension", J. Colloid
 * Sci. 18 (1963) 684):
 * the largest particle sits at the centre; each following one travels inwards along a random
 * ray towards the centre and stops at its first contact; of several random rays the one
 * stopping closest to the centre is kept, which makes the cluster compact. Every member
 * touches at least one other exactly (zero gap), none overlaps.
 *
 * All functions are pure and deterministic given the Random passed in; ids of new particles
 * continue after the largest id present.
 */
import type { Vec3 } from "../../core/grid.js";
import type { Random } from "../../core/random.js";
import { identity3 } from "../../core/rotation.js";
import {
  chooseFraction, grainCountFor, minimumImage, pairGeometry, rearrangeParticles, type GrainSpec, type RelaxOptions,
} from "./packing.js";
import { sampleDiameter, type SizeDistributionSpec } from "./sizeDistribution.js";
import type { Packing, Particle, ParticleKind } from "./types.js";

export interface ImpuritySpec {
  /** Material of the impurity, e.g. "Fe" or "Cu". */
  readonly material: string;
  readonly count: number;
  /** Diameter (m) of each (spherical) impurity particle. */
  readonly diameterM: number;
}

export interface AgglomerateSpec {
  readonly material: string;
  /** Number of agglomerates. */
  readonly count: number;
  /** Primary particles per agglomerate (>= 2). */
  readonly particlesPerAgglomerate: number;
  /** Diameters of the primary particles (volume-weighted D50, span). */
  readonly size: SizeDistributionSpec;
  /** Default "active". */
  readonly kind?: ParticleKind;
  readonly grains?: GrainSpec;
  readonly internalPorosity?: number;
  /** Random rays tried per particle when building a cluster (default 8; more = more compact). */
  readonly raysPerParticle?: number;
}

export interface InsertOptions extends RelaxOptions {
  /** Position draws per object before giving up (default 1000). */
  readonly maxPlacementAttempts?: number;
}

/** A rigid group of spheres: offsets (m) of the member centres from the group centre, radii (m). */
export interface SphereCluster {
  readonly offsets: Vec3[];
  readonly radii: number[];
}

/**
 * A compact cluster of touching spheres of the given diameters (radial ballistic aggregation,
 * see the file comment), re-centred on its volume centroid. Members are ordered largest first.
 */
export function buildAgglomerate(diameters: readonly number[], rng: Random, raysPerParticle = 8): SphereCluster {
  if (diameters.length === 0) throw new RangeError("an agglomerate needs at least one particle");
  if (!(Number.isInteger(raysPerParticle) && raysPerParticle >= 1)) throw new RangeError(`raysPerParticle must be a positive integer, got ${raysPerParticle}`);
  const radii = diameters.map((d) => {
    if (!(d > 0 && Number.isFinite(d))) throw new RangeError(`diameters must be positive, got ${d}`);
    return d / 2;
  }).sort((a, b) => b - a);
  const px: number[] = [0], py: number[] = [0], pz: number[] = [0];
  for (let k = 1; k < radii.length; k++) {
    const r = radii[k]!;
    let best = Infinity, bx = 0, by = 0, bz = 0;
    for (let a = 0; a < raysPerParticle; a++) {
      // Uniform direction on the sphere.
      const w = 2 * rng.next() - 1, phi = 2 * Math.PI * rng.next();
      const s = Math.sqrt(1 - w * w);
      const ux = s * Math.cos(phi), uy = s * Math.sin(phi), uz = w;
      // Coming in from infinity along t u, the sphere first touches member j at the larger
      // root of |t u - c_j| = r + r_j; it stops at the largest such root over all members.
      let tStop = 0;
      for (let j = 0; j < k; j++) {
        const b = ux * px[j]! + uy * py[j]! + uz * pz[j]!;
        const c2 = px[j]! * px[j]! + py[j]! * py[j]! + pz[j]! * pz[j]!;
        const rr = r + radii[j]!;
        const disc = b * b - c2 + rr * rr;
        if (disc > 0) tStop = Math.max(tStop, b + Math.sqrt(disc));
      }
      if (tStop < best) {
        best = tStop;
        bx = tStop * ux;
        by = tStop * uy;
        bz = tStop * uz;
      }
    }
    px.push(bx);
    py.push(by);
    pz.push(bz);
  }
  // Re-centre on the volume centroid.
  let vx = 0, vy = 0, vz = 0, vs = 0;
  radii.forEach((r, k) => {
    const v = r * r * r;
    vx += v * px[k]!;
    vy += v * py[k]!;
    vz += v * pz[k]!;
    vs += v;
  });
  return {
    offsets: radii.map((_, k) => [px[k]! - vx / vs, py[k]! - vy / vs, pz[k]! - vz / vs] as Vec3),
    radii,
  };
}

/** Whether a particle is rigid (pinned) during insertions: impurities and agglomerate members. */
function isRigid(p: Particle): boolean {
  return p.kind === "impurity" || p.agglomerate !== 0;
}

interface NewGroup {
  readonly cluster: SphereCluster;
  readonly make: (center: Vec3, radius: number, k: number) => Omit<Particle, "id">;
}

/**
 * Places rigid sphere groups without overlapping rigid particles, appends them and rearranges
 * the packing with all rigid particles pinned.
 */
function insertGroups(packing: Packing, groups: readonly NewGroup[], rng: Random, options: InsertOptions): Packing {
  const { box } = packing;
  const maxAttempts = options.maxPlacementAttempts ?? 1000;
  if (!(Number.isInteger(maxAttempts) && maxAttempts >= 1)) throw new RangeError(`maxPlacementAttempts must be a positive integer, got ${maxAttempts}`);
  const rigid: Particle[] = packing.particles.filter(isRigid);
  const added: Array<Omit<Particle, "id">> = [];
  const identity = identity3();
  for (const group of groups) {
    const { offsets, radii } = group.cluster;
    let zDown = 0, zUp = 0;
    offsets.forEach((o, k) => {
      zDown = Math.max(zDown, radii[k]! - o[2]);
      zUp = Math.max(zUp, radii[k]! + o[2]);
    });
    if (zDown + zUp > box.max[2] - box.min[2]) throw new RangeError(`an inserted object of height ${zDown + zUp} m does not fit in the slab`);
    let placed = false;
    for (let a = 0; a < maxAttempts && !placed; a++) {
      const c: Vec3 = [
        box.min[0] + rng.next() * (box.max[0] - box.min[0]),
        box.min[1] + rng.next() * (box.max[1] - box.min[1]),
        box.min[2] + zDown + rng.next() * (box.max[2] - box.min[2] - zDown - zUp),
      ];
      const members = offsets.map((o, k) => {
        const r = radii[k]!;
        const center: Vec3 = [c[0] + o[0], c[1] + o[1], c[2] + o[2]];
        return { ...group.make(center, r, k), id: 0, semiAxes: [r, r, r] as Vec3, rotation: identity };
      });
      // Rigid particles are few: test them all (minimum image).
      const clash = members.some((m) => rigid.some((q) => {
        const [dx, dy, dz] = minimumImage(box, m.center, q.center);
        const reach = m.semiAxes[0] + Math.max(q.semiAxes[0], q.semiAxes[1], q.semiAxes[2]);
        return dx * dx + dy * dy + dz * dz < reach * reach && pairGeometry(m, q, box).depth > 0;
      }));
      if (clash) continue;
      placed = true;
      for (const m of members) {
        rigid.push(m);
        added.push(m);
      }
    }
    if (!placed) throw new RangeError(`could not place an inserted object clear of the rigid particles in ${maxAttempts} attempts`);
  }
  let nextId = packing.particles.reduce((m, p) => Math.max(m, p.id), 0) + 1;
  const particles: Particle[] = [...packing.particles, ...added.map((p) => ({ ...p, id: nextId++ }))];
  const pinned = particles.map(isRigid);
  return rearrangeParticles(particles, box, { ...options, pinned });
}

/**
 * Adds spherical metallic impurity particles (kind "impurity", monolithic, dense, uncracked),
 * `count` of each spec, and rearranges the packing around them (see the file comment).
 */
export function addImpurities(packing: Packing, impurities: readonly ImpuritySpec[], rng: Random, options: InsertOptions = {}): Packing {
  const groups: NewGroup[] = [];
  for (const spec of impurities) {
    if (!spec.material) throw new RangeError("impurity material must be a non-empty name");
    if (!(Number.isInteger(spec.count) && spec.count >= 0)) throw new RangeError(`impurity count must be a non-negative integer, got ${spec.count}`);
    if (!(spec.diameterM > 0 && Number.isFinite(spec.diameterM))) throw new RangeError(`impurity diameter must be positive, got ${spec.diameterM} m`);
    for (let k = 0; k < spec.count; k++) {
      groups.push({
        cluster: { offsets: [[0, 0, 0]], radii: [spec.diameterM / 2] },
        make: (center) => ({
          material: spec.material, kind: "impurity", center, semiAxes: [0, 0, 0], rotation: identity3(),
          grainCount: 1, internalPorosity: 0, cracked: false, agglomerate: 0,
        }),
      });
    }
  }
  return insertGroups(packing, groups, rng, options);
}

/**
 * Adds `count` agglomerates of `particlesPerAgglomerate` primary particles each (diameters
 * drawn from `size`), each built by buildAgglomerate and sharing a new agglomerate id, then
 * rearranges the packing around them (see the file comment).
 */
export function addAgglomerates(packing: Packing, spec: AgglomerateSpec, rng: Random, options: InsertOptions = {}): Packing {
  if (!spec.material) throw new RangeError("agglomerate material must be a non-empty name");
  if (!(Number.isInteger(spec.count) && spec.count >= 0)) throw new RangeError(`agglomerate count must be a non-negative integer, got ${spec.count}`);
  if (!(Number.isInteger(spec.particlesPerAgglomerate) && spec.particlesPerAgglomerate >= 2)) {
    throw new RangeError(`particlesPerAgglomerate must be an integer >= 2, got ${spec.particlesPerAgglomerate}`);
  }
  const porosity = spec.internalPorosity ?? 0;
  if (!(porosity >= 0 && porosity <= 1)) throw new RangeError(`internal porosity must be in [0, 1], got ${porosity}`);
  let nextAgglomerate = packing.particles.reduce((m, p) => Math.max(m, p.agglomerate), 0) + 1;
  const groups: NewGroup[] = [];
  for (let g = 0; g < spec.count; g++) {
    const diameters = Array.from({ length: spec.particlesPerAgglomerate }, () => sampleDiameter(spec.size, rng));
    const cluster = buildAgglomerate(diameters, rng, spec.raysPerParticle ?? 8);
    const agglomerate = nextAgglomerate++;
    groups.push({
      cluster,
      make: (center, radius) => ({
        material: spec.material, kind: spec.kind ?? "active", center, semiAxes: [0, 0, 0], rotation: identity3(),
        grainCount: spec.grains ? grainCountFor(2 * radius, spec.grains.meanGrainDiameterM) : 1,
        internalPorosity: porosity, cracked: false, agglomerate,
      }),
    });
  }
  return insertGroups(packing, groups, rng, options);
}

/**
 * Marks round(fraction * n) of the n eligible particles (default: kind "active") as
 * pre-cracked, chosen uniformly; the others keep their flag. Positions are unchanged.
 */
export function markCracked(
  packing: Packing, fraction: number, rng: Random, eligible: (p: Particle) => boolean = (p) => p.kind === "active",
): Packing {
  const idx: number[] = [];
  packing.particles.forEach((p, i) => { if (eligible(p)) idx.push(i); });
  const chosen = chooseFraction(idx.length, fraction, rng);
  const particles = packing.particles.slice();
  idx.forEach((i, k) => { if (chosen[k]) particles[i] = { ...particles[i]!, cracked: true }; });
  return { ...packing, particles };
}
