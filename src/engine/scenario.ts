/**
 * Scenario files: YAML validated by a zod schema, quantities as unit strings parsed with
 * mathjs units. `parseScenario` turns the text into a `Scenario` in SI units (m, rad,
 * keV for photon energy) or throws a ScenarioError listing every problem as
 * `path: expected ..., got ...`.
 */
import { wavelengthM } from "../core/constants.js";
import { parseProtocol, type CyclingProtocol } from "../degradation/protocol.js";
import { formatIssues, parseYamlText, quantity, ValidationError as ScenarioError } from "../core/validation.js";
import { z } from "zod";
import { ANGLE_DEG, DENSITY_GCM3, ENERGY_KEV, HEAT_TRANSFER_WM2K, LENGTH_M, TEMPERATURE_K, TIME_S, VOLTAGE_KV } from "../core/units.js";
import { type GaussianBeam, peakDensityPerPhoton } from "../beam/beamProfile.js";
import { MAX_KVP, MIN_KVP, meanEnergy, tubeSpectrum, type SpectrumLike, type TubeSpectrum } from "../beam/tubeSpectrum.js";
import type { Vec3 } from "../core/grid.js";
import { MAX_ENERGY_KEV, MIN_ENERGY_KEV } from "../materials/elementTable.js";
import { resolveMaterial, type Material } from "../materials/library.js";
import { fresnelScaling } from "../phase/coherence.js";
import type { AnalyticObjectSpec } from "../phantoms/analytic/index.js";
import type { Recipe } from "../phantoms/recipe.js";

/** Scenario problems; the same class as every validation error (src/core/validation.ts). */
export { ValidationError as ScenarioError } from "../core/validation.js";

/** Most voxels a scenario may ask for (about 14 bytes each are held in memory). */
export const MAX_VOXELS = 2 ** 31 - 1;

// ---------------------------------------------------------------- quantity schemas

const positive = (unit: string, scale = 1) => (v: number) =>
  v > 0 ? undefined : `must be positive, got ${v / scale} ${unit}`;

const length = () => quantity(LENGTH_M);
const positiveLength = () => quantity(LENGTH_M, positive("m"));
const nonNegativeLength = () => quantity(LENGTH_M, (v) => (v >= 0 ? undefined : `must not be negative, got ${v} m`));
const angle = () => quantity(ANGLE_DEG).transform((deg) => (deg * Math.PI) / 180);
const vector3 = <T extends z.ZodType<number>>(item: T) =>
  z.tuple([item, item, item], { error: "expected a list of three values [x, y, z]" });

const positiveInt = (what: string, max = Number.MAX_SAFE_INTEGER) =>
  z
    .number({ error: `expected ${what} (a whole number)` })
    .int({ error: `expected ${what} (a whole number)` })
    .min(1, { error: `expected ${what} of at least 1` })
    .max(max, { error: `expected ${what} of at most ${max}` });

const unitVector = z
  .union([z.enum(["x", "y", "z"]), z.tuple([z.number(), z.number(), z.number()])], {
    error: 'expected an axis "x", "y", "z" or a vector [a, b, c]',
  })
  .transform((a, ctx): Vec3 => {
    const v: Vec3 = a === "x" ? [1, 0, 0] : a === "y" ? [0, 1, 0] : a === "z" ? [0, 0, 1] : a;
    const n = Math.hypot(v[0], v[1], v[2]);
    if (!(n > 0)) {
      ctx.addIssue({ code: "custom", message: "expected a non-zero vector", input: a });
      return z.NEVER;
    }
    return [v[0] / n, v[1] / n, v[2] / n];
  });

/** A material: a library name or element symbol, or { formula, density }. */
const materialSpec = z
  .union(
    [
      z.string(),
      z.strictObject({ formula: z.string(), density: quantity(DENSITY_GCM3, positive("g/cm^3")) }),
    ],
    { error: 'expected a material name such as "NMC811" or { formula: "LiNiO2", density: "4.8 g/cm^3" }' },
  )
  .transform((m, ctx): Material => {
    try {
      return typeof m === "string" ? resolveMaterial(m) : { ...resolveMaterial(m.formula, m.density), name: m.formula };
    } catch (e) {
      ctx.addIssue({ code: "custom", message: (e as Error).message, input: m });
      return z.NEVER;
    }
  });

// ---------------------------------------------------------------- objects

const base = { material: materialSpec };
const objectSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("sphere"), ...base, center: vector3(length()), radius: positiveLength() }),
    z.strictObject({
      type: z.literal("ellipsoid"),
      ...base,
      center: vector3(length()),
      radii: vector3(positiveLength()),
      rotation: vector3(angle()).default([0, 0, 0]),
    }),
    z.strictObject({
      type: z.literal("cylinder"),
      ...base,
      center: vector3(length()),
      radius: positiveLength(),
      height: positiveLength(),
      axis: unitVector.default([0, 0, 1]),
    }),
    z.strictObject({
      type: z.literal("box"),
      ...base,
      center: vector3(length()),
      size: vector3(positiveLength()),
      rotation: vector3(angle()).default([0, 0, 0]),
    }),
    z.strictObject({ type: z.literal("halfplane"), ...base, point: vector3(length()), normal: unitVector }),
    z.strictObject({
      type: z.literal("shepp-logan"),
      ...base,
      center: vector3(length()).default([0, 0, 0]),
      scale: positiveLength(),
    }),
    z.strictObject({
      type: z.literal("siemens-star"),
      ...base,
      center: vector3(length()).default([0, 0, 0]),
      radius: positiveLength(),
      spokes: positiveInt("a number of spokes", 1024).min(2, { error: "expected at least 2 spokes" }),
      thickness: positiveLength(),
    }),
  ],
  { error: "expected an object type: sphere, ellipsoid, cylinder, box, halfplane, shepp-logan or siemens-star" },
);

