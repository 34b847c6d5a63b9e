/**
 * The typed events of a run. A run is an rxjs Observable of these; stages are operators
 * and sinks (writers, progress display, event printer) subscribe.
 */
import type { ProjectionGeometry } from "../acquisition/geometry.js";
import type { VolumeGrid } from "../core/grid.js";
import type { LabelledVolume } from "../phantoms/scene.js";
import type { Scenario } from "./scenario.js";
import type { Microstructure } from "../phantoms/microstructure/types.js";
import type { BubbleEvent } from "../damage/bubbles.js";

export interface StartEvent {
  readonly type: "start";
  readonly scenario: Scenario;
  readonly geometry: ProjectionGeometry;
  /** Projection angles (degrees), in acquisition order. */
  readonly anglesDeg: Float64Array;
  /** Sample storage type of the counts the writers should use. */
  readonly dtype: "uint16" | "float32";
}

export interface PhantomEvent {
  readonly type: "phantom";
  readonly grid: VolumeGrid;
  readonly volume: LabelledVolume;
  /** Linear attenuation coefficient per voxel at the beam energy (1/m). */
  readonly mu: Float32Array;
  /** mu (1/m) of each class, index = label. */
  readonly muPerClass: Float64Array;
  /** The microstructure (instances, grains, particle table) when the sample is a recipe. */
  readonly microstructure?: Microstructure;
  /** Lithium concentration per voxel (mol/m^3), when the sample was cycled. */
  readonly lithiumMolPerM3?: Float32Array;
}

/** One detector frame: counts per pixel, [row][col]. */
export interface FrameEvent {
  readonly type: "flat" | "dark" | "projection";
  readonly index: number;
  /** Rotation angle (degrees) for projections; NaN for flats and darks. */
  readonly angleDeg: number;
  /** Start of the exposure (s) from the start of the scan, and its length. */
  readonly timeS: number;
  readonly exposureS: number;
  readonly counts: Float32Array;
  /** Holotomography: which sample-detector distance (index into detector.distancesM) a projection is at. */
  readonly distanceIndex?: number;
}

/** Energy the beam left in the sample during one projection (scan.dose). */
export interface DoseEvent {
  readonly type: "dose";
  readonly index: number;
  readonly timeS: number;
  readonly exposureS: number;
  /** Energy deposited per voxel (J), [z][y][x]; not kept after the event. */
  readonly depositedJ: Float32Array;
  /** Totals over the volume (J): deposited, sent, and leaving unattenuated. */
  readonly totalDepositedJ: number;
  readonly incidentJ: number;
  readonly transmittedJ: number;
}

export interface ProgressEvent {
  readonly type: "progress";
  readonly stage: "phantom" | "flats" | "darks" | "projections";
  readonly done: number;
  readonly total: number;
}

/** Beam damage after the exposures of one projection angle (scenario `damage`). */
export interface DamageEvent {
  readonly type: "damage";
  readonly index: number;
  /** End of the exposures (s from the start of the scan). */
  readonly timeS: number;
  /** Hottest thermal cell of the sample (K). */
  readonly peakTemperatureK: number;
  /** Bubbles nucleated or grown in this step (already written into the sample). */
  readonly bubbles: readonly BubbleEvent[];
}

/** Something the user should know about the physics or the sampling (printed, not fatal). */
export interface WarningEvent {
  readonly type: "warning";
  readonly message: string;
}

export interface ArtifactEvent {
  readonly type: "artifact";
  /** What the file holds: "dxchange", "manifest". */
  readonly kind: string;
  readonly path: string;
}

export interface DoneEvent {
  readonly type: "done";
  readonly outputs: readonly string[];
}

export type SimEvent = StartEvent | PhantomEvent | FrameEvent | DoseEvent | DamageEvent | ProgressEvent | WarningEvent | ArtifactEvent | DoneEvent;
