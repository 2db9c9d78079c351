import { RollingSum } from "./rolling-sum";
import { DEFAULT_CAPACITY } from "./ring";

/**
 * Mean volume of the `period` bars before each bar, the bar itself excluded (strategies.md §2.12, range_breakout
 * uses 20); absent for `i < period`.
 */
export function previousVolumeAverage(volume: ArrayLike<number>, period: number): Float64Array {
  const n = volume.length;
  const out = new Float64Array(n).fill(NaN);
  if (period < 1) return out;
  for (let i = period; i < n; i++) {
    let s = 0;
    for (let j = i - period; j < i; j++) s += volume[j]!;
    out[i] = s / period;
  }
  return out;
}

/** Streaming {@link previousVolumeAverage}. */
export class WindowVolumeAverage {
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

  /** Feeds the next bar's volume. */
  push(volume: number): void {
    this.sum.push(volume);
  }

  /** Mean volume of the `period` bars before `index`; NaN when the window starting at `start` has fewer. */
  at(start: number, index: number): number {
    return this.period >= 1 && index - start >= this.period ? this.sum.sumAt(index - 1) / this.period : NaN;
  }
}
