import { z } from "zod";
import type { CandleSeries, Side } from "@tradeloom/types";
import { GTC, type OrderRequest, type PositionView } from "@tradeloom/oms";
import { NO_ORDERS, type BarWindow, type Strategy, type StrategyContext } from "../strategy";
import { type RestingLimits, SortedLimits } from "../resting-limits";
import { defineStrategy } from "../define-strategy";
import { param } from "../params";
import { WindowAtr } from "../indicators/atr";
import { WindowEma } from "../indicators/ema";
import { WindowAdx } from "../indicators/adx";
import { WindowRsi } from "../indicators/rsi";
import { DEFAULT_CAPACITY, FEED_AHEAD } from "../indicators/ring";
import { IndicatorSets, WindowFeed, WindowKey } from "./window-feed";
import { closePosition, stopAt } from "./exits";

/**
 * Parameters of `regime_grid` (strategies.md §4.1): all required. `cancel_threshold_pct` is read but unused and
 * `sell_target_pct` only sets the engine take-profit (Q16); `atr_period_1h` applies to the primary timeframe.
 */
export const regimeGridParams = z.object({
  max_grids: param.uint(),
  grid_spacing_pct: param.fraction(),
  sell_target_pct: param.fraction(),
  cancel_threshold_pct: param.fraction(),
  adx_period: param.period(),
  adx_sideways_threshold: param.level(),
  ema_short_period: param.period(),
  ema_long_period: param.period(),
  ema_band_pct: param.nonNegative(),
  rsi_period: param.period(),
  rsi_bull_min: param.level(),
  rsi_bull_max: param.level(),
  rsi_bear_threshold: param.level(),
  high_volatility_candle_pct: param.nonNegative(),
  bull_max_grids: param.uint(),
  bull_grid_spacing_pct: param.fraction(),
  bull_sell_target_pct: param.fraction(),
  max_capital_usage_pct: param.fraction(),
  max_drawdown_pct: param.fraction(),
  volatility_kill_threshold: param.nonNegative(),
  volatility_pause_hours: param.uint(),
  atr_period_1h: param.period(),
  stop_atr_multiple: param.nonNegative(),
  trailing_activation_pct: param.nonNegative(),
  trailing_atr_multiple: param.nonNegative(),
});

/** Validated `regime_grid` parameters. */
export type RegimeGridParams = z.output<typeof regimeGridParams>;

/** Market regime of regime_grid (strategies.md §4.3). */
export type GridRegime = "sideways" | "bullish" | "bearish" | "high_volatility";

/** Fallback ATR as a fraction of the price (strategies.md Q21). */
const FALLBACK_ATR = 0.02;
/** Sideways levels are capped; bull levels are not (Q16). */
const MAX_SIDEWAYS_LEVELS = 10;
const MAX_SELL_ONLY_LEVELS = 5;
/** A level within this fraction of the ladder spacing of a resting same-side limit is a duplicate. */
const DUPLICATE_FRACTION = 0.2;
/** Exposure at or above this share of the capital budget switches to the sell-only ladder. */
const AT_MAX_FRACTION = 0.95;
/** A drawdown breach clears once equity is back to this share of the peak captured at the breach (Q17). */
const RECOVERY_FRACTION = 0.95;
const HOUR_MS = 3_600_000;

class Indicators extends WindowFeed {
  readonly killAtr: WindowAtr;
  readonly emaShort: WindowEma;
  readonly emaLong: WindowEma;
  readonly rsi: WindowRsi;
  readonly adx: WindowAdx;
  /** regime_grid's stop and trail use ATR(adx_period) (Q16); the kill switch's ATR when the periods agree. */
  readonly stopAtr: WindowAtr;

  constructor(p: RegimeGridParams) {
    super(DEFAULT_CAPACITY, FEED_AHEAD);
    this.killAtr = new WindowAtr(p.atr_period_1h);
    this.emaShort = new WindowEma(p.ema_short_period);
    this.emaLong = new WindowEma(p.ema_long_period);
    this.rsi = new WindowRsi(p.rsi_period);
    this.adx = new WindowAdx(p.adx_period);
    this.stopAtr = p.adx_period === p.atr_period_1h ? this.killAtr : new WindowAtr(p.adx_period);
  }

