import type { CandleSeries } from "@tradeloom/types";

/** One symbol's candles for a run: the primary timeframe and any extra timeframes the strategy reads. */
export interface SymbolCandles {
  readonly symbol: string;
  readonly primary: CandleSeries;
  /** Extra timeframes by label (e.g. `1d`), when the strategy asks for them. */
  readonly extra?: ReadonlyMap<string, CandleSeries>;
}

/** Symbols trimmed to their common date range, in byte order, with the union of their timestamps. */
export interface AlignedData {
  readonly symbols: readonly SymbolCandles[];
  /** Sorted union of every symbol's primary open times within the common range. */
  readonly timeline: Float64Array;
}

/**
 * Aligns symbols by timestamp: keeps the range every symbol covers (latest first candle to earliest last candle),
 * then runs over the union of their timestamps. A symbol without a candle at a timestamp simply sits that bar out.
 * Symbols left without data are dropped; the result is sorted by symbol name (byte order).
 */
export function alignByTimestamp(input: readonly SymbolCandles[]): AlignedData {
  const live = input.filter((s) => s.primary.length > 0);
  if (live.length === 0) return { symbols: [], timeline: new Float64Array(0) };
  let start = Number.NEGATIVE_INFINITY;
  let end = Number.POSITIVE_INFINITY;
  for (const s of live) {
    start = Math.max(start, s.primary.time[0]!);
    end = Math.min(end, s.primary.time[s.primary.length - 1]!);
  }
  const symbols: SymbolCandles[] = [];
  for (const s of [...live].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))) {
    const primary = trim(s.primary, start, end);
    if (primary.length === 0) continue;
    symbols.push(s.extra ? { symbol: s.symbol, primary, extra: s.extra } : { symbol: s.symbol, primary });
  }
  return { symbols, timeline: union(symbols.map((s) => s.primary.time)) };
}

/** Candles with `from ≤ time ≤ to` (a view, no copy). */
export function trim(series: CandleSeries, from: number, to: number): CandleSeries {
  const first = series.lastIndexAtOrBefore(from - 1) + 1;
  const last = series.lastIndexAtOrBefore(to);
  return series.slice(first, last + 1);
}

function union(times: readonly Float64Array[]): Float64Array {
  if (times.length === 1 || times.every((t) => sameTimes(t, times[0]!))) return times[0]!;
  const idx = new Int32Array(times.length);
  let total = 0;
  for (const t of times) total += t.length;
  const out = new Float64Array(total);
  let n = 0;
  for (;;) {
    let min = Number.POSITIVE_INFINITY;
    for (let k = 0; k < times.length; k++) {
      const t = times[k]!;
      if (idx[k]! < t.length && t[idx[k]!]! < min) min = t[idx[k]!]!;
    }
    if (min === Number.POSITIVE_INFINITY) break;
    out[n++] = min;
    for (let k = 0; k < times.length; k++) {
      const t = times[k]!;
      if (idx[k]! < t.length && t[idx[k]!] === min) idx[k]!++;
    }
  }
  return out.slice(0, n);
}

// Symbols of one exchange and timeframe usually share every timestamp: then the union is any one of them.
function sameTimes(a: Float64Array, b: Float64Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
