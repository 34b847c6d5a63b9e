/**
 * Particles to voxels: the labelled microstructure volume and the rasteriser that stamps
 * ellipsoidal particles into it.
 *
 * Rules (checked in test/phantoms/microstructure/rasterize.test.ts):
 * - A voxel belongs to a particle when its CENTRE is inside the ellipsoid (closed surface,
 *   q = d^T Q d <= 1 with a 1e-9 slack). Stamping walks the particle's bounding box row by
 *   row and solves the row's quadratic once, so only voxels inside are visited.
 * - x and y are periodic (optional): a particle crossing an in-plane face is also stamped at
 *   its image(s) shifted by the grid period (nx s, ny s), which must therefore equal the
 *   packing box's period; z is clipped. Particles must be smaller than half the period.
 * - Where particles overlap, each voxel goes to the particle with the smaller normalised
 *   distance sqrt(q) (ties: the particle stamped first keeps it). Two spheres that exactly
 *   touch therefore share the contact voxel with no gap, and the lens of two overlapping
 *   spheres is split by the surface r1/R1 = r2/R2 (the bisector plane for equal radii).
 * - Voxels whose label is in `keepLabels` (foil, separator, burrs) are never claimed;
 *   voxels owned by particles of an EARLIER call are never stolen.
 * - Each voxel gets its particle's class label, instance = particle id, and its primary grain
 *   (grains.ts); afterwards cracks and closed internal pores are opened (pore class,
 *   instance 0, grain 0) and the ParticleRecord rows are filled from the final voxel counts
 *   (solid voxels: pores and cracks excluded).
 *
 * Memory: labels (1) + instances (4) + localGrains (1) = 6 bytes per voxel, plus O(particles)
 * tables; no scratch per voxel. Randomness (grain seeds, then pores) is drawn from the rng
 * in particle-list order, so the output is a pure function of the inputs and the rng state.
 *
 * Pure module (no Node APIs): runs in a browser too.
 */
import { checkGrid, voxelCount, type VolumeGrid } from "../../core/grid.js";
import type { Random } from "../../core/random.js";
import {
  addInternalPores, crackGrainBoundaries, drawGrainSeeds, MAX_GRAINS, SeedRowEnvelope,
} from "./grains.js";
import type { Microstructure, Particle, ParticleRecord } from "./types.js";
import { imageShifts, rowInterval, VoxelEllipsoid } from "./voxelEllipsoid.js";

/**
 * An empty microstructure: every voxel label 0 (classNames[0], usually the pore/electrolyte
 * class), instance 0, grain 0; no particles. The arrays are the ones every later stage
 * (layers, rasterizeParticles, placeCbd, lithium) writes in place.
 */
export function createMicrostructure(grid: VolumeGrid, classNames: readonly string[]): Microstructure {
  checkGrid(grid);
  if (classNames.length < 1 || classNames.length > 256) {
    throw new RangeError(`a microstructure needs 1 to 256 class names (labels are uint8), got ${classNames.length}`);
  }
  const seen = new Set<string>();
  for (const name of classNames) {
    if (typeof name !== "string" || name.length === 0) throw new RangeError("class names must be non-empty strings");
    if (seen.has(name)) throw new RangeError(`class name "${name}" appears twice`);
    seen.add(name);
  }
  const n = voxelCount(grid);
  return {
    grid: { ...grid },
    classNames: [...classNames],
    labels: new Uint8Array(n),
    instances: new Uint32Array(n),
    localGrains: new Uint8Array(n),
    grainOffsets: new Uint32Array(1),
    particles: [],
  };
}

/**
 * A copy of layers [k0, k1) of a microstructure (default all) whose voxels can be edited
 * without touching the original; the particle table and grain offsets are shared (they are
 * not edited in place). Ageing and dataset samples start from such copies.
 */
