// Memory (docs/benchmarks.md, benchmark 5): peak memory of one backtest over 5 symbols × N synthetic 1-minute
// random-walk bars, for N = 250k, 500k and 1M. Each size runs in a fresh child (`node --expose-gc`), so each starts
// clean. Reported: the growth of the peak RSS over the RSS with the candles already in memory, per bar-symbol
// (the candles themselves, 6 × 8 bytes per bar, are excluded), and the slope between sizes, which shows whether
// memory grows linearly with the bars. Target: < 64 bytes per bar-symbol beyond the candles.
//
// Usage: node bench/memory.bench.mjs [--json] [--sizes 250000,500000,1000000] [--strategy quick_flip]
//        node --expose-gc bench/memory.bench.mjs --child N --strategy NAME     (one size; used by the above)
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runBacktest, memorySource } from "@tradeloom/backtester";
import { builtinRegistry } from "@tradeloom/strategies";
import { CandleSeries, Timeframe } from "@tradeloom/types";
import { arg, flag, load, loadConfig } from "./common.mjs";

const SYMBOLS = ["AAAINR", "BBBINR", "CCCINR", "DDDINR", "EEEINR"];
const strategyName = arg("--strategy", "quick_flip");

/** 5 × n candles of a seeded random walk, each symbol in one Float64Array (CandleSeries.fromBuffer layout). */
function synthetic(n) {
  let seed = 0x9e3779b9;
  const rnd = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const data = {};
  const t0 = Date.UTC(2020, 0, 1);
  for (const [k, sym] of SYMBOLS.entries()) {
    const buf = new Float64Array(6 * n);
    const s = CandleSeries.fromBuffer(buf, n);
    let prev = 1000 * (k + 1);
    for (let i = 0; i < n; i++) {
      const o = prev;
      const c = o * (1 + (rnd() - 0.5) * 0.004);
      s.time[i] = t0 + i * 60_000;
      s.open[i] = o;
      s.close[i] = c;
      s.high[i] = Math.max(o, c) * (1 + rnd() * 0.001);
      s.low[i] = Math.min(o, c) * (1 - rnd() * 0.001);
      s.volume[i] = 1 + rnd() * 10;
      prev = c;
    }
    data[`${sym}_1m`] = s;
  }
  return data;
}

async function child(n) {
  const base = loadConfig(`${strategyName}_config.json`);
  // No fees, slippage, drawdown halt or drawdown/loss-streak size cuts: on a driftless random walk the capital then
  // stays put, so the strategy keeps trading over the whole run and the trade records grow with the bars.
  const cfg = {
    ...base,
    exchange: { ...base.exchange, maker_fee: 0, taker_fee: 0, assumed_slippage: 0 },
    strategy: { ...base.strategy, timeframe: "1m" },
    trading: { ...base.trading, symbols: SYMBOLS, max_drawdown: 1, drawdown_warning: 1, drawdown_critical: 1, consecutive_loss_limit: 1e9 },
  };
  const data = synthetic(n);
  globalThis.gc();
  globalThis.gc();
  const before = process.memoryUsage();
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  // Interval samples catch the awaits of runBacktest; the kernel's high-water mark (maxRSS) catches the rest.
  let peakHeap = before.heapUsed + before.arrayBuffers;
  let peakRssSampled = before.rss;
  const sample = () => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed + m.arrayBuffers);
    peakRssSampled = Math.max(peakRssSampled, m.rss);
  };
  const timer = setInterval(sample, 2);
  const factory = builtinRegistry().create(strategyName, cfg.strategy, { timeframe: Timeframe.parse("1m") });
  const t = performance.now();
  const result = await runBacktest({ config: cfg, strategy: factory, data: memorySource(data) });
  const seconds = (performance.now() - t) / 1000;
  clearInterval(timer);
  sample();
  const peakRss = Math.max(process.resourceUsage().maxRSS * 1024, peakRssSampled);
  globalThis.gc();
  const after = process.memoryUsage();
  const barSymbols = result.dataQuality.reduce((a, d) => a + d.candlesUsed, 0);
  console.log(
    JSON.stringify({
      barsPerSymbol: n,
      barSymbols,
      trades: result.trades.length,
      seconds: +seconds.toFixed(2),
      candleMiB: +((barSymbols * 48) / 2 ** 20).toFixed(1),
      rssBeforeMiB: +(before.rss / 2 ** 20).toFixed(1),
      maxRssBeforeMiB: +(maxRssBefore / 2 ** 20).toFixed(1),
      peakRssMiB: +(peakRss / 2 ** 20).toFixed(1),
      peakRssGrowthBytesPerBarSymbol: +((peakRss - before.rss) / barSymbols).toFixed(1),
      peakHeapGrowthBytesPerBarSymbol: +((peakHeap - before.heapUsed - before.arrayBuffers) / barSymbols).toFixed(1),
      retainedBytesPerBarSymbol: +((after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / barSymbols).toFixed(1),
    }),
  );
}

if (arg("--child")) {
  await child(Number(arg("--child")));
} else {
  const sizes = arg("--sizes", "250000,500000,1000000").split(",").map(Number);
  const rows = [];
  for (const n of sizes) {
    const r = spawnSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), "--child", String(n), "--strategy", strategyName], {
      encoding: "utf8",
      maxBuffer: 1 << 24,
    });
    if (r.status !== 0) throw new Error(`memory child ${n} failed (${r.status}): ${r.stderr}`);
    rows.push(JSON.parse(r.stdout.trim().split("\n").pop()));
  }
  // Slope between consecutive sizes: bytes of peak RSS per added bar-symbol (constant ⇒ linear growth).
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1];
    const b = rows[i];
    b.marginalBytesPerBarSymbol = +(((b.peakRssMiB - b.rssBeforeMiB - (a.peakRssMiB - a.rssBeforeMiB)) * 2 ** 20) / (b.barSymbols - a.barSymbols)).toFixed(1);
  }
  if (flag("--json")) console.log(JSON.stringify({ bench: "memory", load: load(), strategy: strategyName, rows }));
  else console.table(rows);
}
