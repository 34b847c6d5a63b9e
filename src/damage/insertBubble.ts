/**
 * Put a spherical gas bubble into a labelled volume, replacing electrolyte only.
 *
 * Partial volumes follow the scene voxeliser (src/phantoms/scene.ts): each voxel keeps at
 * most two classes (labels = majority, secondary, primaryFraction in [0.5, 1]). A voxel's
 * share of the sphere, phi, is 1 or 0 where the voxel lies wholly inside or outside it and
 * is otherwise the fraction of S^3 sub-sample points (midpoints of an S x S x S
 * subdivision) inside the sphere.
 *
 * What the bubble takes: the voxel's fluid (electrolyte + gas already there) is assumed
 * spread uniformly through the voxel, so the sphere's part of the voxel holds phi of the
 * fluid and the voxel's gas fraction becomes max(gas, phi (electrolyte + gas)). The new gas
 * is taken from the electrolyte classes in proportion to their fractions. Taking the max,
 * not the sum, makes re-inserting a growing bubble exact (the old, smaller sphere's gas is
 * inside the new one) at the price of under-counting where two different bubbles overlap.
 * A voxel can then hold three classes but stores two: solid classes (particles, binder,
 * separator, current collector) keep their exact fraction and the voxel's whole fluid
 * share is written as the larger of electrolyte and gas (so the solid phase is never
 * altered); a voxel without solid keeps its two largest classes, renormalised, as the
 * voxeliser does. The returned gasVolumeAddedM3 counts what was actually stored.
 *
 * Mutates the volume's labels, secondary and primaryFraction in place. Pure module.
 */
import { checkGrid, type Vec3 } from "../core/grid.js";
import type { LabelledVolume } from "../phantoms/scene.js";
import { findElectrolyteSolvents } from "./solventData.js";

/** Inclusive voxel index ranges. */
export interface VoxelBox {
  readonly i0: number;
  readonly i1: number;
  readonly j0: number;
  readonly j1: number;
  readonly k0: number;
  readonly k1: number;
}

export interface BubbleInsertion {
  /** Voxels whose labels, secondary or primaryFraction changed. */
  readonly voxelsChanged: number;
  /** Gas volume added to the labelled volume (m^3), as stored after renormalisation. */
  readonly gasVolumeAddedM3: number;
  /** Bounding box of the changed voxels, null when nothing changed. */
  readonly box: VoxelBox | null;
}

export interface InsertBubbleOptions {
  /**
   * Label values the bubble may replace. Default: every class whose name is a known liquid
   * electrolyte (solventData.ts: LP30 and its library aliases, LP40, LP57, LP71).
   */
  readonly electrolyteLabels?: readonly number[];
  /** Sub-samples per voxel edge for voxels the sphere surface cuts. Default 4. */
  readonly supersampling?: number;
}

/** 0/1 flags per label value (labels are bytes). */
export function electrolyteLabelMask(volume: LabelledVolume, electrolyteLabels?: readonly number[]): Uint8Array {
  const mask = new Uint8Array(256);
  const n = volume.classNames.length;
  if (electrolyteLabels !== undefined) {
    for (const c of electrolyteLabels) {
      if (!Number.isInteger(c) || c < 0 || c >= n) {
        throw new RangeError(`electrolyte label ${c} is not a class of this volume (labels 0..${n - 1})`);
      }
      mask[c] = 1;
    }
  } else {
    volume.classNames.forEach((name, c) => {
      if (findElectrolyteSolvents(name) !== undefined) mask[c] = 1;
    });
  }
  if (!mask.includes(1)) {
    throw new RangeError(
      `no electrolyte class to put a bubble in: classes are [${volume.classNames.join(", ")}]; pass electrolyteLabels`,
    );
  }
  return mask;
}

/**
 * Insert a gas sphere of radius `radiusM` centred at `centerM` (metres, grid coordinates:
 * the grid is centred on the origin) into `volume` as class `gasLabel`, replacing only
 * electrolyte. Returns what changed so that the caller can rebuild its optics volumes.
 */
