import { z } from "zod";
import type { CandleSeries, Side } from "@tradeloom/types";
import type { PositionView, Trade } from "@tradeloom/oms";
import { NO_ORDERS, type BarWindow, type Strategy, type StrategyContext } from "../strategy";
import { defineStrategy } from "../define-strategy";
import { param } from "../params";
import { WindowAtr } from "../indicators/atr";
import { WindowEma } from "../indicators/ema";
import { WindowAdx } from "../indicators/adx";
import { WindowMacd } from "../indicators/macd";
import { DEFAULT_CAPACITY, FEED_AHEAD } from "../indicators/ring";
import { IndicatorSets, WindowFeed } from "./window-feed";
import { adxVersus, ENTER_LONG, orZero, sellPosition, stopAt, targetAt } from "./exits";

/**
 * Parameters of `momentum_scalper` (strategies.md §5.1): all required. `ema_trend` only lengthens the warm-up;
 * `volume_*`, `require_volume`, `trade_with_trend` and `allow_short` are read but unused, as in the reference (Q14).
 */
export const momentumScalperParams = z.object({
  ema_fast: param.period(),
  ema_slow: param.period(),
  ema_trend: param.uint(),
  use_macd: param.bool(),
  macd_fast: param.period(),
  macd_slow: param.period(),
  macd_signal: param.period(),
  volume_period: param.uint(),
  volume_threshold: param.nonNegative(),
  require_volume: param.bool(),
  atr_period: param.period(),
  stop_atr_multiple: param.nonNegative(),
  target_atr_multiple: param.nonNegative(),
  trailing_activation: param.nonNegative(),
  trailing_atr_multiple: param.nonNegative(),
  adx_threshold: param.level(),
  adx_period: param.period(),
  trade_with_trend: param.bool(),
  max_hold_bars: param.uint(),
  exit_on_cross: param.bool(),
  cooldown_bars: param.uint(),
  allow_short: param.bool(),
});

/** Validated `momentum_scalper` parameters. */
export type MomentumScalperParams = z.output<typeof momentumScalperParams>;

/** MACD momentum state (strategies.md §5.2); always `neutral` when `use_macd` is false. */
export type MomentumState = "strong_bullish" | "weak_bullish" | "neutral" | "weak_bearish" | "strong_bearish";

const MOMENTUM_SCORE: Readonly<Record<MomentumState, number>> = {
  strong_bullish: 1.3,
  weak_bullish: 1.1,
  neutral: 0.8,
  weak_bearish: 0.6,
  strong_bearish: 0.5,
};

/** Fallback ATR as a fraction of the price (strategies.md Q21). */
const FALLBACK_ATR = 0.01;

class Indicators extends WindowFeed {
  readonly atr: WindowAtr;
  readonly emaFast: WindowEma;
  readonly emaSlow: WindowEma;
  /** Only when the ADX filter is on (`adx_threshold > 0`): feeding it costs every bar. */
  readonly adx: WindowAdx | undefined;
  /** Only with `use_macd`. */
  readonly macd: WindowMacd | undefined;

  constructor(p: MomentumScalperParams) {
    super(DEFAULT_CAPACITY, FEED_AHEAD);
    this.atr = new WindowAtr(p.atr_period);
    this.emaFast = new WindowEma(p.ema_fast);
    this.emaSlow = new WindowEma(p.ema_slow);
    this.adx = p.adx_threshold > 0 ? new WindowAdx(p.adx_period) : undefined;
    this.macd = p.use_macd ? new WindowMacd(p.macd_fast, p.macd_slow, p.macd_signal) : undefined;
  }

  protected resetStreams(first: number): void {
    this.atr.reset(first);
    this.emaFast.reset(first);
    this.emaSlow.reset(first);
    this.adx?.reset(first);
    this.macd?.reset(first);
  }

  protected pushBar(s: CandleSeries, i: number): void {
    this.pushBars(s, i, i);
  }

  protected override pushBars(s: CandleSeries, from: number, to: number): void {
    this.atr.pushBars(s, from, to);
    this.emaFast.pushValues(s.close, from, to);
    this.emaSlow.pushValues(s.close, from, to);
    this.adx?.pushBars(s, from, to);
    this.macd?.pushValues(s.close, from, to);
  }
}

/**
 * `momentum_scalper` (strategies.md §5): long entries while the fast EMA is above the slow one (a state, not a
 * crossover), optionally filtered by ADX and MACD momentum; exits on the EMAs crossing back, after `max_hold_bars`,
 * or on bearish momentum; a cooldown after each closed trade.
 */
export class MomentumScalperStrategy implements Strategy {
  readonly name = "momentum_scalper";
  private readonly p: MomentumScalperParams;
  private readonly warmup: number;
  private readonly sets: IndicatorSets<Indicators>;
  /** The reference creates per-symbol state on the first `on_bar`; the cooldown only applies once it exists. */
  private started = false;
  private barsInPosition = 0;
  private cooldown = 0;