// ---------------------------------------------------------------- the scenario

const scenarioSchema = z.strictObject({
  name: z
    .string({ error: "expected a name (letters, digits, '.', '_' or '-')" })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: "expected a name of letters, digits, '.', '_' or '-' (it names the output file)" }),
  seed: z
    .number({ error: "expected a whole number from 0 to 4294967295" })
    .int({ error: "expected a whole number from 0 to 4294967295" })
    .min(0, { error: "expected a whole number from 0 to 4294967295" })
    .max(2 ** 32 - 1, { error: "expected a whole number from 0 to 4294967295" })
    .default(0),
  sample: z.strictObject({
    voxelSize: positiveLength(),
    shape: z.tuple([positiveInt("nx", 65535), positiveInt("ny", 65535), positiveInt("nz", 65535)], {
      error: "expected [nx, ny, nz] voxels",
    }),
    background: materialSpec.default(() => resolveMaterial("air")),
    supersampling: positiveInt("a supersampling factor", 16).default(4),
    objects: z.array(objectSchema).default([]),
    /** A microstructure recipe (phantoms/*.yaml) generated on this grid, instead of objects. */
    phantom: z.string({ error: 'expected the path of a recipe such as "phantoms/nmc811-cathode.yaml"' }).optional(),
  }),
  beam: z.strictObject({
    energy: quantity(ENERGY_KEV, (e) =>
      e >= MIN_ENERGY_KEV && e <= MAX_ENERGY_KEV ? undefined : `must be between ${MIN_ENERGY_KEV} and ${MAX_ENERGY_KEV} keV, got ${e} keV`,
    ).optional(),
    /** A lab x-ray tube instead of a monochromatic beam (src/beam/tubeSpectrum.ts). */
    spectrum: z
      .strictObject({
        anode: z.enum(["W", "Mo", "Cu", "Ag"], { error: 'expected an anode "W", "Mo", "Cu" or "Ag"' }),
        voltage: quantity(VOLTAGE_KV, (v) => (v >= MIN_KVP && v <= MAX_KVP ? undefined : `must be between ${MIN_KVP} and ${MAX_KVP} kV, got ${v} kV`)),
        takeOffAngle: quantity(ANGLE_DEG).default(12),
        window: quantity(LENGTH_M).default(0.8e-3),
        filters: z.array(z.strictObject({ material: materialSpec, thickness: positiveLength() })).default([]),
      })
      .optional(),
    photonsPerPixel: z
      .number({ error: "expected a number of photons such as 1e4" })
      .positive({ error: "expected a positive number of photons" })
      .finite()
      .optional(),
    /** Photons per second in the beam, spread evenly over beam.size: with scan.exposure, the alternative to photonsPerPixel. */
    flux: z.number({ error: "expected a photon flux in photons per second, e.g. 1e12" }).positive().finite().optional(),
    size: z.tuple([positiveLength(), positiveLength()], { error: 'expected the beam size [width, height], e.g. ["2 mm", "1 mm"]' }).optional(),
    /** A Gaussian beam (src/beam/beamProfile.ts): FWHM [horizontal, vertical] at the sample; photonsPerPixel is then the peak. */
    profile: z
      .strictObject({
        fwhm: z.tuple([positiveLength(), positiveLength()], { error: 'expected the beam FWHM [horizontal, vertical], e.g. ["300 um", "100 um"]' }),
      })
      .optional(),
    /** Monochromator bandwidth, relative FWHM dE/E (e.g. 1e-4 for Si(111), 1e-2 for a multilayer). */
    bandwidth: z.number({ error: "expected a relative bandwidth dE/E such as 0.01" }).min(0).max(0.2).default(0),
    /** Source size (FWHM [horizontal, vertical]) and distance to the sample: the partial coherence that blurs phase contrast. */
    sourceSize: z.tuple([positiveLength(), positiveLength()], { error: 'expected the source FWHM [horizontal, vertical], e.g. ["30 um", "5 um"]' }).optional(),
    sourceDistance: positiveLength().optional(),
    /** Relative change of the incident intensity from the first frame to the last (linear in time). */
    drift: z.number({ error: "expected a relative intensity drift such as -0.02" }).gt(-1).lt(10).default(0),
  }),
  geometry: z.strictObject({
    type: z.enum(["parallel", "cone", "laminography"], { error: 'expected "parallel", "cone" or "laminography"' }),
    /** Cone beam: source to rotation axis, and source to detector. */
    sourceObject: positiveLength().optional(),
    sourceDetector: positiveLength().optional(),
    /** Cone beam: focal-spot size (FWHM), which blurs the projection by its magnified shadow. */
    sourceSize: positiveLength().optional(),
    /** Laminography: tilt of the rotation axis from the detector's vertical towards the beam. */
    tilt: angle().optional(),
    angles: positiveInt("a number of projections", 1_000_000),
    range: angle()
      .default(Math.PI)
      .refine((r) => r > 0 && r <= 2 * Math.PI + 1e-12, { error: "expected a range above 0 and at most 360 deg" }),
    angleOrder: z.enum(["equal", "golden"], { error: 'expected "equal" or "golden"' }).default("equal"),
    centerOffset: z.number({ error: "expected a centre-of-rotation offset in pixels, e.g. 0.5" }).default(0),
  }),
  detector: z.strictObject({
    cols: positiveInt("a number of columns", 65535),
    rows: positiveInt("a number of rows", 65535),
    pixelSize: positiveLength(),
    noise: z.boolean({ error: "expected true or false" }).default(true),
    efficiency: z
      .number({ error: "expected a detection efficiency between 0 and 1" })
      .gt(0, { error: "expected a detection efficiency above 0" })
      .max(1, { error: "expected a detection efficiency of at most 1" })
      .default(1),
    darkCounts: z.number({ error: "expected a mean dark count per pixel, e.g. 0" }).min(0).default(0),
    dtype: z.enum(["auto", "uint16", "float32"], { error: 'expected "auto", "uint16" or "float32"' }).default("auto"),
    /**
     * Sample-detector distance(s) for propagation-based phase contrast (src/phase/): one
     * length, or a list for holotomography (one dataset per distance). 0: contact imaging.
     */
    distance: z.union([z.literal(0), nonNegativeLength(), z.array(nonNegativeLength()).min(1).max(16)], { error: 'expected a distance such as "50 mm" or a list of them' }).default(0),
    /**
     * Cone beam: propagation-based phase contrast over the geometry's own sample-detector
     * distance, sourceDetector - sourceObject (the Fresnel scaling theorem,
     * src/engine/phaseContrast.ts). A parallel beam uses detector.distance instead.
     */
    phaseContrast: z.boolean({ error: "expected true or false" }).default(false),
    /** Sub-pixels per pixel edge of the wavefield grid: "auto" (from the fringe width sqrt(lambda z)) or 1..8. */
    oversampling: z.union([z.literal("auto"), z.number().int().min(1).max(8)], { error: 'expected "auto" or a whole number from 1 to 8' }).default("auto"),
    /** A real detector after the photons (src/acquisition/detectorModel.ts); absent: an ideal photon counter. */
    model: z
      .strictObject({
        scintillator: z
          .strictObject({
            material: z.enum(["LuAG", "GGG", "CdWO4", "CsI", "Gadox"], { error: 'expected a scintillator "LuAG", "GGG", "CdWO4", "CsI" or "Gadox"' }),
            thickness: positiveLength(),
          })
          .optional(),
        gain: z.number({ error: "expected a gain in ADU per absorbed photon" }).positive().default(1),
        psf: z.number({ error: "expected a PSF sigma in pixels" }).min(0).default(0),
        gainNonUniformity: z.number({ error: "expected a relative gain spread such as 0.01" }).min(0).max(1).default(0),
        readNoise: z.number({ error: "expected a read noise in ADU" }).min(0).default(0),
        darkCurrent: z.number({ error: "expected a dark current in ADU per second" }).min(0).default(0),
        exposure: quantity(TIME_S, (t) => (t > 0 ? undefined : `must be positive, got ${t} s`)).default(1),
        offset: z.number({ error: "expected an offset in ADU" }).min(0).default(0),
        bitDepth: z.number({ error: "expected a bit depth from 1 to 24" }).int().min(1).max(24).default(16),
        deadPixels: z.number({ error: "expected a dead-pixel fraction" }).min(0).max(1).default(0),
        zingers: z.number({ error: "expected a zinger probability per pixel and frame" }).min(0).max(1).default(0),
      })
      .optional(),
  }),
  scan: z
    .strictObject({
      flats: z.number({ error: "expected a number of flat fields" }).int().min(0).max(10000).default(10),
      darks: z.number({ error: "expected a number of dark fields" }).int().min(0).max(10000).default(10),
      /** Time per frame; frames are time-stamped one after another (flats, darks, projections). */
      exposure: quantity(TIME_S, (t) => (t > 0 ? undefined : `must be positive, got ${t} s`)).default(1),
      /** When the flat-field sets are taken, and optionally a set every N projections. */
      flatsAt: z.enum(["before", "after", "both"], { error: 'expected "before", "after" or "both"' }).default("before"),
      flatsEvery: z.number({ error: "expected a whole number of projections" }).int().min(1).optional(),
      /** Emit the energy deposited in every voxel by each projection (a `dose` event). */
      dose: z.boolean({ error: "expected true or false" }).default(false),
    })
    .default({ flats: 10, darks: 10, exposure: 1, dose: false, flatsAt: "before" }),
  /**
   * Beam heating (src/thermal/): the thermal domain around the imaged volume and its
   * boundaries. Used by `xtwin plan` and by damage feedback.
   */
  thermal: z
    .strictObject({
      ambient: quantity(TEMPERATURE_K, (t) => (t > 0 ? undefined : `must be above 0 K, got ${t} K`)).default(295.15),
      /** Imaging voxels per thermal cell edge. */
      coarsen: z.number({ error: "expected a whole number of voxels per thermal cell" }).int().min(1).max(64).default(1),
      /** Layers around the imaged volume, inside out (e.g. more electrolyte, then a capillary wall). */
      surroundings: z.array(z.strictObject({ material: materialSpec, thickness: positiveLength() })).default([]),
      /** Outer faces: convection to the ambient (h), or adiabatic. */
      convection: quantity(HEAT_TRANSFER_WM2K, (h) => (h >= 0 ? undefined : `must not be negative, got ${h}`)).default(10),
      /** A face held at a fixed temperature (the holder), e.g. zMin. */
      holder: z
        .strictObject({
          face: z.enum(["xMin", "xMax", "yMin", "yMax", "zMin", "zMax"], { error: "expected a face xMin, xMax, yMin, yMax, zMin or zMax" }),
          temperature: quantity(TEMPERATURE_K).optional(),
        })
        .optional(),
    })
    .optional(),
  /** A cycling protocol: the sample ages (src/degradation/) and is scanned at the given cycles. */
  cycling: z
    .strictObject({
      cycles: z.number({ error: "expected a whole number of cycles" }).int().min(1).max(100000),
      chargeRate: z.union([z.string(), z.number()], { error: 'expected a C-rate such as "1C" or "C/3"' }),
      dischargeRate: z.union([z.string(), z.number()], { error: 'expected a C-rate such as "1C" or "C/3"' }),
      temperature: quantity(TEMPERATURE_K, (t) => (t > 0 ? undefined : `must be above 0 K, got ${t} K`)).default(298.15),
      voltageWindow: z.tuple([z.number(), z.number()], { error: "expected [lower, upper] cut-off voltages in V, e.g. [2.5, 4.2]" }).default([2.5, 4.2]),
      scanAtCycles: z.array(z.number().int().min(0), { error: "expected a list of cycle numbers, e.g. [0, 50, 100]" }).default([0]),
      /** Current that ends the CV phase of the CC-CV charge (default C/20). */
      cvCutoff: z.union([z.string(), z.number()], { error: 'expected a C-rate such as "C/20"' }).optional(),
    })
    .optional(),
  /** Beam damage fed back into the sample (src/damage/). */
  damage: z
    .strictObject({
      bubbles: z.boolean({ error: "expected true or false" }).default(true),
      /** Radiolytic gas can also nucleate bubbles (order-of-magnitude G-value and solubility, src/damage/solventData.ts). */
      radiolysis: z.boolean({ error: "expected true or false" }).default(true),
    })
    .optional(),
  /** Reconstruct (and segment, and score) the dataset after the scan (`xtwin run`). */
  reconstruction: z
    .strictObject({
      algorithm: z.enum(["fbp", "fdk", "sirt", "cgls"], { error: 'expected an algorithm "fbp", "fdk", "sirt" or "cgls"' }).optional(),
      filter: z.enum(["ram-lak", "shepp-logan", "cosine", "hamming", "hann"], { error: 'expected a filter "ram-lak", "shepp-logan", "cosine", "hamming" or "hann"' }).default("shepp-logan"),
      iterations: z.number({ error: "expected a whole number of iterations" }).int().min(1).max(10000).optional(),
      rings: z.boolean({ error: "expected true or false" }).default(false),
      segment: z
        .strictObject({
          classes: z.number({ error: "expected a number of phases" }).int().min(2).max(255),
          instances: z.boolean({ error: "expected true or false" }).default(false),
          phase: z.number({ error: "expected a class index" }).int().min(0).optional(),
          /** Gaussian sigma (voxels) applied before the thresholds. */
          smooth: z.number({ error: "expected a Gaussian sigma in voxels" }).min(0).max(50).default(0),
        })
        .optional(),
    })
    .optional(),
  output: z
    .strictObject({
      formats: z
        .array(z.enum(["dxchange"], { error: 'expected an output format: "dxchange"' }))
        .min(1, { error: "expected at least one output format" })
        .default(["dxchange"]),
    })
    .default({ formats: ["dxchange"] }),
});

