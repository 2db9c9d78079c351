import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CandleSeries, Timeframe } from "@tradeloom/types";
import { parseConfig, runBacktest } from "@tradeloom/backtester";
import { csvDirectory } from "@tradeloom/backtester/node";
import { StrategyRegistry } from "@tradeloom/strategies";
import pack, { DonchianBreakout, donchianBreakout } from "./index";

const config = parseConfig({
  exchange: { maker_fee: 0.001, taker_fee: 0.001, assumed_slippage: 0.001, rate_limit: 10 },
  trading: {
    symbols: ["BNBINR", "BTCINR"], initial_capital: 100000, risk_per_trade: 0.02, max_positions: 2, max_portfolio_heat: 0.3,
    max_position_pct: 0.3, max_drawdown: 0.3, drawdown_warning: 0.1, drawdown_critical: 0.2, drawdown_warning_multiplier: 0.5,
    drawdown_critical_multiplier: 0.25, consecutive_loss_limit: 3, consecutive_loss_multiplier: 0.75,
  },
  strategy: { name: "donchian_breakout", timeframe: "1d", channel_bars: 20 },
  tax: { tax_rate: 0.3, tds_rate: 0.01, loss_offset_allowed: false },
  backtest: { data_dir: ".", results_dir: ".", commission: 0.001 },
});

describe("donchian_breakout", () => {
  it("buys a close above the previous channel high and sells a close below the exit channel low", () => {
    const s = new DonchianBreakout(donchianBreakout.parse({ channel_bars: 3, exit_bars: 2 }));
    const closes = [10, 11, 10.5, 12, 11.8, 10];
    const series = CandleSeries.fromCandles(closes.map((c, i) => ({ time: i, open: c, high: c + 0.1, low: c - 0.1, close: c, volume: 1 })));
    const ctx = (end: number, position?: { quantity: number }) =>
      ({ window: { series, start: 0, end }, position, symbol: "X", time: end, timeframes: undefined, openOrders: [], cash: 0, equity: 0, peakEquity: 0 }) as never;
    expect(s.generateOrders(ctx(2))).toEqual([]);
    expect(s.generateOrders(ctx(3))[0]?.side).toBe("buy");
    expect(s.generateOrders(ctx(5, { quantity: 2 }))[0]).toMatchObject({ side: "sell", quantity: 2 });
  });

  it("rejects bad parameters with the field path", () => {
    expect(() => donchianBreakout.parse({ channel_bars: 1 })).toThrow(/strategy\.channel_bars/);
  });

  it("registers from the pack's default export and runs against the backtester", async () => {
    const registry = new StrategyRegistry();
    for (const def of pack) registry.register(def);
    const factory = registry.create("donchian_breakout", config.strategy, { timeframe: Timeframe.parse("1d") });
    const result = await runBacktest({ config, strategy: factory, data: csvDirectory(join(__dirname, "..", "test", "fixtures")) });
    expect(result.trades.length).toBeGreaterThan(5);
    expect(result.metrics.finalEquity).toBeGreaterThan(0);
  });
});
