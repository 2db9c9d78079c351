import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { type CandleSource, type Config } from "@tradeloom/backtester";
import { csvDirectory } from "@tradeloom/backtester/node";
import {
  applyOverrides,
  backtestBaseline,
  type Baseline,
  coinGroups,
  decideUpdate,
  defaultWorkerCount,
  type FoldWindows,
  formatDay,
  groupName,
  historyEntry,
  mergeResults,
  metricValue,
  optimize,
  type OptimizeProgress,
  type OptimizeReport,
  parseFoldCount,
  parseOverride,
  parseShard,
  parseSortMetric,
  RESULTS_FORMAT,
  ResultsWriter,
  rewriteConfigText,
  type RunMetrics,
  savedBaseline,
  searchSpace,
  type SortMetric,
  symbolGroups,
  timeframeList,
  type UpdateDecision,
  writeFileAtomic,
} from "@tradeloom/optimizer";
import { ConfigError, parseDateBound, TradeloomError } from "@tradeloom/types";
import type { CliIO, CommandRun } from "../io";
import { fmt } from "../format";
import { loadConfig } from "./backtest";

const HELP = `Usage: tradeloom optimize --config FILE [options]
       tradeloom optimize merge FILES... [--config FILE] [--no-update] [--json] [--data-dir DIR]

Grid-searches the config's "grid" section on worker threads, ranks the runs and, when the best run beats the
current config, writes its parameters back into the config file (see docs/optimizer.md).

Options:
  -c, --config FILE      config file with a "grid" section (required)
  --sort-by METRIC       sharpe (default), calmar, return, win_rate, profit_factor, sortino, expectancy
  -t, --top N            rows of the ranking to keep and print (default 10)
  --coins LIST           test every group of --min-combo..--max-combo coins, e.g. BTC,ETH,SOL
  --min-combo N          smallest coin group (default 1)
  --max-combo N          largest coin group (default: all coins)
  --symbols GROUPS       symbol groups: ';' between groups, ',' within, e.g. "BTCINR,ETHINR;SOLINR"
  --timeframes LIST      timeframes to test, e.g. 4h,1d (default: strategy.timeframe)
  --start DATE           first candle (YYYY-MM-DD, inclusive)
  --end DATE             last candle (YYYY-MM-DD = 00:00 UTC that day, inclusive)
  -O, --override K=V,..  replace or add a grid dimension (repeatable)
  --workers N            the most worker threads (default: ${defaultWorkerCount()}, the machine's cores); one starts
                         at once, the others once the runs left repay their warm-up (V8 compiling the engine)
  --eager-workers        start all --workers threads at once
  --min-trades N         runs with fewer trades never rank (default 1)
  --holdout PCT          rank on the first (100 − PCT)% of the bars; report the top runs on the rest
  --walk-forward K       also validate the search with K ≥ 2 anchored folds: cut the bars into K + 1 equal
                         segments; fold k ranks the grid on segments 1..k and tests its winner on segment k + 1;
                         prints every fold and the stitched out-of-sample result (not with --holdout, --shard, --out)
  --no-update            never rewrite the config file
  --json                 print the report as JSON on stdout
  --out FILE             also write every run's result as JSON lines (needed with --shard)
  --data-dir DIR         CSV directory (default: the config's backtest.data_dir)
  --shard i/n            run only the runs r with r mod n = i (for several machines; merge the --out files)
  -h, --help             this help
`;

/** What the command needs from outside besides its I/O: the clock that dates history entries. */
export interface OptimizeDeps {
  readonly now?: () => Date;
}

function uint(flag: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const x = Number(v);
  if (v.trim() === "" || !Number.isInteger(x) || x < 0) throw new ConfigError(`${flag}: expected a whole number ≥ 0, got ${JSON.stringify(v)}`, { path: flag });
  return x;
}

function holdoutFraction(v: string | undefined): number {
  if (v === undefined) return 0;
  const pct = Number(v.replace(/%$/, ""));
  if (!(pct > 0 && pct < 100)) throw new ConfigError(`--holdout: expected a percentage between 0 and 100, got ${JSON.stringify(v)}`, { path: "--holdout" });
  return pct / 100;
}

