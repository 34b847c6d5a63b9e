/**
 * Voxel masses and absorbed dose.
 *
 * Absorbed dose is energy imparted per unit mass, D = dE / dm, in gray (1 Gy = 1 J/kg)
 * (ICRU Report 85, "Fundamental quantities and units for ionizing radiation", J. ICRU 11(1)
 * (2011), doi:10.1093/jicru/ndr011). Here dE is the energy a voxel receives (J, from the
 * deposition walks) and dm its mass.
 *
 * A labelled voxel holds two classes (phantoms/scene.ts): primary fraction f of class a and
 * 1 - f of class b, so its density is f rho_a + (1 - f) rho_b (volume fractions, no excess
 * volume of mixing) and its mass that times the voxel volume s^3.
 *
 * Pure module.
 */
import type { Material } from "../materials/library.js";
import type { LabelledVolume } from "../phantoms/scene.js";

/** g/cm^3 to kg/m^3. */
const GCM3_TO_KGM3 = 1000;

/**
 * Density (kg/m^3) of each class, from its material; `null` is vacuum (density 0: its
 * voxels have no mass and get dose 0 from `absorbedDoseGy`).
 */
export function classDensitiesKgM3(classMaterials: readonly (Material | null)[]): Float64Array {
  return Float64Array.from(classMaterials, (m) => (m === null ? 0 : m.densityGcm3 * GCM3_TO_KGM3));
}

/**
 * Mass (kg) of every voxel: (f rho_label + (1 - f) rho_secondary) s^3, with f the primary
 * fraction, rho from `densityKgM3PerClass` (kg/m^3, >= 0; one per class) and s the voxel edge.
 */
export function voxelMassKg(volume: LabelledVolume, densityKgM3PerClass: Float64Array, voxelSizeM: number): Float32Array {
  if (!(voxelSizeM > 0 && Number.isFinite(voxelSizeM))) {
    throw new RangeError(`voxel size must be a positive length in metres, got ${voxelSizeM}`);
  }
  const classes = volume.classNames.length;
  if (densityKgM3PerClass.length !== classes) {
    throw new RangeError(`need one density per class: ${classes} classes (${volume.classNames.join(", ")}), got ${densityKgM3PerClass.length} densities`);
  }
  for (let k = 0; k < classes; k++) {
    const rho = densityKgM3PerClass[k]!;
    if (!(rho >= 0 && Number.isFinite(rho))) {
      throw new RangeError(`density of class ${k} (${volume.classNames[k]}) must be a finite number >= 0 kg/m^3, got ${rho}`);
    }
  }
  const { labels, secondary, primaryFraction } = volume;
  checkLabels(volume);
  const v3 = voxelSizeM * voxelSizeM * voxelSizeM;
  const out = new Float32Array(labels.length);
  for (let v = 0; v < labels.length; v++) {
    const f = primaryFraction[v]!;
    out[v] = (f * densityKgM3PerClass[labels[v]!]! + (1 - f) * densityKgM3PerClass[secondary[v]!]!) * v3;
  }
  return out;
}

/**
 * Absorbed dose (Gy = J/kg) per voxel: depositedJ / massKg. Voxels of zero mass (vacuum,
 * or any class of density 0) get 0 Gy: nothing there can absorb, and the deposition walks
 * put no energy there either (mu = 0). Writes into `out` when given (may be `depositedJ`
 * itself), else a new array.
 */
export function absorbedDoseGy(depositedJ: Float32Array, massKg: Float32Array, out?: Float32Array): Float32Array {
  const n = depositedJ.length;
  if (massKg.length !== n) throw new RangeError(`deposited energy has ${n} voxels but the mass ${massKg.length}; they must match`);
  const o = out ?? new Float32Array(n);
  if (o.length !== n) throw new RangeError(`output holds ${o.length} voxels, needs ${n}`);
  for (let v = 0; v < n; v++) {
    const m = massKg[v]!;
    o[v] = m > 0 ? depositedJ[v]! / m : 0;
  }
  return o;
}

/** Every label and secondary label must name a class (one pass, before the hot loops). */
export function checkLabels(volume: LabelledVolume): void {
  const { labels, secondary, primaryFraction, classNames } = volume;
  const n = labels.length;
  if (secondary.length !== n || primaryFraction.length !== n) {
    throw new RangeError(`labelled volume arrays differ in length: labels ${n}, secondary ${secondary.length}, primaryFraction ${primaryFraction.length}`);
  }
  let max = 0;
  for (let v = 0; v < n; v++) {
    const a = labels[v]!, b = secondary[v]!;
    if (a > max) max = a;
    if (b > max) max = b;
  }
  if (n > 0 && max >= classNames.length) {
    throw new RangeError(`label ${max} found but the volume has only ${classNames.length} classes (${classNames.join(", ")})`);
  }
}
