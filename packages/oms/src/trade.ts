import type { Money, Side } from "@tradeloom/types";

/** Why a position (or part of it) was closed. */
export type ExitReason = "target" | "stop" | "signal" | "end_of_data";

/**
 * A realised round trip: every fill that reduces, closes or flips a position records one, partial closes too.
 * `fees` holds the fees actually paid: the exit fill's fee plus the pro-rata share of the entry fees of the lots
 * consumed.
 */
export interface Trade {
  readonly symbol: string;
  /** Side of the position that was closed (`buy` = long). */
  readonly side: Side;
  /** Open time of the earliest lot consumed. */
  readonly entryTime: number;
  readonly exitTime: number;
  /** Weighted average entry price of the consumed lots. */
  readonly entryPrice: Money;
  readonly exitPrice: Money;
  readonly quantity: Money;
  /** Price P&L before fees. */
  readonly grossPnl: Money;
  /** Entry fees of the consumed quantity plus the exit fee. */
  readonly fees: Money;
  /** `grossPnl − fees`; a trade wins iff this is strictly positive. */
  readonly netPnl: Money;
  readonly exitReason: ExitReason;
  /** True when this trade left the position flat (or flipped it); false for a partial close. */
  readonly closesPosition: boolean;
}
