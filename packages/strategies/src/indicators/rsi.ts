import { SeededEma } from "./ema";
import { DEFAULT_CAPACITY, scratchColumn } from "./ring";

/** The `ta` crate's artificial first up/down move: makes the first raw RSI 50 and avoids 0/0. */
const RSI_SEED = 0.1;

/**
 * RSI as the `ta` crate computes it (strategies.md §2.8): first-value-seeded EMAs (`k = 2/(period+1)`, not Wilder)
 * of up and down moves, with 0.1/0.1 as the first bar's moves; `100·up/(up+down)`; absent before `period − 1`.
 */
export function rsi(values: ArrayLike<number>, period: number): Float64Array {
  const n = values.length;
  if (n === 0 || period < 1) return new Float64Array(0);
  const out = new Float64Array(n).fill(NaN);
  const k = 2 / (period + 1);
  let up = RSI_SEED;
  let down = RSI_SEED;
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      const x = values[i]!;
      const prev = values[i - 1]!;
      up = k * (x > prev ? x - prev : 0) + (1 - k) * up;
      down = k * (x > prev ? 0 : prev - x) + (1 - k) * down;
    }
    if (i >= period - 1) out[i] = (100 * up) / (up + down);
  }
  return out;
}

/** Window-exact streaming {@link rsi}: both averages are seeded with 0.1 at the window start, in O(1). */
export class WindowRsi {
  readonly period: number;
  private readonly up: SeededEma;
  private readonly down: SeededEma;
  private prev = NaN;
  /**
   * {@link RSI_SEED}, read from a field. Why: a module constant is of unknown type to V8 where it is read, and passed as
   * the seed it made the averages' update a tagged value, boxed on the heap twice per bar (4 MB per 1 h regime_grid
   * backtest); a number field is known to hold a number.
   */
  private readonly seed = RSI_SEED;

  constructor(period: number, capacity: number = DEFAULT_CAPACITY) {
    this.period = period;
    this.up = new SeededEma(period, capacity);
    this.down = new SeededEma(period, capacity);
  }

  /** Forgets everything; the next push is bar `firstIndex`. */
  reset(firstIndex: number): void {
    this.up.reset(firstIndex);
    this.down.reset(firstIndex);
    this.prev = NaN;
  }

  /** Feeds the next bar's value. */
  push(x: number): void {
    const started = !Number.isNaN(this.prev);
    const gain = started && x > this.prev ? x - this.prev : 0;
    const loss = started && !(x > this.prev) ? this.prev - x : 0;
    this.up.push(gain, this.seed);
    this.down.push(loss, this.seed);
    this.prev = x;
  }

  /** Feeds `values[from … to]`, as {@link WindowRsi.push} would one by one (see {@link WindowAtr.pushBars} for why). */
  pushValues(values: ArrayLike<number>, from: number, to: number): void {
    const count = to - from + 1;
    if (count <= 0) return;
    // The moves first, then each average's recursion in a loop of its own (`SeededEma.pushValues`).
    const gains = scratchColumn(0, count);
    const losses = scratchColumn(1, count);
    const seeds = scratchColumn(2, count);
    let prev = this.prev;
    for (let j = 0; j < count; j++) {
      const x = values[from + j]!;
      const started = !Number.isNaN(prev);
      gains[j] = started && x > prev ? x - prev : 0;
      losses[j] = started && !(x > prev) ? prev - x : 0;
      seeds[j] = this.seed;
      prev = x;
    }
    this.prev = prev;
    this.up.pushValues(gains, seeds, 0, count - 1);
    this.down.pushValues(losses, seeds, 0, count - 1);
  }

  /** True when the window `start … index` can be answered. */
  covers(start: number, index: number): boolean {
    return this.up.covers(start, index);
  }

  /** RSI at `index` of the window starting at `start`; NaN during warm-up. */
  at(start: number, index: number): number {
    if (this.period < 1 || index - start < this.period - 1) return Number.NaN;
    const u = this.up.raw(start, index);
    const d = this.down.raw(start, index);
    return (100 * u) / (u + d);
  }
}