  protected resetStreams(first: number): void {
    this.killAtr.reset(first);
    this.emaShort.reset(first);
    this.emaLong.reset(first);
    this.rsi.reset(first);
    this.adx.reset(first);
    if (this.stopAtr !== this.killAtr) this.stopAtr.reset(first);
  }

  protected pushBar(s: CandleSeries, i: number): void {
    this.pushBars(s, i, i);
  }

  protected override pushBars(s: CandleSeries, from: number, to: number): void {
    this.killAtr.pushBars(s, from, to);
    this.emaShort.pushValues(s.close, from, to);
    this.emaLong.pushValues(s.close, from, to);
    this.rsi.pushValues(s.close, from, to);
    this.adx.pushBars(s, from, to);
    if (this.stopAtr !== this.killAtr) this.stopAtr.pushBars(s, from, to);
  }
}

/**
 * `regime_grid` (strategies.md §4): ladders of resting limit orders shaped by the market regime (sideways grid, bull
 * grid, sell-only ladder at full exposure), liquidation in bearish or volatile regimes, a volatility kill switch that
 * pauses the strategy, and a drawdown breaker.
 *
 * Unlike the reference, the pause runs on bar time and all state belongs to one symbol (decisions.md Fix 10, 15).
 */
export class RegimeGridStrategy implements Strategy {
  readonly name = "regime_grid";
  private readonly p: RegimeGridParams;
  private readonly warmup: number;
  private readonly sets: IndicatorSets<Indicators>;
  private pausedUntil = -Infinity;
  private breachPeak: number | undefined;
  private breachTime: number | undefined;
  /** Client ids per level, built once. */
  private readonly ids: LadderIds;
  /** Per-bar scratch of {@link RegimeGridStrategy.markDuplicates}: 1 at the levels a resting order duplicates. */
  private buyDuplicates = new Uint8Array(MAX_SIDEWAYS_LEVELS + 1);
  private sellDuplicates = new Uint8Array(MAX_SIDEWAYS_LEVELS + 1);
  /**
   * The regime last worked out and the window it is for. The engine asks
   * {@link RegimeGridStrategy.getRegimeScore} for every entry it sizes, right after the decision on the same window:
   * the answer is the one just computed (the indicators are a function of the window), and asking them again cost
   * two EMAs, the RSI and an ADX comparison per entry request.
   */
  private readonly regimeWindow = new WindowKey();
  private regimeKnown: GridRegime | undefined;

  constructor(params: RegimeGridParams) {
    this.p = params;
    this.warmup = Math.max(params.ema_long_period, params.adx_period, params.rsi_period);
    this.sets = new IndicatorSets(() => new Indicators(params));
    const sideways = Math.min(params.max_grids, MAX_SIDEWAYS_LEVELS);
    this.ids = {
      gridBuy: clientIds("grid_buy_", sideways),
      gridSell: clientIds("grid_sell_", sideways),
      bullBuy: clientIds("bull_grid_buy_", params.bull_max_grids),
      bullSell: clientIds("bull_grid_sell_", Math.max(Math.floor(params.bull_max_grids / 2), 1)),
      maxExposureSell: clientIds("max_exp_sell_", Math.min(MAX_SELL_ONLY_LEVELS, params.max_grids)),
    };
  }

  /** Gives the indicators' ring buffers back for reuse (see {@link Strategy.dispose}). */
  dispose(): void {
    this.sets.release();
  }

