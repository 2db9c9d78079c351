// Distance to the limit (docs/benchmarks.md, benchmark 2): for each built-in strategy on the five 1 h files, the
// median time of a whole backtest (runBacktest, data in memory) against the median time of a hand-written loop over
// the same typed arrays that computes the same indicators and entry/exit conditions (./loops.mjs). Engine and loop
// runs alternate, so both see the same machine load. Target: engine time / loop time ≤ 3.
//
// Also timed, for where the time goes: the strategy alone, i.e. the same strategy objects asked for their decision on
// every bar of every symbol as the engine would (300-bar windows), flat and with no order executed. Its indicators
// are the reference's window-exact ones, which the hand loops do not reproduce; engine ÷ strategy-alone is what the
// engine (orders, fills, the exact ledger, risk) adds to the strategy's own cost. A grid strategy alone builds its
// full ladder on every bar (nothing rests), more than it does inside the engine.
//
// Usage: node bench/limit.bench.mjs [--json] [--strategy NAME] [--seconds S] [--data DIR] [--configs DIR]
import { runBacktest, memorySource, alignByTimestamp } from "@tradeloom/backtester";
import { builtinRegistry, SortedLimits } from "@tradeloom/strategies";
import { Timeframe } from "@tradeloom/types";
import { STRATEGIES, SYMS_1H, arg, config1h, flag, load, median, nowNs, series } from "./common.mjs";
import { LOOPS } from "./loops.mjs";

const only = arg("--strategy");
const budgetMs = Number(arg("--seconds", "3")) * 1000;
const rows = [];
for (const name of only ? [only] : STRATEGIES) {
  const cfg = config1h(name);
  const data = {};
  for (const s of SYMS_1H) data[`${s}_1h`] = series(s, "1h");
  // The loop runs on exactly the bars the engine uses: the range common to all five symbols.
  const aligned = alignByTimestamp(SYMS_1H.map((symbol) => ({ symbol, primary: data[`${symbol}_1h`] })));
  const cols = aligned.symbols.map((s) => s.primary);
  const barSymbols = cols.reduce((a, s) => a + s.length, 0);
  const params = cfg.strategy;
  const loop = LOOPS[name];
  const runLoop = () => {
    let sig = 0;
    for (const s of cols) sig += loop(s, params);
    return sig;
  };
  const runEngineOnce = async () => {
    const factory = builtinRegistry().create(name, cfg.strategy, { timeframe: Timeframe.parse("1h") });
    const t = nowNs();
    const r = await runBacktest({ config: cfg, strategy: factory, data: memorySource(data) });
    return { ns: nowNs() - t, trades: r.metrics.totalTrades, used: r.dataQuality.reduce((a, d) => a + d.candlesUsed, 0) };
  };
  const runStrategyAlone = () => {
    const factory = builtinRegistry().create(name, cfg.strategy, { timeframe: Timeframe.parse("1h") });
    const capital = cfg.trading.initial_capital;
    let decisions = 0;
    for (const s of aligned.symbols) {
      const strategy = factory(s.symbol);
      // Historical candles are final, as the engine says of its windows: the indicators may feed ahead.
      const window = { series: s.primary, start: 0, end: -1, final: s.primary.length - 1 };
      const ctx = { symbol: s.symbol, time: 0, window, timeframes: undefined, position: undefined, openOrders: [], restingLimits: new SortedLimits(), entriesOpen: true, cash: capital, equity: capital, peakEquity: capital };
      const time = s.primary.time;
      for (let i = 0; i < s.primary.length; i++) {
        window.end = i;
        window.start = i >= 299 ? i - 299 : 0;
        ctx.time = time[i];
        strategy.onBar?.(ctx);
        if (strategy.generateOrders(ctx).length > 0) decisions++;
      }
      strategy.dispose?.();
    }
    return decisions;
  };
  // Warm-up: the JIT optimises both before timing.
  const first = await runEngineOnce();
  if (first.used !== barSymbols) throw new Error(`${name}: engine used ${first.used} bar-symbols, loop ${barSymbols}`);
  let signals = 0;
  // The loop is first called on short slices (600 bars, 10 passes), so that V8 optimises it as a function, with type
  // feedback from every branch. Warmed only by whole passes, each call one long loop, it is compiled on-stack while
  // it runs, before its rare branches (entries, exits) have run: that code kept some doubles boxed (10–100 scavenges
  // per 70 passes instead of none) and ran 1.5–2.5× slower in some processes and not in others.
  const slices = [];
  for (const c of cols) for (let a = 0; a + 600 <= c.length; a += 1500) slices.push(c.slice(a, a + 600));
  for (let r = 0; r < 10; r++) for (const c of slices) loop(c, params);
  for (let i = 0; i < 30; i++) signals = runLoop();
  let decisions = 0;
  for (let i = 0; i < 3; i++) decisions = runStrategyAlone();
  const engineNs = [];
  const loopNs = [];
  const aloneNs = [];
  const deadline = Date.now() + budgetMs;
  do {
    engineNs.push((await runEngineOnce()).ns);
    // Several loop passes per round (one pass takes a few ms), timed together.
    const reps = 5;
    const t = nowNs();
    for (let i = 0; i < reps; i++) signals = runLoop();
    loopNs.push((nowNs() - t) / reps);
    const t2 = nowNs();
    decisions = runStrategyAlone();
    aloneNs.push(nowNs() - t2);
  } while (engineNs.length < 5 || (Date.now() < deadline && engineNs.length < 100));
  const e = median(engineNs);
  const l = median(loopNs);
  const a = median(aloneNs);
  rows.push({
    strategy: name,
    barSymbols,
    engineMs: +(e / 1e6).toFixed(3),
    loopMs: +(l / 1e6).toFixed(3),
    loopNsPerBarSymbol: +(l / barSymbols).toFixed(2),
    loopMBarSymbolsPerSec: +((barSymbols / l) * 1e3).toFixed(1),
    ratio: +(e / l).toFixed(1),
    strategyAloneMs: +(a / 1e6).toFixed(3),
    engineOverStrategyAlone: +(e / a).toFixed(2),
    strategyAloneDecisions: decisions,
    loopSignals: signals,
    engineTrades: first.trades,
    rounds: engineNs.length,
  });
}
if (flag("--json")) console.log(JSON.stringify({ bench: "limit", load: load(), rows }));
else console.table(rows);
