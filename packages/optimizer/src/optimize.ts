import { randomUUID } from "node:crypto";
import { type CandleSource, type Config, hashJson } from "@tradeloom/backtester";
import { ConfigError, Timeframe } from "@tradeloom/types";
import type { SymbolGroup } from "./dimensions";
import { checkFoldCount } from "./folds";
import { Grid } from "./grid";
import type { JsonValue } from "./json";
import { type FoldPlan, planTasks } from "./plan";
import { BacktestPool } from "./pool";
import type { RunOutcome, WorkerContext } from "./protocol";
import type { RunMetrics, SortMetric } from "./ranking";
import { Accumulator, type OptimizeReport } from "./report";
import { RunSpace } from "./run-space";
import { BatchCursor, type Shard, shardSize, WHOLE } from "./shard";
import { summarizeWalkForward, type WalkForwardFold } from "./walk-forward";
import { WorkerScaling } from "./worker-scaling";

/** Work per task the batch size aims at: well above the ~5 ms where pool overhead stops mattering. */
const TARGET_BATCH_MS = 25;
const MAX_BATCH = 512;

/** Progress of a running optimization. */
export interface OptimizeProgress {
  /** Runs finished. */
  readonly done: number;
  /** Runs planned (this shard's; with walk-forward, the grid once per fold and once on the whole window). */
  readonly total: number;
  readonly elapsedMs: number;
  /** Worker threads running now (see {@link OptimizeOptions.adaptiveWorkers}). */
  readonly workers: number;
}

/** Options of {@link optimize}. */
export interface OptimizeOptions {
  /** The parsed config; its `grid` section (overrides already applied) spans the search. */
  readonly config: Config;
  /** Where candles come from; every file is loaded once, in the calling thread. */
  readonly data: CandleSource;
  /** Symbol groups to test (default: the config's `trading.symbols` as one group). */
  readonly groups?: readonly SymbolGroup[];
  /** Timeframes to test (default: the config's `strategy.timeframe`). */
  readonly timeframes?: readonly string[];
  /** Date filter, UTC ms, inclusive. */
  readonly start?: number;
  readonly end?: number;
  /** Ranking metric (default `sharpe`). */
  readonly sortBy?: SortMetric;
  /** Number of best runs to keep (default 10). */
  readonly top?: number;
  /** Runs with fewer trades never rank (default 1: a run that never trades cannot win). */
  readonly minTrades?: number;
  /** The most worker threads, a whole number ≥ 1 (default: logical cores; anything else is a RangeError). */
  readonly workers?: number;
  /**
   * Start one worker thread, and the others only once the runs left are long enough to repay a new thread's warm-up
   * (its V8 compiling the engine: ≈ 1–1.5 s on 2 cores, see {@link WorkerScaling}); default true. With
   * false, all `workers` threads start at once. Either way the report is the same.
   */
  readonly adaptiveWorkers?: boolean;
  /** Built worker entry; see {@link defaultWorkerFile}. */
  readonly workerFile?: string | URL;
  /** Run only this share of the runs (default: all). */
  readonly shard?: Shard;
  /** Fraction (0 ≤ h < 1) of each task's bars held out: rank on the rest, then re-test the top runs on it. */
  readonly holdout?: number;
  /**
   * Number K ≥ 2 of anchored walk-forward folds (docs/optimizer.md): besides the usual ranking on the whole window,
   * the grid is ranked once per fold on the bars before the fold's test window, and the fold's best runs are tested
   * on that window. Cannot be combined with a holdout or a shard.
   */
  readonly walkForward?: number;
  /** Stops the workers; the report then covers the runs finished so far. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: OptimizeProgress) => void;
  /** Every run's outcome as it arrives (in completion order), e.g. to write a results file; not the folds' runs. */
  readonly onOutcome?: (o: RunOutcome) => void;
  /** Holdout metrics of each top run. */
  readonly onOutOfSample?: (index: number, metrics: RunMetrics) => void;
}

/** The search space of an optimization and its fingerprint (what must match for shards to merge). */
export interface SearchSpace {
  readonly space: RunSpace;
  readonly fingerprint: string;
}

const GRID_HELP = `the config needs a "grid" section mapping strategy parameters to the values to try, e.g.
  "grid": { "atr_period": [10, 14], "ema_fast": [8, 13], "ema_slow": [21, 34] }
or give dimensions with -O key=v1,v2`;

/**
 * The run space of a config: grid × groups × timeframes, with a fingerprint over everything that decides results.
 * @throws ConfigError when the grid is missing or has no dimension, a timeframe is invalid, or walk-forward is asked
 * for with a bad fold count, a holdout or a shard.
 */
