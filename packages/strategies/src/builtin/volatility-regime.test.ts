import { describe, expect, it } from "vitest";
import { ConfigError } from "@tradeloom/types";
import { volatilityRegime, VolatilityRegimeStrategy, volatilityRegimeParams, type VolatilityRegimeParams } from "./volatility-regime";
import { parseParams } from "../params";
import { contextAt, loadFixture, positionOf, seriesOf, sliceOf, windowAt } from "../../test/helpers";
import { referenceVolatilityRegime } from "../../test/reference/volatility-regime";

const shipped = {
  name: "volatility_regime",
  adx_period: 14,
  adx_threshold: 20,
  atr_period: 14,
  breakout_atr_multiple: 1.5,
  compression_threshold: 0.6,
  ema_fast: 8,
  ema_slow: 21,
  expansion_threshold: 1.5,
  extreme_threshold: 2.5,
  stop_atr_multiple: 3,
  target_atr_multiple: 6,
  timeframe: "1d",
  trailing_activation: 0.5,
  trailing_atr_multiple: 1.5,
  volatility_lookback: 20,
  _comment: "ignored",
};
const params: VolatilityRegimeParams = parseParams(volatilityRegimeParams, shipped);

describe("volatility_regime parameters", () => {
  it("reads the shipped config, ignoring unknown keys", () => {
    expect(params.atr_period).toBe(14);
    expect("name" in params).toBe(false);
  });
  it("requires every field", () => {
    const { atr_period: _, ...rest } = shipped;
    expect(() => volatilityRegime.parse(rest)).toThrow(ConfigError);
    try {
      volatilityRegime.parse(rest);
    } catch (e) {
      expect((e as ConfigError).context.path).toBe("strategy.atr_period");
      expect((e as ConfigError).message).toContain("is required");
    }
  });
  it("rejects a fractional period and a negative multiple", () => {
    expect(() => volatilityRegime.parse({ ...shipped, ema_fast: 8.5 })).toThrow(/strategy\.ema_fast must be an integer/);
    expect(() => volatilityRegime.parse({ ...shipped, stop_atr_multiple: -1 })).toThrow(/strategy\.stop_atr_multiple must be ≥ 0 \(got -1\)/);
    expect(() => volatilityRegime.parse({ ...shipped, adx_threshold: "20" })).toThrow(/must be a number/);
  });
});

describe("volatility_regime decisions", () => {
  for (const file of ["BTCINR_1d.csv", "ETHINR_4h.csv"]) {
    it(`match a full recomputation over every window of ${file}`, () => {
      const series = loadFixture(file);
      const s = new VolatilityRegimeStrategy(params);
      let entries = 0;
      for (let end = 0; end < series.length; end++) {
        const ref = referenceVolatilityRegime(params, sliceOf(windowAt(series, end)));
        const flat = s.generateOrders(contextAt(series, end));
        expect(flat.length > 0, `entry at ${end}`).toBe(ref.enter);
        if (ref.enter) entries++;
        const entry = series.close[Math.max(0, end - 5)]!;
        const held = s.generateOrders(contextAt(series, end, { position: positionOf("buy", 2, entry) }));
        expect(held.length > 0, `exit at ${end}`).toBe(ref.exit(entry));
        if (held.length > 0) expect(held[0]).toMatchObject({ side: "sell", type: "market", quantity: 2, reduceOnly: true });
        expect(s.regime(windowAt(series, end))).toBe(ref.regime);
        expect(s.getRegimeScore(windowAt(series, end))).toBe(ref.score);
      }
      expect(entries).toBeGreaterThan(0);
    });
  }

  it("scores an entry's own window 1 from the decision, and any other window (another series, same bars) afresh", () => {
    const a = loadFixture("BTCINR_1d.csv");
    const b = loadFixture("ETHINR_4h.csv");
    const s = new VolatilityRegimeStrategy(params);
    let checked = 0;
    for (let end = 0; end < Math.min(a.length, b.length); end++) {
      if (s.generateOrders(contextAt(a, end)).length === 0) continue;
      expect(s.getRegimeScore(windowAt(a, end))).toBe(1);
      const other = windowAt(b, end);
      expect(s.getRegimeScore(other), `other series at ${end}`).toBe(referenceVolatilityRegime(params, sliceOf(other)).score);
      checked++;
    }
    expect(checked).toBeGreaterThan(3);
  });

  it("gives the same answers when bars are skipped and older windows are asked about", () => {
    const series = loadFixture("BTCINR_1d.csv");
    const s = new VolatilityRegimeStrategy(params);
    for (let end = 0; end < series.length; end += 7) {
      const older = windowAt(series, Math.max(0, end - 40));
      const ref = referenceVolatilityRegime(params, sliceOf(older));
      s.generateOrders(contextAt(series, end));
      const fallback = 100 * 0.05;
      expect(s.calculateStopLoss(older, 100, "buy")).toBeCloseTo(100 - 3 * (ref.atr ?? fallback), 6);
    }
  });

  it("enters on a close crossing recent high − k·ATR in a calm uptrend", () => {
    const p = { ...params, atr_period: 3, volatility_lookback: 5, ema_fast: 2, ema_slow: 4, adx_period: 3, adx_threshold: 10, breakout_atr_multiple: 0.5 };
    // A steady climb, a dip to 19 (below 21.5 − 0.5·ATR ≈ 20.3), then a close back above the level.
    const close = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 19, 21.8];
    const series = seriesOf({ close, high: close.map((c) => c + 0.5), low: close.map((c) => c - 0.5) });
    const s = new VolatilityRegimeStrategy(p);
    const ref = referenceVolatilityRegime(p, series);
    expect(ref.enter).toBe(true);
    expect(s.generateOrders(contextAt(series, close.length - 1))).toEqual([expect.objectContaining({ side: "buy", type: "market", quantity: 1 })]);
    expect(s.getRegimeScore(windowAt(series, close.length - 1))).toBe(1);
    // One bar earlier the close was below the level: no entry.
    expect(s.generateOrders(contextAt(series, close.length - 2))).toHaveLength(0);
  });

  it("exits at or above break-even when the close drops below the slow EMA", () => {
    const close = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 19];
    const series = seriesOf({ close, high: close.map((c) => c + 0.5), low: close.map((c) => c - 0.5) });
    const s = new VolatilityRegimeStrategy({ ...params, atr_period: 3, volatility_lookback: 5, ema_fast: 2, ema_slow: 4, adx_period: 3 });
    expect(s.generateOrders(contextAt(series, 12, { position: positionOf("buy", 1.5, 18) }))).toEqual([
      expect.objectContaining({ side: "sell", quantity: 1.5, reduceOnly: true }),
    ]);
    // Below break-even the strategy holds and leaves the exit to the stop.
    expect(s.generateOrders(contextAt(series, 12, { position: positionOf("buy", 1.5, 19.5) }))).toHaveLength(0);
  });
});

