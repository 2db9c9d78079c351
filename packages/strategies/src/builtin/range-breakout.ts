import { z } from "zod";
import type { CandleSeries, Side } from "@tradeloom/types";
import type { PositionView, Trade } from "@tradeloom/oms";
import { NO_ORDERS, type BarWindow, type Strategy, type StrategyContext } from "../strategy";
import { defineStrategy } from "../define-strategy";
import { param } from "../params";
import { WindowAtr } from "../indicators/atr";
import { WindowEma } from "../indicators/ema";
import { WindowAdx } from "../indicators/adx";
import { WindowPreviousRange } from "../indicators/rolling-extremes";
import { WindowVolumeAverage } from "../indicators/volume-average";
import { DEFAULT_CAPACITY, FEED_AHEAD } from "../indicators/ring";
import { IndicatorSets, WindowFeed } from "./window-feed";
import { adxVersus, ENTER_LONG, ENTER_SHORT, orZero, stopAt, targetAt } from "./exits";

/** Parameters of `range_breakout` (strategies.md §6.3): the first five required, the rest defaulted. */
export const rangeBreakoutParams = z.object({
  lookback: param.period(),
  atr_period: param.period(),
  stop_atr: param.nonNegative(),
  target_atr: param.nonNegative(),
  cooldown: param.uint(),
  allow_shorts: param.bool().default(false),
  trend_ema: param.uint().default(50),
  adx_period: param.period().default(14),
  min_adx: param.level().default(20.0),
  use_trailing: param.bool().default(true),
  trailing_atr: param.nonNegative().default(2.0),
});

/** Validated `range_breakout` parameters. */
export type RangeBreakoutParams = z.output<typeof rangeBreakoutParams>;

/** Fallback ATR as a fraction of the window's last close (strategies.md Q21). */
const FALLBACK_ATR = 0.02;
/** Bars averaged by the volume filter (strategies.md §2.12). */
const VOLUME_BARS = 20;

class Indicators extends WindowFeed {
  readonly atr: WindowAtr;
  /** Only when the trend filter is on (`trend_ema ≠ 0`): feeding a stream costs every bar. */
  readonly trend: WindowEma | undefined;
  /** Only when the ADX filter is on (`min_adx ≠ 0`). */
  readonly adx: WindowAdx | undefined;
  /** The low side only with `allow_shorts`. */
  readonly range: WindowPreviousRange;
  readonly volume: WindowVolumeAverage;

  constructor(p: RangeBreakoutParams) {
    super(DEFAULT_CAPACITY, FEED_AHEAD);
    this.atr = new WindowAtr(p.atr_period);
    this.trend = p.trend_ema !== 0 ? new WindowEma(p.trend_ema) : undefined;
    this.adx = p.min_adx !== 0 ? new WindowAdx(p.adx_period) : undefined;
    this.range = new WindowPreviousRange(p.lookback, DEFAULT_CAPACITY, p.allow_shorts ? "both" : "high");
    this.volume = new WindowVolumeAverage(VOLUME_BARS);
  }

  protected resetStreams(first: number): void {
    this.atr.reset(first);
    this.trend?.reset(first);
    this.adx?.reset(first);
    this.range.reset(first);
    this.volume.reset(first);
  }

  protected pushBar(s: CandleSeries, i: number): void {
    this.pushBars(s, i, i);
  }

  protected override pushBars(s: CandleSeries, from: number, to: number): void {
    this.atr.pushBars(s, from, to);
    this.trend?.pushValues(s.close, from, to);
    this.adx?.pushBars(s, from, to);
    this.range.pushBars(s, from, to);
    this.volume.pushValues(s.volume, from, to);
  }
}

/**
 * `range_breakout` (strategies.md §6.4): a close breaking the previous `lookback` range, confirmed by expanding ATR,
 * volume, ADX and the trend EMA; exits left to the engine's stop/target and an ATR trailing stop; a cooldown after
 * each closed trade.
 */
export class RangeBreakoutStrategy implements Strategy {
  readonly name = "range_breakout";
  private readonly p: RangeBreakoutParams;
  private readonly warmup: number;
  private readonly sets: IndicatorSets<Indicators>;
  private cooldown = 0;

  constructor(params: RangeBreakoutParams) {
    this.p = params;
    this.warmup = Math.max(params.lookback, params.trend_ema) + params.atr_period + 2;
    this.sets = new IndicatorSets(() => new Indicators(params));
  }

