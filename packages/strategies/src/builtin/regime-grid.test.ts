import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { regimeGrid, RegimeGridStrategy, type RegimeGridParams } from "./regime-grid";
import type { OpenOrderView, StrategyContext } from "../strategy";
import { SortedLimits } from "../resting-limits";
import { contextAt, loadFixture, positionOf, seriesOf, sliceOf, windowAt } from "../../test/helpers";
import { referenceGridRegime } from "../../test/reference/others";

const shipped = {
  adx_period: 14, adx_sideways_threshold: 30, atr_period_1h: 14, bull_buy_distance_pct: 0.035, bull_grid_spacing_pct: 0.01, bull_max_grids: 5,
  bull_sell_target_pct: 0.025, buy_distance_after_sell_pct: 0.06, cancel_threshold_pct: 0.12, ema_band_pct: 0.05, ema_long_period: 200,
  ema_short_period: 50, grid_spacing_pct: 0.025, high_volatility_candle_pct: 0.05, max_capital_usage_pct: 0.2, max_drawdown_pct: 0.1,
  max_grids: 7, name: "regime_grid", rsi_bear_threshold: 30, rsi_bull_max: 70, rsi_bull_min: 45, rsi_period: 14, sell_target_pct: 0.03,
  stop_atr_multiple: 2, timeframe: "1d", trailing_activation_pct: 0.025, trailing_atr_multiple: 1.0, volatility_kill_threshold: 0.25,
  volatility_pause_hours: 12,
};
const params: RegimeGridParams = regimeGrid.parse(shipped);

/** Small periods so hand-made series are warm after a few bars. */
const small: RegimeGridParams = { ...params, ema_short_period: 3, ema_long_period: 5, adx_period: 2, rsi_period: 2, atr_period_1h: 2 };

const zigzag = Array.from({ length: 20 }, (_, i) => 100 + (i % 2));
const flatSeries = seriesOf({ close: zigzag, high: zigzag.map((c) => c + 0.5), low: zigzag.map((c) => c - 0.5) });
const rising = Array.from({ length: 20 }, (_, i) => 100 * 1.02 ** i);
const risingSeries = seriesOf({ close: rising, open: rising.map((c) => c / 1.02), high: rising.map((c) => c * 1.001), low: rising.map((c) => c / 1.021) });

const limit = (side: "buy" | "sell", price: number): OpenOrderView => ({
  id: 1, side, type: "limit", quantity: 1, limitPrice: price, stopPrice: undefined, clientId: undefined, reduceOnly: false,
});

describe("regime_grid parameters", () => {
  it("reads the shipped config, ignoring its two extra keys", () => {
    expect(params.max_grids).toBe(7);
    expect("bull_buy_distance_pct" in params).toBe(false);
  });
  it("rejects a fraction above 1", () => expect(() => regimeGrid.parse({ ...shipped, grid_spacing_pct: 2.5 })).toThrow(/strategy\.grid_spacing_pct must be ≤ 1/));
});

describe("regime_grid regime classification", () => {
  it("matches a full recomputation over every window of real data", () => {
    for (const file of ["BTCINR_1d.csv", "ETHINR_4h.csv"]) {
      const series = loadFixture(file);
      const s = new RegimeGridStrategy(params);
      const seen = new Set<string>();
      for (let end = 0; end < series.length; end++) {
        const want = referenceGridRegime(params, sliceOf(windowAt(series, end)));
        expect(s.regime(windowAt(series, end)), `${file} at ${end}`).toBe(want);
        seen.add(String(want));
      }
      expect(seen.size).toBeGreaterThanOrEqual(4);
    }
  });
  it("scores the decision's own window from the regime just worked out, and works out any other window afresh", () => {
    const a = loadFixture("BTCINR_1d.csv");
    const b = loadFixture("ETHINR_4h.csv");
    const s = new RegimeGridStrategy(params);
    let differ = 0;
    for (let end = 250; end < 500; end++) {
      const wants: (string | undefined)[] = [];
      // Both series at the same start and end, one after the other: only the series tells their windows apart.
      for (const series of [a, b]) {
        const w = windowAt(series, end);
        s.generateOrders(contextAt(series, end));
        const want = referenceGridRegime(params, sliceOf(w));
        wants.push(want);
        expect(s.getRegimeScore(w), `score at ${end}`).toBe(want === "sideways" ? 1.5 : want === "bullish" ? 1 : 0);
        expect(s.regime(w), `regime at ${end}`).toBe(want);
      }
      for (const series of [a, b]) {
        const older = windowAt(series, end - 7);
        expect(s.regime(older), `older window at ${end}`).toBe(referenceGridRegime(params, sliceOf(older)));
      }
      if (wants[0] !== wants[1]) differ++;
    }
    expect(differ).toBeGreaterThan(50);
  });
  it("calls a single wide candle high-volatility before any indicator is ready", () => {
    const s = seriesOf({ close: [100, 110], open: [100, 100], high: [100, 111], low: [100, 99] });
    expect(new RegimeGridStrategy(params).regime(windowAt(s, 1))).toBe("high_volatility");
    expect(new RegimeGridStrategy(params).regime(windowAt(s, 0))).toBeUndefined();
  });
  it("scores 1.5 sideways, 1 bullish, 0 otherwise", () => {
    const g = new RegimeGridStrategy({ ...small, adx_sideways_threshold: 100 });
    expect(g.regime(windowAt(flatSeries, 19))).toBe("sideways");
    expect(g.getRegimeScore(windowAt(flatSeries, 19))).toBe(1.5);
    const b = new RegimeGridStrategy({ ...small, ema_band_pct: 0, rsi_bull_min: 0, rsi_bull_max: 100 });
    expect(b.regime(windowAt(risingSeries, 19))).toBe("bullish");
    expect(b.getRegimeScore(windowAt(risingSeries, 19))).toBe(1);
  });
});

