import type { CandleSeries } from "@tradeloom/types";
import { adx, atr, ema, macd, previousRangeHigh, previousRangeLow, previousVolumeAverage, rsi } from "../../src/indicators/index";
import type { MomentumScalperParams } from "../../src/builtin/momentum-scalper";
import type { QuickFlipParams } from "../../src/builtin/quick-flip";
import type { RangeBreakoutParams } from "../../src/builtin/range-breakout";
import type { RegimeGridParams } from "../../src/builtin/regime-grid";

// Literal ports of strategies.md §4–§6 recomputing every indicator over the window slice: the test oracles.

const at = (a: Float64Array, i: number) => (i >= 0 && i < a.length ? a[i]! : NaN);
const nz = (x: number) => (Number.isNaN(x) ? 0 : x);

export function referenceMomentum(p: MomentumScalperParams, s: CandleSeries) {
  const n = s.length;
  const fast = at(ema(s.close, p.ema_fast), n - 1);
  const slow = at(ema(s.close, p.ema_slow), n - 1);
  const m = macd(s.close, p.macd_fast, p.macd_slow, p.macd_signal);
  const cur = nz(at(m.histogram, n - 1));
  const prev = n < 2 ? 0 : nz(at(m.histogram, n - 2));
  const line = nz(at(m.macd, n - 1));
  const sig = nz(at(m.signal, n - 1));
  const momentum = !p.use_macd
    ? "neutral"
    : cur > 0 && cur > prev && line > sig
      ? "strong_bullish"
      : cur > 0
        ? "weak_bullish"
        : cur < 0 && cur < prev && line < sig
          ? "strong_bearish"
          : cur < 0
            ? "weak_bearish"
            : "neutral";
  const bearish = momentum === "weak_bearish" || momentum === "strong_bearish";
  const warm = n >= Math.max(p.ema_slow, p.ema_trend, p.macd_slow + p.macd_signal, 2 * p.adx_period) + 5;
  const adxOk = p.adx_threshold <= 0 || nz(at(adx(s.high, s.low, s.close, p.adx_period), n - 1)) >= p.adx_threshold;
  return { momentum, enter: warm && fast > slow && adxOk && !bearish, crossDown: fast < slow, bearish, warm };
}

export function referenceQuickFlip(p: QuickFlipParams, s: CandleSeries): "buy" | "sell" | undefined {
  const n = s.length;
  if (n < p.range_bars + p.atr_period + 5) return undefined;
  const rh = at(previousRangeHigh(s.high, p.range_bars), n - 1);
  const rl = at(previousRangeLow(s.low, p.range_bars), n - 1);
  const size = rh - rl;
  const a0 = at(atr(s.high, s.low, s.close, p.atr_period), n - 1);
  const a = Number.isNaN(a0) ? s.close[n - 1]! * 0.02 : a0;
  if (p.min_range_pct > 0 && size < a * p.min_range_pct) return undefined;
  const o = s.open[n - 1]!, h = s.high[n - 1]!, l = s.low[n - 1]!, c = s.close[n - 1]!, pc = s.close[n - 2]!;
  const strongBull = c > o && (p.body_ratio <= 0 || (h - l > 0 && (c - o) / (h - l) >= p.body_ratio));
  const strongBear = c < o && (p.body_ratio <= 0 || (h - l > 0 && (o - c) / (h - l) >= p.body_ratio));
  if (c > rh && pc <= rh && (p.body_ratio <= 0 || strongBull)) return "buy";
  if (c < rl && pc >= rl && p.allow_shorts && (p.body_ratio <= 0 || strongBear)) return "sell";
  if (p.enable_reversals) {
    const zone = 0.1 * size;
    if (l <= rl + zone && strongBull && pc > rl) return "buy";
    if (p.allow_shorts && h >= rh - zone && strongBear && pc < rh) return "sell";
  }
  return undefined;
}

export function referenceRangeBreakout(p: RangeBreakoutParams, s: CandleSeries): "buy" | "sell" | undefined {
  const n = s.length;
  if (n < Math.max(p.lookback, p.trend_ema) + p.atr_period + 2) return undefined;
  const a = atr(s.high, s.low, s.close, p.atr_period);
  const expanding = n < 2 * p.atr_period || n < 5 || nz(at(a, n - 1)) > 0.9 * nz(at(a, n - 5));
  const volume = n <= 20 || s.volume[n - 1]! > 0.8 * at(previousVolumeAverage(s.volume, 20), n - 1);
  const trending = p.min_adx === 0 || n < 2 * p.adx_period || nz(at(adx(s.high, s.low, s.close, p.adx_period), n - 1)) >= p.min_adx;
  const c = s.close[n - 1]!, pc = s.close[n - 2]!;
  let bull = true;
  let bear = true;
  if (!(p.trend_ema === 0 || n < p.trend_ema + 1)) {
    const e0 = at(ema(s.close, p.trend_ema), n - 1);
    const e = Number.isNaN(e0) ? c : e0;
    bull = c > e;
    bear = c < e;
  }
  const rh = at(previousRangeHigh(s.high, p.lookback), n - 1);
  const rl = at(previousRangeLow(s.low, p.lookback), n - 1);
  if (c > rh && pc <= rh && expanding && volume && trending && bull) return "buy";
  if (p.allow_shorts && c < rl && pc >= rl && expanding && volume && trending && bear) return "sell";
  return undefined;
}

export function referenceGridRegime(p: RegimeGridParams, s: CandleSeries) {
  const n = s.length;
  if (n === 0) return undefined;
  const o = s.open[n - 1]!, c = s.close[n - 1]!;
  if (Math.abs(c - o) / o > p.high_volatility_candle_pct) return "high_volatility";
  const ax = at(adx(s.high, s.low, s.close, p.adx_period), n - 1);
  const es = at(ema(s.close, p.ema_short_period), n - 1);
  const el = at(ema(s.close, p.ema_long_period), n - 1);
  const r = at(rsi(s.close, p.rsi_period), n - 1);
  if ([ax, es, el, r].some(Number.isNaN)) return undefined;
  if (ax < p.adx_sideways_threshold && Math.abs(c - es) / es <= p.ema_band_pct) return "sideways";
  if (c < el && r < p.rsi_bear_threshold) return "bearish";
  if (c > el && p.rsi_bull_min <= r && r <= p.rsi_bull_max) return "bullish";
  return "high_volatility";
}