export function searchSpace(
  opts: Pick<OptimizeOptions, "config" | "groups" | "timeframes" | "start" | "end" | "holdout" | "sortBy" | "top" | "minTrades" | "walkForward" | "shard">,
): SearchSpace {
  if (opts.walkForward !== undefined) {
    checkFoldCount(opts.walkForward);
    if ((opts.holdout ?? 0) > 0) {
      throw new ConfigError("--walk-forward and --holdout cannot be combined: every walk-forward fold already holds out its own test window", { path: "--walk-forward" });
    }
    if (opts.shard && opts.shard.count > 1) {
      throw new ConfigError("--walk-forward cannot run as a shard: every fold ranks the whole grid, which merging shard files cannot replay", { path: "--walk-forward" });
    }
  }
  const grid = Grid.fromSection(opts.config.grid);
  if (grid.size === 0) throw new ConfigError(GRID_HELP, { path: "grid" });
  const groups = opts.groups ?? [opts.config.trading.symbols];
  const timeframes = opts.timeframes ?? [opts.config.strategy.timeframe];
  for (const tf of timeframes) Timeframe.parse(tf);
  const space = new RunSpace(grid, groups, timeframes);
  const { grid: _grid, ...base } = opts.config;
  const fingerprint = hashJson({
    base,
    grid: { keys: grid.keys, values: grid.values },
    groups,
    timeframes,
    start: opts.start ?? null,
    end: opts.end ?? null,
    holdout: opts.holdout ?? 0,
    sortBy: opts.sortBy ?? "sharpe",
    top: opts.top ?? 10,
    minTrades: opts.minTrades ?? 1,
  });
  return { space, fingerprint };
}

/**
 * Runs a grid search on worker threads and ranks the results.
 *
 * Candles are loaded once here and shared with the workers; workers receive the base config and run numbers, decode
 * each combination, validate it with the strategy's schema (an invalid one is counted with its reason) and backtest
 * it. Only a bounded top list and streaming statistics are kept, so memory does not grow with the grid. The report
 * is the same for any worker count and completion order.
 *
 * @throws ConfigError for a missing or empty grid or a bad option, or bars too few for the walk-forward folds.
 * @example
 * const report = await optimize({ config, data: csvDirectory("data"), sortBy: "sharpe", top: 5 });
 * console.log(report.ranking[0]?.params);
 */
export async function optimize(opts: OptimizeOptions): Promise<OptimizeReport> {
  const t0 = performance.now();
  const holdout = opts.holdout ?? 0;
  if (!(holdout >= 0 && holdout < 1)) throw new ConfigError(`holdout must be a fraction in [0, 1), got ${holdout}`, { path: "--holdout" });
  const { space } = searchSpace(opts);
  const shard = opts.shard ?? WHOLE;
  const top = opts.top ?? 10;
  const acc = new Accumulator(space, opts.sortBy ?? "sharpe", top, opts.minTrades ?? 1);
  const plannedRuns = shardSize(space.size, shard);
  const { grid: _grid, ...base } = opts.config;
  // The workers start (load the engine) while this thread reads and prepares the candles.
  const pool = new BacktestPool({ workers: opts.workers, workerFile: opts.workerFile, initialWorkers: opts.adaptiveWorkers === false ? undefined : 1 });
  let interrupted = false;
  let outOfSample = new Map<number, RunMetrics>();
  const folds: WalkForwardFold[] = [];
  try {
    const market = await planTasks({
      space,
      strategy: opts.config.strategy as Record<string, JsonValue>,
      data: opts.data,
      window: { start: opts.start, end: opts.end },
      holdout,
      walkForward: opts.walkForward ?? 0,
    });
    const context: WorkerContext = {
      id: randomUUID(),
      config: base as unknown as Record<string, JsonValue>,
      grid: { keys: space.grid.keys, values: space.grid.values },
      groups: space.groups,
      timeframes: space.timeframes,
      candles: market.candles,
      tasks: market.tasks,
    };
    const signal = opts.signal;
    const total = plannedRuns * (1 + (market.folds?.length ?? 0));
    let done = 0;
    const onDone = (n: number) => {
      done += n;
      opts.onProgress?.({ done, total, elapsedMs: performance.now() - t0, workers: pool.started });
    };
    // Each fold runs the whole grid again: runs the pool's growth should count on.
    const foldRuns = (market.folds?.length ?? 0) * space.size;
    const scaling = new WorkerScaling({ workers: pool.workers });
    interrupted = await runAll(pool, context, new BatchCursor(space.size, shard), (o) => {
      acc.add(o);
      opts.onOutcome?.(o);
    }, onDone, signal, scaling, foldRuns);
    if (!interrupted && holdout > 0) {
      outOfSample = (await testOutOfSample(pool, context, acc.top.sorted().map((r) => r.index))).metrics;
      for (const [i, m] of outOfSample) opts.onOutOfSample?.(i, m);
    }
    const foldPlans = interrupted ? [] : (market.folds ?? []);
    for (const [k, plan] of foldPlans.entries()) {
      const later = (foldPlans.length - 1 - k) * space.size;
      const fold = await runFold(pool, { ...context, id: randomUUID(), tasks: plan.tasks }, plan, new Accumulator(space, acc.top.metric, top, acc.minTrades), onDone, signal, scaling, later);
      if (!fold) {
        interrupted = true;
        break;
      }
      folds.push(fold);
    }
  } finally {
    await pool.destroy();
  }
  const report = acc.report({ shard, plannedRuns, interrupted, holdout, elapsedMs: performance.now() - t0, outOfSample });
  if (opts.walkForward === undefined) return report;
  return { ...report, walkForward: { k: opts.walkForward, mode: "anchored", folds, summary: summarizeWalkForward(folds, space.grid.keys) } };
}

