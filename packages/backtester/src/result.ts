import type { Trade } from "@tradeloom/oms";
import type { SymbolDataQuality } from "./data-quality";
import type { DroppedEntries, RejectedOrder } from "./engine";
import type { Metrics } from "./metrics";
import type { MonthlyPnl } from "./monthly";

/** What is needed to reproduce a run exactly. */
export interface RunManifest {
  /** Versions of the Tradeloom packages that produced the result. */
  readonly packages: Readonly<Record<string, string>>;
  /**
   * SHA-256 of the canonical JSON of the effective config (after overrides). Computed on first read, from the config
   * object the run was given: do not mutate that object while the result is in use.
   */
  readonly configHash: string;
  readonly strategy: string;
  readonly timeframe: string;
  /** Name of the fill model (`intra-candle` or `next-open`). */
  readonly fillModel: string;
  /** Every data input with the hash of its bytes. */
  readonly data: readonly { readonly symbol: string; readonly timeframe: string; readonly source: string; readonly sha256: string }[];
  /** Date filter applied (UTC ms), if any. */
  readonly start: number | undefined;
  readonly end: number | undefined;
  /** First traded bar's time when earlier candles only warmed up (UTC ms). */
  readonly tradeFrom: number | undefined;
}

/** Everything a backtest produced. */
export interface BacktestResult {
  readonly metrics: Metrics;
  /** Realised trades in the order they closed (partial closes included). */
  readonly trades: readonly Trade[];
  /** One equity point per bar, after that bar's fills; the last point is after the end-of-data liquidation. */
  readonly equity: { readonly time: Float64Array; readonly value: Float64Array };
  readonly monthly: MonthlyPnl;
  /** Per symbol: rows read and skipped, gaps, the range used. */
  readonly dataQuality: readonly SymbolDataQuality[];
  /**
   * Bars on which an open position's stop and target both lay inside the bar's range, so the fill model's rule (not
   * the data) decided which one filled. A high count means the result depends on intra-bar assumptions.
   */
  readonly ambiguousBars: number;
  /** Orders the ledger refused (a buy cash could not pay, an invalid quantity, ...), with the reason. */
  readonly rejectedOrders: readonly RejectedOrder[];
  /** Entry requests the risk rules dropped, counted by reason. */
  readonly droppedEntries: Readonly<DroppedEntries>;
  /** Human-readable warnings (skipped rows, gaps, dropped symbols). */
  readonly warnings: readonly string[];
  readonly manifest: RunManifest;
}
