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
  readonly avgEntryExact: Money;
  /** Entry fees of the held lots, not yet realised. */
  readonly openFees: Money;
  /** Σ lot price × lot quantity, exact (the average entry is this ÷ quantity, rounded). */
  readonly costExact: Money;
  readonly quantity: number;
  readonly avgEntry: number;
  readonly entryTime: number;

  constructor(symbol: string, side: Side, lots: readonly Lot[]) {
    if (lots.length === 0) throw new RangeError("Position needs at least one lot");
    this.symbol = symbol;
    this.side = side;
    this.lots = Object.freeze([...lots]);
    let q = Money.ZERO;
    let cost = Money.ZERO;
    let fees = Money.ZERO;
    for (const l of lots) {
      q = q.plus(l.quantity);
      cost = cost.plus(l.price.times(l.quantity));
      fees = fees.plus(l.fee);
    }
    this.quantityExact = q;
    this.avgEntryExact = cost.div(q);
    this.openFees = fees;
    this.costExact = cost;
    this.quantity = q.toNumber();
    this.avgEntry = this.avgEntryExact.toNumber();
    this.entryTime = lots[0]!.time;
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