/** Out-of-sample metrics (and failures) of `runs`, spread over the workers. */
async function testOutOfSample(pool: BacktestPool, context: WorkerContext, runs: readonly number[]): Promise<{ metrics: Map<number, RunMetrics>; errors: Map<number, string> }> {
  const n = pool.started;
  const chunks = Array.from({ length: Math.min(n, runs.length) }, (_, w) => runs.filter((_, i) => i % n === w));
  const results = await Promise.all(chunks.map((c) => pool.run({ context, phase: "out-of-sample", runs: c })));
  const metrics = new Map<number, RunMetrics>();
  const errors = new Map<number, string>();
  // Inserted in rank order, whatever worker answered first.
  const outcomes = new Map(results.flatMap((r) => r.outcomes.map((o) => [o.index, o] as const)));
  for (const i of runs) {
    const o = outcomes.get(i);
    if (o && "error" in o) errors.set(i, o.error);
    else if (o) metrics.set(i, o.metrics);
  }
  return { metrics, errors };
}

/**
 * One walk-forward fold: ranks the whole grid on the fold's in-sample windows (`context` carries the fold's task
 * plans), then tests the fold's best runs on its test windows. Undefined when stopped by the signal.
 */
async function runFold(
  pool: BacktestPool,
  context: WorkerContext,
  plan: FoldPlan,
  acc: Accumulator,
  onDone: (n: number) => void,
  signal: AbortSignal | undefined,
  scaling: WorkerScaling,
  laterRuns: number,
): Promise<WalkForwardFold | undefined> {
  if (await runAll(pool, context, new BatchCursor(acc.space.size, WHOLE), (o) => acc.add(o), onDone, signal, scaling, laterRuns)) return undefined;
  const best = acc.top.sorted().map((r) => r.index);
  const tested = await testOutOfSample(pool, context, best);
  const r = acc.report({ shard: WHOLE, plannedRuns: acc.space.size, interrupted: false, holdout: 0, elapsedMs: 0, outOfSample: tested.metrics });
  const winnerError = best[0] === undefined ? undefined : tested.errors.get(best[0]);
  return {
    fold: plan.fold,
    inSample: plan.inSample,
    outOfSample: plan.outOfSample,
    completedRuns: r.completedRuns,
    eligibleRuns: r.eligibleRuns,
    belowMinTrades: r.belowMinTrades,
    failedRuns: r.failedRuns,
    failures: r.failures,
    ranking: r.ranking,
    ...(winnerError !== undefined ? { outOfSampleError: winnerError } : {}),
  };
}

/**
 * Feeds batches to the pool, at most two per started thread in flight, reporting how many runs each batch finished,
 * and starts the pool's other threads once `scaling` says the runs left (`laterRuns` more after this pass) repay them;
 * resolves true when stopped by the signal.
 */
function runAll(
  pool: BacktestPool,
  context: WorkerContext,
  cursor: BatchCursor,
  onOutcome: (o: RunOutcome) => void,
  onDone: (n: number) => void,
  signal: AbortSignal | undefined,
  scaling: WorkerScaling,
  laterRuns: number,
): Promise<boolean> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return resolve(true);
    let inFlight = 0;
    let batchSize = 1;
    let stopped = false;
    const onAbort = () => {
      stopped = true;
      resolve(true);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const finish = () => {
      signal?.removeEventListener("abort", onAbort);
      resolve(false);
    };
    const pump = (): void => {
      while (!stopped && inFlight < pool.started * 2) {
        const runs = cursor.next(batchSize);
        if (!runs) break;
        inFlight++;
        pool.run({ context, phase: "in-sample", runs }).then(
          (res) => {
            inFlight--;
            if (stopped) return;
            for (const o of res.outcomes) onOutcome(o);
            const perRun = res.elapsedMs / Math.max(1, res.outcomes.length);
            batchSize = Math.min(MAX_BATCH, Math.max(1, Math.ceil(TARGET_BATCH_MS / Math.max(perRun, 0.01))));
            scaling.observe(res.elapsedMs, res.outcomes.length);
            if (scaling.shouldGrow(pool.started, cursor.remaining + laterRuns)) pool.grow();
            onDone(res.outcomes.length);
            pump();
          },
          (err: unknown) => {
            if (stopped) return;
            stopped = true;
            signal?.removeEventListener("abort", onAbort);
            reject(err);
          },
        );
      }
      if (!stopped && inFlight === 0 && cursor.remaining === 0) finish();
    };
    pump();
  });
}