const W = 78;
function box(title: string, rows: readonly [string, string][] = []): string {
  const line = (s: string) => `║ ${s.padEnd(W - 4)} ║`;
  return [`╔${"═".repeat(W - 2)}╗`, line(title), ...(rows.length ? [`╠${"═".repeat(W - 2)}╣`, ...rows.map(([k, v]) => line(`${`${k}:`.padEnd(16)}${v}`))] : []), `╚${"═".repeat(W - 2)}╝`].join("\n") + "\n";
}

function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(0)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${Math.floor(s % 60)}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/** A progress line on stderr, redrawn at most every 100 ms, only on a terminal. */
function progressBar(io: CliIO): { update: (p: OptimizeProgress) => void; clear: () => void } {
  if (!io.stderr.isTTY) return { update: () => undefined, clear: () => undefined };
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100 && p.done < p.total) return;
      last = now;
      const frac = p.total > 0 ? p.done / p.total : 1;
      const cells = Math.round(frac * 30);
      const rate = p.done / Math.max(p.elapsedMs / 1000, 1e-9);
      const eta = rate > 0 ? ((p.total - p.done) / rate) * 1000 : 0;
      io.stderr.write(`\r\x1b[K  [${"█".repeat(cells)}${"░".repeat(30 - cells)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${p.done}/${p.total}  ${rate.toFixed(1)} runs/s  ETA ${duration(eta)}  ${p.workers} worker${p.workers > 1 ? "s" : ""}`);
      drawn = true;
    },
    clear() {
      if (drawn) io.stderr.write("\r\x1b[K");
    },
  };
}

const shortKey = (k: string) => k.replace("_multiple", "").replace("_threshold", "");

function paramText(params: Readonly<Record<string, unknown>>): string {
  return Object.entries(params)
    .map(([k, v]) => `${shortKey(k)}=${String(v)}`)
    .join(" ");
}

function rankingText(report: OptimizeReport, sortBy: string): string {
  const rows = report.ranking;
  if (rows.length === 0) return "";
  const oos = report.holdout > 0;
  const head = `   #  │ Sharpe │  Return │  MaxDD │ WinR │  Expect │  Trd │ Symbols      │ TF  │${oos ? " OOS Sharpe │ OOS Return │" : ""} Grid Parameters`;
  const lines = rows.map((r) => {
    const m = r.metrics;
    const medal = ["🥇", "🥈", "🥉"][r.rank - 1] ?? "  ";
    const o = r.outOfSample;
    return `${medal}${String(r.rank).padStart(3)} │ ${fmt(m.sharpe).padStart(6)} │ ${`${fmt(m.totalReturn, 1)}%`.padStart(7)} │ ${`${fmt(m.maxDrawdown, 1)}%`.padStart(6)} │ ${`${fmt(m.winRate, 0)}%`.padStart(4)} │ ${fmt(m.expectancy).padStart(7)} │ ${String(m.trades).padStart(4)} │ ${groupName(r.symbols).slice(0, 12).padEnd(12)} │ ${r.timeframe.padEnd(3)} │${oos ? ` ${(o ? fmt(o.sharpe) : "-").padStart(10)} │ ${(o ? `${fmt(o.totalReturn, 1)}%` : "-").padStart(10)} │` : ""} ${paramText(r.params)}`;
  });
  const avg = (f: (m: RunMetrics) => number) => rows.reduce((a, r) => a + f(r.metrics), 0) / rows.length;
  const quick = `  Quick Stats: best Sharpe ${fmt(Math.max(...rows.map((r) => r.metrics.sharpe)))} │ best return ${fmt(Math.max(...rows.map((r) => r.metrics.totalReturn)), 1)}% │ avg Sharpe ${fmt(avg((m) => m.sharpe))} │ avg return ${fmt(avg((m) => m.totalReturn), 1)}%`;
  return `${box(`🏆 TOP ${rows.length} RESULTS (by ${sortBy})`)}${quick}\n\n${head}\n${"─".repeat(head.length)}\n${lines.join("\n")}\n`;
}

/** Worker threads a search started, of the most it could have. */
interface WorkerUse {
  readonly used: number;
  readonly most: number;
}

