import { open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { DataError, formatCandleTime, parseCandleTime } from "@tradeloom/types";
import type { Candle } from "./model";

/** Header line of the reference CSV format. */
export const CANDLE_CSV_HEADER = "datetime,open,high,low,close,volume";

/**
 * Shortest round-trip decimal text of a number, never in exponent form (`1e-7` → `0.0000001`), as the reference
 * files are written.
 */
export function formatDecimal(n: number): string {
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int, frac = "", expText] = m;
  const exp = Number(expText);
  // JavaScript switches to exponents only below 1e-6 and from 1e21, so a positive exponent always exceeds the fraction.
  return exp < 0 ? `${sign}0.${"0".repeat(-exp - 1)}${int}${frac}` : `${sign}${int}${frac}${"0".repeat(exp - frac.length)}`;
}

/** Why a candle is unusable, or `undefined` when it is valid (prices > 0, low ≤ open, close ≤ high, volume ≥ 0). */
export function candleProblem(c: Candle): string | undefined {
  if (!(c.open > 0 && c.high > 0 && c.low > 0 && c.close > 0)) return "a price is not positive";
  if (!(c.high >= c.low)) return "high is below low";
  if (!(c.volume >= 0)) return "volume is negative";
  if (!(c.low <= c.open && c.open <= c.high)) return "open is outside low..high";
  if (!(c.low <= c.close && c.close <= c.high)) return "close is outside low..high";
  return undefined;
}

/** CSV text of candles in the reference format: header, then `YYYY-MM-DD HH:MM:SS` UTC open time and values. */
export function formatCandleCsv(candles: readonly Candle[]): string {
  const lines = [CANDLE_CSV_HEADER];
  for (const c of candles) {
    lines.push(`${formatCandleTime(c.time)},${formatDecimal(c.open)},${formatDecimal(c.high)},${formatDecimal(c.low)},${formatDecimal(c.close)},${formatDecimal(c.volume)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** A candle file as read: valid candles ascending, and the rows skipped as invalid (line numbers count the header as 1). */
export interface CandleFileContents {
  readonly candles: Candle[];
  readonly skipped: ReadonlyArray<{ readonly line: number; readonly reason: string }>;
}

/**
 * Parses reference-format CSV text. Columns are read by position. Invalid candles are skipped and listed;
 * an unreadable date or number fails the whole file.
 * @throws DataError `DATA_MALFORMED` naming the file and line.
 */
export function parseCandleCsv(text: string, file: string): CandleFileContents {
  const candles: Candle[] = [];
  const skipped: Array<{ line: number; reason: string }> = [];
  const lines = text.split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const row = lines[i]!;
    if (row.trim() === "") continue;
    const f = row.split(",");
    const time = parseCandleTime(f[0]?.trim() ?? "");
    const nums = f.slice(1, 6).map((x) => Number(x.trim()));
    if (time === undefined || nums.length < 5 || nums.some((x, k) => !Number.isFinite(x) || f[k + 1]!.trim() === "")) {
      throw new DataError("DATA_MALFORMED", `${file}:${i + 1}: unreadable row ${JSON.stringify(row)}`, { file, line: i + 1 });
    }
    const c: Candle = { time, open: nums[0]!, high: nums[1]!, low: nums[2]!, close: nums[3]!, volume: nums[4]! };
    const problem = candleProblem(c);
    if (problem) skipped.push({ line: i + 1, reason: problem });
    else candles.push(c);
  }
  return { candles: mergeCandles([], candles).candles, skipped };
}

/** Reads a candle file, or `undefined` when it does not exist. */
export async function readCandleFile(path: string): Promise<CandleFileContents | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  return parseCandleCsv(text, path);
}

/**
 * Merges `incoming` into `existing`: ascending by time, one candle per timestamp, and the existing candle kept on a
 * duplicate (a saved candle is a closed one; the writer never saves a forming candle). `added` counts new timestamps.
 */
export function mergeCandles(existing: readonly Candle[], incoming: readonly Candle[]): { candles: Candle[]; added: number } {
  const byTime = new Map<number, Candle>();
  for (const c of existing) if (!byTime.has(c.time)) byTime.set(c.time, c);
  const before = byTime.size;
  for (const c of incoming) if (!byTime.has(c.time)) byTime.set(c.time, c);
  return { candles: [...byTime.values()].sort((a, b) => a.time - b.time), added: byTime.size - before };
}

/**
 * Writes a candle file atomically: a temporary file in the same directory is written and fsynced, then renamed over
 * the target, so a crash leaves either the old file or the new one, never half of one.
 */
export async function writeCandleFileAtomic(path: string, candles: readonly Candle[]): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  const fh = await open(tmp, "w");
  try {
    await fh.writeFile(formatCandleCsv(candles), "utf8");
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  // Persist the rename itself; not every platform lets a directory be opened for fsync, hence best effort.
  const dir = await open(dirname(path), "r").catch(() => undefined);
  await dir?.sync().catch(() => undefined);
  await dir?.close();
}
