/**
 * Ideal-gas relations for bubble gas at fixed pressure: p V = n R T
 * (any physical chemistry text, e.g. P. Atkins & J. de Paula, Physical Chemistry, 9th ed.,
 * OUP 2010, sec. 1A). Pure module.
 */
import { ATMOSPHERE_PA, GAS_CONSTANT_J_PER_MOL_K } from "./solventData.js";

function check(name: string, value: number, unit: string): void {
  if (!(value >= 0 && Number.isFinite(value))) throw new RangeError(`${name} must be finite and >= 0, got ${value} ${unit}`);
}

function checkPositive(name: string, value: number, unit: string): void {
  if (!(value > 0 && Number.isFinite(value))) throw new RangeError(`${name} must be finite and > 0, got ${value} ${unit}`);
}

/** Volume (m^3) of `moles` of ideal gas at `temperatureK` and `pressurePa` (default 1 atm). */
export function idealGasVolumeM3(moles: number, temperatureK: number, pressurePa = ATMOSPHERE_PA): number {
  check("gas amount", moles, "mol");
  checkPositive("temperature", temperatureK, "K");
  checkPositive("pressure", pressurePa, "Pa");
  return (moles * GAS_CONSTANT_J_PER_MOL_K * temperatureK) / pressurePa;
}

/** Moles of ideal gas filling `volumeM3` at `temperatureK` and `pressurePa` (default 1 atm). */
export function idealGasMoles(volumeM3: number, temperatureK: number, pressurePa = ATMOSPHERE_PA): number {
  check("gas volume", volumeM3, "m^3");
  checkPositive("temperature", temperatureK, "K");
  checkPositive("pressure", pressurePa, "Pa");
  return (pressurePa * volumeM3) / (GAS_CONSTANT_J_PER_MOL_K * temperatureK);
}

/** Radius (m) of the sphere of volume `volumeM3`: r = (3 V / (4 pi))^(1/3). */
export function sphereRadiusM(volumeM3: number): number {
  check("sphere volume", volumeM3, "m^3");
  return Math.cbrt((3 * volumeM3) / (4 * Math.PI));
}
