import { describe, expect, it } from "vitest";
import { Money } from "@tradeloom/types";
import { Orders } from "@tradeloom/oms";
import { memorySource } from "./candle-source";
import { runBacktest } from "./run-backtest";
import { DAY, T0, daily, scripted, testConfig } from "../test/helpers";

const flat = (n: number, p = 100) => Array.from({ length: n }, () => [p, p + 1, p - 1, p] as const);

describe("bar loop: the worked example (engine.md §14) with Tradeloom's fixes", () => {
  it("enters at the close with slippage, sizes by risk, includes the fill in the bar's equity, exits at the target", async () => {
    // bar 0..1 flat at 100; bar 1 buy; bar 2 quiet; bar 3 O=110 H=121 L=108 C=115 → target 120.1 hit
    const rows = [...flat(2), [100, 101, 99, 100] as const, [110, 121, 108, 115] as const, [115, 116, 114, 115] as const];
    const strat = scripted({ orders: { 1: [Orders.marketBuy(1)] }, stopDist: 10, targetDist: 20 });
    const r = await runBacktest({ config: testConfig(), strategy: () => strat, data: memorySource({ X_1d: daily(rows) }) });
    expect(r.trades).toHaveLength(1);
    const t = r.trades[0]!;
    expect(t.entryPrice.toString()).toBe("100.1");
    expect(t.quantity.toString()).toBe("200"); // 15 000 risk / 10 = 1 500, capped at 20 % of 100 000 / close 100
    // stop/target are set from the fill: target 120.1 → fills at max(open 110, 120.1) × 0.999
    expect(t.exitPrice.toNumber()).toBeCloseTo(120.1 * 0.999, 9);
    expect(t.exitReason).toBe("target");
    // entry bar equity includes the fee already paid
    expect(r.equity.value[1]).toBeCloseTo(100_000 - 20.02 - 200 * 0.1, 6);
    // The strategy is not asked for orders on the bar its position was closed.
    expect(strat.calls).not.toContain(3);
    // Final equity = initial + Σ net
    const net = r.trades.reduce((s, x) => s.plus(x.netPnl), Money.ZERO);
    expect(r.metrics.finalEquity).toBeCloseTo(100_000 + net.toNumber(), 6);
  });
});