export function copyMicrostructure(ms: Microstructure, k0 = 0, k1 = ms.grid.nz): Microstructure {
  const { nx, ny, nz } = ms.grid;
  if (!(Number.isInteger(k0) && Number.isInteger(k1) && 0 <= k0 && k0 < k1 && k1 <= nz)) {
    throw new RangeError(`layers must satisfy 0 <= k0 < k1 <= nz = ${nz}, got [${k0}, ${k1})`);
  }
  const from = k0 * nx * ny, to = k1 * nx * ny;
  return {
    grid: k1 - k0 === nz ? ms.grid : { ...ms.grid, nz: k1 - k0 },
    classNames: [...ms.classNames],
    labels: ms.labels.slice(from, to),
    instances: ms.instances.slice(from, to),
    localGrains: ms.localGrains.slice(from, to),
    grainOffsets: ms.grainOffsets,
    particles: ms.particles,
  };
}

/**
 * grainOffsets for a set of records: offsets[id] = number of grains of all particles with a
 * smaller id, so global grain ids grainOffsets[id] + localGrain run 1..total without gaps.
 */
export function buildGrainOffsets(records: readonly ParticleRecord[]): Uint32Array {
  let maxId = 0;
  for (const r of records) maxId = Math.max(maxId, r.id);
  const perId = new Uint32Array(maxId + 1);
  for (const r of records) perId[r.id] = r.grainCount;
  const offsets = new Uint32Array(maxId + 1);
  let sum = 0;
  for (let id = 0; id <= maxId; id++) {
    offsets[id] = sum;
    sum += perId[id]!;
  }
  return offsets;
}

/** The microstructure with more particle records (offsets rebuilt); arrays are shared. */
export function withParticleRecords(ms: Microstructure, added: readonly ParticleRecord[]): Microstructure {
  const particles = [...ms.particles, ...added];
  return { ...ms, particles, grainOffsets: buildGrainOffsets(particles) };
}

/** Record of a voxel-counted particle. */
export function particleRecord(p: Particle, voxels: number, voxelSizeM: number): ParticleRecord {
  const volumeM3 = voxels * voxelSizeM ** 3;
  return {
    id: p.id,
    material: p.material,
    kind: p.kind,
    center: [p.center[0], p.center[1], p.center[2]],
    semiAxes: [p.semiAxes[0], p.semiAxes[1], p.semiAxes[2]],
    equivalentDiameterM: Math.cbrt((6 * volumeM3) / Math.PI),
    volumeM3,
    grainCount: p.grainCount,
    cracked: p.cracked,
    agglomerate: p.agglomerate,
  };
}

export interface RasterizeOptions {
  /** Label (index into classNames) of a particle material. */
  classOf(material: string): number;
  /** Label of the pore (electrolyte) class: cracks and internal pores get it. */
  poreLabel: number;
  /** Seeded stream for grain seeds and pore positions. */
  rng: Random;
  /** x and y periodic (default true). */
  periodic?: boolean;
  /** Labels particles never overwrite (foil, separator, burrs...). Default none. */
  keepLabels?: readonly number[];
  /** Radius of closed internal pores (m); default 1.5 voxel edges. */
  internalPoreRadiusM?: number;
  /** Crack half-width (m): crack slabs are 2x this wide; default 0.75 voxel edge. */
  crackHalfWidthM?: number;
}

/** Geometry table stride: cx, cy, cz, q00, q01, q02, q11, q12, q22. */
const G_STRIDE = 9;

/**
 * Stamp `particles` into `ms` (arrays written in place) and return the microstructure with
 * their ParticleRecord rows appended and grainOffsets rebuilt. Call once with every particle
 * of the volume for fair overlap resolution (a later call cannot steal earlier voxels).
 */
