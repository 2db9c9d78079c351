import type { SkippedRow } from "@tradeloom/backtester";
import type { JsonValue } from "./json";
import type { ReturnMoments, RunMetrics } from "./ranking";

/** One symbol and timeframe of candles in a buffer every worker can read (`SharedArrayBuffer`). */
export interface SharedCandles {
  /** `SYMBOL_tf`, e.g. `BTCINR_1d`. */
  readonly key: string;
  /** `6 × length` doubles laid out for `CandleSeries.fromBuffer`. */
  readonly buffer: Float64Array;
  readonly length: number;
  readonly rowsRead: number;
  readonly skipped: readonly SkippedRow[];
  readonly source: string;
  readonly sha256: string;
}

/** A date filter (UTC ms, inclusive). */
export interface DateWindow {
  readonly start?: number | undefined;
  readonly end?: number | undefined;
}

/** One (symbol group, timeframe) task: its date windows, or why it cannot run. */
export interface TaskPlan {
  /** Set when the task's data could not be loaded: every run of the task fails with this reason. */
  readonly skip?: string;
  /** Window ranked on (the whole filter, or the in-sample part with a holdout). */
  readonly inSample: DateWindow;
  /** Window of the out-of-sample check, with a holdout. */
  readonly outOfSample?: DateWindow;
}

/**
 * Everything a worker needs, sent with every task: the base config (without its grid), the grid, the dimensions and
 * handles to the shared candles. Small apart from the shared buffers, which are not copied.
 */
export interface WorkerContext {
  /** Distinguishes optimizations sharing one pool; workers cache what they derive from a context by it. */
  readonly id: string;
  /** The config as loaded (overrides applied), `grid` removed. */
  readonly config: Readonly<Record<string, JsonValue>>;
  readonly grid: { readonly keys: readonly string[]; readonly values: readonly (readonly JsonValue[])[] };
  readonly groups: readonly (readonly string[])[];
  readonly timeframes: readonly string[];
  readonly candles: readonly SharedCandles[];
  readonly tasks: readonly TaskPlan[];
}

/** A task for a worker: the runs `first, first + stride, …` (or an explicit list) in one phase. */
export interface BatchTask {
  readonly context: WorkerContext;
  readonly phase: "in-sample" | "out-of-sample";
  readonly runs: { readonly first: number; readonly stride: number; readonly count: number } | readonly number[];
}

/** What one run gave: metrics, or the reason it gave none. */
export type RunOutcome =
  | { readonly index: number; readonly metrics: RunMetrics; readonly moments: ReturnMoments }
  | { readonly index: number; readonly error: string };

/** A worker's answer to a {@link BatchTask}. */
export interface BatchResult {
  readonly outcomes: readonly RunOutcome[];
  /** Time the worker spent, to size later batches. */
  readonly elapsedMs: number;
}
