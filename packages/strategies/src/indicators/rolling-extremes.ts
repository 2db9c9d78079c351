import { DEFAULT_CAPACITY, ringSize } from "./ring";

/** Highest value of the last `period` values (current included); absent before `period − 1`. */
export function highest(values: ArrayLike<number>, period: number): Float64Array {
  return rollingExtreme(values, period, 1);
}

/** Lowest value of the last `period` values (current included); absent before `period − 1`. */
export function lowest(values: ArrayLike<number>, period: number): Float64Array {
  return rollingExtreme(values, period, -1);
}

function rollingExtreme(values: ArrayLike<number>, period: number, sign: 1 | -1): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(NaN);
  if (period < 1) return out;
  for (let i = period - 1; i < n; i++) {
    let e = values[i]!;
    for (let j = i - period + 1; j < i; j++) if (sign * values[j]! > sign * e) e = values[j]!;
    out[i] = e;
  }
  return out;
}

/**
 * Previous-N range high (strategies.md §2.12): the highest high of the `lookback` bars before each bar, the bar itself
 * excluded; absent for `i < lookback`.
 */
export function previousRangeHigh(high: ArrayLike<number>, lookback: number): Float64Array {
  return shiftByOne(highest(high, lookback));
}

/** Previous-N range low: the lowest low of the `lookback` bars before each bar; absent for `i < lookback`. */
export function previousRangeLow(low: ArrayLike<number>, lookback: number): Float64Array {
  return shiftByOne(lowest(low, lookback));
}

function shiftByOne(a: Float64Array): Float64Array {
  const out = new Float64Array(a.length).fill(NaN);
  out.set(a.subarray(0, Math.max(0, a.length - 1)), Math.min(1, a.length));
  return out;
}

/**
 * Streaming rolling maximum (`sign` 1) or minimum (`sign` −1) with a monotonic deque: amortised O(1) per bar, no
 * allocation. The extreme ending at each bar is remembered, so earlier bars of a window can be asked about too.
 */
export class RollingExtreme {
  readonly period: number;
  private readonly sign: 1 | -1;
  private readonly mask: number;
  private readonly values: Float64Array;
  private readonly extremes: Float64Array;
  private readonly deque: Float64Array;
  private readonly dequeMask: number;
  private head = 0;
  private tail = 0;
  private last = -1;

  constructor(period: number, sign: 1 | -1, capacity: number = DEFAULT_CAPACITY) {
    this.period = period;
    this.sign = sign;
    const size = ringSize(Math.max(capacity, period + 1));
    this.mask = size - 1;
    this.values = new Float64Array(size);
    this.extremes = new Float64Array(size);
    const dq = ringSize(period + 1);
    this.deque = new Float64Array(dq);
    this.dequeMask = dq - 1;
  }

  /** Forgets everything; the next push is bar `firstIndex`. */
  reset(firstIndex: number): void {
    this.last = firstIndex - 1;
    this.head = 0;
    this.tail = 0;
  }

  /** Feeds the next bar's value. */
  push(x: number): void {
    const i = ++this.last;
    const m = this.mask;
    const dm = this.dequeMask;
    const s = this.sign;
    this.values[i & m] = x;
    while (this.tail > this.head && s * this.values[this.deque[(this.tail - 1) & dm]! & m]! <= s * x) this.tail--;
    this.deque[this.tail++ & dm] = i;
    if (this.deque[this.head & dm]! <= i - this.period) this.head++;
    this.extremes[i & m] = this.values[this.deque[this.head & dm]! & m]!;
  }

  /** Extreme of the `period` values ending at `index` (of those fed). */
  extremeAt(index: number): number {
    return this.extremes[index & this.mask]!;
  }
}

/** Streaming previous-N range high and low over a window (strategies.md §2.12). */
export class WindowPreviousRange {
  readonly lookback: number;
  private readonly max: RollingExtreme;
  private readonly min: RollingExtreme;

  constructor(lookback: number, capacity: number = DEFAULT_CAPACITY) {
    this.lookback = lookback;
    this.max = new RollingExtreme(lookback, 1, capacity);
    this.min = new RollingExtreme(lookback, -1, capacity);
  }

  /** Forgets everything; the next push is bar `firstIndex`. */
  reset(firstIndex: number): void {
    this.max.reset(firstIndex);
    this.min.reset(firstIndex);
  }

  /** Feeds the next bar. */
  push(high: number, low: number): void {
    this.max.push(high);
    this.min.push(low);
  }

  /** Highest high of the `lookback` bars before `index`; NaN when the window starting at `start` has fewer. */
  highAt(start: number, index: number): number {
    return this.lookback >= 1 && index - start >= this.lookback ? this.max.extremeAt(index - 1) : NaN;
  }

  /** Lowest low of the `lookback` bars before `index`; NaN when the window starting at `start` has fewer. */
  lowAt(start: number, index: number): number {
    return this.lookback >= 1 && index - start >= this.lookback ? this.min.extremeAt(index - 1) : NaN;
  }
}
