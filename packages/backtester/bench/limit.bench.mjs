// Distance to the limit (docs/benchmarks.md, benchmark 2): for each built-in strategy on the five 1 h files, the
// median time of a whole backtest (runBacktest, data in memory) against the median time of a hand-written loop over
// the same typed arrays that computes the same indicators and entry/exit conditions (./loops.mjs). Engine and loop
// runs alternate, so both see the same machine load. Target: engine time / loop time ≤ 3.
//
// Also timed, for where the time goes: the strategy alone (./strategy-alone.mjs), i.e. the same strategy objects asked
// for their decision on every bar of every symbol as the engine would. Its indicators are the reference's window-exact
// ones, which the hand loops do not reproduce; engine ÷ strategy-alone is what the engine (orders, fills, the exact
// ledger, risk) adds to the strategy's own cost.
//
// And where the engine's own time goes, so that a missed target says what limits it: the engine with an idle strategy
// (one that never orders: alignment, the bar loop's bookkeeping, equity, metrics), the exact-decimal ledger alone,
// replaying the run's trades (each one's entry and exit fill, through a fresh ExecutionEngine with the run's fees, lot
// step and price tick), and the strategy in the engine: every call the run made of its strategies, recorded and
// replayed (./strategy-replay.mjs), which adds to the strategy alone its work on bars in a position, the stop and score
// of each entry, a grid's ladders on the bars the engine asked for them, and the callbacks. What is left of the engine's
// time beyond the idle engine, the strategy in the engine and the ledger is order handling: orders, sizing, risk checks,
// protective exits, books.
//
// The floor is the sum of the parts that are not order handling: idle engine + strategy in the engine + ledger. No
// engine that runs the shipped strategies, keeps the reference's window-exact indicators and an exact ledger runs
// faster than that; where the floor itself misses a target, order handling is not what limits it.
//
// Each strategy is measured in a process of its own, and the idle engine in three others, as in engine.bench.mjs: engine
// code timed after it has called other strategy classes runs slower (V8 drops its per-class fast paths). Measured in one
// process, range_breakout (the last of the five) read 24–25 ms; in its own, 19 ms.
//
// Usage: node bench/limit.bench.mjs [--json] [--strategy NAME | --idle] [--seconds S] [--data DIR] [--configs DIR]
import { runBacktest, memorySource, alignByTimestamp, DEFAULT_LOT_STEP, DEFAULT_PRICE_TICK } from "@tradeloom/backtester";
import { ExecutionEngine, GTC, Order, Orders } from "@tradeloom/oms";
import { builtinRegistry, NO_ORDERS, SortedLimits } from "@tradeloom/strategies";
import { Money, Timeframe } from "@tradeloom/types";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { STRATEGIES, SYMS_1H, arg, config1h, flag, load, median, nowNs, series } from "./common.mjs";
import { LOOPS } from "./loops.mjs";
import { strategyAlone } from "./strategy-alone.mjs";
import { flatLogs, recordingFactory, replayStrategy } from "./strategy-replay.mjs";

/** A strategy that never orders: the engine around it does only its per-bar bookkeeping. */
class IdleStrategy {
  name = "idle";
  generateOrders() {
    return NO_ORDERS;
  }
  calculateStopLoss() {
    return Number.NaN;
  }
  calculateTakeProfit() {
    return Number.NaN;
  }
}

/**
 * Each trade's entry and exit fill through a fresh ledger with the run's costs, as the engine's fills go through it:
 * an order, `execute`, and the trade's net P&L read as a number. Taker fees throughout; cash large enough that no entry
 * is refused (the refusals are the engine's business, not the ledger's cost).
 */
function replayLedger(cfg, fills) {
  const led = new ExecutionEngine(Money.of(cfg.trading.initial_capital * 1000), {
    makerFee: cfg.exchange.maker_fee,
    takerFee: cfg.exchange.taker_fee,
    lotStep: cfg.backtest.lot_step !== undefined ? String(cfg.backtest.lot_step) : DEFAULT_LOT_STEP,
    priceTick: cfg.backtest.price_tick !== undefined ? String(cfg.backtest.price_tick) : DEFAULT_PRICE_TICK,
  });
  let id = 1;
  let net = 0;
  for (const f of fills) {
    const open = new Order({ id: id++, symbol: f.symbol, request: f.open, quantity: f.quantity, createdAt: f.entryTime, isEntry: true });
    led.execute(open, f.entryPrice, false, f.entryTime, "signal");
    const exit = new Order({ id: id++, symbol: f.symbol, request: f.close, quantity: f.quantity, createdAt: f.exitTime });
    const out = led.execute(exit, f.exitPrice, false, f.exitTime, f.exitReason);
    if (out.kind !== "filled" || out.trade === undefined) throw new Error(`ledger replay: trade ${id / 2} did not close (${out.kind === "rejected" ? out.reason : "no trade"})`);
    net += out.trade.netPnl.toNumber();
  }
  return net;
}