  constructor(params: MomentumScalperParams) {
    this.p = params;
    const p = params;
    this.warmup = Math.max(p.ema_slow, p.ema_trend, p.macd_slow + p.macd_signal, 2 * p.adx_period) + 5;
    this.sets = new IndicatorSets(() => new Indicators(params));
  }

  onBar(ctx: StrategyContext): void {
    this.started = true;
    if (ctx.position !== undefined) this.barsInPosition++;
    else if (this.cooldown > 0) this.cooldown--;
  }

  onTradeClosed(trade: Trade): void {
    // The reference records a trade only when the position is closed or flipped; partial closes change nothing.
    if (!this.started || !trade.closesPosition) return;
    this.cooldown = this.p.cooldown_bars;
    this.barsInPosition = 0;
  }

  /** Gives the indicators' ring buffers back for reuse (see {@link Strategy.dispose}). */
  dispose(): void {
    this.sets.release();
  }

  generateOrders(ctx: StrategyContext): ReturnType<Strategy["generateOrders"]> {
    const w = ctx.window;
    if (w.end - w.start + 1 < this.warmup) return NO_ORDERS;
    const position = ctx.position;
    if (this.started && this.cooldown > 0 && position === undefined) return NO_ORDERS;
    const ind = this.sets.for(w);
    const fast = ind.emaFast.at(w.start, w.end);
    const slow = ind.emaSlow.at(w.start, w.end);
    if (position !== undefined) {
      if (this.p.exit_on_cross && fast < slow) return sellPosition(position);
      if (this.barsInPosition >= this.p.max_hold_bars) return sellPosition(position);
      if (this.p.use_macd) {
        const m = this.momentumOf(ind, w);
        if (m === "weak_bearish" || m === "strong_bearish") return sellPosition(position);
      }
      return NO_ORDERS;
    }
    if (!(fast > slow)) return NO_ORDERS;
    if (this.p.use_macd) {
      const m = this.momentumOf(ind, w);
      if (m === "weak_bearish" || m === "strong_bearish") return NO_ORDERS;
    }
    // Last: the ADX may cost a pass over the window. It exists exactly when adx_threshold > 0.
    const adx = ind.adx;
    if (adx !== undefined && !(adxVersus(adx, w.start, w.end, this.p.adx_threshold) >= 0)) return NO_ORDERS;
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

  /** Uses the long formula whatever the side, as the reference does (Q14). */
  updateTrailingStop(position: PositionView, price: number, window: BarWindow): number | undefined {
    const a = this.atrOr(window, price);
    const profitAtr = a > 0 ? (price - position.avgEntry) / a : 0;
    return profitAtr >= this.p.trailing_activation ? price - this.p.trailing_atr_multiple * a : undefined;
  }

  getRegimeScore(window: BarWindow): number {
    return MOMENTUM_SCORE[this.p.use_macd ? this.momentumOf(this.sets.for(window), window) : "neutral"];
  }

  /** Momentum state at the window's last bar. */
  momentum(window: BarWindow): MomentumState {
    return this.p.use_macd ? this.momentumOf(this.sets.for(window), window) : "neutral";
  }

  /** Bars the current position has been held, as counted by {@link MomentumScalperStrategy.onBar}. */
  get heldBars(): number {
    return this.barsInPosition;
  }

  /** Bars left before entries are allowed again. */
  get cooldownRemaining(): number {
    return this.cooldown;
  }

  /** Only called with `use_macd`, when the MACD exists. */
  private momentumOf(ind: Indicators, w: BarWindow): MomentumState {
    const macd = ind.macd;
    if (macd === undefined) return "neutral";
    const { start, end } = w;
    // The histogram is line − signal: computed from the two read here rather than asked for again (bit for bit the same).
    const lineRaw = macd.macdAt(start, end);
    const signalRaw = macd.signalAt(start, end);
    const cur = orZero(lineRaw - signalRaw);
    const prev = end - 1 >= start ? orZero(macd.histogramAt(start, end - 1)) : 0;
    const line = orZero(lineRaw);
    const signal = orZero(signalRaw);
    if (cur > 0) return cur > prev && line > signal ? "strong_bullish" : "weak_bullish";
    if (cur < 0) return cur < prev && line < signal ? "strong_bearish" : "weak_bearish";
    return "neutral";
  }

  private atrOr(w: BarWindow, price: number): number {
    const a = this.sets.for(w).atr.at(w.start, w.end);
    return Number.isNaN(a) ? price * FALLBACK_ATR : a;
  }
}

/** The `momentum_scalper` definition. */
export const momentumScalper = defineStrategy({
  name: "momentum_scalper",
  description: "Long while fast EMA > slow EMA, optional ADX/MACD filters, cross-back and max-hold exits, cooldown",
  schema: momentumScalperParams,
  create: (params) => new MomentumScalperStrategy(params),
});
