import { describe, expect, it } from "vitest";
import { formatCandleTime, parseCandleTime, parseDateBound } from "./time";
import { ConfigError } from "./errors";

describe("candle time", () => {
  it("reads the reference format as UTC", () => {
    expect(parseCandleTime("2021-12-04 00:00:00")).toBe(Date.UTC(2021, 11, 4));
  });

  it("reads RFC 3339 with offsets and fractions", () => {
    expect(parseCandleTime("2021-12-04T05:30:00+05:30")).toBe(Date.UTC(2021, 11, 4));
    expect(parseCandleTime("2021-12-04 00:00:00.250Z")).toBe(Date.UTC(2021, 11, 4) + 250);
  });

  it("refuses a bare date, a T without offset and impossible dates", () => {
    expect(parseCandleTime("2021-12-04")).toBeUndefined();
    expect(parseCandleTime("2021-12-04T00:00:00")).toBeUndefined();
    expect(parseCandleTime("2021-02-30 00:00:00")).toBeUndefined();
  });

  it("formats back", () => {
    expect(formatCandleTime(Date.UTC(2025, 0, 2, 3, 4, 5))).toBe("2025-01-02 03:04:05");
  });

  it("date bounds accept a bare date as midnight and name the field on error", () => {
    expect(parseDateBound("2025-12-31", "--end")).toBe(Date.UTC(2025, 11, 31));
    expect(() => parseDateBound("31/12/2025", "--end")).toThrow(ConfigError);
    try {
      parseDateBound("x", "--start");
    } catch (e) {
      expect((e as ConfigError).context.path).toBe("--start");
    }
  });
});
