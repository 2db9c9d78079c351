import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseConfigText } from "@tradeloom/backtester";
import { csvDirectory } from "@tradeloom/backtester/node";
import { describe, expect, it } from "vitest";
import { optimize, searchSpace, type OptimizeOptions } from "./optimize";
import type { OptimizeReport } from "./report";
import { mergeResults, ResultsWriter } from "./results-file";

// Needs the built worker (dist/worker.js): the package's test script runs tsup first.
const sample = resolve(__dirname, "../../../sample-data");
const base = parseConfigText(readFileSync(join(sample, "volatility_regime_config.json"), "utf8"));
// 2 × 2 × 3 = 12 runs; atr_period 0 is invalid for the strategy's schema and must be reported, not dropped.
const config = { ...base, grid: { atr_period: [14, 0], ema_fast: [8, 13], stop_atr_multiple: [2.0, 2.5, 3.0] } };
const opts: OptimizeOptions = { config, data: csvDirectory(sample), start: Date.UTC(2023, 0, 1), top: 4, workers: 2 };

const comparable = (r: OptimizeReport) => ({ ...r, elapsedMs: 0 });

describe("optimize", () => {
  it("ranks valid runs, reports invalid combinations with their reason, and is identical for 1 or 2 workers", async () => {
    const two = await optimize(opts);
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