/** What the replay of each trade needs, as the engine would have it at its fills (numbers and requests made beforehand). */
function replayInputs(trades) {
  return trades.map((t) => {
    const q = t.quantity.toNumber();
    return {
      symbol: t.symbol,
      quantity: t.quantity,
      // Shaped as the engine's requests are: a strategy's entry, and the literal of a protective exit.
      open: t.side === "buy" ? Orders.marketBuy(q) : Orders.marketSell(q),
      close: { side: t.side === "buy" ? "sell" : "buy", type: "market", quantity: q, timeInForce: GTC, clientId: t.exitReason, reduceOnly: true },
      entryPrice: t.entryPrice.toNumber(),
      exitPrice: t.exitPrice.toNumber(),
      entryTime: t.entryTime,
      exitTime: t.exitTime,
      exitReason: t.exitReason,
    };
  });
}

const only = arg("--strategy");
const budgetMs = Number(arg("--seconds", "3")) * 1000;

if (!only && !flag("--idle")) {
  // Parent: a child per strategy and one for the idle engine, same options; the rows gathered in order.
  const passOn = process.argv.slice(2).filter((a) => a !== "--json");
  const child = (extra) => {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), ...passOn, "--json", ...extra], { encoding: "utf8", maxBuffer: 1 << 24 });
    return JSON.parse(out.trim().split("\n").pop()).rows;
  };
  // The idle engine is timed in three processes, before, among and after the strategies', and the median of the three
  // is kept: one process can read twice the others on this host (2.8–3.1 ms in most runs, once 6.4).
  const idle = [child(["--idle"])[0].idleEngineMs];
  const perStrategy = [];
  for (const [k, name] of STRATEGIES.entries()) {
    perStrategy.push(...child(["--strategy", name]));
    if (k === STRATEGIES.length >> 1) idle.push(child(["--idle"])[0].idleEngineMs);
  }
  idle.push(child(["--idle"])[0].idleEngineMs);
  const idleMs = median(idle);
  const rows = perStrategy.map((r) => {
    const { loopSignals, engineTrades, rounds, ...rest } = r;
    // The floor: what the engine would take if handling orders (entries, sizing, risk, exits, books) cost nothing.
    const floorMs = idleMs + r.strategyInEngineMs + r.ledgerReplayMs;
    return {
      ...rest,
      idleEngineMs: idleMs,
      orderHandlingMs: +(r.engineMs - floorMs).toFixed(3),
      floorMs: +floorMs.toFixed(3),
      floorMBarSymbolsPerSec: +((r.barSymbols / floorMs) * 1e-3).toFixed(2),
      floorOverLoop: +(floorMs / r.loopMs).toFixed(2),
      loopSignals,
      engineTrades,
      rounds,
    };
  });
  if (flag("--json")) console.log(JSON.stringify({ bench: "limit", load: load(), processPerStrategy: true, idleEngineMsByProcess: idle, rows }));
  else console.table(rows);
  process.exit(0);
}

const data = {};
for (const s of SYMS_1H) data[`${s}_1h`] = series(s, "1h");

if (flag("--idle")) {
  // The idle engine does not depend on the strategy's parameters: any 1 h config gives its figure.
  const cfg = config1h(STRATEGIES[0]);
  const runIdleOnce = async () => {
    const t = nowNs();
    await runBacktest({ config: cfg, strategy: () => new IdleStrategy(), data: memorySource(data) });
    return nowNs() - t;
  };
  for (let i = 0; i < 10; i++) await runIdleOnce();
  const idleNs = [];
  const deadline = Date.now() + budgetMs / 2;
  do idleNs.push(await runIdleOnce());
  while (idleNs.length < 10 || (Date.now() < deadline && idleNs.length < 500));
  console.log(JSON.stringify({ bench: "limit", load: load(), rows: [{ idleEngineMs: +(median(idleNs) / 1e6).toFixed(3), rounds: idleNs.length }] }));
  process.exit(0);
}

