import { describe, expect, it } from "vitest";
import { decideUpdate, savedBaseline } from "./decision";
import type { RunMetrics } from "./ranking";
import type { RankedRun } from "./report";

const m = (sharpe: number): RunMetrics => ({ sharpe, sortino: 0, calmar: 0, totalReturn: 0, maxDrawdown: 0, winRate: 0, profitFactor: 0, expectancy: 0, trades: 3 });
const best = (sharpe: number): RankedRun => ({
  rank: 1,
  index: 0,
  symbols: ["BTCINR"],
  timeframe: "1d",
  params: {},
  metrics: m(sharpe),
  moments: { observations: 10, skewness: 0, kurtosis: 3 },
});

describe("better-than-baseline rule", () => {
  it("no eligible run never updates", () => {
    const d = decideUpdate(undefined, "sharpe", undefined);
    expect(d.update).toBe(false);
    expect(d.lines.join("\n")).toContain("No valid runs found");
  });

  it("a negative metric never updates; zero is not negative", () => {
    const d = decideUpdate(best(-0.5), "sharpe", { value: -2, source: "saved" });
    expect(d.update).toBe(false);
    expect(d.lines.join("\n")).toContain("Won't save a losing strategy");
    expect(decideUpdate(best(0), "sharpe", undefined).update).toBe(true);
  });

  it("updates only when better by more than 0.01", () => {
    expect(decideUpdate(best(1.02), "sharpe", { value: 1, source: "saved" }).update).toBe(true);
    const same = decideUpdate(best(1.005), "sharpe", { value: 1, source: "backtest" });
    expect(same.update).toBe(false);
    expect(same.lines.join("\n")).toContain("is already optimal");
    expect(decideUpdate(best(Number.NaN), "sharpe", undefined).update).toBe(false);
  });

  it("uses the saved entry only when it is comparable (same symbols, timeframe, range, holdout)", () => {
    const scope = { symbols: ["BTCINR"], timeframe: "1d", holdout: 0 };
    const cfg = (entry: object) => ({ grid: { _optimization: [{ sharpe_ratio: 9 }, entry] } });
    expect(savedBaseline(cfg({ sharpe_ratio: 1.5, symbols: ["BTCINR"], timeframe: "1d" }), "sharpe", scope)).toBe(1.5);
    expect(savedBaseline(cfg({ sharpe_ratio: 1.5, symbols: ["ETHINR"], timeframe: "1d" }), "sharpe", scope)).toBeUndefined();
    expect(savedBaseline(cfg({ sharpe_ratio: 1.5, symbols: ["BTCINR"] }), "sharpe", scope)).toBeUndefined();
    expect(savedBaseline(cfg({ sharpe_ratio: 1.5, symbols: ["BTCINR"], timeframe: "1d", start: "2024-01-01" }), "sharpe", scope)).toBeUndefined();
    expect(savedBaseline(cfg({ profit_factor: null, symbols: ["BTCINR"], timeframe: "1d" }), "profit_factor", scope)).toBeUndefined();
    expect(savedBaseline({}, "sharpe", scope)).toBeUndefined();
  });
});