function summaryText(report: OptimizeReport, workers?: WorkerUse): string {
  const done = report.completedRuns;
  const foldRuns = report.walkForward?.folds.reduce((a, f) => a + f.completedRuns, 0) ?? 0;
  const pct = (n: number) => (done > 0 ? ((n / done) * 100).toFixed(1) : "0.0");
  const rows: [string, string][] = [
    ["Total runs", `${done}${report.interrupted ? ` of ${report.plannedRuns} (interrupted)` : ""}${report.walkForward ? ` (+ ${foldRuns} in walk-forward folds)` : ""}`],
    ["Valid results", `${report.eligibleRuns} (${pct(report.eligibleRuns)}%)`],
    ["Too few trades", `${report.belowMinTrades} (fewer than ${report.minTrades})`],
    ["Invalid/failed", String(report.failedRuns)],
    ["Elapsed time", duration(report.elapsedMs)],
    ["Throughput", `${((done + foldRuns) / Math.max(report.elapsedMs / 1000, 1e-9)).toFixed(1)} runs/sec`],
  ];
  if (workers) rows.push(["Worker threads", `${workers.used} of ${workers.most}`]);
  let out = box(report.interrupted ? "⏹  OPTIMIZATION INTERRUPTED (best results so far)" : "✅ OPTIMIZATION COMPLETE", rows);
  if (workers && workers.used < workers.most) {
    out += `  Note: ${workers.used} of ${workers.most} worker threads ran: the runs were too short to repay another thread's warm-up (--eager-workers starts all)\n`;
  }
  for (const d of report.duplicates) out += `  Note: grid.${d.key} listed ${d.dropped.map((v) => JSON.stringify(v)).join(", ")} more than once; duplicates were run once\n`;
  if (report.failures.length > 0) {
    out += "  Runs without a result:\n";
    for (const f of report.failures.slice(0, 10)) out += `    - ${f.count} × ${f.reason}\n`;
    if (report.failures.length > 10) out += `    ... and ${report.failures.length - 10} more reasons\n`;
  }
  return out;
}

function deflatedText(report: OptimizeReport): string {
  const d = report.deflatedSharpe;
  if (!d) return "";
  return `\n  Deflated Sharpe ratio of #1: ${fmt(d.probability, 3)} (probability that its true Sharpe beats ${fmt(d.expectedMaxSharpe)}, the best of ${d.trials} trials expected by luck; trial Sharpe variance ${fmt(d.trialSharpeVariance, 3)})\n`;
}

/** Every fold's windows, winner and test result, then the stitched result and how stable the winners were. */
function walkForwardText(report: OptimizeReport): string {
  const w = report.walkForward;
  if (!w) return "";
  const windows = (f: FoldWindows) => `${formatDay(f.inSample.first)}..${formatDay(f.inSample.last)} │ ${formatDay(f.outOfSample.first)}..${formatDay(f.outOfSample.last)}`;
  const head = `  Fold │ In-sample              │ Test window            │ IS Sharpe │ IS Return │ OOS Sharpe │ OOS Return │ OOS Trd │ Symbols      │ TF  │ Winner's Parameters`;
  const lines = w.folds.map((f) => {
    const win = f.ranking[0];
    if (!win) return `  ${String(f.fold).padStart(4)} │ ${windows(f)} │ no run reached ${report.minTrades} trade(s) in sample: not traded`;
    const o = win.outOfSample;
    const test = o ? `${fmt(o.sharpe).padStart(10)} │ ${`${fmt(o.totalReturn, 1)}%`.padStart(10)} │ ${String(o.trades).padStart(7)}` : `${"-".padStart(10)} │ ${"-".padStart(10)} │ ${"-".padStart(7)}`;
    const row = `  ${String(f.fold).padStart(4)} │ ${windows(f)} │ ${fmt(win.metrics.sharpe).padStart(9)} │ ${`${fmt(win.metrics.totalReturn, 1)}%`.padStart(9)} │ ${test} │ ${groupName(win.symbols).slice(0, 12).padEnd(12)} │ ${win.timeframe.padEnd(3)} │ ${paramText(win.params)}`;
    return f.outOfSampleError === undefined ? row : `${row}\n         test failed: ${f.outOfSampleError}`;
  });
  const s = w.summary;
  const winners = w.folds.filter((f) => f.ranking[0]).length;
  const stable = s.stability.parameters.map((p) => `${shortKey(p.key)}=${String(p.mode)} in ${p.modeFolds}/${winners}`).join(", ");
  return [
    `\n${box(`🔁 WALK-FORWARD (${w.k} anchored folds, ranked by ${report.sortBy})`)}${head}`,
    "─".repeat(head.length),
    ...lines,
    "",
    `  Stitched out of sample: ${fmt(s.totalReturn, 1)}% (${fmt(s.annualisedReturn, 1)}%/yr) over ${s.folds} fold(s), ${s.trades} trades, ${s.profitableFolds}/${s.folds} fold(s) profitable, mean OOS Sharpe ${fmt(s.meanSharpe)}`,
    `  Walk-forward efficiency: ${fmt(s.efficiency)} (OOS annualised return ÷ the fold winners' mean IS annualised return, ${fmt(s.inSampleAnnualisedReturn, 1)}%/yr)`,
    `  Parameter stability: ${s.stability.distinctSets} distinct winner(s) in ${winners} fold(s), the most frequent chosen ${s.stability.modalSetFolds}×${stable ? `; ${stable}` : ""}`,
    ...(w.folds.length < w.k ? [`  Interrupted after ${w.folds.length} of ${w.k} folds`] : []),
    "",
  ].join("\n");
}

