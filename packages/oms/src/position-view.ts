import type { Money, Side } from "@tradeloom/types";

/**
 * What a strategy sees of an open position. Numbers are for strategy arithmetic; the exact values are the
 * `Exact` fields. The object reflects the position at the time of the call and must not be kept.
 */
export interface PositionView {
  readonly symbol: string;
  readonly side: Side;
  /** Open quantity (> 0) as a number. */
  readonly quantity: number;
  /** Weighted average entry price as a number. */
  readonly avgEntry: number;
  readonly quantityExact: Money;
  readonly avgEntryExact: Money;
  /** Time of the first fill of this position (UTC ms). */
  readonly entryTime: number;
  /** Unrealised P&L at `price`, before exit fees (long: (price − avg) × qty; short: (avg − price) × qty). */
  unrealizedPnl(price: number): number;
}
