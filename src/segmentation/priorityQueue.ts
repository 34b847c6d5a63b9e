/**
 * A binary min-heap of voxel indices keyed by a priority, on typed arrays (no allocation per
 * push), with first-in-first-out order among equal priorities: each entry also carries its
 * insertion number and the heap orders by (priority, insertion). FIFO ties make flooding
 * deterministic and spread a flood evenly over plateaus (F. Meyer, "Topographic distance and
 * watershed lines", Signal Processing 38 (1994) 113, doi:10.1016/0165-1684(94)90060-4).
 * Heap operations as in R. Sedgewick, K. Wayne, "Algorithms", 4th ed., Section 2.4.
 *
 * Entries are stored interleaved, [priority, insertion, voxel] per slot in one Float64Array,
 * so a comparison touches one cache line instead of three arrays.
 */
export class IndexHeap {
  private slots: Float64Array;
  private n = 0;
  private pushes = 0;

  constructor(capacity: number) {
    this.slots = new Float64Array(3 * Math.max(16, Math.floor(capacity)));
  }

  get size(): number {
    return this.n;
  }

  /** Priority of the entry that pop() would return next. */
  peekPriority(): number {
    if (this.n === 0) throw new RangeError("peek on an empty heap");
    return this.slots[0]!;
  }

  push(voxel: number, priority: number): void {
    if (3 * this.n === this.slots.length) this.grow();
    const h = this.slots;
    const order = this.pushes++;
    let c = this.n++;
    // Sift up: move parents that come after the new entry down.
    while (c > 0) {
      const parent = (c - 1) >> 1;
      const pp = h[3 * parent]!;
      if (pp < priority || (pp === priority && h[3 * parent + 1]! < order)) break;
      h[3 * c] = pp;
      h[3 * c + 1] = h[3 * parent + 1]!;
      h[3 * c + 2] = h[3 * parent + 2]!;
      c = parent;
    }
    h[3 * c] = priority;
    h[3 * c + 1] = order;
    h[3 * c + 2] = voxel;
  }

  /** Removes and returns the voxel with the lowest priority (the earliest pushed among ties). */
  pop(): number {
    if (this.n === 0) throw new RangeError("pop from an empty heap");
    const h = this.slots;
    const top = h[2]!;
    const last = --this.n;
    if (last > 0) {
      const priority = h[3 * last]!;
      const order = h[3 * last + 1]!;
      const voxel = h[3 * last + 2]!;
      let c = 0;
      for (;;) {
        let child = 2 * c + 1;
        if (child >= last) break;
        let cp = h[3 * child]!;
        const right = child + 1;
        if (right < last) {
          const rp = h[3 * right]!;
          if (rp < cp || (rp === cp && h[3 * right + 1]! < h[3 * child + 1]!)) {
            child = right;
            cp = rp;
          }
        }
        if (priority < cp || (priority === cp && order < h[3 * child + 1]!)) break;
        h[3 * c] = cp;
        h[3 * c + 1] = h[3 * child + 1]!;
        h[3 * c + 2] = h[3 * child + 2]!;
        c = child;
      }
      h[3 * c] = priority;
      h[3 * c + 1] = order;
      h[3 * c + 2] = voxel;
    }
    return top;
  }

  private grow(): void {
    const grown = new Float64Array(this.slots.length * 2);
    grown.set(this.slots);
    this.slots = grown;
  }
}
