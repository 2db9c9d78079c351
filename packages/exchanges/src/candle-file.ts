import { open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { formatCandleCsv, parseCandleCsv, type SkippedRow } from "@tradeloom/types";
import type { Candle } from "./model";

/** A candle file as read: valid candles ascending, and the rows skipped as invalid (line numbers count the header as 1). */
export interface CandleFileContents {
  readonly candles: Candle[];
  readonly skipped: readonly SkippedRow[];
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
  // The same strict reader as the backtester's: a file the download would extend must also be one a backtest can read.
  const { series, skipped } = parseCandleCsv(text, path);
  const candles: Candle[] = [];
  for (let i = 0; i < series.length; i++) candles.push(series.at(i)!);
  return { candles, skipped };
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
