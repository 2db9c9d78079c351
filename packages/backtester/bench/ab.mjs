// A/B of two builds in one process: an old build of @tradeloom/strategies and/or @tradeloom/backtester against the
// current one, alternating run by run, reporting the median of the per-round ratios (new / old).
//
// Why one process: on a shared host one process's figure can be 30 % off another's minutes apart (docs/benchmarks.md),
// far more than most changes move. Alternated in one process, both builds meet the same moments of contention, and
// two copies of one build read 0.97–1.01: a change beyond ±3 % shows.
//
// Usage, from the repository root (the old build is copied out of the tree, then the tree is rebuilt):
//   git stash && pnpm build && cp packages/strategies/dist/index.js ../strategies-old.js && git stash pop && pnpm build
//   node packages/backtester/bench/ab.mjs --old-strategies ../strategies-old.js quick_flip momentum_scalper
// `--old-backtester FILE` for an engine change (its `dist/index.js`), `--tf 1d` for the shipped configs' own
// timeframe, `--rounds N` (default 40 for 1 h, 400 for 1 d, after 1.5 s of warm-up). With neither `--old-…` option,
// the current build is compared with a copy of itself: the noise floor.
//
// Prints, per strategy: the strategy alone (strategy builds only) and the whole backtest, old and new medians in ms and
// the median new/old ratio; and whether both builds gave the same trades and final equity (they must, for a speed
// change).
import { copyFileSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Timeframe } from "@tradeloom/types";
import { arg, configDir, dataDir, median, nowNs } from "./common.mjs";
import { strategyAlone } from "./strategy-alone.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const names = [];
for (let k = 0; k < argv.length; k++) {
  if (argv[k].startsWith("--")) k++;
  else names.push(argv[k]);
}
if (names.length === 0) throw new Error("name at least one strategy, e.g. quick_flip");
const tf = arg("--tf", "1h");
// A 1 d backtest takes well under a millisecond: many more rounds, and the warm-up is measured in time (V8 optimises
// the engine only after hundreds of short runs).
const rounds = Number(arg("--rounds", tf === "1h" ? "40" : "400"));
if (!(Number.isInteger(rounds) && rounds >= 1)) throw new Error(`--rounds: a whole number ≥ 1, got ${arg("--rounds")}`);
const warmMs = 1500;

/** The build at `file` (an old `dist/index.js`; the current one when absent) loaded from beside the current one, so its imports resolve to the same packages. */
const copies = [];
async function build(packageDir, file) {
  const target = join(packageDir, `dist/.ab-${file === undefined ? "same" : "old"}.js`);
  copyFileSync(file ?? join(packageDir, "dist/index.js"), target);
  copies.push(target);
  return { old: await import(target) };
}

try {
  const oldStrategies = arg("--old-strategies");
  const oldBacktester = arg("--old-backtester");
  // Neither given: the current strategies against a copy of themselves.
  const st = oldStrategies !== undefined || oldBacktester === undefined ? await build(join(here, "../../strategies"), oldStrategies) : undefined;
  const bt = oldBacktester !== undefined ? await build(join(here, ".."), oldBacktester) : undefined;
  const current = await import("@tradeloom/backtester");
  const currentStrategies = await import("@tradeloom/strategies");
  const strategiesOf = (v) => (st === undefined || v === "new" ? currentStrategies : st.old);
  const backtesterOf = (v) => (bt === undefined || v === "new" ? current : bt.old);

  for (const name of names) {
    const cfg0 = current.parseConfigText(readFileSync(join(configDir, `${name}_config.json`), "utf8"));
    const symbols = tf === "1h" ? ["BNBINR", "BTCINR", "ETHINR", "SOLINR", "XRPINR"] : cfg0.trading.symbols;
    const cfg = { ...cfg0, strategy: { ...cfg0.strategy, timeframe: tf }, trading: { ...cfg0.trading, symbols } };
    const data = {};
    for (const s of symbols) data[`${s}_${tf}`] = current.parseCandleCsv(readFileSync(join(dataDir, `${s}_${tf}.csv`), "utf8"), s).series;
    const aligned = current.alignByTimestamp(symbols.map((symbol) => ({ symbol, primary: data[`${symbol}_${tf}`] })));
    const times = { alone: { old: [], new: [] }, engine: { old: [], new: [] } };
    const outcome = {};
    const warmUntil = Date.now() + warmMs;
    let warm = Number.POSITIVE_INFINITY;
    for (let r = 0; r < warm + rounds; r++) {
      if (warm === Number.POSITIVE_INFINITY && r >= 6 && Date.now() >= warmUntil) warm = r;
      // Each round starts with the other build, so neither always runs right after the other.
      for (const v of r % 2 === 0 ? ["old", "new"] : ["new", "old"]) {
        const registry = strategiesOf(v).builtinRegistry();
        if (st !== undefined) {
          const t = nowNs();
          strategyAlone(registry, name, cfg, aligned.symbols, strategiesOf(v).SortedLimits);
          if (r >= warm) times.alone[v].push(nowNs() - t);
        }
        const factory = registry.create(name, cfg.strategy, { timeframe: Timeframe.parse(tf) });
        const b = backtesterOf(v);
        const t = nowNs();
        const res = await b.runBacktest({ config: cfg, strategy: factory, data: b.memorySource(data) });
        if (r >= warm) times.engine[v].push(nowNs() - t);
        outcome[v] = `${res.metrics.totalTrades} trades, final equity ${res.metrics.finalEquity}`;
      }
    }
    const line = (label, x) => {
      if (x.old.length === 0) return;
      const ratio = median(x.new.map((n, i) => n / x.old[i]));
      console.log(`${name} ${tf} ${label}: old ${(median(x.old) / 1e6).toFixed(2)} ms, new ${(median(x.new) / 1e6).toFixed(2)} ms, new/old ${ratio.toFixed(3)}`);
    };
    line("strategy alone", times.alone);
    line("whole backtest", times.engine);
    console.log(`${name} ${tf} results: ${outcome.old === outcome.new ? `the same (${outcome.new})` : `DIFFER: old ${outcome.old}, new ${outcome.new}`}`);
  }
} finally {
  for (const f of copies) rmSync(f, { force: true });
}