  generateOrders(ctx: StrategyContext): ReturnType<Strategy["generateOrders"]> {
    const w = ctx.window;
    const p = this.p;
    if (w.end - w.start + 1 < this.warmup) return NO_ORDERS;
    if (ctx.time < this.pausedUntil) return NO_ORDERS;
    const ind = this.sets.for(w);
    const position = ctx.position;
    const close = w.series.close[w.end]!;
    const killAtr = ind.killAtr.at(w.start, w.end);
    if (!Number.isNaN(killAtr) && killAtr / close > p.volatility_kill_threshold) {
      this.pausedUntil = ctx.time + p.volatility_pause_hours * HOUR_MS;
      return position === undefined ? NO_ORDERS : closePosition(position);
    }
    const equity = ctx.equity;
    const peak = ctx.peakEquity;
    const effectivePeak = Math.max(peak, equity);
    const drawdown = effectivePeak > 0 ? Math.max(0, (effectivePeak - equity) / effectivePeak) : 0;
    if (this.breachPeak !== undefined) {
      if (equity < RECOVERY_FRACTION * this.breachPeak) return position === undefined ? NO_ORDERS : closePosition(position);
      this.breachPeak = undefined;
      this.breachTime = undefined;
    }
    if (drawdown > p.max_drawdown_pct) {
      this.breachPeak = peak;
      this.breachTime = ctx.time;
      return position === undefined ? NO_ORDERS : closePosition(position);
    }
    const budget = equity * p.max_capital_usage_pct;
    const atMax = (position === undefined ? 0 : position.quantity * close) >= AT_MAX_FRACTION * budget;
    const regime = this.regimeAt(ind, w);
    if (regime === undefined) return NO_ORDERS;
    if (regime === "bearish" || regime === "high_volatility") return position === undefined ? NO_ORDERS : closePosition(position);
    // The ladders read the close and the budget again rather than take them as arguments: V8 boxes every double
    // passed to a call it does not inline (two per bar here), and reading them again gives the same values.
    if (!atMax) return regime === "sideways" ? this.sidewaysGrid(ctx) : this.bullGrid(ctx);
    return position === undefined ? NO_ORDERS : this.sellOnlyLadder(ctx, position);
  }

  calculateStopLoss(window: BarWindow, entryPrice: number, side: Side): number {
    const a = this.atrOr(window, entryPrice);
    return stopAt(entryPrice, side, this.p.stop_atr_multiple * a);
  }

  calculateTakeProfit(_window: BarWindow, entryPrice: number, side: Side): number {
    return side === "buy" ? entryPrice * (1 + this.p.sell_target_pct) : entryPrice * (1 - this.p.sell_target_pct);
  }

  /** Trails `trailing_atr_multiple` ATRs behind the price once the gain reaches `trailing_activation_pct`. */
  updateTrailingStop(position: PositionView, price: number, window: BarWindow): number | undefined {
    const a = this.atrOr(window, price);
    const entry = position.avgEntry;
    const long = position.side === "buy";
    const gain = long ? (price - entry) / entry : (entry - price) / entry;
    if (gain < this.p.trailing_activation_pct) return undefined;
    return long ? price - this.p.trailing_atr_multiple * a : price + this.p.trailing_atr_multiple * a;
  }

  getRegimeScore(window: BarWindow): number {
    const regime = this.regimeAt(undefined, window);
    return regime === "sideways" ? 1.5 : regime === "bullish" ? 1 : 0;
  }

  /** The regime at the window's last bar, or `undefined` while the indicators are not ready. */
  regime(window: BarWindow): GridRegime | undefined {
    return this.regimeAt(undefined, window);
  }

  /** {@link RegimeGridStrategy.regimeOf} of `w`, remembered for the window it was last worked out for. */
  private regimeAt(known: Indicators | undefined, w: BarWindow): GridRegime | undefined {
    if (this.regimeWindow.matches(w)) return this.regimeKnown;
    const regime = this.regimeOf(known ?? this.sets.for(w), w);
    this.regimeWindow.set(w);
    this.regimeKnown = regime;
    return regime;
  }

  /** Bar time (UTC ms) until which the kill switch pauses the strategy; −∞ when it never fired. */
  get pausedUntilTime(): number {
    return this.pausedUntil;
  }

  /** The peak equity captured at a drawdown breach and the bar time of the breach, while the breaker is active. */
  get drawdownBreach(): { readonly peak: number; readonly time: number } | undefined {
    return this.breachPeak === undefined ? undefined : { peak: this.breachPeak, time: this.breachTime ?? Number.NaN };
  }

