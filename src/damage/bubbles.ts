/**
 * Beam damage fed back into the sample: gas bubbles in the liquid electrolyte, nucleated
 * by beam heating (boiling) or by radiolysis gas, grown by the ideal gas law at 1 atm and
 * written into the labelled volume so that the engine can rebuild its mu / delta / beta
 * volumes where they changed.
 *
 * The model, per call of update(temperature, dose increment, dt):
 *
 * - The volume is divided into cubic nucleation regions of `regionEdgeVoxels` voxels a
 *   side. A region holds at most one bubble: gas produced anywhere in the region feeds it
 *   (dissolved gas diffuses ~ sqrt(D t) ~ 10 um in 0.1 s for D ~ 1e-9 m^2/s, so a region a
 *   few micrometres across is well mixed on scan time scales). No coalescence, no motion,
 *   no dissolution or shrinkage: a bubble only grows.
 * - Boiling: electrolyte whose temperature reaches the boiling threshold (default: the
 *   normal boiling point of the electrolyte's most volatile solvent, solventData.ts) is
 *   vapour at 1 atm. A region with superheated fluid (electrolyte, or gas already there)
 *   nucleates a bubble at its hottest such voxel (first in scan order on ties) holding
 *   n_vap = p V_hot / (R T_site) moles of vapour, V_hot being the superheated fluid volume;
 *   n_vap never decreases (no condensation on cooling).
 * - Radiolysis: each step adds n = G E moles of gas per region, E = sum over voxels of
 *   D rho_e f_e V_voxel, the energy the electrolyte absorbed (D the voxel's dose increment,
 *   taken to be the electrolyte's dose; f_e its electrolyte fraction; rho_e its density).
 *   Gas stays dissolved up to the Henry's-law capacity c_sat V_e (V_e the region's
 *   electrolyte volume). The excess nucleates a bubble at a voxel drawn from the seeded
 *   stream with probability proportional to this step's absorbed energy (by electrolyte
 *   volume when there was no dose this step), or joins the region's existing bubble.
 * - Growth: a bubble of n = n_vap + n_rad moles at the temperature of its centre voxel has
 *   volume V = n R T / p (p = 1 atm fixed, no Laplace pressure) and radius
 *   (3 V / (4 pi))^(1/3). It is inserted (insertBubble) as the gas class, replacing only
 *   electrolyte: in a porous electrode the sphere is nominal and the gas actually stored is
 *   V times the sphere's fluid fraction.
 *
 * Deterministic for a given seed and input sequence. Mutates the volume passed in
 * (labels, secondary, primaryFraction, and classNames when the gas class is appended).
 * Pure module.
 */
import { voxelCentre, voxelCount, type Vec3 } from "../core/grid.js";
import { createRandom, type Random } from "../core/random.js";
import { findMaterialEntry } from "../materials/library.js";
import { MAX_CLASSES, type LabelledVolume } from "../phantoms/scene.js";
import { idealGasMoles, idealGasVolumeM3, sphereRadiusM } from "./idealGas.js";
import { insertBubbleMasked, type VoxelBox } from "./insertBubble.js";
import { boilingThresholdK, RADIOLYTIC_GAS_DEFAULTS } from "./solventData.js";

export interface RadiolysisOptions {
  /** Radiolytic gas yield G, mol of gas per J absorbed by the electrolyte. */
  readonly gasYieldMolPerJ: number;
  /** Henry's-law solubility of that gas in the electrolyte at 1 atm, mol/m^3. */
  readonly solubilityMolPerM3: number;
}

export interface NucleationSiteOptions {
  /** Edge of the cubic nucleation regions, voxels. Default 8. */
  readonly regionEdgeVoxels?: number;
}