type ParsedScenario = z.output<typeof scenarioSchema>;
type ParsedObject = z.output<typeof objectSchema>;

/**
 * A monochromator's band: a Gaussian of relative FWHM dE/E about E0, sampled at 21 energies
 * over +-1.5 FWHM (weights normalised to 1).
 */
export function monochromatorBand(energyKeV: number, bandwidth: number): SpectrumLike {
  const sigma = (bandwidth * energyKeV) / (2 * Math.sqrt(2 * Math.log(2)));
  const n = 21;
  const energies = new Float64Array(n);
  const weights = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = ((i - (n - 1) / 2) / ((n - 1) / 2)) * 1.5 * bandwidth * energyKeV;
    energies[i] = Math.min(MAX_ENERGY_KEV, Math.max(MIN_ENERGY_KEV, energyKeV + x));
    weights[i] = Math.exp(-(x * x) / (2 * sigma * sigma));
    total += weights[i]!;
  }
  for (let i = 0; i < n; i++) weights[i]! /= total;
  return { energyKeV: energies, photons: weights };
}

/** The detector-model keys of a scenario (detector.model), SI units. */
export interface DetectorModelSpec {
  readonly scintillator?: { readonly material: "LuAG" | "GGG" | "CdWO4" | "CsI" | "Gadox"; readonly thickness: number };
  readonly gain: number;
  readonly psf: number;
  readonly gainNonUniformity: number;
  readonly readNoise: number;
  readonly darkCurrent: number;
  readonly exposure: number;
  readonly offset: number;
  readonly bitDepth: number;
  readonly deadPixels: number;
  readonly zingers: number;
}

