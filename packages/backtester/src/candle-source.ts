import { createHash } from "node:crypto";
import { type CandleSeries, DataError, type SkippedRow } from "@tradeloom/types";

/** Candles of one symbol and timeframe, with where they came from. */
export interface LoadedCandles {
  readonly series: CandleSeries;
  /** Data rows read (header excluded); equals the series length for in-memory data. */
  readonly rowsRead: number;
  readonly skipped: readonly SkippedRow[];
  /** File path, URL or `memory`. */
  readonly source: string;
  /** SHA-256 of the source bytes (of the columns for in-memory data), for the run's manifest. */
  readonly sha256: string;
}

/**
 * Where a backtest gets candles. The backtester does no I/O itself: the caller supplies a source, e.g.
 * `csvDirectory(dir)` from `@tradeloom/backtester/node`, or {@link memorySource}.
 */
export interface CandleSource {
  /**
   * Loads the candles of `symbol` in `timeframe`.
   * @throws DataError with code `DATA_MISSING` when there are none, `DATA_MALFORMED`/`DATA_ORDER` for bad data.
   */
  load(symbol: string, timeframe: string): Promise<LoadedCandles>;
}

const hashes = new WeakMap<CandleSeries, string>();

/** SHA-256 of a series' columns: identifies in-memory data in a manifest. Cached per series object. */
export function hashSeries(series: CandleSeries): string {
  const cached = hashes.get(series);
  if (cached !== undefined) return cached;
  const h = createHash("sha256");
  for (const col of [series.time, series.open, series.high, series.low, series.close, series.volume]) {
    h.update(new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
  }
  const hex = h.digest("hex");
  hashes.set(series, hex);
  return hex;
}

/**
 * Candles held in memory, keyed `SYMBOL_tf` (e.g. `BTCINR_1d`).
 *
 * @example
 * const source = memorySource({ BTCINR_1d: CandleSeries.fromCandles(candles) });
 */
export function memorySource(data: Readonly<Record<string, CandleSeries>> | ReadonlyMap<string, CandleSeries>): CandleSource {
  const map = data instanceof Map ? data : new Map(Object.entries(data));
  return {
    async load(symbol, timeframe) {
      const key = `${symbol}_${timeframe}`;
      const series = map.get(key);
      if (!series) throw new DataError("DATA_MISSING", `no in-memory candles for ${key}`, { symbol, timeframe });
      return { series, rowsRead: series.length, skipped: [], source: "memory", sha256: hashSeries(series) };
    },
  };
}
