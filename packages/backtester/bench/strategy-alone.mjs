// The "strategy alone" of benchmark 2 (docs/benchmarks.md), shared by limit.bench.mjs and ab.mjs.
import { Timeframe } from "@tradeloom/types";

/**
 * Asks a fresh instance of strategy `name` per symbol for its decision on every bar of `symbols` (aligned candles), as
 * the engine would: 300-bar windows, flat, no order executed, the config's capital as cash and equity. Returns the
 * number of bars on which it asked for orders. A grid strategy builds its whole ladder on every bar (nothing rests),
 * more than it does inside the engine.
 *
 * With `entriesOpen` false the context says entries are closed, as the engine does while its risk limits drop every
 * entry: a strategy that reads it (regime_grid) then builds no entry ladder, and what is timed is its indicators and
 * decisions only; the other built-ins never read it.
 *
 * @param registry - a strategy registry (`builtinRegistry()` of the build being timed).
 * @param SortedLimits - that build's `SortedLimits`, for the context's resting limits.
 */
export function strategyAlone(registry, name, cfg, symbols, SortedLimits, entriesOpen = true) {
  const factory = registry.create(name, cfg.strategy, { timeframe: Timeframe.parse(cfg.strategy.timeframe) });
  const capital = cfg.trading.initial_capital;
  let decisions = 0;
  for (const s of symbols) {
    const strategy = factory(s.symbol);
    // Historical candles are final, as the engine says of its windows: the indicators may feed ahead.
    const window = { series: s.primary, start: 0, end: -1, final: s.primary.length - 1 };
    const ctx = { symbol: s.symbol, time: 0, window, timeframes: undefined, position: undefined, openOrders: [], restingLimits: new SortedLimits(), entriesOpen, cash: capital, equity: capital, peakEquity: capital };
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
}
