import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseConfigText, runBacktest } from "@tradeloom/backtester";
import { csvDirectory } from "@tradeloom/backtester/node";
import { builtinRegistry } from "@tradeloom/strategies";
import { ConfigError, formatCandleTime, Timeframe } from "@tradeloom/types";
import { describe, expect, it } from "vitest";
import { optimize, searchSpace, type OptimizeOptions } from "./optimize";
import type { OptimizeReport } from "./report";
import { mergeResults, ResultsWriter } from "./results-file";
import { toRunMetrics } from "./run-metrics";

// Needs the built worker (dist/worker.js): the package's test script runs tsup first.
const sample = resolve(__dirname, "../../../sample-data");
const base = parseConfigText(readFileSync(join(sample, "volatility_regime_config.json"), "utf8"));
// 2 × 2 × 3 = 12 runs; atr_period 0 is invalid for the strategy's schema and must be reported, not dropped.
const config = { ...base, grid: { atr_period: [14, 0], ema_fast: [8, 13], stop_atr_multiple: [2.0, 2.5, 3.0] } };
// Two threads from the start: a grid this short would otherwise never start the second (see adaptiveWorkers).
const opts: OptimizeOptions = { config, data: csvDirectory(sample), start: Date.UTC(2023, 0, 1), top: 4, workers: 2, adaptiveWorkers: false };

const comparable = (r: OptimizeReport) => ({ ...r, elapsedMs: 0 });

describe("optimize", () => {
  it("ranks valid runs, reports invalid combinations with their reason, and is identical for 1 or 2 workers", async () => {
    const threads: number[] = [];
    const two = await optimize({ ...opts, onProgress: (p) => threads.push(p.workers) });
    expect(new Set(threads)).toEqual(new Set([2]));
    expect(two.plannedRuns).toBe(12);
    expect(two.completedRuns).toBe(12);
    expect(two.failedRuns).toBe(6);
    expect(two.failures).toHaveLength(1);
    expect(two.failures[0]!.count).toBe(6);
    expect(two.failures[0]!.reason).toMatch(/invalid parameters: strategy\.atr_period/);
    expect(two.ranking.length).toBeGreaterThan(0);
    expect(two.ranking.every((r) => r.params.atr_period === 14 && r.metrics.trades >= 1)).toBe(true);
    for (let i = 1; i < two.ranking.length; i++) expect(two.ranking[i - 1]!.metrics.sharpe).toBeGreaterThanOrEqual(two.ranking[i]!.metrics.sharpe);
    expect(two.deflatedSharpe?.trials).toBe(two.eligibleRuns);
    const one = await optimize({ ...opts, workers: 1 });
    expect(comparable(one)).toEqual(comparable(two));
  });

  it("by default starts one thread, and a grid of a fraction of a second never repays a second one", async () => {
    const threads: number[] = [];
    const adaptive = await optimize({ ...opts, adaptiveWorkers: undefined, onProgress: (p) => threads.push(p.workers) });
    expect(new Set(threads)).toEqual(new Set([1]));
    expect(comparable(adaptive)).toEqual(comparable(await optimize(opts)));
  });

  it("a run with fewer than --min-trades trades never ranks", async () => {
    const r = await optimize({ ...opts, minTrades: 1_000_000 });
    expect(r.ranking).toEqual([]);
    expect(r.eligibleRuns).toBe(0);
    expect(r.belowMinTrades).toBe(6);
    expect(r.deflatedSharpe).toBeUndefined();
  });

  it("merged shards equal a single run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tl-shards-"));
    const single = await optimize(opts);
    const { fingerprint, space } = searchSpace(opts);
    const files: string[] = [];
    for (let i = 0; i < 3; i++) {
      const file = join(dir, `shard-${i}.jsonl`);
      const shard = { index: i, count: 3 };
      const writer = await ResultsWriter.open(file, {
        type: "header",
        format: "tradeloom-optimize-results/1",
        fingerprint,
        shard,
        totalRuns: space.size,
        sortBy: "sharpe",
        top: 4,
        minTrades: 1,
        holdout: 0,
        grid: { keys: space.grid.keys, values: space.grid.values },
        groups: space.groups,
        timeframes: space.timeframes,
        start: opts.start ?? null,
        end: null,
      });
      const r = await optimize({ ...opts, shard, workers: 1, onOutcome: (o) => writer.outcome(o) });
      await writer.close(r);
      files.push(file);
    }
    await expect(mergeResults(files.slice(0, 2))).rejects.toThrow(/missing shard\(s\) 2\/3/);
    const merged = await mergeResults(files.reverse());
    expect({ ...comparable(merged.report) }).toEqual(comparable(single));
  });

  it("holds out the latest bars and reports the top runs' out-of-sample metrics", async () => {
    const r = await optimize({ ...opts, start: undefined, holdout: 0.25 });
    expect(r.holdout).toBe(0.25);
    expect(r.ranking.length).toBeGreaterThan(0);
    for (const x of r.ranking) expect(x.outOfSample).toBeDefined();
  });

  it("stops when aborted and still reports the runs finished so far", async () => {
    const ac = new AbortController();
    const r = await optimize({ ...opts, workers: 1, signal: ac.signal, onProgress: (p) => p.done >= 1 && ac.abort() });
    expect(r.interrupted).toBe(true);
    expect(r.completedRuns).toBeGreaterThanOrEqual(1);
    expect(r.completedRuns).toBeLessThan(12);
  });

  it("explains a missing grid", async () => {
    await expect(optimize({ ...opts, config: { ...base, grid: undefined } })).rejects.toThrow(/needs a "grid" section[\s\S]*atr_period/);
  });
});

