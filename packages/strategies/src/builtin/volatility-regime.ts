import { z } from "zod";
import type { CandleSeries, Side } from "@tradeloom/types";
import type { PositionView } from "@tradeloom/oms";
import { NO_ORDERS, type BarWindow, type Strategy, type StrategyContext } from "../strategy";
import { defineStrategy } from "../define-strategy";
import { param } from "../params";
import { WindowAtr } from "../indicators/atr";
import { WindowEma } from "../indicators/ema";
import { WindowAdx } from "../indicators/adx";
import { WindowPreviousRange } from "../indicators/rolling-extremes";
import { DEFAULT_CAPACITY, FEED_AHEAD } from "../indicators/ring";
import { IndicatorSets, WindowFeed, WindowKey } from "./window-feed";
import { adxVersus, ENTER_LONG, orZero, sellPosition, stopAt, targetAt } from "./exits";

/** Parameters of `volatility_regime` (strategies.md §3.1): all required. */
export const volatilityRegimeParams = z.object({
  atr_period: param.period(),
  volatility_lookback: param.period(),
  compression_threshold: param.nonNegative(),
  expansion_threshold: param.nonNegative(),
  extreme_threshold: param.nonNegative(),
  ema_fast: param.period(),
  ema_slow: param.period(),
  adx_period: param.period(),
  adx_threshold: param.level(),
  breakout_atr_multiple: param.nonNegative(),
  stop_atr_multiple: param.nonNegative(),
  target_atr_multiple: param.nonNegative(),
  trailing_activation: param.nonNegative(),
  trailing_atr_multiple: param.nonNegative(),
});

/** Validated `volatility_regime` parameters. */
export type VolatilityRegimeParams = z.output<typeof volatilityRegimeParams>;

/** Volatility regime from the ratio of the current ATR to its recent mean (strategies.md §3.3). */
export type VolatilityRegime = "compression" | "normal" | "expansion" | "extreme";

/** Fallback ATR as a fraction of the price when the ATR is absent (strategies.md Q21). */
const FALLBACK_ATR = 0.05;

class Indicators extends WindowFeed {
  readonly atr: WindowAtr;
  readonly emaFast: WindowEma;
  readonly emaSlow: WindowEma;
  readonly adx: WindowAdx;
  readonly range: WindowPreviousRange;

  constructor(p: VolatilityRegimeParams) {
    super(DEFAULT_CAPACITY, FEED_AHEAD);
    this.atr = new WindowAtr(p.atr_period, DEFAULT_CAPACITY, p.volatility_lookback);
    this.emaFast = new WindowEma(p.ema_fast);
    this.emaSlow = new WindowEma(p.ema_slow);
    this.adx = new WindowAdx(p.adx_period);
    this.range = new WindowPreviousRange(p.volatility_lookback, DEFAULT_CAPACITY, "high");
  }

  protected resetStreams(first: number): void {
    this.atr.reset(first);
    this.emaFast.reset(first);
    this.emaSlow.reset(first);
    this.adx.reset(first);
    this.range.reset(first);
  }

  protected pushBar(s: CandleSeries, i: number): void {
    this.pushBars(s, i, i);
  }

  protected override pushBars(s: CandleSeries, from: number, to: number): void {
    this.atr.pushBars(s, from, to);
    this.emaFast.pushValues(s.close, from, to);
    this.emaSlow.pushValues(s.close, from, to);
    this.adx.pushBars(s, from, to);
    this.range.pushBars(s, from, to);
  }
}

/**
 * `volatility_regime` (strategies.md §3): long-only entries on a close crossing up through
 * "recent high − k·ATR" while the ATR regime is calm and the trend is confirmed; exits on an extreme regime or on a
 * close below the slow EMA at or above break-even.
 */
export class VolatilityRegimeStrategy implements Strategy {
  readonly name = "volatility_regime";
  private readonly p: VolatilityRegimeParams;
  private readonly warmup: number;
  private readonly sets: IndicatorSets<Indicators>;
  /**
   * The window of the latest long entry decided. Its regime was calm and its trend confirmed,
   * so its score is 1: the engine asks {@link VolatilityRegimeStrategy.getRegimeScore} for that same window right
   * after the decision, and working both out again cost the ATR mean, two EMAs and an ADX comparison.
   */
  private readonly entered = new WindowKey();

  constructor(params: VolatilityRegimeParams) {
    this.p = params;
    this.warmup = Math.max(params.atr_period + 2 * params.adx_period, params.atr_period + params.volatility_lookback, params.ema_slow);
    this.sets = new IndicatorSets(() => new Indicators(params));
  }

  /** Gives the indicators' ring buffers back for reuse (see {@link Strategy.dispose}). */
  dispose(): void {
    this.sets.release();
  }

