import { type CandleSeries, ConfigError, DataError, formatCandleTime, Timeframe } from "@tradeloom/types";
import { IntraCandleFillModel, NextOpenFillModel, type FillModel } from "@tradeloom/oms";
import type { Strategy } from "@tradeloom/strategies";
import { alignByTimestamp, type SymbolCandles, trim } from "./align";
import type { CandleSource, LoadedCandles } from "./candle-source";
import { hashJson } from "./canonical-json";
import type { Config } from "./config";
import { findGaps, type SymbolDataQuality } from "./data-quality";
import { runEngine } from "./engine";
import { computeMetrics } from "./metrics";
import { type MonthlyPnl, monthlyPnl } from "./monthly";
import type { BacktestResult } from "./result";
import { VERSIONS } from "./versions";

/**
 * Sizes are floored to this many units when the config sets no `backtest.lot_step` (1e-8, a satoshi): exact enough for
 * any crypto or share quantity, and it keeps ledger decimals short.
 */
export const DEFAULT_LOT_STEP = "0.00000001";

/**
 * Fill prices (after slippage) are rounded to this tick when the config sets no `backtest.price_tick` (1e-8): below
 * any real exchange's tick, and it keeps the ledger's decimals short.
 */
export const DEFAULT_PRICE_TICK = "0.00000001";

/** Options of {@link runBacktest}. */
export interface BacktestOptions {
  /** A parsed config (see `parseConfig`). */
  readonly config: Config;
  /** Builds one strategy instance per symbol. */
  readonly strategy: (symbol: string) => Strategy;
  /** Where candles come from. */
  readonly data: CandleSource;
  /** Keep candles at or after this time (UTC ms, inclusive). */
  readonly start?: number;
  /** Keep candles at or before this time (UTC ms, inclusive). */
  readonly end?: number;
  /**
   * Trade from this time on (UTC ms); candles from `start` up to it only warm the strategy up (it sees them in its
   * windows) and are not part of the equity curve or the metrics. For out-of-sample checks: the strategy starts warm.
   */
  readonly tradeFrom?: number;
  /**
   * `next-open` (T+1) or `intra-candle`, or a custom model. Default: `next-open` when the config's
   * `backtest.use_t1_execution` is true, else `intra-candle`.
   */
  readonly fillModel?: "intra-candle" | "next-open" | FillModel;
  /** Extra entries for the manifest's package list (e.g. the CLI's version). */
  readonly versions?: Readonly<Record<string, string>>;
}

/**
 * Runs a backtest: loads each configured symbol's candles (primary timeframe plus any the strategy requires), filters
 * them by date, aligns them by timestamp, runs the bar loop and computes metrics. Never writes to the console.
 *
 * @throws ConfigError for a bad timeframe, DataError for missing or malformed data.
 * @example
 * const config = parseConfigText(text);
 * const registry = builtinRegistry();
 * const result = await runBacktest({ config, strategy: registry.create(config.strategy.name, config.strategy, { timeframe: config.strategy.timeframe }), data: csvDirectory("data") });
 */
