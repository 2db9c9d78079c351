import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatCandleCsv, formatDecimal } from "@tradeloom/types";
import { mergeCandles, readCandleFile, writeCandleFileAtomic } from "./candle-file";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "candle-file-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const c = (time: number, close = 10) => ({ time, open: close, high: close + 1, low: close - 1, close, volume: 1 });

describe("candle files", () => {
  it("never writes exponents and round-trips every double", () => {
    expect([1e-7, 100000, 1e21, 0.1, 49152.47].map(formatDecimal)).toEqual(["0.0000001", "100000", "1000000000000000000000", "0.1", "49152.47"]);
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => Object.is(Number(formatDecimal(x)), x === 0 ? 0 : x) && !/e/i.test(formatDecimal(x))));
  });

  it("writes the reference format and reads it back", async () => {
    const path = join(dir, "BTCINR_1h.csv");
    const candles = [c(Date.UTC(2024, 0, 1)), { ...c(Date.UTC(2024, 0, 1, 1)), volume: 0.0000001 }];
    await writeCandleFileAtomic(path, candles);
    expect(await readFile(path, "utf8")).toBe("datetime,open,high,low,close,volume\n2024-01-01 00:00:00,10,11,9,10,1\n2024-01-01 01:00:00,10,11,9,10,0.0000001\n");
    expect((await readCandleFile(path))?.candles).toEqual(candles);
    expect(await readdir(dir)).toEqual(["BTCINR_1h.csv"]);
    expect(await readCandleFile(join(dir, "none.csv"))).toBeUndefined();
  });

  it("skips invalid rows with their line, fails on unreadable ones", async () => {
    const path = join(dir, "f.csv");
    await writeFile(path, `${formatCandleCsv([c(0)])}1970-01-01 01:00:00,5,4,6,5,1\n`);
    expect((await readCandleFile(path))?.skipped).toEqual([{ line: 3, reason: "high is below low" }]);
    await writeFile(path, "datetime,open,high,low,close,volume\nnot-a-date,1,1,1,1,1\n");
    await expect(readCandleFile(path)).rejects.toThrow(/f\.csv:2/);
  });

  it("merges ascending, keeping the saved candle on duplicates", () => {
    const r = mergeCandles([c(2, 5), c(1)], [c(2, 7), c(3), c(0)]);
    expect(r.candles.map((x) => [x.time, x.close])).toEqual([[0, 10], [1, 10], [2, 5], [3, 10]]);
    expect(r.added).toBe(2);
  });
});
