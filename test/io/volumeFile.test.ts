import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readVolume, writeReconFile, writeSegmentationFile, writeVolumeTiff } from "../../src/io/volumeFile.js";

const dir = mkdtempSync(join(tmpdir(), "xtwin-volume-"));
const grid = { nx: 6, ny: 5, nz: 4, voxelSizeM: 2e-6 };
const n = 6 * 5 * 4;

test("recon.h5: /exchange/recon float32 [z][y][x] with its voxel size reads back exactly", async () => {
  const recon = new Float32Array(n).map((_, i) => 1000 * Math.cos(i) + 0.5);
  const path = join(dir, "recon.h5");
  await writeReconFile(path, recon, grid, { algorithm: "fbp", filter: "shepp-logan", centerOffsetPx: 1.5, software: { name: "xtwin", version: "test" } });
  const v = await readVolume(path);
  assert.is(v.source, "exchange/recon");
  assert.equal([v.nx, v.ny, v.nz], [6, 5, 4]);
  assert.is(v.voxelSizeM, 2e-6);
  assert.ok(v.data instanceof Float32Array);
  assert.equal(Array.from(v.data), Array.from(recon));
});

test("seg.h5: classes with names and thresholds, instances; read by dataset path", async () => {
  const classes = new Uint8Array(n).map((_, i) => i % 3);
  const instances = new Int32Array(n).map((_, i) => (i % 7 === 0 ? 0 : 1 + (i % 5)));
  const path = join(dir, "seg.h5");
  await writeSegmentationFile(path, { classes, classNames: ["pore", "cbd", "nmc"], thresholds: [10.5, 200], instances, instanceCount: 5 }, grid);
  const c = await readVolume(path);
  assert.is(c.source, "segmentation/classes");
  assert.equal(c.classNames, ["pore", "cbd", "nmc"]);
  assert.equal(Array.from(c.data as Uint8Array), Array.from(classes));
  const i = await readVolume(path, "/segmentation/instances");
  assert.equal(Array.from(i.data as Int32Array), Array.from(instances));
  try {
    await readVolume(path, "exchange/recon");
    assert.unreachable("missing dataset must throw");
  } catch (e) {
    assert.match((e as Error).message, /no volume dataset \(looked for \/exchange\/recon\)/);
  }
});

test("a TIFF stack written from a volume reads back as the same volume and voxel size", async () => {
  const vol = new Float32Array(n).map((_, i) => i / 7);
  const path = join(dir, "v.tif");
  writeVolumeTiff(path, vol, grid);
  const v = await readVolume(path);
  assert.equal([v.nx, v.ny, v.nz], [6, 5, 4]);
  assert.ok(Math.abs(v.voxelSizeM! - 2e-6) < 1e-15);
  assert.equal(Array.from(v.data as Float32Array), Array.from(vol));
});

test.run();