export interface BubbleModelOptions {
  /** Class names (in volume.classNames) that are liquid electrolyte. */
  readonly electrolyteClasses: readonly string[];
  /** Class name of bubble gas; appended to classNames when missing. Default "gas". */
  readonly gasClassName?: string;
  /** Seed of the nucleation-site stream. */
  readonly seed: number | string;
  /** Boiling threshold (K) for every electrolyte class. Default per class from solventData. */
  readonly thresholdK?: number;
  /** Radiolytic gas parameters; default RADIOLYTIC_GAS_DEFAULTS ([unverified]); false turns radiolysis off. */
  readonly radiolysis?: RadiolysisOptions | false;
  readonly nucleationSites?: NucleationSiteOptions;
  /** Electrolyte density (kg/m^3) for the absorbed energy. Default from the material library. */
  readonly electrolyteDensityKgM3?: number;
  /** Temperature (K) used when update() gets no temperature map. Default 298.15. */
  readonly ambientTemperatureK?: number;
  /** Sub-samples per voxel edge at bubble surfaces. Default 4. */
  readonly supersampling?: number;
}

export type BubbleCause = "boiling" | "radiolysis";

export interface Bubble {
  /** Voxel (i, j, k) the bubble is centred on. */
  readonly centerVoxel: readonly [number, number, number];
  /** Centre in grid coordinates (m). */
  readonly centerM: Vec3;
  readonly cause: BubbleCause;
  readonly nucleatedAtS: number;
  /** Current nominal radius (m). */
  radiusM: number;
  /** Vapour (boiling) and radiolytic gas held, mol. */
  vapourMol: number;
  radiolyticMol: number;
}

export interface BubbleEvent {
  readonly kind: "nucleated" | "grown";
  /** Index into BubbleModel.bubbles. */
  readonly bubble: number;
  readonly cause: BubbleCause;
  readonly timeS: number;
  readonly centerVoxel: readonly [number, number, number];
  readonly radiusM: number;
  readonly gasMol: number;
  /** What the insertion changed in the labelled volume (rebuild optics within `box`). */
  readonly voxelsChanged: number;
  readonly gasVolumeAddedM3: number;
  readonly box: VoxelBox | null;
}

const DEFAULT_REGION_EDGE = 8;
const DEFAULT_AMBIENT_K = 298.15;

export class BubbleModel {
  readonly volume: LabelledVolume;
  readonly gasLabel: number;
  /** Electrolyte label values, as 0/1 flags indexed by label. */
  readonly electrolyteMask: Uint8Array;
  readonly regionEdgeVoxels: number;
  /** Simulated time so far (s): the sum of update() time steps. */
  timeS = 0;

  private readonly bubbleList: Bubble[] = [];
  private readonly rng: Random;
  private readonly thresholdByLabel = new Float64Array(256).fill(Infinity);
  private readonly densityByLabel = new Float64Array(256);
  private readonly radiolysis: RadiolysisOptions | null;
  /** Lowest boiling threshold of the electrolyte classes: applies to gas-filled voxels. */
  private readonly minThresholdK: number;
  private readonly ambientK: number;
  private readonly supersampling: number;
  private readonly rx: number;
  private readonly ry: number;
  private readonly rz: number;
  /** Per region: dissolved radiolytic gas (mol), bubble index or -1, and per-step sums. */
  private readonly dissolvedMol: Float64Array;
  private readonly regionBubble: Int32Array;
  private readonly fluidVolume: Float64Array;
  private readonly electrolyteVolume: Float64Array;
  private readonly energyJ: Float64Array;
  private readonly hotFluidVolume: Float64Array;
  private readonly hottestK: Float64Array;
  private readonly hottestVoxel: Int32Array;

