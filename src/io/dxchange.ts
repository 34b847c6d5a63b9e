/**
 * DXchange (Scientific Data Exchange, HDF5) writer and reader, in the layout TomoPy / dxchange /
 * tomopy-cli / tomocupy read.
 *
 * Spec followed: the DXfile reference, https://dxfile.readthedocs.io (sources: github.com/data-exchange/dxfile,
 * doc/source/xraytomo.rst, reference.rst, appendix.rst). Units are SI unless a `units` attribute
 * says otherwise; angles are in degrees ("degree"); the coordinate system is CXI's: z along the
 * beam pointing downstream, y up, x horizontal (right-handed), origin where the beam meets the sample.
 *
 * Layout written (every dataset carries a `units` attribute where it has units):
 *
 *   /implements                                          "exchange:measurement:process"
 *   /exchange/data          [angle][row][col]  uint16|float32, chunk = 1 projection, @axes "theta:y:x"
 *   /exchange/data_white    [nFlat][row][col]  same dtype (omitted when nFlat = 0)
 *   /exchange/data_dark     [nDark][row][col]  same dtype (omitted when nDark = 0)
 *   /exchange/theta         [angle] float64, @units "degree"
 *   /measurement/instrument/name                                  (optional)
 *   /measurement/instrument/monochromator/energy        float64, @units "keV"
 *   /measurement/instrument/detector/pixel_size_x|_y    float64, @units "m" (physical pixel pitch)
 *   /measurement/instrument/detector/actual_pixel_size_x|_y  float64 m, pixel size at the sample plane (optional)
 *   /measurement/instrument/detector/dimension_x|_y     int32 (columns, rows)
 *   /measurement/instrument/detector/exposure_time      float64 s (optional)
 *   /measurement/instrument/detector/geometry/translation/distances  [0,0,d] m (sample-detector distance d)
 *   /measurement/instrument/source/geometry/translation/distances    [0,0,-s] m (source-sample distance s, optional)
 *   facility convention read by tomopy-cli / tomocupy (APS 2-BM/32-ID layouts), redundant with the above:
 *   /measurement/instrument/detector_motor_stack/setup/z              d in mm, @units "mm"
 *   /measurement/instrument/detection_system/objective/resolution     sample-plane pixel size in microns, @units "microns"
 *   /measurement/sample/name, /measurement/sample/description
 *   /process/acquisition/name, description                 "xtwin", "simulated acquisition"
 *   /process/acquisition/software/name, software/version
 *   /process/acquisition/scenario      canonical JSON string (@format "json"); seed (int64, or string)
 *   /process/acquisition/flat_fields/number, dark_fields/number
 *   xtwin extensions (extra root groups are allowed by the spec, not listed in implements):
 *   /geometry/vectors       [angle][12] float64, @type ("parallel3d_vec"|"cone_vec"), @columns (JSON), @units "m"
 *   /truth/labels           [z][y][x] uint8,   @classNames (JSON list, index = label), @voxelSizeM
 *   /truth/mu               [z][y][x] float32 1/m, @energyKeV, @units "1/m"
 *   /truth/fraction         [z][y][x] float32 (optional), /truth/secondary [z][y][x] uint8 (optional)
 *
 * Streaming: the exchange datasets are created with their full shape when the writer opens
 * and filled one projection at a time (write_slice), so a scan never has to be in memory.
 * Atomicity: everything goes to a temp file beside the target (see atomicFile.ts) which
 * `close()` renames into place only once every projection, flat, dark and angle was written.
 * Determinism: every HDF5 call runs with Date.now pinned (see hdf5.ts), so equal inputs give
 * byte-identical files.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Dataset, File as H5File, Group } from "h5wasm/node";
import type { VolumeGrid } from "../core/grid.js";
import { checkGrid, voxelCount } from "../core/grid.js";
import { createPartialFile, type PartialFile } from "./atomicFile.js";
import { canonicalJson } from "./canonicalJson.js";
import {
  createChunked,
  dtypeName,
  ensureGroup,
  getDataset,
  lengthToMetres,
  loadH5,
  type NumericArray,
  readNumber,
  readNumberAttr,
  readString,
  readStringAttr,
  setAttrs,
  sourceDateEpochMs,
  withPinnedClock,
  writeFloat,
  writeFloatArray,
  writeInt,
  writeInt64,
  writeString,
} from "./hdf5.js";

export type { NumericArray } from "./hdf5.js";

/** Element type of /exchange/data, data_white and data_dark. */
export type ExchangeDtype = "uint16" | "float32";

export const DXCHANGE_IMPLEMENTS = "exchange:measurement:process";

/** ASTRA's 12 numbers per projection for the vector geometries, in order. */
export const GEOMETRY_COLUMNS = {
  parallel3d_vec: ["rayX", "rayY", "rayZ", "dX", "dY", "dZ", "uX", "uY", "uZ", "vX", "vY", "vZ"],
  cone_vec: ["srcX", "srcY", "srcZ", "dX", "dY", "dZ", "uX", "uY", "uZ", "vX", "vY", "vZ"],
} as const;
export type GeometryType = keyof typeof GEOMETRY_COLUMNS;

