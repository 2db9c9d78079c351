import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DataError, parseCandleCsv } from "@tradeloom/types";
import type { CandleSource } from "./candle-source";

/**
 * Reads `<dir>/<SYMBOL>_<tf>.csv` files in the reference format.
 *
 * @example
 * import { csvDirectory } from "@tradeloom/backtester/node";
 * const data = csvDirectory("./data");
 */
export function csvDirectory(dir: string): CandleSource {
  return {
    async load(symbol, timeframe) {
      const file = join(dir, `${symbol}_${timeframe}.csv`);
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new DataError(
          "DATA_MISSING",
          code === "ENOENT" ? `no data file ${file} for ${symbol} ${timeframe}` : `cannot read ${file}: ${(e as Error).message}`,
          { file, symbol, timeframe },
        );
      }
      const parsed = parseCandleCsv(bytes.toString("utf8"), file);
      return { ...parsed, source: file, sha256: createHash("sha256").update(bytes).digest("hex") };
    },
  };
}