  constructor(volume: LabelledVolume, options: BubbleModelOptions) {
    this.volume = volume;
    const names = volume.classNames;
    if (options.electrolyteClasses.length === 0) throw new RangeError("electrolyteClasses is empty: name at least one electrolyte class");
    const gasName = options.gasClassName ?? "gas";
    this.electrolyteMask = new Uint8Array(256);
    for (const name of options.electrolyteClasses) {
      const c = names.indexOf(name);
      if (c < 0) throw new RangeError(`electrolyte class "${name}" is not in the volume's classes [${names.join(", ")}]`);
      if (name === gasName) throw new RangeError(`class "${name}" cannot be both electrolyte and gas`);
      this.electrolyteMask[c] = 1;
      this.thresholdByLabel[c] = options.thresholdK ?? boilingThresholdK(name);
      const density = options.electrolyteDensityKgM3 ?? (findMaterialEntry(name)?.densityGcm3 ?? NaN) * 1000;
      if (!(density > 0 && Number.isFinite(density))) {
        throw new RangeError(`no density for electrolyte "${name}" (not in the material library): pass electrolyteDensityKgM3`);
      }
      this.densityByLabel[c] = density;
    }
    if (options.thresholdK !== undefined && !(options.thresholdK > 0 && Number.isFinite(options.thresholdK))) {
      throw new RangeError(`thresholdK must be a positive temperature in K, got ${options.thresholdK}`);
    }
    this.minThresholdK = Math.min(...this.thresholdByLabel);
    let gas = names.indexOf(gasName);
    if (gas < 0) {
      if (names.length >= MAX_CLASSES) throw new RangeError(`cannot add class "${gasName}": the volume already has ${names.length} classes (max ${MAX_CLASSES})`);
      names.push(gasName);
      gas = names.length - 1;
    }
    this.gasLabel = gas;

    const r = options.radiolysis === undefined
      ? { gasYieldMolPerJ: RADIOLYTIC_GAS_DEFAULTS.gasYieldMolPerJ, solubilityMolPerM3: RADIOLYTIC_GAS_DEFAULTS.solubilityMolPerM3 }
      : options.radiolysis;
    if (r !== false) {
      if (!(r.gasYieldMolPerJ >= 0 && Number.isFinite(r.gasYieldMolPerJ))) {
        throw new RangeError(`radiolysis.gasYieldMolPerJ must be finite and >= 0 mol/J, got ${r.gasYieldMolPerJ}`);
      }
      if (!(r.solubilityMolPerM3 >= 0 && Number.isFinite(r.solubilityMolPerM3))) {
        throw new RangeError(`radiolysis.solubilityMolPerM3 must be finite and >= 0 mol/m^3, got ${r.solubilityMolPerM3}`);
      }
    }
    this.radiolysis = r === false ? null : r;

    this.ambientK = options.ambientTemperatureK ?? DEFAULT_AMBIENT_K;
    if (!(this.ambientK > 0 && Number.isFinite(this.ambientK))) throw new RangeError(`ambientTemperatureK must be > 0 K, got ${this.ambientK}`);
    this.supersampling = options.supersampling ?? 4;
    const b = options.nucleationSites?.regionEdgeVoxels ?? DEFAULT_REGION_EDGE;
    if (!Number.isInteger(b) || b < 1) throw new RangeError(`nucleationSites.regionEdgeVoxels must be a whole number >= 1, got ${b}`);
    this.regionEdgeVoxels = b;
    const { nx, ny, nz } = volume.grid;
    this.rx = Math.ceil(nx / b);
    this.ry = Math.ceil(ny / b);
    this.rz = Math.ceil(nz / b);
    const nRegions = this.rx * this.ry * this.rz;
    this.dissolvedMol = new Float64Array(nRegions);
    this.regionBubble = new Int32Array(nRegions).fill(-1);
    this.fluidVolume = new Float64Array(nRegions);
    this.electrolyteVolume = new Float64Array(nRegions);
    this.energyJ = new Float64Array(nRegions);
    this.hotFluidVolume = new Float64Array(nRegions);
    this.hottestK = new Float64Array(nRegions);
    this.hottestVoxel = new Int32Array(nRegions);
    this.rng = createRandom(options.seed);
  }

  /** Bubbles in nucleation order. */
  get bubbles(): readonly Readonly<Bubble>[] {
    return this.bubbleList;
  }

  /** Dissolved radiolytic gas (mol) in each nucleation region, region index rx + nrx (ry + nry rz). */
  get dissolvedGasMol(): Float64Array {
    return this.dissolvedMol;
  }

