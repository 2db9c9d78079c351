import type { FoldWindows } from "./folds";
import type { JsonValue } from "./json";
import type { PassOutcome, RankedRun } from "./report";

/** One walk-forward fold: the grid ranked on its in-sample window, and its best runs tested on its test window. */
export interface WalkForwardFold extends FoldWindows, PassOutcome {
  /**
   * The fold's best runs in sample, best first (at most `top`; ranked by the same rules as the main ranking), each
   * with its out-of-sample metrics. The first is the fold's winner: the parameters walk-forward trades in the test
   * window. Empty when no run reached `minTrades`.
   */
  readonly ranking: readonly RankedRun[];
  /** Why the winner has no out-of-sample metrics (its test backtest failed), if so. */
  readonly outOfSampleError?: string;
}

/** How often each grid dimension's value was chosen by the fold winners. */
export interface ParameterChoice {
  readonly key: string;
  /** The value most fold winners chose (ties: the one chosen first). */
  readonly mode: JsonValue;
  /** Fold winners that chose {@link ParameterChoice.mode}. */
  readonly modeFolds: number;
  /** Distinct values the fold winners chose. */
  readonly distinct: number;
}

/** How stable the fold winners' choices were. */
export interface ParameterStability {
  /** Distinct (symbols, timeframe, parameters) choices among the fold winners. */
  readonly distinctSets: number;
  /** Fold winners that chose the most frequent of those. */
  readonly modalSetFolds: number;
  /** Per grid dimension, in grid key order. */
  readonly parameters: readonly ParameterChoice[];
}

/**
 * The fold winners' out-of-sample results stitched together. A fold without a winner, or whose winner's test failed,
 * counts as flat (0 %): walk-forward would not have traded then.
 */
export interface WalkForwardSummary {
  /** Folds completed. */
  readonly folds: number;
  /** Folds whose winner has out-of-sample metrics. */
  readonly foldsTraded: number;
  /** Folds whose winner's out-of-sample return is positive. */
  readonly profitableFolds: number;
  /** `(Π (1 + r_k / 100) − 1) × 100`: the test returns compounded, in percent. */
  readonly totalReturn: number;
  /** {@link WalkForwardSummary.totalReturn} annualised over the test windows' span (first to last test bar), in percent. */
  readonly annualisedReturn: number;
  /** Mean over the fold winners of their in-sample return annualised over their in-sample span, in percent. */
  readonly inSampleAnnualisedReturn: number;
  /**
   * Walk-forward efficiency: {@link WalkForwardSummary.annualisedReturn} ÷
   * {@link WalkForwardSummary.inSampleAnnualisedReturn}. About 1 when the winners earn out of sample what they earned
   * in sample; NaN when the in-sample figure is not positive (the ratio then means nothing).
   */
  readonly efficiency: number;
  /** Out-of-sample trades of the fold winners. */
  readonly trades: number;
  /** Mean of the fold winners' out-of-sample Sharpe ratios (NaN without any). */
  readonly meanSharpe: number;
  readonly stability: ParameterStability;
}

/** What `--walk-forward K` adds to a report. */
export interface WalkForwardReport {
  /** Folds asked for; fewer are listed when the optimization was interrupted or no task had data. */
  readonly k: number;
  /** Only anchored (expanding in-sample window) folds exist. */
  readonly mode: "anchored";
  readonly folds: readonly WalkForwardFold[];
  readonly summary: WalkForwardSummary;
}

const DAY_MS = 86_400_000;

/**
 * A return of `pct` percent earned from `from` to `to` (UTC ms: first and last bar) as a yearly rate in percent,
 * compounded over 365-day years; NaN for an empty span.
 */
export function annualisedReturn(pct: number, from: number, to: number): number {
  const days = (to - from) / DAY_MS;
  if (!(days > 0)) return Number.NaN;
  return ((1 + pct / 100) ** (365 / days) - 1) * 100;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, x) => a + x, 0) / xs.length);

/** Counts each distinct value (by its JSON text), keeping the order values were first seen in. */
function tally(values: readonly JsonValue[]): { value: JsonValue; count: number }[] {
  const seen = new Map<string, { value: JsonValue; count: number }>();
  for (const v of values) {
    const key = JSON.stringify(v);
    const t = seen.get(key);
    if (t) t.count++;
    else seen.set(key, { value: v, count: 1 });
  }
  return [...seen.values()];
}

/** The most frequent entry of a tally; the first seen wins ties. */
function modeOf(t: readonly { value: JsonValue; count: number }[]): { value: JsonValue; count: number } {
  return t.reduce((best, x) => (x.count > best.count ? x : best));
}

/** How often the fold winners chose the same parameters, over `keys` (the grid's dimensions). */
export function parameterStability(winners: readonly RankedRun[], keys: readonly string[]): ParameterStability {
  if (winners.length === 0) return { distinctSets: 0, modalSetFolds: 0, parameters: [] };
  const sets = tally(winners.map((w) => ({ symbols: [...w.symbols], timeframe: w.timeframe, params: { ...w.params } })));
  const parameters = keys.map((key): ParameterChoice => {
    const t = tally(winners.map((w) => w.params[key] ?? null));
    const m = modeOf(t);
    return { key, mode: m.value, modeFolds: m.count, distinct: t.length };
  });
  return { distinctSets: sets.length, modalSetFolds: modeOf(sets).count, parameters };
}

/** Stitches the folds' out-of-sample results (see {@link WalkForwardSummary}); `keys` are the grid's dimensions. */
export function summarizeWalkForward(folds: readonly WalkForwardFold[], keys: readonly string[]): WalkForwardSummary {
  const winners = folds.flatMap((f) => (f.ranking[0] ? [{ fold: f, run: f.ranking[0] }] : []));
  const traded = winners.flatMap((w) => (w.run.outOfSample ? [w.run.outOfSample] : []));
  const growth = traded.reduce((g, m) => g * (1 + m.totalReturn / 100), 1);
  const totalReturn = (growth - 1) * 100;
  const first = folds[0];
  const last = folds[folds.length - 1];
  const annualised = first && last ? annualisedReturn(totalReturn, first.outOfSample.first, last.outOfSample.last) : Number.NaN;
  const inSample = mean(winners.map((w) => annualisedReturn(w.run.metrics.totalReturn, w.fold.inSample.first, w.fold.inSample.last)));
  return {
    folds: folds.length,
    foldsTraded: traded.length,
    profitableFolds: traded.filter((m) => m.totalReturn > 0).length,
    totalReturn,
    annualisedReturn: annualised,
    inSampleAnnualisedReturn: inSample,
    efficiency: inSample > 0 ? annualised / inSample : Number.NaN,
    trades: traded.reduce((a, m) => a + m.trades, 0),
    meanSharpe: mean(traded.map((m) => m.sharpe)),
    stability: parameterStability(winners.map((w) => w.run), keys),
  };
}
