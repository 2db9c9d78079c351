import { DEFAULT_CAPACITY } from "./ring";
import { sma, WindowSma } from "./sma";

/**
 * Mean volume of the `period` bars before each bar, the bar itself excluded (strategies.md §2.12, range_breakout
 * uses 20); absent for `i < period`. It is the SMA of the volume one bar back.
 */
export function previousVolumeAverage(volume: ArrayLike<number>, period: number): Float64Array {
  const n = volume.length;
  const out = new Float64Array(n).fill(NaN);
  if (period < 1) return out;
  const mean = sma(volume, period);
  for (let i = period; i < n; i++) out[i] = mean[i - 1]!;
  return out;
}

/** Streaming {@link previousVolumeAverage}: a {@link WindowSma} of the volume, read one bar back. */
export class WindowVolumeAverage {
  readonly period: number;
  private readonly mean: WindowSma;

  constructor(period: number, capacity: number = DEFAULT_CAPACITY) {
    this.period = period;
    this.mean = new WindowSma(period, capacity);
  }

  /** Forgets everything; the next push is bar `firstIndex`. */
  reset(firstIndex: number): void {
    this.mean.reset(firstIndex);
  }

  /** Feeds the next bar's volume. */
  push(volume: number): void {
    this.mean.push(volume);
  }

  /** Feeds `volumes[from … to]`, as {@link WindowVolumeAverage.push} would one by one (see {@link WindowAtr.pushBars} for why). */
  pushValues(volumes: ArrayLike<number>, from: number, to: number): void {
    this.mean.pushValues(volumes, from, to);
  }

  /** Mean volume of the `period` bars before `index`; NaN when the window starting at `start` has fewer. */
  at(start: number, index: number): number {
    return index - 1 < start ? Number.NaN : this.mean.at(start, index - 1);
  }
}
