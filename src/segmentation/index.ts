/** Segmentation: thresholds, labelling, distance transform, morphology, watershed. */
export * from "./shape.js";
export * from "./otsu.js";
export * from "./labelling.js";
export * from "./distanceTransform.js";
export * from "./morphology.js";
export * from "./smoothing.js";
export * from "./markers.js";
export * from "./watershed.js";
export * from "./cleanup.js";
export * from "./segmentVolume.js";
