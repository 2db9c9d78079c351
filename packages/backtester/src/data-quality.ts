import type { SkippedRow } from "@tradeloom/types";

/** A hole in a series: consecutive candles further apart than one timeframe. */
export interface Gap {
  /** Open time of the candle before the gap (UTC ms). */
  readonly after: number;
  /** Open time of the candle after the gap. */
  readonly before: number;
  /** Candles missing in between. */
  readonly missing: number;
}

/** What loading and aligning did to one symbol's primary data. */
export interface SymbolDataQuality {
  readonly symbol: string;
  readonly timeframe: string;
  /** Where the data came from (file path or `memory`). */
  readonly source: string;
  /** Data rows read (header excluded). */
  readonly rowsRead: number;
  /** Rows skipped because their OHLC values are inconsistent (first failed check wins). */
  readonly skipped: readonly SkippedRow[];
  /** Timestamp gaps inside the range used. */
  readonly gaps: readonly Gap[];
  /** First and last candle used after date filters and alignment (UTC ms); undefined when none. */
  readonly rangeUsed: { readonly first: number; readonly last: number } | undefined;
  /** Candles used after date filters and alignment. */
  readonly candlesUsed: number;
}

/** Finds gaps of more than one step between consecutive times in `time[start..end)`. */
export function findGaps(time: Float64Array, stepMs: number, start = 0, end = time.length): Gap[] {
  const gaps: Gap[] = [];
  for (let i = start + 1; i < end; i++) {
    const d = time[i]! - time[i - 1]!;
    if (d > stepMs) gaps.push({ after: time[i - 1]!, before: time[i]!, missing: Math.round(d / stepMs) - 1 });
  }
  return gaps;
}
