import { RollingSum } from "./rolling-sum";
import { DEFAULT_CAPACITY } from "./ring";

/** Simple moving average (strategies.md §2.2): mean of the last `period` values, absent before `period − 1`. */
export function sma(values: ArrayLike<number>, period: number): Float64Array {
  const n = values.length;
  if (n === 0 || period < 1) return new Float64Array(0);
  const out = new Float64Array(n).fill(NaN);
  for (let i = period - 1; i < n; i++) {
    let s = 0;
    for (let j = i - period + 1; j <= i; j++) s += values[j]!;
    out[i] = s / period;
  }
  return out;
}

/** Streaming {@link sma}. The SMA does not depend on the window start beyond its warm-up. */
export class WindowSma {
  readonly period: number;
  private readonly sum: RollingSum;

  constructor(period: number, capacity: number = DEFAULT_CAPACITY) {
    this.period = period;
    this.sum = new RollingSum(period, capacity);
  }

  /** Forgets everything; the next push is bar `firstIndex`. */
  reset(firstIndex: number): void {
    this.sum.reset(firstIndex);
  }

  /** Feeds the next bar's value. */
  push(x: number): void {
    this.sum.push(x);
  }

  /** Feeds `values[from … to]`, as {@link WindowSma.push} would one by one (see `RollingSum.pushValues`). */
  pushValues(values: ArrayLike<number>, from: number, to: number): void {
    this.sum.pushValues(values, from, to);
  }

  /** SMA at `index` of the window starting at `start`; NaN during warm-up. */
  at(start: number, index: number): number {
    if (this.period < 1 || index - start < this.period - 1) return Number.NaN;
    return this.sum.sumAt(index) / this.period;
  }
}
