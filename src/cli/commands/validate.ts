/**
 * `xtwin validate --truth <run dir | .h5> --recon <file.h5 | .tif> [--seg <seg.h5>] [--json]`:
 * score a reconstruction (any tool's: xtwin, TomoPy, ASTRA, written to HDF5 or a TIFF
 * stack) and optionally a segmentation against the ground truth of an xtwin dataset.
 *
 * Truth: /truth/mu, /truth/labels (with classNames) and /truth/instances of the run's
 * DXchange file (or a phantom.h5). The reconstruction must be on the truth's grid (same
 * shape; same voxel size when both record it), as `xtwin reconstruct` makes it.
 * JSON keys: rmse, psnr, ssim (reconstruction, 1/m and dB), dice and iou by class name,
 * instances {precision, recall, f1, ap} when both sides have instances, plus the details.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { NumericArray } from "../../io/hdf5.js";
import { readVolume, type VolumeData } from "../../io/volumeFile.js";
import { applyClassMapping, mapClasses } from "../../scoring/classMapping.js";
import { scoreReconstruction, scoreSegmentation } from "../../scoring/validate.js";
import { fourierShellCorrelation } from "../../scoring/fsc.js";
import { mtfCrossing } from "../../scoring/edgeMtf.js";
import { formatTable, sig } from "../format.js";
import { UsageError } from "../usageError.js";

export interface ValidateOptions {
  truth?: string;
  recon?: string;
  seg?: string;
  json?: boolean;
}

/** The truth of a run directory (its dataset .h5) or of an .h5 file. */
export function truthFile(path: string): string {
  if (!existsSync(path)) throw new UsageError(`--truth: no such file or directory: ${path}`);
  if (!statSync(path).isDirectory()) return path;
  const h5 = readdirSync(path).filter((f) => f.endsWith(".h5") && !/^(recon|seg)/.test(f)).sort();
  if (h5.length === 0) throw new UsageError(`--truth: ${path} holds no dataset .h5 file`);
  if (h5.length > 1) throw new UsageError(`--truth: ${path} holds several .h5 files (${h5.join(", ")}); name the one with the truth`);
  return join(path, h5[0]!);
}

export interface TruthVolumes {
  readonly path: string;
  readonly shape: { nx: number; ny: number; nz: number };
  readonly voxelSizeM: number | null;
  readonly mu: Float32Array | null;
  readonly labels: Uint8Array;
  readonly classNames: string[];
  readonly instances: Int32Array | null;
}

async function optionalVolume(path: string, dataset: string): Promise<VolumeData | null> {
  try {
    return await readVolume(path, dataset);
  } catch (e) {
    if (e instanceof RangeError && /no volume dataset/.test(e.message)) return null;
    throw e;
  }
}

function toFloat32(a: NumericArray): Float32Array {
  if (a instanceof Float32Array) return a;
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Number(a[i]!);
  return out;
}

function toInt32(a: NumericArray): Int32Array {
  if (a instanceof Int32Array) return a;
  const out = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Number(a[i]!);
  return out;
}

export async function readTruth(path: string): Promise<TruthVolumes> {
  const file = truthFile(path);
  const labels = await optionalVolume(file, "truth/labels");
  if (labels === null) throw new UsageError(`--truth: ${file} has no /truth/labels (is it an xtwin dataset or phantom.h5?)`);
  const mu = await optionalVolume(file, "truth/mu");
  const instances = await optionalVolume(file, "truth/instances");
  const classNames = labels.classNames ?? [];
  let maxLabel = 0;
  for (const v of labels.data as Uint8Array) if (v > maxLabel) maxLabel = v;
  while (classNames.length <= maxLabel) classNames.push(`class${classNames.length}`);
  return {
    path: file,
    shape: { nx: labels.nx, ny: labels.ny, nz: labels.nz },
    voxelSizeM: labels.voxelSizeM,
    mu: mu === null ? null : toFloat32(mu.data),
    labels: labels.data instanceof Uint8Array ? labels.data : Uint8Array.from(labels.data as ArrayLike<number>),
    classNames,
    instances: instances === null ? null : toInt32(instances.data),
  };
}

