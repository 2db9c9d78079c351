import type { CandleSeries } from "@tradeloom/types";
import type { BarWindow, Strategy } from "../strategy";
import { releaseRings, withRings } from "../indicators/ring";

/**
 * Keeps a strategy's streaming indicators fed from the candle series, lazily: each call catches up to the window's
 * last bar, so bars on which the engine did not call the strategy are still fed. A window the streams cannot answer
 * about (another series object than the first one seen, or older than the rings remember) is reported, and the
 * strategy then rebuilds a scratch set over that window alone.
 *
 * With `ahead > 0`, a feed that must catch up pushes up to `ahead` bars past the window's end in one go, as far as
 * the window's {@link BarWindow.final} allows. The values it answers with are the same (the streams receive the same
 * bars in the same order, and restarts happen where they would without it), but the per-bar pushes then run in a
 * tight loop once every `ahead` bars instead of inside every strategy call. Why: the loop is called too rarely for V8
 * to inline it into the strategy, so it is compiled on its own and the strategy's compiled code keeps its inlining
 * budget for the indicator queries; fed one bar per call, the pushes filled that budget, and queries left as calls box
 * every double they return on the heap (5–20 % of a built-in's 1 h backtest, results unchanged).
 */
export abstract class WindowFeed {
  private series: CandleSeries | undefined;
  private first = 0;
  /** One past the newest bar a window asked about: restarts and coverage are decided on it, as without feeding ahead. */
  private next = 0;
  /** One past the newest bar pushed to the streams (≥ `next`). */
  private fed = 0;
  /** How far back from `next` windows are answered: the capacity less the bars that may have been pushed ahead. */
  private readonly reach: number;

  /**
   * @param capacity - bars the streams' rings hold (they must be built with at least this capacity).
   * @param ahead - bars that may be pushed past a window's end (default 0); windows are answered up to
   *   `capacity − ahead` bars back.
   * @throws RangeError when `ahead` is not a whole number of bars below `capacity`.
   */
  protected constructor(capacity: number, private readonly ahead: number = 0) {
    if (!(Number.isInteger(ahead) && ahead >= 0 && ahead < capacity)) {
      throw new RangeError(`WindowFeed: bars ahead must be a whole number below the capacity (${capacity}), got ${ahead}`);
    }
    this.reach = capacity - ahead;
  }

  /** Forgets all stream state; the next bar pushed is `first`. */
  protected abstract resetStreams(first: number): void;

  /** Feeds bar `index` of `series` to every stream. */
  protected abstract pushBar(series: CandleSeries, index: number): void;

  /**
   * Feeds bars `from … to` of `series` to every stream: {@link WindowFeed.pushBar} for each bar, unless a subclass
   * feeds each stream its bars in a loop of its own (as the built-ins do, through the streams' `pushBars` and
   * `pushValues`): the streams are independent, so the order in which they receive their bars changes nothing, and one
   * loop per stream is compiled with that stream's push inlined, where one loop over all of them boxes the doubles it
   * passes to the pushes V8 leaves as calls.
   */
  protected pushBars(series: CandleSeries, from: number, to: number): void {
    for (let i = from; i <= to; i++) this.pushBar(series, i);
  }

  /** Feeds bars up to `window.end` (or beyond, see the class); true when the streams can answer about `window`. */
  sync(window: BarWindow): boolean {
    const { series, start, end } = window;
    if (this.series === undefined) this.restart(series, start);
    // Another series (a slice, another run) is answered by the scratch set: following it would thrash the streams.
    else if (series !== this.series) return false;
    // Starting afresh at the window start costs no more than catching up, and bars before it are never needed.
    else if (start > this.next) this.restart(series, start);
    if (end >= this.fed) this.feed(series, end, window.final);
    if (end >= this.next) this.next = end + 1;
    return start >= this.first && this.next - 1 - start < this.reach;
  }

  /** Feeds exactly the bars of `window`, forgetting everything else. */
  rebuild(window: BarWindow): void {
    this.restart(window.series, window.start);
    // A scratch set is rebuilt for each window it answers: bars past the end would be fed for nothing.
    if (window.end >= this.fed) this.feed(window.series, window.end, undefined);
    this.next = this.fed;
  }

  /** Pushes bars `fed … end`, and up to `ahead` more that `final` says are settled. */
  private feed(series: CandleSeries, end: number, final: number | undefined): void {
    let last = end;
    if (final !== undefined && final > end) last = Math.max(end, Math.min(final, end + this.ahead, series.length - 1));
    if (last >= this.fed) this.pushBars(series, this.fed, last);
    this.fed = last + 1;
  }

  private restart(series: CandleSeries, first: number): void {
    this.series = series;
    this.first = first;
    this.next = first;
    this.fed = first;
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

/**
 * Which window an answer was last worked out for: its series, start and end. A built-in remembers what it decided on
 * a window because the engine asks about the same window again right after the decision (`getRegimeScore` for every
 * entry it sizes), and the answer is a function of the window.
 */
export class WindowKey {
  private series: CandleSeries | undefined;
  private start = -1;
  private end = -1;

  /** Whether `w` is the window last {@link WindowKey.set}. */
  matches(w: BarWindow): boolean {
    return w.end === this.end && w.start === this.start && w.series === this.series;
  }

  /** Remembers `w` (its bounds now: the engine moves one window object along the bars). */
  set(w: BarWindow): void {
    this.series = w.series;
    this.start = w.start;
    this.end = w.end;
  }
}
