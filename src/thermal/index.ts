/** Beam heating: thermal grid and properties, domain embedding, transient and steady conduction. */
export * from "./thermalGrid.js";
export * from "./domain.js";
export * from "./conductionOperator.js";
export * from "./pcg.js";
export * from "./heatSolver.js";
