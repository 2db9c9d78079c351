import type { Money, Side } from "@tradeloom/types";

/** One execution of (part of) an order. Ledger values are exact decimals. */
export interface Fill {
  readonly orderId: number;
  readonly clientId: string | undefined;
  readonly symbol: string;
  readonly side: Side;
  /** Execution price after slippage. */
  readonly price: Money;
  readonly quantity: Money;
  /** Fee paid in quote currency, never negative. */
  readonly fee: Money;
  /** True when the fill paid the maker fee (resting limit orders). */
  readonly maker: boolean;
  /** Candle open time (UTC ms) of the bar the fill happened on. */
  readonly time: number;
}
