import type { CandleSeries } from "@tradeloom/types";
import { adx, atr, ema, previousRangeHigh } from "../../src/indicators/index";
import type { VolatilityRegimeParams } from "../../src/builtin/volatility-regime";

const last = (a: Float64Array, n: number) => (a.length === n && n > 0 ? a[n - 1]! : NaN);
const nz = (x: number) => (Number.isNaN(x) ? 0 : x);

/** A literal port of strategies.md §3 recomputing every indicator over the window slice: the test oracle. */
export function referenceVolatilityRegime(p: VolatilityRegimeParams, s: CandleSeries) {
  const n = s.length;
  const a = atr(s.high, s.low, s.close, p.atr_period);
  const cur = last(a, n);
  const regime = (() => {
    if (n < p.volatility_lookback || Number.isNaN(cur)) return undefined;
    const vals = [...a.subarray(n - p.volatility_lookback)].filter((x) => !Number.isNaN(x));
    if (vals.length === 0) return undefined;
    const mean = vals.reduce((x, y) => x + y, 0) / vals.length;
    if (mean === 0) return "normal";
    const r = cur / mean;
    return r >= p.extreme_threshold ? "extreme" : r >= p.expansion_threshold ? "expansion" : r <= p.compression_threshold ? "compression" : "normal";
  })();
  const fast = last(ema(s.close, p.ema_fast), n);
  const slow = last(ema(s.close, p.ema_slow), n);
  const trend = nz(fast) > nz(slow) && nz(last(adx(s.high, s.low, s.close, p.adx_period), n)) > p.adx_threshold;
  const breakout = (() => {
    if (n < p.volatility_lookback + 1) return false;
    const level = last(previousRangeHigh(s.high, p.volatility_lookback), n) - p.breakout_atr_multiple * nz(cur);
    return s.close[n - 1]! > level && s.close[n - 2]! <= level;
  })();
  const warmup = Math.max(p.atr_period + 2 * p.adx_period, p.atr_period + p.volatility_lookback, p.ema_slow);
  const calm = regime === "compression" || regime === "normal";
  const closeNow = s.close[n - 1]!;
  return {
    regime,
    score: calm ? (trend ? 1 : 0.5) : 0,
    enter: n >= warmup && calm && trend && breakout,
    exit: (avgEntry: number) => n >= warmup && (regime === "extreme" || (closeNow >= avgEntry && !Number.isNaN(slow) && closeNow < slow)),
    atr: Number.isNaN(cur) ? undefined : cur,
  };
}
