import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

// An optimizer worker runs thousands of backtests in one V8 isolate. Code V8 compiled for the bar loop must keep
// serving them: a deoptimisation after warm-up means compiling the engine again in every worker (the engine's state
// list once came out of a constructor as a packed array before V8 optimised it and a holey one after, and eight
// bar-loop methods were thrown away and recompiled, ≈ 0.45 s of TurboFan per worker). This runs the built packages,
// as a worker does, under `--trace-deopt`. V8's messages are those of Node 20's V8; other versions skip the check.
const BAR_LOOP = ["run", "phase2", "submit", "entryBlock", "refreshEquity", "heat", "openOrPendingCount", "finish", "advance", "protect"];

describe.skipIf(process.versions.node.split(".")[0] !== "20")("the engine in a long-lived thread", () => {
  it("keeps its compiled bar loop over 1,200 backtests: no 'wrong map' deoptimisation of a bar-loop method", () => {
    const sample = resolve(__dirname, "../../../sample-data");
    const script = `
      const { readFileSync } = await import("node:fs");
      const { parseConfigText, runBacktest, memorySource, parseCandleCsv } = await import("@tradeloom/backtester");
      const { builtinRegistry } = await import("@tradeloom/strategies");
      const { Timeframe } = await import("@tradeloom/types");
      const dir = ${JSON.stringify(sample)};
      const config = parseConfigText(readFileSync(dir + "/volatility_regime_config.json", "utf8"));
      const tf = config.strategy.timeframe;
      const candles = {};
      for (const s of config.trading.symbols) candles[s + "_" + tf] = parseCandleCsv(readFileSync(dir + "/" + s + "_" + tf + ".csv", "utf8"), s).series;
      const registry = builtinRegistry();
      let trades = 0;
      for (let i = 0; i < 1200; i++) {
        const strategy = registry.create(config.strategy.name, config.strategy, { timeframe: Timeframe.parse(tf) });
        trades += (await runBacktest({ config, strategy, data: memorySource(candles) })).metrics.totalTrades;
      }
      console.log("TRADES " + trades);`;
    // Run from this package so that the workspace packages resolve to their builds, as in a worker.
    const out = execFileSync(process.execPath, ["--trace-deopt", "--input-type=module", "-e", script], { cwd: resolve(__dirname, ".."), encoding: "utf8", timeout: 120_000, maxBuffer: 64 * 2 ** 20 });
    expect(out).toMatch(/TRADES [1-9]/);
    const wrongMap = out.split("\n").filter((l) => l.includes("reason: wrong map") && BAR_LOOP.some((f) => l.includes(`<JSFunction ${f} `)));
    expect(wrongMap).toEqual([]);
  });
});
