import { CandleSeries } from "@tradeloom/types";
import type { OrderRequest } from "@tradeloom/oms";
import { NO_ORDERS, type BarWindow, type Strategy, type StrategyContext } from "@tradeloom/strategies";
import { parseConfig, type Config } from "../src/config";

export const DAY = 86_400_000;
export const T0 = Date.UTC(2024, 0, 1);

/** Daily candles from [open, high, low, close] tuples starting at T0. */
export function daily(rows: readonly (readonly [number, number, number, number])[], t0 = T0): CandleSeries {
  return CandleSeries.fromCandles(rows.map(([o, h, l, c], i) => ({ time: t0 + i * DAY, open: o, high: h, low: l, close: c, volume: 1 })));
}

/** A config with the reference's worked-example numbers (engine.md §14) for symbols `syms`. */
export function testConfig(syms: string[] = ["X"], over: Partial<Config["trading"]> = {}): Config {
  return parseConfig({
    exchange: { maker_fee: 0.001, taker_fee: 0.001, assumed_slippage: 0.001, rate_limit: 10 },
    trading: {
      symbols: syms,
      initial_capital: 100_000,
      risk_per_trade: 0.15,
      max_positions: 5,
      max_portfolio_heat: 0.3,
      max_position_pct: 0.2,
      max_drawdown: 0.5,
      drawdown_warning: 0.3,
      drawdown_critical: 0.4,
      drawdown_warning_multiplier: 0.5,
      drawdown_critical_multiplier: 0.25,
      consecutive_loss_limit: 3,
      consecutive_loss_multiplier: 0.75,
      ...over,
    },
    strategy: { name: "scripted", timeframe: "1d" },
    tax: { tax_rate: 0.3, tds_rate: 0.01, loss_offset_allowed: false },
    backtest: { data_dir: ".", results_dir: ".", commission: 0.001 },
  });
}

/** A strategy that emits scripted orders at given bar indices and uses fixed stop/target distances. */
export function scripted(opts: {
  orders: Record<number, OrderRequest[]>;
  stopDist?: number;
  targetDist?: number;
  trailing?: (ctx: { price: number; entry: number }) => number | undefined;
  onBar?: (ctx: StrategyContext) => void;
}): Strategy & { calls: number[] } {
  const calls: number[] = [];
  return {
    name: "scripted",
    calls,
    onBar: opts.onBar,
    generateOrders(ctx) {
      calls.push(ctx.window.end);
      return opts.orders[ctx.window.end] ?? NO_ORDERS;
    },
    calculateStopLoss(_w: BarWindow, entry: number, side) {
      const d = opts.stopDist ?? 10;
      return side === "buy" ? entry - d : entry + d;
    },
    calculateTakeProfit(_w: BarWindow, entry: number, side) {
      const d = opts.targetDist ?? 20;
      return side === "buy" ? entry + d : entry - d;
    },
    updateTrailingStop: opts.trailing ? (pos, price) => opts.trailing!({ price, entry: pos.avgEntry }) : undefined,
  };
}
