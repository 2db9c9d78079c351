import { DEFAULT_CAPACITY, ringSize, ringArray } from "./ring";

/**
 * Sums of the last `period` inputs, remembered per bar. Updated incrementally, and re-summed from scratch every
 * `period` bars so rounding drift cannot build up over long histories.
 */
export class RollingSum {
  readonly period: number;
  private readonly mask: number;
  private readonly values: Float64Array;
  private readonly sums: Float64Array;
  private first = 0;
  private last = -1;
  /** Pushes left until the next exact re-sum. */
  private untilResum = 0;

  constructor(period: number, capacity: number = DEFAULT_CAPACITY) {
    this.period = Math.max(1, period);
    const size = ringSize(Math.max(capacity, this.period + 1));
    this.mask = size - 1;
    this.values = ringArray(size);
    this.sums = ringArray(size);
  }

  /** Forgets everything; the next push is bar `firstIndex`. */
  reset(firstIndex: number): void {
    this.first = firstIndex;
    this.last = firstIndex - 1;
    this.untilResum = 0;
  }

  /** Feeds the next bar's value. */
  push(v: number): void {
    const i = ++this.last;
    const m = this.mask;
    this.values[i & m] = v;
    const p = this.period;
    if (i - this.first < p || this.untilResum === 0) {
      this.resum(i);
    } else {
      this.sums[i & m] = this.sums[(i - 1) & m]! + v - this.values[(i - p) & m]!;
    }
    this.untilResum--;
  }

  /**
   * Feeds `values[from … to]`, as {@link RollingSum.push} would one by one, to the bit, with the previous sum kept in a
   * register rather than read back from the ring (see `SeededEma.pushValues`).
   */
  pushValues(values: ArrayLike<number>, from: number, to: number): void {
    if (to < from) return;
    const m = this.mask;
    const ring = this.values;
    const sums = this.sums;
    const p = this.period;
    const first = this.first;
    let i = this.last;
    let until = this.untilResum;
    let prev = sums[i & m]!;
    for (let j = from; j <= to; j++) {
      const v = values[j]!;
      i++;
      ring[i & m] = v;
      if (i - first < p || until === 0) {
        this.resum(i);
        prev = sums[i & m]!;
        until = p;
      } else {
        prev = prev + v - ring[(i - p) & m]!;
        sums[i & m] = prev;
      }
      until--;
    }
    this.last = i;
    this.untilResum = until;
  }

  /** The exact sum ending at `i`, out of line: `push` stays small enough for V8 to inline into the strategies. */
  private resum(i: number): void {
    const m = this.mask;
    let s = 0;
    for (let j = Math.max(this.first, i - this.period + 1); j <= i; j++) s += this.values[j & m]!;
    this.sums[i & m] = s;
    this.untilResum = this.period;
  }

  /** The value fed for bar `index`. */
  valueAt(index: number): number {
    return this.values[index & this.mask]!;
  }

  /** Sum of the `period` values ending at `index` (fewer if fewer were fed). */
  sumAt(index: number): number {
    return this.sums[index & this.mask]!;
  }
}
