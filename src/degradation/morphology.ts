/**
 * Aged morphology: the voxel edits that make a fresh electrode microstructure look cycled.
 *
 * Each operation edits a `Microstructure` (src/phantoms/microstructure/types.ts) in place and
 * appends the class it paints to `classNames` the first time it is used (one of
 * AGED_CLASS_NAMES: "crack", "rock-salt", "SEI", "plated-Li", "dendrite", "deposit"), so
 * label values of existing classes never move. The caller maps the new names to materials.
 *
 * - growShell: a surface film of a given thickness. Outward (SEI on graphite: Peled 1979,
 *   doi:10.1149/1.2128859; growth ~ sqrt(t), Pinson & Bazant 2013, doi:10.1149/2.044302jes)
 *   it replaces pore/electrolyte voxels next to the host; inward (the reconstructed
 *   rock-salt layer on Ni-rich NMC, a few nm to tens of nm thick: Jung et al. 2017,
 *   doi:10.1149/2.0021707jes) it converts the host's own outer voxels.
 * - openGrainBoundaryCracks: intergranular cracking of polycrystalline secondary particles
 *   (Ryu et al. 2018, doi:10.1021/acs.chemmater.7b05269): chosen grain-boundary facets open as
 *   electrolyte-filled cracks.
 * - depositLayer: lithium plating, which starts where the anode meets the separator
 *   (highest local overpotential at the anode/separator side; review: Waldmann et al. 2018,
 *   doi:10.1016/j.jpowsour.2018.02.063), and transition-metal deposits on graphite (Gilbert
 *   et al. 2017, doi:10.1149/2.1111702jes [unverified: DOI recalled, not checked]).
 * - isolateParticles: loss of active material by electronic isolation (degradation-mode
 *   classification of Birkl et al. 2017, doi:10.1016/j.jpowsour.2016.12.011).
 *
 * Shell geometry. Distances come from the exact EDT (src/segmentation/distanceTransform.ts)
 * between voxel centres. On a curved surface, the voxels at EDT distance <= d (voxel units)
 * from the other side hold a film of thickness about d - FILM_OFFSET, FILM_OFFSET = 0.2
 * voxel (calibrated on voxelised spheres, see the constant). The voxels at one distance d
 * therefore cover the film depths [lo, hi), hi = d - 0.2 and lo the hi of the next smaller
 * lattice distance (0 for d = 1). For a film of thickness tau (voxels): voxels with hi <=
 * tau are converted, voxels with lo >= tau are not, and the ones between are converted with
 * probability (tau - lo) / (hi - lo) (stochastic rounding from the seed), so the expected
 * film volume is area x thickness also for a fractional thickness or one under a voxel.
 * Measured on spheres (R = 8, 12 voxels, outward and inward): within 5.4 % of the analytic
 * shell volume for tau = 0.5 ... 5 voxels. Limit: on a flat face normal to an axis the only
 * distances are whole numbers, so the film comes in whole layers (layer d fully from
 * tau >= d - 0.2, partly from sqrt(d^2 - 1) - 0.2): up to ~0.5 voxel off for a fractional
 * tau. Films are meant for particles, whose surfaces are curved.
 *
 * Neighbourhoods are 6-connected and do not wrap around the x-y faces (a crack or film that
 * crosses a periodic seam is cut there). Particle records (volumes) are not updated.
 *
 * Pure module (no Node APIs); deterministic for a given seed.
 */
import { createRandom, type Random } from "../core/random.js";
import { distanceTransform } from "../segmentation/distanceTransform.js";
import type { Microstructure } from "../phantoms/microstructure/types.js";

/** Classes the degradation operations paint, appended to classNames when first used. */
export const AGED_CLASS_NAMES = ["crack", "rock-salt", "SEI", "plated-Li", "dendrite", "deposit"] as const;

/** Label of a class, or -1 when the microstructure has no class of that name. */
export function classLabel(ms: Microstructure, name: string): number {
  return ms.classNames.indexOf(name);
}

/** Label of an existing class; a RangeError naming the classes there are when it is missing. */
export function requireClass(ms: Microstructure, name: string, role: string): number {
  const label = ms.classNames.indexOf(name);
  if (label < 0) throw new RangeError(`${role} class "${name}" is not in this microstructure; its classes are ${ms.classNames.join(", ")}`);
  return label;
}

