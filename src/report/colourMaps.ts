/**
 * Colour maps of the report's pixel figures, shared by the PNG encoder (src/report/raster.ts)
 * and the page's colour bars (the stops travel in the report's JSON, so a bar shows exactly
 * the colours of its image).
 *
 * - GREY: linear black to white, for transmissions, line integrals and attenuation.
 * - INFERNO: a perceptually ordered black-purple-orange-yellow ramp (five stops sampled from
 *   matplotlib's "inferno", linear in between), for dose: its lightness rises monotonically,
 *   so the order of values survives greyscale printing.
 * - VIRIDIS: a perceptually ordered blue-green-yellow ramp (five stops sampled from
 *   matplotlib's "viridis"), for the lithium concentration, so it is not mistaken for dose.
 * - CLASS_PALETTE: ten distinct hues (Tableau 10) for label overlays; class c takes
 *   colour c mod 10.
 * - AGED_CLASS_COLOURS and mutedClassColour: the ageing figure's class colours, keyed by
 *   class name so a class keeps its colour in every scanned cycle (its label number moves as
 *   aged classes are appended). The aged classes are strong, saturated hues; the pristine
 *   phases are the Tableau hues mixed halfway to light grey, so the few aged voxels stand out
 *   against the electrode they grow in.
 */

export type Rgb = readonly [number, number, number];

export interface ColourMap {
  readonly name: string;
  /** Evenly spaced stops from value 0 to value 1. */
  readonly stops: readonly Rgb[];
}

export const GREY: ColourMap = { name: "grey", stops: [[0, 0, 0], [255, 255, 255]] };

export const INFERNO: ColourMap = {
  name: "inferno",
  stops: [
    [0, 0, 4],
    [87, 16, 110],
    [188, 55, 84],
    [249, 142, 9],
    [252, 255, 164],
  ],
};

export const VIRIDIS: ColourMap = {
  name: "viridis",
  stops: [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ],
};

export const CLASS_PALETTE: readonly Rgb[] = [
  [78, 121, 167],
  [242, 142, 44],
  [225, 87, 89],
  [118, 183, 178],
  [89, 161, 79],
  [237, 201, 73],
  [175, 122, 161],
  [255, 157, 167],
  [156, 117, 95],
  [186, 176, 172],
];

/** Colour of class `label` in overlays and legends. */
export function classColour(label: number): Rgb {
  return CLASS_PALETTE[((label % CLASS_PALETTE.length) + CLASS_PALETTE.length) % CLASS_PALETTE.length]!;
}

/**
 * A 256-entry lookup table (r, g, b per entry) of `map`: entry k is the colour of value
 * k / 255, linear between the stops. Images index it, so no colour is computed per pixel.
 */
export function colourTable(map: ColourMap): Uint8Array {
  const table = new Uint8Array(256 * 3);
  const n = map.stops.length - 1;
  for (let k = 0; k < 256; k++) {
    const x = (k / 255) * n;
    const i = Math.min(n - 1, Math.floor(x));
    const f = x - i;
    const a = map.stops[i]!;
    const b = map.stops[i + 1]!;
    for (let c = 0; c < 3; c++) table[3 * k + c] = Math.round(a[c]! + f * (b[c]! - a[c]!));
  }
  return table;
}

/** "#rrggbb" of a colour, for the page. */
export function hex(c: Rgb): string {
  return "#" + c.map((v) => v.toString(16).padStart(2, "0")).join("");
}

/**
 * Colours of the aged classes (src/degradation/morphology.ts AGED_CLASS_NAMES): red cracks,
 * orange rock-salt, green SEI, sky-blue plated lithium, magenta dendrites, gold deposits.
 */
export const AGED_CLASS_COLOURS: Readonly<Record<string, Rgb>> = {
  crack: [228, 26, 28],
  "rock-salt": [255, 127, 0],
  SEI: [51, 160, 44],
  "plated-Li": [0, 176, 240],
  dendrite: [231, 41, 138],
  deposit: [255, 215, 0],
};

/** Pristine phase number `k` (in order of first appearance): its Tableau hue, half-way to grey 200. */
export function mutedClassColour(k: number): Rgb {
  const c = classColour(k);
  return [Math.round((c[0] + 200) / 2), Math.round((c[1] + 200) / 2), Math.round((c[2] + 200) / 2)];
}
