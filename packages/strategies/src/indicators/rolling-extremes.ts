import type { CandleSeries } from "@tradeloom/types";
import { DEFAULT_CAPACITY, ringSize, ringArray } from "./ring";

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
 * Streaming rolling maximum (`sign` 1) or minimum (`sign` −1), no allocation. The extreme ending at each bar is
 * remembered, so earlier bars of a window can be asked about too.
 *
 * Van Herk / Gil-Werman blocks of `period` bars (counted from the first bar fed): a running extreme from each block's
 * start, and, once a block is complete, one backward pass giving the extreme from each of its bars to its end. Any
 * `period` consecutive bars span the end of one block and the start of the next, so their extreme is the better of
 * two stored values: about three comparisons per bar whatever the data, where a monotonic deque branches on every
 * bar it pops.
 */
export class RollingExtreme {
  readonly period: number;
  private readonly sign: 1 | -1;
  /** The block length: `period`, at least 1. */
  private readonly block: number;
  private readonly mask: number;
  private readonly values: Float64Array;
  /** Extreme from the start of the bar's block to the bar. */
  private readonly fromBlockStart: Float64Array;
  /** Extreme from the bar to the end of its block; valid once the block is complete. */
  private readonly toBlockEnd: Float64Array;
  private readonly extremes: Float64Array;
  private first = 0;
  private last = -1;
  /** Position of the next bar in its block. */
  private inBlock = 0;

  constructor(period: number, sign: 1 | -1, capacity: number = DEFAULT_CAPACITY) {
    this.period = period;
    this.sign = sign;
    this.block = Math.max(1, period);
    const size = ringSize(Math.max(capacity, this.block + 1));
    this.mask = size - 1;
    this.values = ringArray(size);
    this.fromBlockStart = ringArray(size);
    this.toBlockEnd = ringArray(size);
    this.extremes = ringArray(size);
  }

  /** Forgets everything; the next push is bar `firstIndex`. */
  reset(firstIndex: number): void {
    this.first = firstIndex;
    this.last = firstIndex - 1;
    this.inBlock = 0;
  }

  /** Feeds the next bar's value. */
  push(x: number): void {
    const i = ++this.last;
    const m = this.mask;
    const s = this.sign;
    const b = this.block;
    const fromStart = this.fromBlockStart;
    this.values[i & m] = x;
    const before = fromStart[(i - 1) & m]!;
    const run = this.inBlock === 0 || s * x > s * before ? x : before;
    fromStart[i & m] = run;
    if (++this.inBlock === b) {
      this.inBlock = 0;
      this.closeBlock(i);
    }
    if (i - this.first < b) {
      this.extremes[i & m] = run;
    } else {
      const tail = this.toBlockEnd[(i - b + 1) & m]!;
      this.extremes[i & m] = s * tail > s * run ? tail : run;
    }
  }

  /**
   * Feeds `values[from … to]`, as {@link RollingExtreme.push} would one by one, to the bit, with the running extreme and
   * the position in the block kept in registers (see `SeededEma.pushValues`).
   */
  pushValues(values: ArrayLike<number>, from: number, to: number): void {
    if (to < from) return;
    const m = this.mask;
    const s = this.sign;
    const b = this.block;
    const ring = this.values;
    const fromStart = this.fromBlockStart;
    const toEnd = this.toBlockEnd;
    const extremes = this.extremes;
    const first = this.first;
    let i = this.last;
    let inBlock = this.inBlock;
    let before = fromStart[i & m]!;
    for (let j = from; j <= to; j++) {
      const x = values[j]!;
      i++;
      ring[i & m] = x;
      const run = inBlock === 0 || s * x > s * before ? x : before;
      fromStart[i & m] = run;
      before = run;
      if (++inBlock === b) {
        inBlock = 0;
        this.closeBlock(i);
      }
      if (i - first < b) {
        extremes[i & m] = run;
      } else {
        const tail = toEnd[(i - b + 1) & m]!;
        extremes[i & m] = s * tail > s * run ? tail : run;
      }
    }
    this.last = i;
    this.inBlock = inBlock;
  }