/** Label of `name`, appending it to classNames (once) when it is not there yet. */
export function ensureClass(ms: Microstructure, name: string): number {
  if (typeof name !== "string" || name.length === 0) throw new RangeError("a class name must be a non-empty string");
  const existing = ms.classNames.indexOf(name);
  if (existing >= 0) return existing;
  if (ms.classNames.length >= 256) throw new RangeError(`cannot add class "${name}": labels are uint8 and all 256 values are in use`);
  ms.classNames.push(name);
  return ms.classNames.length - 1;
}

/** Labels of a list of class names (all must exist). */
function labelSet(ms: Microstructure, names: readonly string[], role: string): Uint8Array {
  const set = new Uint8Array(256);
  for (const n of names) set[requireClass(ms, n, role)] = 1;
  return set;
}

function checkFraction(x: number, what: string): void {
  if (!(x >= 0 && x <= 1)) throw new RangeError(`${what} must be a fraction in [0, 1], got ${x}`);
}

/** Fisher-Yates shuffle in place (Knuth, TAOCP vol. 2, 3.4.2, Algorithm P). */
function shuffle(a: number[] | Int32Array, rng: Random): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}

// ---------------------------------------------------------------------------------------
// Shells.

export interface ShellOptions {
  /** Class the film grows on, e.g. "graphite" (SEI) or "NMC811" (rock-salt). */
  readonly hostClass: string;
  /** Class of the film: usually "SEI" (outward) or "rock-salt" (inward); added if missing. */
  readonly shellClass: string;
  /** Film thickness (m), >= 0. */
  readonly thicknessM: number;
  /** "outward": into the pore/electrolyte next to the host; "inward": converts the host's outer layer. */
  readonly into: "outward" | "inward";
  /** Outward only: classes the film may replace. Default [classNames[0]] (the pore/electrolyte class). */
  readonly replaceClasses?: readonly string[];
  /** Seed of the stochastic rounding of partly covered voxels. Default 0. */
  readonly seed?: number;
}

/**
 * Film thickness (voxels) that the voxels at EDT distance <= d hold, per unit area, is
 * d - FILM_OFFSET. Calibrated on voxelised spheres (R = 8-24 voxels, centre off the grid,
 * outward and inward): the level sets d = 1 ... 5 hold the analytic shell volume of
 * thickness d - 0.06 ... d - 0.32, median d - 0.18.
 */
const FILM_OFFSET = 0.2;

/** Whether m is a sum of three squares, i.e. a squared distance on the lattice (Legendre: m != 4^a (8b + 7)). */
function isSquaredLatticeDistance(m: number): boolean {
  if (m === 0) return true;
  while (m % 4 === 0) m /= 4;
  return m % 8 !== 7;
}

/**
 * Film depth interval [lo, hi) (voxels) covered by the voxels at EDT distance d: hi = d -
 * FILM_OFFSET, lo the hi of the next smaller lattice distance (0 below d = 1).
 */
function filmDepthLow(d: number): number {
  const m = Math.round(d * d);
  let p = m - 1;
  while (p > 0 && !isSquaredLatticeDistance(p)) p--;
  return p === 0 ? 0 : Math.sqrt(p) - FILM_OFFSET;
}

/**
 * Grow a film of `thicknessM` on every surface of the host class (see the module comment
 * for the rounding). Outward film voxels get instance 0 and grain 0 (not particle solid);
 * inward ones keep their particle instance and grain (the rock-salt layer is still part of
 * the particle). Returns the number of voxels changed.
 */
