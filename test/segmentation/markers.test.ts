import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRandom } from "../../src/core/random.js";
import { reconstructByDilation } from "../../src/segmentation/markers.js";
import { neighbourhood, type VolumeShape } from "../../src/segmentation/shape.js";

/** Reference: repeat the elementary geodesic dilation min(max over the neighbourhood, f) until nothing changes. */
function iteratedGeodesicDilation(marker: Float64Array, f: Float64Array, mask: Uint8Array, s: VolumeShape, connectivity: 6 | 26): Float64Array {
  const hood = neighbourhood(connectivity, s);
  let cur = marker.map((m, p) => Math.min(m, f[p]!));
  for (let changed = true; changed; ) {
    changed = false;
    const next = cur.slice();
    for (let k = 0; k < s.nz; k++) for (let j = 0; j < s.ny; j++) for (let i = 0; i < s.nx; i++) {
      const p = i + s.nx * (j + s.ny * k);
      if (mask[p] === 0) continue;
      let v = cur[p]!;
      for (let t = 0; t < hood.count; t++) {
        const a = i + hood.di[t]!, b = j + hood.dj[t]!, c = k + hood.dk[t]!;
        if (a < 0 || b < 0 || c < 0 || a >= s.nx || b >= s.ny || c >= s.nz) continue;
        const q = a + s.nx * (b + s.ny * c);
        if (mask[q] === 1 && cur[q]! > v) v = cur[q]!;
      }
      v = Math.min(v, f[p]!);
      if (v !== next[p]) {
        next[p] = v;
        changed = true;
      }
    }
    cur = next;
  }
  return cur;
}

test("reconstruction by dilation equals iterated geodesic dilation on random data, 6 and 26 neighbours", () => {
  const s = { nx: 13, ny: 11, nz: 9 };
  const n = 13 * 11 * 9;
  const rng = createRandom(99);
  const f = new Float64Array(n);
  const marker = new Float64Array(n);
  const mask = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    f[p] = Math.floor(rng.next() * 20);
    marker[p] = rng.next() < 0.05 ? f[p]! : f[p]! - 6;
    mask[p] = rng.next() < 0.85 ? 1 : 0;
  }
  for (const connectivity of [6, 26] as const) {
    const ours = reconstructByDilation(marker, f, s, { mask, connectivity });
    const reference = iteratedGeodesicDilation(marker, f, mask, s, connectivity);
    let differences = 0;
    for (let p = 0; p < n; p++) if (ours[p] !== reference[p]) differences++;
    assert.is(differences, 0, `connectivity ${connectivity}`);
  }
});

test.run();
