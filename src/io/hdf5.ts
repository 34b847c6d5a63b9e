/**
 * Thin helpers over h5wasm shared by the HDF5 writers and readers in src/io.
 *
 * Determinism: HDF5 stamps object creation/modification times from the C clock, which
 * Emscripten reads through Date.now(). `withPinnedClock` replaces Date.now by a constant
 * (SOURCE_DATE_EPOCH, the reproducible-builds convention, else 0) for the duration of one
 * synchronous HDF5 call and restores it afterwards, so identical inputs give identical bytes.
 */
import { resolve } from "node:path";
import h5wasm, { Module } from "h5wasm/node";
import type { Attribute, Dataset, Dtype, File as H5File, Group, OutputData } from "h5wasm/node";
import { createPartialFile } from "./atomicFile.js";

export type H5Module = typeof h5wasm;

/** h5wasm once its WebAssembly module is ready. */
export async function loadH5(): Promise<H5Module> {
  await h5wasm.ready;
  return h5wasm;
}

/**
 * The clock HDF5 should see, in ms since 1970: SOURCE_DATE_EPOCH (whole seconds) if set, else 0.
 * A malformed SOURCE_DATE_EPOCH is an error, as the reproducible-builds specification asks.
 */
export function sourceDateEpochMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === "") return 0;
  if (!/^\d+$/.test(raw.trim())) {
    throw new RangeError(`SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got "${raw}"`);
  }
  const ms = Number(raw.trim()) * 1000;
  if (!Number.isSafeInteger(ms)) throw new RangeError(`SOURCE_DATE_EPOCH out of range: "${raw}"`);
  return ms;
}

let pinDepth = 0;
let savedNow: (() => number) | undefined;

/**
 * Run synchronous `fn` with Date.now() returning `epochMs`, restoring the previous Date.now
 * afterwards even if `fn` throws. Re-entrant (nested calls keep the outermost pin).
 */
