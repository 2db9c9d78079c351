import { type CandleSource, type Config, runBacktest } from "@tradeloom/backtester";
import { builtinRegistry } from "@tradeloom/strategies";
import { Timeframe } from "@tradeloom/types";
import { HISTORY_FIELD, type ResultScope, scopeFields } from "./config-update";
import { Grid } from "./grid";
import type { JsonValue } from "./json";
import { planTasks } from "./plan";
import { metricValue, type SortMetric } from "./ranking";
import type { RankedRun } from "./report";
import { RunSpace } from "./run-space";
import { toRunMetrics } from "./run-metrics";

/**
 * A winner must beat the current config by more than this, in the metric's own unit (the reference's absolute
 * epsilon, kept so that CI outcomes match).
 */
export const IMPROVEMENT_EPSILON = 0.01;

/** The current config's score to beat, and where it came from. */
export interface Baseline {
  readonly value: number;
  readonly source: "saved" | "backtest";
}

/** Whether to rewrite the config, and the lines that say why (their key phrases are a CI contract). */
export interface UpdateDecision {
  readonly update: boolean;
  readonly outcome: "no-valid-runs" | "not-a-number" | "losing" | "better" | "already-optimal" | "no-baseline";
  readonly lines: readonly string[];
}

const f2 = (x: number) => x.toFixed(2);

/**
 * The "better than the saved result" rule (docs/optimizer.md):
 * no eligible run → no update (`No valid runs found`); a NaN metric → no update; a negative metric → no update
 * (`Won't save a losing strategy`); no baseline → update; else update iff best − baseline > 0.01
 * (`Config updated:` is printed by the caller), otherwise `is already optimal`.
 */
export function decideUpdate(best: RankedRun | undefined, sortBy: SortMetric, baseline: Baseline | undefined): UpdateDecision {
  if (!best) return { update: false, outcome: "no-valid-runs", lines: ["  ❌ No valid runs found! No run reached the minimum number of trades."] };
  const m = metricValue(best.metrics, sortBy);
  if (Number.isNaN(m)) return { update: false, outcome: "not-a-number", lines: [`  Skipping config update: best ${sortBy} is not a number`] };
  if (m < 0) {
    return {
      update: false,
      outcome: "losing",
      lines: [`  Skipping config update: best result has negative ${sortBy} (${f2(m)})`, "  Won't save a losing strategy configuration"],
    };
  }
  if (!baseline) return { update: true, outcome: "no-baseline", lines: ["  No baseline available, updating with best result"] };
  const from = baseline.source === "saved" ? "  Using saved optimization metrics for comparison" : "  No comparable saved result, backtested the current config as baseline";
  const b = baseline.value;
  if (m - b > IMPROVEMENT_EPSILON) return { update: true, outcome: "better", lines: [from, `  Best result (${f2(m)}) is better than current (${f2(b)}) by ${f2(m - b)}`] };
  return { update: false, outcome: "already-optimal", lines: [from, `  Current config (${f2(b)}) is already optimal (best found: ${f2(m)})`] };
}

/**
 * The metric saved by the latest `_optimization` history entry, if that entry is comparable: it stores this metric
 * and was measured on the same symbols, timeframe, date range and holdout (the reference compared against any saved
 * value, from whatever data it came).
 */
export function savedBaseline(rawConfig: unknown, sortBy: SortMetric, scope: ResultScope): number | undefined {
  const grid = (rawConfig as { grid?: { _optimization?: unknown } } | undefined)?.grid;
  const history = grid?._optimization;
  const last = Array.isArray(history) ? (history[history.length - 1] as Record<string, JsonValue> | undefined) : undefined;
  if (!last || typeof last !== "object") return undefined;
  const want = scopeFields(scope);
  for (const k of ["symbols", "timeframe", "start", "end", "holdout"]) {
    if (JSON.stringify(last[k]) !== JSON.stringify(want[k])) return undefined;
  }
  const v = last[HISTORY_FIELD[sortBy]];
  return typeof v === "number" ? v : undefined;
}

/** Options of {@link backtestBaseline}. */
export interface BaselineOptions {
  readonly config: Config;
  readonly data: CandleSource;
  readonly sortBy: SortMetric;
  readonly minTrades: number;
  readonly start?: number;
  readonly end?: number;
  /** With a holdout, the baseline is measured on the same in-sample window as the runs. */
  readonly holdout: number;
}

/**
 * Backtests the config as it stands (its own symbols and timeframe) on the window the runs were ranked on.
 * Undefined when it cannot run or trades fewer than `minTrades` times (no baseline).
 */
export async function backtestBaseline(o: BaselineOptions): Promise<number | undefined> {
  const tf = o.config.strategy.timeframe;
  try {
    const plan = await planTasks({
      space: new RunSpace(Grid.fromSection({}), [o.config.trading.symbols], [tf]),
      strategy: o.config.strategy as Record<string, JsonValue>,
      data: o.data,
      window: { start: o.start, end: o.end },
      holdout: o.holdout,
    });
    const task = plan.tasks[0];
    if (!task || task.skip !== undefined) return undefined;
    const factory = builtinRegistry().create(o.config.strategy.name, o.config.strategy, { timeframe: Timeframe.parse(tf) });
    const r = await runBacktest({ config: o.config, strategy: factory, data: o.data, start: task.inSample.start, end: task.inSample.end });
    if (r.metrics.totalTrades < o.minTrades) return undefined;
    return metricValue(toRunMetrics(r.metrics), o.sortBy);
  } catch {
    return undefined;
  }
}