  private regimeOf(ind: Indicators, w: BarWindow): GridRegime | undefined {
    const { start, end, series: s } = w;
    if (end < start) return undefined;
    const p = this.p;
    const open = s.open[end]!;
    const close = s.close[end]!;
    if (Math.abs(close - open) / open > p.high_volatility_candle_pct) return "high_volatility";
    const emaShort = ind.emaShort.at(start, end);
    const emaLong = ind.emaLong.at(start, end);
    const rsi = ind.rsi.at(start, end);
    const adxReady = p.adx_period >= 1 && end - start >= 2 * p.adx_period - 2;
    if (!adxReady || Number.isNaN(emaShort) || Number.isNaN(emaLong) || Number.isNaN(rsi)) return undefined;
    // The band test first: the ADX only matters inside the band (and may cost a pass over the window).
    if (Math.abs(close - emaShort) / emaShort <= p.ema_band_pct && ind.adx.compareAt(start, end, p.adx_sideways_threshold) < 0) return "sideways";
    if (close < emaLong && rsi < p.rsi_bear_threshold) return "bearish";
    if (close > emaLong && rsi >= p.rsi_bull_min && rsi <= p.rsi_bull_max) return "bullish";
    return "high_volatility";
  }

  private sidewaysGrid(ctx: StrategyContext): readonly OrderRequest[] {
    const p = this.p;
    const close = ctx.window.series.close[ctx.window.end]!;
    const budget = ctx.equity * p.max_capital_usage_pct;
    const spacing = close * p.grid_spacing_pct;
    const levels = Math.min(p.max_grids, MAX_SIDEWAYS_LEVELS);
    const qLevel = ctx.equity <= 0 || close <= 0 || levels === 0 ? 0 : budget / (2 * levels) / close;
    const position = ctx.position;
    const sellQ = position !== undefined && position.quantity > 0 ? Math.min(qLevel, position.quantity / levels) : 0;
    const buys = qLevel > 0 && entriesAllowed(ctx) ? levels : 0;
    const sells = sellQ > 0 ? levels : 0;
    this.markDuplicates(ctx, close, spacing, buys, spacing, sells);
    const orders = this.ladder(undefined, ctx, "buy", close, spacing, buys, qLevel, this.ids.gridBuy, this.buyDuplicates);
    return this.ladder(orders, ctx, "sell", close, spacing, sells, sellQ, this.ids.gridSell, this.sellDuplicates) ?? NO_ORDERS;
  }

  private bullGrid(ctx: StrategyContext): readonly OrderRequest[] {
    const p = this.p;
    const close = ctx.window.series.close[ctx.window.end]!;
    const budget = ctx.equity * p.max_capital_usage_pct;
    const spacing = close * p.bull_grid_spacing_pct;
    const sellSpacing = close * p.bull_sell_target_pct;
    const buyLevels = p.bull_max_grids;
    const sellLevels = Math.max(Math.floor(p.bull_max_grids / 2), 1);
    const qLevel = budget / (buyLevels + sellLevels) / close;
    const position = ctx.position;
    const sellQ = position !== undefined ? Math.min(qLevel, position.quantity / sellLevels) : 0;
    const buys = qLevel > 0 && entriesAllowed(ctx) ? buyLevels : 0;
    const sells = sellQ > 0 ? sellLevels : 0;
    this.markDuplicates(ctx, close, spacing, buys, sellSpacing, sells);
    const orders = this.ladder(undefined, ctx, "buy", close, spacing, buys, qLevel, this.ids.bullBuy, this.buyDuplicates);
    return this.ladder(orders, ctx, "sell", close, sellSpacing, sells, sellQ, this.ids.bullSell, this.sellDuplicates) ?? NO_ORDERS;
  }

