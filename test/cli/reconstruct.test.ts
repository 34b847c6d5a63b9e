/** `xtwin run` with a reconstruction section, `xtwin reconstruct`, `segment`, `validate`, as a user runs them. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { equalAngles, parallelBeamGeometry } from "../../src/acquisition/geometry.js";
import { projectAll } from "../../src/acquisition/projector.js";
import { loadH5 } from "../../src/io/hdf5.js";
import { readVolume } from "../../src/io/volumeFile.js";
import { REPO_ROOT } from "../helpers.js";

const CLI = REPO_ROOT + "dist/src/cli/main.js";
const dir = mkdtempSync(join(tmpdir(), "xtwin-recon-cli-"));

function xtwin(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
}

test("a noiseless scan reconstructs, segments and scores itself: main phases Dice >= 0.99 (run with reconstruction:)", () => {
  const scenario = join(dir, "s.yaml");
  writeFileSync(
    scenario,
    `name: phases
seed: 3
sample:
  voxelSize: 1 um
  shape: [96, 96, 4]
  background: air
  objects:
    - { type: cylinder, material: Al, center: [0 um, 0 um, 0 um], radius: 42 um, height: 20 um, axis: z }
    - { type: cylinder, material: NMC811, center: [8 um, -6 um, 0 um], radius: 18 um, height: 20 um, axis: z }
beam: { energy: 25 keV, photonsPerPixel: 1e5 }
geometry: { type: parallel, angles: 150, range: 180 deg }
detector: { cols: 96, rows: 4, pixelSize: 1 um, noise: false }
scan: { flats: 1, darks: 1 }
reconstruction: { algorithm: fbp, filter: shepp-logan, segment: { classes: 3 } }
`,
  );
  const out = join(dir, "run");
  const r = xtwin("run", scenario, "--out", out, "--workers", "0");
  assert.is(r.status, 0, r.stderr);
  for (const f of ["phases.h5", "recon.h5", "seg.h5", "scores.json"]) assert.ok(existsSync(join(out, f)), f);
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { files: { path: string }[] };
  assert.equal(manifest.files.map((f) => f.path), ["phases.h5", "recon.h5", "scores.json", "seg.h5"]);
  assert.match(r.stdout, /reconstruction: RMSE .* 1\/m, PSNR .* dB, SSIM/);
  const scores = JSON.parse(readFileSync(join(out, "scores.json"), "utf8")) as Record<string, any>;
  for (const k of ["rmse", "psnr", "ssim", "dice", "iou", "resolution"]) assert.ok(k in scores, `scores.json has ${k}`);
  // A noiseless band-limited reconstruction correlates with the truth to a few voxels.
  assert.ok(scores.resolution.frequencyPerVoxel === null || scores.resolution.frequencyPerVoxel > 0.15, JSON.stringify(scores.resolution));
  assert.is(scores.classMapping.method, "attenuation-order");
  assert.equal(scores.classMapping.segmentedToTruth, ["air", "Al", "NMC811"]);
  for (const phase of ["air", "Al", "NMC811"]) assert.ok(scores.dice[phase] >= 0.99, `Dice ${phase} = ${scores.dice[phase]}`);
  // validate gives the same numbers from the files alone, in JSON with the keys.
  const v = xtwin("validate", "--truth", out, "--recon", join(out, "recon.h5"), "--seg", join(out, "seg.h5"), "--json");
  assert.is(v.status, 0, v.stderr);
  const again = JSON.parse(v.stdout) as Record<string, any>;
  assert.is(again.rmse, scores.rmse);
  assert.equal(again.dice, scores.dice);
});

test("xtwin reconstruct reads a plain DXchange file (no xtwin extensions), finds the centre and the attenuation", async () => {
  // A disk of mu = 800 /m, 3.4 px off the rotation axis in the detector (centre offset).
  const n = 48, rows = 2, angles = 90, s = 2e-6, mu = 800, offset = 3.4;
  const grid = { nx: n, ny: n, nz: rows, voxelSizeM: s };
  const vol = new Float32Array(n * n * rows);
  const c = (n - 1) / 2;
  for (let k = 0; k < rows; k++) for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) if ((i - c - 4) ** 2 + (j - c) ** 2 < 12 ** 2) vol[i + n * (j + n * k)] = mu;
  const theta = equalAngles(angles, Math.PI);
  const p = projectAll(vol, grid, parallelBeamGeometry({ anglesRad: theta, rows, cols: n, pixelSizeM: s, centerOffsetPx: offset }));
  const flat = 1e4;
  // Another writer's choices: uint16 counts chunked 7 angles x 1 row x all columns with
  // gzip, float64 flats and darks, theta in radians (units "rad"), pixel size in microns.
  const counts = Uint16Array.from(p, (x) => Math.round(flat * Math.exp(-x)));
  const h5 = await loadH5();
  const path = join(dir, "plain.h5");
  const f = new h5.File(path, "w");
  const ex = f.create_group("exchange");
  ex.create_dataset({ name: "data", data: counts, shape: [angles, rows, n], dtype: "<H", chunks: [7, 1, n], compression: "gzip", compression_opts: 6 });
  ex.create_dataset({ name: "data_white", data: new Float64Array(2 * rows * n).fill(flat), shape: [2, rows, n], dtype: "<d", chunks: [1, rows, n] });
  ex.create_dataset({ name: "data_dark", data: new Float64Array(rows * n), shape: [1, rows, n], dtype: "<d" });
  const th = ex.create_dataset({ name: "theta", data: Float64Array.from(theta), shape: [angles], dtype: "<d" });
  th.create_attribute("units", "rad");
  const det = f.create_group("measurement").create_group("instrument").create_group("detector");
  const px = det.create_dataset({ name: "pixel_size_x", data: new Float64Array([s * 1e6]), shape: [], dtype: "<d" });
  px.create_attribute("units", "microns");
  f.close();

  const out = join(dir, "plain-recon.h5");
  const tif = join(dir, "plain-recon.tif");
  const r = xtwin("reconstruct", path, "--out", out, "--center", "auto", "--tiff", tif, "--workers", "1");
  assert.is(r.status, 0, r.stderr);
  const found = Number(/centre offset (-?[0-9.]+) px/.exec(r.stdout)?.[1]);
  assert.ok(Math.abs(found - offset) < 0.25, `centre offset ${found} vs ${offset}`);
  const rec = await readVolume(out);
  assert.equal([rec.nx, rec.ny, rec.nz], [n, n, rows]);
  assert.ok(Math.abs(rec.voxelSizeM! - s) < 1e-15);
  let sum = 0, count = 0;
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) if ((i - c - 4) ** 2 + (j - c) ** 2 < 8 ** 2) { sum += (rec.data as Float32Array)[i + n * j]!; count++; }
  // uint16 rounding of 1e4-count frames adds under 0.1 % of noise.
  assert.ok(Math.abs(sum / count / mu - 1) < 0.02, `disk mean ${sum / count} vs ${mu}`);
  const t = await readVolume(tif);
  assert.equal(Array.from(t.data as Float32Array), Array.from(rec.data as Float32Array));
});

const PYTHON = "/usr/bin/python3";
const hasH5py = existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import h5py, numpy"], { encoding: "utf8" }).status === 0;

test("xtwin reconstruct reads a DXchange file written by h5py (float64 data, chunks 3 x rows x 16, degrees)", async () => {
  if (!hasH5py) {
    console.log("  notice: /usr/bin/python3 with h5py and numpy not found; skipping the h5py-written file");
    return;
  }
  // h5py writes the scan of a centred disk (mu 500 /m, radius 10 px of 1 um) analytically.
  const script = `
import sys, h5py, numpy as np
n, rows, angles, s, mu, R = 40, 2, 60, 1e-6, 500.0, 10.0
theta = np.arange(angles) * 180.0 / angles
t = (np.arange(n) - (n - 1) / 2.0)
chord = np.where(np.abs(t) < R, 2 * np.sqrt(np.maximum(R * R - t * t, 0)), 0) * s * mu
data = np.broadcast_to(1e4 * np.exp(-chord), (angles, rows, n)).astype(np.float64)
with h5py.File(sys.argv[1], "w") as f:
    f.create_dataset("/exchange/data", data=data, chunks=(3, rows, 16))
    f.create_dataset("/exchange/data_white", data=np.full((3, rows, n), 1e4))
    f.create_dataset("/exchange/data_dark", data=np.zeros((2, rows, n)))
    f.create_dataset("/exchange/theta", data=theta)
    f.create_dataset("/measurement/instrument/detector/pixel_size_x", data=s)
`;
  const path = join(dir, "h5py.h5");
  const w = spawnSync(PYTHON, ["-c", script, path], { encoding: "utf8" });
  assert.is(w.status, 0, w.stderr);
  const out = join(dir, "h5py-recon.h5");
  const r = xtwin("reconstruct", path, "--out", out, "--workers", "0");
  assert.is(r.status, 0, r.stderr);
  const rec = await readVolume(out);
  const n = 40, c = (n - 1) / 2;
  let sum = 0, count = 0;
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) if ((i - c) ** 2 + (j - c) ** 2 < 7 ** 2) { sum += (rec.data as Float32Array)[i + n * j]!; count++; }
  assert.ok(Math.abs(sum / count / 500 - 1) < 0.02, `disk mean ${sum / count} vs 500`);
});

test("bad requests fail with one line and exit code 2", () => {
  const cases: Array<[string[], RegExp]> = [
    [["reconstruct", "x.h5"], /reconstruct: --out <recon.h5> is required/],
    [["reconstruct", "x.h5", "--out", "y.h5", "--algorithm", "art"], /--algorithm: expected one of fbp, fdk, sirt, cgls, got "art"/],
    [["reconstruct", "x.h5", "--out", "y.h5", "--filter", "box"], /--filter: expected one of ram-lak/],
    [["validate", "--recon", "x.h5"], /validate: --truth <run dir or .h5> is required/],
    [["validate", "--truth", dir], /validate: give --recon <file> and\/or --seg <file>/],
    [["segment", "x.h5", "--out", "y.h5", "--classes", "1"], /--classes: expected a whole number from 2 to 255, got "1"/],
  ];
  for (const [args, message] of cases) {
    const r = xtwin(...args);
    assert.is(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.is(r.stderr.trim().split("\n").length, 1, r.stderr);
  }
});

test.run();