export function growShell(ms: Microstructure, options: ShellOptions): number {
  const { thicknessM, into } = options;
  if (!(thicknessM >= 0 && Number.isFinite(thicknessM))) throw new RangeError(`shell thickness must be a length >= 0 (m), got ${thicknessM}`);
  if (into !== "outward" && into !== "inward") throw new RangeError(`shell "into" must be "outward" or "inward", got ${String(into)}`);
  const host = requireClass(ms, options.hostClass, "host");
  if (options.shellClass === options.hostClass) throw new RangeError(`shell class must differ from the host class "${options.hostClass}"`);
  const replace = labelSet(ms, options.replaceClasses ?? [ms.classNames[0]!], "replaceable");
  const shell = ensureClass(ms, options.shellClass);
  const tau = thicknessM / ms.grid.voxelSizeM;
  if (tau === 0) return 0;
  const labels = ms.labels;
  const n = labels.length;
  const mask = new Uint8Array(n);
  for (let v = 0; v < n; v++) mask[v] = labels[v] === host ? 1 : 0;
  // Outward: distance of each non-host voxel to the nearest host voxel; inward: of each host
  // voxel to the nearest non-host voxel.
  const d = distanceTransform(mask, ms.grid, { to: into === "outward" ? "foreground" : "background" });
  const rng = createRandom(options.seed ?? 0);
  const instances = ms.instances, grains = ms.localGrains;
  let changed = 0;
  for (let v = 0; v < n; v++) {
    const dv = d[v]!;
    if (dv === 0 || dv > tau + FILM_OFFSET + 1) continue;
    if (into === "outward" ? replace[labels[v]!] === 0 : labels[v] !== host) continue;
    const hi = dv - FILM_OFFSET;
    if (hi > tau) {
      const lo = filmDepthLow(dv);
      if (lo >= tau) continue;
      if (rng.next() >= (tau - lo) / (hi - lo)) continue;
    }
    labels[v] = shell;
    if (into === "outward") {
      instances[v] = 0;
      grains[v] = 0;
    }
    changed++;
  }
  return changed;
}

// ---------------------------------------------------------------------------------------
// Grain-boundary cracks.

export interface CrackOptions {
  /** Particles to crack; or give particleClass. */
  readonly particleIds?: readonly number[];
  /** Crack every particle of this material (e.g. "NMC811"), when particleIds is not given. */
  readonly particleClass?: string;
  /** Fraction (0..1) of each particle's grain-boundary area to open. */
  readonly crackFraction: number;
  /** Crack width in voxels along the axis crossing the boundary, integer >= 1. */
  readonly openingVoxels: number;
  /** Class filling the crack: "crack" (default, added if missing) or e.g. the electrolyte's name. */
  readonly fillClass?: string;
}

export interface CrackResult {
  /** Voxels turned into crack. */
  readonly voxels: number;
  /** Grain-boundary faces (voxel faces between two grains of one particle) in the chosen particles. */
  readonly boundaryFaces: number;
  /** Of those, faces on opened boundaries. */
  readonly openedFaces: number;
  /** Particles with at least one grain boundary. */
  readonly polycrystalline: number;
}

/**
 * Open grain-boundary cracks. A boundary is the set of voxel faces between two given grains
 * of one particle; its area is its face count. Per particle (ascending id) the boundaries
 * are put in a seeded random order and opened in that order while that brings the opened
 * area closer to crackFraction x the particle's boundary area; the order does not depend on
 * the fraction, so with one seed a larger fraction opens a superset of boundaries.
 *
 * An opened face between voxel a (lower grain id) and b (higher) converts ceil(w/2) voxels
 * on b's side and floor(w/2) on a's side along the face normal (w = openingVoxels), only
 * voxels that are solid of that particle. Crack voxels take the fill class, instance 0 and
 * grain 0 (the invariant of src/phantoms/microstructure/grains.ts: instance != 0 means solid).
 */
