/**
 * Multislice propagation through a thick sample (J. M. Cowley and A. F. Moodie, Acta Cryst.
 * 10 (1957) 609, doi:10.1107/S0365110X57002194; for X-rays e.g. K. Li, M. Wojcik and C.
 * Jacobsen, Opt. Express 25 (2017) 1831, doi:10.1364/OE.25.001831): the volume is cut into
 * slabs normal to the beam; the wave is multiplied by each slab's projection-approximation
 * transmission exp(-k B - i k D) (D, B its delta and beta integrals over the slab) and then
 * propagated in free space over the slab's thickness to the next one. Diffraction inside the
 * sample, which the projection approximation neglects, is thus included; it matters when the
 * sample's thickness T is not small against its depth of field, T lambda / a^2 >~ 0.1
 * (see projectionApproximationWarning in sampling.ts).
 *
 * Geometry (for simplicity): the beam runs along +z of the volume, a unit plane wave enters
 * at the face k = 0, and the result is the field on the x-y plane of the exit face
 * (z = +nz s / 2), or further downstream by detectorDistanceM; pixels are the voxels' x-y
 * columns (pitch voxelSizeM).
 */
import { checkGrid, type VolumeGrid } from "../core/grid.js";
import { fresnelPropagate, type PropagationOptions } from "./fresnel.js";
import { wavelengthM } from "./wave.js";

export interface MultisliceOptions extends PropagationOptions {
  /** Free-space distance from the volume's exit face to the detector (m), default 0. */
  detectorDistanceM?: number;
  /** Voxel layers per slab (default 1: every voxel layer is a slice). */
  voxelsPerSlice?: number;
}

/**
 * Propagates a unit plane wave along +z through the volume (delta and beta per voxel, index
 * i + nx (j + ny k)) at energyKeV; returns the interleaved complex field (nx x ny) at the exit
 * face plus options.detectorDistanceM.
 */
export function multislicePropagate(
  deltaVolume: Float32Array,
  betaVolume: Float32Array,
  grid: VolumeGrid,
  energyKeV: number,
  options: MultisliceOptions = {},
): Float64Array {
  checkGrid(grid);
  const { nx, ny, nz, voxelSizeM: s } = grid;
  const n = nx * ny * nz;
  if (deltaVolume.length !== n || betaVolume.length !== n) {
    throw new RangeError(`delta and beta volumes must hold ${nx} x ${ny} x ${nz} = ${n} voxels, got ${deltaVolume.length} and ${betaVolume.length}`);
  }
  const perSlice = options.voxelsPerSlice ?? 1;
  if (!(Number.isInteger(perSlice) && perSlice >= 1)) throw new RangeError(`voxelsPerSlice must be a positive integer, got ${perSlice}`);
  const detectorDistanceM = options.detectorDistanceM ?? 0;
  if (!Number.isFinite(detectorDistanceM)) throw new RangeError(`detector distance must be a finite number of metres, got ${detectorDistanceM}`);
  const lambda = wavelengthM(energyKeV);
  const k = (2 * Math.PI) / lambda;
  const area = nx * ny;
  let field: Float64Array = new Float64Array(2 * area);
  for (let p = 0; p < area; p++) field[2 * p] = 1;
  const dInt = new Float64Array(area);
  const bInt = new Float64Array(area);
  for (let k0 = 0; k0 < nz; k0 += perSlice) {
    const k1 = Math.min(nz, k0 + perSlice);
    dInt.fill(0);
    bInt.fill(0);
    for (let kz = k0; kz < k1; kz++) {
      const base = area * kz;
      for (let p = 0; p < area; p++) {
        dInt[p] = dInt[p]! + deltaVolume[base + p]!;
        bInt[p] = bInt[p]! + betaVolume[base + p]!;
      }
    }
    // Transmission of the slab, applied at its entrance: exp(-k s sum beta - i k s sum delta).
    for (let p = 0; p < area; p++) {
      const amplitude = Math.exp(-k * s * bInt[p]!);
      const phase = -k * s * dInt[p]!;
      const c = amplitude * Math.cos(phase);
      const d = amplitude * Math.sin(phase);
      const re = field[2 * p]!, im = field[2 * p + 1]!;
      field[2 * p] = re * c - im * d;
      field[2 * p + 1] = re * d + im * c;
    }
    // Free space to the next slab; after the last one on to the detector in the same step.
    const distance = (k1 - k0) * s + (k1 === nz ? detectorDistanceM : 0);
    field = fresnelPropagate(field, nx, ny, s, lambda, distance, options);
  }
  return field;
}
