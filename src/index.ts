/** xtwin's public API: a flat set of functions over plain values and typed arrays. */
export * from "./core/constants.js";
export * from "./core/units.js";
export * from "./materials/elements.js";
export * from "./materials/elementTable.js";
export * from "./materials/formula.js";
export * from "./materials/composition.js";
export * from "./materials/library.js";
export type * from "./materials/materialEntry.js";
export * from "./materials/optics.js";
export * from "./materials/contrastEnergy.js";
