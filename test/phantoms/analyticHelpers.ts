/** Helpers shared by the phantom tests: chords, seeded randoms, crossing consistency. */
import * as assert from "uvu/assert";
import type { Vec3 } from "../../src/core/grid.js";
import { OUTSIDE, type AnalyticObject, type Ray } from "../../src/phantoms/analytic/types.js";

/** Sorted crossings of a ray. */
export function sortedCrossings(o: AnalyticObject, ray: Ray): number[] {
  const out: number[] = [];
  o.crossings(ray, out);
  for (const t of out) assert.ok(Number.isFinite(t), `${o.type}: crossing ${t} is not finite`);
  return out.sort((a, b) => a - b);
}

/** Total length of the ray inside a solid (value 1) object, from its crossings. */
export function chordLength(o: AnalyticObject, ray: Ray): number {
  const ts = sortedCrossings(o, ray);
  let len = 0;
  for (let i = 0; i + 1 < ts.length; i++) {
    const tm = 0.5 * (ts[i]! + ts[i + 1]!);
    const p = at(ray, tm);
    if (o.valueAt(p[0], p[1], p[2]) !== OUTSIDE) len += ts[i + 1]! - ts[i]!;
  }
  return len;
}

export function at(ray: Ray, t: number): Vec3 {
  return [ray.origin[0] + t * ray.direction[0], ray.origin[1] + t * ray.direction[1], ray.origin[2] + t * ray.direction[2]];
}

export function unit(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / n, v[1] / n, v[2] / n];
}

/** A ray through `through` along `dir` (normalised), starting `back` before it. */
export function rayThrough(through: Vec3, dir: Vec3, back = 1): Ray {
  const d = unit(dir);
  return { origin: [through[0] - back * d[0], through[1] - back * d[1], through[2] - back * d[2]], direction: d };
}

/** Mulberry32: a small seeded generator so that random tests are reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random unit vector. */
export function randomDirection(rand: () => number): Vec3 {
  const z = 2 * rand() - 1, phi = 2 * Math.PI * rand(), r = Math.sqrt(1 - z * z);
  return [r * Math.cos(phi), r * Math.sin(phi), z];
}

/**
 * The contract of crossings(): valueAt is constant between consecutive crossings (and
 * before the first / after the last, where a bounded object is absent). Checks random rays
 * aimed at points within `extent` of `center`.
 */
export function assertCrossingsConsistent(o: AnalyticObject, center: Vec3, extent: number, rays: number, seed: number): void {
  const rand = seeded(seed);
  for (let r = 0; r < rays; r++) {
    const target: Vec3 = [
      center[0] + extent * (2 * rand() - 1), center[1] + extent * (2 * rand() - 1), center[2] + extent * (2 * rand() - 1),
    ];
    const ray = rayThrough(target, randomDirection(rand), 10 * extent);
    const ts = [-1e3 * extent, ...sortedCrossings(o, ray), 30 * extent];
    for (let i = 0; i + 1 < ts.length; i++) {
      const t0 = ts[i]!, t1 = ts[i + 1]!;
      if (t1 - t0 < 1e-9 * extent) continue;
      const probes = [0.02, 0.25, 0.5, 0.75, 0.98].map((f) => {
        const p = at(ray, t0 + f * (t1 - t0));
        return o.valueAt(p[0], p[1], p[2]);
      });
      for (const v of probes) {
        assert.ok(v === probes[0], `${o.type}, ray ${r}: value changes inside crossing interval ${i} [${t0}, ${t1}]: ${probes}`);
      }
      if (i === 0 || i === ts.length - 2) {
        if (Number.isFinite(o.bounds.min[0]) && Number.isFinite(o.bounds.max[2])) {
          assert.is(probes[0], OUTSIDE, `${o.type}, ray ${r}: present before the first or after the last crossing`);
        }
      }
    }
  }
}
