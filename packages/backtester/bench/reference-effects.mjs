// Measures, on the shipped configs, the effect of the decisions.md fixes that can be isolated by swapping one part.
// Usage (after pnpm build): node bench/reference-effects.mjs [--data DIR] [--configs DIR]
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseConfigText, runBacktest } from "@tradeloom/backtester";
import { csvDirectory } from "@tradeloom/backtester/node";
import { IntraCandleFillModel } from "@tradeloom/oms";
import { builtinRegistry } from "@tradeloom/strategies";
import { Timeframe } from "@tradeloom/types";

const args = process.argv.slice(2);
const arg = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
const here = new URL(".", import.meta.url).pathname;
const dataDir = resolve(arg("--data", join(here, "../../../../shared/data")));
const configDir = resolve(arg("--configs", join(here, "../../../../shared/configs")));

/** The reference's target rule: a long target fills at min(open, target), a short one at max(open, target). */
class ReferenceTargetFill extends IntraCandleFillModel {
  exitPrice(side, trigger, stop, target, bar) {
    if (trigger !== 2) return super.exitPrice(side, trigger, stop, target, bar);
    const raw = side === "buy" ? Math.min(bar.open, target) : Math.max(bar.open, target);
    return side === "buy" ? raw * (1 - this.slippage) : raw * (1 + this.slippage);
  }
}

async function run(name, mutate = (c) => c, fillModel) {
  const base = parseConfigText(readFileSync(join(configDir, `${name}_config.json`), "utf8"));
  const config = mutate(structuredClone(base));
  const registry = builtinRegistry();
  let looser = 0;
  let proposals = 0;
  const make = registry.create(config.strategy.name, config.strategy, { timeframe: Timeframe.parse(config.strategy.timeframe) });
  const strategy = (symbol) => {
    const s = make(symbol);
    if (!s.updateTrailingStop) return s;
    const inner = s.updateTrailingStop.bind(s);
    const initial = new Map();
    return Object.assign(Object.create(Object.getPrototypeOf(s)), s, {
      generateOrders: s.generateOrders.bind(s),
      calculateStopLoss: s.calculateStopLoss.bind(s),
      calculateTakeProfit: s.calculateTakeProfit.bind(s),
      getRegimeScore: s.getRegimeScore?.bind(s),
      onBar: s.onBar?.bind(s),
      onTradeClosed: s.onTradeClosed?.bind(s),
      onOrderFilled: s.onOrderFilled?.bind(s),
      updateTrailingStop(pos, price, w) {
        const t = inner(pos, price, w);
        const key = pos.entryTime;
        if (!initial.has(key)) initial.set(key, s.calculateStopLoss(w, pos.avgEntry, pos.side));
        if (t !== undefined) {
          proposals++;
          const init = initial.get(key);
          if (pos.side === "buy" ? t < init : t > init) looser++;
        }
        return t;
      },
    });
  };
  const r = await runBacktest({ config, strategy, data: csvDirectory(dataDir), ...(fillModel ? { fillModel } : {}) });
  return { r, looser, proposals, config };
}

const pct = (x) => `${x.toFixed(2)} %`;
for (const name of ["volatility_regime", "regime_grid", "momentum_scalper", "quick_flip", "range_breakout"]) {
  const { r, looser, proposals, config } = await run(name);
  const m = r.metrics;
  const targetRef = await run(name, undefined, new ReferenceTargetFill(config.exchange.assumed_slippage));
  const noHeat = await run(name, (c) => ({ ...c, trading: { ...c.trading, max_portfolio_heat: 1e9 } }));
  const wins = r.trades.filter((t) => t.netPnl.toNumber() > 0).reduce((s, t) => s + t.netPnl.toNumber(), 0);
  const losses = r.trades.filter((t) => t.netPnl.toNumber() <= 0).reduce((s, t) => s - t.netPnl.toNumber(), 0);
  const lastBySymbol = new Map();
  for (const t of r.trades) if (t.closesPosition) lastBySymbol.set(t.symbol, t.exitReason);
  const phantoms = [...lastBySymbol.values()].filter((x) => x === "signal").length;
  let reentryAfterSignal = 0;
  const prev = new Map();
  for (const t of r.trades) {
    if (!t.closesPosition) continue;
    if (prev.get(t.symbol) === "signal") reentryAfterSignal++;
    prev.set(t.symbol, t.exitReason);
  }
  const eod = r.trades.filter((t) => t.exitReason === "end_of_data");
  const eodCost = eod.reduce((s, t) => s + t.fees.toNumber(), 0);
  console.log(
    JSON.stringify({
      strategy: name,
      tradeloom: { trades: r.trades.length, totalReturn: pct(m.totalReturn), sharpe: m.sharpeRatio.toFixed(2), maxDrawdown: pct(m.maxDrawdown) },
      targetExits: r.trades.filter((t) => t.exitReason === "target").length,
      withReferenceTargetRule: { trades: targetRef.r.trades.length, totalReturn: pct(targetRef.r.metrics.totalReturn) },
      withoutHeatCap: { trades: noHeat.r.trades.length, totalReturn: pct(noHeat.r.metrics.totalReturn) },
      trailingProposals: proposals,
      trailingProposalsLooserThanInitialStop: looser,
      partialCloseTrades: r.trades.filter((t) => !t.closesPosition).length,
      referencePhantomTrades: phantoms,
      reentriesAfterSignalExit: reentryAfterSignal,
      endOfDataTrades: eod.length,
      endOfDataFeesNowInEquity: eodCost.toFixed(2),
      taxTradeloom: m.taxAmount.toFixed(2),
      taxReferenceRule: (Math.max(wins - losses, 0) * config.tax.tax_rate).toFixed(2),
      rejectedOrders: r.rejectedOrders.length,
      droppedEntries: r.droppedEntries,
      gaps: r.dataQuality.reduce((s, d) => s + d.gaps.length, 0),
    }),
  );
}
