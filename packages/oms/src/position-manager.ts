import { Money, type Side } from "@tradeloom/types";
import type { Fill } from "./fill";
import { type Lot, Position } from "./position";

/** The realised part of a fill that reduced, closed or flipped a position. */
export interface Realization {
  readonly symbol: string;
  /** Side of the position that was reduced. */
  readonly side: Side;
  readonly quantity: Money;
  /** Quantity-weighted entry price of the consumed lots. */
  readonly entryPrice: Money;
  readonly exitPrice: Money;
  /** Open time of the earliest consumed lot. */
  readonly entryTime: number;
  readonly exitTime: number;
  readonly grossPnl: Money;
  /** Pro-rata entry fees of the consumed lots plus the pro-rata exit fee. */
  readonly fees: Money;
  readonly netPnl: Money;
  /** True when no quantity of the old side is left (closed or flipped). */
  readonly closesPosition: boolean;
  /** Σ entry price × quantity of the consumed lots, exact: `entryPrice` is this ÷ `quantity`. */
  readonly entryCost: Money;
}

// A class so that the entry price (a 28-place division) is computed only if someone reads it.
class RealizationRecord implements Realization {
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: Money;
  readonly exitPrice: Money;
  readonly entryTime: number;
  readonly exitTime: number;
  readonly grossPnl: Money;
  readonly fees: Money;
  readonly netPnl: Money;
  readonly closesPosition: boolean;
  readonly entryCost: Money;
  #entryPrice: Money | undefined;

  constructor(fill: Fill, before: Position, quantity: Money, cost: Money, gross: Money, fees: Money, closes: boolean) {
    this.symbol = fill.symbol;
    this.side = before.side;
    this.quantity = quantity;
    this.exitPrice = fill.price;
    this.entryTime = before.entryTime;
    this.exitTime = fill.time;
    this.grossPnl = gross;
    this.fees = fees;
    this.netPnl = gross.minus(fees);
    this.closesPosition = closes;
    this.entryCost = cost;
  }

  get entryPrice(): Money {
    return (this.#entryPrice ??= this.entryCost.div(this.quantity));
  }
}

/** A lot of `quantity` opened by `fill`, holding `fee` of its fee. */
function lotOf(fill: Fill, quantity: Money, fee: Money): Lot {
  return { price: fill.price, quantity, fee, time: fill.time };
}

/** What a fill did to the book of positions. */
export interface FillEffect {
  /** Present when the fill reduced, closed or flipped a position. */
  readonly realization: Realization | undefined;
  /** Position before the fill. */
  readonly before: Position | undefined;
  /** Position after the fill. */
  readonly after: Position | undefined;
}

/**
 * Positions per symbol, FIFO. Same-side fills add a lot; opposite fills consume lots oldest first, realise P&L
 * with the consumed share of the entry fees, and flip the position when they exceed it.
 */
export class PositionManager {
  /**
   * One slot per symbol ever traded, holding its open position or undefined when flat. A position opens and closes
   * with every round trip; a map entry per open position was added and deleted as often, and each change hashed the
   * key. Slots are dropped only by {@link PositionManager.clear}: they grow with the symbols traded (a backtest's or a
   * live session's handful), not with the fills.
   */
  readonly #slots = new Map<string, PositionSlot>();
  #open = 0;
  /** The slot last looked up or changed: a fill asks for its symbol's position three to four times. */
  #last: PositionSlot | undefined = undefined;

  /** The open position of `symbol`, if any. */
  get(symbol: string): Position | undefined {
    const last = this.#last;
    if (last !== undefined && last.symbol === symbol) return last.position;
    const slot = this.#slots.get(symbol);
    if (slot === undefined) return undefined;
    this.#last = slot;
    return slot.position;
  }

