// The README's examples, kept runnable.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { builtinRegistry, defineStrategy, param, NO_ORDERS, Orders, type Strategy, type StrategyContext } from "../src/index";
import { Timeframe } from "@tradeloom/types";
import { loadFixture } from "./helpers";

describe("README", () => {
  it("runs the quick_flip example", () => {
    const factory = builtinRegistry().create(
      "quick_flip",
      { name: "quick_flip", atr_period: 14, range_bars: 30, body_ratio: 0, min_range_pct: 0, stop_atr: 1, target_atr: 6 },
      { timeframe: Timeframe.parse("1d") },
    );
    const strategy = factory("BTCINR");
    const series = loadFixture("BTCINR_1d.csv");
    const window = { series, start: 0, end: 0 };
    const signals: number[] = [];
    for (let i = 0; i < series.length; i++) {
      window.start = Math.max(0, i - 299);
      window.end = i;
      const ctx: StrategyContext = {
        symbol: "BTCINR", time: series.time[i]!, window, timeframes: undefined, position: undefined,
        openOrders: [], cash: 100_000, equity: 100_000, peakEquity: 100_000,
      };
      strategy.onBar?.(ctx);
      const orders = strategy.generateOrders(ctx);
      if (orders !== NO_ORDERS) {
        expect(strategy.calculateStopLoss(window, series.close[i]!, orders[0]!.side)).toBeLessThan(series.close[i]!);
        signals.push(i);
      }
    }
    expect(signals.length).toBeGreaterThan(0);
  });

  it("registers the dip_buyer pack example", () => {
    const dipBuyer = defineStrategy({
      name: "dip_buyer",
      description: "Buys a close 3 % below the previous close",
      schema: z.object({ drop: param.fraction().default(0.03), stop_pct: param.fraction() }),
      create: (p): Strategy => ({
        name: "dip_buyer",
        generateOrders: ({ window: { series, end, start }, position }) => {
          if (end === start) return NO_ORDERS;
          if (position) return NO_ORDERS;
          return series.close[end]! < series.close[end - 1]! * (1 - p.drop) ? [Orders.marketBuy(1)] : NO_ORDERS;
        },
        calculateStopLoss: (_w, entry, side) => (side === "buy" ? entry * (1 - p.stop_pct) : entry * (1 + p.stop_pct)),
        calculateTakeProfit: (_w, entry, side) => (side === "buy" ? entry * 1.1 : entry * 0.9),
      }),
    });
    const registry = builtinRegistry().register(dipBuyer);
    expect(registry.names()).toContain("dip_buyer");
    expect(() => registry.create("dip_buyer", {}, { timeframe: Timeframe.parse("1d") })).toThrow(/strategy\.stop_pct is required/);
    expect(registry.create("dip_buyer", { stop_pct: 0.05 }, { timeframe: Timeframe.parse("1d") })("X").name).toBe("dip_buyer");
  });
});
