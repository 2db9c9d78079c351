// Throughput of the streaming indicators and the built-in strategies: `npx vitest bench --run` in this package.
// One benchmark op is a pass over BARS synthetic bars, so ns per bar = 1e9 / (hz × BARS).
import { bench, describe } from "vitest";
import { CandleSeries, Timeframe } from "@tradeloom/types";
import { WindowAdx, WindowAtr, WindowDirectional, WindowEma, WindowMacd, WindowRsi, atr, ema } from "../src/indicators/index";
import { builtinRegistry } from "../src/builtin/registry";
import type { BarWindow, StrategyContext } from "../src/strategy";

const BARS = 100_000;
const WINDOW = 300;

function randomWalk(n: number): CandleSeries {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  let price = 100;
  const candles = [];
  for (let i = 0; i < n; i++) {
    const open = price;
    const close = open * (1 + (rnd() - 0.5) * 0.04);
    candles.push({ time: i * 3_600_000, open, high: Math.max(open, close) * (1 + rnd() * 0.01), low: Math.min(open, close) * (1 - rnd() * 0.01), close, volume: 1 + rnd() * 100 });
    price = close;
  }
  return CandleSeries.fromCandles(candles);
}

const series = randomWalk(BARS);
const { high, low, close } = series;
let sink = 0;

describe("streaming indicators: push + value at the window's last bar", () => {
  bench("WindowEma(21)", () => {
    const e = new WindowEma(21);
    e.reset(0);
    for (let i = 0; i < BARS; i++) {
      e.push(close[i]!);
      sink += e.at(Math.max(0, i - WINDOW + 1), i);
    }
  });
  bench("WindowAtr(14)", () => {
    const a = new WindowAtr(14);
    a.reset(0);
    for (let i = 0; i < BARS; i++) {
      a.push(high[i]!, low[i]!, close[i]!);
      sink += a.at(Math.max(0, i - WINDOW + 1), i);
    }
  });
  bench("WindowRsi(14)", () => {
    const r = new WindowRsi(14);
    r.reset(0);
    for (let i = 0; i < BARS; i++) {
      r.push(close[i]!);
      sink += r.at(Math.max(0, i - WINDOW + 1), i);
    }
  });
  bench("WindowMacd(12,26,9) histogram", () => {
    const m = new WindowMacd(12, 26, 9);
    m.reset(0);
    for (let i = 0; i < BARS; i++) {
      m.push(close[i]!);
      sink += m.histogramAt(Math.max(0, i - WINDOW + 1), i);
    }
  });
  bench("WindowDirectional(14) push + DI", () => {
    const d = new WindowDirectional(14);
    d.reset(0);
    for (let i = 0; i < BARS; i++) {
      d.push(high[i]!, low[i]!, close[i]!);
      sink += d.plusDiAt(Math.max(0, i - WINDOW + 1), i);
    }
  });
  bench("WindowAdx(14) push + compareAt(25) every bar (bounded reference chain)", () => {
    const d = new WindowAdx(14);
    d.reset(0);
    for (let i = 0; i < BARS; i++) {
      d.push(high[i]!, low[i]!, close[i]!);
      sink += d.compareAt(Math.max(0, i - WINDOW + 1), i, 25) || 0;
    }
  });
  bench("WindowAdx(14) push + ADX every bar (lazy recompute)", () => {
    const d = new WindowAdx(14);
    d.reset(0);
    for (let i = 0; i < BARS; i++) {
      d.push(high[i]!, low[i]!, close[i]!);
      sink += d.adxAt(Math.max(0, i - WINDOW + 1), i);
    }
  });
});

describe("reference: batch recomputation over the 300-bar window on every bar", () => {
  const STEP = 100; // a sample of bars, scaled back to BARS in the reported time
  bench(`ema(21) + atr(14) batch, every ${STEP}th bar`, () => {
    for (let i = 0; i < BARS; i += STEP) {
      const s = Math.max(0, i - WINDOW + 1);
      sink += ema(close.subarray(s, i + 1), 21)[i - s]! + atr(high.subarray(s, i + 1), low.subarray(s, i + 1), close.subarray(s, i + 1), 14)[i - s]!;
    }
  });
});

describe("built-in strategies: generateOrders on every bar while flat", () => {
  const registry = builtinRegistry();
  const timeframe = Timeframe.parse("1h");
  const configs: Record<string, object> = {
    volatility_regime: { atr_period: 14, volatility_lookback: 20, compression_threshold: 0.6, expansion_threshold: 1.5, extreme_threshold: 2.5, ema_fast: 8, ema_slow: 21, adx_period: 14, adx_threshold: 20, breakout_atr_multiple: 1.5, stop_atr_multiple: 3, target_atr_multiple: 6, trailing_activation: 0.5, trailing_atr_multiple: 1.5 },
    momentum_scalper: { adx_period: 14, adx_threshold: 0, allow_short: false, atr_period: 14, cooldown_bars: 0, ema_fast: 13, ema_slow: 55, ema_trend: 50, exit_on_cross: true, macd_fast: 12, macd_signal: 9, macd_slow: 26, max_hold_bars: 30, require_volume: false, stop_atr_multiple: 1.5, target_atr_multiple: 4, trade_with_trend: false, trailing_activation: 0.5, trailing_atr_multiple: 1.0, use_macd: false, volume_period: 20, volume_threshold: 1.0 },
    quick_flip: { atr_period: 14, range_bars: 30, body_ratio: 0, min_range_pct: 0, stop_atr: 1, target_atr: 6 },
    range_breakout: { adx_period: 14, atr_period: 14, cooldown: 3, lookback: 30, min_adx: 0, stop_atr: 2, target_atr: 5, trailing_atr: 1.5, trend_ema: 0 },
    regime_grid: { adx_period: 14, adx_sideways_threshold: 30, atr_period_1h: 14, bull_grid_spacing_pct: 0.01, bull_max_grids: 5, bull_sell_target_pct: 0.025, cancel_threshold_pct: 0.12, ema_band_pct: 0.05, ema_long_period: 200, ema_short_period: 50, grid_spacing_pct: 0.025, high_volatility_candle_pct: 0.05, max_capital_usage_pct: 0.2, max_drawdown_pct: 0.1, max_grids: 7, rsi_bear_threshold: 30, rsi_bull_max: 70, rsi_bull_min: 45, rsi_period: 14, sell_target_pct: 0.03, stop_atr_multiple: 2, trailing_activation_pct: 0.025, trailing_atr_multiple: 1.0, volatility_kill_threshold: 0.25, volatility_pause_hours: 12 },
  };
  for (const name of registry.names()) {
    bench(name, () => {
      const strategy = registry.create(name, configs[name], { timeframe })("BENCH");
      // A synthetic history is all final, as the backtester says of its windows: the indicators may feed ahead.
      const window = { series, start: 0, end: 0, final: BARS - 1 };
      const ctx = { symbol: "BENCH", time: 0, window: window as BarWindow, timeframes: undefined, position: undefined, openOrders: [], cash: 1e5, equity: 1e5, peakEquity: 1e5 };
      for (let i = 0; i < BARS; i++) {
        window.start = Math.max(0, i - WINDOW + 1);
        window.end = i;
        ctx.time = series.time[i]!;
        strategy.onBar?.(ctx as StrategyContext);
        sink += strategy.generateOrders(ctx as StrategyContext).length;
      }
    });
  }
});

export { sink };