export function withPinnedClock<T>(epochMs: number, fn: () => T): T {
  if (pinDepth === 0) {
    savedNow = Date.now;
    Date.now = () => epochMs;
  }
  pinDepth++;
  try {
    return fn();
  } finally {
    pinDepth--;
    if (pinDepth === 0) {
      Date.now = savedNow!;
      savedNow = undefined;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Writing (call inside withPinnedClock)

export type AttrValue = string | number | { float64: number } | { int32: number };

/** Set string / float64 attributes (numbers are written as float64 scalars). */
export function setAttrs(obj: Group | Dataset, attrs: Record<string, AttrValue | undefined>): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    if (typeof v === "string") obj.create_attribute(k, v);
    else if (typeof v === "number") obj.create_attribute(k, new Float64Array([v]), [], "<d");
    else if ("float64" in v) obj.create_attribute(k, new Float64Array([v.float64]), [], "<d");
    else obj.create_attribute(k, new Int32Array([v.int32]), [], "<i");
  }
}

/** Create every missing group along `path` ("a/b/c", relative to `root`) and return the last one. */
export function ensureGroup(root: Group, path: string): Group {
  let g = root;
  for (const part of path.split("/").filter((p) => p !== "")) {
    const existing = g.get(part);
    if (existing === null) g = g.create_group(part);
    else if (existing instanceof h5wasm.Group) g = existing;
    else throw new Error(`${g.path}/${part} exists and is not a group`);
  }
  return g;
}

function splitPath(path: string): [string, string] {
  const i = path.lastIndexOf("/");
  return i < 0 ? ["", path] : [path.slice(0, i), path.slice(i + 1)];
}

/** Scalar float64 dataset at `path` (relative to root, parent groups created). */
export function writeFloat(root: Group, path: string, value: number, attrs: Record<string, AttrValue | undefined> = {}): Dataset {
  if (!Number.isFinite(value)) throw new RangeError(`${path}: expected a finite number, got ${value}`);
  const [dir, name] = splitPath(path);
  const ds = ensureGroup(root, dir).create_dataset({ name, data: new Float64Array([value]), shape: [], dtype: "<d" });
  setAttrs(ds, attrs);
  return ds;
}

/** Scalar int32 dataset. */
export function writeInt(root: Group, path: string, value: number, attrs: Record<string, AttrValue | undefined> = {}): Dataset {
  if (!Number.isInteger(value) || value < -2147483648 || value > 2147483647) {
    throw new RangeError(`${path}: expected a 32-bit integer, got ${value}`);
  }
  const [dir, name] = splitPath(path);
  const ds = ensureGroup(root, dir).create_dataset({ name, data: new Int32Array([value]), shape: [], dtype: "<i" });
  setAttrs(ds, attrs);
  return ds;
}

/** Scalar int64 dataset (safe integers only). */
export function writeInt64(root: Group, path: string, value: number, attrs: Record<string, AttrValue | undefined> = {}): Dataset {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${path}: expected a safe integer, got ${value}`);
  const [dir, name] = splitPath(path);
  const ds = ensureGroup(root, dir).create_dataset({ name, data: new BigInt64Array([BigInt(value)]), shape: [], dtype: "<q" });
  setAttrs(ds, attrs);
  return ds;
}

/** Scalar variable-length UTF-8 string dataset. */
export function writeString(root: Group, path: string, value: string, attrs: Record<string, AttrValue | undefined> = {}): Dataset {
  const [dir, name] = splitPath(path);
  const ds = ensureGroup(root, dir).create_dataset({ name, data: value });
  setAttrs(ds, attrs);
  return ds;
}

/** 1-D float64 dataset. */
export function writeFloatArray(
  root: Group,
  path: string,
  values: ArrayLike<number>,
  attrs: Record<string, AttrValue | undefined> = {},
  shape?: number[],
): Dataset {
  const data = Float64Array.from(values);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) throw new RangeError(`${path}[${i}]: expected a finite number, got ${data[i]}`);
  }
  const [dir, name] = splitPath(path);
  const ds = ensureGroup(root, dir).create_dataset({ name, data, shape: shape ?? [data.length], dtype: "<d" });
  setAttrs(ds, attrs);
  return ds;
}

/**
 * Create a chunked dataset of its full `shape` without materialising it: h5wasm's create_dataset
 * writes the data it is given, so create it empty along axis 0 (maxshape = shape) and extend it.
 * Unwritten chunks are not allocated; they read as the fill value 0.
 */
export function createChunked(
  group: Group,
  name: string,
  shape: number[],
  chunks: number[],
  dtype: Dtype,
  empty: ArrayBufferView,
  gzip?: number,
): Dataset {
  const args: Parameters<Group["create_dataset"]>[0] = {
    name,
    data: empty as Parameters<Group["create_dataset"]>[0]["data"],
    shape: [0, ...shape.slice(1)],
    maxshape: shape,
    chunks,
    dtype,
  };
  if (gzip !== undefined && gzip > 0) {
    args.compression = "gzip";
    args.compression_opts = gzip;
  }
  group.create_dataset(args);
  const ds = group.get(name) as Dataset;
  ds.resize(shape);
  return group.get(name) as Dataset;
}

// ---------------------------------------------------------------------------------------------
// Reading

export type NumericArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** numpy-style name of a dataset's element type ("uint16", "float32", ...), or "other". */
export function dtypeName(ds: Dataset): string {
  const m = ds.metadata;
  const isFloat = m.type === Module.H5T_class_t.H5T_FLOAT.value;
  const isInt = m.type === Module.H5T_class_t.H5T_INTEGER.value;
  if (isFloat) return `float${m.size * 8}`;
  if (isInt) return `${m.signed ? "int" : "uint"}${m.size * 8}`;
  return "other";
}

/** The object at `path`, if it is a dataset. */
export function getDataset(root: Group, path: string): Dataset | null {
  const e = root.get(path);
  return e instanceof h5wasm.Dataset ? e : null;
}

function firstElement(v: OutputData | null): unknown {
  if (v === null) return null;
  if (ArrayBuffer.isView(v)) return (v as unknown as ArrayLike<unknown>).length > 0 ? (v as unknown as ArrayLike<unknown>)[0] : null;
  if (Array.isArray(v)) return v.length > 0 ? firstElement(v[0] as OutputData) : null;
  return v;
}

/** A numeric scalar (or the first element of a 1-element array, as area-detector writers store them). */
export function readNumber(root: Group, path: string): number | null {
  const ds = getDataset(root, path);
  if (ds === null) return null;
  const v = firstElement(ds.value);
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function asString(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v).replace(/\0+$/, "");
  return null;
}

/** A string scalar (or the first element of a string array). */
export function readString(root: Group, path: string): string | null {
  const ds = getDataset(root, path);
  if (ds === null) return null;
  return asString(firstElement(ds.value));
}

/** An attribute of the object at `path` as a string, or null. */
export function readStringAttr(obj: Group | Dataset, name: string): string | null {
  const a: Attribute | undefined = obj.attrs[name];
  if (a === undefined) return null;
  return asString(firstElement(a.value));
}

/** An attribute as a number, or null. */
export function readNumberAttr(obj: Group | Dataset, name: string): number | null {
  const a: Attribute | undefined = obj.attrs[name];
  if (a === undefined) return null;
  const v = firstElement(a.value);
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return null;
}

/** Convert a length in `units` (SI metre when absent) to metres; null for an unknown unit. */
export function lengthToMetres(value: number, units: string | null): number | null {
  const u = (units ?? "m").trim().toLowerCase();
  const scale: Record<string, number> = {
    m: 1, meter: 1, meters: 1, metre: 1, metres: 1,
    cm: 1e-2, mm: 1e-3, millimeter: 1e-3, millimeters: 1e-3, millimetre: 1e-3, millimetres: 1e-3,
    um: 1e-6, "µm": 1e-6, "μm": 1e-6, micron: 1e-6, microns: 1e-6, micrometer: 1e-6, micrometers: 1e-6,
    micrometre: 1e-6, micrometres: 1e-6, nm: 1e-9, nanometer: 1e-9, nanometers: 1e-9,
  };
  const s = scale[u];
  return s === undefined ? null : value * s;
}

/**
 * Create the HDF5 file `path` through `body`, atomically (written under a temp name, renamed
 * when complete: atomicFile.ts) and with the HDF5 clock pinned (equal content, equal bytes).
 */
export async function writeHdf5Atomically(path: string, body: (file: H5File) => void): Promise<void> {
  const h5 = await loadH5();
  const partial = createPartialFile(resolve(path));
  try {
    withPinnedClock(sourceDateEpochMs(), () => {
      const file = new h5.File(partial.tempPath, "w");
      try {
        body(file);
      } finally {
        file.close();
      }
    });
    partial.commit();
  } catch (e) {
    partial.abort();
    throw e;
  }
}
