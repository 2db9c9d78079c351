import { describe, expect, it } from "vitest";
import { quickFlip, QuickFlipStrategy, type QuickFlipParams } from "./quick-flip";
import { strongCandle } from "./candle-body";
import { contextAt, loadFixture, positionOf, seriesOf, sliceOf, tradeOf, windowAt } from "../../test/helpers";
import { referenceQuickFlip } from "../../test/reference/others";

const params: QuickFlipParams = quickFlip.parse({
  allow_shorts: false, atr_period: 14, body_ratio: 0, cooldown: 3, enable_reversals: false, min_range_pct: 0.0, name: "quick_flip",
  range_bars: 30, stop_atr: 1, target_atr: 6, timeframe: "1d",
});

describe("quick_flip parameters", () => {
  it("applies the JSON defaults", () => {
    expect(quickFlip.parse({ atr_period: 14, range_bars: 10 })).toEqual({
      atr_period: 14, range_bars: 10, stop_atr: 1.5, target_atr: 3, min_range_pct: 0.5, cooldown: 3, enable_reversals: false, body_ratio: 0.6, allow_shorts: false,
    });
  });
  it("requires atr_period and range_bars", () => expect(() => quickFlip.parse({ atr_period: 14 })).toThrow(/strategy\.range_bars is required/));
});

describe("quick_flip decisions", () => {
  const variants: Array<[string, QuickFlipParams]> = [
    ["shipped", params],
    ["defaults with reversals and shorts", { ...quickFlip.parse({ atr_period: 14, range_bars: 10 }), enable_reversals: true, allow_shorts: true, body_ratio: 0.3 }],
  ];
  for (const [label, p] of variants) {
    it(`match a full recomputation over every window (${label})`, () => {
      for (const file of ["BTCINR_1d.csv", "ETHINR_4h.csv"]) {
        const series = loadFixture(file);
        const s = new QuickFlipStrategy(p);
        for (let end = 0; end < series.length; end++) {
          const ref = referenceQuickFlip(p, sliceOf(windowAt(series, end)));
          const orders = s.generateOrders(contextAt(series, end));
          expect(orders[0]?.side, `${file} at ${end}`).toBe(ref);
        }
      }
    });
  }
});

describe("quick_flip rules", () => {
  it("tests candle bodies", () => {
    expect(strongCandle(1, 10, 12, 9, 11.5, 0.5)).toBe(true);
    expect(strongCandle(1, 10, 12, 9, 11, 0.5)).toBe(false);
    expect(strongCandle(1, 10, 10, 10, 10, 0)).toBe(false);
    expect(strongCandle(-1, 11, 11, 11, 10, 0)).toBe(true);
    expect(strongCandle(-1, 11, 11, 11, 10.5, 0.1)).toBe(false);
  });

  const close = [...Array.from({ length: 25 }, (_, i) => 100 + (i % 3)), 105, 106];
  const series = seriesOf({ close, open: close.map((c, i) => (i >= 25 ? c - 2 : c)), high: close.map((c) => c + 1), low: close.map((c) => c - 1) });
  const p: QuickFlipParams = { ...params, atr_period: 3, range_bars: 5, min_range_pct: 0 };

  it("enters on a close above the previous range high", () => {
    expect(new QuickFlipStrategy(p).generateOrders(contextAt(series, 25))).toEqual([expect.objectContaining({ side: "buy", type: "market", quantity: 1 })]);
    // The next bar's previous close is already above the range: no new entry.
    expect(new QuickFlipStrategy(p).generateOrders(contextAt(series, 26))).toHaveLength(0);
  });
  it("does nothing in a position or during the cooldown (N − 1 bars blocked)", () => {
    const s = new QuickFlipStrategy(p);
    expect(s.generateOrders(contextAt(series, 25, { position: positionOf("buy", 1, 100) }))).toHaveLength(0);
    s.onTradeClosed(tradeOf());
    s.onBar();
    expect(s.generateOrders(contextAt(series, 25))).toHaveLength(0);
    s.onBar();
    expect(s.generateOrders(contextAt(series, 25))).toHaveLength(0);
    s.onBar();
    expect(s.generateOrders(contextAt(series, 25))).toHaveLength(1);
  });
  it("sets levels from the ATR and trails one ATR, never below the entry", () => {
    const s = new QuickFlipStrategy(p);
    const w = windowAt(series, 20);
    const a = s.calculateTakeProfit(w, 0, "buy") / 6;
    expect(s.calculateStopLoss(w, 100, "buy")).toBeCloseTo(100 - a, 12);
    expect(s.calculateStopLoss(w, 100, "sell")).toBeCloseTo(100 + a, 12);
    expect(s.updateTrailingStop(positionOf("buy", 1, 100), 100 + a / 2, w)).toBeUndefined();
    expect(s.updateTrailingStop(positionOf("buy", 1, 100), 100 + a, w)).toBe(100);
    expect(s.updateTrailingStop(positionOf("buy", 1, 100), 100 + 3 * a, w)).toBeCloseTo(100 + 2 * a, 12);
    expect(s.updateTrailingStop(positionOf("sell", 1, 100), 100 - 3 * a, w)).toBeCloseTo(100 - 2 * a, 12);
  });
  it("falls back to 2 % of the last close without an ATR", () => {
    expect(new QuickFlipStrategy(p).calculateStopLoss(windowAt(series, 1), 100, "buy")).toBeCloseTo(100 - close[1]! * 0.02, 12);
  });
});
