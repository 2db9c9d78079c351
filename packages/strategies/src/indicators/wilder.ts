import { RollingSum } from "./rolling-sum";
import { DEFAULT_CAPACITY, notCovered, powerSums, powers, ringSize, ringArray, scratchColumn } from "./ring";

/**
 * Wilder smoothing with a simple-average seed (strategies.md §2.5): absent before `period − 1`, the mean of the first
 * `period` values there, then `s[i] = (s[i−1]·(period−1) + v[i]) / period`.
 */
export function wilderSmooth(values: ArrayLike<number>, period: number): Float64Array {
  const n = values.length;
  if (n === 0 || period < 1) return new Float64Array(0);
  const out = new Float64Array(n).fill(NaN);
  if (n < period) return out;
  let s = 0;
  for (let i = 0; i < period; i++) s += values[i]!;
  s /= period;
  out[period - 1] = s;
  for (let i = period; i < n; i++) {
    s = (s * (period - 1) + values[i]!) / period;
    out[i] = s;
  }
  return out;
}

/**
 * Window-exact streaming {@link wilderSmooth}. Each bar is fed with its value and with the value a window starting
 * at that bar would use instead (a window's first true range is `high − low`, its first directional move 0).
 *
 * The window recursion and the recursion over everything fed (`G`) share their update after the window's seed
 * index `i0 = start + period − 1`, so `S(start, b) = G(b) + ((p−1)/p)^(b−i0)·(seed(start) − G(i0))`, where the seed
 * is the window's first-`period` mean, read from a rolling sum.
 */
export class WindowWilder {
  readonly period: number;
  readonly capacity: number;
  private readonly mask: number;
  private readonly full: Float64Array;
  private readonly windowFirst: Float64Array;
  private readonly sums: RollingSum;
  private readonly decay: Float64Array;
  /** `decayPrefix[k] = Σ_{m<k} decay[m]`, for sums of window values over a run of bars (with a `meanSpan` only). */
  private readonly decayPrefix: Float64Array | undefined;
  /** Rolling sums of `G` over `meanSpan` bars, when {@link WindowWilder.meanOfLast} is wanted. */
  private readonly fullSums: RollingSum | undefined;
  /** Per bar, the index of the latest non-zero value up to it: a window of zeros must smooth to exactly 0. */
  private readonly lastNonZero: Float64Array;
  private first = 0;
  private last = -1;

  /**
   * @param meanSpan - when set, {@link WindowWilder.meanOfLast} answers the mean of the last `meanSpan` window values in
   *   O(1) (volatility_regime averages the last 20 ATRs of its window on every bar).
   */
  constructor(period: number, capacity: number = DEFAULT_CAPACITY, meanSpan?: number) {
    this.period = period;
    this.capacity = ringSize(Math.max(capacity, period + 1));
    this.mask = this.capacity - 1;
    this.full = ringArray(this.capacity);
    this.windowFirst = ringArray(this.capacity);
    this.sums = new RollingSum(period, this.capacity);
    const base = period >= 1 ? (period - 1) / period : 0;
    this.decay = powers(base, this.capacity);
    this.fullSums = meanSpan !== undefined && meanSpan >= 1 ? new RollingSum(meanSpan, this.capacity) : undefined;
    this.decayPrefix = this.fullSums !== undefined ? powerSums(base, this.capacity) : undefined;
    this.lastNonZero = ringArray(this.capacity);
  }

  /** Forgets everything; the next push is bar `firstIndex`. */
  reset(firstIndex: number): void {
    this.first = firstIndex;
    this.last = firstIndex - 1;
    this.sums.reset(firstIndex);
    this.fullSums?.reset(firstIndex);
  }

  /** Feeds the next bar: its value, and the value used instead when a window starts at this bar. */
  push(v: number, windowFirst: number): void {
    const i = ++this.last;
    const m = this.mask;
    const p = this.period;
    this.full[i & m] = i === this.first ? v : (this.full[(i - 1) & m]! * (p - 1) + v) / p;
    this.windowFirst[i & m] = windowFirst;
    this.lastNonZero[i & m] = v !== 0 ? i : i === this.first ? i - 1 : this.lastNonZero[(i - 1) & m]!;
    this.sums.push(v);
    this.fullSums?.push(this.full[i & m]!);
  }

