import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { decode } from "tiff";
import { readTiffStack, writeTiffStack } from "../../src/io/tiff.js";

const dir = mkdtempSync(join(tmpdir(), "xtwin-tiff-"));

test("float32 stack: an independent decoder (image-js tiff) reads every page, value for value, with ImageJ's header", () => {
  const nx = 5, ny = 3, nz = 4;
  const data = new Float32Array(nx * ny * nz).map((_, i) => Math.sin(i) * 1e3 - 0.125);
  const path = join(dir, "f.tif");
  writeTiffStack(path, data, nx, ny, nz, { voxelSizeM: 0.65e-6 });
  const bytes = readFileSync(path);
  assert.equal([...bytes.subarray(0, 4)], [0x49, 0x49, 42, 0], "little-endian TIFF magic");
  const pages = decode(bytes);
  assert.is(pages.length, nz);
  for (let z = 0; z < nz; z++) {
    const p = pages[z]!;
    assert.is(p.width, nx);
    assert.is(p.height, ny);
    assert.is(p.bitsPerSample, 32);
    assert.is(p.sampleFormat, 3);
    assert.equal(Array.from(p.data as Float32Array), Array.from(data.subarray(z * nx * ny, (z + 1) * nx * ny)));
  }
  assert.match(pages[0]!.imageDescription ?? "", /^ImageJ=.*\nimages=4\nslices=4\nunit=micron\nspacing=0\.65/);
  // 0.65 um -> 15384.6154 pixels per cm.
  assert.ok(Math.abs(pages[0]!.xResolution - 1 / 0.65e-4) < 1e-3, `x resolution ${pages[0]!.xResolution}`);
  assert.is(pages[0]!.resolutionUnit, 3);
  const back = readTiffStack(path);
  assert.equal([back.nx, back.ny, back.nz], [nx, ny, nz]);
  assert.ok(Math.abs(back.voxelSizeM! - 0.65e-6) < 1e-15);
  assert.equal(Array.from(back.data), Array.from(data));
});

test("uint16 and uint8 label stacks round-trip; odd sizes keep pages aligned", () => {
  const u16 = new Uint16Array(7 * 3 * 3).map((_, i) => (i * 977) % 65536);
  writeTiffStack(join(dir, "u16.tif"), u16, 7, 3, 3);
  const a = readTiffStack(join(dir, "u16.tif"));
  assert.ok(a.data instanceof Uint16Array);
  assert.equal(Array.from(a.data), Array.from(u16));
  assert.is(a.voxelSizeM, null);
  const u8 = new Uint8Array(3 * 5 * 2).map((_, i) => i % 4);
  writeTiffStack(join(dir, "u8.tif"), u8, 3, 5, 2);
  const b = readTiffStack(join(dir, "u8.tif"));
  assert.ok(b.data instanceof Uint8Array);
  assert.equal(Array.from(b.data), Array.from(u8));
});

test("bad shapes are refused and leave no file behind", () => {
  assert.throws(() => writeTiffStack(join(dir, "bad.tif"), new Float32Array(10), 3, 3, 1), /holds 10 values, 3x3x1 needs 9/);
  assert.throws(() => writeTiffStack(join(dir, "bad.tif"), new Float32Array(9), 3, 3, 1, { voxelSizeM: -1 }), /voxel size must be a positive length/);
  assert.not.ok(readdirSync(dir).some((f) => f.includes("bad")));
});

test.run();
