import { type CandleSource, type Config, type LoadedCandles, runBacktest } from "@tradeloom/backtester";
import { builtinRegistry, type StrategyFactory } from "@tradeloom/strategies";
import { CandleSeries, Timeframe } from "@tradeloom/types";
import { returnMoments } from "./moments";
import type { BatchResult, BatchTask, RunOutcome, TaskPlan, WorkerContext } from "./protocol";
import { toRunMetrics } from "./run-metrics";

/** What a worker derives once per context: candle views over the shared buffers and a registry. */
interface Prepared {
  readonly context: WorkerContext;
  readonly source: CandleSource;
  readonly registry: ReturnType<typeof builtinRegistry>;
  readonly gridSize: number;
}

let cached: Prepared | undefined;

function prepare(context: WorkerContext): Prepared {
  if (cached?.context.id === context.id) return cached;
  const loaded = new Map<string, LoadedCandles>();
  for (const c of context.candles) {
    loaded.set(c.key, { series: CandleSeries.fromBuffer(c.buffer, c.length), rowsRead: c.rowsRead, skipped: c.skipped, source: c.source, sha256: c.sha256 });
  }
  const source: CandleSource = {
    async load(symbol, timeframe) {
      const l = loaded.get(`${symbol}_${timeframe}`);
      // The main thread loads every file a task needs or skips the task, so a miss means a strategy asked for more.
      if (!l) throw new Error(`no ${timeframe} candles for ${symbol} were loaded`);
      return l;
    },
  };
  let gridSize = 1;
  for (const v of context.grid.values) gridSize *= v.length;
  cached = { context, source, registry: builtinRegistry(), gridSize };
  return cached;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function runOne(p: Prepared, index: number, phase: BatchTask["phase"]): Promise<RunOutcome> {
  const ctx = p.context;
  const taskNo = Math.floor(index / p.gridSize);
  const plan: TaskPlan | undefined = ctx.tasks[taskNo];
  if (!plan) return { index, error: `run ${index} is outside the grid` };
  if (plan.skip !== undefined) return { index, error: plan.skip };
  const window = phase === "in-sample" ? plan.inSample : plan.outOfSample;
  if (!window) return { index, error: "no out-of-sample window" };
  const group = ctx.groups[Math.floor(taskNo / ctx.timeframes.length)]!;
  const timeframe = ctx.timeframes[taskNo % ctx.timeframes.length]!;
  const strategy: Record<string, unknown> = { ...(ctx.config.strategy as Record<string, unknown>) };
  let rest = index % p.gridSize;
  for (let d = ctx.grid.keys.length - 1; d >= 0; d--) {
    const vals = ctx.grid.values[d]!;
    strategy[ctx.grid.keys[d]!] = vals[rest % vals.length];
    rest = Math.floor(rest / vals.length);
  }
  strategy.timeframe = timeframe;
  let factory: StrategyFactory;
  try {
    factory = p.registry.create(String(strategy.name), strategy, { timeframe: Timeframe.parse(timeframe) });
  } catch (e) {
    return { index, error: `invalid parameters: ${message(e)}` };
  }
  const config = { ...ctx.config, strategy, trading: { ...(ctx.config.trading as object), symbols: [...group] } } as unknown as Config;
  try {
    // Out of sample, the in-sample candles only warm the strategy up: it starts with full indicator windows.
    const r =
      phase === "in-sample"
        ? await runBacktest({ config, strategy: factory, data: p.source, start: window.start, end: window.end })
        : await runBacktest({ config, strategy: factory, data: p.source, start: plan.inSample.start, end: window.end, tradeFrom: window.start });
    const metrics = toRunMetrics(r.metrics);
    return { index, metrics, moments: returnMoments(r.equity.value) };
  } catch (e) {
    return { index, error: `backtest failed: ${message(e)}` };
  }
}

/** Worker entry (tinypool): runs a batch of backtests against the shared candles. */
export default async function runBatch(task: BatchTask): Promise<BatchResult> {
  const t0 = performance.now();
  const p = prepare(task.context);
  const outcomes: RunOutcome[] = [];
  const runs = task.runs;
  if (Array.isArray(runs)) {
    for (const i of runs as readonly number[]) outcomes.push(await runOne(p, i, task.phase));
  } else {
    const r = runs as Exclude<BatchTask["runs"], readonly number[]>;
    for (let k = 0; k < r.count; k++) outcomes.push(await runOne(p, r.first + k * r.stride, task.phase));
  }
  return { outcomes, elapsedMs: performance.now() - t0 };
}
