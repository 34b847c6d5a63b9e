/**
 * `xtwin retrieve-phase <in.h5> [more.h5 ...] --out <out.h5> --method paganin|ctf|iterative
 * [--delta-beta R | --material NAME] [--alpha A] [--iterations N]`: phase retrieval of
 * propagation-based phase-contrast scans (src/phase/retrieval.ts), one projection at a time.
 *
 * Inputs: DXchange scans of the same sample and angles, one per sample-detector distance
 * (xtwin writes `<name>_<k>.h5` for holotomography), each flat/dark corrected with its own
 * flats and darks; the distance is each file's detector distance, the energy and sample-plane
 * pixel size the first file's.
 * Output: a DXchange file whose /exchange/data (float32, units "dimensionless line
 * integral") feeds `xtwin reconstruct` directly: with a delta/beta, the attenuation-
 * equivalent line integral (its reconstruction is mu in 1/m, comparable with the truth);
 * CTF without delta/beta, the phase line integral -phi = k integral(delta) (its
 * reconstruction is k delta in rad/m). Geometry, angles and truth are copied from the first
 * input.
 */
import { type DxchangeFile, DxchangeWriter, readDxchange } from "../../io/dxchange.js";
import { resolveMaterial } from "../../materials/library.js";
import { materialOptics } from "../../materials/optics.js";
import { ctfRetrieve, iterativeRetrieve, paganinLineIntegral, phaseToLineIntegral } from "../../phase/retrieval.js";
import { fresnelScaling } from "../../phase/coherence.js";
import type { FlatFieldCorrector } from "../../reconstruction/preprocess.js";
import { flatFieldCorrectorOf, LINE_INTEGRAL_UNITS, projectionFrame } from "../../reconstruction/fromDataset.js";
import { XTWIN_VERSION } from "../../version.js";
import { sig } from "../format.js";
import { UsageError } from "../usageError.js";

export interface RetrievePhaseOptions {
  out?: string;
  method?: string;
  deltaBeta?: string;
  material?: string;
  alpha?: string;
  iterations?: string;
}

const METHODS = ["paganin", "ctf", "iterative"] as const;
type Method = (typeof METHODS)[number];

function corrector(file: DxchangeFile): FlatFieldCorrector {
  const c = flatFieldCorrectorOf(file);
  if (c === null) throw new UsageError(`${file.path}: no flat fields to normalise the intensities`);
  return c;
}

function positive(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!(v > 0 && Number.isFinite(v))) throw new UsageError(`${flag}: expected a positive number, got "${text}"`);
  return v;
}

