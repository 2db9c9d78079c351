import { roundHalfAway } from "@tradeloom/backtester";
import type { Combination } from "./grid";
import type { JsonValue } from "./json";
import { member, parseRawJson, type RawNode, rawFromValue, setMember, stringifyRawJson, valueOf } from "./raw-json";
import type { RunMetrics, SortMetric } from "./ranking";
import type { OptimizeReport, RankedRun } from "./report";
import type { WalkForwardReport } from "./walk-forward";

/** The history field that stores each ranking metric (the reference's names where it had one). */
export const HISTORY_FIELD: Record<SortMetric, string> = {
  sharpe: "sharpe_ratio",
  calmar: "calmar_ratio",
  return: "total_return",
  win_rate: "win_rate",
  profit_factor: "profit_factor",
  sortino: "sortino_ratio",
  expectancy: "expectancy",
};

const pad = (n: number) => String(n).padStart(2, "0");

/** `YYYY-MM-DD HH:MM:SS` in UTC. */
export function formatTimestamp(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `YYYY-MM-DD` of a UTC ms time. */
export function formatDay(ms: number): string {
  return formatTimestamp(new Date(ms)).slice(0, 10);
}

/** Finite numbers rounded for the file; ±∞ and NaN (a profit factor without losses) stored as null. */
function rounded(x: number, dp: number): JsonValue {
  return Number.isFinite(x) ? roundHalfAway(x, dp) : null;
}

/** The headline metrics as stored in the history (percentages in percent). */
export function historyMetrics(m: RunMetrics): Record<string, JsonValue> {
  return {
    sharpe_ratio: rounded(m.sharpe, 2),
    sortino_ratio: rounded(m.sortino, 2),
    calmar_ratio: rounded(m.calmar, 2),
    total_return: rounded(m.totalReturn, 1),
    max_drawdown: rounded(m.maxDrawdown, 1),
    win_rate: rounded(m.winRate, 1),
    profit_factor: rounded(m.profitFactor, 2),
    expectancy: rounded(m.expectancy, 2),
    total_trades: m.trades,
  };
}

/**
 * The walk-forward summary as stored in the history: fold count and mode, the stitched out-of-sample return (total
 * and annualised, percent to 1 dp), the walk-forward efficiency (2 dp; null when undefined), trades, profitable
 * folds and how many distinct parameter sets the fold winners chose.
 */
export function walkForwardHistory(w: WalkForwardReport): Record<string, JsonValue> {
  const s = w.summary;
  return {
    folds: s.folds,
    mode: w.mode,
    total_return: rounded(s.totalReturn, 1),
    annualised_return: rounded(s.annualisedReturn, 1),
    efficiency: rounded(s.efficiency, 2),
    total_trades: s.trades,
    profitable_folds: s.profitableFolds,
    distinct_parameter_sets: s.stability.distinctSets,
  };
}

/** What the history records about the scope of a result, so a later run compares only like with like. */
export interface ResultScope {
  readonly symbols: readonly string[];
  readonly timeframe: string;
  /** Date filter (UTC ms), if any. */
  readonly start?: number | undefined;
  readonly end?: number | undefined;
  readonly holdout: number;
}

/** The scope of an entry as stored. */
export function scopeFields(s: ResultScope): Record<string, JsonValue> {
  return {
    symbols: [...s.symbols],
    timeframe: s.timeframe,
    ...(s.start !== undefined ? { start: formatDay(s.start) } : {}),
    ...(s.end !== undefined ? { end: formatDay(s.end) } : {}),
    ...(s.holdout > 0 ? { holdout: s.holdout } : {}),
  };
}

/** One `_optimization` history entry for the winner of `report`, dated by `now`. */
export function historyEntry(report: OptimizeReport, best: RankedRun, scope: ResultScope, now: Date): Record<string, JsonValue> {
  const dsr = report.deflatedSharpe;
  return {
    optimized_at: formatTimestamp(now),
    metric: report.sortBy,
    min_trades: report.minTrades,
    trials: report.eligibleRuns,
    ...scopeFields(scope),
    parameters: { ...best.params },
    ...historyMetrics(best.metrics),
    ...(dsr ? { deflated_sharpe: rounded(dsr.probability, 3) } : {}),
    ...(best.outOfSample ? { out_of_sample: historyMetrics(best.outOfSample) } : {}),
    ...(report.walkForward ? { walk_forward: walkForwardHistory(report.walkForward) } : {}),
  };
}

/** The change {@link rewriteConfigText} makes. */
export interface ConfigUpdate {
  /** Winning grid values, written into `strategy`. */
  readonly params: Combination;
  readonly timeframe: string;
  readonly symbols: readonly string[];
  /** Appended to `grid._optimization` (when the file has a `grid` object). */
  readonly history: Readonly<Record<string, JsonValue>>;
}

function same(a: RawNode | undefined, v: JsonValue): boolean {
  return a !== undefined && JSON.stringify(valueOf(a)) === JSON.stringify(v);
}

/**
 * Rewrites config text: strategy values and timeframe, the symbol list when it changed, and one more history entry.
 * Everything else keeps its text, key order and layout (2-space pretty JSON); a value that already equals the new
 * one keeps its spelling, and a new value is spelt as in the file's grid array when it appears there (`2.0`).
 */
export function rewriteConfigText(text: string, update: ConfigUpdate, source?: string): string {
  const root = parseRawJson(text, source);
  const strategy = member(root, "strategy");
  const grid = member(root, "grid");
  if (strategy?.kind === "object") {
    for (const [key, v] of Object.entries({ ...update.params, timeframe: update.timeframe })) {
      if (same(member(strategy, key), v)) continue;
      const options = member(grid, key);
      const spelt = options?.kind === "array" ? options.items.find((n) => same(n, v)) : undefined;
      setMember(strategy, key, spelt ?? rawFromValue(v));
    }
  }
  const trading = member(root, "trading");
  if (trading?.kind === "object" && !same(member(trading, "symbols"), [...update.symbols])) setMember(trading, "symbols", rawFromValue([...update.symbols]));
  if (grid?.kind === "object") {
    const entry = rawFromValue(update.history);
    const history = member(grid, "_optimization");
    if (history?.kind === "array") history.items.push(entry);
    else setMember(grid, "_optimization", { kind: "array", items: history ? [history, entry] : [entry] });
  }
  return stringifyRawJson(root) + (text.endsWith("\n") ? "\n" : "");
}