export interface DxchangeWriterOptions {
  nAngles: number;
  /** Detector rows (y, slowest within a projection). */
  nRows: number;
  /** Detector columns (x, fastest). */
  nCols: number;
  /** Flat (white) fields; 0 or absent: /exchange/data_white is not written. */
  nFlat?: number;
  /** Dark fields; 0 or absent: /exchange/data_dark is not written. */
  nDark?: number;
  dtype: ExchangeDtype;
  /** gzip level 1-9 for the chunked datasets (exchange and truth); absent/0: uncompressed. */
  gzip?: number;
  /** `units` attribute of the exchange image datasets (default "counts"). */
  dataUnits?: string;
  /** Optional /exchange/title, e.g. "absorption_tomography". */
  title?: string;
}

export interface InstrumentInfo {
  /** Photon energy (monochromatic, or the mean of the spectrum), keV. */
  energyKeV: number;
  /** Physical detector pixel pitch along columns (x) and rows (y), m. */
  pixelSizeXM: number;
  pixelSizeYM: number;
  /** Pixel size projected onto the sample plane (pitch / magnification), m. Default: the pitch. */
  samplePixelSizeXM?: number;
  samplePixelSizeYM?: number;
  /** Distance from the rotation axis (sample) to the detector, m. */
  sampleDetectorDistanceM: number;
  /** Distance from the source to the rotation axis, m (cone beam; omit for parallel beam). */
  sourceSampleDistanceM?: number;
  exposureTimeS?: number;
  instrumentName?: string;
  detectorName?: string;
}

export interface SampleInfo {
  name: string;
  description?: string;
}

export interface ProcessInfo {
  softwareName?: string;
  softwareVersion: string;
  /** The scenario that produced the file; stored as canonical JSON (sorted keys). */
  scenario: unknown;
  seed?: number | string;
}

export interface GeometryInfo {
  type: GeometryType;
  /** nAngles x 12 numbers in ASTRA order (see GEOMETRY_COLUMNS), metres; flat or one row per angle. */
  vectors: ArrayLike<number> | ArrayLike<number>[];
  /** Free text describing the frame (e.g. "rotation axis = z through the origin"). */
  frame?: string;
}

export interface TruthVolumes {
  grid: VolumeGrid;
  /** Label per voxel, index x fastest ([z][y][x]); label = index into classNames. */
  labels: Uint8Array;
  classNames: string[];
  /** Linear attenuation coefficient per voxel at energyKeV, 1/m. */
  mu: Float32Array | Float64Array;
  energyKeV: number;
  /** Partial volumes: fraction of each voxel filled by `labels`, the rest by `secondary`. */
  fraction?: Float32Array | Float64Array;
  secondary?: Uint8Array;
  /** Particle instance id per voxel (0 = none), for microstructure phantoms. */
  instances?: Uint32Array;
  /** Lithium concentration per voxel (mol/m^3), for cycled samples. */
  lithiumMolPerM3?: Float32Array;
}

type ImageData = Uint16Array | Float32Array | Float64Array;

const SLAB_BYTES = 16 << 20;

