import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  type Candle,
  CcxtClient,
  CoinDcxClient,
  createBinanceClient,
  type ExchangeClient,
  fetchCandleHistory,
  mergeCandles,
  readCandleFile,
  type ResilienceOptions,
  writeCandleFileAtomic,
} from "@tradeloom/exchanges";
import { candleProblem, ConfigError, formatCandleTime, parseDateBound, Timeframe, TradeloomError } from "@tradeloom/types";
import type { CliIO, CommandRun } from "../io";

const DAY_MS = 86_400_000;
/** Pages fetched between two saves: bounds what an interruption or crash can lose without rewriting per page. */
const PAGES_PER_SAVE = 10;

const HELP = `Usage: tradeloom download [options]

Downloads candles into <data-dir>/<SYMBOL>_<tf>.csv (datetime,open,high,low,close,volume; UTC open time),
merging with what is already there. Interrupt with Ctrl-C and run again to resume.

Options:
  -s, --symbols LIST       coins or pairs, comma-separated (default BTC,ETH,SOL,BNB,XRP)
  -t, --timeframes LIST    e.g. 1h,4h,1d (default 5m,15m,1h,4h,1d)
  -d, --days N             history length ending now (default 180)
      --start DATE         first candle (YYYY-MM-DD, "YYYY-MM-DD HH:MM:SS" UTC or RFC 3339); replaces --days
      --end DATE           last candle (default now)
      --exchange ID        binance (default), coindcx, or any ccxt exchange id
      --quote ASSET        quote currency traded (default USDT; INR for coindcx)
  -o, --data-dir DIR       output directory (default data)
      --base-url URL       exchange API origin (binance: also env TRADELOOM_BINANCE_URL)
      --symbol-suffix SFX  file name suffix after the coin (default INR: BTC -> BTCINR_1h.csv)
      --name-as-pair       name files by the traded pair instead (BTC -> BTCUSDT_1h.csv)
  -h, --help               show this help
`;

/** What {@link createDownloadCommand} lets a caller replace. */
export interface DownloadDeps {
  /** Current time, epoch ms; decides which candle is still forming (default `Date.now`). */
  readonly now?: () => number;
  /** Rate limit, breaker and retry settings of the exchange client. */
  readonly resilience?: ResilienceOptions;
}

interface Job {
  readonly base: string;
  readonly market: string;
  readonly file: string;
  readonly timeframe: Timeframe;
}

interface Plan {
  readonly exchange: string;
  readonly jobs: readonly Job[];
  readonly start: number;
  readonly end: number;
  readonly dataDir: string;
  readonly baseUrl: string | undefined;
}

function list(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function plan(argv: string[], io: CliIO, now: number): Plan | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      symbols: { type: "string", short: "s", default: "BTC,ETH,SOL,BNB,XRP" },
      timeframes: { type: "string", short: "t", default: "5m,15m,1h,4h,1d" },
      days: { type: "string", short: "d" },
      start: { type: "string" },
      end: { type: "string" },
      exchange: { type: "string", default: "binance" },
      source: { type: "string" },
      quote: { type: "string" },
      "data-dir": { type: "string", short: "o" },
      output: { type: "string" },
      "base-url": { type: "string" },
      "symbol-suffix": { type: "string", default: "INR" },
      "name-as-pair": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return undefined;
  }
  const exchange = (values.source ?? values.exchange).toLowerCase();
  const quote = (values.quote ?? (exchange === "coindcx" ? "INR" : "USDT")).toUpperCase();
  if (values.days !== undefined && values.start !== undefined) throw new TradeloomError("USAGE", "use either --days or --start, not both");
  const days = Number(values.days ?? 180);
  if (!Number.isInteger(days) || days <= 0) throw new TradeloomError("USAGE", `--days must be a positive whole number, got ${JSON.stringify(values.days)}`);
  const end = Math.min(values.end !== undefined ? parseDateBound(values.end, "--end") : now, now);
  const start = values.start !== undefined ? parseDateBound(values.start, "--start") : end - days * DAY_MS;
  if (start > end) throw new ConfigError(`--start (${formatCandleTime(start)}) is after --end (${formatCandleTime(end)})`, { path: "--start" });

  const timeframes = list(values.timeframes).map((t) => Timeframe.parse(t));
  const symbols = list(values.symbols);
  if (symbols.length === 0 || timeframes.length === 0) throw new TradeloomError("USAGE", "--symbols and --timeframes must name at least one each");
  const jobs: Job[] = [];
  for (const sym of symbols) {
    const upper = sym.toUpperCase();
    // Accept coins (BTC) and reference-style names (BTCINR, BTCUSDT): the coin is what precedes the quote.
    const suffix = [quote, "INR", "USDT"].find((q) => upper.length > q.length && upper.endsWith(q));
    const base = suffix ? upper.slice(0, -suffix.length) : upper;
    const market = exchange === "coindcx" ? `${base}${quote}` : `${base}/${quote}`;
    const fileStem = values["name-as-pair"] ? `${base}${quote}` : `${base}${values["symbol-suffix"]}`;
    for (const timeframe of timeframes) jobs.push({ base, market, timeframe, file: `${fileStem}_${timeframe.label}.csv` });
  }
  const baseUrl = values["base-url"] ?? (exchange === "binance" ? io.env["TRADELOOM_BINANCE_URL"] : undefined);
  return { exchange, jobs, start, end, dataDir: resolve(io.cwd, values["data-dir"] ?? values.output ?? "data"), baseUrl };
}

