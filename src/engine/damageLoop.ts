/**
 * Beam damage fed back into the sample while it is scanned (scenario `damage` with a
 * `thermal` section): after every exposure the energy it deposited (narrow-beam model,
 * src/acquisition/polychromatic.ts) heats the thermal domain (src/thermal/) for the
 * exposure's duration, the temperature and the dose increment go to the bubble model
 * (src/damage/bubbles.ts), and bubbles it nucleates or grows are written into the labelled
 * volume as the gas class; the attenuation map is updated in place inside the changed box,
 * so the following projections see them. projections -> dose -> heat -> damage -> sample.
 *
 * Simplifications (docs/dose.md, "Beam damage"): the gas is air at 1 atm for its optics;
 * the thermal properties are not updated when gas replaces electrolyte; the sample is
 * heated only while the beam is on (frames back to back, no read-out pause).
 */
import type { ProjectionGeometry } from "../acquisition/geometry.js";
import { depositedEnergy, muEnPerClass } from "../acquisition/polychromatic.js";
import type { VolumeGrid } from "../core/grid.js";
import { BubbleModel, type BubbleEvent } from "../damage/bubbles.js";
import { findElectrolyteSolvents } from "../damage/solventData.js";
import { classDensitiesKgM3, voxelMassKg } from "../dose/mass.js";
import { resolveMaterial, type Material } from "../materials/library.js";
import { materialOptics } from "../materials/optics.js";
import { attenuationMap, type LabelledVolume } from "../phantoms/scene.js";
import { thermalBoundaries } from "../planning/tolerance.js";
import { embedField, embedInDomain, sampleField, type EmbeddedDomain } from "../thermal/domain.js";
import { HeatSolver } from "../thermal/heatSolver.js";
import { coarsenPower, spreadCellsToVoxels, thermalCellCount, thermalProperties } from "../thermal/thermalGrid.js";
import type { Scenario } from "./scenario.js";

/** Sub-steps of one exposure for the heat solver: geometric, so the fast rise is resolved. */
const SUBSTEPS = 4;

export class DamageLoop {
  readonly bubbles: BubbleModel;
  private readonly solver: HeatSolver;
  private readonly domain: EmbeddedDomain;
  private readonly deposit: Float32Array;
  private readonly powerW: Float64Array;
  private readonly mass: Float32Array;
  private readonly doseIncrement: Float32Array;
  private readonly voxelTemperature: Float32Array;
  private readonly cellTemperature: Float64Array;
  private readonly cellPower: Float64Array;
  private readonly domainPower: Float64Array;
  private muPerClass: Float64Array;

  constructor(
    private readonly s: Scenario,
    private readonly volume: LabelledVolume,
    private readonly classMaterials: Material[],
    private readonly grid: VolumeGrid,
    private readonly mu: Float32Array,
    private readonly geometry: ProjectionGeometry,
  ) {
    const t = s.thermal!;
    const props = thermalProperties(volume.labels, grid, classMaterials, t.coarsen);
    this.domain = embedInDomain(props.grid, props, t.surroundings.map((l) => ({ material: l.material, thicknessM: l.thicknessM, faces: "all" as const })));
    this.solver = new HeatSolver(this.domain.grid, this.domain.properties, thermalBoundaries(s), t.ambientK, { tolerance: 1e-8 });
    const n = volume.labels.length;
    this.deposit = new Float32Array(n);
    this.powerW = new Float64Array(n);
    this.mass = voxelMassKg(volume, classDensitiesKgM3(classMaterials), grid.voxelSizeM);
    this.doseIncrement = new Float32Array(n);
    this.voxelTemperature = new Float32Array(n);
    this.cellTemperature = new Float64Array(this.domain.sampleCells.length);
    this.cellPower = new Float64Array(this.domain.sampleCells.length);
    this.domainPower = new Float64Array(thermalCellCount(this.domain.grid));
    this.muPerClass = Float64Array.from(classMaterials, (m) => materialOptics(m, s.beam.energyKeV).mu);
    const electrolytes = volume.classNames.filter((c) => findElectrolyteSolvents(c) !== undefined);
    this.bubbles = new BubbleModel(volume, {
      electrolyteClasses: electrolytes,
      seed: s.seed,
      ambientTemperatureK: t.ambientK,
      ...(s.damage?.radiolysis === false ? { radiolysis: false as const } : {}),
    });
  }

