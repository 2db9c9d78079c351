import { describe, expect, it } from "vitest";
import { momentumScalper, MomentumScalperStrategy, type MomentumScalperParams } from "./momentum-scalper";
import { contextAt, loadFixture, positionOf, seriesOf, sliceOf, tradeOf, windowAt } from "../../test/helpers";
import { referenceMomentum } from "../../test/reference/others";

const shipped = {
  adx_period: 14, adx_threshold: 0, allow_short: false, atr_period: 14, cooldown_bars: 0, ema_fast: 13, ema_slow: 55, ema_trend: 50,
  exit_on_cross: true, macd_fast: 12, macd_signal: 9, macd_slow: 26, max_hold_bars: 30, name: "momentum_scalper", require_volume: false,
  stop_atr_multiple: 1.5, target_atr_multiple: 4, timeframe: "1d", trade_with_trend: false, trailing_activation: 0.5,
  trailing_atr_multiple: 1.0, use_macd: false, volume_period: 20, volume_threshold: 1.0,
};
const params: MomentumScalperParams = momentumScalper.parse(shipped);

describe("momentum_scalper parameters", () => {
  it("requires every field", () => {
    const { cooldown_bars: _, ...rest } = shipped;
    expect(() => momentumScalper.parse(rest)).toThrow(/strategy\.cooldown_bars is required/);
  });
  it("wants JSON booleans", () => expect(() => momentumScalper.parse({ ...shipped, use_macd: 1 })).toThrow(/strategy\.use_macd must be true or false/));
});

describe("momentum_scalper decisions", () => {
  const variants: Array<[string, MomentumScalperParams]> = [
    ["shipped", params],
    ["with MACD and ADX", { ...params, use_macd: true, adx_threshold: 20, ema_fast: 8, ema_slow: 21 }],
  ];
  for (const [label, p] of variants) {
    it(`match a full recomputation over every window (${label})`, () => {
      for (const file of ["BTCINR_1d.csv", "ETHINR_4h.csv"]) {
        const series = loadFixture(file);
        const s = new MomentumScalperStrategy(p);
        let entries = 0;
        for (let end = 0; end < series.length; end++) {
          const ref = referenceMomentum(p, sliceOf(windowAt(series, end)));
          const orders = s.generateOrders(contextAt(series, end));
          expect(orders.length > 0, `${file} entry at ${end}`).toBe(ref.enter);
          if (ref.enter) entries++;
          expect(s.momentum(windowAt(series, end))).toBe(ref.momentum);
          const held = s.generateOrders(contextAt(series, end, { position: positionOf("buy", 1, 1) }));
          expect(held.length > 0, `${file} exit at ${end}`).toBe(ref.warm && (ref.crossDown || ref.bearish || p.max_hold_bars === 0));
        }
        expect(entries).toBeGreaterThan(0);
      }
    });
  }
  it("scores entries by momentum (0.8 without MACD)", () => {
    const series = loadFixture("BTCINR_1d.csv");
    expect(new MomentumScalperStrategy(params).getRegimeScore(windowAt(series, 400))).toBe(0.8);
    const withMacd = new MomentumScalperStrategy({ ...params, use_macd: true });
    const scores = new Set<number>();
    for (let end = 60; end < 600; end++) scores.add(withMacd.getRegimeScore(windowAt(series, end)));
    expect([...scores].sort()).toEqual([0.5, 0.6, 1.1, 1.3]);
  });
});

describe("momentum_scalper state", () => {
  // Rising closes: the fast EMA stays above the slow one, so the flat strategy always wants to enter.
  const close = Array.from({ length: 40 }, (_, i) => 100 + i);
  const series = seriesOf({ close, high: close.map((c) => c + 1), low: close.map((c) => c - 1) });
  const p: MomentumScalperParams = { ...params, ema_fast: 2, ema_slow: 4, ema_trend: 0, macd_fast: 2, macd_slow: 3, macd_signal: 2, adx_period: 2, max_hold_bars: 3, cooldown_bars: 3 };
  const step = (s: MomentumScalperStrategy, end: number, held: boolean) => {
    const ctx = contextAt(series, end, held ? { position: positionOf("buy", 1, close[end]!) } : {});
    s.onBar(ctx);
    return s.generateOrders(ctx);
  };

  it("enters on alignment and exits after max_hold_bars", () => {
    const s = new MomentumScalperStrategy(p);
    expect(step(s, 20, false)).toHaveLength(1);
    expect(step(s, 21, true)).toHaveLength(0);
    expect(step(s, 22, true)).toHaveLength(0);
    expect(step(s, 23, true)).toEqual([expect.objectContaining({ side: "sell", reduceOnly: true })]);
    expect(s.heldBars).toBe(3);
  });
  it("blocks cooldown_bars − 1 bars after a closed trade (Q13)", () => {
    const s = new MomentumScalperStrategy(p);
    step(s, 20, false);
    s.onTradeClosed(tradeOf());
    expect(s.heldBars).toBe(0);
    expect(step(s, 21, false)).toHaveLength(0);
    expect(step(s, 22, false)).toHaveLength(0);
    expect(step(s, 23, false)).toHaveLength(1);
  });
  it("ignores partial closes", () => {
    const s = new MomentumScalperStrategy(p);
    step(s, 20, false);
    s.onTradeClosed(tradeOf(false));
    expect(s.cooldownRemaining).toBe(0);
  });
  it("exits when the fast EMA crosses back below the slow one", () => {
    const down = [...close.slice(0, 30), 120, 110, 100];
    const ser = seriesOf({ close: down, high: down.map((c) => c + 1), low: down.map((c) => c - 1) });
    const s = new MomentumScalperStrategy({ ...p, max_hold_bars: 100 });
    expect(s.generateOrders(contextAt(ser, 32, { position: positionOf("buy", 2, 100) }))).toEqual([expect.objectContaining({ side: "sell", quantity: 2 })]);
  });
  it("sets stop, target and a long-formula trail from the ATR", () => {
    const s = new MomentumScalperStrategy(p);
    const w = windowAt(series, 30);
    const a = 2; // every true range is 2 (high − low = 2, closes step by 1)
    expect(s.calculateStopLoss(w, 130, "buy")).toBeCloseTo(130 - 1.5 * a, 12);
    expect(s.calculateTakeProfit(w, 130, "sell")).toBeCloseTo(130 - 4 * a, 12);
    expect(s.updateTrailingStop(positionOf("buy", 1, 130), 130.5, w)).toBeUndefined();
    expect(s.updateTrailingStop(positionOf("buy", 1, 130), 131, w)).toBeCloseTo(131 - a, 12);
    expect(s.updateTrailingStop(positionOf("sell", 1, 130), 131, w)).toBeCloseTo(131 - a, 12);
    expect(s.calculateStopLoss(windowAt(series, 0), 100, "buy")).toBeCloseTo(100 - 1.5 * 1, 12);
  });
});
