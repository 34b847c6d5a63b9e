import { test } from "uvu";
import * as assert from "uvu/assert";
import { equalAngles, parallelBeamGeometry } from "../../src/acquisition/geometry.js";
import { fbpParallel } from "../../src/reconstruction/fbp.js";
import { createFbpPool } from "../../src/reconstruction/fbpPool.js";

test("circle: voxels inside the disc every angle sees equal the full reconstruction, outside are 0 (also on the pool)", async () => {
  const n = 33, s = 1e-6, offset = 2;
  const geometry = parallelBeamGeometry({ anglesRad: equalAngles(40, Math.PI), rows: 2, cols: n, pixelSizeM: s, centerOffsetPx: offset });
  const proj = new Float32Array(40 * 2 * n).map((_, i) => Math.sin(i * 0.37) + 1.5);
  const grid = { nx: n, ny: n, nz: 2, voxelSizeM: s };
  const full = fbpParallel(proj, geometry, { grid });
  const disc = fbpParallel(proj, geometry, { grid, circle: true });
  // The axis sits at column (n-1)/2 - offset = 14: the disc reaches 14 pixels.
  const R = 14 * s;
  let inside = 0, outside = 0;
  for (let k = 0; k < 2; k++) for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
    const x = (i - (n - 1) / 2) * s, y = (j - (n - 1) / 2) * s;
    const v = i + n * (j + n * k);
    if (x * x + y * y <= R * R * (1 - 1e-9)) {
      assert.ok(Math.abs(disc[v]! - full[v]!) <= 1e-6 * Math.abs(full[v]!) + 1e-3, `voxel ${i},${j}: ${disc[v]} vs ${full[v]}`);
      inside++;
    } else if (x * x + y * y > R * R * (1 + 1e-9)) {
      assert.is(disc[v], 0);
      outside++;
    }
  }
  assert.ok(inside > 1000 && outside > 300, `${inside} inside, ${outside} outside`);
  const pool = createFbpPool(2);
  try {
    assert.equal(Array.from(await pool.reconstruct(proj, geometry, { grid, circle: true })), Array.from(disc));
  } finally {
    await pool.close();
  }
});

test.run();
