import { DEFAULT_CAPACITY, notCovered, ringSize, ringArray } from "./ring";

/** Bollinger band columns. */
export interface BollingerSeries {
  readonly middle: Float64Array;
  readonly upper: Float64Array;
  readonly lower: Float64Array;
}

/**
 * Bollinger bands (strategies.md §2.10): SMA(period) ± `multiplier` × the population standard deviation of the same
 * values; absent before `period − 1`. Empty for period 0. No built-in strategy uses them.
 */
export function bollinger(values: ArrayLike<number>, period: number, multiplier: number): BollingerSeries {
  const n = values.length;
  if (n === 0 || period < 1) return { middle: new Float64Array(0), upper: new Float64Array(0), lower: new Float64Array(0) };
  const middle = new Float64Array(n).fill(NaN);
  const upper = new Float64Array(n).fill(NaN);
  const lower = new Float64Array(n).fill(NaN);
  for (let i = period - 1; i < n; i++) {
    const { mean, sd } = meanAndDeviation((j) => values[j]!, i - period + 1, i);
    middle[i] = mean;
    upper[i] = mean + multiplier * sd;
    lower[i] = mean - multiplier * sd;
  }
  return { middle, upper, lower };
}

function meanAndDeviation(at: (j: number) => number, from: number, to: number): { mean: number; sd: number } {
  const count = to - from + 1;
  let sum = 0;
  for (let j = from; j <= to; j++) sum += at(j);
  const mean = sum / count;
  let sq = 0;
  for (let j = from; j <= to; j++) sq += (at(j) - mean) ** 2;
  return { mean, sd: Math.sqrt(Math.max(0, sq / count)) };
}

/**
 * Streaming {@link bollinger}. Bands do not depend on the window start beyond warm-up; a query re-reads the last
 * `period` stored values (two passes, for accuracy) instead of keeping running squares, whose cancellation would
 * break the 1e-9 agreement on quiet series. Feeding is O(1); only queries cost O(period).
 */
export class WindowBollinger {
  readonly period: number;
  readonly multiplier: number;
  private readonly mask: number;
  private readonly values: Float64Array;
  private first = 0;
  private last = -1;

  constructor(period: number, multiplier: number, capacity: number = DEFAULT_CAPACITY) {
    this.period = period;
    this.multiplier = multiplier;
    const size = ringSize(Math.max(capacity, period + 1));
    this.mask = size - 1;
    this.values = ringArray(size);
  }

  /** Forgets everything; the next push is bar `firstIndex`. */
  reset(firstIndex: number): void {
    this.first = firstIndex;
    this.last = firstIndex - 1;
  }

  /** Feeds the next bar's value. */
  push(x: number): void {
    this.values[++this.last & this.mask] = x;
  }

  /** Bands at `index` of the window starting at `start`; NaN fields during warm-up. */
  at(start: number, index: number): { middle: number; upper: number; lower: number } {
    const p = this.period;
    if (p < 1 || index - start < p - 1) return { middle: Number.NaN, upper: Number.NaN, lower: Number.NaN };
    if (start < this.first || index > this.last || this.last - start > this.mask) {
      throw notCovered("WindowBollinger", start, index, this.first, this.last, this.mask + 1);
    }
    const { mean, sd } = meanAndDeviation((j) => this.values[j & this.mask]!, index - p + 1, index);
    return { middle: mean, upper: mean + this.multiplier * sd, lower: mean - this.multiplier * sd };
  }
}
