import { describe, expect, it } from "vitest";
import { Money } from "@tradeloom/types";
import type { Trade } from "@tradeloom/oms";
import { computeMetrics, roundHalfAway } from "./metrics";
import { monthlyPnl } from "./monthly";

const DAY = 86_400_000;
const trade = (net: number, exitTime = 0): Trade => ({
  symbol: "X",
  side: "buy",
  entryTime: 0,
  exitTime,
  entryPrice: Money.of(1),
  exitPrice: Money.of(1),
  quantity: Money.of(1),
  grossPnl: Money.of(net),
  fees: Money.ZERO,
  netPnl: Money.of(net),
  exitReason: "signal",
  closesPosition: true,
});
const base = {
  initialCapital: 1000,
  barsPerYear: 365,
  feesPaid: 3,
  sellNotional: 5000,
  taxRate: 0.3,
  tdsRate: 0.01,
  lossOffsetAllowed: false,
};

describe("computeMetrics", () => {
  const equity = new Float64Array([1000, 1100, 990, 1210]);
  const time = new Float64Array([0, DAY, 2 * DAY, 3 * DAY]);

  it("computes return, drawdown, trade statistics and expectancy; zero counts as a loss", () => {
    const m = computeMetrics({ ...base, equity, equityTime: time, trades: [trade(300), trade(-100), trade(0)] });
    expect(m.totalReturn).toBeCloseTo(21, 9);
    expect(m.maxDrawdown).toBeCloseTo(10, 9); // 1100 → 990
    expect(m.winningTrades).toBe(1);
    expect(m.losingTrades).toBe(2);
    expect(m.winRate).toBeCloseTo(100 / 3, 9);
    expect(m.profitFactor).toBeCloseTo(3, 9);
    expect(m.avgLoss).toBeCloseTo(50, 9);
    expect(m.expectancy).toBeCloseTo((1 / 3) * 300 - (2 / 3) * 50, 9);
    expect(m.largestLoss).toBe(-100);
    expect(m.totalCommission).toBe(3);
    expect(m.tdsAmount).toBeCloseTo(50, 9);
  });

  it("annualises the Sharpe ratio with the timeframe's bars per year and the sample deviation", () => {
    const r = [0.1, -0.1, 2 / 9];
    const mean = r.reduce((a, b) => a + b) / 3;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / 2);
    const daily = computeMetrics({ ...base, equity, equityTime: time, trades: [trade(1)] });
    expect(daily.sharpeRatio).toBeCloseTo(((mean - 0.05 / 365) / sd) * Math.sqrt(365), 9);
    const hourly = computeMetrics({ ...base, barsPerYear: 8760, equity, equityTime: time, trades: [trade(1)] });
    expect(hourly.sharpeRatio).toBeCloseTo(((mean - 0.05 / 8760) / sd) * Math.sqrt(8760), 9);
  });

  it("Calmar uses whole days and the unrounded return", () => {
    const m = computeMetrics({ ...base, equity, equityTime: time, trades: [trade(1)] });
    expect(m.calmarRatio).toBeCloseTo((1.21 ** (365 / 3) - 1) / 0.1, 3);
  });

  it("profit factor is infinite with wins and no losses, zero without trades", () => {
    expect(computeMetrics({ ...base, equity, equityTime: time, trades: [trade(5)] }).profitFactor).toBe(Number.POSITIVE_INFINITY);
    expect(computeMetrics({ ...base, equity, equityTime: time, trades: [] }).profitFactor).toBe(0);
  });

  it("gives the same metrics from the trades' net P&L column as from the trades", () => {
    const nets = [300.25, -100.5, 0, 1e-9, -0.1, 42];
    const trades = nets.map((n) => trade(n));
    for (const lossOffsetAllowed of [false, true]) {
      const fromTrades = computeMetrics({ ...base, lossOffsetAllowed, equity, equityTime: time, trades });
      const fromColumn = computeMetrics({ ...base, lossOffsetAllowed, equity, equityTime: time, tradeNetPnl: new Float64Array(nets) });
      expect(fromColumn).toEqual(fromTrades);
      expect(fromColumn.totalTrades).toBe(6);
    }
  });

  it("taxes the sum of winners, or the net gain when losses may offset gains", () => {
    const trades = [trade(300), trade(-100)];
    expect(computeMetrics({ ...base, equity, equityTime: time, trades }).taxAmount).toBeCloseTo(90, 9);
    expect(computeMetrics({ ...base, lossOffsetAllowed: true, equity, equityTime: time, trades }).taxAmount).toBeCloseTo(60, 9);
    expect(computeMetrics({ ...base, lossOffsetAllowed: true, equity, equityTime: time, trades: [trade(-5)] }).taxAmount).toBe(0);
  });

  it("rounds half away from zero for display", () => {
    expect(roundHalfAway(-2.345, 2)).toBe(-2.35);
    expect(roundHalfAway(2.5, 0)).toBe(3);
    expect(roundHalfAway(-2.5, 0)).toBe(-3);
    expect(roundHalfAway(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("monthlyPnl", () => {
  it("groups by exit month (UTC), totals years and counts profitable months; zero is a losing month", () => {
    const jan = Date.UTC(2025, 0, 31, 23);
    const feb = Date.UTC(2025, 1, 1);
    const m = monthlyPnl([trade(10, jan), trade(-4, jan), trade(0, feb), trade(7, Date.UTC(2026, 2, 3))]);
    expect(m.months.map((x) => [x.year, x.month, x.netPnl, x.trades, x.winners])).toEqual([
      [2025, 1, 6, 2, 1],
      [2025, 2, 0, 1, 0],
      [2026, 3, 7, 1, 1],
    ]);
    expect(m.yearTotals).toEqual([
      { year: 2025, netPnl: 6 },
      { year: 2026, netPnl: 7 },
    ]);
    expect(m.profitableMonths).toBe(2);
    expect(m.losingMonths).toBe(1);
    expect(m.total).toBe(13);
  });
});
