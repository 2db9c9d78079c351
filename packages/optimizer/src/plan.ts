import { alignByTimestamp, type CandleSource, type LoadedCandles } from "@tradeloom/backtester";
import { builtinRegistry } from "@tradeloom/strategies";
import { CandleSeries, formatCandleTime, Timeframe } from "@tradeloom/types";
import { type FoldWindows, foldWindows, MIN_SEGMENT_BARS, mergeTimelines } from "./folds";
import type { Grid } from "./grid";
import type { JsonValue } from "./json";
import type { DateWindow, SharedCandles, TaskPlan } from "./protocol";
import type { RunSpace } from "./run-space";
import { groupName } from "./dimensions";

/** The planned tasks and the candles they need, loaded once and placed in shared memory. */
export interface MarketPlan {
  readonly tasks: readonly TaskPlan[];
  readonly candles: readonly SharedCandles[];
  /** With walk-forward: every fold's windows and each task's plan in that fold (empty when no task has data). */
  readonly folds?: readonly FoldPlan[];
}

/** One walk-forward fold: its windows on the fold timeline and each task's windows in it. */
export interface FoldPlan extends FoldWindows {
  /** Per task, as {@link MarketPlan.tasks}: ranked on `inSample`, the fold's winners tested on `outOfSample`. */
  readonly tasks: readonly TaskPlan[];
}

/** Options of {@link planTasks}. */
export interface PlanOptions {
  readonly space: RunSpace;
  readonly strategy: Readonly<Record<string, JsonValue>>;
  readonly data: CandleSource;
  readonly window: DateWindow;
  /** Fraction of each task's bars kept out of sample (0 = none). */
  readonly holdout: number;
  /** Number of anchored walk-forward folds (absent or 0: none). */
  readonly walkForward?: number;
}

/**
 * Timeframes a strategy reads besides its primary one, found by building it with the base parameters (or, if those
 * are invalid, the first grid combination); the reference forgot these (gap G15).
 */
function extraTimeframes(strategy: Readonly<Record<string, JsonValue>>, grid: Grid, timeframe: string): string[] {
  const registry = builtinRegistry();
  const tf = Timeframe.parse(timeframe);
  for (const section of [strategy, grid.size > 0 ? { ...strategy, ...grid.at(0) } : strategy]) {
    try {
      const s = registry.create(String(section.name), { ...section, timeframe }, { timeframe: tf })("PROBE");
      return (s.requiredTimeframes?.() ?? []).filter((x) => x !== timeframe);
    } catch {
      // Invalid parameters here are reported per run by the workers; try the next candidate.
    }
  }
  return [];
}

function trimmed(series: CandleSeries, w: DateWindow): CandleSeries {
  const first = w.start === undefined ? 0 : series.lastIndexAtOrBefore(w.start - 1) + 1;
  const last = w.end === undefined ? series.length - 1 : series.lastIndexAtOrBefore(w.end);
  return series.slice(first, last + 1);
}

/**
 * Loads every (symbol, timeframe) the runs need exactly once, copies it into a `SharedArrayBuffer`, and plans each
 * (group, timeframe) task: its date windows, or why it cannot run. With a holdout, a task's aligned bars are cut at
 * `⌊n·(1 − holdout)⌋`: runs are ranked on the bars before, and the top runs re-tested on the bars from there on.
 * With walk-forward, the folds are cut on the distinct bar times of every task together (see {@link foldPlans}).
 * @throws ConfigError (path `--walk-forward`) when the bars are too few for the folds asked for.
 */
