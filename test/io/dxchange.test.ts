/** DXchange writer/reader: round trip of every value, attributes, determinism, atomicity, h5py cross-check. */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import h5wasm from "h5wasm/node";
import type { Dataset } from "h5wasm/node";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DxchangeWriter, type ExchangeDtype, GEOMETRY_COLUMNS, readDxchange } from "../../src/io/dxchange.js";

const dir = mkdtempSync(join(tmpdir(), "xtwin-dx-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const N = { nAngles: 5, nRows: 4, nCols: 6, nFlat: 2, nDark: 3 };
const PIX = N.nRows * N.nCols;
const GRID = { nx: 3, ny: 2, nz: 4, voxelSizeM: 2e-6 };
const NVOX = GRID.nx * GRID.ny * GRID.nz;
const SCENARIO = { name: "tiny", energy: "20 keV", detector: { cols: 6, rows: 4 } };

// Distinct, exactly representable values: projection i, row r, col c -> 1000 i + 10 r + c (+ 0.25 in float files).
const value = (dtype: ExchangeDtype, i: number, k: number) => 1000 * i + 10 * Math.floor(k / N.nCols) + (k % N.nCols) + (dtype === "float32" ? 0.25 : 0);
function image(dtype: ExchangeDtype, i: number): Uint16Array | Float32Array {
  const a = dtype === "uint16" ? new Uint16Array(PIX) : new Float32Array(PIX);
  for (let k = 0; k < PIX; k++) a[k] = value(dtype, i, k);
  return a;
}
const flatImage = (dtype: ExchangeDtype, i: number) => image(dtype, 50 + i);
const darkImage = (dtype: ExchangeDtype, i: number) => image(dtype, 60 + i);
const theta = Array.from({ length: N.nAngles }, (_, i) => (i * 180) / N.nAngles);
const vectors = Array.from({ length: N.nAngles }, (_, i) => {
  const a = (theta[i]! * Math.PI) / 180;
  return [Math.sin(a), -Math.cos(a), 0, 0, 0, 0, Math.cos(a) * 1e-6, Math.sin(a) * 1e-6, 0, 0, 0, 1e-6];
});
const labels = Uint8Array.from({ length: NVOX }, (_, k) => k % 3);
const mu = Float32Array.from({ length: NVOX }, (_, k) => 100 + k * 0.5);
const fraction = Float32Array.from({ length: NVOX }, (_, k) => (k % 4) / 4);
const secondary = Uint8Array.from({ length: NVOX }, (_, k) => (k + 1) % 3);

async function writeSample(path: string, dtype: ExchangeDtype, opts: { gzip?: number } = {}): Promise<void> {
  const w = await DxchangeWriter.open(path, { ...N, dtype, ...opts });
  try {
    // out of order on purpose: the file must not depend on write order of projections
    for (const i of [3, 0, 4, 1, 2]) w.writeProjection(i, image(dtype, i));
    for (let i = 0; i < N.nFlat; i++) w.writeFlat(i, flatImage(dtype, i));
    for (let i = 0; i < N.nDark; i++) w.writeDark(i, darkImage(dtype, i));
    w.writeTheta(theta);
    w.writeInstrument({
      energyKeV: 20,
      pixelSizeXM: 6.5e-6,
      pixelSizeYM: 6.5e-6,
      samplePixelSizeXM: 1.3e-6,
      samplePixelSizeYM: 1.3e-6,
      sampleDetectorDistanceM: 0.05,
      instrumentName: "xtwin virtual beamline",
    });
    w.writeSample({ name: "NMC811 half cell", description: "tiny test phantom" });
    w.writeProcess({ softwareVersion: "0.1.0", scenario: SCENARIO, seed: 42 });
    w.writeGeometry({ type: "parallel3d_vec", vectors, frame: "rotation axis z" });
    w.writeTruth({ grid: GRID, labels, classNames: ["void", "NMC811", "carbon binder"], mu, energyKeV: 20, fraction, secondary });
    w.close();
  } catch (e) {
    w.abort();
    throw e;
  }
}

const sha256 = (p: string) => createHash("sha256").update(readFileSync(p)).digest("hex");
const partials = () => readdirSync(dir).filter((n) => n.includes(".partial-"));

for (const dtype of ["uint16", "float32"] as const) {
  test(`${dtype}: every value reads back, by projection and by sinogram row`, async () => {
    const path = join(dir, `scan-${dtype}.h5`);
    await writeSample(path, dtype);
    assert.equal(partials(), []);
    const f = await readDxchange(path);
    try {
      assert.equal([f.nAngles, f.nRows, f.nCols, f.nFlat, f.nDark], [5, 4, 6, 2, 3]);
      assert.is(f.dtype, dtype);
      assert.is(f.implements, "exchange:measurement:process");
      assert.equal(Array.from(f.theta!), theta);
      assert.is(f.energyKeV, 20);
      assert.equal(f.pixelSizeM, { x: 6.5e-6, y: 6.5e-6 });
      assert.equal(f.samplePixelSizeM, { x: 1.3e-6, y: 1.3e-6 });
      assert.is(f.sampleDetectorDistanceM, 0.05);
      assert.is(f.sampleName, "NMC811 half cell");
      assert.equal(f.readScenario(), SCENARIO);
      for (let i = 0; i < N.nAngles; i++) {
        const p = f.readProjection(i);
        assert.ok(dtype === "uint16" ? p instanceof Uint16Array : p instanceof Float32Array, "typed array of the file's dtype");
        assert.equal(Array.from(p as ArrayLike<number>), Array.from(image(dtype, i)), `projection ${i}`);
      }
      for (let i = 0; i < N.nFlat; i++) assert.equal(Array.from(f.readFlat(i) as ArrayLike<number>), Array.from(flatImage(dtype, i)));
      for (let i = 0; i < N.nDark; i++) assert.equal(Array.from(f.readDark(i) as ArrayLike<number>), Array.from(darkImage(dtype, i)));
      for (let r = 0; r < N.nRows; r++) {
        const s = f.readSinogram(r) as ArrayLike<number>;
        assert.is(s.length, N.nAngles * N.nCols);
        for (let i = 0; i < N.nAngles; i++) for (let c = 0; c < N.nCols; c++) assert.is(s[i * N.nCols + c], value(dtype, i, r * N.nCols + c));
      }
      assert.throws(() => f.readProjection(5), /out of range/);
      const g = f.readGeometry()!;
      assert.is(g.type, "parallel3d_vec");
      assert.equal(g.columns, [...GEOMETRY_COLUMNS.parallel3d_vec]);
      assert.equal(Array.from(g.vectors), vectors.flat());
      const t = f.readTruth()!;
      assert.equal(t.shape, [GRID.nz, GRID.ny, GRID.nx]);
      assert.equal(t.classNames, ["void", "NMC811", "carbon binder"]);
      assert.is(t.voxelSizeM, 2e-6);
      assert.is(t.energyKeV, 20);
      assert.equal(Array.from(t.labels as Uint8Array), Array.from(labels));
      assert.equal(Array.from(t.mu as Float32Array), Array.from(mu));
      assert.equal(Array.from(t.fraction as Float32Array), Array.from(fraction));
      assert.equal(Array.from(t.secondary as Uint8Array), Array.from(secondary));
    } finally {
      f.close();
    }
  });
}

test("names, units attributes and chunking follow the DXchange layout", async () => {
  const path = join(dir, "scan-uint16.h5");
  await h5wasm.ready;
  const f = new h5wasm.File(path, "r");
  try {
    const ds = (p: string) => {
      const d = f.get(p);
      assert.ok(d instanceof h5wasm.Dataset, `${p} is a dataset`);
      return d as Dataset;
    };
    const attr = (p: string, a: string) => ds(p).attrs[a]?.value;
    const data = ds("exchange/data");
    assert.equal(data.shape, [5, 4, 6]);
    assert.equal(data.metadata.chunks, [1, 4, 6]);
    assert.is(attr("exchange/data", "axes"), "theta:y:x");
    assert.is(attr("exchange/data", "units"), "counts");
    assert.equal(ds("exchange/data_white").shape, [2, 4, 6]);
    assert.equal(ds("exchange/data_dark").shape, [3, 4, 6]);
    assert.is(attr("exchange/theta", "units"), "degree");
    assert.is(attr("measurement/instrument/monochromator/energy", "units"), "keV");
    for (const p of ["pixel_size_x", "pixel_size_y", "actual_pixel_size_x", "actual_pixel_size_y", "geometry/translation/distances"]) {
      assert.is(attr(`measurement/instrument/detector/${p}`, "units"), "m", p);
    }
    assert.is(ds("measurement/instrument/detector/dimension_x").value, 6);
    assert.is(ds("measurement/instrument/detector/dimension_y").value, 4);
    assert.equal(Array.from(ds("measurement/instrument/detector/geometry/translation/distances").value as Float64Array), [0, 0, 0.05]);
    assert.is(ds("measurement/instrument/detector_motor_stack/setup/z").value, 50);
    assert.is(attr("measurement/instrument/detector_motor_stack/setup/z", "units"), "mm");
    assert.ok(Math.abs((ds("measurement/instrument/detection_system/objective/resolution").value as number) - 1.3) < 1e-12);
    assert.is(ds("process/acquisition/software/name").value, "xtwin");
    assert.is(ds("process/acquisition/software/version").value, "0.1.0");
    assert.is(ds("process/acquisition/seed").value, 42n);
    assert.is(ds("process/acquisition/scenario").value, JSON.stringify({ detector: { cols: 6, rows: 4 }, energy: "20 keV", name: "tiny" }));
    assert.equal(ds("geometry/vectors").shape, [5, 12]);
    assert.is(attr("geometry/vectors", "type"), "parallel3d_vec");
    assert.is(attr("geometry/vectors", "units"), "m");
    assert.equal(JSON.parse(attr("geometry/vectors", "columns") as string), [...GEOMETRY_COLUMNS.parallel3d_vec]);
    assert.is(attr("truth/mu", "units"), "1/m");
    assert.is(attr("truth/mu", "energyKeV"), 20);
    assert.is(attr("truth/labels", "voxelSizeM"), 2e-6);
    assert.equal(ds("truth/labels").metadata.chunks, [1, 2, 3]);
  } finally {
    f.close();
  }
});

test("byte-identical files whatever the wall clock says (Date.now pinned during HDF5 calls)", async () => {
  const realNow = Date.now;
  const a = join(dir, "det-a.h5");
  const b = join(dir, "det-b.h5");
  try {
    const clockA = () => 1_700_000_000_000;
    Date.now = clockA;
    await writeSample(a, "float32");
    assert.is(Date.now, clockA, "Date.now restored after writing");
    Date.now = () => 1_800_000_123_456;
    await writeSample(b, "float32");
  } finally {
    Date.now = realNow;
  }
  assert.is(sha256(a), sha256(b));
  // ...and the stamp really is in the file: SOURCE_DATE_EPOCH changes the bytes.
  const c = join(dir, "det-c.h5");
  const saved = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = "1700000000";
  try {
    await writeSample(c, "float32");
  } finally {
    if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = saved;
  }
  assert.is.not(sha256(c), sha256(a));
});

test("gzip-compressed datasets read back the same", async () => {
  const path = join(dir, "gz.h5");
  await writeSample(path, "uint16", { gzip: 4 });
  const f = await readDxchange(path);
  try {
    assert.equal(Array.from(f.readProjection(2) as Uint16Array), Array.from(image("uint16", 2)));
    assert.equal(Array.from(f.readTruth()!.mu as Float32Array), Array.from(mu));
  } finally {
    f.close();
  }
});

test("abort leaves neither the file nor a temp file; incomplete scans refuse to commit", async () => {
  const path = join(dir, "aborted.h5");
  const w = await DxchangeWriter.open(path, { ...N, dtype: "uint16" });
  assert.ok(existsSync(w.tempPath));
  w.writeProjection(0, image("uint16", 0));
  assert.throws(() => w.close(), /incomplete, missing: projection 1, 2, 3, 4; flat 0, 1; dark 0, 1, 2; theta/);
  assert.not.ok(existsSync(path), "nothing committed");
  assert.throws(() => w.writeProjection(1, new Float32Array(PIX) as never), /Uint16Array/);
  assert.throws(() => w.writeProjection(1, new Uint16Array(PIX - 1)), /4 x 6 = 24 values/);
  assert.throws(() => w.writeProjection(5, image("uint16", 0)), /out of range/);
  w.abort();
  w.abort();
  assert.not.ok(existsSync(path));
  assert.not.ok(existsSync(w.tempPath));
  assert.equal(partials(), []);
  assert.throws(() => w.writeProjection(1, image("uint16", 1)), /aborted/);
});

test("a file from another writer: only /exchange/data needed", async () => {
  const path = join(dir, "minimal.h5");
  await h5wasm.ready;
  const f = new h5wasm.File(path, "w");
  f.create_group("exchange");
  f.get("exchange");
  (f.get("exchange") as InstanceType<typeof h5wasm.Group>).create_dataset({ name: "data", data: new Float64Array(2 * 3 * 4).map((_, k) => k), shape: [2, 3, 4], dtype: "<d" });
  f.close();
  const r = await readDxchange(path);
  try {
    assert.equal([r.nAngles, r.nRows, r.nCols, r.nFlat, r.nDark], [2, 3, 4, 0, 0]);
    assert.is(r.dtype, "float64");
    assert.is(r.theta, null);
    assert.is(r.energyKeV, null);
    assert.is(r.pixelSizeM, null);
    assert.is(r.readTruth(), null);
    assert.is(r.readGeometry(), null);
    assert.equal(Array.from(r.readSinogram(1) as Float64Array), [4, 5, 6, 7, 16, 17, 18, 19]);
    assert.throws(() => r.readFlat(0), /no flat fields/);
  } finally {
    r.close();
  }
  await assert_rejects(() => readDxchange(join(dir, "nope.h5")), /no such file/);
});

async function assert_rejects(fn: () => Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await fn();
  } catch (e) {
    assert.match(String((e as Error).message), re);
    return;
  }
  assert.unreachable("expected a rejection");
}

const PYTHON = "/usr/bin/python3";
const hasH5py = existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import h5py, numpy"], { encoding: "utf8" }).status === 0;

test("h5py reads the file as TomoPy/dxchange would", () => {
  if (!hasH5py) {
    console.log("  notice: /usr/bin/python3 with h5py and numpy not found; skipping the h5py cross-check");
    return;
  }
  const script = `
import sys, json, h5py, numpy as np
out = {}
for path in sys.argv[1:]:
    with h5py.File(path, "r") as f:
        d = f["/exchange/data"]
        out[path] = {
            "shape": list(d.shape), "dtype": str(d.dtype), "chunks": list(d.chunks),
            "v": float(d[3, 2, 5]),
            "white": list(f["/exchange/data_white"].shape), "dark": list(f["/exchange/data_dark"].shape),
            "theta": f["/exchange/theta"][()].tolist(), "theta_dtype": str(f["/exchange/theta"].dtype),
            "energy": float(f["/measurement/instrument/monochromator/energy"][()]),
            "implements": f["/implements"][()].decode(),
            "labels": str(f["/truth/labels"].dtype), "mu_shape": list(f["/truth/mu"].shape),
        }
print(json.dumps(out))
`;
  const files = { uint16: join(dir, "scan-uint16.h5"), float32: join(dir, "scan-float32.h5") };
  const r = spawnSync(PYTHON, ["-c", script, files.uint16, files.float32], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>;
  for (const [dtype, path] of Object.entries(files) as [ExchangeDtype, string][]) {
    const o = out[path]!;
    assert.equal(o.shape, [5, 4, 6]);
    assert.is(o.dtype, dtype);
    assert.equal(o.chunks, [1, 4, 6]);
    assert.is(o.v, value(dtype, 3, 2 * N.nCols + 5));
    assert.equal(o.white, [2, 4, 6]);
    assert.equal(o.dark, [3, 4, 6]);
    assert.equal(o.theta, theta);
    assert.is(o.theta_dtype, "float64");
    assert.is(o.energy, 20);
    assert.is(o.implements, "exchange:measurement:process");
    assert.is(o.labels, "uint8");
    assert.equal(o.mu_shape, [4, 2, 3]);
  }
});

test.run();
