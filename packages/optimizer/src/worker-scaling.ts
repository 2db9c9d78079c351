/**
 * Wall time a worker thread started mid-search costs before it pays its way: its own V8 compiles and optimises the
 * engine, competing for the cores with the threads already running. Measured on 2 vCPUs (momentum_scalper grid):
 * 1.1 s on 4 h candles, where two workers took W/2 + 1.1 s against W for one, and 1.45 s on 1 d candles.
 */
export const WORKER_WARMUP_MS = 1_500;

/**
 * Busy time of the first thread before its rate is trusted. Its first runs are interpreted and compiled: on the 1 d
 * momentum_scalper grid, batches ran at 11–37 ms per run over the first 170 ms, 1–3.6 ms up to 240 ms, and 0.5–1 ms
 * after 400 ms. A rate from the cold batches would start threads that a short search cannot repay.
 */
export const MIN_OBSERVED_MS = 400;

/** Latest batches whose fastest rate is taken: one batch slowed by a collection or a compile does not decide. */
const RECENT_BATCHES = 4;

/** Options of {@link WorkerScaling}. */
export interface WorkerScalingOptions {
  /** The most threads the search may use. */
  readonly workers: number;
  /** Override of {@link WORKER_WARMUP_MS}. */
  readonly warmupMs?: number;
  /** Override of {@link MIN_OBSERVED_MS}. */
  readonly minObservedMs?: number;
}

/**
 * Decides when a search starts its remaining worker threads. With `s` threads running and `n` in all, the runs left
 * take `R` at the current rate, and `R·s/n + warm-up` once the others run too: they start when that is shorter. Why:
 * a search of a few seconds is done by one warm thread before a second one has compiled the engine (the 1 d
 * momentum_scalper grid ran 0.82–0.9× as fast with two threads started at once as with one), while a long one gains
 * nearly `n`×. The rate is the fastest per-run time of the latest {@link RECENT_BATCHES} batches: an estimate that
 * errs towards fewer threads, which costs a long search little (its runs left stay far above the warm-up).
 */
export class WorkerScaling {
  readonly #workers: number;
  readonly #warmupMs: number;
  readonly #minObservedMs: number;
  readonly #recent: number[] = [];
  #busyMs = 0;

  constructor(opts: WorkerScalingOptions) {
    this.#workers = opts.workers;
    this.#warmupMs = opts.warmupMs ?? WORKER_WARMUP_MS;
    this.#minObservedMs = opts.minObservedMs ?? MIN_OBSERVED_MS;
  }

  /** Records a finished batch: `runs` runs in `elapsedMs` on one thread. */
  observe(elapsedMs: number, runs: number): void {
    if (!(elapsedMs >= 0) || !(runs > 0)) return;
    this.#busyMs += elapsedMs;
    this.#recent.push(elapsedMs / runs);
    if (this.#recent.length > RECENT_BATCHES) this.#recent.shift();
  }

  /** Whether to start the remaining threads now, with `started` running and `remainingRuns` not yet handed out. */
  shouldGrow(started: number, remainingRuns: number): boolean {
    if (started >= this.#workers || this.#busyMs < this.#minObservedMs || !(remainingRuns > 0)) return false;
    const perRun = Math.min(...this.#recent);
    const rest = (perRun * remainingRuns) / started;
    return (rest * started) / this.#workers + this.#warmupMs < rest;
  }
}