  /**
   * Advance by one time step. `temperatureK`: temperature of each imaging voxel (the caller
   * maps its thermal grid onto the imaging grid), or null for ambient. `doseIncrementGy`:
   * dose (J/kg) each voxel absorbed during this step, or null for none. Returns what
   * changed, nucleations first in region order, then growth in bubble order.
   */
  update(temperatureK: Float32Array | Float64Array | null, doseIncrementGy: Float32Array | Float64Array | null, dtS: number): BubbleEvent[] {
    const { grid, labels, secondary, primaryFraction } = this.volume;
    const n = voxelCount(grid);
    if (temperatureK !== null && temperatureK.length !== n) {
      throw new RangeError(`temperature map has ${temperatureK.length} values, the volume has ${n} voxels`);
    }
    if (doseIncrementGy !== null && doseIncrementGy.length !== n) {
      throw new RangeError(`dose increment map has ${doseIncrementGy.length} values, the volume has ${n} voxels`);
    }
    if (!(dtS >= 0 && Number.isFinite(dtS))) throw new RangeError(`time step must be finite and >= 0 s, got ${dtS}`);
    this.timeS += dtS;

    const { nx, ny, nz } = grid;
    const b = this.regionEdgeVoxels;
    const voxelVolume = grid.voxelSizeM ** 3;
    const isE = this.electrolyteMask, gas = this.gasLabel;
    const thr = this.thresholdByLabel, rho = this.densityByLabel;
    const yieldMolPerJ = this.radiolysis?.gasYieldMolPerJ ?? 0;
    const useDose = doseIncrementGy !== null && this.radiolysis !== null;
    const minThreshold = this.minThresholdK;
    this.fluidVolume.fill(0);
    this.electrolyteVolume.fill(0);
    this.energyJ.fill(0);
    this.hotFluidVolume.fill(0);
    this.hottestK.fill(-Infinity);
    this.hottestVoxel.fill(-1);

    // One pass over the volume: per-region electrolyte volume, absorbed energy, superheat.
    for (let k = 0; k < nz; k++) {
      const rk = Math.floor(k / b);
      for (let j = 0; j < ny; j++) {
        const regionRow = this.rx * (Math.floor(j / b) + this.ry * rk);
        const rowBase = nx * (j + ny * k);
        for (let i = 0; i < nx; i++) {
          const v = rowBase + i;
          const c1 = labels[v]!, c2 = secondary[v]!;
          const f1 = c1 === c2 ? 1 : primaryFraction[v]!;
          const f2 = 1 - f1;
          let e = 0, g = 0, energy = 0, t = Infinity;
          if (isE[c1] === 1) {
            e += f1;
            t = thr[c1]!;
            energy += rho[c1]! * f1;
          } else if (c1 === gas) g += f1;
          if (c2 !== c1) {
            if (isE[c2] === 1) {
              e += f2;
              if (thr[c2]! < t) t = thr[c2]!;
              energy += rho[c2]! * f2;
            } else if (c2 === gas) g += f2;
          }
          if (e === 0 && g === 0) continue;
          const r = regionRow + Math.floor(i / b);
          this.electrolyteVolume[r] += e * voxelVolume;
          this.fluidVolume[r] += (e + g) * voxelVolume;
          if (useDose) this.energyJ[r] += doseIncrementGy[v]! * energy * voxelVolume;
          if (temperatureK !== null) {
            // Gas voxels count as superheated fluid when hot: they were electrolyte that is now vapour.
            const T = temperatureK[v]!;
            if (e === 0) t = minThreshold;
            if (T >= t) {
              this.hotFluidVolume[r] += (e + g) * voxelVolume;
              if (T > this.hottestK[r]!) {
                this.hottestK[r] = T;
                this.hottestVoxel[r] = v;
              }
            }
          }
        }
      }
    }

    const events: BubbleEvent[] = [];
    const solubility = this.radiolysis?.solubilityMolPerM3 ?? 0;
    const nRegions = this.regionBubble.length;
    for (let r = 0; r < nRegions; r++) {
      this.dissolvedMol[r] += yieldMolPerJ * this.energyJ[r]!;
      const capacity = solubility * this.electrolyteVolume[r]!;
      const excess = this.radiolysis !== null ? this.dissolvedMol[r]! - capacity : 0;
      const hot = this.hotFluidVolume[r]! > 0;
      let bi = this.regionBubble[r]!;
      if (bi < 0) {
        if (!hot && !(excess > 0)) continue;
        const site = hot ? this.hottestVoxel[r]! : this.drawRadiolysisSite(r, doseIncrementGy);
        if (site < 0) continue;
        const i = site % nx, j = Math.floor(site / nx) % ny, k = Math.floor(site / (nx * ny));
        const s = grid.voxelSizeM;
        bi = this.bubbleList.length;
        this.bubbleList.push({
          centerVoxel: [i, j, k],
          centerM: [voxelCentre(nx, i, s), voxelCentre(ny, j, s), voxelCentre(nz, k, s)],
          cause: hot ? "boiling" : "radiolysis",
          nucleatedAtS: this.timeS,
          radiusM: 0,
          vapourMol: 0,
          radiolyticMol: 0,
        });
        this.regionBubble[r] = bi;
      }
      const bubble = this.bubbleList[bi]!;
      if (hot) {
        const nVap = idealGasMoles(this.hotFluidVolume[r]!, this.bubbleTemperature(bubble, temperatureK));
        if (nVap > bubble.vapourMol) bubble.vapourMol = nVap;
      }
      if (excess > 0) {
        bubble.radiolyticMol += excess;
        this.dissolvedMol[r] = capacity;
      }
    }

    // Growth: every bubble's volume at this step's temperature, inserted when it grew.
    for (let bi = 0; bi < this.bubbleList.length; bi++) {
      const bubble = this.bubbleList[bi]!;
      const gasMol = bubble.vapourMol + bubble.radiolyticMol;
      const radius = sphereRadiusM(idealGasVolumeM3(gasMol, this.bubbleTemperature(bubble, temperatureK)));
      if (!(radius > bubble.radiusM)) continue;
      const isNew = bubble.radiusM === 0;
      bubble.radiusM = radius;
      const change = insertBubbleMasked(this.volume, bubble.centerM, radius, gas, isE, this.supersampling);
      events.push({
        kind: isNew ? "nucleated" : "grown",
        bubble: bi,
        cause: bubble.cause,
        timeS: this.timeS,
        centerVoxel: bubble.centerVoxel,
        radiusM: radius,
        gasMol,
        voxelsChanged: change.voxelsChanged,
        gasVolumeAddedM3: change.gasVolumeAddedM3,
        box: change.box,
      });
    }
    return events;
  }