export async function runBacktest(opts: BacktestOptions): Promise<BacktestResult> {
  const { config } = opts;
  const tf = Timeframe.parse(config.strategy.timeframe);
  const symbols = config.trading.symbols;
  if (opts.start !== undefined && opts.end !== undefined && opts.start > opts.end) {
    throw new ConfigError(`start ${formatCandleTime(opts.start)} is after end ${formatCandleTime(opts.end)}`, { path: "start" });
  }
  const probe = opts.strategy(symbols[0]!);
  const extraTfs = (probe.requiredTimeframes?.() ?? []).filter((x) => x !== tf.label);
  for (const x of extraTfs) Timeframe.parse(x);

  const loaded = new Map<string, LoadedCandles>();
  const inputs: SymbolCandles[] = [];
  const warnings: string[] = [];
  const filter = (s: CandleSeries) => trim(s, opts.start ?? Number.NEGATIVE_INFINITY, opts.end ?? Number.POSITIVE_INFINITY);
  for (const symbol of symbols) {
    const primary = await opts.data.load(symbol, tf.label);
    loaded.set(symbol, primary);
    if (primary.skipped.length > 0) {
      const first = primary.skipped[0]!;
      warnings.push(`${primary.source}: skipped ${primary.skipped.length} row(s) with inconsistent OHLC values (first: line ${first.line}, ${first.reason})`);
    }
    let extra: Map<string, CandleSeries> | undefined;
    for (const x of extraTfs) {
      const l = await opts.data.load(symbol, x);
      (extra ??= new Map()).set(x, filter(l.series));
    }
    const p = filter(primary.series);
    if (p.length === 0) warnings.push(`${symbol}: no ${tf.label} candles in the date range; symbol left out`);
    inputs.push(extra ? { symbol, primary: p, extra } : { symbol, primary: p });
  }

  const aligned = alignByTimestamp(inputs);
  if (aligned.symbols.length === 0) {
    const range = opts.start !== undefined || opts.end !== undefined ? " in the date range" : "";
    throw new DataError("DATA_EMPTY", `no ${tf.label} candles${range} common to the symbols ${symbols.join(", ")}; nothing to backtest`, { timeframe: tf.label });
  }
  const kept = new Set(aligned.symbols.map((s) => s.symbol));
  for (const s of inputs) if (s.primary.length > 0 && !kept.has(s.symbol)) warnings.push(`${s.symbol}: no candles in the range common to all symbols; symbol left out`);

  const dataQuality: SymbolDataQuality[] = symbols.map((symbol) => {
    const l = loaded.get(symbol)!;
    const a = aligned.symbols.find((s) => s.symbol === symbol);
    const used = a?.primary;
    const gaps = used ? findGaps(used.time, tf.durationMs) : [];
    if (gaps.length > 0) warnings.push(`${symbol}: ${gaps.length} gap(s) in the ${tf.label} timestamps (first after ${formatCandleTime(gaps[0]!.after)})`);
    return {
      symbol,
      timeframe: tf.label,
      source: l.source,
      rowsRead: l.rowsRead,
      skipped: l.skipped,
      gaps,
      rangeUsed: used && used.length > 0 ? { first: used.time[0]!, last: used.time[used.length - 1]! } : undefined,
      candlesUsed: used?.length ?? 0,
    };
  });

  const fillModel = resolveFillModel(opts.fillModel ?? (config.backtest.use_t1_execution ? "next-open" : "intra-candle"), config.exchange.assumed_slippage);
  const t = config.trading;
  const out = runEngine({
    data: aligned,
    timeframe: tf,
    initialCapital: t.initial_capital,
    costs: {
      makerFee: config.exchange.maker_fee,
      takerFee: config.exchange.taker_fee,
      lotStep: config.backtest.lot_step !== undefined ? String(config.backtest.lot_step) : DEFAULT_LOT_STEP,
      priceTick: config.backtest.price_tick !== undefined ? String(config.backtest.price_tick) : DEFAULT_PRICE_TICK,
    },
    fillModel,
    risk: {
      riskPerTrade: t.risk_per_trade,
      maxPositions: t.max_positions,
      maxPortfolioHeat: t.max_portfolio_heat,
      maxPositionPct: t.max_position_pct,
      maxDrawdown: t.max_drawdown,
      drawdownWarning: t.drawdown_warning,
      drawdownCritical: t.drawdown_critical,
      drawdownWarningMultiplier: t.drawdown_warning_multiplier,
      drawdownCriticalMultiplier: t.drawdown_critical_multiplier,
      consecutiveLossLimit: t.consecutive_loss_limit,
      consecutiveLossMultiplier: t.consecutive_loss_multiplier,
    },
    createStrategy: (symbol) => (symbol === symbols[0] ? probe : opts.strategy(symbol)),
    ...(opts.tradeFrom !== undefined ? { tradeFrom: opts.tradeFrom } : {}),
  });

  const metrics = computeMetrics({
    initialCapital: t.initial_capital,
    equityTime: out.equityTime,
    equity: out.equity,
    tradeNetPnl: out.tradeNetPnl,
    barsPerYear: tf.barsPerYear,
    feesPaid: out.feesPaid.toNumber(),
    sellNotional: out.sellNotional,
    taxRate: config.tax.tax_rate,
    tdsRate: config.tax.tds_rate,
    lossOffsetAllowed: config.tax.loss_offset_allowed,
  });

  // The monthly table, the rejected orders and the config hash are built on first read: an optimizer's thousands of
  // runs read none of them.
  let monthly: MonthlyPnl | undefined;
  let configHash: string | undefined;
  return {
    metrics,
    get trades() {
      return out.trades;
    },
    equity: { time: out.equityTime, value: out.equity },
    get monthly() {
      return (monthly ??= monthlyPnl(out.trades));
    },
    dataQuality,
    ambiguousBars: out.ambiguousBars,
    get rejectedOrders() {
      return out.rejected;
    },
    droppedEntries: out.droppedEntries,
    warnings,
    manifest: {
      packages: { ...VERSIONS, ...opts.versions },
      get configHash() {
        return (configHash ??= hashJson(config));
      },
      strategy: config.strategy.name,
      timeframe: tf.label,
      fillModel: fillModel.name,
      data: symbols.map((symbol) => {
        const l = loaded.get(symbol)!;
        return { symbol, timeframe: tf.label, source: l.source, sha256: l.sha256 };
      }),
      start: opts.start,
      end: opts.end,
      tradeFrom: opts.tradeFrom,
    },
  };
}

function resolveFillModel(m: "intra-candle" | "next-open" | FillModel, slippage: number): FillModel {
  if (m === "intra-candle") return new IntraCandleFillModel(slippage);
  if (m === "next-open") return new NextOpenFillModel(slippage);
  return m;
}