export function openGrainBoundaryCracks(ms: Microstructure, options: CrackOptions, seed: number): CrackResult {
  const { crackFraction, openingVoxels } = options;
  checkFraction(crackFraction, "crack fraction");
  if (!(Number.isInteger(openingVoxels) && openingVoxels >= 1)) throw new RangeError(`crack opening must be an integer number of voxels >= 1, got ${openingVoxels}`);
  const chosen = new Set<number>();
  if (options.particleIds !== undefined) {
    const known = new Set(ms.particles.map((p) => p.id));
    for (const id of options.particleIds) {
      if (!known.has(id)) throw new RangeError(`particle id ${id} is not in this microstructure`);
      chosen.add(id);
    }
  } else if (options.particleClass !== undefined) {
    requireClass(ms, options.particleClass, "particle");
    for (const p of ms.particles) if (p.material === options.particleClass) chosen.add(p.id);
  } else {
    throw new RangeError("give the particles to crack: particleIds or particleClass");
  }
  const fill = ensureClass(ms, options.fillClass ?? "crack");
  const { nx, ny, nz } = ms.grid;
  const nxy = nx * ny;
  const labels = ms.labels, instances = ms.instances, grains = ms.localGrains;
  // Solid label of each chosen particle (its material's class).
  const solidLabel = new Map<number, number>();
  for (const p of ms.particles) if (chosen.has(p.id)) solidLabel.set(p.id, classLabel(ms, p.material));
  // Pair key: instance * 65536 + lowGrain * 256 + highGrain (grains are 1..255).
  const key = (id: number, g: number, h: number): number => id * 65536 + (g < h ? g * 256 + h : h * 256 + g);
  const steps = [1, nx, nxy];
  // Every face between two grains of one chosen particle: v and its +axis neighbour u (c is
  // v's index along the axis). Both passes below (count, then paint) walk the same faces.
  const forEachBoundaryFace = (visit: (v: number, u: number, id: number, axis: number, c: number, limit: number) => void): void => {
    for (let k = 0; k < nz; k++) {
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          const v = i + nx * (j + ny * k);
          const id = instances[v]!;
          if (id === 0 || !chosen.has(id) || grains[v] === 0) continue;
          for (let axis = 0; axis < 3; axis++) {
            const c = axis === 0 ? i : axis === 1 ? j : k;
            const limit = axis === 0 ? nx : axis === 1 ? ny : nz;
            if (c + 1 >= limit) continue;
            const u = v + steps[axis]!;
            if (instances[u] !== id || grains[u] === 0 || grains[u] === grains[v]) continue;
            visit(v, u, id, axis, c, limit);
          }
        }
      }
    }
  };
  const faceCount = new Map<number, number>();
  forEachBoundaryFace((v, u, id) => {
    const kk = key(id, grains[v]!, grains[u]!);
    faceCount.set(kk, (faceCount.get(kk) ?? 0) + 1);
  });
  // Per particle: boundaries in seeded random order, opened while that nears the target.
  const byParticle = new Map<number, number[]>();
  for (const kk of [...faceCount.keys()].sort((a, b) => a - b)) {
    const id = Math.floor(kk / 65536);
    let list = byParticle.get(id);
    if (list === undefined) byParticle.set(id, (list = []));
    list.push(kk);
  }
  const rng = createRandom(seed);
  const open = new Set<number>();
  let boundaryFaces = 0, openedFaces = 0;
  for (const id of [...byParticle.keys()].sort((a, b) => a - b)) {
    const list = byParticle.get(id)!;
    shuffle(list, rng);
    let total = 0;
    for (const kk of list) total += faceCount.get(kk)!;
    const target = crackFraction * total;
    let sum = 0;
    for (const kk of list) {
      const c = faceCount.get(kk)!;
      // Open this boundary if the sum after it is at least as close to the target as before.
      if (Math.abs(sum + c - target) > Math.abs(sum - target)) break;
      sum += c;
      open.add(kk);
    }
    boundaryFaces += total;
    openedFaces += sum;
  }
  // Mark, then paint (marking first keeps the scan reading the original grains).
  const mark = new Uint8Array(labels.length);
  const high = Math.ceil(openingVoxels / 2), low = Math.floor(openingVoxels / 2);
  const paintRun = (start: number, stride: number, count: number, coord: number, limit: number, id: number, solid: number): void => {
    // Walk `count` voxels from start along stride (coord is the start's index on the axis).
    for (let m = 0, w = start, c = coord; m < count && c >= 0 && c < limit; m++, w += stride, c += stride > 0 ? 1 : -1) {
      if (instances[w] !== id || labels[w] !== solid) break;
      mark[w] = 1;
    }
  };
  if (open.size > 0) {
    forEachBoundaryFace((v, u, id, axis, c, limit) => {
      if (!open.has(key(id, grains[v]!, grains[u]!))) return;
      const solid = solidLabel.get(id)!;
      const step = steps[axis]!;
      // u is the higher-grain side when grains[u] > grains[v].
      const vHigh = grains[v]! > grains[u]!;
      paintRun(v, -step, vHigh ? high : low, c, limit, id, solid);
      paintRun(u, step, vHigh ? low : high, c + 1, limit, id, solid);
    });
  }
  let voxels = 0;
  for (let v = 0; v < mark.length; v++) {
    if (mark[v] === 0) continue;
    labels[v] = fill;
    instances[v] = 0;
    grains[v] = 0;
    voxels++;
  }
  return { voxels, boundaryFaces, openedFaces, polycrystalline: byParticle.size };
}