  /** At full exposure, in a sideways or bullish regime: only sells, always on the sideways spacing (Q16). */
  private sellOnlyLadder(ctx: StrategyContext, position: PositionView): readonly OrderRequest[] {
    const close = ctx.window.series.close[ctx.window.end]!;
    const spacing = close * this.p.grid_spacing_pct;
    const levels = Math.min(MAX_SELL_ONLY_LEVELS, this.p.max_grids);
    const q = position.quantity / levels;
    const sells = q > 0 ? levels : 0;
    this.markDuplicates(ctx, close, spacing, 0, spacing, sells);
    return this.ladder(undefined, ctx, "sell", close, spacing, sells, q, this.ids.maxExposureSell, this.sellDuplicates) ?? NO_ORDERS;
  }

  /**
   * Appends to `orders` (a new array when undefined and something is placed) the limit orders at `close ∓ i·spacing`,
   * `i = 1 … levels` (below the close for buys), leaving out levels at or below zero (possible only with extreme
   * spacings; such a limit could never fill) and levels marked in `duplicates`. An order against the open position is
   * reduce-only.
   *
   * Requests are plain literals with precomputed client ids: `Orders.withClientId`/`Orders.reduceOnly` copies, frozen
   * objects and per-bar id strings cost more than the rest of a grid bar.
   */
  private ladder(
    orders: OrderRequest[] | undefined,
    ctx: StrategyContext,
    side: Side,
    close: number,
    spacing: number,
    levels: number,
    quantity: number,
    ids: readonly string[],
    duplicates: Uint8Array,
  ): OrderRequest[] | undefined {
    const reduceOnly = ctx.position !== undefined && ctx.position.side !== side;
    const dir = side === "buy" ? -1 : 1;
    let out = orders;
    for (let i = 1; i <= levels; i++) {
      const limitPrice = levelPrice(close, dir, i, spacing);
      if (duplicates[i] === 1 || !(limitPrice > 0)) continue;
      (out ??= []).push({ side, type: "limit", quantity, limitPrice, timeInForce: GTC, clientId: ids[i - 1], reduceOnly });
    }
    return out;
  }

  /**
   * Marks (with 1 at `i`, in {@link RegimeGridStrategy.buyDuplicates} and {@link RegimeGridStrategy.sellDuplicates})
   * the ladder levels within `DUPLICATE_FRACTION · spacing` of a resting limit of the same side (0 levels: that side
   * is not built): the levels a per-level scan of every resting limit with `|limit − level| < tolerance` would find,
   * found by walking the sorted limits (see `markSide`).
   */
  private markDuplicates(ctx: StrategyContext, close: number, buySpacing: number, buyLevels: number, sellSpacing: number, sellLevels: number): void {
    const buyDup = (this.buyDuplicates = room(this.buyDuplicates, buyLevels));
    const sellDup = (this.sellDuplicates = room(this.sellDuplicates, sellLevels));
    const buyTolerance = DUPLICATE_FRACTION * buySpacing;
    const sellTolerance = DUPLICATE_FRACTION * sellSpacing;
    // Level counts of 0 when no level can match: a non-positive tolerance (zero spacing) never passes the test.
    const buys = buyTolerance > 0 ? buyLevels : 0;
    const sells = sellTolerance > 0 ? sellLevels : 0;
    if (buys === 0 && sells === 0) return;
    const limits = ctx.restingLimits ?? SortedLimits.fromOrders(ctx.openOrders);
    if (buys > 0) markSide(buyDup, limits, "buy", close, buySpacing, buyTolerance, buys);
    if (sells > 0) markSide(sellDup, limits, "sell", close, sellSpacing, sellTolerance, sells);
  }

  private atrOr(w: BarWindow, price: number): number {
    const a = this.sets.for(w).stopAtr.at(w.start, w.end);
    return Number.isNaN(a) ? price * FALLBACK_ATR : a;
  }
}

/**
 * Whether the buy ladder is worth building: while flat its buys are entries, and a host that says entries are closed
 * would drop every one (on the 1 h data that is four bars in five; building and dropping them was a fifth of a run).
 */
function entriesAllowed(ctx: StrategyContext): boolean {
  return ctx.position !== undefined || ctx.entriesOpen !== false;
}

