import type { CandleSeries } from "@tradeloom/types";
import type { BarWindow, Strategy } from "../strategy";
import { releaseRings, withRings } from "../indicators/ring";

/**
 * Keeps a strategy's streaming indicators fed from the candle series, lazily: each call catches up to the window's
 * last bar, so bars on which the engine did not call the strategy are still fed. A window the streams cannot answer
 * about (another series object than the first one seen, or older than the rings remember) is reported, and the
 * strategy then rebuilds a scratch set over that window alone.
 */
export abstract class WindowFeed {
  private series: CandleSeries | undefined;
  private first = 0;
  private next = 0;

  protected constructor(private readonly capacity: number) {}

  /** Forgets all stream state; the next bar pushed is `first`. */
  protected abstract resetStreams(first: number): void;

  /** Feeds bar `index` of `series` to every stream. */
  protected abstract pushBar(series: CandleSeries, index: number): void;

  /** Feeds bars up to `window.end`; true when the streams can answer about `window`. */
  sync(window: BarWindow): boolean {
    const { series, start, end } = window;
    if (this.series === undefined) this.restart(series, start);
    // Another series (a slice, another run) is answered by the scratch set: following it would thrash the streams.
    else if (series !== this.series) return false;
    // Starting afresh at the window start costs no more than catching up, and bars before it are never needed.
    else if (start > this.next) this.restart(series, start);
    for (let i = this.next; i <= end; i++) this.pushBar(series, i);
    if (end >= this.next) this.next = end + 1;
    return start >= this.first && this.next - 1 - start < this.capacity;
  }

  /** Feeds exactly the bars of `window`, forgetting everything else. */
  rebuild(window: BarWindow): void {
    this.restart(window.series, window.start);
    this.sync(window);
  }

  private restart(series: CandleSeries, first: number): void {
    this.series = series;
    this.first = first;
    this.next = first;
    this.resetStreams(first);
  }
}

/**
 * A strategy's live indicator set plus a scratch set, built on first need, for windows the live one cannot answer
 * about (such as the slice ending at an old entry bar).
 */
export class IndicatorSets<T extends WindowFeed> {
  private live: T | undefined;
  private scratch: T | undefined;
  /** The ring buffers both sets took, given back by {@link IndicatorSets.release}. */
  private readonly rings: Float64Array[] = [];

  constructor(private readonly make: () => T) {
    this.live = withRings(this.rings, make);
  }

  /** A set fed up to `window.end` that answers about `window`. */
  for(window: BarWindow): T {
    const live = (this.live ??= withRings(this.rings, this.make));
    if (live.sync(window)) return live;
    const scratch = (this.scratch ??= withRings(this.rings, this.make));
    scratch.rebuild(window);
    return scratch;
  }

  /**
   * Gives the sets' ring buffers back for the next strategy to reuse and forgets the sets (the engine calls this
   * through {@link Strategy.dispose} when a run is over). A later {@link IndicatorSets.for} builds them afresh.
   */
  release(): void {
    this.live = undefined;
    this.scratch = undefined;
    releaseRings(this.rings);
  }
}
