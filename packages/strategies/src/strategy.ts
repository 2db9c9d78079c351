import type { CandleSeries, Side } from "@tradeloom/types";
import type { Fill, OrderRequest, PositionView, Trade } from "@tradeloom/oms";
import type { RestingLimits } from "./resting-limits";

/**
 * The candles a strategy may look at: indices `start … end` (inclusive) of `series`, oldest first. `end` is the
 * current bar, whose candle (close included) is complete. In a backtest the window holds at most 300 candles
 * (`start = max(0, end − 299)`), the reference model's window: indicators seeded at `start` give the reference's
 * values.
 *
 * Reading `series` outside `start … end` is reading the future (or stale history) and is a bug in the strategy.
 * The engine reuses window objects between calls: never keep one after the call returns.
 */
export interface BarWindow {
  readonly series: CandleSeries;
  readonly start: number;
  readonly end: number;
  /**
   * The last index of `series` whose candle is final: it will not change and later windows will include it. The
   * backtester sets it to the series' last bar; leave it out when later candles may still change (a live feed).
   * Indicator feeds may then compute ahead up to it (never answering for bars past `end`); strategy logic must not
   * read past `end` either way.
   */
  readonly final?: number;
}

/** A read-only view of a resting order of the symbol. */
export interface OpenOrderView {
  readonly id: number;
  readonly side: Side;
  readonly type: OrderRequest["type"];
  /** Remaining quantity. */
  readonly quantity: number;
  readonly limitPrice: number | undefined;
  readonly stopPrice: number | undefined;
  readonly clientId: string | undefined;
  readonly reduceOnly: boolean;
}

/**
 * Everything the engine tells a strategy at a decision point (Phase 2 of a bar, one symbol).
 * Valid only during the call: the engine reuses the object.
 */
export interface StrategyContext {
  readonly symbol: string;
  /** Open time (UTC ms) of the current bar: the strategy's clock. Never use the wall clock. */
  readonly time: number;
  /** Primary-timeframe window ending at the current bar. */
  readonly window: BarWindow;
  /**
   * Extra timeframes requested by {@link Strategy.requiredTimeframes}, each holding only candles that have
   * closed by the end of the current bar (no look-ahead). Absent in single-timeframe runs.
   */
  readonly timeframes: ReadonlyMap<string, BarWindow> | undefined;
  /** The open position of this symbol, if any (quantity > 0). */
  readonly position: PositionView | undefined;
  /** Resting orders of this symbol. */
  readonly openOrders: readonly OpenOrderView[];
  /**
   * The limit prices of {@link StrategyContext.openOrders}, per side and sorted, for strategies that look up the orders
   * near a price. The engine provides it; a host that does not leaves strategies to build it
   * (`SortedLimits.fromOrders(ctx.openOrders)`).
   */
  readonly restingLimits?: RestingLimits | undefined;
  /**
   * False when, the symbol being flat, the host would drop every entry request made now: trading halted at the
   * drawdown limit, the position limit reached, or this symbol's share of capital or the portfolio heat used up.
   * A strategy may then skip building entries (the engine drops them unsized). Undefined when the host does not say.
   */
  readonly entriesOpen?: boolean | undefined;
  /** Cash available now. */
  readonly cash: number;
  /** Whole-portfolio equity at this decision point (cash plus every position marked at its latest close). */
  readonly equity: number;
  /** Highest end-of-bar equity so far (initial capital before the first bar). */
  readonly peakEquity: number;
}

/**
 * A trading strategy for one symbol. The engine creates one instance per symbol, so instance state is per symbol.
 *
 * Call order within a bar, for one symbol (after resting orders were checked against the bar):
 * `updateTrailingStop` (if a position is open) → protective exit test → if no exit fired: `onBar` →
 * `generateOrders` → for each entry request `getRegimeScore` and `calculateStopLoss` (sizing).
 * `onOrderFilled` follows every fill that leaves a position open; `onTradeClosed` follows every realised trade;
 * `onOrderCancelled` follows every cancellation or expiry.
 *
 * Hooks must be pure with respect to the outside world: no I/O, no wall clock, no randomness without a seed.
 */
export interface Strategy {
  /** Registry name, e.g. `volatility_regime`. */
  readonly name: string;
  /** Extra timeframes (besides the primary) this strategy reads, e.g. `["1d"]`. Default none. */
  requiredTimeframes?(): readonly string[];
  /** Called on every bar before {@link Strategy.generateOrders} unless the engine closed the position this bar. */
  onBar?(ctx: StrategyContext): void;
  /**
   * The decision: orders to submit now, in order. Return a shared empty array when there is nothing to do
   * (this runs on every bar: do not allocate needlessly).
   */
  generateOrders(ctx: StrategyContext): readonly OrderRequest[];
  /** Protective stop price for a position entered at `entryPrice` (below it for a buy, above for a sell). */
  calculateStopLoss(window: BarWindow, entryPrice: number, side: Side): number;
  /** Take-profit price for a position entered at `entryPrice`. */
  calculateTakeProfit(window: BarWindow, entryPrice: number, side: Side): number;
  /**
   * A proposed new stop, or `undefined` for no change. The engine only ever tightens the stop with it (up for a
   * long, down for a short).
   */
  updateTrailingStop?(position: PositionView, price: number, window: BarWindow): number | undefined;
  /** Risk multiplier for an entry now (default 1; 0 blocks the entry; above 1 scales risk up). */
  getRegimeScore?(window: BarWindow): number;
  /** After a fill that leaves a position open. */
  onOrderFilled?(fill: Fill, position: PositionView): void;
  /** After an order of this symbol was cancelled or expired. */
  onOrderCancelled?(order: OpenOrderView): void;
  /** After every realised trade of this symbol (partial closes included). */
  onTradeClosed?(trade: Trade): void;
  /**
   * The run is over: give back pooled resources (the built-in strategies return their indicators' ring buffers for
   * the next strategy to reuse). The engine calls no other hook of this run afterwards; a strategy called again, in
   * another run, must still work.
   */
  dispose?(): void;
}

/** A shared empty order list for strategies to return. */
export const NO_ORDERS: readonly OrderRequest[] = Object.freeze([]);
