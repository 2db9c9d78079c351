import { Money, type Side } from "@tradeloom/types";
import type { PositionView } from "./position-view";

/** One FIFO lot: a fill still (partly) held. `fee` is the part of the fill's fee not yet realised. */
export interface Lot {
  readonly price: Money;
  readonly quantity: Money;
  readonly fee: Money;
  readonly time: number;
}

/**
 * An open position of one symbol: FIFO lots of one side. The quantity is the sum of the lots and the average
 * entry is their quantity-weighted price, so realised and unrealised P&L always add up.
 */
export class Position implements PositionView {
  readonly symbol: string;
  readonly side: Side;
  readonly lots: readonly Lot[];
  readonly quantityExact: Money;
  /** Entry fees of the held lots, not yet realised. */
  readonly openFees: Money;
  /** Σ lot price × lot quantity, exact (the average entry is this ÷ quantity, rounded). */
  readonly costExact: Money;
  readonly quantity: number;
  readonly avgEntry: number;
  readonly entryTime: number;
  #avgEntryExact: Money | undefined;

  /**
   * A position from its lots. Totals may be passed when the caller already has them (the ledger keeps them
   * incrementally, so a fill costs a few decimal operations, not a pass over every lot).
   */
  constructor(symbol: string, side: Side, lots: readonly Lot[], totals?: { quantity: Money; cost: Money; fees: Money }) {
    if (lots.length === 0) throw new RangeError("Position needs at least one lot");
    this.symbol = symbol;
    this.side = side;
    this.lots = lots;
    let t = totals;
    if (!t) {
      let q = Money.ZERO;
      let cost = Money.ZERO;
      let fees = Money.ZERO;
      for (const l of lots) {
        q = q.plus(l.quantity);
        cost = cost.plus(l.price.times(l.quantity));
        fees = fees.plus(l.fee);
      }
      t = { quantity: q, cost, fees };
    }
    this.quantityExact = t.quantity;
    this.openFees = t.fees;
    this.costExact = t.cost;
    this.quantity = t.quantity.toNumber();
    this.avgEntry = t.cost.toNumber() / this.quantity;
    this.entryTime = lots[0]!.time;
  }

  /** Weighted average entry price, exact to 28 places (computed on first use). */
  get avgEntryExact(): Money {
    return (this.#avgEntryExact ??= this.costExact.div(this.quantityExact));
  }

  /** Gross unrealised P&L at `price` (no fees): what strategies compare against. */
  unrealizedPnl(price: number): number {
    return this.side === "buy" ? (price - this.avgEntry) * this.quantity : (this.avgEntry - price) * this.quantity;
  }

  /** Exact unrealised P&L at `price` net of the held lots' entry fees: the ledger's figure. */
  unrealizedNetExact(price: Money): Money {
    const gross = price.times(this.quantityExact).minus(this.costExact);
    return (this.side === "buy" ? gross : gross.neg()).minus(this.openFees);
  }
}
