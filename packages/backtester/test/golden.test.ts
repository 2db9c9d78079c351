import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Timeframe, formatCandleTime } from "@tradeloom/types";
import { builtinRegistry, type RestingLimits, SortedLimits, type Strategy, type StrategyContext } from "@tradeloom/strategies";
import { parseConfigText } from "../src/config";
import { csvDirectory } from "../src/node";
import { runBacktest } from "../src/run-backtest";

// Golden results of every built-in strategy's reference config on the bundled sample data, both fill models.
// A change in behaviour shows up here as a diff; when it is intended, regenerate with UPDATE_GOLDEN=1 and explain
// the change in docs/reference-differences.md or the changeset.
const root = join(__dirname, "..", "..", "..");
const sample = join(root, "sample-data");
const configs = join(__dirname, "fixtures", "configs");
const golden = join(__dirname, "fixtures", "golden");

const cases = ["volatility_regime", "regime_grid", "momentum_scalper", "quick_flip", "range_breakout"];

describe.each(cases)("golden backtest: %s", (name) => {
  it.each(["intra-candle", "next-open"] as const)("%s", async (fillModel) => {
    const config = parseConfigText(readFileSync(join(configs, `${name}_config.json`), "utf8"));
    const strategy = builtinRegistry().create(config.strategy.name, config.strategy, { timeframe: Timeframe.parse(config.strategy.timeframe) });
    const r = await runBacktest({ config, strategy, data: csvDirectory(sample), fillModel });
    const lines = r.trades.map((t) =>
      [t.symbol, t.side, formatCandleTime(t.entryTime), formatCandleTime(t.exitTime), t.entryPrice, t.exitPrice, t.quantity, t.netPnl, t.fees, t.exitReason].join(","),
    );
    const summary = {
      trades: r.trades.length,
      finalEquity: r.metrics.finalEquity.toFixed(6),
      totalReturn: r.metrics.totalReturn.toFixed(6),
      maxDrawdown: r.metrics.maxDrawdown.toFixed(6),
      ambiguousBars: r.ambiguousBars,
      tradesSha256: createHash("sha256").update(lines.join("\n")).digest("hex"),
      firstTrades: lines.slice(0, 5),
    };
    expect(r.trades.length).toBeGreaterThan(0);
    const file = join(golden, `${name}.${fillModel}.json`);
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
    expect(summary).toEqual(JSON.parse(readFileSync(file, "utf8")));
  });
});

describe("resting limits handed to strategies", () => {
  it("are, at every call, the limit prices of the open order views, per side and sorted", async () => {
    const config = parseConfigText(readFileSync(join(configs, "regime_grid_config.json"), "utf8"));
    const factory = builtinRegistry().create(config.strategy.name, config.strategy, { timeframe: Timeframe.parse(config.strategy.timeframe) });
    let calls = 0;
    let checked = 0;
    const strategy = (symbol: string) => {
      const inner = factory(symbol);
      const spy: Strategy = Object.create(inner);
      spy.generateOrders = (ctx: StrategyContext) => {
        calls++;
        const given = ctx.restingLimits!;
        const built = SortedLimits.fromOrders(ctx.openOrders);
        for (const side of ["buy", "sell"] as const) {
          const read = (l: RestingLimits) => Array.from({ length: l.count(side) }, (_, i) => l.price(side, i));
          expect(read(given)).toEqual(read(built));
          checked += given.count(side);
        }
        return inner.generateOrders(ctx);
      };
      return spy;
    };
    await runBacktest({ config, strategy, data: csvDirectory(sample) });
    expect(calls).toBeGreaterThan(100);
    expect(checked).toBeGreaterThan(calls);
  });
});