/** A validated scenario, in SI units (photon energy in keV). */
export interface Scenario {
  readonly name: string;
  readonly seed: number;
  readonly sample: {
    readonly voxelSizeM: number;
    readonly shape: readonly [number, number, number];
    readonly background: Material;
    readonly supersampling: number;
    readonly objects: readonly AnalyticObjectSpec[];
    /** Material of each object, in object order. */
    readonly objectMaterials: readonly Material[];
    /** The microstructure recipe to generate on the grid (sample.phantom), if any. */
    readonly phantom?: Recipe;
  };
  readonly beam: {
    /** The monochromatic energy, or the mean photon energy of the spectrum (keV). */
    readonly energyKeV: number;
    /** Incident photons per pixel per projection (summed over the spectrum), at the start of the scan. */
    readonly photonsPerPixel: number;
    /** Relative change of the incident intensity over the scan (linear in time). */
    readonly drift: number;
    /** The tube spectrum, photons per bin normalised to photonsPerPixel, if the beam is a lab source. */
    readonly spectrum?: TubeSpectrum;
    /** Relative FWHM of a monochromatic beam's band (dE/E). */
    readonly bandwidth: number;
    /** Source FWHM [h, v] (m) and source-sample distance (m), for the partial coherence of phase contrast. */
    readonly source?: { readonly sizeM: readonly [number, number]; readonly distanceM: number };
    /** A Gaussian transverse profile (FWHM at the sample); photonsPerPixel is its peak. Absent: uniform. */
    readonly profile?: GaussianBeam;
    /** The photon energies the projections sum over (tube spectrum or monochromator band); absent: one energy. */
    readonly polychromatic?: SpectrumLike;
  };
  readonly geometry: {
    readonly type: "parallel" | "cone" | "laminography";
    /** Cone beam only (m). */
    readonly sourceObjectM?: number;
    readonly sourceDetectorM?: number;
    /** Cone beam focal-spot FWHM (m). */
    readonly sourceSizeM?: number;
    /** Laminography only (rad). */
    readonly tiltRad?: number;
    readonly angles: number;
    readonly rangeRad: number;
    readonly angleOrder: "equal" | "golden";
    readonly centerOffsetPx: number;
  };
  readonly detector: {
    readonly cols: number;
    readonly rows: number;
    readonly pixelSizeM: number;
    readonly noise: boolean;
    readonly efficiency: number;
    readonly darkCounts: number;
    readonly dtype: "auto" | "uint16" | "float32";
    /** The detector chain after the photons; absent: an ideal photon counter. */
    readonly model?: DetectorModelSpec;
    /**
     * Sample-detector distances (m): [0] for contact imaging; several for holotomography; a
     * cone beam with detector.phaseContrast: [sourceDetector - sourceObject].
     */
    readonly distancesM: readonly number[];
    /** Sub-pixels per pixel edge of the wavefield grid (1 in contact imaging). */
    readonly oversampling: number;
  };
  readonly scan: {
    readonly flats: number;
    readonly darks: number;
    readonly exposureS: number;
    readonly dose: boolean;
    readonly flatsAt: "before" | "after" | "both";
    readonly flatsEvery?: number;
  };
  readonly output: { readonly formats: readonly "dxchange"[] };
  /** The thermal domain and boundaries for beam heating, if given. */
  readonly thermal?: {
    readonly ambientK: number;
    readonly coarsen: number;
    readonly surroundings: readonly { readonly material: Material; readonly thicknessM: number }[];
    readonly convectionWPerM2K: number;
    readonly holder?: { readonly face: "xMin" | "xMax" | "yMin" | "yMax" | "zMin" | "zMax"; readonly temperatureK: number };
  };
  /** The cycling protocol in SI (src/degradation/protocol.ts), if the sample is cycled. */
  readonly cycling?: CyclingProtocol;
  /** Beam damage feedback, if asked for. */
  readonly damage?: { readonly bubbles: boolean; readonly radiolysis: boolean };
  /** Reconstruction, segmentation and scoring after the scan, if asked for. */
  readonly reconstruction?: {
    readonly algorithm: "fbp" | "fdk" | "sirt" | "cgls";
    readonly filter: "ram-lak" | "shepp-logan" | "cosine" | "hamming" | "hann";
    readonly iterations?: number;
    readonly rings: boolean;
    readonly segment?: { readonly classes: number; readonly instances: boolean; readonly phase?: number; readonly smooth: number };
  };
  /** The scenario as written (parsed YAML), for the manifest and the dataset. */
  readonly source: unknown;
}

