import type { Side } from "@tradeloom/types";
import type { Order } from "./order";
import type { OrderBook } from "./order-book";

/** The candle a fill model looks at. The engine passes one reused object per bar: do not keep it. */
export interface BarQuote {
  open: number;
  high: number;
  low: number;
  close: number;
  time: number;
}

/** Outcome of a protective-exit test: 0 none, 1 stop, 2 target. */
export type ExitTrigger = 0 | 1 | 2;

/**
 * How orders meet candles. The engine asks the model, and the model only answers with numbers (no allocation):
 * prices are converted to exact decimals by the ledger when a fill happens.
 *
 * Two models ship: {@link IntraCandleFillModel} (the reference's default: market orders fill at the decision bar's
 * close, protective exits on the same bar) and {@link NextOpenFillModel} ("T+1": market orders and triggered exits
 * fill at the next bar's open).
 */
export interface FillModel {
  /** Name recorded in a result's manifest. */
  readonly name: string;
  /** True when strategy market orders execute at the decision bar's close; false when at the next bar's open. */
  readonly marketAtClose: boolean;
  /** Slippage fraction: buys pay `× (1 + s)`, sells receive `× (1 − s)`. */
  readonly slippage: number;
  /**
   * True when a resting good-till-cancelled limit order fills only on a bar whose range reaches its price (low ≤ a
   * buy limit, high ≥ a sell limit). The engine then skips books the bar cannot reach ({@link OrderBook.reachable});
   * leave it unset for a model that fills limits otherwise.
   */
  readonly limitsFillOnTouch?: boolean;
  /** Fill price of a market order decided on `bar` and executed at its close. */
  closePrice(side: Side, bar: BarQuote): number;
  /**
   * Fill test of a resting order against `bar`: the price, or NaN when it does not fill. `isMaker()` tells the fee
   * of the last successful test.
   */
  restingFillPrice(order: Order, bar: BarQuote): number;
  /** True when the last successful {@link FillModel.restingFillPrice} was a maker fill. */
  lastWasMaker(): boolean;
  /** Whether a position of `side` with these levels exits on `bar`; the target wins when both trigger. */
  exitTrigger(side: Side, stop: number, target: number, bar: BarQuote): ExitTrigger;
  /**
   * Execution price of a protective exit that triggered on `bar` (intra-candle), or NaN when the model executes
   * exits on the next bar's open instead.
   */
  exitPrice(side: Side, trigger: ExitTrigger, stop: number, target: number, bar: BarQuote): number;
}

function slip(side: Side, price: number, s: number): number {
  return side === "buy" ? price * (1 + s) : price * (1 - s);
}

abstract class BaseFillModel implements FillModel {
  abstract readonly name: string;
  abstract readonly marketAtClose: boolean;
  readonly slippage: number;
  readonly limitsFillOnTouch = true;
  #maker = false;

  constructor(slippage: number) {
    if (!(slippage >= 0 && slippage < 1)) throw new RangeError(`slippage must be in [0, 1), got ${slippage}`);
    this.slippage = slippage;
  }

  closePrice(side: Side, bar: BarQuote): number {
    return slip(side, bar.close, this.slippage);
  }

  restingFillPrice(order: Order, bar: BarQuote): number {
    this.#maker = false;
    switch (order.type) {
      case "limit":
        // Limits fill at their price from the bar after placement, also through a gap (the reference's model).
        if (order.createdAt >= bar.time) return Number.NaN;
        if (order.side === "buy" ? bar.low <= order.limitPriceNum : bar.high >= order.limitPriceNum) {
          this.#maker = true;
          return order.limitPriceNum;
        }
        return Number.NaN;
      case "stop":
        if (order.createdAt >= bar.time) return Number.NaN;
        if (order.side === "buy" ? bar.high >= order.stopPriceNum : bar.low <= order.stopPriceNum) return slip(order.side, order.stopPriceNum, this.slippage);
        return Number.NaN;
      case "market":
        // A market order rests only under next-open execution: it fills at the first bar after its decision bar.
        if (order.createdAt >= bar.time) return Number.NaN;
        return slip(order.side, bar.open, this.slippage);
      case "stop_limit":
        return Number.NaN;
    }
  }

  lastWasMaker(): boolean {
    return this.#maker;
  }

  exitTrigger(side: Side, stop: number, target: number, bar: BarQuote): ExitTrigger {
    // Stops look at the close, targets at the high/low; the target wins a tie (reference model).
    if (side === "buy") {
      if (bar.high >= target) return 2;
      if (bar.close <= stop) return 1;
    } else {
      if (bar.low <= target) return 2;
      if (bar.close >= stop) return 1;
    }
    return 0;
  }

  abstract exitPrice(side: Side, trigger: ExitTrigger, stop: number, target: number, bar: BarQuote): number;
}

/** The reference's default model: market orders at the close ± slippage, protective exits on the trigger bar. */
export class IntraCandleFillModel extends BaseFillModel {
  readonly name = "intra-candle";
  readonly marketAtClose = true;

  exitPrice(side: Side, trigger: ExitTrigger, stop: number, target: number, bar: BarQuote): number {
    // A gap through the level fills at the open; otherwise at the level. Applies to stops and (fixed) targets alike.
    let raw: number;
    if (side === "buy") raw = trigger === 2 ? Math.max(bar.open, target) : Math.min(bar.open, stop);
    else raw = trigger === 2 ? Math.min(bar.open, target) : Math.max(bar.open, stop);
    return slip(side === "buy" ? "sell" : "buy", raw, this.slippage);
  }
}

/** "T+1" execution: strategy market orders and triggered exits fill at the next bar's open ± slippage. */
export class NextOpenFillModel extends BaseFillModel {
  readonly name = "next-open";
  readonly marketAtClose = false;

  exitPrice(): number {
    return Number.NaN;
  }
}