describe("regime_grid grids", () => {
  const sideways = { ...small, adx_sideways_threshold: 100, max_grids: 3, grid_spacing_pct: 0.02, max_capital_usage_pct: 0.2 };
  const close = zigzag[19]!;

  it("lays a sideways ladder of buys below the close, sized from the capital budget", () => {
    const orders = new RegimeGridStrategy(sideways).generateOrders(contextAt(flatSeries, 19, { equity: 100_000 }));
    const q = (100_000 * 0.2) / 6 / close;
    expect(orders.map((o) => [o.side, o.type, o.clientId, o.limitPrice])).toEqual([1, 2, 3].map((i) => ["buy", "limit", `grid_buy_${i}`, close - i * close * 0.02]));
    for (const o of orders) expect(o.quantity).toBeCloseTo(q, 9);
  });
  it("adds reduce-only sells above the close when holding", () => {
    const ctx = contextAt(flatSeries, 19, { equity: 100_000, position: positionOf("buy", 3, 100) });
    const sells = new RegimeGridStrategy(sideways).generateOrders(ctx).filter((o) => o.side === "sell");
    expect(sells.map((o) => [o.clientId, o.quantity, o.reduceOnly])).toEqual([1, 2, 3].map((i) => [`grid_sell_${i}`, 1, true]));
  });
  it("builds no entries the host says it would drop, and keeps adding to a held position", () => {
    const closed = contextAt(flatSeries, 19, { equity: 100_000, entriesOpen: false });
    expect(new RegimeGridStrategy(sideways).generateOrders(closed)).toEqual([]);
    const open = contextAt(flatSeries, 19, { equity: 100_000, entriesOpen: true });
    expect(new RegimeGridStrategy(sideways).generateOrders(open).map((o) => o.clientId)).toEqual(["grid_buy_1", "grid_buy_2", "grid_buy_3"]);
    const holding = contextAt(flatSeries, 19, { equity: 100_000, entriesOpen: false, position: positionOf("buy", 3, 100) });
    expect(new RegimeGridStrategy(sideways).generateOrders(holding).filter((o) => o.side === "buy")).toHaveLength(3);
  });
  it("skips levels near a resting order of the same side", () => {
    const ctx = contextAt(flatSeries, 19, { equity: 100_000, openOrders: [limit("buy", close - close * 0.02 + 0.1)] });
    expect(new RegimeGridStrategy(sideways).generateOrders(ctx).map((o) => o.clientId)).toEqual(["grid_buy_2", "grid_buy_3"]);
  });
  it("suppresses exactly the levels a per-level scan of the open orders finds duplicated, on both sides", () => {
    // Resting limits on and around the levels, just inside and just outside the tolerance, on both sides; ladders far
    // wider than a double's resolution and so narrow that every resting price is tested; the sorted limits the engine
    // hands over and the ones built from the views.
    const prices = [-4, -3.5, -3.21, -3.19, -3, -2.8, -2.2, -2, -1.81, -1.79, -1.2, -1, -0.5, 0.5, 0.8, 1, 1.19, 1.21, 2, 2.2, 3, 3.19, 3.21, 4];
    for (const pct of [0.02, 1e-9]) {
      const spacing = close * pct;
      const config = { ...sideways, grid_spacing_pct: pct };
      fc.assert(
        fc.property(fc.shuffledSubarray(prices.flatMap((k) => [limit("buy", close + k * spacing), limit("sell", close + k * spacing)])), fc.boolean(), (openOrders, given) => {
          let restingLimits: SortedLimits | undefined;
          if (given) {
            restingLimits = new SortedLimits();
            for (const o of openOrders) restingLimits.add(o.side, o.limitPrice!);
          }
          const ctx = contextAt(flatSeries, 19, { equity: 100_000, position: positionOf("buy", 3, 100), openOrders, restingLimits });
          const naive = (side: "buy" | "sell", level: number) =>
            openOrders.some((o) => o.side === side && o.limitPrice !== undefined && Math.abs(o.limitPrice - level) < 0.2 * spacing);
          const want = [
            ...[1, 2, 3].filter((i) => !naive("buy", close - i * spacing)).map((i) => `grid_buy_${i}`),
            ...[1, 2, 3].filter((i) => !naive("sell", close + i * spacing)).map((i) => `grid_sell_${i}`),
          ];
          expect(new RegimeGridStrategy(config).generateOrders(ctx).map((o) => o.clientId)).toEqual(want);
        }),
        { numRuns: 300 },
      );
    }
  });
  it("marks what a per-level scan marks on ten-level ladders, at spacings around the switch-over, with limits one ulp from the tolerance", () => {
    const bits = new Float64Array(1);
    const word = new BigInt64Array(bits.buffer);
    /** `x` moved by `ulps` doubles (towards +∞ for positive `ulps`, for the positive prices used here). */
    const nudge = (x: number, ulps: number): number => {
      bits[0] = x;
      word[0] = word[0]! + BigInt(ulps);
      return bits[0]!;
    };
    const levels = 10;
    for (const pct of [0.3, 0.02, 1e-5, 1.1e-6, 0.9e-6, 1e-9]) {
      const spacing = close * pct;
      const tolerance = 0.2 * spacing;
      const config = { ...sideways, max_grids: levels, grid_spacing_pct: pct };
      // Per level and side: on the level, at ± the tolerance and one ulp either side of it, and between levels.
      const around = (level: number) => [level, level + tolerance, level - tolerance, ...[-1, 1].flatMap((u) => [nudge(level + tolerance, u), nudge(level - tolerance, u)]), level + 0.5 * spacing];
      const candidates = Array.from({ length: levels + 1 }, (_, i) => i).flatMap((i) => [
        ...around(close - i * spacing).map((p) => limit("buy", p)),
        ...around(close + i * spacing).map((p) => limit("sell", p)),
      ]);
      fc.assert(
        fc.property(fc.subarray(candidates, { maxLength: 40 }), (openOrders) => {
          const restingLimits = new SortedLimits();
          for (const o of openOrders) restingLimits.add(o.side, o.limitPrice!);
          const ctx = contextAt(flatSeries, 19, { equity: 100_000, position: positionOf("buy", 3, 100), openOrders, restingLimits });
          const naive = (side: "buy" | "sell", level: number) => openOrders.some((o) => o.side === side && Math.abs(o.limitPrice! - level) < tolerance);
          const ids = Array.from({ length: levels }, (_, k) => k + 1);
          const want = [
            ...ids.filter((i) => close - i * spacing > 0 && !naive("buy", close - i * spacing)).map((i) => `grid_buy_${i}`),
            ...ids.filter((i) => !naive("sell", close + i * spacing)).map((i) => `grid_sell_${i}`),
          ];
          expect(new RegimeGridStrategy(config).generateOrders(ctx).map((o) => o.clientId)).toEqual(want);
        }),
        { numRuns: 300 },
      );
    }
  });
  it("switches to the sell-only ladder at full exposure", () => {
    const ctx = contextAt(flatSeries, 19, { equity: 100_000, position: positionOf("buy", 200, 100) });
    const orders = new RegimeGridStrategy(sideways).generateOrders(ctx);
    expect(orders.map((o) => [o.clientId, o.quantity])).toEqual([1, 2, 3].map((i) => [`max_exp_sell_${i}`, 200 / 3]));
  });
  it("lays a bull grid: bull_max_grids buys and ⌊n/2⌋ sells on their own spacings", () => {
    const bull = { ...small, ema_band_pct: 0, rsi_bull_min: 0, rsi_bull_max: 100, bull_max_grids: 5 };
    const c = rising[19]!;
    const orders = new RegimeGridStrategy(bull).generateOrders(contextAt(risingSeries, 19, { equity: 100_000, position: positionOf("buy", 0.5, 100) }));
    expect(orders.map((o) => o.clientId)).toEqual(["bull_grid_buy_1", "bull_grid_buy_2", "bull_grid_buy_3", "bull_grid_buy_4", "bull_grid_buy_5", "bull_grid_sell_1", "bull_grid_sell_2"]);
    expect(orders[5]!.limitPrice).toBeCloseTo(c * 1.025, 9);
    expect(orders[5]!.quantity).toBeCloseTo(0.25, 12);
  });
  it("liquidates in a bearish regime", () => {
    const falling = Array.from({ length: 20 }, (_, i) => 100 * 0.98 ** i);
    const s = seriesOf({ close: falling, open: falling.map((c) => c * 1.02), high: falling.map((c) => c * 1.021), low: falling.map((c) => c * 0.999) });
    const g = new RegimeGridStrategy({ ...small, rsi_bear_threshold: 100, ema_band_pct: 0 });
    expect(g.regime(windowAt(s, 19))).toBe("bearish");
    expect(g.generateOrders(contextAt(s, 19, { position: positionOf("buy", 2, 100) }))).toEqual([expect.objectContaining({ side: "sell", type: "market", quantity: 2, reduceOnly: true })]);
    expect(g.generateOrders(contextAt(s, 19, { position: positionOf("sell", 2, 100) }))).toEqual([expect.objectContaining({ side: "buy", quantity: 2, reduceOnly: true })]);
    expect(g.generateOrders(contextAt(s, 19))).toHaveLength(0);
  });
});