/** The report as JSON (±∞ and NaN as strings), with the config-update outcome when one was decided. */
function jsonReport(report: OptimizeReport, outcome: { decision: UpdateDecision; updated: boolean } | undefined): string {
  const update = outcome ? { outcome: outcome.decision.outcome, updated: outcome.updated } : null;
  return JSON.stringify({ ...report, update }, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v), 2);
}

interface UpdateContext {
  readonly io: CliIO;
  readonly now: () => Date;
  readonly configPath: string;
  readonly config: Config;
  readonly data: CandleSource;
  readonly sortBy: SortMetric;
  readonly start: number | undefined;
  readonly end: number | undefined;
}

/** Applies the better-than-baseline rule and rewrites the config file when the winner is better. */
async function maybeUpdate(report: OptimizeReport, u: UpdateContext, json: boolean): Promise<{ decision: UpdateDecision; updated: boolean }> {
  const best = report.ranking[0];
  const say = (s: string) => {
    if (!json) u.io.stdout.write(`${s}\n`);
  };
  let baseline: Baseline | undefined;
  if (best && metricValue(best.metrics, u.sortBy) >= 0) {
    const raw = JSON.parse(await readFile(u.configPath, "utf8")) as unknown;
    const scope = { symbols: u.config.trading.symbols, timeframe: u.config.strategy.timeframe, start: u.start, end: u.end, holdout: report.holdout };
    const saved = savedBaseline(raw, u.sortBy, scope);
    if (saved !== undefined) baseline = { value: saved, source: "saved" };
    else {
      const value = await backtestBaseline({ config: u.config, data: u.data, sortBy: u.sortBy, minTrades: report.minTrades, start: u.start, end: u.end, holdout: report.holdout });
      if (value !== undefined && !Number.isNaN(value)) baseline = { value, source: "backtest" };
    }
  }
  const decision = decideUpdate(best, u.sortBy, baseline);
  // "No valid runs found" is already part of the summary.
  if (decision.outcome !== "no-valid-runs") for (const l of decision.lines) say(l);
  if (!decision.update || !best) return { decision, updated: false };
  try {
    const text = await readFile(u.configPath, "utf8");
    const history = historyEntry(report, best, { symbols: best.symbols, timeframe: best.timeframe, start: u.start, end: u.end, holdout: report.holdout }, u.now());
    await writeFileAtomic(u.configPath, rewriteConfigText(text, { params: best.params, timeframe: best.timeframe, symbols: best.symbols, history }, u.configPath));
    say(`  Config updated: ${u.configPath}`);
    return { decision, updated: true };
  } catch (e) {
    say(`  Warning: Failed to update config: ${(e as Error).message}`);
    return { decision, updated: false };
  }
}

/** Prints the text report (with --json, the report is printed once at the end, with the update outcome). */
function finish(io: CliIO, report: OptimizeReport, json: boolean, sortBy: string, workers?: WorkerUse): void {
  if (json) return;
  io.stdout.write(summaryText(report, workers));
  io.stdout.write("\n");
  if (report.ranking.length === 0) io.stdout.write("  ❌ No valid runs found! Check the data directory, the date range and the grid.\n");
  io.stdout.write(rankingText(report, sortBy));
  io.stdout.write(deflatedText(report));
  io.stdout.write(walkForwardText(report));
  io.stdout.write("\n");
}