function checkSameGrid(v: VolumeData, truth: TruthVolumes, what: string): void {
  const { nx, ny, nz } = truth.shape;
  if (v.nx !== nx || v.ny !== ny || v.nz !== nz) {
    throw new UsageError(`${what}: volume is ${v.nx}x${v.ny}x${v.nz} (x,y,z), the truth ${nx}x${ny}x${nz}; reconstruct on the truth's grid`);
  }
  if (v.voxelSizeM !== null && truth.voxelSizeM !== null && Math.abs(v.voxelSizeM / truth.voxelSizeM - 1) > 1e-6) {
    throw new UsageError(`${what}: voxel size ${v.voxelSizeM} m differs from the truth's ${truth.voxelSizeM} m`);
  }
}

export interface ValidationReport {
  truth: string;
  rmse?: number;
  psnr?: number;
  ssim?: number;
  meanError?: number;
  dataRange?: number;
  /**
   * Resolution against the truth: the first frequency where the Fourier shell correlation of
   * the reconstruction with the true mu falls to 0.5, the reference-map form of the 0.143
   * criterion (P. B. Rosenthal, R. Henderson, J. Mol. Biol. 333 (2003) 721,
   * doi:10.1016/j.jmb.2003.07.013); resolutionM = 1 / f (full period). Null if it never falls.
   */
  resolution?: { fscThreshold: number; frequencyPerVoxel: number | null; resolutionM: number | null };
  dice?: Record<string, number>;
  iou?: Record<string, number>;
  accuracy?: number;
  volumeFractionError?: Record<string, number>;
  classMapping?: { method: string; segmentedToTruth: string[] };
  instances?: { precision: number; recall: number; f1: number; ap: number; ap50: number; ap75: number; nTrue: number; nPred: number };
  sizeDistribution?: { wasserstein1M: number; meanDiameterTrueM: number; meanDiameterPredM: number };
}

/** Score a reconstruction and/or a segmentation against the truth (see the module comment). */
export async function validate(truthPath: string, reconPath?: string, segPath?: string): Promise<ValidationReport> {
  const truth = await readTruth(truthPath);
  const shape = truth.shape;
  const report: ValidationReport = { truth: truth.path };
  if (reconPath !== undefined) {
    if (truth.mu === null) throw new UsageError(`--truth: ${truth.path} has no /truth/mu to score a reconstruction against`);
    const recon = await readVolume(reconPath);
    checkSameGrid(recon, truth, "--recon");
    const recon32 = toFloat32(recon.data);
    const s = scoreReconstruction(recon32, truth.mu, shape);
    Object.assign(report, { rmse: s.rmse, psnr: s.psnr, ssim: s.ssim, meanError: s.meanError, dataRange: s.dataRange });
    const curve = fourierShellCorrelation(recon32, truth.mu, shape);
    const f = mtfCrossing(curve.frequency, curve.fsc, 0.5);
    report.resolution = {
      fscThreshold: 0.5,
      frequencyPerVoxel: Number.isFinite(f) ? f : null,
      resolutionM: Number.isFinite(f) && truth.voxelSizeM !== null ? truth.voxelSizeM / f : null,
    };
  }
  if (segPath !== undefined) {
    const classes = await readVolume(segPath, "segmentation/classes");
    checkSameGrid(classes, truth, "--seg");
    const pred = classes.data instanceof Uint8Array ? classes.data : Uint8Array.from(classes.data as ArrayLike<number>);
    let predClasses = 0;
    for (const v of pred) if (v + 1 > predClasses) predClasses = v + 1;
    const m = mapClasses(pred, Math.max(1, predClasses), truth.labels, truth.classNames.length, truth.mu);
    const mapped = applyClassMapping(pred, m.mapping);
    const predInstances = await optionalVolume(segPath, "segmentation/instances");
    const withInstances = predInstances !== null && truth.instances !== null;
    const s = scoreSegmentation(
      mapped,
      truth.labels,
      truth.classNames,
      withInstances ? toInt32(predInstances.data) : undefined,
      withInstances ? truth.instances! : undefined,
      truth.voxelSizeM ?? undefined,
    );
    Object.assign(report, {
      dice: s.dice,
      iou: s.iou,
      accuracy: s.accuracy,
      volumeFractionError: s.volumeFractionError,
      classMapping: { method: m.method, segmentedToTruth: Array.from(m.mapping, (t) => truth.classNames[t]!) },
    });
    if (s.instances) {
      const i = s.instances;
      report.instances = { precision: i.precision, recall: i.recall, f1: i.f1, ap: i.ap, ap50: i.ap50, ap75: i.ap75, nTrue: i.nTrue, nPred: i.nPred };
    }
    if (s.sizeDistribution) {
      const d = s.sizeDistribution;
      report.sizeDistribution = { wasserstein1M: d.wasserstein1M, meanDiameterTrueM: d.meanDiameterTrue, meanDiameterPredM: d.meanDiameterPred };
    }
  }
  return report;
}