describe("regime_grid protections", () => {
  const sideways = { ...small, adx_sideways_threshold: 100 };
  const at = (end: number, extra: Partial<StrategyContext>): StrategyContext => ({ ...contextAt(flatSeries, end), ...extra });

  it("kill switch liquidates and pauses on bar time", () => {
    const g = new RegimeGridStrategy({ ...sideways, volatility_kill_threshold: 0.001, volatility_pause_hours: 12 });
    const t = flatSeries.time[19]!;
    expect(g.generateOrders(at(19, { time: t, position: positionOf("buy", 1, 100) }))).toEqual([expect.objectContaining({ side: "sell", reduceOnly: true })]);
    expect(g.pausedUntilTime).toBe(t + 12 * 3_600_000);
    expect(g.generateOrders(at(19, { time: t + 11 * 3_600_000, position: positionOf("buy", 1, 100) }))).toHaveLength(0);
    // Once the pause is over the switch fires again (the ATR is still above the threshold).
    expect(g.generateOrders(at(19, { time: t + 12 * 3_600_000, position: positionOf("buy", 1, 100) }))).toHaveLength(1);
  });
  it("drawdown breaker liquidates until equity is back to 95 % of the peak captured at the breach", () => {
    const g = new RegimeGridStrategy({ ...sideways, max_drawdown_pct: 0.1 });
    const held = positionOf("buy", 1, 100);
    expect(g.generateOrders(at(19, { equity: 89, peakEquity: 100, position: held }))).toEqual([expect.objectContaining({ side: "sell" })]);
    expect(g.drawdownBreach?.peak).toBe(100);
    expect(g.generateOrders(at(19, { equity: 94, peakEquity: 100, position: held }))).toEqual([expect.objectContaining({ side: "sell", type: "market" })]);
    expect(g.generateOrders(at(19, { equity: 96, peakEquity: 100 })).every((o) => o.type === "limit")).toBe(true);
    expect(g.drawdownBreach).toBeUndefined();
  });
  it("a drawdown exactly at the limit is not a breach", () => {
    const g = new RegimeGridStrategy({ ...sideways, max_drawdown_pct: 0.1 });
    g.generateOrders(at(19, { equity: 90, peakEquity: 100 }));
    expect(g.drawdownBreach).toBeUndefined();
  });
});

describe("regime_grid levels", () => {
  const w = windowAt(flatSeries, 19);
  const g = new RegimeGridStrategy(small);
  it("stops stop_atr_multiple ATR(adx_period) away and targets sell_target_pct", () => {
    const a = (100 - g.calculateStopLoss(w, 100, "buy")) / 2;
    expect(a).toBeGreaterThan(0);
    expect(g.calculateStopLoss(w, 100, "sell")).toBeCloseTo(100 + 2 * a, 12);
    expect(g.calculateTakeProfit(w, 100, "buy")).toBeCloseTo(103, 12);
    expect(g.calculateTakeProfit(w, 100, "sell")).toBeCloseTo(97, 12);
    expect(g.updateTrailingStop(positionOf("buy", 1, 100), 102, w)).toBeUndefined();
    expect(g.updateTrailingStop(positionOf("buy", 1, 100), 103, w)).toBeCloseTo(103 - a, 12);
    expect(g.updateTrailingStop(positionOf("sell", 1, 100), 97, w)).toBeCloseTo(97 + a, 12);
  });
  it("falls back to 2 % of the entry without an ATR", () => {
    expect(g.calculateStopLoss(windowAt(flatSeries, 0), 100, "buy")).toBeCloseTo(96, 12);
  });
});
