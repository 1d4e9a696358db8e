/** Fixed-capacity ring buffer of numbers: pushing past capacity drops the oldest value. */
export class RingBuffer {
  readonly capacity: number;
  private readonly values: Float64Array;
  private start = 0;
  private size = 0;

  constructor(capacity: number) {
    this.capacity = Math.max(1, Math.floor(capacity));
    this.values = new Float64Array(this.capacity);
  }

  /** Number of values held (≤ capacity). */
  get length(): number {
    return this.size;
  }

  /** Appends a value (NaN marks a gap), overwriting the oldest when full. */
  push(value: number): void {
    const end = (this.start + this.size) % this.capacity;
    this.values[end] = value;
    if (this.size < this.capacity) this.size += 1;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** The values, oldest first. */
  /** Adds `delta` to every value held (re-anchors timestamps after the wall clock moved). */
  addToAll(delta: number): void {
    for (let i = 0; i < this.size; i++) {
      const at = (this.start + i) % this.values.length;
      this.values[at] = (this.values[at] ?? 0) + delta;
    }
  }

  toArray(): number[] {
    const out = new Array<number>(this.size);
    for (let i = 0; i < this.size; i += 1) out[i] = this.values[(this.start + i) % this.capacity] ?? Number.NaN;
    return out;
  }

  /** True when every value is a gap (or there are none). */
  allGaps(): boolean {
    for (let i = 0; i < this.size; i += 1) {
      if (!Number.isNaN(this.values[(this.start + i) % this.capacity])) return false;
    }
    return true;
  }
}
