/**
 * Volume shapes and voxel neighbourhoods shared by the segmentation modules.
 *
 * A volume of shape {nx, ny, nz} holds voxel (i, j, k) at index i + nx * (j + ny * k)
 * (x fastest, as in src/core/grid.ts); a 2-D image is a volume with nz = 1. Any
 * `VolumeGrid` is also a `VolumeShape`.
 *
 * Neighbourhoods are the digital-topology ones (T. Y. Kong, A. Rosenfeld, "Digital
 * topology: introduction and survey", CVGIP 48 (1989) 357, doi:10.1016/0734-189X(89)90147-3):
 * 6 (faces), 18 (faces and edges) or 26 (faces, edges and corners) in 3-D; 4 and 8 are
 * their in-plane versions and need nz = 1.
 */

export interface VolumeShape {
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
}

export type Connectivity = 4 | 6 | 8 | 18 | 26;

/** Checks the shape and, if given, that an array of `length` covers it; `what` names the array. */
export function checkShape(shape: VolumeShape, length?: number, what = "volume"): number {
  for (const [axis, n] of [["nx", shape.nx], ["ny", shape.ny], ["nz", shape.nz]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what} shape ${axis} must be a positive integer, got ${n}`);
  }
  const count = shape.nx * shape.ny * shape.nz;
  if (length !== undefined && length !== count) {
    throw new RangeError(`${what} has ${length} values but its shape ${shape.nx}x${shape.ny}x${shape.nz} needs ${count}`);
  }
  return count;
}

/**
 * Neighbour offsets of a connectivity: for neighbour n, (di[n], dj[n], dk[n]) and the flat
 * index step `step[n]`. `half` keeps only the neighbours that come before the voxel in raster
 * order (what a forward raster scan has already visited).
 */
export interface Neighbourhood {
  readonly count: number;
  readonly di: Int32Array;
  readonly dj: Int32Array;
  readonly dk: Int32Array;
  readonly step: Int32Array;
}

export function neighbourhood(connectivity: Connectivity, shape: VolumeShape, half = false): Neighbourhood {
  if (connectivity !== 4 && connectivity !== 6 && connectivity !== 8 && connectivity !== 18 && connectivity !== 26) {
    throw new RangeError(`connectivity must be 6, 18 or 26 (or 4 or 8 for a 2-D image, nz = 1), got ${String(connectivity)}`);
  }
  if ((connectivity === 4 || connectivity === 8) && shape.nz !== 1) {
    throw new RangeError(`connectivity ${connectivity} is for 2-D images (nz = 1), this volume has nz = ${shape.nz}; use 6, 18 or 26`);
  }
  // Largest number of non-zero offset components a neighbour may have.
  const maxNonZero = connectivity === 4 || connectivity === 6 ? 1 : connectivity === 18 ? 2 : 3;
  const di: number[] = [];
  const dj: number[] = [];
  const dk: number[] = [];
  for (let c = -1; c <= 1; c++) {
    for (let b = -1; b <= 1; b++) {
      for (let a = -1; a <= 1; a++) {
        const nonZero = (a !== 0 ? 1 : 0) + (b !== 0 ? 1 : 0) + (c !== 0 ? 1 : 0);
        if (nonZero === 0 || nonZero > maxNonZero) continue;
        if (half && (c > 0 || (c === 0 && (b > 0 || (b === 0 && a > 0))))) continue;
        di.push(a);
        dj.push(b);
        dk.push(c);
      }
    }
  }
  const step = di.map((a, n) => a + shape.nx * (dj[n]! + shape.ny * dk[n]!));
  return { count: di.length, di: Int32Array.from(di), dj: Int32Array.from(dj), dk: Int32Array.from(dk), step: Int32Array.from(step) };
}

/**
 * The in-volume neighbours of voxel p (index i + nx (j + ny k)) written to `out` (at least
 * hood.count long); returns how many. One place for the index decomposition and the face
 * tests that every flood and scan here needs.
 */
export function neighboursOf(hood: Neighbourhood, shape: VolumeShape, p: number, out: Int32Array): number {
  const { nx, ny, nz } = shape;
  const nxy = nx * ny;
  const k = Math.floor(p / nxy);
  const r = p - k * nxy;
  const j = Math.floor(r / nx);
  const i = r - j * nx;
  let m = 0;
  for (let s = 0; s < hood.count; s++) {
    const a = i + hood.di[s]!;
    const b = j + hood.dj[s]!;
    const c = k + hood.dk[s]!;
    if (a < 0 || a >= nx || b < 0 || b >= ny || c < 0 || c >= nz) continue;
    out[m++] = p + hood.step[s]!;
  }
  return m;
}