export async function retrievePhaseCommand(inputs: string[], o: RetrievePhaseOptions, log: (line: string) => void = () => undefined): Promise<string> {
  if (o.out === undefined) throw new UsageError("retrieve-phase: --out <out.h5> is required");
  const method = (o.method ?? (inputs.length > 1 ? "ctf" : "paganin")) as Method;
  if (!METHODS.includes(method)) throw new UsageError(`--method: expected one of ${METHODS.join(", ")}, got "${o.method}"`);
  if (method === "paganin" && inputs.length !== 1) throw new UsageError(`--method paganin: one scan at one distance, got ${inputs.length} files (use ctf or iterative for several distances)`);
  if (o.deltaBeta !== undefined && o.material !== undefined) throw new UsageError("give --delta-beta or --material, not both");
  const alphaGiven = positive(o.alpha, "--alpha");
  const iterations = positive(o.iterations, "--iterations") ?? 20;
  const files = await Promise.all(inputs.map((p) => readDxchange(p)));
  try {
    const first = files[0]!;
    const energyKeV = first.energyKeV;
    if (energyKeV === null) throw new UsageError(`${first.path}: no photon energy (/measurement/instrument/monochromator/energy)`);
    const pixel = first.samplePixelSizeM?.x ?? first.pixelSizeM?.x;
    if (pixel === undefined) throw new UsageError(`${first.path}: no pixel size (/measurement/instrument/detector/pixel_size_x)`);
    for (const f of files) {
      if (f.nAngles !== first.nAngles || f.nRows !== first.nRows || f.nCols !== first.nCols) {
        throw new UsageError(`${f.path}: ${f.nAngles} projections of ${f.nRows} x ${f.nCols}, ${first.path} has ${first.nAngles} of ${first.nRows} x ${first.nCols}`);
      }
    }
    files.forEach((f) => {
      const z = f.sampleDetectorDistanceM ?? 0;
      if (!(z > 0)) throw new UsageError(`${f.path}: sample-detector distance is ${z} m; phase retrieval needs a propagation distance`);
    });
    // Propagation distances on the sample plane: a cone beam's image is the plane-wave image
    // at z_eff = z1 z2 / (z1 + z2), magnified (Fresnel scaling theorem, Paganin 2006 sec. 2.5),
    // and the pixel used is the sample-plane one (actual_pixel_size = pitch / M).
    const distances = files.map((f) => (f.sourceSampleDistanceM !== null ? fresnelScaling(f.sourceSampleDistanceM, f.sampleDetectorDistanceM!).effectiveDistanceM : f.sampleDetectorDistanceM!));
    let deltaOverBeta = positive(o.deltaBeta, "--delta-beta");
    if (o.material !== undefined) {
      const m = materialOptics(resolveMaterial(o.material), energyKeV);
      deltaOverBeta = m.delta / m.beta;
    }
    if (method === "paganin" && deltaOverBeta === undefined) throw new UsageError("--method paganin needs --delta-beta R or --material NAME");
    // Default regularisation: 1e-3 of the CTF's smallest low-frequency denominator, which is
    // about 1 for the joint phase/absorption fit but 4 M (beta/delta)^2 for a homogeneous
    // object (docs/phase-contrast.md): a fixed alpha would swamp high delta/beta materials.
    const alpha = alphaGiven ?? (deltaOverBeta !== undefined ? 1e-3 * 4 * files.length / (deltaOverBeta * deltaOverBeta) : 1e-3);
    const { nAngles: n, nRows: rows, nCols: cols } = first;
    const size = rows * cols;
    const correctors = files.map(corrector);
    const theta = first.theta;
    if (theta === null) throw new UsageError(`${first.path}: no /exchange/theta`);
    const geometry = first.readGeometry();
    const truth = first.readTruth();

    const writer = await DxchangeWriter.open(o.out, { nAngles: n, nRows: rows, nCols: cols, nFlat: 0, nDark: 0, dtype: "float32", dataUnits: LINE_INTEGRAL_UNITS, title: "phase_retrieved_tomography" });
    try {
      writer.writeTheta(theta);
      writer.writeInstrument({ energyKeV, pixelSizeXM: first.pixelSizeM?.x ?? pixel, pixelSizeYM: first.pixelSizeM?.y ?? pixel, samplePixelSizeXM: pixel, samplePixelSizeYM: pixel, sampleDetectorDistanceM: distances[0]! });
      writer.writeSample({ name: first.sampleName ?? "sample", description: `phase retrieved (${method}) from ${inputs.length} distance(s)` });
      writer.writeProcess({
        softwareVersion: XTWIN_VERSION,
        scenario: { phaseRetrieval: { method, inputs, distancesM: distances, deltaOverBeta: deltaOverBeta ?? null, alpha, iterations }, acquisition: first.readScenario() },
      });
      if (geometry !== null && (geometry.type === "parallel3d_vec" || geometry.type === "cone_vec")) writer.writeGeometry({ type: geometry.type, vectors: geometry.vectors });
      if (truth !== null && truth.mu !== null && truth.voxelSizeM !== null && truth.shape.length === 3) {
        const [nz, ny, nx] = truth.shape as [number, number, number];
        writer.writeTruth({
          grid: { nx, ny, nz, voxelSizeM: truth.voxelSizeM },
          labels: Uint8Array.from(truth.labels as ArrayLike<number>),
          classNames: truth.classNames,
          mu: Float32Array.from(truth.mu as ArrayLike<number>),
          energyKeV: truth.energyKeV ?? energyKeV,
          ...(truth.fraction ? { fraction: Float32Array.from(truth.fraction as ArrayLike<number>) } : {}),
          ...(truth.secondary ? { secondary: Uint8Array.from(truth.secondary as ArrayLike<number>) } : {}),
          ...(truth.instances ? { instances: Uint32Array.from(truth.instances as ArrayLike<number>) } : {}),
        });
      }
      const images = files.map(() => new Float32Array(size));
      const out = new Float32Array(size);
      let lastQuarter = -1;
      for (let i = 0; i < n; i++) {
        files.forEach((f, k) => correctors[k]!.transmission(i, projectionFrame(f, i), images[k]!));
        let p: Float64Array;
        if (method === "paganin") {
          p = paganinLineIntegral(images[0]!, cols, rows, { pixelSizeM: pixel, distanceM: distances[0]!, deltaOverBeta: deltaOverBeta!, energyKeV });
        } else {
          const common = { pixelSizeM: pixel, distancesM: distances, energyKeV, alpha, ...(deltaOverBeta !== undefined ? { deltaOverBeta } : {}) };
          const ctf = ctfRetrieve(images, cols, rows, common);
          // The iterative method refines the CTF solution (a good start for strong objects).
          const phase = method === "ctf" ? ctf.phase
            : iterativeRetrieve(images, cols, rows, { pixelSizeM: pixel, distancesM: distances, energyKeV, iterations, initial: { phase: ctf.phase, absorption: ctf.absorption } }).phase;
          p = deltaOverBeta !== undefined ? phaseToLineIntegral(phase, deltaOverBeta) : Float64Array.from(phase, (v) => -v);
        }
        for (let q = 0; q < size; q++) out[q] = p[q]!;
        writer.writeProjection(i, out);
        const quarter = Math.floor((4 * (i + 1)) / n);
        if (quarter !== lastQuarter) {
          lastQuarter = quarter;
          log(`retrieve-phase (${method}): ${i + 1}/${n}`);
        }
      }
      writer.close();
    } catch (e) {
      writer.abort();
      throw e;
    }
    const clamped = correctors.reduce((sum, c) => sum + c.clamped, 0);
    return [
      `wrote ${o.out}: ${n} projections of ${rows} x ${cols}, ${method} at ${distances.map((z) => `${sig(z * 1e3)} mm`).join(", ")}, ` +
        (deltaOverBeta !== undefined ? `delta/beta ${sig(deltaOverBeta)}: attenuation-equivalent line integrals (reconstruct to mu, 1/m)` : "phase line integrals -phi (reconstruct to k delta, rad/m)"),
      ...(clamped > 0 ? [`${clamped} pixels clamped at the transmission floor`] : []),
      `next: xtwin reconstruct ${o.out} --out recon.h5`,
    ].join("\n");
  } finally {
    for (const f of files) f.close();
  }
}