if (!(only in LOOPS)) throw new Error(`--strategy: one of ${Object.keys(LOOPS).join(", ")}, got ${only}`);
const name = only;
const cfg = config1h(name);
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
  return { ns: nowNs() - t, trades: r.metrics.totalTrades, used: r.dataQuality.reduce((a, d) => a + d.candlesUsed, 0), result: r };
};
const runStrategyAlone = (entriesOpen = true) => strategyAlone(builtinRegistry(), name, cfg, aligned.symbols, SortedLimits, entriesOpen);
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
for (let i = 0; i < 3; i++) {
  decisions = runStrategyAlone();
  runStrategyAlone(false);
}
// Built once here: the replay times the ledger, not the trade objects or their prices as numbers.
const trades = replayInputs(first.result.trades);
for (let i = 0; i < 5; i++) replayLedger(cfg, trades);
const engineNs = [];
const loopNs = [];
const aloneNs = [];
const closedNs = [];
const ledgerNs = [];
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
  const t4 = nowNs();
  runStrategyAlone(false);
  closedNs.push(nowNs() - t4);
  const t3 = nowNs();
  replayLedger(cfg, trades);
  ledgerNs.push(nowNs() - t3);
} while (engineNs.length < 5 || (Date.now() < deadline && engineNs.length < 100));
// The strategy's own work inside the run (./strategy-replay.mjs): the engine's calls of it recorded once, then replayed
// alternately with the same calls made flat (which is the strategy alone, through the replay's loop). Recorded only
// after every engine run is timed: the recording wrapper is another strategy class at the engine's call sites, and the
// engine timed after it would run slower.
const rec = recordingFactory(builtinRegistry().create(name, cfg.strategy, { timeframe: Timeframe.parse("1h") }), SortedLimits);
const recorded = await runBacktest({ config: cfg, strategy: rec.factory, data: memorySource(data) });
if (recorded.metrics.totalTrades !== first.trades) throw new Error(`${name}: the recorded run made ${recorded.metrics.totalTrades} trades, not ${first.trades}`);
const calls = rec.logs();
const flatCalls = flatLogs(calls);
const alignedSeries = new Map(aligned.symbols.map((s) => [s.symbol, s.primary]));
const replay = (logs, check = false) => replayStrategy(builtinRegistry(), name, cfg, logs, alignedSeries, Timeframe, 300, check);
const replayCalls = replay(calls, true);
for (let i = 0; i < 3; i++) {
  replay(calls);
  replay(flatCalls);
}
const replayNs = [];
const flatNs = [];
const replayDeadline = Date.now() + budgetMs / 2;
do {
  const t5 = nowNs();
  replay(calls);
  replayNs.push(nowNs() - t5);
  const t6 = nowNs();
  replay(flatCalls);
  flatNs.push(nowNs() - t6);
} while (replayNs.length < 5 || (Date.now() < replayDeadline && replayNs.length < 100));
const e = median(engineNs);
const l = median(loopNs);
const a = median(aloneNs);
const ledger = median(ledgerNs);
const row = {
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
  strategyAloneEntriesClosedMs: +(median(closedNs) / 1e6).toFixed(3),
  strategyReplayMs: +(median(replayNs) / 1e6).toFixed(3),
  strategyFlatReplayMs: +(median(flatNs) / 1e6).toFixed(3),
  strategyReplayCalls: replayCalls,
  // The strategy alone (the lesser of its two runs, as the floor takes it) plus what the run asked of it beyond that.
  strategyInEngineMs: +((Math.min(a, median(closedNs)) + Math.max(0, median(replayNs) - median(flatNs))) / 1e6).toFixed(3),
  ledgerReplayMs: +(ledger / 1e6).toFixed(3),
  ledgerUsPerTrade: +(ledger / trades.length / 1e3).toFixed(2),
  loopSignals: signals,
  engineTrades: first.trades,
  rounds: engineNs.length,
};
if (flag("--json")) console.log(JSON.stringify({ bench: "limit", load: load(), rows: [row] }));
else console.table([row]);