  /**
   * All open positions, in the order their symbols were first traded. A position opened while this is being iterated
   * is visited only if its symbol comes later in that order.
   */
  *all(): IterableIterator<Position> {
    for (const slot of this.#slots.values()) if (slot.position !== undefined) yield slot.position;
  }

  /** Number of open positions. */
  get openCount(): number {
    return this.#open;
  }

  /** Applies a fill and returns what it realised. `notional` (price × quantity) may be passed to save a multiplication. */
  apply(fill: Fill, notional: Money = fill.price.times(fill.quantity)): FillEffect {
    const before = this.get(fill.symbol);
    if (!before || before.side === fill.side) {
      const lot = lotOf(fill, fill.quantity, fill.fee);
      const cost = notional;
      const after = before
        ? new Position(fill.symbol, fill.side, [...before.lots, lot], {
            quantity: before.quantityExact.plus(fill.quantity),
            cost: before.costExact.plus(cost),
            fees: before.openFees.plus(fill.fee),
          })
        : new Position(fill.symbol, fill.side, [lot], { quantity: fill.quantity, cost, fees: fill.fee });
      this.#remember(fill.symbol, after);
      return { realization: undefined, before, after };
    }

    let remaining = fill.quantity;
    let consumedQty = Money.ZERO;
    let consumedCost = Money.ZERO;
    let entryFees = Money.ZERO;
    const kept: Lot[] = [];
    // Closing (or flipping) the whole position consumes every lot: the position's totals are the consumed sums.
    const whole = fill.quantity.gte(before.quantityExact);
    if (whole) {
      consumedQty = before.quantityExact;
      consumedCost = before.costExact;
      entryFees = before.openFees;
      remaining = fill.quantity.eq(consumedQty) ? Money.ZERO : fill.quantity.minus(consumedQty);
    }
    for (const lot of whole ? [] : before.lots) {
      if (remaining.isZero()) {
        kept.push(lot);
        continue;
      }
      if (lot.quantity.lte(remaining)) {
        consumedQty = consumedQty.plus(lot.quantity);
        consumedCost = consumedCost.plus(lot.price.times(lot.quantity));
        entryFees = entryFees.plus(lot.fee);
        remaining = remaining.minus(lot.quantity);
      } else {
        const share = lot.fee.times(remaining).div(lot.quantity);
        consumedQty = consumedQty.plus(remaining);
        consumedCost = consumedCost.plus(lot.price.times(remaining));
        entryFees = entryFees.plus(share);
        kept.push({ price: lot.price, quantity: lot.quantity.minus(remaining), fee: lot.fee.minus(share), time: lot.time });
        remaining = Money.ZERO;
      }
    }
    // The exit fee is split between the closing part and any flipped remainder by quantity.
    const exitFee = remaining.isZero() ? fill.fee : fill.fee.times(consumedQty).div(fill.quantity);
    const proceeds = remaining.isZero() ? notional : fill.price.times(consumedQty);
    const gross = before.side === "buy" ? proceeds.minus(consumedCost) : consumedCost.minus(proceeds);
    const fees = entryFees.plus(exitFee);
    const realization = new RealizationRecord(fill, before, consumedQty, consumedCost, gross, fees, kept.length === 0);

    let after: Position | undefined;
    if (kept.length > 0) {
      after = new Position(fill.symbol, before.side, kept, {
        quantity: before.quantityExact.minus(consumedQty),
        cost: before.costExact.minus(consumedCost),
        fees: before.openFees.minus(entryFees),
      });
    } else if (remaining.isPositive()) {
      const fee = fill.fee.minus(exitFee);
      after = new Position(fill.symbol, fill.side, [lotOf(fill, remaining, fee)], { quantity: remaining, cost: fill.price.times(remaining), fees: fee });
    }
    this.#remember(fill.symbol, after);
    return { realization, before, after };
  }

  /** Drops every position (for tests and resets). */
  clear(): void {
    this.#slots.clear();
    this.#open = 0;
    this.#last = undefined;
  }

  /** Records `position` (undefined: flat) as the position of `symbol`. */
  #remember(symbol: string, position: Position | undefined): void {
    let slot = this.#last;
    if (slot === undefined || slot.symbol !== symbol) {
      slot = this.#slots.get(symbol);
      if (slot === undefined) this.#slots.set(symbol, (slot = new PositionSlot(symbol)));
      this.#last = slot;
    }
    this.#open += (position !== undefined ? 1 : 0) - (slot.position !== undefined ? 1 : 0);
    slot.position = position;
  }
}

/** A symbol's open position, or undefined while it is flat. */
class PositionSlot {
  readonly symbol: string;
  position: Position | undefined = undefined;

  constructor(symbol: string) {
    this.symbol = symbol;
  }
}