  /**
   * Feeds `values[from … to]` with their window-first values `windowFirsts[from … to]`, as {@link WindowWilder.push}
   * would one by one, to the bit. Each recursion runs in a loop of its own with its previous value in a register (see
   * `SeededEma.pushValues`); the Wilder step's division is the chain's critical path.
   */
  pushValues(values: ArrayLike<number>, windowFirsts: ArrayLike<number>, from: number, to: number): void {
    if (to < from) return;
    const m = this.mask;
    const p = this.period;
    const full = this.full;
    const firsts = this.windowFirst;
    const nonZero = this.lastNonZero;
    const first = this.first;
    const start = this.last + 1 - from;
    // Scratch slot 2: the smoothed values, for the rolling sums of `meanOfLast` (slots 0 and 1 are the caller's).
    const fullSums = this.fullSums;
    const smoothed = fullSums !== undefined ? scratchColumn(2, to - from + 1) : undefined;
    let prev = full[(start + from - 1) & m]!;
    let prevNonZero = nonZero[(start + from - 1) & m]!;
    for (let j = from; j <= to; j++) {
      const i = start + j;
      const v = values[j]!;
      const y = i === first ? v : (prev * (p - 1) + v) / p;
      full[i & m] = y;
      firsts[i & m] = windowFirsts[j]!;
      prevNonZero = v !== 0 ? i : i === first ? i - 1 : prevNonZero;
      nonZero[i & m] = prevNonZero;
      if (smoothed !== undefined) smoothed[j - from] = y;
      prev = y;
    }
    this.last = start + to;
    this.sums.pushValues(values, from, to);
    if (fullSums !== undefined && smoothed !== undefined) fullSums.pushValues(smoothed, 0, to - from);
  }

  /** True when the window `start … index` can be answered. */
  covers(start: number, index: number): boolean {
    return start >= this.first && start <= index && index <= this.last && this.last - start < this.capacity;
  }

  /** Smoothed value at `index` of the window starting at `start`; NaN during warm-up or for period 0. */
  at(start: number, index: number): number {
    const p = this.period;
    const i0 = start + p - 1;
    if (p < 1 || index < i0) return Number.NaN;
    if (!this.covers(start, index)) throw this.uncovered(start, index);
    const m = this.mask;
    // Batch smoothing of all-zero inputs is exactly 0 (a flat window has ATR 0, hence no DI); the closed form
    // would leave a rounding residue there.
    if (this.allZero(start, index)) return 0;
    const seed = (this.sums.sumAt(i0) - this.sums.valueAt(start) + this.windowFirst[start & m]!) / p;
    return this.full[index & m]! + this.decay[index - i0]! * (seed - this.full[i0 & m]!);
  }

  /**
   * Mean of the present window values among the last `count` bars ending at `index` (NaN when none is present), for
   * the window starting at `start`. O(1) when `count` is the `meanSpan` given at construction and all of them are
   * present, O(count) otherwise.
   */
  meanOfLast(start: number, index: number, count: number): number {
    const p = this.period;
    const i0 = start + p - 1;
    const from = index - count + 1;
    const sums = this.fullSums;
    const prefix = this.decayPrefix;
    if (sums !== undefined && prefix !== undefined && count === sums.period && from >= i0 && this.covers(start, index) && !this.allZero(start, index)) {
      // Σ S(start, j) = Σ G(j) + (seed − G(i0))·Σ decay^(j−i0), over j = from … index.
      const m = this.mask;
      const seed = (this.sums.sumAt(i0) - this.sums.valueAt(start) + this.windowFirst[start & m]!) / p;
      const decaySum = prefix[index - i0 + 1]! - prefix[from - i0]!;
      return (sums.sumAt(index) + (seed - this.full[i0 & m]!) * decaySum) / count;
    }
    return this.meanOfValues(start, Math.max(from, i0), index);
  }

  /** Mean of the window values `from … index` one by one (NaN when none); out of line, the fast path stays inlinable. */
  private meanOfValues(start: number, from: number, index: number): number {
    let sum = 0;
    let present = 0;
    for (let j = from; j <= index; j++) {
      sum += this.at(start, j);
      present++;
    }
    return present === 0 ? Number.NaN : sum / present;
  }

  private uncovered(start: number, index: number): RangeError {
    return notCovered("WindowWilder", start, index, this.first, this.last, this.capacity);
  }

  private allZero(start: number, index: number): boolean {
    return this.windowFirst[start & this.mask] === 0 && this.lastNonZero[index & this.mask]! <= start;
  }
}
