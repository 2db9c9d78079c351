import { z } from "zod";
import type { CandleSeries, Side } from "@tradeloom/types";
import type { PositionView, Trade } from "@tradeloom/oms";
import { NO_ORDERS, type BarWindow, type Strategy, type StrategyContext } from "../strategy";
import { defineStrategy } from "../define-strategy";
import { param } from "../params";
import { WindowAtr } from "../indicators/atr";
import { WindowPreviousRange } from "../indicators/rolling-extremes";
import { DEFAULT_CAPACITY, FEED_AHEAD } from "../indicators/ring";
import { IndicatorSets, WindowFeed } from "./window-feed";
import { ENTER_LONG, ENTER_SHORT, stopAt, targetAt } from "./exits";
import { strongCandle } from "./candle-body";

/** Parameters of `quick_flip` (strategies.md §6.1): `atr_period` and `range_bars` required, the rest defaulted. */
export const quickFlipParams = z.object({
  atr_period: param.period(),
  range_bars: param.period(),
  stop_atr: param.nonNegative().default(1.5),
  target_atr: param.nonNegative().default(3.0),
  min_range_pct: param.nonNegative().default(0.5),
  cooldown: param.uint().default(3),
  enable_reversals: param.bool().default(false),
  body_ratio: param.nonNegative().default(0.6),
  allow_shorts: param.bool().default(false),
});

/** Validated `quick_flip` parameters. */
export type QuickFlipParams = z.output<typeof quickFlipParams>;

/** Fallback ATR as a fraction of the window's last close (strategies.md Q21). */
const FALLBACK_ATR = 0.02;

/** The range low matters to the range-size filter, shorts and reversals; long breakouts alone need only the high. */
function needsRangeLow(p: QuickFlipParams): boolean {
  return p.min_range_pct > 0 || p.allow_shorts || p.enable_reversals;
}

class Indicators extends WindowFeed {
  readonly atr: WindowAtr;
  readonly range: WindowPreviousRange;

  constructor(p: QuickFlipParams) {
    super(DEFAULT_CAPACITY, FEED_AHEAD);
    this.atr = new WindowAtr(p.atr_period);
    this.range = new WindowPreviousRange(p.range_bars, DEFAULT_CAPACITY, needsRangeLow(p) ? "both" : "high");
  }

  protected resetStreams(first: number): void {
    this.atr.reset(first);
    this.range.reset(first);
  }

  protected pushBar(s: CandleSeries, i: number): void {
    this.pushBars(s, i, i);
  }

  protected override pushBars(s: CandleSeries, from: number, to: number): void {
    this.atr.pushBars(s, from, to);
    this.range.pushBars(s, from, to);
  }
}

/**
 * `quick_flip` (strategies.md §6.2): breakouts of the previous `range_bars` range on a strong candle, optional
 * reversals from the range edges, exits left to the engine's stop/target and a 1-ATR trailing stop; a cooldown after
 * each closed trade.
 */
export class QuickFlipStrategy implements Strategy {
  readonly name = "quick_flip";
  private readonly p: QuickFlipParams;
  private readonly sets: IndicatorSets<Indicators>;
  private readonly needsLow: boolean;
  private cooldown = 0;

  constructor(params: QuickFlipParams) {
    this.p = params;
    this.needsLow = needsRangeLow(params);
    this.sets = new IndicatorSets(() => new Indicators(params));
  }

  requiredTimeframes(): readonly string[] {
    return [];
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
    const p = this.p;
    if (w.end - w.start + 1 < p.range_bars + p.atr_period + 5) return NO_ORDERS;
    if (ctx.position !== undefined || this.cooldown > 0) return NO_ORDERS;
    const ind = this.sets.for(w);
    const { start, end, series: s } = w;
    const rangeHigh = ind.range.highAt(start, end);
    // The low is tracked, and read, only when a rule below uses it (needsRangeLow).
    const rangeLow = this.needsLow ? ind.range.lowAt(start, end) : Number.NaN;
    const size = rangeHigh - rangeLow;
    if (p.min_range_pct > 0 && size < this.atrOf(ind, w) * p.min_range_pct) return NO_ORDERS;
    const open = s.open[end]!;
    const high = s.high[end]!;
    const low = s.low[end]!;
    const close = s.close[end]!;
    const prevClose = s.close[end - 1]!;
    const bullish = strongCandle(1, open, high, low, close, p.body_ratio);
    if (close > rangeHigh && prevClose <= rangeHigh && (p.body_ratio <= 0 || bullish)) return ENTER_LONG;
    if (!this.needsLow) return NO_ORDERS;
    const bearish = strongCandle(-1, open, high, low, close, p.body_ratio);
    if (close < rangeLow && prevClose >= rangeLow && p.allow_shorts && (p.body_ratio <= 0 || bearish)) return ENTER_SHORT;
    if (p.enable_reversals) {
      const zone = 0.1 * size;
      if (low <= rangeLow + zone && bullish && prevClose > rangeLow) return ENTER_LONG;
      if (p.allow_shorts && high >= rangeHigh - zone && bearish && prevClose < rangeHigh) return ENTER_SHORT;
    }
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

  /** Hard-wired one-ATR trail once the price is an ATR in profit, never worse than the entry. */
  updateTrailingStop(position: PositionView, price: number, window: BarWindow): number | undefined {
    const a = this.atrOf(this.sets.for(window), window);
    const entry = position.avgEntry;
    if (position.side === "buy") {
      if (!(price >= entry + a)) return undefined;
      const t = price - a;
      return t > entry ? t : entry;
    }
    if (!(price <= entry - a)) return undefined;
    const t = price + a;
    return t < entry ? t : entry;
  }

  /** Bars left before entries are allowed again. */
  get cooldownRemaining(): number {
    return this.cooldown;
  }

  private atrOf(ind: Indicators, w: BarWindow): number {
    const a = ind.atr.at(w.start, w.end);
    return Number.isNaN(a) ? w.series.close[w.end]! * FALLBACK_ATR : a;
  }
}

/** The `quick_flip` definition. */
export const quickFlip = defineStrategy({
  name: "quick_flip",
  description: "Previous-range breakouts on strong candles (optional reversals and shorts), ATR stop/target, cooldown",
  schema: quickFlipParams,
  create: (params) => new QuickFlipStrategy(params),
});