  private bubbleTemperature(bubble: Bubble, temperatureK: Float32Array | Float64Array | null): number {
    if (temperatureK === null) return this.ambientK;
    const [i, j, k] = bubble.centerVoxel;
    const { nx, ny } = this.volume.grid;
    return temperatureK[i + nx * (j + ny * k)]!;
  }

  /**
   * A voxel of region r drawn with probability proportional to the energy its electrolyte
   * absorbed this step (or to its electrolyte fraction when there was no dose); -1 if the
   * region holds no electrolyte.
   */
  private drawRadiolysisSite(r: number, dose: Float32Array | Float64Array | null): number {
    const { grid, labels, secondary, primaryFraction } = this.volume;
    const { nx, ny, nz } = grid;
    const b = this.regionEdgeVoxels;
    const ri = r % this.rx, rj = Math.floor(r / this.rx) % this.ry, rk = Math.floor(r / (this.rx * this.ry));
    const i0 = ri * b, i1 = Math.min(nx, i0 + b), j0 = rj * b, j1 = Math.min(ny, j0 + b), k0 = rk * b, k1 = Math.min(nz, k0 + b);
    const isE = this.electrolyteMask, rho = this.densityByLabel;
    const weightOf = (v: number, byDose: boolean): number => {
      const c1 = labels[v]!, c2 = secondary[v]!;
      const f1 = c1 === c2 ? 1 : primaryFraction[v]!;
      let w = isE[c1] === 1 ? f1 * (byDose ? rho[c1]! : 1) : 0;
      if (c2 !== c1 && isE[c2] === 1) w += (1 - f1) * (byDose ? rho[c2]! : 1);
      return byDose ? w * dose![v]! : w;
    };
    for (const byDose of dose !== null ? [true, false] : [false]) {
      let total = 0;
      for (let k = k0; k < k1; k++) for (let j = j0; j < j1; j++) for (let i = i0; i < i1; i++) total += weightOf(i + nx * (j + ny * k), byDose);
      if (!(total > 0)) continue;
      let u = this.rng.next() * total;
      let last = -1;
      for (let k = k0; k < k1; k++) {
        for (let j = j0; j < j1; j++) {
          for (let i = i0; i < i1; i++) {
            const v = i + nx * (j + ny * k);
            const w = weightOf(v, byDose);
            if (w <= 0) continue;
            last = v;
            u -= w;
            if (u < 0) return v;
          }
        }
      }
      return last;
    }
    return -1;
  }
}
