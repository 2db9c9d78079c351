import { describe, expect, it } from "vitest";
import { DataError } from "./errors";
import { formatCandleCsv, formatDecimal, parseCandleCsv } from "./candle-csv";

const H = "datetime,open,high,low,close,volume\n";

function err(text: string): DataError {
  try {
    parseCandleCsv(text, "X_1d.csv");
  } catch (e) {
    return e as DataError;
  }
  throw new Error("expected an error");
}

describe("parseCandleCsv", () => {
  it("reads the reference format into columns", () => {
    const { series, rowsRead, skipped } = parseCandleCsv(`${H}2021-12-04 00:00:00,53601.05,53859.1,42000.3,49152.47,114203.37\n2021-12-05 00:00:00,1,2,0.5,1.5,0\n`, "f");
    expect(rowsRead).toBe(2);
    expect(skipped).toEqual([]);
    expect(series.length).toBe(2);
    expect(series.time[0]).toBe(Date.UTC(2021, 11, 4));
    expect(series.close[0]).toBe(49152.47);
    expect(series.volume[1]).toBe(0);
  });

  it("accepts CRLF, quoted fields, RFC 3339 times and extra columns", () => {
    const { series } = parseCandleCsv(`datetime,open,high,low,close,volume,extra\r\n"2021-12-04T00:00:00Z",1,2,0.5,1.5,3,x\r\n`, "f");
    expect(series.length).toBe(1);
    expect(series.time[0]).toBe(Date.UTC(2021, 11, 4));
  });

  it("skips inconsistent OHLC rows and reports each with its line and reason", () => {
    const { series, skipped } = parseCandleCsv(
      `${H}2021-01-01 00:00:00,1,2,0.5,1.5,1\n2021-01-02 00:00:00,1,0.5,2,1.5,1\n2021-01-03 00:00:00,0,2,0.5,1.5,1\n2021-01-04 00:00:00,1,2,0.5,2.5,1\n2021-01-05 00:00:00,1,2,0.5,1.5,-1\n`,
      "f",
    );
    expect(series.length).toBe(1);
    expect(skipped).toEqual([
      { line: 3, reason: "high is below low" },
      { line: 4, reason: "a price is zero, negative or not a number" },
      { line: 5, reason: "close is outside [low, high]" },
      { line: 6, reason: "volume is negative or not a number" },
    ]);
  });

  it("names file and line of a malformed number", () => {
    const e = err(`${H}2021-01-01 00:00:00,1,2,0.5,abc,1\n`);
    expect(e.code).toBe("DATA_MALFORMED");
    expect(e.context).toMatchObject({ file: "X_1d.csv", line: 2, column: "close" });
    expect(e.message).toContain("X_1d.csv:2");
  });

  it("rejects NaN, infinities and empty fields instead of keeping them", () => {
    expect(err(`${H}2021-01-01 00:00:00,NaN,2,0.5,1,1\n`).code).toBe("DATA_MALFORMED");
    expect(err(`${H}2021-01-01 00:00:00,1,inf,0.5,1,1\n`).code).toBe("DATA_MALFORMED");
    expect(err(`${H}2021-01-01 00:00:00,1,2,,1,1\n`).code).toBe("DATA_MALFORMED");
  });

  it("rejects bad times and ragged rows", () => {
    expect(err(`${H}2021-01-01,1,2,0.5,1,1\n`).message).toMatch(/invalid datetime/);
    expect(err(`${H}2021-02-30 00:00:00,1,2,0.5,1,1\n`).code).toBe("DATA_MALFORMED");
    expect(err(`${H}2021-01-01 00:00:00,1,2,0.5,1\n`).message).toMatch(/expected 6 fields/);
  });

  it("rejects duplicate and descending timestamps with the line", () => {
    const dup = err(`${H}2021-01-01 00:00:00,1,2,0.5,1,1\n2021-01-01 00:00:00,1,2,0.5,1,1\n`);
    expect(dup.code).toBe("DATA_ORDER");
    expect(dup.context.line).toBe(3);
    expect(dup.message).toMatch(/duplicate/);
    expect(err(`${H}2021-01-02 00:00:00,1,2,0.5,1,1\n2021-01-01 00:00:00,1,2,0.5,1,1\n`).message).toMatch(/earlier/);
  });

  it("rejects an empty file", () => {
    expect(err("").code).toBe("DATA_EMPTY");
  });
});

describe("formatCandleCsv", () => {
  it("writes the reference format without exponents, and reads back the same values", () => {
    const candles = [{ time: Date.UTC(2024, 0, 1), open: 1e-7, high: 2.5e-7, low: 1e-7, close: 2e-7, volume: 1e21 }];
    const text = formatCandleCsv(candles);
    expect(text).toBe("datetime,open,high,low,close,volume\n2024-01-01 00:00:00,0.0000001,0.00000025,0.0000001,0.0000002,1000000000000000000000\n");
    expect(parseCandleCsv(text, "f").series.at(0)).toEqual(candles[0]);
    expect(formatDecimal(-1.5e-8)).toBe("-0.000000015");
  });
});
