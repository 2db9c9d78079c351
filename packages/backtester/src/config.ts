import { z } from "zod";
import { ConfigError } from "@tradeloom/types";

const fraction = (max = 1) => z.number().finite().min(0).max(max);
const uint = z.number().int("must be a whole number").min(0, "must be ≥ 0");

/** `exchange` section. */
export const ExchangeConfigSchema = z.looseObject({
  maker_fee: fraction(),
  taker_fee: fraction(),
  assumed_slippage: fraction(0.5),
  rate_limit: uint,
  api_key: z.string().optional(),
  api_secret: z.string().optional(),
});

/** `trading` section: capital and the twelve risk parameters. */
export const TradingConfigSchema = z.looseObject({
  symbols: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, "symbol names use letters, digits, '.', '-' or '_'")).min(1, "list at least one symbol"),
  initial_capital: z.number().finite().positive(),
  risk_per_trade: fraction(),
  max_positions: uint,
  max_portfolio_heat: fraction(10),
  max_position_pct: fraction(10),
  max_drawdown: fraction(),
  drawdown_warning: fraction(),
  drawdown_critical: fraction(),
  drawdown_warning_multiplier: fraction(10),
  drawdown_critical_multiplier: fraction(10),
  consecutive_loss_limit: uint,
  consecutive_loss_multiplier: fraction(10),
});

/** `strategy` section: a name, a timeframe, and the strategy's own parameters (validated by the strategy). */
export const StrategySectionSchema = z.looseObject({
  name: z.string().min(1),
  timeframe: z.string().regex(/^[1-9][0-9]*[mhdwM]$/, "a timeframe such as 1h, 4h or 1d"),
  module: z.string().min(1).optional(),
});

/** `tax` section. */
export const TaxConfigSchema = z.looseObject({
  tax_rate: fraction(),
  tds_rate: fraction(),
  loss_offset_allowed: z.boolean(),
});

/** `backtest` section. `commission` and `results_dir` are read but, as in the reference, have no effect. */
export const BacktestSectionSchema = z.looseObject({
  data_dir: z.string(),
  results_dir: z.string(),
  commission: z.number().finite().min(0),
  use_t1_execution: z.boolean().optional(),
  /** Smallest quantity increment (Tradeloom extension; default 1e-8). */
  lot_step: z.union([z.string().regex(/^\d+(\.\d+)?$/, "a positive decimal"), z.number().positive()]).optional(),
  /** Price increment, a power of ten (Tradeloom extension; default 1e-8). */
  price_tick: z.union([z.string().regex(/^(1|0\.0*1)$/, "a power of ten such as 0.01"), z.number().positive()]).optional(),
});

/** A whole Tradeloom (reference-format) config file. Unknown keys are kept and ignored. */
export const ConfigSchema = z.looseObject({
  exchange: ExchangeConfigSchema,
  trading: TradingConfigSchema,
  strategy: StrategySectionSchema,
  tax: TaxConfigSchema,
  backtest: BacktestSectionSchema,
  grid: z.record(z.string(), z.unknown()).optional(),
});

/** A parsed, validated config. */
export type Config = z.infer<typeof ConfigSchema>;

/**
 * Validates a config object (already parsed from JSON).
 * @param source where it came from (a file path), quoted in errors.
 * @throws ConfigError naming the field path (`trading.max_positions`) and what is wrong.
 */
export function parseConfig(raw: unknown, source?: string): Config {
  const r = ConfigSchema.safeParse(raw);
  if (r.success) {
    const t = r.data.trading;
    if (t.drawdown_warning > t.drawdown_critical) {
      throw new ConfigError("trading.drawdown_warning must not exceed trading.drawdown_critical", { path: "trading.drawdown_warning", file: source });
    }
    return r.data;
  }
  const describe = (i: { message: string }) => (/received undefined$/.test(i.message) ? "is required" : i.message);
  const issue = r.error.issues[0]!;
  const path = issue.path.map(String).join(".") || "(root)";
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more problem${r.error.issues.length > 2 ? "s" : ""})` : "";
  throw new ConfigError(`${path}: ${describe(issue)}${more}`, {
    path,
    file: source,
    problems: r.error.issues.map((i) => `${i.path.map(String).join(".")}: ${describe(i)}`),
  });
}

/**
 * Parses config text (JSON) and validates it.
 * @throws ConfigError for invalid JSON (with the position) or an invalid field.
 */
export function parseConfigText(text: string, source?: string): Config {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`not valid JSON: ${(e as Error).message}`, { file: source });
  }
  return parseConfig(raw, source);
}