function createClient(p: Plan, resilience: ResilienceOptions | undefined): Promise<ExchangeClient> {
  const common = { ...(p.baseUrl !== undefined ? { baseUrl: p.baseUrl } : {}), ...(resilience ? { resilience } : {}) };
  if (p.exchange === "binance") return createBinanceClient(common);
  if (p.exchange === "coindcx") return Promise.resolve(new CoinDcxClient(common));
  return CcxtClient.create({ exchangeId: p.exchange, ...common });
}

/**
 * Time ranges in `[start, end]` where at least one candle is missing: before the first, between two candles, after
 * the last. A range shorter than one timeframe cannot hold a missing candle. Months vary in length, so monthly
 * candles count as adjacent up to 32 days apart.
 */
function missingRanges(candles: readonly Candle[], tf: Timeframe, start: number, end: number): Array<[number, number]> {
  const step = tf.label.endsWith("M") ? (32 / 30) * tf.durationMs : tf.durationMs;
  const out: Array<[number, number]> = [];
  let cursor = start;
  for (const c of candles) {
    if (c.time < start || c.time > end) continue;
    if (c.time - cursor >= step) out.push([cursor, c.time - 1]);
    cursor = c.time + 1;
  }
  if (end + 1 - cursor >= step) out.push([cursor, end]);
  return out;
}

class Progress {
  readonly #io: CliIO;
  readonly #total: number;
  #done = 0;
  #label = "";

  constructor(io: CliIO, total: number) {
    this.#io = io;
    this.#total = total;
  }

  label(text: string): void {
    this.#label = text;
    this.#draw();
  }

  step(): void {
    this.#done += 1;
    this.#draw();
  }