// ---------------------------------------------------------------------------------------
// Deposits.

export interface DepositOptions {
  /** Class the deposit sits on, e.g. "graphite". */
  readonly atClass: string;
  /** Class of the deposit: "plated-Li" or "deposit" (added if missing). */
  readonly class: string;
  /**
   * "separator": fill nearest the separator first (along z), default for "plated-Li";
   * "everywhere": an even layer over all surfaces of atClass, default otherwise.
   */
  readonly where?: "separator" | "everywhere";
  /** Separator class; default the first class whose name contains "separator" (any case). */
  readonly separatorClass?: string;
  /** Classes a deposit may replace. Default [classNames[0]] (the pore/electrolyte class). */
  readonly replaceClasses?: readonly string[];
  /** Deposit volume (m^3); give this or thicknessM. */
  readonly volumeM3?: number;
  /**
   * Deposit thickness (m): "separator" mode, a dense film over the cross-section (nx ny
   * voxel columns x thickness); "everywhere", a film over the exposed faces of atClass.
   */
  readonly thicknessM?: number;
}

export interface DepositResult {
  /** Voxels converted. */
  readonly voxels: number;
  /** Voxels asked for (volume or thickness, in voxels, rounded); more than `voxels` when space ran out. */
  readonly requested: number;
}

/**
 * Scale of the random tie-break added to a deposit priority: below the smallest gap between
 * two distinct priorities (slice distances are integers; EDT distances are square roots of
 * integers, sqrt(m + 1) - sqrt(m) > 1e-4 for m < 2.5e7), so it only orders equal ones.
 */
const TIE_BREAK = 1e-6;

/** A binary min-heap of (key, voxel) on typed arrays that grow by doubling. */
class VoxelHeap {
  private keys = new Float64Array(1024);
  private items = new Int32Array(1024);
  size = 0;
  push(key: number, item: number): void {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.size * 2);
      k.set(this.keys);
      this.keys = k;
      const it = new Int32Array(this.size * 2);
      it.set(this.items);
      this.items = it;
    }
    let c = this.size++;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (this.keys[p]! <= key) break;
      this.keys[c] = this.keys[p]!;
      this.items[c] = this.items[p]!;
      c = p;
    }
    this.keys[c] = key;
    this.items[c] = item;
  }
  /** Remove the smallest; returns its item. */
  pop(): number {
    const top = this.items[0]!;
    const n = --this.size;
    const key = this.keys[n]!, item = this.items[n]!;
    let c = 0;
    for (;;) {
      let m = 2 * c + 1;
      if (m >= n) break;
      if (m + 1 < n && this.keys[m + 1]! < this.keys[m]!) m++;
      if (this.keys[m]! >= key) break;
      this.keys[c] = this.keys[m]!;
      this.items[c] = this.items[m]!;
      c = m;
    }
    this.keys[c] = key;
    this.items[c] = item;
    return top;
  }
}

/**
 * z slices holding the separator: those where the separator class is at least half the
 * slice (pinholes leave it below 1). Returns, per slice, the distance in slices to the
 * nearest separator slice.
 */
function sliceDistanceToSeparator(ms: Microstructure, separator: number): Float64Array {
  const { nx, ny, nz } = ms.grid;
  const nxy = nx * ny;
  const isSep: number[] = [];
  for (let k = 0; k < nz; k++) {
    let count = 0;
    for (let v = k * nxy; v < (k + 1) * nxy; v++) if (ms.labels[v] === separator) count++;
    if (count >= nxy / 2) isSep.push(k);
  }
  if (isSep.length === 0) throw new RangeError(`no z slice is at least half separator ("${ms.classNames[separator]}"): cannot tell where the separator is`);
  const dist = new Float64Array(nz);
  for (let k = 0; k < nz; k++) {
    let best = Infinity;
    for (const s of isSep) best = Math.min(best, Math.abs(k - s));
    dist[k] = best;
  }
  return dist;
}

