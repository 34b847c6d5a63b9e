/**
 * Lithium bookkeeping for an ageing cell: every mole of lithium is in exactly one pool, and
 * every mechanism moves lithium between pools only through `transferLithium`, so the total is
 * conserved (up to floating-point rounding of the additions).
 *
 * Pools (mol per m^2 of electrode):
 * - cyclable: shuttles between the electrodes and sets the capacity;
 * - sei: bound in the graphite SEI;
 * - platedReversible: lithium metal that strips back on the next discharge;
 * - platedDead: metal isolated from the electrode (by SEI wrapping), lost;
 * - isolated: inside active particles that lost electrical contact (loss of active material).
 *
 * Pure module (no Node APIs).
 */

export const LITHIUM_POOLS = ["cyclable", "sei", "platedReversible", "platedDead", "isolated"] as const;
export type LithiumPool = (typeof LITHIUM_POOLS)[number];

export type LithiumInventory = Record<LithiumPool, number>;

/** A new inventory with all lithium cyclable. */
export function createInventory(initialMol: number): LithiumInventory {
  if (!Number.isFinite(initialMol) || initialMol <= 0) throw new RangeError(`createInventory: expected a positive amount of lithium (mol), got ${initialMol}`);
  return { cyclable: initialMol, sei: 0, platedReversible: 0, platedDead: 0, isolated: 0 };
}

/**
 * Move up to `mol` of lithium from one pool to another; returns the amount actually moved
 * (capped at what `from` holds, so no pool goes negative).
 */
export function transferLithium(inv: LithiumInventory, from: LithiumPool, to: LithiumPool, mol: number): number {
  if (!Number.isFinite(mol) || mol < 0) throw new RangeError(`transferLithium ${from} -> ${to}: expected an amount >= 0 mol, got ${mol}`);
  if (from === to) return 0;
  const moved = Math.min(mol, inv[from]);
  // Take exactly `moved` from `from` and give exactly the same number to `to`; if moved is the
  // whole pool, set it to zero rather than subtract (no -0 or rounding residue).
  inv[from] = moved === inv[from] ? 0 : inv[from] - moved;
  inv[to] += moved;
  return moved;
}

/** Sum of all pools (mol). */
export function totalLithium(inv: LithiumInventory): number {
  let sum = 0;
  for (const p of LITHIUM_POOLS) sum += inv[p];
  return sum;
}
