import { ConfigError } from "@tradeloom/types";

/** The headline figures of one run, as the optimizer keeps them (unrounded; percentages in percent). */
export interface RunMetrics {
  readonly sharpe: number;
  readonly sortino: number;
  readonly calmar: number;
  readonly totalReturn: number;
  readonly maxDrawdown: number;
  readonly winRate: number;
  readonly profitFactor: number;
  readonly expectancy: number;
  readonly trades: number;
}

/** Shape of one run's per-bar returns, for the deflated Sharpe ratio. */
export interface ReturnMoments {
  /** Number of per-bar returns. */
  readonly observations: number;
  readonly skewness: number;
  /** Kurtosis, not excess (3 for a normal distribution). */
  readonly kurtosis: number;
}

/** A run that produced a backtest result. */
export interface ScoredRun {
  /** Global run number (see {@link RunSpace}); the tie-breaker of every ranking. */
  readonly index: number;
  readonly metrics: RunMetrics;
  readonly moments: ReturnMoments;
}

/** What `--sort-by` accepts. */
export const SORT_METRICS = ["sharpe", "calmar", "return", "win_rate", "profit_factor", "sortino", "expectancy"] as const;

/** A ranking metric. */
export type SortMetric = (typeof SORT_METRICS)[number];

const FIELD: Record<SortMetric, keyof RunMetrics> = {
  sharpe: "sharpe",
  calmar: "calmar",
  return: "totalReturn",
  win_rate: "winRate",
  profit_factor: "profitFactor",
  sortino: "sortino",
  expectancy: "expectancy",
};

/**
 * Parses a `--sort-by` value.
 * @throws ConfigError for an unknown name (the reference silently fell back to Sharpe).
 */
export function parseSortMetric(text: string): SortMetric {
  if ((SORT_METRICS as readonly string[]).includes(text)) return text as SortMetric;
  throw new ConfigError(`--sort-by ${JSON.stringify(text)}: expected one of ${SORT_METRICS.join(", ")}`, { path: "--sort-by" });
}

/** The value of `metric` in `m`. */
export function metricValue(m: RunMetrics, metric: SortMetric): number {
  return m[FIELD[metric]];
}

/**
 * Best first: higher metric first, NaN after every number (+∞ first, as a profit factor without losses), ties by
 * the lower run number. A total order, so the ranking does not depend on the order results arrive in.
 */
export function compareRuns(a: ScoredRun, b: ScoredRun, metric: SortMetric): number {
  const x = metricValue(a.metrics, metric);
  const y = metricValue(b.metrics, metric);
  const xn = Number.isNaN(x);
  const yn = Number.isNaN(y);
  if (xn !== yn) return xn ? 1 : -1;
  if (!xn && x !== y) return x > y ? -1 : 1;
  return a.index - b.index;
}

/**
 * The best `capacity` runs seen so far by {@link compareRuns}, in a binary heap whose root is the worst kept run.
 * Memory is bounded by `capacity` however many runs are offered.
 */
export class TopRuns<T extends ScoredRun = ScoredRun> {
  private readonly heap: T[] = [];
  /** Most runs kept. */
  readonly capacity: number;
  /** Ranking metric. */
  readonly metric: SortMetric;

  /** Keeps at most `capacity` runs, ranked by `metric`. */
  constructor(capacity: number, metric: SortMetric) {
    this.capacity = Math.max(0, Math.floor(capacity));
    this.metric = metric;
  }

  /** Number of runs kept. */
  get size(): number {
    return this.heap.length;
  }

  /** Offers a run; returns true when it was kept. */
  offer(run: T): boolean {
    if (this.capacity === 0) return false;
    const h = this.heap;
    if (h.length < this.capacity) {
      h.push(run);
      this.up(h.length - 1);
      return true;
    }
    if (this.worse(run, h[0]!) >= 0) return false;
    h[0] = run;
    this.down(0);
    return true;
  }

  /** The kept runs, best first. */
  sorted(): T[] {
    return [...this.heap].sort((a, b) => compareRuns(a, b, this.metric));
  }

  /** > 0 when `a` ranks below `b`. */
  private worse(a: T, b: T): number {
    return compareRuns(a, b, this.metric);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.worse(h[i]!, h[p]!) <= 0) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < h.length && this.worse(h[l]!, h[w]!) > 0) w = l;
      if (r < h.length && this.worse(h[r]!, h[w]!) > 0) w = r;
      if (w === i) return;
      [h[i], h[w]] = [h[w]!, h[i]!];
      i = w;
    }
  }
}