export function insertBubble(
  volume: LabelledVolume,
  centerM: Vec3,
  radiusM: number,
  gasLabel: number,
  options: InsertBubbleOptions = {},
): BubbleInsertion {
  const mask = electrolyteLabelMask(volume, options.electrolyteLabels);
  return insertBubbleMasked(volume, centerM, radiusM, gasLabel, mask, options.supersampling ?? 4);
}

/** insertBubble with a prepared electrolyte mask (BubbleModel calls this every step). */
export function insertBubbleMasked(
  volume: LabelledVolume,
  centerM: Vec3,
  radiusM: number,
  gasLabel: number,
  isElectrolyte: Uint8Array,
  supersampling: number,
): BubbleInsertion {
  const { grid, labels, secondary, primaryFraction } = volume;
  checkGrid(grid);
  if (!(radiusM > 0 && Number.isFinite(radiusM))) throw new RangeError(`bubble radius must be a positive length, got ${radiusM} m`);
  if (!centerM.every(Number.isFinite)) throw new RangeError(`bubble centre must be finite, got [${centerM.join(", ")}] m`);
  if (!Number.isInteger(gasLabel) || gasLabel < 0 || gasLabel >= volume.classNames.length) {
    throw new RangeError(`gas label ${gasLabel} is not a class of this volume (labels 0..${volume.classNames.length - 1})`);
  }
  if (isElectrolyte[gasLabel] === 1) throw new RangeError(`gas label ${gasLabel} ("${volume.classNames[gasLabel]}") is an electrolyte class`);
  const S = supersampling;
  if (!Number.isInteger(S) || S < 1 || S > 64) throw new RangeError(`supersampling must be a whole number from 1 to 64, got ${S}`);

  const { nx, ny, nz } = grid;
  const s = grid.voxelSizeM;
  const [cx, cy, cz] = centerM;
  const r = radiusM;
  const r2 = r * r;
  // Voxel centre of index i is (i - (n-1)/2) s; a voxel can touch the sphere only when its
  // centre is within r + s/2 of the sphere centre along every axis.
  const lo = (c: number, n: number) => Math.max(0, Math.ceil((c - r - s / 2) / s + (n - 1) / 2));
  const hi = (c: number, n: number) => Math.min(n - 1, Math.floor((c + r + s / 2) / s + (n - 1) / 2));
  const i0 = lo(cx, nx), i1 = hi(cx, nx), j0 = lo(cy, ny), j1 = hi(cy, ny), k0 = lo(cz, nz), k1 = hi(cz, nz);

  const halfDiagonal = (Math.sqrt(3) / 2) * s;
  const inner = r - halfDiagonal;
  const inner2 = inner > 0 ? inner * inner : -1;
  const outer2 = (r + halfDiagonal) * (r + halfDiagonal);
  const sub = Float64Array.from({ length: S }, (_, a) => ((a + 0.5) / S - 0.5) * s);
  const subWeight = 1 / (S * S * S);

  let changed = 0;
  let gasAdded = 0;
  let bi0 = nx, bi1 = -1, bj0 = ny, bj1 = -1, bk0 = nz, bk1 = -1;

  for (let k = k0; k <= k1; k++) {
    const z = (k - (nz - 1) / 2) * s - cz;
    for (let j = j0; j <= j1; j++) {
      const y = (j - (ny - 1) / 2) * s - cy;
      const rowBase = nx * (j + ny * k);
      for (let i = i0; i <= i1; i++) {
        const x = (i - (nx - 1) / 2) * s - cx;
        const d2 = x * x + y * y + z * z;
        if (d2 >= outer2) continue;
        const v = rowBase + i;
        const c1 = labels[v]!, c2 = secondary[v]!;
        // Cheap reject before sampling: a voxel with no electrolyte cannot change.
        if (isElectrolyte[c1] !== 1 && (c2 === c1 || isElectrolyte[c2] !== 1)) continue;

        let phi: number;
        if (d2 <= inner2) {
          phi = 1;
        } else {
          let inside = 0;
          for (let a = 0; a < S; a++) {
            const zz = z + sub[a]!;
            for (let b = 0; b < S; b++) {
              const yy = y + sub[b]!;
              const yz = yy * yy + zz * zz;
              for (let c = 0; c < S; c++) {
                const xx = x + sub[c]!;
                if (xx * xx + yz <= r2) inside++;
              }
            }
          }
          if (inside === 0) continue;
          phi = inside * subWeight;
        }

        const pure = c1 === c2;
        const f1 = pure ? 1 : primaryFraction[v]!;
        const f2 = pure ? 0 : 1 - f1;
        let gas = 0, e1 = 0, e2 = 0;
        if (c1 === gasLabel) gas += f1;
        else if (isElectrolyte[c1] === 1) e1 = f1;
        if (!pure) {
          if (c2 === gasLabel) gas += f2;
          else if (isElectrolyte[c2] === 1) e2 = f2;
        }
        const target = phi * (gas + e1 + e2);
        if (target <= gas) continue;
        const take = target - gas;
        const eSum = e1 + e2;
        // New fractions of c1, c2 (gas counted separately) and gas.
        const n1 = c1 === gasLabel ? 0 : isElectrolyte[c1] === 1 ? e1 - (take * e1) / eSum : f1;
        const n2 = pure || c2 === gasLabel ? 0 : isElectrolyte[c2] === 1 ? e2 - (take * e2) / eSum : f2;
        const ng = target;

        // A solid class keeps its fraction exactly; then the fluid is written as whichever of
        // electrolyte and gas is larger (ties keep electrolyte). Without a solid, keep the
        // two largest of (c1, n1), (c2, n2), (gas, ng); ties go to the lower class index.
        let a1: number, g1: number, a2: number, g2: number;
        const solid1 = c1 !== gasLabel && isElectrolyte[c1] !== 1;
        const solid2 = !pure && c2 !== gasLabel && isElectrolyte[c2] !== 1;
        if (solid1 || solid2) {
          const cs = solid1 ? c1 : c2, fs = solid1 ? f1 : f2;
          const ce = solid1 ? c2 : c1, ne = solid1 ? n2 : n1;
          a1 = cs; g1 = fs;
          a2 = ng > ne ? gasLabel : ce; g2 = ng + ne;
        } else {
          a1 = gasLabel; g1 = ng; a2 = -1; g2 = 0;
          if (n1 > g1 || (n1 === g1 && c1 < a1)) { a2 = a1; g2 = g1; a1 = c1; g1 = n1; }
          else if (n1 > 0) { a2 = c1; g2 = n1; }
          if (!pure && n2 > 0) {
            if (n2 > g1 || (n2 === g1 && c2 < a1)) { a2 = a1; g2 = g1; a1 = c2; g1 = n2; }
            else if (n2 > g2 || (n2 === g2 && c2 < a2)) { a2 = c2; g2 = n2; }
          }
        }
        if (g2 > g1 || (g2 === g1 && a2 < a1)) {
          const ta = a1, tg = g1;
          a1 = a2; g1 = g2; a2 = ta; g2 = tg;
        }
        const oldGas = gas;
        if (a2 < 0 || g2 <= 0) {
          labels[v] = a1;
          secondary[v] = a1;
          primaryFraction[v] = 1;
          gasAdded += (a1 === gasLabel ? 1 : 0) - oldGas;
        } else {
          labels[v] = a1;
          secondary[v] = a2;
          primaryFraction[v] = g1 / (g1 + g2);
          const stored = primaryFraction[v]!;
          gasAdded += (a1 === gasLabel ? stored : a2 === gasLabel ? 1 - stored : 0) - oldGas;
        }
        changed++;
        if (i < bi0) bi0 = i;
        if (i > bi1) bi1 = i;
        if (j < bj0) bj0 = j;
        if (j > bj1) bj1 = j;
        if (k < bk0) bk0 = k;
        if (k > bk1) bk1 = k;
      }
    }
  }
  return {
    voxelsChanged: changed,
    gasVolumeAddedM3: gasAdded * s * s * s,
    box: changed === 0 ? null : { i0: bi0, i1: bi1, j0: bj0, j1: bj1, k0: bk0, k1: bk1 },
  };
}