/** Client ids of each ladder's levels, index `i − 1` for level `i`. */
interface LadderIds {
  readonly gridBuy: readonly string[];
  readonly gridSell: readonly string[];
  readonly bullBuy: readonly string[];
  readonly bullSell: readonly string[];
  readonly maxExposureSell: readonly string[];
}

function clientIds(prefix: string, levels: number): readonly string[] {
  return Array.from({ length: levels }, (_, k) => `${prefix}${k + 1}`);
}

/** `marks` cleared for levels 0 … `levels`, grown when too short. */
function room(marks: Uint8Array, levels: number): Uint8Array {
  const out = marks.length > levels ? marks : new Uint8Array(levels + 1);
  // A loop, not fill(): a builtin call costs more than clearing the dozen marks of a ladder.
  for (let i = 0; i <= levels; i++) out[i] = 0;
  return out;
}

/**
 * Marks the levels of one ladder (`levels` below the close for buys, above it for sells) that a resting limit of that
 * side duplicates. The levels and the sorted limits are walked together in ascending price: for each level, only the
 * limits within two tolerances of it are tested (the tolerance is under half the spacing, so those windows do not
 * overlap, and a limit that passes the exact test lies well inside its level's window). No limit is divided by the
 * spacing, and limits between the windows are passed over by one comparison each: a grid asks this for both ladders
 * on most bars, with dozens of limits resting near them. When the spacing is too small against the prices for the
 * windows to be exact in doubles, every price of the side is tested against its nearest levels instead.
 */
function markSide(marks: Uint8Array, limits: RestingLimits, side: Side, close: number, spacing: number, tolerance: number, levels: number): void {
  const dir = side === "buy" ? -1 : 1;
  const n = limits.count(side);
  if (!(spacing > 1e-6 * Math.abs(close))) {
    for (let k = 0; k < n; k++) markNearest(marks, limits.price(side, k), close, dir, spacing, tolerance, levels);
    return;
  }
  const window = 2 * tolerance;
  // Buys' levels rise from the farthest (level `levels`) to the nearest; sells' from the nearest outwards.
  let k = limits.lowerBound(side, levelPrice(close, dir, dir === 1 ? 1 : levels, spacing) - window);
  for (let j = 0; j < levels && k < n; j++) {
    const i = dir === 1 ? j + 1 : levels - j;
    const level = levelPrice(close, dir, i, spacing);
    while (k < n && limits.price(side, k) < level - window) k++;
    for (let m = k; m < n; m++) {
      const x = limits.price(side, m);
      if (x > level + window) break;
      if (Math.abs(x - level) < tolerance) {
        marks[i] = 1;
        break;
      }
    }
  }
}

/**
 * Marks the level (of `levels`, `dir` −1 below the close) that the resting limit price `x` duplicates, if any. Only
 * the rounded index can match unless the spacing is so small against the prices that rounding could move the index;
 * then its neighbours are tested too.
 */
function markNearest(marks: Uint8Array, x: number, close: number, dir: 1 | -1, spacing: number, tolerance: number, levels: number): void {
  const nearest = Math.round((dir * (x - close)) / spacing);
  if (!(nearest >= 0 && nearest <= levels + 1)) return;
  const reach = spacing > 1e-9 * (Math.abs(close) + Math.abs(x)) ? 0 : 1;
  const last = Math.min(levels, nearest + reach);
  for (let i = Math.max(1, nearest - reach); i <= last; i++) {
    if (Math.abs(x - levelPrice(close, dir, i, spacing)) < tolerance) marks[i] = 1;
  }
}

/** Level `i` of a ladder: `close − i·spacing` below the close (`dir` −1), `close + i·spacing` above it (`dir` 1). */
function levelPrice(close: number, dir: 1 | -1, i: number, spacing: number): number {
  return dir === 1 ? close + i * spacing : close - i * spacing;
}

/** The `regime_grid` definition. */
export const regimeGrid = defineStrategy({
  name: "regime_grid",
  description: "Regime-shaped limit-order grids with liquidation in bad regimes, a volatility kill switch and a drawdown breaker",
  schema: regimeGridParams,
  create: (params) => new RegimeGridStrategy(params),
});
