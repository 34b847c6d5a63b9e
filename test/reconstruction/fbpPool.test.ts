import { test } from "uvu";
import * as assert from "uvu/assert";
import { equalAngles, parallelBeamGeometry } from "../../src/acquisition/geometry.js";
import { projectAll } from "../../src/acquisition/projector.js";
import { fbpParallel } from "../../src/reconstruction/fbp.js";
import { createFbpPool, fbpParallelThreaded } from "../../src/reconstruction/fbpPool.js";

function ball(n: number, nz: number): Float32Array {
  const v = new Float32Array(n * n * nz);
  const c = (n - 1) / 2;
  for (let k = 0; k < nz; k++) for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
    if ((i - c - 3) ** 2 + (j - c) ** 2 + (k - nz / 2) ** 2 < (0.3 * n) ** 2) v[i + n * (j + n * k)] = 500 + 10 * k;
  }
  return v;
}

test("worker FBP is bit-identical to fbpParallel: whole slices (volume) and row bands (one slice)", async () => {
  const n = 40;
  const s = 1e-6;
  for (const nz of [6, 1]) {
    const grid = { nx: n, ny: n, nz, voxelSizeM: s };
    const geometry = parallelBeamGeometry({ anglesRad: equalAngles(30, Math.PI), rows: nz, cols: n, pixelSizeM: s, centerOffsetPx: 1.5 });
    const proj = projectAll(ball(n, nz), grid, geometry);
    const serial = fbpParallel(proj, geometry, { grid, filter: "hann" });
    const pool = createFbpPool(2);
    try {
      const seen: number[] = [];
      const threaded = await pool.reconstruct(proj, geometry, { grid, filter: "hann", onProgress: (d) => seen.push(d) });
      assert.equal(Array.from(threaded), Array.from(serial), `nz = ${nz}`);
      assert.is(seen[seen.length - 1], nz, "progress ends at the slice count");
      // The pool serves a second reconstruction with the same workers.
      const again = await pool.reconstruct(proj, geometry, { grid, filter: "hann" });
      assert.equal(Array.from(again), Array.from(serial));
    } finally {
      await pool.close();
    }
  }
  const g1 = parallelBeamGeometry({ anglesRad: equalAngles(8, Math.PI), rows: 1, cols: 8, pixelSizeM: 1 });
  const p1 = new Float32Array(64).fill(1);
  assert.equal(Array.from(await fbpParallelThreaded(p1, g1, { workers: 1 })), Array.from(fbpParallel(p1, g1)));
});

test.run();
