/**
 * Spatial-resolution measures of a reconstruction: the edge MTF (ISO 12233 / Samei et al.
 * 1998) and the Fourier ring/shell correlation with van Heel & Schatz's half-bit threshold.
 * One import for all; the methods live in edgeMtf.ts, slantedEdge.ts and fsc.ts.
 */
export { edgeMtf, mtfCrossing, resolutionFromMtf10, type EdgeMtfOptions, type MtfCurve } from "./edgeMtf.js";
export { slantedEdgeEsf, type SlantedEdgeEsf } from "./slantedEdge.js";
export { fourierShellCorrelation, halfBitThreshold, resolutionFromFsc, type FscCurve, type FscResolution } from "./fsc.js";
