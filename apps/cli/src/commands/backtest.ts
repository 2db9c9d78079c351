import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, parseDateBound, Timeframe, TradeloomError } from "@tradeloom/types";
import { type Config, parseConfigText, runBacktest } from "@tradeloom/backtester";
import { csvDirectory } from "@tradeloom/backtester/node";
import { builtinRegistry } from "@tradeloom/strategies";
import type { CommandRun } from "../io";
import { equityCsv, monthlyText, resultJson, summaryText, tradesCsv, tradesText } from "../format";
import { writeFileAtomic } from "../fs-util";
import { loadPack } from "../strategy-packs";

const HELP = `Usage: tradeloom backtest --config FILE [options]

Options:
  --config FILE      config file in the reference JSON format (required)
  --strategy NAME    override strategy.name
  --capital N        override trading.initial_capital
  --start DATE       first candle to use (YYYY-MM-DD, inclusive)
  --end DATE         last candle to use (YYYY-MM-DD = 00:00 UTC that day, inclusive)
  --t1               next-open (T+1) execution instead of intra-candle
  --no-risk-limits   max_drawdown 1, max_positions 100, max_portfolio_heat 1
  --strategy-pack P  load strategies from a pack (package name or path; repeatable); a config's
                     strategy.module does the same
  --data-dir DIR     CSV directory (default: the config's backtest.data_dir, relative to the working directory)
  --json             print the whole result as JSON on stdout
  --out DIR          write trades.csv, equity.csv and result.json to DIR
  -h, --help         this help
`;

/** Reads and validates a config file; errors name the file. */
export async function loadConfig(path: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read config file: ${(e as Error).message}`, { file: path });
  }
  return parseConfigText(text, path);
}

function number(flag: string, v: string): number {
  const x = Number(v);
  if (v.trim() === "" || !Number.isFinite(x)) throw new ConfigError(`${flag}: expected a number, got ${JSON.stringify(v)}`, { path: flag });
  return x;
}

/** `tradeloom backtest` */
export const run: CommandRun = async (argv, io) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: "string" },
      strategy: { type: "string" },
      capital: { type: "string" },
      start: { type: "string" },
      end: { type: "string" },
      t1: { type: "boolean" },
      "use-t1-execution": { type: "boolean" },
      "no-risk-limits": { type: "boolean" },
      "data-dir": { type: "string" },
      "strategy-pack": { type: "string", multiple: true },
      json: { type: "boolean" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (!values.config) throw new TradeloomError("USAGE", "--config FILE is required (see tradeloom backtest --help)");
  const configPath = resolve(io.cwd, values.config);
  const loaded = await loadConfig(configPath);
  const config: Config = {
    ...loaded,
    strategy: { ...loaded.strategy, ...(values.strategy ? { name: values.strategy } : {}) },
    trading: {
      ...loaded.trading,
      ...(values.capital !== undefined ? { initial_capital: number("--capital", values.capital) } : {}),
      ...(values["no-risk-limits"] ? { max_drawdown: 1, max_positions: 100, max_portfolio_heat: 1 } : {}),
    },
    backtest: { ...loaded.backtest, ...(values.t1 || values["use-t1-execution"] ? { use_t1_execution: true } : {}) },
  };
  if (!(config.trading.initial_capital > 0)) throw new ConfigError("--capital must be positive", { path: "--capital" });
  const start = values.start !== undefined ? parseDateBound(values.start, "--start") : undefined;
  const end = values.end !== undefined ? parseDateBound(values.end, "--end") : undefined;
  const dataDir = resolve(io.cwd, values["data-dir"] ?? config.backtest.data_dir);

  const registry = builtinRegistry();
  for (const spec of values["strategy-pack"] ?? []) await loadPack(spec, io.cwd, registry);
  if (config.strategy.module) await loadPack(config.strategy.module, dirname(configPath), registry);
  const factory = registry.create(config.strategy.name, config.strategy, { timeframe: Timeframe.parse(config.strategy.timeframe) });
  const result = await runBacktest({
    config,
    strategy: factory,
    data: csvDirectory(dataDir),
    ...(start !== undefined ? { start } : {}),
    ...(end !== undefined ? { end } : {}),
  });

  for (const w of result.warnings) io.stderr.write(`warning: ${w}\n`);
  if (values.out) {
    const out = resolve(io.cwd, values.out);
    await writeFileAtomic(join(out, "trades.csv"), tradesCsv(result));
    await writeFileAtomic(join(out, "equity.csv"), equityCsv(result));
    await writeFileAtomic(join(out, "result.json"), `${JSON.stringify(resultJson(result), null, 2)}\n`);
  }
  if (values.json) {
    io.stdout.write(`${JSON.stringify(resultJson(result), null, 2)}\n`);
  } else {
    io.stdout.write(summaryText(result, config.trading.initial_capital, config.tax.tax_rate));
    io.stdout.write("\n");
    io.stdout.write(tradesText(result));
    io.stdout.write("\n");
    io.stdout.write(monthlyText(result));
    if (values.out) io.stdout.write(`\nWrote trades.csv, equity.csv and result.json to ${values.out}\n`);
  }
  return 0;
};
