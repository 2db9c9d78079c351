import { describe, expect, it } from "vitest";
import { rangeBreakout, RangeBreakoutStrategy, type RangeBreakoutParams } from "./range-breakout";
import { contextAt, loadFixture, positionOf, seriesOf, sliceOf, tradeOf, windowAt } from "../../test/helpers";
import { referenceRangeBreakout } from "../../test/reference/others";

const params: RangeBreakoutParams = rangeBreakout.parse({
  adx_period: 14, atr_period: 14, cooldown: 3, lookback: 30, min_adx: 0, name: "range_breakout", stop_atr: 2, target_atr: 5,
  timeframe: "1d", trailing_atr: 1.5, trend_ema: 0, use_trailing: true,
});

describe("range_breakout parameters", () => {
  it("applies the JSON defaults", () => {
    const p = rangeBreakout.parse({ lookback: 30, atr_period: 14, stop_atr: 1.5, target_atr: 4, cooldown: 3 });
    expect(p).toMatchObject({ allow_shorts: false, trend_ema: 50, adx_period: 14, min_adx: 20, use_trailing: true, trailing_atr: 2 });
  });
  it("rejects a negative cooldown", () => expect(() => rangeBreakout.parse({ lookback: 30, atr_period: 14, stop_atr: 1.5, target_atr: 4, cooldown: -1 })).toThrow(/strategy\.cooldown/));
});

describe("range_breakout decisions", () => {
  const variants: Array<[string, RangeBreakoutParams]> = [
    ["shipped", params],
    ["all filters and shorts", { ...params, trend_ema: 50, min_adx: 20, allow_shorts: true, lookback: 20 }],
  ];
  for (const [label, p] of variants) {
    it(`match a full recomputation over every window (${label})`, () => {
      for (const file of ["BTCINR_1d.csv", "ETHINR_4h.csv"]) {
        const series = loadFixture(file);
        const s = new RangeBreakoutStrategy(p);
        let entries = 0;
        for (let end = 0; end < series.length; end++) {
          const ref = referenceRangeBreakout(p, sliceOf(windowAt(series, end)));
          expect(s.generateOrders(contextAt(series, end))[0]?.side, `${file} at ${end}`).toBe(ref);
          if (ref) entries++;
        }
        expect(entries).toBeGreaterThan(0);
      }
    });
  }
});

describe("range_breakout rules", () => {
  const close = Array.from({ length: 30 }, (_, i) => 100 + (i % 2));
  close.push(103);
  const series = seriesOf({ close, high: close.map((c) => c + 1), low: close.map((c) => c - 1), volume: close.map(() => 10) });
  const p: RangeBreakoutParams = { ...params, lookback: 5, atr_period: 3, trend_ema: 0, min_adx: 0 };

  it("enters on a breakout with confirming filters", () => {
    expect(new RangeBreakoutStrategy(p).generateOrders(contextAt(series, 30))).toEqual([expect.objectContaining({ side: "buy" })]);
  });
  it("needs volume above 0.8 × the 20-bar average", () => {
    const quiet = seriesOf({ close, high: close.map((c) => c + 1), low: close.map((c) => c - 1), volume: close.map((_, i) => (i === 30 ? 7 : 10)) });
    expect(new RangeBreakoutStrategy(p).generateOrders(contextAt(quiet, 30))).toHaveLength(0);
  });
  it("needs the close above the trend EMA", () => {
    const falling = [...Array.from({ length: 30 }, (_, i) => 200 - 3 * i + (i % 2)), 200 - 87 + 3];
    const s = seriesOf({ close: falling, high: falling.map((c) => c + 1), low: falling.map((c) => c - 1) });
    const withTrend = { ...p, trend_ema: 10, lookback: 2 };
    const ref = referenceRangeBreakout(withTrend, s);
    expect(new RangeBreakoutStrategy(withTrend).generateOrders(contextAt(s, 30))[0]?.side).toBe(ref);
    expect(ref).toBeUndefined();
  });
  it("blocks cooldown − 1 bars after a closed trade", () => {
    const s = new RangeBreakoutStrategy(p);
    s.onTradeClosed(tradeOf());
    s.onBar();
    s.onBar();
    expect(s.generateOrders(contextAt(series, 30))).toHaveLength(0);
    s.onBar();
    expect(s.generateOrders(contextAt(series, 30))).toHaveLength(1);
  });
  it("trails trailing_atr ATRs behind a profitable price while tighter than the entry stop", () => {
    const s = new RangeBreakoutStrategy(p);
    const w = windowAt(series, 29);
    const a = s.calculateTakeProfit(w, 0, "buy") / 5;
    expect(s.calculateStopLoss(w, 100, "buy")).toBeCloseTo(100 - 2 * a, 12);
    expect(s.updateTrailingStop(positionOf("buy", 1, 100), 100, w)).toBeUndefined();
    expect(s.updateTrailingStop(positionOf("buy", 1, 100), 101, w)).toBeCloseTo(101 - 1.5 * a, 12);
    expect(s.updateTrailingStop(positionOf("sell", 1, 100), 99, w)).toBeCloseTo(99 + 1.5 * a, 12);
    expect(new RangeBreakoutStrategy({ ...p, use_trailing: false }).updateTrailingStop(positionOf("buy", 1, 100), 110, w)).toBeUndefined();
  });
  it("stays out while in a position", () => {
    expect(new RangeBreakoutStrategy(p).generateOrders(contextAt(series, 30, { position: positionOf("buy", 1, 100) }))).toHaveLength(0);
  });
});
