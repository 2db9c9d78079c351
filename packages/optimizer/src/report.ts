import { Timeframe } from "@tradeloom/types";
import { deflatedSharpe } from "./deflated-sharpe";
import type { Combination, DuplicateValues } from "./grid";
import type { SymbolGroup } from "./dimensions";
import { type ReturnMoments, type RunMetrics, type ScoredRun, type SortMetric, TopRuns } from "./ranking";
import type { RunSpace } from "./run-space";
import { type FailureReason, TrialStats } from "./trial-stats";
import type { RunOutcome } from "./protocol";
import type { Shard } from "./shard";
import type { WalkForwardReport } from "./walk-forward";

/** One of the best runs, with everything needed to report and reproduce it. */
export interface RankedRun {
  /** 1 = best. */
  readonly rank: number;
  /** Global run number. */
  readonly index: number;
  readonly symbols: SymbolGroup;
  readonly timeframe: string;
  /** The grid combination. */
  readonly params: Combination;
  /** Metrics on the ranking window (in-sample with a holdout). */
  readonly metrics: RunMetrics;
  readonly moments: ReturnMoments;
  /** Metrics on the holdout, when one was asked for and computed. */
  readonly outOfSample?: RunMetrics;
}

/** The deflated Sharpe ratio of the winner (annualised figures for display). */
export interface WinnerDeflatedSharpe {
  /** Eligible runs counted as trials. */
  readonly trials: number;
  /** Variance of the trials' annualised Sharpe ratios (timeframe-normalised). */
  readonly trialSharpeVariance: number;
  /** Annualised Sharpe ratio that the best of the trials would reach by luck alone. */
  readonly expectedMaxSharpe: number;
  /** Probability that the winner's true Sharpe ratio beats {@link WinnerDeflatedSharpe.expectedMaxSharpe}. */
  readonly probability: number;
}

/** The outcome of one pass over the grid: how its runs ended, and the best of them. */
export interface PassOutcome {
  /** Runs that finished. */
  readonly completedRuns: number;
  /** Completed runs with at least `minTrades` trades: the candidates. */
  readonly eligibleRuns: number;
  /** Completed runs with fewer trades than `minTrades`: never ranked. */
  readonly belowMinTrades: number;
  /** Runs that produced no result (invalid parameters, missing data). */
  readonly failedRuns: number;
  readonly failures: readonly FailureReason[];
  /** Best runs, best first (at most `top`). */
  readonly ranking: readonly RankedRun[];
}

/** What an optimization (or a merge of shards) found. */
export interface OptimizeReport extends PassOutcome {
  readonly sortBy: SortMetric;
  readonly minTrades: number;
  /** Size of the whole run space (groups × timeframes × grid). */
  readonly totalRuns: number;
  readonly gridSize: number;
  readonly shard: Shard;
  /** Runs of this shard (all runs without sharding). */
  readonly plannedRuns: number;
  /** Runs that finished (equals plannedRuns unless interrupted). */
  readonly completedRuns: number;
  readonly interrupted: boolean;
  readonly deflatedSharpe?: WinnerDeflatedSharpe;
  /** Grid dimensions that had duplicate values (dropped). */
  readonly duplicates: readonly DuplicateValues[];
  readonly holdout: number;
  /** With walk-forward: every fold's winner tested out of sample, and their results stitched together. */
  readonly walkForward?: WalkForwardReport;
  readonly elapsedMs: number;
}

/**
 * Folds run outcomes, in any order, into a bounded top list and streaming statistics. Feeding the same outcomes in
 * another order (more workers, shards merged) gives an identical report.
 */
export class Accumulator {
  readonly space: RunSpace;
  readonly minTrades: number;
  readonly top: TopRuns;
  readonly stats = new TrialStats();
  private readonly barsPerYear: number[];

  /** Ranks by `sortBy`, keeps the best `top` runs with at least `minTrades` trades. */
  constructor(space: RunSpace, sortBy: SortMetric, top: number, minTrades: number) {
    this.space = space;
    this.minTrades = minTrades;
    this.top = new TopRuns(top, sortBy);
    this.barsPerYear = space.timeframes.map((tf) => Timeframe.parse(tf).barsPerYear);
  }

  /** Per-observation Sharpe ratio of a run: metrics carry it annualised with the run's timeframe. */
  perBarSharpe(run: ScoredRun): number {
    return run.metrics.sharpe / Math.sqrt(this.barsPerYear[this.space.locate(run.index).timeframe]!);
  }

  /** Counts one run and offers it to the ranking if it traded often enough. */
  add(o: RunOutcome): void {
    if ("error" in o) {
      this.stats.addFailure(o.index, o.error);
      return;
    }
    if (this.stats.addResult(o, this.minTrades, this.perBarSharpe(o))) this.top.offer(o);
  }

  /** The report so far; `outOfSample` supplies holdout metrics by run number. */
  report(extra: {
    shard: Shard;
    plannedRuns: number;
    interrupted: boolean;
    holdout: number;
    elapsedMs: number;
    outOfSample?: ReadonlyMap<number, RunMetrics>;
  }): OptimizeReport {
    const best = this.top.sorted();
    const ranking: RankedRun[] = best.map((r, i) => {
      const at = this.space.locate(r.index);
      const oos = extra.outOfSample?.get(r.index);
      return {
        rank: i + 1,
        index: r.index,
        symbols: this.space.groups[at.group]!,
        timeframe: this.space.timeframes[at.timeframe]!,
        params: this.space.combination(r.index),
        metrics: r.metrics,
        moments: r.moments,
        ...(oos ? { outOfSample: oos } : {}),
      };
    });
    const s = this.stats;
    return {
      sortBy: this.top.metric,
      minTrades: this.minTrades,
      totalRuns: this.space.size,
      gridSize: this.space.grid.size,
      shard: extra.shard,
      plannedRuns: extra.plannedRuns,
      completedRuns: s.runs,
      interrupted: extra.interrupted,
      eligibleRuns: s.eligible,
      belowMinTrades: s.belowMinTrades,
      failedRuns: s.failed,
      failures: s.otherReasons > 0 ? [...s.reasons(), { reason: "(other reasons)", count: s.otherReasons, firstRun: -1 }] : s.reasons(),
      ranking,
      ...(best[0] ? { deflatedSharpe: this.deflated(best[0]) } : {}),
      duplicates: this.space.grid.duplicates,
      holdout: extra.holdout,
      elapsedMs: extra.elapsedMs,
    };
  }

  private deflated(winner: ScoredRun): WinnerDeflatedSharpe {
    const dist = this.stats.sharpeDistribution();
    const bpy = this.barsPerYear[this.space.locate(winner.index).timeframe]!;
    const d = deflatedSharpe({
      sharpe: this.perBarSharpe(winner),
      trials: dist.n,
      trialVariance: dist.variance,
      skewness: winner.moments.skewness,
      kurtosis: winner.moments.kurtosis,
      observations: winner.moments.observations,
    });
    return {
      trials: dist.n,
      trialSharpeVariance: dist.variance * bpy,
      expectedMaxSharpe: d.expectedMaxSharpe * Math.sqrt(bpy),
      probability: d.probability,
    };
  }
}
