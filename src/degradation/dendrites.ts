/**
 * Lithium dendrites through the separator: stochastic, seeded growth by a biased random walk
 * of branching tips.
 *
 * Physics it stands for. Lithium deposited at high current grows as filaments whose tips see
 * the strongest field and concentration gradient, so they advance towards the counter
 * electrode (Monroe & Newman 2003, "Dendrite growth in lithium/polymer systems",
 * J. Electrochem. Soc. 150 A1377, doi:10.1149/1.1606686: tip-propagation model). Random,
 * branched aggregates made of particles that stick where their random walk first touches the
 * cluster are diffusion-limited aggregation (Witten & Sander 1981, Phys. Rev. Lett. 47 1400,
 * doi:10.1103/PhysRevLett.47.1400); a drift added to the walk (a field) makes the aggregate
 * grow along the field in elongated, less-branched needles. This module keeps only that
 * geometry: it is a morphology generator, not a kinetic model (no current, time or
 * overpotential; `steps` and `bias` are dimensionless knobs).
 *
 * Walk. Tips start on voxels of `fromClass` (the lithium or graphite surface) whose
 * neighbour in the field direction is growable; `seeds` of them are drawn at random. Each
 * step, every live tip draws a direction: with probability `bias` the field direction,
 * otherwise one of the 6 face directions uniformly (so bias = 0 is an unbiased walk and the
 * forward probability is bias + (1 - bias) / 6). If that neighbour is growable (a voxel of
 * `throughClass` inside the separator's z range) it becomes dendrite and the tip moves
 * there, and then with probability `branchProbability` a new tip starts from the same voxel
 * (up to MAX_DENDRITE_TIPS). A blocked draw leaves the tip where it is for that step.
 *
 * Short. The separator's z range is [k0, k1) given as `within`, by default the first to
 * last slice in which `throughClass` fills at least half the slice. The dendrite bridges
 * the separator (`reachedOpposite`, an internal short) when a dendrite voxel lies in the
 * range's last slice in the field direction and its forward neighbour is not growable
 * (the cathode side), or the last slice is the volume's face.
 *
 * Dendrite voxels take the class "dendrite" (appended to classNames when first used),
 * instance 0 and grain 0. Neighbourhoods do not wrap at the x-y faces. Pure module;
 * deterministic for a given seed.
 */
import { createRandom } from "../core/random.js";
import type { Microstructure, ZRange } from "../phantoms/microstructure/types.js";
import { ensureClass, requireClass } from "./morphology.js";

/** Most tips alive at once (branching stops there). */
export const MAX_DENDRITE_TIPS = 4096;

export interface DendriteOptions {
  /** Class the dendrites nucleate on, e.g. "lithium", "plated-Li" or "graphite". */
  readonly fromClass: string;
  /** Class they may grow into: the separator's pore/electrolyte class (or the separator itself). */
  readonly throughClass: string;
  /** Field direction, towards the cathode. */
  readonly towards: "+z" | "-z";
  /** Nucleation sites (tips at the start), integer >= 0. */
  readonly seeds: number;
  /** Walk steps per tip, integer >= 0. */
  readonly steps: number;
  /** Probability (0..1) that a step goes straight along the field. */
  readonly bias: number;
  /** Probability (0..1) that a tip spawns a branch after a successful step. Default 0.05. */
  readonly branchProbability?: number;
  /** z range of the separator; default the slices at least half throughClass (see the module comment). */
  readonly within?: ZRange;
  /**
   * Most voxels to grow (the lithium available for filaments); default unlimited. The walk
   * is the same draw for draw whatever the budget, so a smaller budget grows a prefix of what
   * a larger one grows: whether a budget bridges the separator is monotone in the budget.
   */
  readonly maxVoxels?: number;
}

export interface DendriteResult {
  /** Voxels turned into dendrite. */
  readonly voxels: number;
  /** True when a dendrite bridges the separator (internal short). */
  readonly reachedOpposite: boolean;
  /** Flat voxel indices of the tips alive at the end (a tip that never moved sits on fromClass). */
  readonly tips: number[];
  /** Voxels grown when the first bridge formed (the smallest budget that shorts), or null. */
  readonly voxelsAtBridge: number | null;
}

function checkCount(x: number, what: string): void {
  if (!(Number.isInteger(x) && x >= 0)) throw new RangeError(`${what} must be an integer >= 0, got ${x}`);
}

function checkProbability(x: number, what: string): void {
  if (!(x >= 0 && x <= 1)) throw new RangeError(`${what} must be a probability in [0, 1], got ${x}`);
}

/** Slices [k0, k1) from the first to the last one at least half `label`. */
function majorityRange(ms: Microstructure, label: number): ZRange {
  const { nx, ny, nz } = ms.grid;
  const nxy = nx * ny;
  let k0 = -1, k1 = -1;
  for (let k = 0; k < nz; k++) {
    let count = 0;
    for (let v = k * nxy; v < (k + 1) * nxy; v++) if (ms.labels[v] === label) count++;
    if (count >= nxy / 2) {
      if (k0 < 0) k0 = k;
      k1 = k + 1;
    }
  }
  if (k0 < 0) throw new RangeError(`no z slice is at least half "${ms.classNames[label]}": pass the separator's z range as "within"`);
  return { k0, k1 };
}

