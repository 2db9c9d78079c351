import { ExactSum } from "./exact-sum";
import type { ScoredRun } from "./ranking";

/** Cap on distinct failure reasons kept, so a pathological grid cannot grow memory without bound. */
const MAX_REASONS = 200;

/** A reason some runs produced no result, with how many and the first run it happened to. */
export interface FailureReason {
  readonly reason: string;
  readonly count: number;
  readonly firstRun: number;
}

/**
 * Counts and Sharpe statistics over every run, in constant memory and independent of the order runs complete in
 * (exact sums; reasons keyed by text with the lowest run number kept).
 */
export class TrialStats {
  /** Runs accounted for (results and failures). */
  runs = 0;
  /** Runs with at least the minimum number of trades: candidates for the ranking and the trials of the deflated Sharpe ratio. */
  eligible = 0;
  /** Runs that completed with fewer trades than the minimum. */
  belowMinTrades = 0;
  /** Runs that produced no result (invalid parameters, data errors). */
  failed = 0;
  /** Failures whose reason did not fit in the reason table. */
  otherReasons = 0;
  private readonly reasonMap = new Map<string, { count: number; firstRun: number }>();
  private sharpeN = 0;
  private readonly sharpeSum = new ExactSum();
  private readonly sharpeSumSq = new ExactSum();

  /** Accounts for a run with a result; `perBarSharpe` is its Sharpe ratio per observation. Returns true if eligible. */
  addResult(run: ScoredRun, minTrades: number, perBarSharpe: number): boolean {
    this.runs++;
    if (run.metrics.trades < minTrades) {
      this.belowMinTrades++;
      return false;
    }
    this.eligible++;
    if (Number.isFinite(perBarSharpe)) {
      this.sharpeN++;
      this.sharpeSum.add(perBarSharpe);
      this.sharpeSumSq.add(perBarSharpe * perBarSharpe);
    }
    return true;
  }

  /** Accounts for a run that produced no result. */
  addFailure(runIndex: number, reason: string): void {
    this.runs++;
    this.failed++;
    this.countReason(reason, 1, runIndex);
  }

  private countReason(reason: string, count: number, firstRun: number): void {
    const r = this.reasonMap.get(reason);
    if (r) {
      r.count += count;
      r.firstRun = Math.min(r.firstRun, firstRun);
    } else if (this.reasonMap.size < MAX_REASONS) this.reasonMap.set(reason, { count, firstRun });
    else this.otherReasons += count;
  }

  /** Failure reasons, most frequent first (ties by first run). */
  reasons(): FailureReason[] {
    return [...this.reasonMap.entries()]
      .map(([reason, r]) => ({ reason, count: r.count, firstRun: r.firstRun }))
      .sort((a, b) => b.count - a.count || a.firstRun - b.firstRun);
  }

  /** Number, mean and sample variance of the eligible runs' per-observation Sharpe ratios. */
  sharpeDistribution(): { n: number; mean: number; variance: number } {
    const n = this.sharpeN;
    if (n === 0) return { n, mean: Number.NaN, variance: Number.NaN };
    const sum = this.sharpeSum.value();
    const mean = sum / n;
    const variance = n > 1 ? Math.max(0, (this.sharpeSumSq.value() - sum * mean) / (n - 1)) : 0;
    return { n, mean, variance };
  }
}