/**
 * Deposit a phase on the surfaces of atClass by growth from them: a voxel of a replaceable
 * class becomes deposit once it touches (6-neighbour) atClass or the deposit, in the order of
 * a priority (smallest first), equal priorities in seeded random order:
 * - "separator": the z distance (slices) to the nearest separator slice, so plating covers
 *   the anode face next to the separator first and then moves down into the electrode;
 * - "everywhere": the EDT distance to atClass, so the layer thickens evenly.
 * Deposit voxels get instance 0 and grain 0. Stops at the requested count or when nothing
 * reachable is left.
 */
export function depositLayer(ms: Microstructure, options: DepositOptions, seed: number): DepositResult {
  const at = requireClass(ms, options.atClass, "deposit host (atClass)");
  const where = options.where ?? (options.class === "plated-Li" ? "separator" : "everywhere");
  if (where !== "separator" && where !== "everywhere") throw new RangeError(`deposit "where" must be "separator" or "everywhere", got ${String(where)}`);
  if ((options.volumeM3 === undefined) === (options.thicknessM === undefined)) throw new RangeError("give exactly one of volumeM3 and thicknessM for a deposit");
  const replace = labelSet(ms, options.replaceClasses ?? [ms.classNames[0]!], "replaceable");
  let separator = -1;
  if (where === "separator") {
    const name = options.separatorClass ?? ms.classNames.find((c) => /separator/i.test(c));
    if (name === undefined) throw new RangeError(`no separator class: pass separatorClass (classes are ${ms.classNames.join(", ")})`);
    separator = requireClass(ms, name, "separator");
  }
  const { nx, ny, nz, voxelSizeM: s } = ms.grid;
  const nxy = nx * ny;
  const labels = ms.labels;
  const n = labels.length;
  let requested: number;
  if (options.volumeM3 !== undefined) {
    if (!(options.volumeM3 >= 0 && Number.isFinite(options.volumeM3))) throw new RangeError(`deposit volume must be >= 0 (m^3), got ${options.volumeM3}`);
    requested = Math.round(options.volumeM3 / s ** 3);
  } else {
    const t = options.thicknessM!;
    if (!(t >= 0 && Number.isFinite(t))) throw new RangeError(`deposit thickness must be a length >= 0 (m), got ${t}`);
    let area: number;
    if (where === "separator") area = nxy;
    else {
      area = 0;
      for (let v = 0; v < n; v++) if (replace[labels[v]!] === 1 && touches(ms, v, at)) area += facesTouching(ms, v, at);
    }
    requested = Math.round((area * t) / s);
  }
  const deposit = ensureClass(ms, options.class);
  if (requested === 0) return { voxels: 0, requested };
  let priority: (v: number) => number;
  if (where === "separator") {
    const dz = sliceDistanceToSeparator(ms, separator);
    priority = (v) => dz[Math.floor(v / nxy)]!;
  } else {
    const mask = new Uint8Array(n);
    for (let v = 0; v < n; v++) mask[v] = labels[v] === at ? 1 : 0;
    const d = distanceTransform(mask, ms.grid, { to: "foreground" });
    priority = (v) => d[v]!;
  }
  const rng = createRandom(seed);
  const heap = new VoxelHeap();
  const queued = new Uint8Array(n);
  for (let v = 0; v < n; v++) {
    if (replace[labels[v]!] === 1 && touches(ms, v, at)) {
      queued[v] = 1;
      heap.push(priority(v) + TIE_BREAK * rng.next(), v);
    }
  }
  let placed = 0;
  while (placed < requested && heap.size > 0) {
    const v = heap.pop();
    labels[v] = deposit;
    ms.instances[v] = 0;
    ms.localGrains[v] = 0;
    placed++;
    const i = v % nx, j = Math.floor(v / nx) % ny, k = Math.floor(v / nxy);
    for (let m = 0; m < 6; m++) {
      const axis = m >> 1, sign = m & 1 ? 1 : -1;
      const c = (axis === 0 ? i : axis === 1 ? j : k) + sign;
      if (c < 0 || c >= (axis === 0 ? nx : axis === 1 ? ny : nz)) continue;
      const u = v + sign * (axis === 0 ? 1 : axis === 1 ? nx : nxy);
      if (queued[u] === 1 || replace[labels[u]!] === 0) continue;
      queued[u] = 1;
      heap.push(priority(u) + TIE_BREAK * rng.next(), u);
    }
  }
  return { voxels: placed, requested };
}