/** The report as text: one block per score family. */
export function formatValidation(r: ValidationReport): string {
  const lines: string[] = [`truth: ${r.truth}`];
  if (r.rmse !== undefined) {
    lines.push(
      `reconstruction: RMSE ${sig(r.rmse)} 1/m, PSNR ${sig(r.psnr!)} dB, SSIM ${sig(r.ssim!)}, mean error ${sig(r.meanError!)} 1/m (data range ${sig(r.dataRange!)} 1/m)`,
    );
    const res = r.resolution;
    if (res !== undefined) {
      lines.push(
        res.frequencyPerVoxel === null
          ? "resolution: the FSC with the truth stays above 0.5 to Nyquist"
          : `resolution: FSC with the truth falls to 0.5 at ${sig(res.frequencyPerVoxel, 3)} cycles/voxel` +
            (res.resolutionM !== null ? ` (${sig(res.resolutionM * 1e6, 3)} um full period)` : ""),
      );
    }
  }
  if (r.dice !== undefined) {
    lines.push(`segmentation: accuracy ${sig(r.accuracy!)}; classes mapped by ${r.classMapping!.method}: ${r.classMapping!.segmentedToTruth.map((t, k) => `${k}->${t}`).join(", ")}`);
    const names = Object.keys(r.dice);
    lines.push(formatTable(["class", "Dice", "IoU", "volume fraction error"], names.map((n) => [n, sig(r.dice![n]!), sig(r.iou![n]!), sig(r.volumeFractionError![n]!)]), 1));
  }
  if (r.instances !== undefined) {
    const i = r.instances;
    lines.push(`instances: ${i.nPred} found, ${i.nTrue} true; precision ${sig(i.precision)}, recall ${sig(i.recall)}, F1 ${sig(i.f1)} (IoU >= 0.5); AP ${sig(i.ap)} (AP50 ${sig(i.ap50)}, AP75 ${sig(i.ap75)})`);
  }
  if (r.sizeDistribution !== undefined) {
    const d = r.sizeDistribution;
    lines.push(`particle sizes: Wasserstein-1 ${sig(d.wasserstein1M * 1e6)} um; mean equivalent diameter ${sig(d.meanDiameterPredM * 1e6)} um found vs ${sig(d.meanDiameterTrueM * 1e6)} um true`);
  }
  return lines.join("\n");
}

export async function validateCommand(o: ValidateOptions): Promise<string> {
  if (o.truth === undefined) throw new UsageError("validate: --truth <run dir or .h5> is required");
  if (o.recon === undefined && o.seg === undefined) throw new UsageError("validate: give --recon <file> and/or --seg <file> to score");
  for (const [flag, p] of [["--recon", o.recon], ["--seg", o.seg]] as const) {
    if (p !== undefined && !existsSync(p)) throw new UsageError(`${flag}: no such file: ${p}`);
  }
  const report = await validate(o.truth, o.recon, o.seg);
  return o.json ? JSON.stringify(report, null, 2) : formatValidation(report);
}
