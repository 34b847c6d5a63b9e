/**
 * The 3-D Shepp-Logan head phantom: ten ellipsoids in a cube [-1, 1]^3.
 *
 * Geometry: Kak & Slaney, Principles of Computerized Tomographic Imaging, IEEE Press 1988,
 * Table 3.3 (p. 102): centre (x, y, z), semi-axes (A, B, C) along the ellipsoid's own
 * x', y', z axes, and a rotation beta of the x' axis about z, counter-clockwise from +x
 * (the same convention as their 2-D Table 3.1, whose ellipse d, A = 0.41 at beta = 108 deg,
 * is the familiar tilted left ventricle).
 *
 * Intensities: Kak & Slaney's grey levels (2, -0.98, -0.02, ...) leave the brain at a
 * contrast of 2% that no display shows. The "modified" phantom raises the contrast the way
 * Toft did for 2-D (P. Toft, The Radon Transform: Theory and Implementation, PhD thesis,
 * DTU 1996, pp. 199-200: skull 1, brain -0.8, small features x10). For the 3-D table the
 * modified values are those of Yu, Ye & Wang, "Katsevich-type algorithms for variable
 * radius spiral cone-beam CT", Proc. SPIE 5535 (2004) 550-557, which keep Kak & Slaney's
 * signs (Toft's 2-D list does not map one-to-one onto the 3-D ellipsoids: the 3-D table has
 * two ellipsoids at z = 0.625 that the 2-D one lacks). With these values every sum of
 * overlapping intensities lies in [0, 1].
 */

export interface SheppLoganEllipsoid {
  /** Kak & Slaney's letter. */
  readonly label: string;
  /** Centre (x, y, z) in phantom units ([-1, 1]^3). */
  readonly center: readonly [number, number, number];
  /** Semi-axes (A, B, C) along x', y', z. */
  readonly semiAxes: readonly [number, number, number];
  /** Rotation of x' about z from +x, counter-clockwise (degrees). */
  readonly betaDeg: number;
  /** Additive intensity, modified (Yu, Ye & Wang 2004). */
  readonly intensity: number;
}

/** Index 0 is the skull's outer surface: outside it the phantom is absent. */
export const SHEPP_LOGAN_3D: readonly SheppLoganEllipsoid[] = [
  { label: "a", center: [0, 0, 0], semiAxes: [0.69, 0.92, 0.9], betaDeg: 0, intensity: 1.0 },
  { label: "b", center: [0, 0, 0], semiAxes: [0.6624, 0.874, 0.88], betaDeg: 0, intensity: -0.8 },
  { label: "c", center: [-0.22, 0, -0.25], semiAxes: [0.41, 0.16, 0.21], betaDeg: 108, intensity: -0.2 },
  { label: "d", center: [0.22, 0, -0.25], semiAxes: [0.31, 0.11, 0.22], betaDeg: 72, intensity: -0.2 },
  { label: "e", center: [0, 0.35, -0.25], semiAxes: [0.21, 0.25, 0.5], betaDeg: 0, intensity: 0.2 },
  { label: "f", center: [0, 0.1, -0.25], semiAxes: [0.046, 0.046, 0.046], betaDeg: 0, intensity: 0.2 },
  { label: "g", center: [-0.08, -0.65, -0.25], semiAxes: [0.046, 0.023, 0.02], betaDeg: 0, intensity: 0.1 },
  { label: "h", center: [0.06, -0.65, -0.25], semiAxes: [0.046, 0.023, 0.02], betaDeg: 90, intensity: 0.1 },
  { label: "i", center: [0.06, -0.105, 0.625], semiAxes: [0.056, 0.04, 0.1], betaDeg: 90, intensity: 0.2 },
  { label: "j", center: [0, 0.1, 0.625], semiAxes: [0.056, 0.056, 0.1], betaDeg: 0, intensity: -0.2 },
];