describe("volatility_regime levels", () => {
  const close = [100, 102, 101, 103, 104];
  const series = seriesOf({ close, high: close.map((c) => c + 1), low: close.map((c) => c - 1) });
  const s = new VolatilityRegimeStrategy({ ...params, atr_period: 3 });
  const w = windowAt(series, 4);
  // TR = [2, 3, 2, 3, 2]; ATR(3) = 7/3, then (7/3·2 + 3)/3 = 23/9, then (23/9·2 + 2)/3 = 64/27.
  const a = 64 / 27;

  it("sets stop and target from the window's last ATR", () => {
    expect(s.calculateStopLoss(w, 104, "buy")).toBeCloseTo(104 - 3 * a, 12);
    expect(s.calculateTakeProfit(w, 104, "buy")).toBeCloseTo(104 + 6 * a, 12);
    expect(s.calculateStopLoss(w, 104, "sell")).toBeCloseTo(104 + 3 * a, 12);
    expect(s.calculateTakeProfit(w, 104, "sell")).toBeCloseTo(104 - 6 * a, 12);
  });
  it("falls back to 5 % of the entry without an ATR", () => {
    const short = windowAt(series, 1);
    expect(s.calculateStopLoss(short, 100, "buy")).toBe(100 - 3 * 5);
  });
  it("trails once half an ATR in profit, never below the initial stop distance", () => {
    expect(s.updateTrailingStop(positionOf("buy", 1, 104), 104 + 0.4 * a, w)).toBeUndefined();
    expect(s.updateTrailingStop(positionOf("buy", 1, 104), 104 + a, w)).toBeCloseTo(104 + a - 1.5 * a, 12);
    expect(s.updateTrailingStop(positionOf("sell", 1, 104), 104 - a, w)).toBeCloseTo(104 - a + 1.5 * a, 12);
  });
});

describe("volatility_regime regime classification", () => {
  const p = { ...params, atr_period: 2, volatility_lookback: 4 };
  const classify = (ranges: number[]) => {
    const close = ranges.map(() => 100);
    const series = seriesOf({ close, high: ranges.map((r) => 100 + r / 2), low: ranges.map((r) => 100 - r / 2) });
    return new VolatilityRegimeStrategy(p).regime(windowAt(series, ranges.length - 1));
  };
  it("is absent before the lookback is filled", () => expect(classify([1, 1, 1])).toBeUndefined());
  it("is normal for steady ranges", () => expect(classify([1, 1, 1, 1, 1, 1])).toBe("normal"));
  it("is extreme on a range spike", () => expect(classify([1, 1, 1, 1, 1, 20])).toBe("extreme"));
  it("is expansion on a moderate spike", () => expect(classify([1, 1, 1, 1, 1, 4])).toBe("expansion"));
  it("is compression when ranges collapse", () => expect(classify([4, 4, 4, 4, 4, 0.01, 0.01])).toBe("compression"));
  it("is normal when every ATR is 0", () => expect(classify([0, 0, 0, 0, 0])).toBe("normal"));
  it("scores 0 outside calm regimes", () => {
    const ranges = [1, 1, 1, 1, 1, 20];
    const series = seriesOf({ close: ranges.map(() => 100), high: ranges.map((r) => 100 + r / 2), low: ranges.map((r) => 100 - r / 2) });
    expect(new VolatilityRegimeStrategy(p).getRegimeScore(windowAt(series, 5))).toBe(0);
  });
});