  /** Extreme of the `period` values ending at `index` (of those fed). */
  extremeAt(index: number): number {
    return this.extremes[index & this.mask]!;
  }

  /** The backward pass over the block ending at `end`. */
  private closeBlock(end: number): void {
    const m = this.mask;
    const s = this.sign;
    const values = this.values;
    const toEnd = this.toBlockEnd;
    let e = values[end & m]!;
    toEnd[end & m] = e;
    for (let j = end - 1; j > end - this.block; j--) {
      const v = values[j & m]!;
      if (s * v > s * e) e = v;
      toEnd[j & m] = e;
    }
  }
}

/** Which sides a {@link WindowPreviousRange} tracks. */
export type RangeSides = "both" | "high" | "low";

/** Streaming previous-N range high and low over a window (strategies.md §2.12). */
export class WindowPreviousRange {
  readonly lookback: number;
  private readonly max: RollingExtreme | undefined;
  private readonly min: RollingExtreme | undefined;

  /** @param sides - the side(s) to track; a strategy that never reads the low need not pay for it on every bar. */
  constructor(lookback: number, capacity: number = DEFAULT_CAPACITY, sides: RangeSides = "both") {
    this.lookback = lookback;
    this.max = sides === "low" ? undefined : new RollingExtreme(lookback, 1, capacity);
    this.min = sides === "high" ? undefined : new RollingExtreme(lookback, -1, capacity);
  }

  /** Forgets everything; the next push is bar `firstIndex`. */
  reset(firstIndex: number): void {
    this.max?.reset(firstIndex);
    this.min?.reset(firstIndex);
  }

  /** Feeds the next bar. */
  push(high: number, low: number): void {
    this.max?.push(high);
    this.min?.push(low);
  }

  /** Feeds bars `from … to` of `series`, as {@link WindowPreviousRange.push} would one by one (see {@link WindowAtr.pushBars}). */
  pushBars(series: CandleSeries, from: number, to: number): void {
    this.max?.pushValues(series.high, from, to);
    this.min?.pushValues(series.low, from, to);
  }

  /** Highest high of the `lookback` bars before `index`; NaN when the window starting at `start` has fewer. */
  highAt(start: number, index: number): number {
    return this.lookback >= 1 && index - start >= this.lookback ? tracked(this.max, "high").extremeAt(index - 1) : Number.NaN;
  }

  /** Lowest low of the `lookback` bars before `index`; NaN when the window starting at `start` has fewer. */
  lowAt(start: number, index: number): number {
    return this.lookback >= 1 && index - start >= this.lookback ? tracked(this.min, "low").extremeAt(index - 1) : Number.NaN;
  }

  /**
   * Whether the close of bar `index` of `series` crossed above the previous-`lookback` high
   * (`close > high ≥ previous close`, {@link WindowPreviousRange.highAt} for the window starting at `start`); false
   * while the window has too few bars. Why a boolean: a strategy asks on every bar, and a double returned from a call
   * V8 does not inline into the strategy is boxed on the heap, while a boolean is not.
   */
  crossedAbove(series: CandleSeries, start: number, index: number): boolean {
    const high = this.highAt(start, index);
    const close = series.close;
    return close[index]! > high && close[index - 1]! <= high;
  }

  /** Whether the close of bar `index` crossed below the previous-`lookback` low: {@link WindowPreviousRange.crossedAbove} mirrored. */
  crossedBelow(series: CandleSeries, start: number, index: number): boolean {
    const low = this.lowAt(start, index);
    const close = series.close;
    return close[index]! < low && close[index - 1]! >= low;
  }
}

function tracked(extreme: RollingExtreme | undefined, side: string): RollingExtreme {
  if (extreme === undefined) throw new Error(`WindowPreviousRange: the ${side} side is not tracked (see the sides argument)`);
  return extreme;
}
