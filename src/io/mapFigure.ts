/**
 * Colour-mapped PNG figures of a scalar map slice (dose, temperature) for docs and reports:
 * the x-z plane through the volume's centre (z up, as the beam sees the sample), each value
 * a `scale` x `scale` block, a colour bar on the right. Colours: a perceptually ordered
 * black-purple-orange-yellow ramp (5 stops, linear in between, after matplotlib's
 * "inferno"), on linear or log10 values between the slice's min and max.
 */
import { writeFileSync } from "node:fs";
import { encode } from "fast-png";

const STOPS: readonly (readonly [number, number, number])[] = [
  [0, 0, 4],
  [87, 16, 110],
  [188, 55, 84],
  [249, 142, 9],
  [252, 255, 164],
];

function colour(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i]!, b = STOPS[i + 1]!;
  return [Math.round(a[0] + f * (b[0] - a[0])), Math.round(a[1] + f * (b[1] - a[1])), Math.round(a[2] + f * (b[2] - a[2]))];
}

export interface MapFigure {
  readonly min: number;
  readonly max: number;
}

/**
 * Write the central x-z slice of `values` (nx x ny x nz, x fastest) as a PNG; returns the
 * value range the colours span. `log` maps log10 of positive values (non-positive ones black).
 */
export function writeMapFigure(path: string, values: ArrayLike<number>, nx: number, ny: number, nz: number, options: { scale?: number; log?: boolean } = {}): MapFigure {
  const scale = options.scale ?? 4;
  const j = ny >> 1;
  let min = Infinity, max = -Infinity;
  const v = (i: number, k: number) => values[i + nx * (j + ny * k)]!;
  const tf = (x: number) => (options.log ? (x > 0 ? Math.log10(x) : -Infinity) : x);
  for (let k = 0; k < nz; k++) for (let i = 0; i < nx; i++) {
    const x = tf(v(i, k));
    if (Number.isFinite(x)) { min = Math.min(min, x); max = Math.max(max, x); }
  }
  const bar = 4 * scale;
  const width = nx * scale + bar + scale;
  const height = nz * scale;
  const data = new Uint8Array(width * height * 3);
  const span = max > min ? max - min : 1;
  for (let y = 0; y < height; y++) {
    const k = nz - 1 - Math.floor(y / scale); // z up
    for (let x = 0; x < width; x++) {
      let c: [number, number, number];
      if (x < nx * scale) {
        const t = tf(v(Math.floor(x / scale), k));
        c = Number.isFinite(t) ? colour((t - min) / span) : [0, 0, 0];
      } else if (x >= nx * scale + scale) c = colour(1 - y / (height - 1));
      else c = [255, 255, 255];
      data.set(c, 3 * (x + width * y));
    }
  }
  writeFileSync(path, encode({ width, height, data, channels: 3, depth: 8 }));
  return { min: options.log ? 10 ** min : min, max: options.log ? 10 ** max : max };
}