  /** Whether the sample holds a liquid electrolyte that can boil. */
  get active(): boolean {
    return this.volume.classNames.some((c) => findElectrolyteSolvents(c) !== undefined);
  }

  /** Peak temperature of the sample cells (K) now. */
  get peakTemperatureK(): number {
    let max = -Infinity;
    for (const c of this.domain.sampleCells) max = Math.max(max, this.solver.temperatureK[c]!);
    return max;
  }

  /**
   * One exposure of projection `index` lasting `exposureS` with `photonsPerPixel`: deposit,
   * heat, bubbles; returns the bubble events (the volume and mu already updated).
   */
  expose(index: number, exposureS: number, photonsPerPixel: number, profile?: Float32Array): BubbleEvent[] {
    const { grid } = this;
    this.deposit.fill(0);
    depositedEnergy(this.mu, this.muEnMap(), grid, this.geometry, index, photonsPerPixel, this.s.beam.energyKeV, this.deposit, profile);
    for (let v = 0; v < this.deposit.length; v++) {
      this.powerW[v] = this.deposit[v]! / exposureS;
      const m = this.mass[v]!;
      this.doseIncrement[v] = m > 0 ? this.deposit[v]! / m : 0;
    }
    const f = this.s.thermal!.coarsen;
    // Per-projection buffers are reused: a scan exposes hundreds of times.
    const power = embedField(this.domain, coarsenPower(this.powerW, grid, f, this.cellPower), 0, this.domainPower);
    // Geometric sub-steps 1 : 2 : 4 : 8 of the exposure.
    const total = (1 << SUBSTEPS) - 1;
    for (let k = 0; k < SUBSTEPS; k++) this.solver.step((exposureS * (1 << k)) / total, power);
    sampleField(this.domain, this.solver.temperatureK, this.cellTemperature);
    spreadCellsToVoxels(this.cellTemperature, grid, f, this.voxelTemperature);
    const events = this.bubbles.update(this.voxelTemperature, this.doseIncrement, exposureS);
    if (events.length > 0) this.refreshMu(events);
    return events;
  }

  private muEnCache: Float32Array | undefined;
  private muEnClasses = 0;

  /** mu_en per voxel (1/m), rebuilt when the class list grew (gas appended). */
  muEnMap(): Float32Array {
    const names = this.volume.classNames;
    if (this.muEnCache === undefined || this.muEnClasses !== names.length) {
      this.muEnCache = attenuationMap(this.volume, muEnPerClass(names.map((_, c) => this.materialOf(c)), this.s.beam.energyKeV));
      this.muEnClasses = names.length;
    }
    return this.muEnCache;
  }

  /** The material of class c: the scenario's, or air for the bubble gas. */
  private materialOf(c: number): Material {
    return this.classMaterials[c] ?? resolveMaterial("air");
  }

  /** mu (and mu_en) inside the boxes the bubbles changed. */
  private refreshMu(events: readonly BubbleEvent[]): void {
    const names = this.volume.classNames;
    if (this.muPerClass.length !== names.length) {
      this.muPerClass = Float64Array.from(names, (_, c) => materialOptics(this.materialOf(c), this.s.beam.energyKeV).mu);
      this.muEnCache = undefined;
    }
    const { nx, ny } = this.grid;
    const { labels, secondary, primaryFraction } = this.volume;
    for (const e of events) {
      const b = e.box;
      if (b === null) continue;
      for (let k = b.k0; k <= b.k1; k++) for (let j = b.j0; j <= b.j1; j++) for (let i = b.i0; i <= b.i1; i++) {
        const v = i + nx * (j + ny * k);
        const fr = primaryFraction[v]!;
        this.mu[v] = fr * this.muPerClass[labels[v]!]! + (1 - fr) * this.muPerClass[secondary[v]!]!;
      }
    }
    this.muEnCache = undefined;
  }
}
