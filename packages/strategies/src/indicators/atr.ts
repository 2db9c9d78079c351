import type { CandleSeries } from "@tradeloom/types";
import { barTrueRange, trueRange } from "./true-range";
import { WindowWilder, wilderSmooth } from "./wilder";
import { DEFAULT_CAPACITY, scratchColumn } from "./ring";

/**
 * Wilder ATR (strategies.md §2.4, the reference's own, not the `ta` crate's EMA ATR): the mean of the first `period`
 * true ranges at `period − 1` (with `TR[0] = high − low`), then Wilder smoothing. Empty for period 0, empty input or
 * columns of unequal length.
 */
export function atr(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, period: number): Float64Array {
  const n = high.length;
  if (n === 0 || period < 1 || low.length !== n || close.length !== n) return new Float64Array(0);
  return wilderSmooth(trueRange(high, low, close), period);
}

/** Window-exact streaming {@link atr}: constant time per bar and per query. */
export class WindowAtr {
  readonly period: number;
  private readonly tr: WindowWilder;
  private prevClose = NaN;

  /** @param meanSpan - see {@link WindowWilder}; enables O(1) {@link WindowAtr.meanOfLast} over that many bars. */
  constructor(period: number, capacity: number = DEFAULT_CAPACITY, meanSpan?: number) {
    this.period = period;
    this.tr = new WindowWilder(period, capacity, meanSpan);
  }

  /** Forgets everything; the next push is bar `firstIndex`. */
  reset(firstIndex: number): void {
    this.tr.reset(firstIndex);
    this.prevClose = NaN;
  }

  /** Feeds the next bar. */
  push(high: number, low: number, close: number): void {
    const range = high - low;
    this.tr.push(Number.isNaN(this.prevClose) ? range : barTrueRange(high, low, this.prevClose), range);
    this.prevClose = close;
  }

  /**
   * Feeds bars `from … to` of `series`, as {@link WindowAtr.push} would one by one, to the bit. Why a method per stream:
   * a feed pushing all of a strategy's streams bar by bar in one loop exceeds what V8 inlines into one compiled
   * function, and every double passed to a push left as a call is boxed on the heap. Why the true ranges first: each
   * recursion then runs in a loop of its own with its previous value in a register (`WindowWilder.pushValues`) instead of
   * reading it back from its ring on every bar.
   */
  pushBars(series: CandleSeries, from: number, to: number): void {
    const count = to - from + 1;
    if (count <= 0) return;
    const { high, low, close } = series;
    // The true ranges and ranges first, then the smoothing's recursions in loops of their own (WindowWilder.pushValues).
    const ranges = scratchColumn(0, count);
    const trueRanges = scratchColumn(1, count);
    let prevClose = this.prevClose;
    for (let j = 0; j < count; j++) {
      const i = from + j;
      const h = high[i]!;
      const l = low[i]!;
      const range = h - l;
      ranges[j] = range;
      trueRanges[j] = Number.isNaN(prevClose) ? range : barTrueRange(h, l, prevClose);
      prevClose = close[i]!;
    }
    this.prevClose = prevClose;
    this.tr.pushValues(trueRanges, ranges, 0, count - 1);
  }

  /** True when the window `start … index` can be answered. */
  covers(start: number, index: number): boolean {
    return this.tr.covers(start, index);
  }

  /** ATR at `index` of the window starting at `start`; NaN during warm-up. */
  at(start: number, index: number): number {
    return this.tr.at(start, index);
  }

  /** Mean of the present ATR values among the last `count` bars ending at `index`; NaN when none is present. */
  meanOfLast(start: number, index: number, count: number): number {
    return this.tr.meanOfLast(start, index, count);
  }
}