  onBar(): void {
    if (this.cooldown > 0) this.cooldown--;
  }

  onTradeClosed(trade: Trade): void {
    if (trade.closesPosition) this.cooldown = this.p.cooldown;
  }

  /** Gives the indicators' ring buffers back for reuse (see {@link Strategy.dispose}). */
  dispose(): void {
    this.sets.release();
  }

  generateOrders(ctx: StrategyContext): ReturnType<Strategy["generateOrders"]> {
    const w = ctx.window;
    if (w.end - w.start + 1 < this.warmup) return NO_ORDERS;
    if (ctx.position !== undefined || this.cooldown > 0) return NO_ORDERS;
    const ind = this.sets.for(w);
    const { start, end, series: s } = w;
    if (ind.range.crossedAbove(s, start, end) && this.filtersPass(ind, w, 1)) return ENTER_LONG;
    if (!this.p.allow_shorts) return NO_ORDERS;
    if (ind.range.crossedBelow(s, start, end) && this.filtersPass(ind, w, -1)) return ENTER_SHORT;
    return NO_ORDERS;
  }

  calculateStopLoss(window: BarWindow, entryPrice: number, side: Side): number {
    const a = this.atrOf(this.sets.for(window), window);
    return stopAt(entryPrice, side, this.p.stop_atr * a);
  }

  calculateTakeProfit(window: BarWindow, entryPrice: number, side: Side): number {
    const a = this.atrOf(this.sets.for(window), window);
    return targetAt(entryPrice, side, this.p.target_atr * a);
  }

  /** Trails `trailing_atr` ATRs behind the price once in profit, while tighter than the entry's stop distance. */
  updateTrailingStop(position: PositionView, price: number, window: BarWindow): number | undefined {
    if (!this.p.use_trailing) return undefined;
    const a = this.atrOf(this.sets.for(window), window);
    const d = this.p.trailing_atr * a;
    const entry = position.avgEntry;
    if (position.side === "buy") {
      if (!(price > entry)) return undefined;
      const s = price - d;
      return s > entry - this.p.stop_atr * a ? s : undefined;
    }
    if (!(price < entry)) return undefined;
    const s = price + d;
    return s < entry + this.p.stop_atr * a ? s : undefined;
  }

  /** Bars left before entries are allowed again. */
  get cooldownRemaining(): number {
    return this.cooldown;
  }

  /** Expanding ATR, volume, trend direction, then ADX: all must hold; the ADX (maybe a pass over the window) goes last. */
  private filtersPass(ind: Indicators, w: BarWindow, direction: 1 | -1): boolean {
    const { start, end, series: s } = w;
    const n = end - start + 1;
    const p = this.p;
    if (n >= 2 * p.atr_period && n >= 5) {
      if (!(orZero(ind.atr.at(start, end)) > 0.9 * orZero(ind.atr.at(start, end - 4)))) return false;
    }
    // The reference averages the 20 bars before the current one; with exactly 20 bars there are only 19 (see README).
    if (n > VOLUME_BARS && !(s.volume[end]! > 0.8 * ind.volume.at(start, end))) return false;
    // The trend EMA exists exactly when trend_ema ≠ 0, the ADX when min_adx ≠ 0.
    const trend = ind.trend;
    if (trend !== undefined && n >= p.trend_ema + 1) {
      const close = s.close[end]!;
      const e = trend.at(start, end);
      const level = Number.isNaN(e) ? close : e;
      if (!(direction === 1 ? close > level : close < level)) return false;
    }
    const adx = ind.adx;
    if (adx !== undefined && n >= 2 * p.adx_period && !(adxVersus(adx, start, end, p.min_adx) >= 0)) return false;
    return true;
  }

  private atrOf(ind: Indicators, w: BarWindow): number {
    const a = ind.atr.at(w.start, w.end);
    return Number.isNaN(a) ? w.series.close[w.end]! * FALLBACK_ATR : a;
  }
}

/** The `range_breakout` definition. */
export const rangeBreakout = defineStrategy({
  name: "range_breakout",
  description: "Previous-range breakouts confirmed by expanding ATR, volume, ADX and trend EMA; ATR stop/target/trail",
  schema: rangeBreakoutParams,
  create: (params) => new RangeBreakoutStrategy(params),
});
