import { type CandleSeries, ConfigError, DataError, formatCandleTime, Timeframe } from "@tradeloom/types";
import { IntraCandleFillModel, NextOpenFillModel, type FillModel, type Trade } from "@tradeloom/oms";
import type { Strategy } from "@tradeloom/strategies";
import { alignByTimestamp, type SymbolCandles, trim } from "./align";
import type { CandleSource, LoadedCandles } from "./candle-source";
import { hashJson } from "./canonical-json";
import type { Config } from "./config";
import { findGaps, type SymbolDataQuality } from "./data-quality";
import { type DroppedEntries, type EngineOutput, type RejectedOrder, runEngine } from "./engine";
import { computeMetrics, type Metrics } from "./metrics";
import { type MonthlyPnl, monthlyPnl } from "./monthly";
import type { BacktestResult, RunManifest } from "./result";
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

  const manifest = new Manifest(
    { ...VERSIONS, ...opts.versions },
    config,
    config.strategy.name,
    tf.label,
    fillModel.name,
    symbols.map((symbol) => {
      const l = loaded.get(symbol)!;
      return { symbol, timeframe: tf.label, source: l.source, sha256: l.sha256 };
    }),
    opts,
  );
  return new Result(out, metrics, dataQuality, warnings, manifest);
}

// The monthly table, the rejected orders and the config hash are built on first read: an optimizer's thousands of runs
// read none of them. They are own enumerable getters shared by every result, not getters of an object literal: see
// `RunOutput` in engine.ts for why (a literal's getters kept each run's objects alive through young-generation
// collections).

/** {@link BacktestResult} with `trades`, `monthly` and `rejectedOrders` built on first read. */
class Result implements BacktestResult {
  declare readonly metrics: Metrics;
  declare readonly trades: readonly Trade[];
  declare readonly equity: BacktestResult["equity"];
  declare readonly monthly: MonthlyPnl;
  declare readonly dataQuality: readonly SymbolDataQuality[];
  declare readonly ambiguousBars: number;
  declare readonly rejectedOrders: readonly RejectedOrder[];
  declare readonly droppedEntries: Readonly<DroppedEntries>;
  declare readonly warnings: readonly string[];
  declare readonly manifest: RunManifest;
  readonly #out: EngineOutput;
  #monthly: MonthlyPnl | undefined;

  static readonly #tradesGetter: PropertyDescriptor = {
    enumerable: true,
    configurable: true,
    get(this: Result) {
      return this.#out.trades;
    },
  };

  static readonly #monthlyGetter: PropertyDescriptor = {
    enumerable: true,
    configurable: true,
    get(this: Result) {
      return (this.#monthly ??= monthlyPnl(this.#out.trades));
    },
  };

  static readonly #rejectedGetter: PropertyDescriptor = {
    enumerable: true,
    configurable: true,
    get(this: Result) {
      return this.#out.rejected;
    },
  };

  constructor(out: EngineOutput, metrics: Metrics, dataQuality: readonly SymbolDataQuality[], warnings: readonly string[], manifest: RunManifest) {
    this.#out = out;
    // In the order of the result's documentation: the order of Object.keys and JSON.
    this.metrics = metrics;
    Object.defineProperty(this, "trades", Result.#tradesGetter);
    this.equity = { time: out.equityTime, value: out.equity };
    Object.defineProperty(this, "monthly", Result.#monthlyGetter);
    this.dataQuality = dataQuality;
    this.ambiguousBars = out.ambiguousBars;
    Object.defineProperty(this, "rejectedOrders", Result.#rejectedGetter);
    this.droppedEntries = out.droppedEntries;
    this.warnings = warnings;
    this.manifest = manifest;
  }
}

/** {@link RunManifest} with `configHash` computed on first read. */
class Manifest implements RunManifest {
  declare readonly packages: Readonly<Record<string, string>>;
  declare readonly configHash: string;
  declare readonly strategy: string;
  declare readonly timeframe: string;
  declare readonly fillModel: string;
  declare readonly data: RunManifest["data"];
  declare readonly start: number | undefined;
  declare readonly end: number | undefined;
  declare readonly tradeFrom: number | undefined;
  readonly #config: Config;
  #hash: string | undefined;

  static readonly #hashGetter: PropertyDescriptor = {
    enumerable: true,
    configurable: true,
    get(this: Manifest) {
      return (this.#hash ??= hashJson(this.#config));
    },
  };

  constructor(
    packages: Readonly<Record<string, string>>,
    config: Config,
    strategy: string,
    timeframe: string,
    fillModel: string,
    data: RunManifest["data"],
    range: Pick<BacktestOptions, "start" | "end" | "tradeFrom">,
  ) {
    this.#config = config;
    this.packages = packages;
    Object.defineProperty(this, "configHash", Manifest.#hashGetter);
    this.strategy = strategy;
    this.timeframe = timeframe;
    this.fillModel = fillModel;
    this.data = data;
    this.start = range.start;
    this.end = range.end;
    this.tradeFrom = range.tradeFrom;
  }
}

function resolveFillModel(m: "intra-candle" | "next-open" | FillModel, slippage: number): FillModel {
  if (m === "intra-candle") return new IntraCandleFillModel(slippage);
  if (m === "next-open") return new NextOpenFillModel(slippage);
  return m;
}