export function growDendrites(ms: Microstructure, options: DendriteOptions, seed: number): DendriteResult {
  const { towards, seeds, steps, bias } = options;
  if (towards !== "+z" && towards !== "-z") throw new RangeError(`dendrite direction must be "+z" or "-z", got ${String(towards)}`);
  checkCount(seeds, "dendrite seed count");
  checkCount(steps, "dendrite steps");
  checkProbability(bias, "dendrite bias");
  const maxVoxels = options.maxVoxels ?? Infinity;
  if (!(maxVoxels === Infinity || (Number.isInteger(maxVoxels) && maxVoxels >= 0))) throw new RangeError(`dendrite maxVoxels must be an integer >= 0, got ${maxVoxels}`);
  const branch = options.branchProbability ?? 0.05;
  checkProbability(branch, "branch probability");
  const from = requireClass(ms, options.fromClass, "dendrite source (fromClass)");
  const through = requireClass(ms, options.throughClass, "dendrite medium (throughClass)");
  if (from === through) throw new RangeError("fromClass and throughClass must differ");
  const { nx, ny, nz } = ms.grid;
  const nxy = nx * ny;
  const range = options.within ?? majorityRange(ms, through);
  if (!(Number.isInteger(range.k0) && Number.isInteger(range.k1) && 0 <= range.k0 && range.k0 < range.k1 && range.k1 <= nz)) {
    throw new RangeError(`separator z range must satisfy 0 <= k0 < k1 <= nz = ${nz}, got [${range.k0}, ${range.k1})`);
  }
  const dendrite = ensureClass(ms, "dendrite");
  const labels = ms.labels;
  const dir = towards === "+z" ? 1 : -1;
  const growable = (v: number, k: number): boolean => k >= range.k0 && k < range.k1 && labels[v] === through;
  // Short: a dendrite voxel in the far slice of the separator whose forward neighbour is not
  // growable (checked when the voxel is grown, so the budget that first bridges is known).
  const kFar = dir > 0 ? range.k1 - 1 : range.k0;
  const kNext = kFar + dir;
  const bridges = (v: number, k: number): boolean => k === kFar && (kNext < 0 || kNext >= nz || !growable(v + dir * nxy, kNext));

  // Nucleation sites: fromClass voxels whose forward neighbour is growable, drawn at random.
  const sites: number[] = [];
  for (let k = 0; k < nz; k++) {
    const kf = k + dir;
    if (kf < 0 || kf >= nz) continue;
    for (let v = k * nxy; v < (k + 1) * nxy; v++) if (labels[v] === from && growable(v + dir * nxy, kf)) sites.push(v);
  }
  const rng = createRandom(seed);
  const nSeeds = Math.min(seeds, sites.length);
  for (let m = 0; m < nSeeds; m++) {
    const r = m + Math.floor(rng.next() * (sites.length - m));
    const t = sites[m]!;
    sites[m] = sites[r]!;
    sites[r] = t;
  }
  let tips = new Int32Array(Math.max(16, nSeeds * 2));
  let count = nSeeds;
  for (let m = 0; m < nSeeds; m++) tips[m] = sites[m]!;

  let voxels = 0;
  let voxelsAtBridge: number | null = null;
  for (let step = 0; step < steps && count > 0 && voxels < maxVoxels; step++) {
    const live = count; // branches born this step move from the next step on
    for (let t = 0; t < live && voxels < maxVoxels; t++) {
      const v = tips[t]!;
      const i = v % nx, j = Math.floor(v / nx) % ny, k = Math.floor(v / nxy);
      let di = 0, dj = 0, dk = 0;
      if (rng.next() < bias) dk = dir;
      else {
        const d = Math.floor(rng.next() * 6);
        const sign = d & 1 ? 1 : -1;
        if (d < 2) di = sign;
        else if (d < 4) dj = sign;
        else dk = sign;
      }
      const a = i + di, b = j + dj, c = k + dk;
      if (a < 0 || a >= nx || b < 0 || b >= ny || c < 0 || c >= nz) continue;
      const u = a + nx * (b + ny * c);
      if (!growable(u, c)) continue;
      labels[u] = dendrite;
      ms.instances[u] = 0;
      ms.localGrains[u] = 0;
      voxels++;
      if (voxelsAtBridge === null && bridges(u, c)) voxelsAtBridge = voxels;
      tips[t] = u;
      if (branch > 0 && count < MAX_DENDRITE_TIPS && rng.next() < branch) {
        if (count === tips.length) {
          const grown = new Int32Array(Math.min(MAX_DENDRITE_TIPS, tips.length * 2));
          grown.set(tips);
          tips = grown;
        }
        tips[count++] = u;
      }
    }
  }

  return { voxels, reachedOpposite: voxelsAtBridge !== null, tips: Array.from(tips.subarray(0, count)), voxelsAtBridge };
}
