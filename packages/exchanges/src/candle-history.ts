import type { Timeframe } from "@tradeloom/types";
import type { Candle, ExchangeClient } from "./model";

/** Settings of {@link fetchCandleHistory}. */
export interface CandleHistoryOptions {
  /** First open time wanted, epoch ms (inclusive). */
  readonly since: number;
  /** Last open time wanted, epoch ms (inclusive). */
  readonly until: number;
  /** Candles asked per request (default 1000, Binance's maximum). */
  readonly pageLimit?: number;
  /** Called with each page as it arrives (ascending, within range), so a caller can save progress. */
  readonly onPage?: (page: readonly Candle[]) => void | Promise<void>;
  readonly signal?: AbortSignal;
}

/**
 * Fetches every candle with open time in `[since, until]`, page after page, ascending and without duplicates.
 *
 * Each page starts just after the last candle of the previous one; an empty page ends the walk (nothing more
 * exists in the range). A failing page throws after the client's retries; pages already delivered to `onPage` stay
 * delivered, so the caller keeps them.
 */
export async function fetchCandleHistory(
  client: Pick<ExchangeClient, "fetchCandles">,
  symbol: string,
  timeframe: Timeframe,
  options: CandleHistoryOptions,
): Promise<Candle[]> {
  const out: Candle[] = [];
  const limit = options.pageLimit ?? 1000;
  let cursor = options.since;
  while (cursor <= options.until) {
    options.signal?.throwIfAborted();
    const page = (await client.fetchCandles(symbol, timeframe, { since: cursor, until: options.until, limit }, options.signal)).filter(
      (c) => c.time >= cursor && c.time <= options.until,
    );
    if (page.length === 0) break;
    out.push(...page);
    await options.onPage?.(page);
    cursor = page[page.length - 1]!.time + 1;
  }
  return out;
}
