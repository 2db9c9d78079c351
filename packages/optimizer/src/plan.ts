import { alignByTimestamp, type CandleSource, type LoadedCandles } from "@tradeloom/backtester";
import { builtinRegistry } from "@tradeloom/strategies";
import { CandleSeries, Timeframe } from "@tradeloom/types";
import type { Grid } from "./grid";
import type { JsonValue } from "./json";
import type { DateWindow, SharedCandles, TaskPlan } from "./protocol";
import type { RunSpace } from "./run-space";
import { groupName } from "./dimensions";

/** The planned tasks and the candles they need, loaded once and placed in shared memory. */
export interface MarketPlan {
  readonly tasks: readonly TaskPlan[];
  readonly candles: readonly SharedCandles[];
}

/** Options of {@link planTasks}. */
export interface PlanOptions {
  readonly space: RunSpace;
  readonly strategy: Readonly<Record<string, JsonValue>>;
  readonly data: CandleSource;
  readonly window: DateWindow;
  /** Fraction of each task's bars kept out of sample (0 = none). */
  readonly holdout: number;
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
      if (opts.holdout <= 0) {
        tasks.push({ inSample: opts.window });
        continue;
      }
      const timeline = alignByTimestamp(primaries).timeline;
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
  return { tasks, candles };
}
