import { SeededEma } from "./ema";
import { DEFAULT_CAPACITY, notCovered, powers, ringSize, scratchColumn } from "./ring";

/** MACD, signal and histogram columns. */
export interface MacdSeries {
  readonly macd: Float64Array;
  readonly signal: Float64Array;
  readonly histogram: Float64Array;
}

/**
 * MACD as the `ta` crate computes it (strategies.md §2.9): fast and slow first-value-seeded EMAs, the signal an EMA of
 * the MACD line seeded with its first value (0); all three absent before `slow − 1`. Any period 0 gives full-length
 * all-absent columns.
 */
export function macd(values: ArrayLike<number>, fast: number, slow: number, signal: number): MacdSeries {
  const n = values.length;
  const m = new Float64Array(n).fill(NaN);
  const s = new Float64Array(n).fill(NaN);
  const h = new Float64Array(n).fill(NaN);
  if (fast < 1 || slow < 1 || signal < 1) return { macd: m, signal: s, histogram: h };
  const kf = 2 / (fast + 1);
  const ks = 2 / (slow + 1);
  const kg = 2 / (signal + 1);
  let ef = 0;
  let es = 0;
  let sig = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    ef = i === 0 ? x : kf * x + (1 - kf) * ef;
    es = i === 0 ? x : ks * x + (1 - ks) * es;
    const line = ef - es;
    sig = i === 0 ? line : kg * line + (1 - kg) * sig;
    if (i >= slow - 1) {
      m[i] = line;
      s[i] = sig;
      h[i] = line - sig;
    }
  }
  return { macd: m, signal: s, histogram: h };
}

/**
 * Window-exact streaming {@link macd}, O(1) per bar and per query.
 *
 * The window MACD line is `M(b) + df·cf^(b−s) − ds·cs^(b−s)` where `M` is the full-history line and `df`, `ds` are
 * the window seeds' offsets from the full-history EMAs at `s`. The seeded signal EMA is linear in its input, so it is
 * the window-seeded EMA of `M` plus `df`·(seeded EMA of `cf^j`) − `ds`·(seeded EMA of `cs^j`); the last two depend
 * only on `j = b − s` and are tabulated.
 */
export class WindowMacd {
  readonly fast: number;
  readonly slow: number;
  readonly signal: number;
  private readonly fastEma: SeededEma;
  private readonly slowEma: SeededEma;
  private readonly lineEma: SeededEma;
  private readonly fastResponse: Float64Array;
  private readonly slowResponse: Float64Array;

  constructor(fast: number, slow: number, signal: number, capacity: number = DEFAULT_CAPACITY) {
    this.fast = fast;
    this.slow = slow;
    this.signal = signal;
    const size = ringSize(capacity);
    this.fastEma = new SeededEma(fast, size);
    this.slowEma = new SeededEma(slow, size);
    this.lineEma = new SeededEma(signal, size);
    this.fastResponse = seededEmaOfGeometric(signal, 1 - 2 / (fast + 1), size);
    this.slowResponse = seededEmaOfGeometric(signal, 1 - 2 / (slow + 1), size);
  }

  /** Forgets everything; the next push is bar `firstIndex`. */
  reset(firstIndex: number): void {
    this.fastEma.reset(firstIndex);
    this.slowEma.reset(firstIndex);
    this.lineEma.reset(firstIndex);
  }

  /** Feeds the next bar's value. */
  push(x: number): void {
    this.fastEma.push(x, x);
    this.slowEma.push(x, x);
    const i = this.fastEma.lastIndex;
    const line = this.fastEma.fullAt(i) - this.slowEma.fullAt(i);
    this.lineEma.push(line, line);
  }

  /** Feeds `values[from … to]`, as {@link WindowMacd.push} would one by one (see {@link WindowAtr.pushBars} for why). */
  pushValues(values: ArrayLike<number>, from: number, to: number): void {
    const count = to - from + 1;
    if (count <= 0) return;
    // Each EMA's recursion in a loop of its own (`SeededEma.pushValues`); the signal line's after the MACD line.
    const start = this.fastEma.lastIndex + 1;
    this.fastEma.pushValues(values, values, from, to);
    this.slowEma.pushValues(values, values, from, to);
    const lines = scratchColumn(0, count);
    for (let j = 0; j < count; j++) lines[j] = this.fastEma.fullAt(start + j) - this.slowEma.fullAt(start + j);
    this.lineEma.pushValues(lines, lines, 0, count - 1);
  }

  /** True when the window `start … index` can be answered. */
  covers(start: number, index: number): boolean {
    return this.fastEma.covers(start, index);
  }

  private present(start: number, index: number): boolean {
    return this.fast >= 1 && this.slow >= 1 && this.signal >= 1 && index - start >= this.slow - 1;
  }

  /** MACD line at `index` of the window starting at `start`; NaN during warm-up. */
  macdAt(start: number, index: number): number {
    if (!this.present(start, index)) return Number.NaN;
    return this.fastEma.raw(start, index) - this.slowEma.raw(start, index);
  }

  /** Signal line at `index` of the window starting at `start`; NaN during warm-up. */
  signalAt(start: number, index: number): number {
    if (!this.present(start, index)) return Number.NaN;
    if (!this.covers(start, index)) throw notCovered("WindowMacd", start, index, NaN, this.fastEma.lastIndex, this.fastEma.capacity);
    const j = index - start;
    const df = this.fastEma.seedAt(start) - this.fastEma.fullAt(start);
    const ds = this.slowEma.seedAt(start) - this.slowEma.fullAt(start);
    return this.lineEma.raw(start, index) + df * this.fastResponse[j]! - ds * this.slowResponse[j]!;
  }

  /** Histogram (MACD − signal) at `index` of the window starting at `start`; NaN during warm-up. */
  histogramAt(start: number, index: number): number {
    return this.macdAt(start, index) - this.signalAt(start, index);
  }
}

/** `y(0) = 1`, `y(j) = k·c^j + (1−k)·y(j−1)`: a first-value-seeded EMA(period) of the sequence `c^j`. */
function seededEmaOfGeometric(period: number, c: number, length: number): Float64Array {
  const k = 2 / (period + 1);
  const cj = powers(c, length);
  const out = new Float64Array(length);
  out[0] = 1;
  for (let j = 1; j < length; j++) out[j] = k * cj[j]! + (1 - k) * out[j - 1]!;
  return out;
}