export async function planTasks(opts: PlanOptions): Promise<MarketPlan> {
  const { space } = opts;
  const loaded = new Map<string, LoadedCandles | Error>();
  const load = async (symbol: string, tf: string): Promise<LoadedCandles | Error> => {
    const key = `${symbol}_${tf}`;
    let l = loaded.get(key);
    if (l === undefined) {
      try {
        l = await opts.data.load(symbol, tf);
      } catch (e) {
        l = e instanceof Error ? e : new Error(String(e));
      }
      loaded.set(key, l);
    }
    return l;
  };
  const extras = new Map(space.timeframes.map((tf) => [tf, extraTimeframes(opts.strategy, space.grid, tf)]));
  const tasks: TaskPlan[] = [];
  // Aligned bar times of each task that can run, by task number, when a walk-forward split needs them.
  const timelines = new Map<number, NamedTimeline>();
  const walkForward = opts.walkForward ?? 0;
  for (const group of space.groups) {
    for (const tf of space.timeframes) {
      const name = `${groupName(group)}_${tf}`;
      let skip: string | undefined;
      const primaries: { symbol: string; primary: CandleSeries }[] = [];
      for (const symbol of group) {
        for (const t of [tf, ...extras.get(tf)!]) {
          const l = await load(symbol, t);
          if (l instanceof Error) skip ??= `${name}: ${l.message}`;
          else if (t === tf) primaries.push({ symbol, primary: trimmed(l.series, opts.window) });
        }
      }
      if (skip === undefined && primaries.every((p) => p.primary.length === 0)) skip = `${name}: no candles in the date range`;
      if (skip !== undefined) {
        tasks.push({ skip, inSample: opts.window });
        continue;
      }
      if (opts.holdout <= 0 && walkForward <= 0) {
        tasks.push({ inSample: opts.window });
        continue;
      }
      const timeline = alignByTimestamp(primaries).timeline;
      if (walkForward > 0) timelines.set(tasks.length, { name, timeline });
      if (opts.holdout <= 0) {
        tasks.push({ inSample: opts.window });
        continue;
      }
      const cut = Math.floor(timeline.length * (1 - opts.holdout));
      if (cut < 2 || cut >= timeline.length) {
        tasks.push({ skip: `${name}: ${timeline.length} bars are too few for a ${opts.holdout * 100}% holdout`, inSample: opts.window });
        continue;
      }
      const split = timeline[cut]!;
      tasks.push({ inSample: { start: opts.window.start, end: split - 1 }, outOfSample: { start: split, end: opts.window.end } });
    }
  }
  const candles: SharedCandles[] = [];
  for (const [key, l] of loaded) {
    if (l instanceof Error) continue;
    candles.push({ key, buffer: l.series.toBuffer(true), length: l.series.length, rowsRead: l.rowsRead, skipped: l.skipped, source: l.source, sha256: l.sha256 });
  }
  if (walkForward <= 0) return { tasks, candles };
  return { tasks, candles, folds: foldPlans(tasks, timelines, walkForward, opts.window) };
}

/** A task's name (`BTC+ETH_1d`) and aligned bar times. */
interface NamedTimeline {
  readonly name: string;
  readonly timeline: Float64Array;
}

/** Number of times in the sorted `times` before `t`. */
function countBefore(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Anchored folds shared by every task: cut on the distinct bar times of all tasks together, so that fold k is the
 * same stretch of calendar time whichever task wins it (tasks whose histories differ are compared on the same
 * dates). A task with too few bars before a fold's test window sits that fold out: its runs fail with the reason.
 */
function foldPlans(base: readonly TaskPlan[], timelines: ReadonlyMap<number, NamedTimeline>, k: number, window: DateWindow): FoldPlan[] {
  const live = [...timelines.values()];
  if (live.length === 0) return [];
  const what = live.length === 1 ? live[0]!.name : `${live.map((l) => l.name).join(", ")} together`;
  const windows = foldWindows(mergeTimelines(live.map((l) => l.timeline)), k, what);
  return windows.map((w, f) => {
    const testStart = w.outOfSample.first;
    // Up to the next test window, so that bars between the segments' last and next first bar (other timeframes) count.
    const testEnd = f + 1 < windows.length ? windows[f + 1]!.outOfSample.first - 1 : window.end;
    const tasks = base.map((plan, i): TaskPlan => {
      const task = timelines.get(i);
      if (!task) return plan;
      const before = countBefore(task.timeline, testStart);
      if (before < MIN_SEGMENT_BARS) {
        return { skip: `${task.name}: ${before} bar(s) before fold ${w.fold}'s test window (${formatCandleTime(testStart)}), too few to rank on`, inSample: plan.inSample };
      }
      return { inSample: { start: window.start, end: testStart - 1 }, outOfSample: { start: testStart, end: testEnd } };
    });
    return { ...w, tasks };
  });
}