function checkCount(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${v}`);
}

function checkPositive(name: string, v: number | undefined, optional = false): void {
  if (v === undefined && optional) return;
  if (!(typeof v === "number" && Number.isFinite(v) && v > 0)) throw new RangeError(`${name} must be a positive number, got ${v}`);
}

/**
 * Streaming DXchange writer. Usage:
 *
 *   const w = await DxchangeWriter.open("scan.h5", { nAngles, nRows, nCols, nFlat, nDark, dtype: "uint16" });
 *   try {
 *     w.writeTheta(anglesDeg);
 *     for (let i = 0; i < nAngles; i++) w.writeProjection(i, projection(i));
 *     ... writeFlat / writeDark / writeInstrument / writeSample / writeProcess / writeGeometry / writeTruth
 *     w.close();            // commits: scan.h5 appears only now
 *   } catch (e) { w.abort(); throw e; }
 *
 * Metadata writers may each be called once, in any order, before close().
 */
export class DxchangeWriter {
  readonly path: string;
  readonly options: Readonly<Required<Omit<DxchangeWriterOptions, "gzip" | "title">>> & { gzip?: number; title?: string };
  private state: "open" | "closed" | "aborted" = "open";
  private readonly file: H5File;
  private readonly partial: PartialFile;
  private readonly epochMs: number;
  private readonly data: Dataset;
  private readonly white: Dataset | null;
  private readonly dark: Dataset | null;
  private readonly thetaDs: Dataset;
  private readonly written: { data: Uint8Array; white: Uint8Array; dark: Uint8Array; theta: Uint8Array };
  private readonly done = new Set<string>();

  private constructor(
    path: string,
    options: DxchangeWriter["options"],
    file: H5File,
    partial: PartialFile,
    epochMs: number,
    datasets: { data: Dataset; white: Dataset | null; dark: Dataset | null; theta: Dataset },
  ) {
    this.path = path;
    this.options = options;
    this.file = file;
    this.partial = partial;
    this.epochMs = epochMs;
    this.data = datasets.data;
    this.white = datasets.white;
    this.dark = datasets.dark;
    this.thetaDs = datasets.theta;
    this.written = {
      data: new Uint8Array(options.nAngles),
      white: new Uint8Array(options.nFlat),
      dark: new Uint8Array(options.nDark),
      theta: new Uint8Array(options.nAngles),
    };
  }

  /** Create the temp file, the root structure and the empty exchange datasets. */
  static async open(path: string, opts: DxchangeWriterOptions): Promise<DxchangeWriter> {
    checkCount("nAngles", opts.nAngles, 1);
    checkCount("nRows", opts.nRows, 1);
    checkCount("nCols", opts.nCols, 1);
    checkCount("nFlat", opts.nFlat ?? 0, 0);
    checkCount("nDark", opts.nDark ?? 0, 0);
    if (opts.dtype !== "uint16" && opts.dtype !== "float32") throw new RangeError(`dtype must be "uint16" or "float32", got "${String(opts.dtype)}"`);
    if (opts.gzip !== undefined && !(Number.isInteger(opts.gzip) && opts.gzip >= 0 && opts.gzip <= 9)) {
      throw new RangeError(`gzip level must be an integer 0-9, got ${opts.gzip}`);
    }
    const options: DxchangeWriter["options"] = {
      nAngles: opts.nAngles,
      nRows: opts.nRows,
      nCols: opts.nCols,
      nFlat: opts.nFlat ?? 0,
      nDark: opts.nDark ?? 0,
      dtype: opts.dtype,
      dataUnits: opts.dataUnits ?? "counts",
      ...(opts.gzip ? { gzip: opts.gzip } : {}),
      ...(opts.title !== undefined ? { title: opts.title } : {}),
    };
    const epochMs = sourceDateEpochMs();
    const h5 = await loadH5();
    const finalPath = resolve(path);
    const partial = createPartialFile(finalPath);
    let file: H5File | undefined;
    try {
      return withPinnedClock(epochMs, () => {
        file = new h5.File(partial.tempPath, "w");
        const f = file;
        writeString(f, "implements", DXCHANGE_IMPLEMENTS);
        const ex = f.create_group("exchange");
        if (options.title !== undefined) writeString(ex, "title", options.title);
        const [h5type, empty] = options.dtype === "uint16" ? (["<H", new Uint16Array(0)] as const) : (["<f", new Float32Array(0)] as const);
        const frame = [options.nRows, options.nCols];
        const mk = (name: string, n: number, description: string, axes?: string): Dataset | null => {
          if (n === 0) return null;
          const ds = createChunked(ex, name, [n, ...frame], [1, ...frame], h5type, empty, options.gzip);
          setAttrs(ds, { description, units: options.dataUnits, axes });
          return ds;
        };
        const data = mk("data", options.nAngles, "projections", "theta:y:x")!;
        const white = mk("data_white", options.nFlat, "flat (white) fields");
        const dark = mk("data_dark", options.nDark, "dark fields");
        const theta = writeFloatArray(ex, "theta", new Float64Array(options.nAngles), {
          units: "degree",
          description: "rotation angle of each projection",
        });
        f.create_group("measurement");
        ensureGroup(f, "process/acquisition");
        return new DxchangeWriter(finalPath, options, f, partial, epochMs, { data, white, dark, theta });
      });
    } catch (e) {
      try {
        if (file !== undefined) withPinnedClock(epochMs, () => file!.close());
      } catch {
        // already failing
      }
      partial.abort();
      throw e;
    }
  }

  /** The temp file being written (renamed to `path` by close()). */
  get tempPath(): string {
    return this.partial.tempPath;
  }

  private h5<T>(fn: () => T): T {
    if (this.state !== "open") throw new Error(`DXchange writer for ${this.path} is ${this.state}`);
    if (this.partial.state !== "open") throw new Error(`DXchange writer for ${this.path}: temp file was ${this.partial.state}`);
    return withPinnedClock(this.epochMs, fn);
  }

  private once(what: string): void {
    if (this.done.has(what)) throw new Error(`${what} was already written to ${this.path}`);
  }

  private writeImage(ds: Dataset | null, kind: "data" | "white" | "dark", count: number, i: number, data: ImageData): void {
    if (ds === null) throw new RangeError(`no ${kind === "white" ? "flat" : "dark"} fields were declared (n = 0)`);
    if (!Number.isInteger(i) || i < 0 || i >= count) throw new RangeError(`${kind} index ${i} out of range 0..${count - 1}`);
    const n = this.options.nRows * this.options.nCols;
    if (data.length !== n) {
      throw new RangeError(`${kind} ${i}: expected ${this.options.nRows} x ${this.options.nCols} = ${n} values, got ${data.length}`);
    }
    if (this.options.dtype === "uint16" && !(data instanceof Uint16Array)) {
      throw new TypeError(`${kind} ${i}: a uint16 file takes Uint16Array images (round and clip before writing)`);
    }
    if (this.options.dtype === "float32" && !(data instanceof Float32Array || data instanceof Float64Array)) {
      throw new TypeError(`${kind} ${i}: a float32 file takes Float32Array or Float64Array images`);
    }
    this.h5(() => ds.write_slice([[i, i + 1], [], []], data));
    this.written[kind][i] = 1;
  }

  /** Projection `i` ([row][col], column fastest); optionally its angle in degrees. */
  writeProjection(i: number, data: ImageData, thetaDeg?: number): void {
    this.writeImage(this.data, "data", this.options.nAngles, i, data);
    if (thetaDeg !== undefined) {
      if (!Number.isFinite(thetaDeg)) throw new RangeError(`theta ${i}: expected a finite angle, got ${thetaDeg}`);
      this.h5(() => this.thetaDs.write_slice([[i, i + 1]], new Float64Array([thetaDeg])));
      this.written.theta[i] = 1;
    }
  }

  writeFlat(i: number, data: ImageData): void {
    this.writeImage(this.white, "white", this.options.nFlat, i, data);
  }

  writeDark(i: number, data: ImageData): void {
    this.writeImage(this.dark, "dark", this.options.nDark, i, data);
  }

  /** All projection angles, degrees. */
  writeTheta(thetaDeg: ArrayLike<number>): void {
    if (thetaDeg.length !== this.options.nAngles) throw new RangeError(`theta: expected ${this.options.nAngles} angles, got ${thetaDeg.length}`);
    const t = Float64Array.from(thetaDeg);
    t.forEach((v, k) => {
      if (!Number.isFinite(v)) throw new RangeError(`theta[${k}]: expected a finite angle, got ${v}`);
    });
    this.h5(() => this.thetaDs.write_slice([[0, t.length]], t));
    this.written.theta.fill(1);
  }

  writeInstrument(info: InstrumentInfo): void {
    this.once("instrument");
    checkPositive("energyKeV", info.energyKeV);
    checkPositive("pixelSizeXM", info.pixelSizeXM);
    checkPositive("pixelSizeYM", info.pixelSizeYM);
    checkPositive("samplePixelSizeXM", info.samplePixelSizeXM, true);
    checkPositive("samplePixelSizeYM", info.samplePixelSizeYM, true);
    checkPositive("sourceSampleDistanceM", info.sourceSampleDistanceM, true);
    checkPositive("exposureTimeS", info.exposureTimeS, true);
    if (!(Number.isFinite(info.sampleDetectorDistanceM) && info.sampleDetectorDistanceM >= 0)) {
      throw new RangeError(`sampleDetectorDistanceM must be a distance >= 0, got ${info.sampleDetectorDistanceM}`);
    }
    this.h5(() => {
      const inst = ensureGroup(this.file, "measurement/instrument");
      if (info.instrumentName !== undefined) writeString(inst, "name", info.instrumentName);
      writeString(inst, "monochromator/name", "ideal (simulated)");
      writeFloat(inst, "monochromator/energy", info.energyKeV, { units: "keV", description: "photon energy" });
      const det = ensureGroup(inst, "detector");
      if (info.detectorName !== undefined) writeString(det, "name", info.detectorName);
      writeFloat(det, "pixel_size_x", info.pixelSizeXM, { units: "m", description: "physical pixel pitch along columns" });
      writeFloat(det, "pixel_size_y", info.pixelSizeYM, { units: "m", description: "physical pixel pitch along rows" });
      if (info.samplePixelSizeXM !== undefined) writeFloat(det, "actual_pixel_size_x", info.samplePixelSizeXM, { units: "m", description: "pixel size at the sample plane" });
      if (info.samplePixelSizeYM !== undefined) writeFloat(det, "actual_pixel_size_y", info.samplePixelSizeYM, { units: "m", description: "pixel size at the sample plane" });
      writeInt(det, "dimension_x", this.options.nCols);
      writeInt(det, "dimension_y", this.options.nRows);
      if (info.exposureTimeS !== undefined) writeFloat(det, "exposure_time", info.exposureTimeS, { units: "s" });
      writeFloatArray(det, "geometry/translation/distances", [0, 0, info.sampleDetectorDistanceM], {
        units: "m",
        description: "detector position relative to the sample (x, y, z; z along the beam, downstream)",
      });
      if (info.sourceSampleDistanceM !== undefined) {
        writeFloatArray(inst, "source/geometry/translation/distances", [0, 0, -info.sourceSampleDistanceM], {
          units: "m",
          description: "source position relative to the sample (x, y, z; z along the beam, downstream)",
        });
      }
      // Facility convention (APS tomoScan layouts) read by tomopy-cli / tomocupy for phase retrieval.
      writeFloat(inst, "detector_motor_stack/setup/z", info.sampleDetectorDistanceM * 1e3, {
        units: "mm",
        description: "sample-detector distance (same as detector/geometry/translation/distances[2])",
      });
      writeFloat(inst, "detection_system/objective/resolution", (info.samplePixelSizeXM ?? info.pixelSizeXM) * 1e6, {
        units: "microns",
        description: "pixel size at the sample plane",
      });
    });
    this.done.add("instrument");
  }

  writeSample(sample: SampleInfo): void {
    this.once("sample");
    this.h5(() => {
      const s = ensureGroup(this.file, "measurement/sample");
      writeString(s, "name", sample.name);
      if (sample.description !== undefined) writeString(s, "description", sample.description);
    });
    this.done.add("sample");
  }

  writeProcess(p: ProcessInfo): void {
    this.once("process");
    const scenario = canonicalJson(p.scenario);
    this.h5(() => {
      const a = ensureGroup(this.file, "process/acquisition");
      writeString(a, "name", p.softwareName ?? "xtwin");
      writeString(a, "description", "simulated acquisition");
      writeString(a, "software/name", p.softwareName ?? "xtwin");
      writeString(a, "software/version", p.softwareVersion);
      writeString(a, "scenario", scenario, { format: "json", description: "scenario that produced this file" });
      if (typeof p.seed === "number") writeInt64(a, "seed", p.seed);
      else if (typeof p.seed === "string") writeString(a, "seed", p.seed);
      writeInt(a, "flat_fields/number", this.options.nFlat);
      writeInt(a, "dark_fields/number", this.options.nDark);
    });
    this.done.add("process");
  }

  writeGeometry(g: GeometryInfo): void {
    this.once("geometry");
    const columns = GEOMETRY_COLUMNS[g.type];
    if (columns === undefined) throw new RangeError(`geometry type must be one of ${Object.keys(GEOMETRY_COLUMNS).join(", ")}, got "${String(g.type)}"`);
    const n = this.options.nAngles;
    let flat: Float64Array;
    const v = g.vectors;
    if (v.length === n && n > 0 && typeof v[0] === "object") {
      flat = new Float64Array(n * 12);
      for (let i = 0; i < n; i++) {
        const row = (v as ArrayLike<number>[])[i]!;
        if (row.length !== 12) throw new RangeError(`geometry row ${i}: expected 12 numbers, got ${row.length}`);
        for (let k = 0; k < 12; k++) flat[i * 12 + k] = row[k]!;
      }
    } else {
      if (v.length !== n * 12) throw new RangeError(`geometry: expected ${n} x 12 = ${n * 12} numbers, got ${v.length}`);
      flat = Float64Array.from(v as ArrayLike<number>);
    }
    this.h5(() =>
      writeFloatArray(this.file, "geometry/vectors", flat, {
        type: g.type,
        columns: JSON.stringify(columns),
        units: "m",
        frame: g.frame,
        description: "ASTRA vector geometry, one row of 12 numbers per projection (same order as /exchange/data)",
      }, [n, 12]),
    );
    this.done.add("geometry");
  }

  writeTruth(t: TruthVolumes): void {
    this.once("truth");
    checkGrid(t.grid);
    const { nx, ny, nz } = t.grid;
    const n = voxelCount(t.grid);
    const check = (name: string, a: ArrayLike<number> | undefined): void => {
      if (a !== undefined && a.length !== n) throw new RangeError(`truth ${name}: expected ${nx} x ${ny} x ${nz} = ${n} voxels, got ${a.length}`);
    };
    check("labels", t.labels);
    check("mu", t.mu);
    check("fraction", t.fraction);
    check("secondary", t.secondary);
    check("instances", t.instances);
    if (!(t.labels instanceof Uint8Array)) throw new TypeError("truth labels must be a Uint8Array");
    if (t.secondary !== undefined && !(t.secondary instanceof Uint8Array)) throw new TypeError("truth secondary must be a Uint8Array");
    if (t.classNames.length === 0 || t.classNames.length > 256) throw new RangeError(`truth classNames: expected 1-256 names, got ${t.classNames.length}`);
    const maxLabel = (a: Uint8Array): number => a.reduce((m, x) => (x > m ? x : m), 0);
    for (const [name, a] of [["labels", t.labels], ["secondary", t.secondary]] as const) {
      if (a === undefined) continue;
      const m = maxLabel(a);
      if (m >= t.classNames.length) throw new RangeError(`truth ${name}: label ${m} has no class name (${t.classNames.length} given)`);
    }
    checkPositive("truth energyKeV", t.energyKeV);
    const shape = [nz, ny, nx];
    const chunks = [1, ny, nx];
    const slab = (bytesPerVoxel: number): number => Math.max(1, Math.floor(SLAB_BYTES / (nx * ny * bytesPerVoxel)));
    const put = (ds: Dataset, a: ArrayBufferView & ArrayLike<number>, bytesPerVoxel: number): void => {
      const step = slab(bytesPerVoxel);
      const sub = a as unknown as { subarray(b: number, e: number): ArrayBufferView };
      for (let z = 0; z < nz; z += step) {
        const z1 = Math.min(nz, z + step);
        this.h5(() => ds.write_slice([[z, z1], [], []], sub.subarray(z * nx * ny, z1 * nx * ny)));
      }
    };
    const g = this.h5(() => {
      const grp = this.file.create_group("truth");
      setAttrs(grp, {
        axes: "z:y:x",
        voxelSizeM: t.grid.voxelSizeM,
        description: "ground truth on the voxel grid: cubic voxels centred on the origin, rotation axis = z",
      });
      return grp;
    });
    const gz = this.options.gzip;
    const labels = this.h5(() => {
      const ds = createChunked(g, "labels", shape, chunks, "<B", new Uint8Array(0), gz);
      setAttrs(ds, { classNames: JSON.stringify(t.classNames), voxelSizeM: t.grid.voxelSizeM, description: "material label per voxel (index into classNames)" });
      return ds;
    });
    put(labels, t.labels, 1);
    const mu = this.h5(() => {
      const ds = createChunked(g, "mu", shape, chunks, "<f", new Float32Array(0), gz);
      setAttrs(ds, { units: "1/m", energyKeV: t.energyKeV, voxelSizeM: t.grid.voxelSizeM, description: "linear attenuation coefficient" });
      return ds;
    });
    put(mu, t.mu, 4);
    if (t.fraction !== undefined) {
      const ds = this.h5(() => {
        const d = createChunked(g, "fraction", shape, chunks, "<f", new Float32Array(0), gz);
        setAttrs(d, { description: "fraction of the voxel occupied by /truth/labels (the rest by /truth/secondary)" });
        return d;
      });
      put(ds, t.fraction, 4);
    }
    if (t.secondary !== undefined) {
      const ds = this.h5(() => {
        const d = createChunked(g, "secondary", shape, chunks, "<B", new Uint8Array(0), gz);
        setAttrs(d, { classNames: JSON.stringify(t.classNames), description: "label filling the remaining 1 - fraction of the voxel" });
        return d;
      });
      put(ds, t.secondary, 1);
    }
    if (t.instances !== undefined) {
      const ds = this.h5(() => {
        const d = createChunked(g, "instances", shape, chunks, "<I", new Uint32Array(0), gz);
        setAttrs(d, { description: "particle instance id per voxel (0 = not a particle)" });
        return d;
      });
      put(ds, t.instances, 4);
    }
    if (t.lithiumMolPerM3 !== undefined) {
      const ds = this.h5(() => {
        const d = createChunked(g, "lithium", shape, chunks, "<f", new Float32Array(0), gz);
        setAttrs(d, { units: "mol/m^3", description: "lithium concentration per voxel in the active particles (0 elsewhere)" });
        return d;
      });
      put(ds, t.lithiumMolPerM3, 4);
    }
    this.done.add("truth");
  }

  /** What close() would still refuse: images or angles never written. */
  missing(): string[] {
    const out: string[] = [];
    const list = (what: string, flags: Uint8Array): void => {
      const idx: number[] = [];
      flags.forEach((f, i) => {
        if (!f) idx.push(i);
      });
      if (idx.length > 0) out.push(`${what} ${idx.length > 8 ? `${idx.slice(0, 8).join(", ")}, ... (${idx.length} in all)` : idx.join(", ")}`);
    };
    list("projection", this.written.data);
    list("flat", this.written.white);
    list("dark", this.written.dark);
    list("theta", this.written.theta);
    return out;
  }

  /**
   * Close the HDF5 file and rename it into place. Throws (leaving the writer open, so the
   * caller may still write or abort) if any projection, flat, dark or angle is missing.
   */
  close(): void {
    const missing = this.missing();
    if (missing.length > 0) throw new Error(`DXchange file ${this.path} is incomplete, missing: ${missing.join("; ")}`);
    this.h5(() => this.file.close());
    this.state = "closed";
    this.partial.commit();
  }

  /** Discard everything: close the HDF5 file if open and delete the temp file. Idempotent. */
  abort(): void {
    if (this.state === "open") {
      this.state = "aborted";
      try {
        withPinnedClock(this.epochMs, () => this.file.close());
      } catch {
        // the file is being discarded anyway
      }
    }
    this.partial.abort();
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface DxchangeGeometry {
  type: string;
  columns: string[];
  /** nAngles x 12, row-major. */
  vectors: Float64Array;
  units: string | null;
}

export interface DxchangeTruth {
  labels: NumericArray;
  classNames: string[];
  voxelSizeM: number | null;
  /** [nz, ny, nx] */
  shape: number[];
  mu: NumericArray | null;
  energyKeV: number | null;
  fraction: NumericArray | null;
  secondary: NumericArray | null;
  /** Particle instance id per voxel (0 = none), for microstructure phantoms. */
  instances: NumericArray | null;
}

/** An open DXchange file. Only /exchange/data is required; everything else may be null / 0. */
export interface DxchangeFile {
  readonly path: string;
  readonly nAngles: number;
  readonly nRows: number;
  readonly nCols: number;
  readonly nFlat: number;
  readonly nDark: number;
  /** numpy-style element type of /exchange/data, e.g. "uint16", "float32". */
  readonly dtype: string;
  /** The `units` attribute of /exchange/data ("counts" in xtwin's scans), or null. */
  readonly dataUnits: string | null;
  /** Angles in degrees (converted if the file says radians), or null if absent. */
  readonly theta: Float64Array | null;
  /** Photon energy in keV (converted from J, eV as the units say), or null. */
  readonly energyKeV: number | null;
  /** Physical detector pixel size in metres, or null. */
  readonly pixelSizeM: { x: number; y: number } | null;
  /** Pixel size at the sample plane in metres, or null. */
  readonly samplePixelSizeM: { x: number; y: number } | null;
  readonly sampleDetectorDistanceM: number | null;
  /** Source-sample distance of a cone beam (m), or null (parallel beam, or not recorded). */
  readonly sourceSampleDistanceM: number | null;
  readonly sampleName: string | null;
  readonly implements: string | null;
  /** Projection i as [row][col]. */
  readProjection(i: number): NumericArray;
  readFlat(i: number): NumericArray;
  readDark(i: number): NumericArray;
  /** Detector row `row` across all angles: [angle][col]. */
  readSinogram(row: number): NumericArray;
  /** /geometry/vectors (xtwin extension), or null. */
  readGeometry(): DxchangeGeometry | null;
  /** The whole /truth datasets (xtwin extension), or null. */
  readTruth(): DxchangeTruth | null;
  /** The scenario JSON of /process/acquisition/scenario, parsed, or null. */
  readScenario(): unknown;
  close(): void;
}

const JOULE_PER_KEV = 1.602176634e-16;

function energyToKeV(value: number, units: string | null): number | null {
  if (units === null) {
    // The spec's default is joules; a value of 1 or more cannot be a photon energy in J,
    // so such files were evidently written in keV without saying so.
    return value >= 1 ? value : value / JOULE_PER_KEV;
  }
  const u = units.trim().toLowerCase();
  if (u === "kev") return value;
  if (u === "ev") return value / 1e3;
  if (u === "mev") return value * 1e3;
  if (u === "j" || u === "joule" || u === "joules") return value / JOULE_PER_KEV;
  return null;
}

function readLength(root: Group, path: string): number | null {
  const v = readNumber(root, path);
  if (v === null) return null;
  const ds = getDataset(root, path)!;
  return lengthToMetres(v, readStringAttr(ds, "units"));
}

/** Open a DXchange file for reading (any writer's: only /exchange/data is required). */
export async function readDxchange(path: string): Promise<DxchangeFile> {
  const h5 = await loadH5();
  const abs = resolve(path);
  if (!existsSync(abs)) throw new Error(`no such file: ${abs}`);
  const f = new h5.File(abs, "r");
  try {
    return new DxchangeReader(abs, f);
  } catch (e) {
    f.close();
    throw e;
  }
}

class DxchangeReader implements DxchangeFile {
  readonly path: string;
  readonly nAngles: number;
  readonly nRows: number;
  readonly nCols: number;
  readonly nFlat: number;
  readonly nDark: number;
  readonly dtype: string;
  readonly dataUnits: string | null;
  readonly theta: Float64Array | null;
  readonly energyKeV: number | null;
  readonly pixelSizeM: { x: number; y: number } | null;
  readonly samplePixelSizeM: { x: number; y: number } | null;
  readonly sampleDetectorDistanceM: number | null;
  /** Source-sample distance of a cone beam (m), or null (parallel beam, or not recorded). */
  readonly sourceSampleDistanceM: number | null;
  readonly sampleName: string | null;
  readonly implements: string | null;
  private readonly data: Dataset;
  private readonly white: Dataset | null;
  private readonly dark: Dataset | null;
  private open = true;

  constructor(
    path: string,
    private readonly f: H5File,
  ) {
    this.path = path;
    const data = getDataset(f, "exchange/data");
    if (data === null) throw new Error(`${path}: not a DXchange file (no /exchange/data dataset)`);
    const shape = data.shape ?? [];
    if (shape.length !== 3) throw new Error(`${path}: /exchange/data has ${shape.length} dimensions, expected 3`);
    const axes = readStringAttr(data, "axes");
    if (axes !== null && axes.replace(/\s/g, "") !== "theta:y:x") {
      throw new Error(`${path}: /exchange/data axes "${axes}" not supported (expected theta:y:x)`);
    }
    this.data = data;
    [this.nAngles, this.nRows, this.nCols] = shape as [number, number, number];
    this.dtype = dtypeName(data);
    this.dataUnits = readStringAttr(data, "units");
    const frame = (name: string): Dataset | null => {
      const ds = getDataset(f, `exchange/${name}`);
      if (ds === null) return null;
      const s = ds.shape ?? [];
      if (s.length !== 3 || s[1] !== this.nRows || s[2] !== this.nCols) {
        throw new Error(`${path}: /exchange/${name} shape [${s.join(", ")}] does not match the projections' ${this.nRows} x ${this.nCols}`);
      }
      return ds;
    };
    this.white = frame("data_white");
    this.dark = frame("data_dark");
    this.nFlat = this.white?.shape?.[0] ?? 0;
    this.nDark = this.dark?.shape?.[0] ?? 0;

    const thetaDs = getDataset(f, "exchange/theta");
    if (thetaDs !== null) {
      const t = Float64Array.from(thetaDs.value as ArrayLike<number>);
      const u = (readStringAttr(thetaDs, "units") ?? "degree").trim().toLowerCase();
      if (u === "rad" || u === "radian" || u === "radians") for (let i = 0; i < t.length; i++) t[i] = (t[i]! * 180) / Math.PI;
      this.theta = t;
    } else this.theta = null;

    const eDs = getDataset(f, "measurement/instrument/monochromator/energy");
    const e = readNumber(f, "measurement/instrument/monochromator/energy");
    this.energyKeV = e === null || eDs === null ? null : energyToKeV(e, readStringAttr(eDs, "units"));

    const det = "measurement/instrument/detector";
    const px = readLength(f, `${det}/pixel_size_x`) ?? readLength(f, `${det}/pixel_size`);
    const py = readLength(f, `${det}/pixel_size_y`) ?? px;
    this.pixelSizeM = px !== null && py !== null ? { x: px, y: py } : null;
    const ax =
      readLength(f, `${det}/actual_pixel_size_x`) ?? readLength(f, "measurement/instrument/detection_system/objective/resolution");
    const ay = readLength(f, `${det}/actual_pixel_size_y`) ?? ax;
    this.samplePixelSizeM = ax !== null && ay !== null ? { x: ax, y: ay } : null;

    const distDs = getDataset(f, `${det}/geometry/translation/distances`);
    if (distDs !== null) {
      const v = Array.from(distDs.value as ArrayLike<number>, Number);
      const norm = Math.hypot(...v);
      this.sampleDetectorDistanceM = lengthToMetres(norm, readStringAttr(distDs, "units"));
    } else {
      this.sampleDetectorDistanceM = readLength(f, "measurement/instrument/detector_motor_stack/setup/z");
    }
    const sourceDs = getDataset(f, "measurement/instrument/source/geometry/translation/distances");
    this.sourceSampleDistanceM = sourceDs === null ? null : lengthToMetres(Math.hypot(...Array.from(sourceDs.value as ArrayLike<number>, Number)), readStringAttr(sourceDs, "units"));
    this.sampleName = readString(f, "measurement/sample/name");
    this.implements = readString(f, "implements");
  }

  private check(): void {
    if (!this.open) throw new Error(`${this.path} is closed`);
  }

  private frame(ds: Dataset | null, what: string, count: number, i: number): NumericArray {
    this.check();
    if (ds === null) throw new Error(`${this.path} has no ${what} fields`);
    if (!Number.isInteger(i) || i < 0 || i >= count) throw new RangeError(`${what} index ${i} out of range 0..${count - 1}`);
    return ds.slice([[i, i + 1], [], []]) as NumericArray;
  }

  readProjection(i: number): NumericArray {
    return this.frame(this.data, "projection", this.nAngles, i);
  }

  readFlat(i: number): NumericArray {
    return this.frame(this.white, "flat", this.nFlat, i);
  }

  readDark(i: number): NumericArray {
    return this.frame(this.dark, "dark", this.nDark, i);
  }

  readSinogram(row: number): NumericArray {
    this.check();
    if (!Number.isInteger(row) || row < 0 || row >= this.nRows) throw new RangeError(`row ${row} out of range 0..${this.nRows - 1}`);
    return this.data.slice([[], [row, row + 1], []]) as NumericArray;
  }

  readGeometry(): DxchangeGeometry | null {
    this.check();
    const ds = getDataset(this.f, "geometry/vectors");
    if (ds === null) return null;
    const cols = readStringAttr(ds, "columns");
    return {
      type: readStringAttr(ds, "type") ?? "",
      columns: cols === null ? [] : (JSON.parse(cols) as string[]),
      vectors: Float64Array.from(ds.value as ArrayLike<number>),
      units: readStringAttr(ds, "units"),
    };
  }

  readTruth(): DxchangeTruth | null {
    this.check();
    const labels = getDataset(this.f, "truth/labels");
    if (labels === null) return null;
    const names = readStringAttr(labels, "classNames");
    const mu = getDataset(this.f, "truth/mu");
    const fraction = getDataset(this.f, "truth/fraction");
    const secondary = getDataset(this.f, "truth/secondary");
    const instances = getDataset(this.f, "truth/instances");
    return {
      labels: labels.value as NumericArray,
      classNames: names === null ? [] : (JSON.parse(names) as string[]),
      voxelSizeM: readNumberAttr(labels, "voxelSizeM"),
      shape: labels.shape ?? [],
      mu: mu === null ? null : (mu.value as NumericArray),
      energyKeV: mu === null ? null : readNumberAttr(mu, "energyKeV"),
      fraction: fraction === null ? null : (fraction.value as NumericArray),
      secondary: secondary === null ? null : (secondary.value as NumericArray),
      instances: instances === null ? null : (instances.value as NumericArray),
    };
  }

  readScenario(): unknown {
    this.check();
    const s = readString(this.f, "process/acquisition/scenario");
    return s === null ? null : JSON.parse(s);
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.f.close();
  }
}