  generateOrders(ctx: StrategyContext): ReturnType<Strategy["generateOrders"]> {
    const w = ctx.window;
    if (w.end - w.start + 1 < this.warmup) return NO_ORDERS;
    const ind = this.indicators(w);
    const position = ctx.position;
    const close = w.series.close[w.end]!;
    if (position !== undefined) {
      if (this.regimeOf(ind, w) === "extreme") return sellPosition(position);
      const slow = ind.emaSlow.at(w.start, w.end);
      if (position.unrealizedPnl(close) >= 0 && !Number.isNaN(slow) && close < slow) return sellPosition(position);
      return NO_ORDERS;
    }
    // The breakout level and the regime both read the current ATR. The breakout (a crossing, true on few bars) goes
    // first: it spares the regime's ATR mean on most bars; all three conditions are pure, so the order changes nothing
    // but the cost. The trend test, which may compare the ADX, goes last.
    const atr = ind.atr.at(w.start, w.end);
    if (!this.breakout(w, ind.range.highAt(w.start, w.end), atr)) return NO_ORDERS;
    const regime = this.regimeOf(ind, w);
    if (regime !== "compression" && regime !== "normal") return NO_ORDERS;
    if (!this.trendConfirmed(ind, w)) return NO_ORDERS;
    this.entered.set(w);
    return ENTER_LONG;
  }

  calculateStopLoss(window: BarWindow, entryPrice: number, side: Side): number {
    const a = this.atrOr(window, entryPrice);
    return stopAt(entryPrice, side, this.p.stop_atr_multiple * a);
  }

  calculateTakeProfit(window: BarWindow, entryPrice: number, side: Side): number {
    const a = this.atrOr(window, entryPrice);
    return targetAt(entryPrice, side, this.p.target_atr_multiple * a);
  }

  updateTrailingStop(position: PositionView, price: number, window: BarWindow): number | undefined {
    const a = this.atrOr(window, price);
    if (!(a > 0)) return undefined;
    const entry = position.avgEntry;
    const p = this.p;
    if (position.side === "buy") {
      if ((price - entry) / a < p.trailing_activation) return undefined;
      return Math.max(price - p.trailing_atr_multiple * a, entry - p.stop_atr_multiple * a);
    }
    if ((entry - price) / a < p.trailing_activation) return undefined;
    return Math.min(price + p.trailing_atr_multiple * a, entry + p.stop_atr_multiple * a);
  }

  getRegimeScore(window: BarWindow): number {
    if (this.entered.matches(window)) return 1;
    const ind = this.indicators(window);
    const regime = this.regimeOf(ind, window);
    if (regime !== "compression" && regime !== "normal") return 0;
    return this.trendConfirmed(ind, window) ? 1 : 0.5;
  }

  /** The volatility regime of the window's last bar, or `undefined` while it cannot be told (§3.3). */
  regime(window: BarWindow): VolatilityRegime | undefined {
    return this.regimeOf(this.indicators(window), window);
  }

  private indicators(w: BarWindow): Indicators {
    return this.sets.for(w);
  }

  private regimeOf(ind: Indicators, w: BarWindow): VolatilityRegime | undefined {
    const { start, end } = w;
    const current = ind.atr.at(start, end);
    const lookback = this.p.volatility_lookback;
    if (end - start + 1 < lookback) return undefined;
    if (Number.isNaN(current)) return undefined;
    const mean = ind.atr.meanOfLast(start, end, lookback);
    if (Number.isNaN(mean)) return undefined;
    if (mean === 0) return "normal";
    const ratio = current / mean;
    if (ratio >= this.p.extreme_threshold) return "extreme";
    if (ratio >= this.p.expansion_threshold) return "expansion";
    if (ratio <= this.p.compression_threshold) return "compression";
    return "normal";
  }

  private trendConfirmed(ind: Indicators, w: BarWindow): boolean {
    const { start, end } = w;
    if (!(orZero(ind.emaFast.at(start, end)) > orZero(ind.emaSlow.at(start, end)))) return false;
    return adxVersus(ind.adx, start, end, this.p.adx_threshold) > 0;
  }

  /** `high`: the previous-lookback range high; `atr`: the current ATR (NaN when absent). */
  private breakout(w: BarWindow, high: number, atr: number): boolean {
    const { start, end } = w;
    if (end - start + 1 < this.p.volatility_lookback + 1) return false;
    const level = high - this.p.breakout_atr_multiple * orZero(atr);
    const close = w.series.close;
    return close[end]! > level && close[end - 1]! <= level;
  }

  private atrOr(w: BarWindow, price: number): number {
    const a = this.indicators(w).atr.at(w.start, w.end);
    return Number.isNaN(a) ? price * FALLBACK_ATR : a;
  }
}

/** The `volatility_regime` definition. */
export const volatilityRegime = defineStrategy({
  name: "volatility_regime",
  description: "Long-only breakout above recent-high − k·ATR in calm ATR regimes with an EMA/ADX trend filter",
  schema: volatilityRegimeParams,
  create: (params) => new VolatilityRegimeStrategy(params),
});