async function runMerge(argv: string[], io: CliIO, now: () => Date): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      config: { type: "string", short: "c" },
      "no-update": { type: "boolean" },
      json: { type: "boolean" },
      "data-dir": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const { header, report } = await mergeResults(positionals.map((p) => resolve(io.cwd, p)));
  const json = values.json ?? false;
  if (!json) io.stdout.write(`  Merged ${header.shard.count} shard(s) of ${header.totalRuns} runs (${RESULTS_FORMAT})\n\n`);
  let outcome: { decision: UpdateDecision; updated: boolean } | undefined;
  if (values.config && !values["no-update"]) {
    const configPath = resolve(io.cwd, values.config);
    const config = await loadConfig(configPath);
    finish(io, report, json, header.sortBy);
    const data = csvDirectory(resolve(io.cwd, values["data-dir"] ?? config.backtest.data_dir));
    outcome = await maybeUpdate(report, { io, now, configPath, config, data, sortBy: header.sortBy, start: header.start ?? undefined, end: header.end ?? undefined }, json);
  } else finish(io, report, json, header.sortBy);
  if (json) io.stdout.write(`${jsonReport(report, outcome)}\n`);
  return 0;
}

/** Builds the `tradeloom optimize` command; `deps.now` dates history entries (tests pass a fixed clock). */
export function createOptimizeCommand(deps: OptimizeDeps = {}): CommandRun {
  const now = deps.now ?? (() => new Date());
  return async (argv, io) => {
    if (argv[0] === "merge") return runMerge(argv.slice(1), io, now);
    const { values } = parseArgs({
      args: argv,
      options: {
        config: { type: "string", short: "c" },
        "sort-by": { type: "string" },
        top: { type: "string", short: "t" },
        coins: { type: "string" },
        "min-combo": { type: "string" },
        "max-combo": { type: "string" },
        symbols: { type: "string" },
        timeframes: { type: "string" },
        start: { type: "string" },
        end: { type: "string" },
        override: { type: "string", short: "O", multiple: true },
        workers: { type: "string" },
        "eager-workers": { type: "boolean" },
        "min-trades": { type: "string" },
        holdout: { type: "string" },
        "walk-forward": { type: "string" },
        "no-update": { type: "boolean" },
        json: { type: "boolean" },
        out: { type: "string" },
        "data-dir": { type: "string" },
        shard: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    if (!values.config) throw new TradeloomError("USAGE", "--config FILE is required (see tradeloom optimize --help)");
    const configPath = resolve(io.cwd, values.config);
    const loaded = await loadConfig(configPath);
    const overrides = (values.override ?? []).map(parseOverride);
    const config: Config = { ...loaded, grid: applyOverrides(loaded.grid, overrides) };
    const sortBy = parseSortMetric(values["sort-by"] ?? "sharpe");
    const top = uint("--top", values.top, 10);
    if (top < 1) throw new ConfigError("--top must be at least 1: the winner is the top row", { path: "--top" });
    const minTrades = uint("--min-trades", values["min-trades"], 1);
    const workers = uint("--workers", values.workers, defaultWorkerCount());
    if (workers < 1) throw new ConfigError("--workers must be at least 1", { path: "--workers" });
    const holdout = holdoutFraction(values.holdout);
    const shard = values.shard !== undefined ? parseShard(values.shard) : undefined;
    const walkForward = values["walk-forward"] !== undefined ? parseFoldCount(values["walk-forward"]) : undefined;
    if (walkForward !== undefined && values.out) {
      throw new TradeloomError("USAGE", "--walk-forward writes no --out file (and runs as no --shard): results files and 'optimize merge' hold one ranking window, not the folds");
    }
    if (shard && !values.out) throw new TradeloomError("USAGE", "--shard needs --out FILE: a shard's results are merged later with 'tradeloom optimize merge'");
    const groups = values.coins
      ? coinGroups(values.coins, uint("--min-combo", values["min-combo"], 1), values["max-combo"] !== undefined ? uint("--max-combo", values["max-combo"], 0) : undefined)
      : values.symbols
        ? symbolGroups(values.symbols)
        : [config.trading.symbols];
    const timeframes = values.timeframes ? timeframeList(values.timeframes) : [config.strategy.timeframe];
    const start = values.start !== undefined ? parseDateBound(values.start, "--start") : undefined;
    const end = values.end !== undefined ? parseDateBound(values.end, "--end") : undefined;
    const data = csvDirectory(resolve(io.cwd, values["data-dir"] ?? config.backtest.data_dir));
    const json = values.json ?? false;

    const adaptiveWorkers = !(values["eager-workers"] ?? false);
    const options = { config, data, groups, timeframes, start, end, sortBy, top, minTrades, workers, adaptiveWorkers, holdout, ...(shard ? { shard } : {}), ...(walkForward !== undefined ? { walkForward } : {}) };
    const { space, fingerprint } = searchSpace(options);
    if (!json) {
      const rows: [string, string][] = [
        ["Strategy", config.strategy.name],
        ["Symbols", `${groups.length} group(s): ${groups.slice(0, 4).map(groupName).join(", ")}${groups.length > 4 ? ", ..." : ""}`],
        ["Timeframes", timeframes.join(", ")],
        ...(start !== undefined ? ([["Start Date", values.start!]] as [string, string][]) : []),
        ...(end !== undefined ? ([["End Date", values.end!]] as [string, string][]) : []),
        ["Grid Params", `${space.grid.size} combinations (${space.grid.keys.length} dimensions)`],
        ["Total Runs", `${space.size} backtests${shard ? ` (shard ${shard.index}/${shard.count})` : ""}${walkForward ? ` × ${walkForward + 1} windows (whole + ${walkForward} folds)` : ""}`],
        ["Execution", workers === 1 ? "1 worker thread" : adaptiveWorkers ? `Parallel (up to ${workers} worker threads, added as they pay)` : `Parallel (${workers} worker threads)`],
        ["Ranking", `${sortBy}, at least ${minTrades} trade(s)${holdout > 0 ? `, ${holdout * 100}% holdout` : ""}${walkForward ? `, walk-forward ${walkForward} anchored folds` : ""}`],
      ];
      if (overrides.length > 0) rows.push(["Overrides", String(overrides.length)]);
      io.stdout.write(box("📊 OPTIMIZATION CONFIGURATION", rows));
    }
    const writer = values.out
      ? await ResultsWriter.open(resolve(io.cwd, values.out), {
          type: "header",
          format: RESULTS_FORMAT,
          fingerprint,
          shard: shard ?? { index: 0, count: 1 },
          totalRuns: space.size,
          sortBy,
          top,
          minTrades,
          holdout,
          grid: { keys: space.grid.keys, values: space.grid.values },
          groups,
          timeframes,
          start: start ?? null,
          end: end ?? null,
        })
      : undefined;
    const bar = progressBar(io);
    let report: OptimizeReport;
    let used = 0;
    try {
      report = await optimize({
        ...options,
        signal: io.signal,
        onProgress: (p) => {
          used = Math.max(used, p.workers);
          bar.update(p);
        },
        ...(writer ? { onOutcome: (o) => writer.outcome(o), onOutOfSample: (i, m) => writer.outOfSample(i, m) } : {}),
      });
    } finally {
      bar.clear();
    }
    if (writer) await writer.close(report);
    finish(io, report, json, sortBy, used > 0 ? { used, most: workers } : undefined);
    let outcome: { decision: UpdateDecision; updated: boolean } | undefined;
    if (report.interrupted) {
      if (!json) io.stdout.write("  Interrupted: the config was not updated.\n");
    } else if (shard) {
      if (!json) io.stdout.write(`  Shard ${shard.index}/${shard.count}: results written to ${values.out}; combine all shards with 'tradeloom optimize merge'\n`);
    } else if (!values["no-update"]) {
      outcome = await maybeUpdate(report, { io, now, configPath, config: loaded, data, sortBy, start, end }, json);
    }
    if (json) io.stdout.write(`${jsonReport(report, outcome)}\n`);
    return report.interrupted ? 130 : 0;
  };
}

/** `tradeloom optimize` */
export const run: CommandRun = createOptimizeCommand();