  clear(): void {
    if (this.#io.stderr.isTTY) this.#io.stderr.write("\r\x1b[2K");
  }

  #draw(): void {
    if (!this.#io.stderr.isTTY) return;
    const width = 30;
    const filled = Math.round((this.#done / this.#total) * width);
    this.#io.stderr.write(`\r\x1b[2K[${"#".repeat(filled)}${".".repeat(width - filled)}] ${this.#done}/${this.#total} ${this.#label}`);
  }
}

interface JobResult {
  readonly total: number;
  readonly added: number;
  readonly gaps: Array<[number, number]>;
}

/** Downloads one file's missing candles, saving every few pages and whatever was fetched when stopped. */
async function runJob(client: ExchangeClient, job: Job, p: Plan, now: number, io: CliIO, progress: Progress): Promise<JobResult> {
  const path = resolve(p.dataDir, job.file);
  const existing = await readCandleFile(path);
  for (const s of existing?.skipped ?? []) io.stderr.write(`warning: ${job.file}:${s.line}: skipped invalid candle (${s.reason})\n`);
  let saved = existing?.candles ?? [];
  let pending: Candle[] = [];
  let added = 0;
  let pages = 0;
  // A candle is final once its period is over; the one still forming is never written.
  const lastClosed = now - job.timeframe.durationMs;
  const end = Math.min(p.end, lastClosed);
  const save = async () => {
    if (pending.length === 0) return;
    const merged = mergeCandles(saved, pending);
    await writeCandleFileAtomic(path, merged.candles);
    saved = merged.candles;
    added += merged.added;
    pending = [];
  };
  try {
    for (const [since, until] of missingRanges(saved, job.timeframe, p.start, end)) {
      await fetchCandleHistory(client, job.market, job.timeframe, {
        since,
        until,
        signal: io.signal,
        onPage: async (page) => {
          for (const c of page) {
            const problem = candleProblem(c.open, c.high, c.low, c.close, c.volume);
            if (problem) io.stderr.write(`warning: ${job.file}: skipped invalid candle at ${formatCandleTime(c.time)} (${problem})\n`);
            else pending.push(c);
          }
          if (++pages % PAGES_PER_SAVE === 0) await save();
        },
      });
    }
  } finally {
    await save();
    progress.step();
  }
  return { total: saved.length, added, gaps: missingRanges(saved, job.timeframe, p.start, end) };
}

function describeGap([from, to]: [number, number], tf: Timeframe): string {
  const missing = Math.floor((to + 1 - from) / tf.durationMs);
  return `${formatCandleTime(from)} .. ${formatCandleTime(to)} (${missing} candle${missing === 1 ? "" : "s"} missing)`;
}

/**
 * Builds the `download` command. Tests pass a fixed clock and fast retries; the CLI uses the defaults.
 */
export function createDownloadCommand(deps: DownloadDeps = {}): CommandRun {
  return async (argv, io) => {
    const now = (deps.now ?? Date.now)();
    const p = plan(argv, io, now);
    if (!p) return 0;
    const rule = "=".repeat(60);
    const out = (s: string) => io.stdout.write(`${s}\n`);
    out(rule);
    out(`DOWNLOADING HISTORICAL DATA FROM ${p.exchange.toUpperCase()}`);
    out(`Symbols: ${[...new Set(p.jobs.map((j) => j.base))].join(", ")}`);
    out(`Timeframes: ${[...new Set(p.jobs.map((j) => j.timeframe.label))].join(", ")}`);
    out(`Range: ${formatCandleTime(p.start)} .. ${formatCandleTime(p.end)} UTC`);
    out(`Output: ${p.dataDir}`);
    out(rule);
    await mkdir(p.dataDir, { recursive: true });
    const client = await createClient(p, deps.resilience);
    const progress = new Progress(io, p.jobs.length);
    let ok = 0;
    let added = 0;
    let interrupted = false;
    for (const job of p.jobs) {
      if (io.signal.aborted) {
        interrupted = true;
        break;
      }
      progress.label(`${job.market} ${job.timeframe.label}`);
      try {
        const r = await runJob(client, job, p, now, io, progress);
        progress.clear();
        out(`  ${job.file}: ${r.total} candles (+${r.added} new)`);
        for (const g of r.gaps) out(`    gap not filled: ${describeGap(g, job.timeframe)}`);
        ok += 1;
        added += r.added;
      } catch (error) {
        progress.clear();
        if (io.signal.aborted) {
          interrupted = true;
          out(`  ${job.file}: interrupted; what was fetched is saved`);
          break;
        }
        if (!(error instanceof TradeloomError)) throw error;
        out(`  ${job.file}: FAILED [${error.code}] ${error.message}; what was fetched is saved`);
      }
    }
    out(rule);
    out(interrupted ? "DOWNLOAD INTERRUPTED (run the same command again to resume)" : "DOWNLOAD COMPLETE");
    out(`Successful: ${ok}/${p.jobs.length}`);
    out(`New candles: ${added}`);
    out(rule);
    if (interrupted) return 130;
    return ok === p.jobs.length ? 0 : 1;
  };
}

/** `tradeloom download`: fetch candles from an exchange into the reference CSV files. */
export const run: CommandRun = createDownloadCommand();
