/** One candle as a plain record (for construction and tests; the engine works on {@link CandleSeries}). */
export interface Candle {
  /** Open time, UTC milliseconds. */
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/**
 * OHLCV candles of one symbol and timeframe as columns of typed arrays, oldest first.
 *
 * Columns may be views into a larger (possibly shared) buffer: {@link CandleSeries.slice} never copies.
 * The arrays must not be mutated once a backtest holds the series.
 */
export class CandleSeries {
  /** Open times, UTC milliseconds, strictly ascending. */
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** Number of candles. */
  readonly length: number;

  private constructor(time: Float64Array, open: Float64Array, high: Float64Array, low: Float64Array, close: Float64Array, volume: Float64Array) {
    const n = time.length;
    if (open.length !== n || high.length !== n || low.length !== n || close.length !== n || volume.length !== n) {
      throw new RangeError("CandleSeries: all columns must have the same length");
    }
    this.time = time;
    this.open = open;
    this.high = high;
    this.low = low;
    this.close = close;
    this.volume = volume;
    this.length = n;
  }

  /** Wraps existing columns (not copied). */
  static fromColumns(cols: {
    time: Float64Array;
    open: Float64Array;
    high: Float64Array;
    low: Float64Array;
    close: Float64Array;
    volume: Float64Array;
  }): CandleSeries {
    return new CandleSeries(cols.time, cols.open, cols.high, cols.low, cols.close, cols.volume);
  }

  /** Builds a series from candle records (copied into new columns). */
  static fromCandles(candles: readonly Candle[]): CandleSeries {
    const n = candles.length;
    const buf = new Float64Array(n * 6);
    const s = CandleSeries.fromBuffer(buf, n);
    for (let i = 0; i < n; i++) {
      const c = candles[i]!;
      s.time[i] = c.time;
      s.open[i] = c.open;
      s.high[i] = c.high;
      s.low[i] = c.low;
      s.close[i] = c.close;
      s.volume[i] = c.volume;
    }
    return s;
  }

  /**
   * Views a buffer of `6 × length` doubles laid out column after column (time, open, high, low, close, volume).
   * The buffer may be a `SharedArrayBuffer`, so worker threads can read one copy of the data.
   */
  static fromBuffer(buffer: Float64Array, length: number): CandleSeries {
    if (buffer.length < length * 6) throw new RangeError("CandleSeries.fromBuffer: buffer too small");
    const col = (k: number) => buffer.subarray(k * length, (k + 1) * length);
    return new CandleSeries(col(0), col(1), col(2), col(3), col(4), col(5));
  }

  /** An empty series. */
  static empty(): CandleSeries {
    return CandleSeries.fromBuffer(new Float64Array(0), 0);
  }

  /** Candles `start … end−1` as views (no copy). */
  slice(start: number, end: number = this.length): CandleSeries {
    const s = Math.max(0, Math.min(start, this.length));
    const e = Math.max(s, Math.min(end, this.length));
    return new CandleSeries(
      this.time.subarray(s, e),
      this.open.subarray(s, e),
      this.high.subarray(s, e),
      this.low.subarray(s, e),
      this.close.subarray(s, e),
      this.volume.subarray(s, e),
    );
  }

  /** The candle at `i` as a record (allocates; for tests and reports, not the bar loop). */
  at(i: number): Candle | undefined {
    if (i < 0 || i >= this.length) return undefined;
    return {
      time: this.time[i]!,
      open: this.open[i]!,
      high: this.high[i]!,
      low: this.low[i]!,
      close: this.close[i]!,
      volume: this.volume[i]!,
    };
  }

  /** Index of the candle whose open time is exactly `time`, or −1 (binary search). */
  indexOfTime(time: number): number {
    const i = this.lastIndexAtOrBefore(time);
    return i >= 0 && this.time[i] === time ? i : -1;
  }

  /** Index of the last candle with open time ≤ `time`, or −1. */
  lastIndexAtOrBefore(time: number): number {
    let lo = 0;
    let hi = this.length - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.time[mid]! <= time) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  }

  /** Copies the columns into one new buffer (optionally shared) laid out for {@link CandleSeries.fromBuffer}. */
  toBuffer(shared = false): Float64Array {
    const n = this.length;
    const buf = shared ? new Float64Array(new SharedArrayBuffer(n * 6 * 8)) : new Float64Array(n * 6);
    buf.set(this.time, 0);
    buf.set(this.open, n);
    buf.set(this.high, 2 * n);
    buf.set(this.low, 3 * n);
    buf.set(this.close, 4 * n);
    buf.set(this.volume, 5 * n);
    return buf;
  }
}
