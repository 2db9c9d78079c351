import type { Metrics } from "@tradeloom/backtester";
import type { RunMetrics } from "./ranking";

/** The optimizer's subset of a backtest's metrics. */
export function toRunMetrics(m: Metrics): RunMetrics {
  return {
    sharpe: m.sharpeRatio,
    sortino: m.sortinoRatio,
    calmar: m.calmarRatio,
    totalReturn: m.totalReturn,
    maxDrawdown: m.maxDrawdown,
    winRate: m.winRate,
    profitFactor: m.profitFactor,
    expectancy: m.expectancy,
    trades: m.totalTrades,
  };
}