function objectSpec(o: ParsedObject): AnalyticObjectSpec {
  const material = o.material.name;
  switch (o.type) {
    case "sphere":
      return { type: "sphere", material, center: o.center, radius: o.radius };
    case "ellipsoid":
      return { type: "ellipsoid", material, center: o.center, radii: o.radii, rotation: o.rotation };
    case "cylinder":
      return { type: "cylinder", material, center: o.center, radius: o.radius, height: o.height, axis: o.axis };
    case "box":
      return { type: "box", material, center: o.center, size: o.size, rotation: o.rotation };
    case "halfplane":
      return { type: "halfplane", material, point: o.point, normal: o.normal };
    case "shepp-logan":
      return { type: "shepp-logan", material, center: o.center, scale: o.scale };
    case "siemens-star":
      return { type: "siemens-star", material, center: o.center, radius: o.radius, spokes: o.spokes, thickness: o.thickness };
  }
}

export interface ScenarioOptions {
  /** Reads and validates the recipe a scenario names in sample.phantom (files are the caller's). */
  readonly loadRecipe?: (path: string) => Recipe;
}

/** Validate an already-parsed object (e.g. from YAML or JSON). */
export function validateScenario(raw: unknown, source?: string, options: ScenarioOptions = {}): Scenario {
  const result = scenarioSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    const problems = formatIssues(result.error.issues);
    // A training-data scenario (docs/datasets.md) is not a scan: say which command takes it.
    const isDataset = raw !== null && typeof raw === "object" && "dataset" in raw;
    throw new ScenarioError(
      isDataset ? problems.map((p) => (p === '(top level): unknown key "dataset"' ? "dataset: a training-data scenario; make it with xtwin dataset <scenario> --count N --out DIR" : p)) : problems,
      source,
    );
  }
  const s: ParsedScenario = result.data;
  const problems: string[] = [];
  const [nx, ny, nz] = s.sample.shape;
  if (nx * ny * nz > MAX_VOXELS) {
    problems.push(`sample.shape: ${nx} x ${ny} x ${nz} = ${nx * ny * nz} voxels is more than the ${MAX_VOXELS} allowed`);
  }
  if (s.detector.dtype === "uint16" && (s.beam.photonsPerPixel ?? 0) * s.detector.efficiency + s.detector.darkCounts > 60000) {
    problems.push(
      `detector.dtype: uint16 cannot hold about ${(s.beam.photonsPerPixel ?? 0) * s.detector.efficiency} counts per pixel; use "float32" or "auto"`,
    );
  }
  if (s.detector.model && s.detector.darkCounts > 0) {
    problems.push("detector.darkCounts: with a detector model, give its darkCurrent instead");
  }
  const profile: GaussianBeam | undefined = s.beam.profile ? { fwhmHorizontalM: s.beam.profile.fwhm[0], fwhmVerticalM: s.beam.profile.fwhm[1] } : undefined;
  // Photons per pixel: given, or from the flux spread over the beam's area during one exposure.
  let photonsPerPixel = s.beam.photonsPerPixel ?? 0;
  if ((s.beam.photonsPerPixel === undefined) === (s.beam.flux === undefined)) {
    problems.push("beam: give either photonsPerPixel or a flux with the beam size, not both or neither");
  } else if (s.beam.flux !== undefined) {
    const magnification = s.geometry.type === "cone" && s.geometry.sourceObject && s.geometry.sourceDetector ? s.geometry.sourceDetector / s.geometry.sourceObject : 1;
    const pixelAtSample = s.detector.pixelSize / magnification;
    const pixelArea = pixelAtSample * pixelAtSample;
    if (profile !== undefined) {
      // Photons at the Gaussian's peak: flux t a^2 4 ln 2 / (pi F_h F_v).
      if (s.beam.size === undefined) photonsPerPixel = s.beam.flux * s.scan.exposure * pixelArea * peakDensityPerPhoton(profile);
    } else if (s.beam.size === undefined) problems.push('beam.size: a flux needs the beam size [width, height], e.g. ["2 mm", "1 mm"], or a beam.profile');
    else photonsPerPixel = (s.beam.flux * s.scan.exposure * pixelArea) / (s.beam.size[0] * s.beam.size[1]);
  }
  if (profile !== undefined && s.beam.size !== undefined) problems.push("beam: give either a size (uniform beam) or a profile (Gaussian), not both");
  if (profile !== undefined && s.geometry.type === "cone") problems.push("beam.profile: a Gaussian profile describes a synchrotron beam; a cone beam's tube illuminates the detector evenly");
  if (s.beam.bandwidth > 0 && s.beam.spectrum !== undefined) problems.push("beam.bandwidth: belongs to a monochromatic beam, not a tube spectrum");
  let spectrum: TubeSpectrum | undefined;
  if ((s.beam.energy === undefined) === (s.beam.spectrum === undefined)) {
    problems.push('beam: give either an energy (monochromatic, e.g. "20 keV") or a spectrum (a lab tube), not both or neither');
  } else if (s.beam.spectrum !== undefined) {
    const t = s.beam.spectrum;
    spectrum = tubeSpectrum({
      anode: t.anode,
      kVp: t.voltage,
      takeOffAngleDeg: t.takeOffAngle,
      windowBeMm: t.window * 1e3,
      filters: t.filters.map((f) => ({ material: f.material, thicknessM: f.thickness })),
      totalPhotons: photonsPerPixel || 1,
    });
  }
  const g = s.geometry;
  if (g.type === "cone") {
    if (g.sourceObject === undefined || g.sourceDetector === undefined) {
      problems.push("geometry: a cone beam needs sourceObject and sourceDetector, e.g. 20 mm and 200 mm");
    } else if (!(g.sourceDetector > g.sourceObject)) {
      problems.push(`geometry.sourceDetector: must exceed sourceObject (${g.sourceObject * 1e3} mm), got ${g.sourceDetector * 1e3} mm`);
    }
  } else if (g.sourceObject !== undefined || g.sourceDetector !== undefined || g.sourceSize !== undefined) {
    problems.push(`geometry: sourceObject, sourceDetector and sourceSize belong to a cone beam, not "${g.type}"`);
  }
  if (g.type === "laminography") {
    if (g.tilt === undefined) problems.push("geometry: laminography needs a tilt of the rotation axis, e.g. 30 deg");
    else if (!(g.tilt >= 0 && g.tilt <= Math.PI / 2 + 1e-12)) problems.push(`geometry.tilt: expected 0 to 90 deg, got ${(g.tilt * 180) / Math.PI} deg`);
  } else if (g.tilt !== undefined) {
    problems.push(`geometry: tilt belongs to laminography, not "${g.type}"`);
  }
  // Phase contrast: distances, the wavefield's sub-pixels, what it cannot be combined with yet.
  // A parallel beam propagates over detector.distance; a cone beam, with detector.phaseContrast,
  // over its own sample-detector distance sourceDetector - sourceObject (one distance).
  const written = typeof s.detector.distance === "number" ? [s.detector.distance] : s.detector.distance;
  const coneScaling =
    g.type === "cone" && s.detector.phaseContrast && g.sourceObject !== undefined && g.sourceDetector !== undefined && g.sourceDetector > g.sourceObject
      ? fresnelScaling(g.sourceObject, g.sourceDetector - g.sourceObject)
      : undefined;
  const distancesM = coneScaling !== undefined ? [g.sourceDetector! - g.sourceObject!] : written;
  const propagating = distancesM.some((d) => d > 0);
  const phaseKey = g.type === "cone" ? "detector.phaseContrast" : "detector.distance";
  if (new Set(written).size !== written.length) problems.push(`detector.distance: the distances must differ, got [${written.join(", ")}] m`);
  if (g.type === "cone" && written.some((d) => d > 0)) {
    problems.push("detector.distance: a cone beam propagates over its own sample-detector distance, sourceDetector - sourceObject; for phase contrast set detector.phaseContrast: true");
  }
  if (s.detector.phaseContrast && g.type !== "cone") problems.push(`detector.phaseContrast: belongs to a cone beam; a ${g.type} beam propagates over detector.distance, e.g. "50 mm"`);
  if (propagating && (s.beam.spectrum !== undefined || s.beam.bandwidth > 0)) problems.push(`${phaseKey}: phase contrast is simulated for a monochromatic beam (no spectrum or bandwidth) so far`);
  if ((s.beam.sourceSize === undefined) !== (s.beam.sourceDistance === undefined)) problems.push("beam: sourceSize and sourceDistance go together (the projected source size is size x distance to the detector / sourceDistance)");
  if (coneScaling !== undefined && (s.beam.sourceSize !== undefined || s.beam.sourceDistance !== undefined)) {
    problems.push("beam.sourceSize: a cone beam's source is its focal spot, geometry.sourceSize, at geometry.sourceObject from the axis");
  }
  let oversampling = 1;
  if (propagating) {
    if (s.detector.oversampling === "auto") {
      // Fresnel fringes near an edge are about sqrt(lambda z) wide: sample them with two
      // sub-pixels at least at the shortest distance used.
      const lambda = wavelengthM(s.beam.energy ?? 20);
      if (coneScaling !== undefined) {
        // Cone beam, in the scaling theorem's frame: fringes sqrt(lambda z_eff) wide on the
        // sample plane, where a pixel is pitch / M.
        const { magnification, effectiveDistanceM } = coneScaling;
        oversampling = Math.max(1, Math.min(8, Math.ceil((2 * s.detector.pixelSize) / magnification / Math.sqrt(lambda * effectiveDistanceM))));
      } else {
        const shortest = Math.min(...distancesM.filter((d) => d > 0));
        oversampling = Math.max(1, Math.min(8, Math.ceil((2 * s.detector.pixelSize) / Math.sqrt(lambda * shortest))));
      }
    } else oversampling = s.detector.oversampling;
  }
  if (s.damage?.bubbles && s.thermal === undefined) problems.push("damage: bubbles need the thermal section (the sample's surroundings and boundaries)");
  if (s.damage?.bubbles && propagating) problems.push("damage: beam damage is fed back in absorption scans only so far (no detector.distance)");
  if (s.damage?.bubbles && (s.beam.spectrum !== undefined || s.beam.bandwidth > 0)) problems.push("damage: beam damage is fed back for monochromatic beams only so far");
  let cycling: CyclingProtocol | undefined;
  if (s.cycling !== undefined) {
    try {
      cycling = parseProtocol({ ...s.cycling, temperatureK: s.cycling.temperature, cvCutoffRate: s.cycling.cvCutoff });
    } catch (e) {
      problems.push(`cycling: ${(e as Error).message.replace(/^protocol\./, "")}`);
    }
    if (s.sample.phantom === undefined) problems.push("cycling: the sample must be a microstructure recipe (sample.phantom) for the particles to age");
    const beyond = s.cycling.scanAtCycles.filter((c) => c > s.cycling!.cycles);
    if (beyond.length > 0) problems.push(`cycling.scanAtCycles: ${beyond.join(", ")} beyond the ${s.cycling.cycles} cycles`);
  }
  // Reconstruction: the algorithm that suits the geometry unless one is named.
  let reconstruction: Scenario["reconstruction"];
  if (s.reconstruction !== undefined) {
    const r = s.reconstruction;
    const algorithm = r.algorithm ?? (g.type === "cone" ? "fdk" : "fbp");
    if (algorithm === "fdk" && g.type !== "cone") problems.push(`reconstruction.algorithm: fdk reconstructs cone-beam scans; this one is "${g.type}" (use fbp)`);
    if (algorithm === "fbp" && g.type === "cone") problems.push('reconstruction.algorithm: fbp reconstructs parallel-beam scans; a cone beam needs "fdk"');
    if (distancesM.length > 1) problems.push("reconstruction: a multi-distance (holotomography) scan needs phase retrieval first: xtwin retrieve-phase, then xtwin reconstruct");
    if (r.segment?.phase !== undefined && r.segment.phase >= r.segment.classes) {
      problems.push(`reconstruction.segment.phase: must be a class index below ${r.segment.classes}, got ${r.segment.phase}`);
    }
    reconstruction = {
      algorithm,
      filter: r.filter,
      rings: r.rings,
      ...(r.iterations !== undefined ? { iterations: r.iterations } : {}),
      ...(r.segment ? { segment: { classes: r.segment.classes, instances: r.segment.instances, smooth: r.segment.smooth, ...(r.segment.phase !== undefined ? { phase: r.segment.phase } : {}) } } : {}),
    };
  }
  let phantom: Recipe | undefined;
  if (s.sample.phantom !== undefined) {
    if (s.sample.objects.length > 0) problems.push("sample: give either objects or a phantom, not both");
    if (options.loadRecipe === undefined) {
      problems.push(`sample.phantom: "${s.sample.phantom}" cannot be read here (no file access); run the scenario with xtwin`);
    } else {
      try {
        phantom = options.loadRecipe(s.sample.phantom);
      } catch (e) {
        problems.push(`sample.phantom: ${(e as Error).message.replace(/\n\s*/g, "; ")}`);
      }
    }
  }
  const classes = new Set([s.sample.background.name, ...s.sample.objects.map((o) => o.material.name)]);
  if (classes.size > 255) problems.push(`sample.objects: ${classes.size} materials, at most 255 fit the uint8 labels`);
  if (problems.length > 0) throw new ScenarioError(problems, source);
  return {
    name: s.name,
    seed: s.seed,
    sample: {
      voxelSizeM: s.sample.voxelSize,
      shape: s.sample.shape,
      background: s.sample.background,
      supersampling: s.sample.supersampling,
      objects: s.sample.objects.map(objectSpec),
      objectMaterials: s.sample.objects.map((o) => o.material),
      ...(phantom !== undefined ? { phantom } : {}),
    },
    beam: {
      energyKeV: spectrum ? meanEnergy(spectrum) : s.beam.energy!,
      photonsPerPixel,
      drift: s.beam.drift,
      bandwidth: s.beam.bandwidth,
      ...(profile ? { profile } : {}),
      ...(s.beam.sourceSize && s.beam.sourceDistance ? { source: { sizeM: s.beam.sourceSize, distanceM: s.beam.sourceDistance } } : {}),
      ...(spectrum ? { spectrum, polychromatic: spectrum } : {}),
      ...(!spectrum && s.beam.bandwidth > 0 ? { polychromatic: monochromatorBand(s.beam.energy!, s.beam.bandwidth) } : {}),
    },
    geometry: {
      type: s.geometry.type,
      ...(s.geometry.sourceObject !== undefined ? { sourceObjectM: s.geometry.sourceObject } : {}),
      ...(s.geometry.sourceDetector !== undefined ? { sourceDetectorM: s.geometry.sourceDetector } : {}),
      ...(s.geometry.sourceSize !== undefined ? { sourceSizeM: s.geometry.sourceSize } : {}),
      ...(s.geometry.tilt !== undefined ? { tiltRad: s.geometry.tilt } : {}),
      angles: s.geometry.angles,
      rangeRad: s.geometry.range,
      angleOrder: s.geometry.angleOrder,
      centerOffsetPx: s.geometry.centerOffset,
    },
    detector: {
      cols: s.detector.cols,
      rows: s.detector.rows,
      pixelSizeM: s.detector.pixelSize,
      noise: s.detector.noise,
      efficiency: s.detector.efficiency,
      darkCounts: s.detector.darkCounts,
      dtype: s.detector.dtype,
      ...(s.detector.model ? { model: s.detector.model } : {}),
      distancesM,
      oversampling,
    },
    scan: {
      flats: s.scan.flats,
      darks: s.scan.darks,
      exposureS: s.scan.exposure,
      dose: s.scan.dose,
      flatsAt: s.scan.flatsAt,
      ...(s.scan.flatsEvery !== undefined ? { flatsEvery: s.scan.flatsEvery } : {}),
    },
    output: s.output,
    ...(reconstruction ? { reconstruction } : {}),
    ...(s.thermal
      ? {
          thermal: {
            ambientK: s.thermal.ambient,
            coarsen: s.thermal.coarsen,
            surroundings: s.thermal.surroundings.map((l) => ({ material: l.material, thicknessM: l.thickness })),
            convectionWPerM2K: s.thermal.convection,
            ...(s.thermal.holder ? { holder: { face: s.thermal.holder.face, temperatureK: s.thermal.holder.temperature ?? s.thermal.ambient } } : {}),
          },
        }
      : {}),
    ...(s.damage ? { damage: { bubbles: s.damage.bubbles, radiolysis: s.damage.radiolysis } } : {}),
    ...(cycling ? { cycling } : {}),
    source: raw,
  };
}