export function rasterizeParticles(ms: Microstructure, particles: readonly Particle[], options: RasterizeOptions): Microstructure {
  const grid = ms.grid;
  const { nx, ny, nz } = grid;
  const s = grid.voxelSizeM;
  const periodic = options.periodic ?? true;
  const poreLabel = checkLabel(ms, options.poreLabel, "pore label");
  const keep = new Uint8Array(256);
  for (const l of options.keepLabels ?? []) keep[checkLabel(ms, l, "keep label")] = 1;
  const poreRadiusVox = (options.internalPoreRadiusM ?? 1.5 * s) / s;
  const crackHalfVox = (options.crackHalfWidthM ?? 0.75 * s) / s;
  if (!(poreRadiusVox > 0 && Number.isFinite(poreRadiusVox))) throw new RangeError("internalPoreRadiusM must be a positive length");
  if (!(crackHalfVox > 0 && Number.isFinite(crackHalfVox))) throw new RangeError("crackHalfWidthM must be a positive length");

  // ---- validate everything before writing anything
  const existing = new Set(ms.particles.map((r) => r.id));
  let maxId = 0;
  const labelCache = new Map<string, number>();
  const labelOf = new Uint8Array(particles.length);
  const geom = new Float64Array(particles.length * G_STRIDE);
  const e = new VoxelEllipsoid();
  particles.forEach((p, n) => {
    if (!Number.isInteger(p.id) || p.id < 1) throw new RangeError(`particle id must be an integer >= 1, got ${p.id}`);
    if (existing.has(p.id)) throw new RangeError(`particle id ${p.id} is used twice`);
    existing.add(p.id);
    maxId = Math.max(maxId, p.id);
    if (!Number.isInteger(p.grainCount) || p.grainCount < 1 || p.grainCount > MAX_GRAINS) {
      throw new RangeError(`particle ${p.id}: grainCount must be an integer in 1..${MAX_GRAINS}, got ${p.grainCount}`);
    }
    if (!(p.internalPorosity >= 0 && p.internalPorosity < 1)) {
      throw new RangeError(`particle ${p.id}: internalPorosity must be in [0, 1), got ${p.internalPorosity}`);
    }
    let label = labelCache.get(p.material);
    if (label === undefined) {
      label = checkLabel(ms, options.classOf(p.material), `label of material "${p.material}"`);
      labelCache.set(p.material, label);
    }
    labelOf[n] = label;
    e.set(p, grid);
    geom.set([e.cx, e.cy, e.cz, e.q00, e.q01, e.q02, e.q11, e.q12, e.q22], n * G_STRIDE);
  });
  // Per-id tables (owner lookup, voxel counts) are dense arrays: ids must be compact.
  if (maxId > Math.max(1 << 20, 8 * particles.length)) {
    throw new RangeError(`particle ids must be compact (1..n): largest id ${maxId} for ${particles.length} particles`);
  }
  const slotOf = new Int32Array(maxId + 1).fill(-1);
  particles.forEach((p, n) => (slotOf[p.id] = n));
  const counts = new Float64Array(maxId + 1);

  const ctx: StampContext = {
    nx, ny, nz, periodic,
    labels: ms.labels, instances: ms.instances, grains: ms.localGrains,
    keep, slotOf, geom, counts,
    env: new SeedRowEnvelope(), ivl: new Float64Array(2), shiftsX: new Int32Array(4), shiftsY: new Int32Array(4),
  };
  const seedBuf = new Float64Array(3 * MAX_GRAINS);
  const crackSeeds: (Float64Array | null)[] = particles.map(() => null);

  // ---- pass 1: stamp, resolve overlaps, assign grains
  for (let n = 0; n < particles.length; n++) {
    const p = particles[n]!;
    e.set(p, grid);
    const G = p.grainCount;
    if (G > 1) {
      drawGrainSeeds(e, G, options.rng, seedBuf);
      ctx.env.setSeeds(seedBuf, G, e);
      if (p.cracked) crackSeeds[n] = seedBuf.slice(0, 3 * G);
    }
    stampParticle(ctx, e, p.id, labelOf[n]!, G);
  }

  // ---- pass 2: cracks, then closed internal pores (rng in particle order)
  for (let n = 0; n < particles.length; n++) {
    const p = particles[n]!;
    const seeds = crackSeeds[n];
    if (seeds === null && !(p.internalPorosity > 0)) continue;
    e.set(p, grid);
    if (seeds !== null && seeds !== undefined) {
      counts[p.id] -= crackGrainBoundaries(ms, e, p.id, seeds, p.grainCount, crackHalfVox, poreLabel, periodic);
    }
    if (p.internalPorosity > 0) {
      counts[p.id] -= addInternalPores(
        ms, e, p.id, p.internalPorosity, counts[p.id]!, poreRadiusVox, poreLabel, periodic, options.rng,
      );
    }
  }

  const records = particles.map((p) => particleRecord(p, counts[p.id]!, s));
  return withParticleRecords(ms, records);
}

