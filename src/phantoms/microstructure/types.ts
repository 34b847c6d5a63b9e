/**
 * Contracts of the electrode-microstructure generators: particles as geometry, and the
 * labelled voxel volume they become.
 *
 * Frame: the sample frame of src/core/grid.ts (origin at the volume centre, metres). The
 * electrode stack is layered along z (through-plane); x and y are in-plane and periodic for
 * packing, so particles that cross an in-plane face reappear on the opposite face.
 */
import type { Vec3, VolumeGrid } from "../../core/grid.js";

import type { Mat3 } from "../../core/rotation.js";

/** 3x3 rotation, row-major, body frame to sample frame: the one of src/core/rotation.ts. */
export type { Mat3 };

export type ParticleKind = "active" | "impurity";

/** One particle of a packing: an ellipsoid (a sphere when the semi-axes are equal). */
export interface Particle {
  /** Instance id, 1-based, unique in the microstructure (0 means "no particle"). */
  readonly id: number;
  /** Class (material) name the particle is made of, e.g. "NMC811". */
  readonly material: string;
  readonly kind: ParticleKind;
  /** Centre (m), sample frame. */
  readonly center: Vec3;
  /** Semi-axes a, b, c (m) along the body axes. */
  readonly semiAxes: Vec3;
  /** Body-to-sample rotation. */
  readonly rotation: Mat3;
  /** Number of primary grains (Voronoi cells) inside; 1 = monolithic. */
  readonly grainCount: number;
  /** Volume fraction of internal pores (filled with the electrolyte / pore class), 0-1. */
  readonly internalPorosity: number;
  /** Pre-cracked: grain boundaries open as cracks (filled with the pore class). */
  readonly cracked: boolean;
  /** Agglomerate id shared by particles placed as one cluster; 0 when not in one. */
  readonly agglomerate: number;
}

/** A packing inside a slab: x and y periodic, z bounded by [zMin, zMax]. */
export interface Packing {
  readonly particles: Particle[];
  /** Box in which centres live (m); x, y periodic with period max - min. */
  readonly box: { readonly min: Vec3; readonly max: Vec3 };
  /** Largest pair overlap left, as a fraction of the smaller particle's equivalent radius. */
  readonly maxOverlap: number;
  /** Iterations the rearrangement took. */
  readonly iterations: number;
}

/** Per-particle ground-truth row (particles.csv). */
export interface ParticleRecord {
  readonly id: number;
  readonly material: string;
  readonly kind: ParticleKind;
  readonly center: Vec3;
  readonly semiAxes: Vec3;
  /** Diameter of the sphere of equal voxel volume (m). */
  readonly equivalentDiameterM: number;
  /** Voxel-counted volume (m^3). */
  readonly volumeM3: number;
  readonly grainCount: number;
  readonly cracked: boolean;
  readonly agglomerate: number;
}

/** A labelled microstructure: what `xtwin phantom` writes and a scenario can image. */
export interface Microstructure {
  readonly grid: VolumeGrid;
  /** Class names, index = label value. Each must resolve to a material (library name or a recipe material). */
  readonly classNames: string[];
  /** Class per voxel (uint8), x fastest. */
  readonly labels: Uint8Array;
  /** Particle instance id per voxel (0 = none). */
  readonly instances: Uint32Array;
  /**
   * Grain index within the voxel's particle (1..grainCount; 0 = none). The global grain id
   * is grainOffsets[instance] + localGrains[v]: kept local so a voxel costs 6 bytes, not 9.
   */
  readonly localGrains: Uint8Array;
  /** Per instance id (index = id): global grain ids of that particle start after this. */
  readonly grainOffsets: Uint32Array;
  readonly particles: ParticleRecord[];
}

/** Voxel layers [k0, k1) along z: an electrode layer, the region a statistic covers. */
export interface ZRange {
  /** First voxel layer (inclusive). */
  readonly k0: number;
  /** Last voxel layer (exclusive). */
  readonly k1: number;
}