describe("optimize with walk-forward", () => {
  // BTC alone has the longest history (1,493 daily bars): 3 folds test on ~373 bars each.
  const btc = { ...config, trading: { ...config.trading, symbols: ["BTCINR"] } };
  const wf: OptimizeOptions = { config: btc, data: csvDirectory(sample), top: 3, workers: 2, adaptiveWorkers: false, walkForward: 3 };

  it("ranks each fold on the bars before its test window, tests the winners warm, and is identical for 1 or 2 workers", async () => {
    const progress: number[] = [];
    const two = await optimize({ ...wf, onProgress: (p) => progress.push(p.total) });
    const w = two.walkForward!;
    expect(w.k).toBe(3);
    expect(w.folds.map((f) => [f.inSample.bars, f.outOfSample.bars])).toEqual([
      [373, 373],
      [746, 373],
      [1119, 374],
    ]);
    expect(new Set(progress)).toEqual(new Set([48])); // the 12-run grid on the whole window and on 3 folds
    for (const f of w.folds) {
      expect(f.completedRuns).toBe(12);
      expect(f.failures[0]!.reason).toMatch(/invalid parameters: strategy\.atr_period/);
      expect(f.ranking.length).toBeGreaterThan(0);
      for (const r of f.ranking) expect(r.outOfSample).toBeDefined();
    }
    expect(w.summary.folds).toBe(3);
    expect(w.summary.trades).toBe(w.folds.reduce((a, f) => a + f.ranking[0]!.outOfSample!.trades, 0));
    const one = await optimize({ ...wf, workers: 1 });
    expect(comparable(one)).toEqual(comparable(two));
    // The main ranking is a plain optimization of the whole window.
    const plain = await optimize({ ...wf, walkForward: undefined });
    expect(two.ranking).toEqual(plain.ranking);
    expect(two.deflatedSharpe).toEqual(plain.deflatedSharpe);
  });

  it("each fold's winner is what optimizing only that fold's in-sample window picks; its test equals a warm backtest of the window", async () => {
    const r = await optimize(wf);
    const folds = r.walkForward!.folds;
    for (const f of folds) {
      const direct = await optimize({ ...wf, walkForward: undefined, end: f.outOfSample.first - 1 });
      expect(f.ranking.map((x) => ({ ...x, outOfSample: undefined }))).toEqual(direct.ranking.map((x) => ({ ...x, outOfSample: undefined })));
    }
    const last = folds[2]!;
    const winner = last.ranking[0]!;
    const strategy = { ...btc.strategy, ...winner.params };
    const factory = builtinRegistry().create(strategy.name, strategy, { timeframe: Timeframe.parse("1d") });
    const warm = await runBacktest({ config: { ...btc, strategy }, strategy: factory, data: csvDirectory(sample), tradeFrom: last.outOfSample.first });
    expect(winner.outOfSample).toEqual(toRunMetrics(warm.metrics));
  });

  it("refuses a bad fold count, a holdout, a shard, or bars too few for the folds (naming the task)", async () => {
    const flag = async (o: OptimizeOptions) => {
      const e = await optimize(o).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).context.path).toBe("--walk-forward");
      return (e as Error).message;
    };
    expect(await flag({ ...wf, walkForward: 1 })).toMatch(/whole number of folds ≥ 2, got 1/);
    expect(await flag({ ...wf, holdout: 0.2 })).toMatch(/--walk-forward and --holdout cannot be combined/);
    expect(await flag({ ...wf, shard: { index: 0, count: 2 } })).toMatch(/cannot run as a shard/);
    const short = { ...wf, start: Date.UTC(2025, 0, 1), end: Date.UTC(2025, 0, 7) };
    expect(await flag(short)).toBe("--walk-forward 3: BTC_1d has 7 bars, too few for 3 folds (4 segments of at least 2 bars; at most 2 folds)");
    const two = await flag({ ...short, start: Date.UTC(2025, 1, 1), end: Date.UTC(2025, 1, 7), config: { ...btc, trading: { ...btc.trading, symbols: ["BTCINR", "ETHINR"] } }, groups: [["BTCINR"], ["ETHINR"]] });
    expect(two).toMatch(/BTC_1d, ETH_1d together has 7 bars/);
  });

  it("folds are shared calendar time: a task with no history before a fold's test window sits that fold out", async () => {
    // ETH's data starts in 2025: the first fold's test window begins before it.
    const r = await optimize({ ...wf, groups: [["BTCINR"], ["ETHINR"]], top: 2 });
    const first = r.walkForward!.folds[0]!;
    const reason = `ETH_1d: 0 bar(s) before fold 1's test window (${formatCandleTime(first.outOfSample.first)}), too few to rank on`;
    expect(first.failures).toContainEqual({ reason, count: 12, firstRun: 12 });
    expect(first.ranking.every((x) => x.symbols[0] === "BTCINR")).toBe(true);
  });
});
