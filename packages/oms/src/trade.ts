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

/**
 * A {@link Trade} built from the ledger's realisation. The entry price (a 28-place division) is computed on first
 * read; `toJSON` gives every field, so the record serialises like a plain object.
 *
 * A backtest keeps every trade until it ends, so each one that the young generation must copy costs: the record holds
 * only its own fields (not the realisation it came from).
 */
export class TradeRecord implements Trade {
  readonly symbol: string;
  readonly side: Side;
  readonly entryTime: number;
  readonly exitTime: number;
  readonly exitPrice: Money;
  readonly quantity: Money;
  readonly grossPnl: Money;
  readonly fees: Money;
  readonly netPnl: Money;
  readonly exitReason: ExitReason;
  readonly closesPosition: boolean;
  readonly #entryCost: Money;
  #entryPrice: Money | undefined;

  /** From a realisation: `entryCost` is Σ entry price × quantity of the consumed lots. */
  constructor(r: Omit<Trade, "exitReason" | "entryPrice"> & { readonly entryCost: Money }, exitReason: ExitReason) {
    this.symbol = r.symbol;
    this.side = r.side;
    this.entryTime = r.entryTime;
    this.exitTime = r.exitTime;
    this.exitPrice = r.exitPrice;
    this.quantity = r.quantity;
    this.grossPnl = r.grossPnl;
    this.fees = r.fees;
    this.netPnl = r.netPnl;
    this.closesPosition = r.closesPosition;
    this.exitReason = exitReason;
    this.#entryCost = r.entryCost;
  }

  /** Quantity-weighted entry price of the consumed lots, to 28 places. */
  get entryPrice(): Money {
    return (this.#entryPrice ??= this.#entryCost.div(this.quantity));
  }

  /** All fields, the entry price included. */
  toJSON(): Record<string, unknown> {
    return {
      symbol: this.symbol,
      side: this.side,
      entryTime: this.entryTime,
      exitTime: this.exitTime,
      entryPrice: this.entryPrice,
      exitPrice: this.exitPrice,
      quantity: this.quantity,
      grossPnl: this.grossPnl,
      fees: this.fees,
      netPnl: this.netPnl,
      exitReason: this.exitReason,
      closesPosition: this.closesPosition,
    };
  }
}