/** Number of v's 6 faces shared with a voxel of `label` (no wrap at the faces of the volume). */
function facesTouching(ms: Microstructure, v: number, label: number): number {
  const { nx, ny, nz } = ms.grid;
  const nxy = nx * ny;
  const i = v % nx, j = Math.floor(v / nx) % ny, k = Math.floor(v / nxy);
  const L = ms.labels;
  let c = 0;
  if (i > 0 && L[v - 1] === label) c++;
  if (i + 1 < nx && L[v + 1] === label) c++;
  if (j > 0 && L[v - nx] === label) c++;
  if (j + 1 < ny && L[v + nx] === label) c++;
  if (k > 0 && L[v - nxy] === label) c++;
  if (k + 1 < nz && L[v + nxy] === label) c++;
  return c;
}

function touches(ms: Microstructure, v: number, label: number): boolean {
  return facesTouching(ms, v, label) > 0;
}

// ---------------------------------------------------------------------------------------
// Loss of active material.

export interface IsolateOptions {
  /** Carbon-binder class; default the first class whose name contains "cbd" or "binder" (any case). */
  readonly cbdClass?: string;
  /** Class the removed CBD voxels become; default classNames[0] (the pore/electrolyte class). */
  readonly fillClass?: string;
  /** Only particles of this material are candidates; default every active particle. */
  readonly particleClass?: string;
}

export interface IsolateResult {
  /** Ids of the isolated particles, ascending. */
  readonly isolated: number[];
  /** CBD voxels turned into the fill class. */
  readonly voxelsChanged: number;
}

/**
 * Loss of active material: round(fraction x candidates) active particles, drawn at random
 * with the seed, lose their electronic contact. Every CBD voxel sharing a face with a
 * chosen particle's solid becomes the fill class (electrolyte), so no CBD touches them any
 * more; the particle's own voxels do not change (it is still there in the image, only
 * disconnected). The ids are returned so a model can drop their capacity. Contacts with other
 * particles are kept (a limit: particle-particle contacts are poor conductors for oxides).
 */
export function isolateParticles(ms: Microstructure, fraction: number, seed: number, options: IsolateOptions = {}): IsolateResult {
  checkFraction(fraction, "isolated particle fraction");
  const cbdName = options.cbdClass ?? ms.classNames.find((c) => /cbd|binder/i.test(c));
  if (cbdName === undefined) throw new RangeError(`no carbon-binder class: pass cbdClass (classes are ${ms.classNames.join(", ")})`);
  const cbd = requireClass(ms, cbdName, "carbon-binder");
  const fill = requireClass(ms, options.fillClass ?? ms.classNames[0]!, "fill");
  if (options.particleClass !== undefined) requireClass(ms, options.particleClass, "particle");
  const candidates = ms.particles
    .filter((p) => p.kind === "active" && (options.particleClass === undefined || p.material === options.particleClass))
    .map((p) => p.id)
    .sort((a, b) => a - b);
  const rng = createRandom(seed);
  shuffle(candidates, rng);
  const isolated = candidates.slice(0, Math.round(fraction * candidates.length)).sort((a, b) => a - b);
  let maxId = 0;
  for (const p of ms.particles) maxId = Math.max(maxId, p.id);
  const chosen = new Uint8Array(maxId + 1);
  for (const id of isolated) chosen[id] = 1;
  const { nx, ny, nz } = ms.grid;
  const nxy = nx * ny;
  const labels = ms.labels, instances = ms.instances;
  const isChosen = (u: number): boolean => {
    const id = instances[u]!;
    return id !== 0 && id <= maxId && chosen[id] === 1;
  };
  let voxelsChanged = 0;
  if (isolated.length > 0) {
    for (let k = 0; k < nz; k++) {
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          const v = i + nx * (j + ny * k);
          if (labels[v] !== cbd) continue;
          if (
            (i > 0 && isChosen(v - 1)) || (i + 1 < nx && isChosen(v + 1)) ||
            (j > 0 && isChosen(v - nx)) || (j + 1 < ny && isChosen(v + nx)) ||
            (k > 0 && isChosen(v - nxy)) || (k + 1 < nz && isChosen(v + nxy))
          ) {
            labels[v] = fill;
            voxelsChanged++;
          }
        }
      }
    }
  }
  return { isolated, voxelsChanged };
}