/** Parse and validate scenario YAML text; `source` names the file in messages. */
export function parseScenario(text: string, source?: string, options: ScenarioOptions = {}): Scenario {
  const raw = parseYamlText(text, source);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ScenarioError(["(top level): expected a mapping of keys (name, sample, beam, geometry, detector, ...)"], source);
  }
  return validateScenario(raw, source, options);
}

/** The scenario with every value resolved, as `xtwin check` prints it (plain data, SI units). */
export function resolvedScenarioSummary(s: Scenario): Record<string, unknown> {
  return {
    name: s.name,
    seed: s.seed,
    sample: {
      voxelSizeM: s.sample.voxelSizeM,
      shape: s.sample.shape,
      background: s.sample.background.name,
      supersampling: s.sample.supersampling,
      objects: s.sample.objects,
      ...(s.sample.phantom ? { phantom: s.sample.phantom.name } : {}),
    },
    beam: {
      energyKeV: s.beam.energyKeV,
      photonsPerPixel: s.beam.photonsPerPixel,
      drift: s.beam.drift,
      ...(s.beam.profile ? { profile: s.beam.profile } : {}),
      ...(s.beam.spectrum
        ? { spectrum: { anode: s.beam.spectrum.anode, kVp: s.beam.spectrum.kVp, bins: s.beam.spectrum.energyKeV.length, meanEnergyKeV: s.beam.energyKeV } }
        : {}),
    },
    geometry: { ...s.geometry, rangeDeg: (s.geometry.rangeRad * 180) / Math.PI },
    detector: s.detector,
    scan: s.scan,
    output: s.output,
    ...(s.reconstruction ? { reconstruction: s.reconstruction } : {}),
    ...(s.thermal ? { thermal: { ...s.thermal, surroundings: s.thermal.surroundings.map((l) => ({ material: l.material.name, thicknessM: l.thicknessM })) } } : {}),
    ...(s.damage ? { damage: s.damage } : {}),
  };
}