interface StampContext {
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  readonly periodic: boolean;
  readonly labels: Uint8Array;
  readonly instances: Uint32Array;
  readonly grains: Uint8Array;
  readonly keep: Uint8Array;
  readonly slotOf: Int32Array;
  readonly geom: Float64Array;
  readonly counts: Float64Array;
  readonly env: SeedRowEnvelope;
  readonly ivl: Float64Array;
  readonly shiftsX: Int32Array;
  readonly shiftsY: Int32Array;
}

/**
 * Stamp one particle (all its periodic images). Kept as its own small function so the JIT
 * optimises it after the first few particles (one huge function deoptimises and re-enters
 * through on-stack replacement, several times slower).
 */
function stampParticle(ctx: StampContext, e: VoxelEllipsoid, id: number, label: number, G: number): void {
  const { nx, ny, nz, periodic, labels, instances, grains, keep, slotOf, geom, counts, env, ivl } = ctx;
  const { q00, q01, q02, q11, q12, q22 } = e;
  const halfX = nx / 2, halfY = ny / 2;
  const k0 = Math.max(0, Math.ceil(e.cz - e.hz)), k1 = Math.min(nz - 1, Math.floor(e.cz + e.hz));
  if (k0 > k1) return;
  const nsx = imageShifts(e.cx - e.hx, e.cx + e.hx, nx, periodic, ctx.shiftsX);
  const nsy = imageShifts(e.cy - e.hy, e.cy + e.hy, ny, periodic, ctx.shiftsY);
  for (let a = 0; a < nsx; a++) {
    const ccx = e.cx + ctx.shiftsX[a]!;
    for (let b2 = 0; b2 < nsy; b2++) {
      const ccy = e.cy + ctx.shiftsY[b2]!;
      const j0 = Math.max(0, Math.ceil(ccy - e.hy)), j1 = Math.min(ny - 1, Math.floor(ccy + e.hy));
      for (let k = k0; k <= k1; k++) {
        const dz = k - e.cz;
        for (let j = j0; j <= j1; j++) {
          const dy = j - ccy;
          const b = q01 * dy + q02 * dz;
          const c = q11 * dy * dy + 2 * q12 * dy * dz + q22 * dz * dz;
          if (!rowInterval(q00, b, c, 1, ivl)) continue;
          const i0 = Math.max(0, Math.ceil(ccx + ivl[0]!)), i1 = Math.min(nx - 1, Math.floor(ccx + ivl[1]!));
          if (i0 > i1) continue;
          if (G > 1) env.build(dy, dz, i0 - ccx, i1 - ccx);
          const base = nx * (j + ny * k);
          for (let i = i0; i <= i1; i++) {
            const v = base + i;
            if (keep[labels[v]!] === 1) continue;
            const owner = instances[v]!;
            const dx = i - ccx;
            if (owner !== 0) {
              if (owner === id) continue; // another periodic image of the same particle
              const slot = owner < slotOf.length ? slotOf[owner]! : -1;
              if (slot < 0) continue; // an earlier call's particle: kept
              const q = (q00 * dx + 2 * b) * dx + c;
              const o = slot * G_STRIDE;
              let ox = i - geom[o]!, oy = j - geom[o + 1]!;
              const oz = k - geom[o + 2]!;
              if (periodic) {
                // Nearest image of the owner (particles are smaller than half the period).
                if (ox > halfX) ox -= nx;
                else if (ox < -halfX) ox += nx;
                if (oy > halfY) oy -= ny;
                else if (oy < -halfY) oy += ny;
              }
              const qo =
                geom[o + 3]! * ox * ox + geom[o + 6]! * oy * oy + geom[o + 8]! * oz * oz +
                2 * (geom[o + 4]! * ox * oy + geom[o + 5]! * ox * oz + geom[o + 7]! * oy * oz);
              if (!(q < qo)) continue;
              counts[owner]--;
            }
            labels[v] = label;
            instances[v] = id;
            grains[v] = G > 1 ? env.nearest(dx) + 1 : 1;
            counts[id]++;
          }
        }
      }
    }
  }
}

function checkLabel(ms: Microstructure, label: number, what: string): number {
  if (!Number.isInteger(label) || label < 0 || label >= ms.classNames.length) {
    throw new RangeError(`${what} must be an index into the ${ms.classNames.length} class names, got ${label}`);
  }
  return label;
}
