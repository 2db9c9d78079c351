import { describe, expect, it } from "vitest";
import { macd, WindowMacd } from "./macd";
import { compareOnSeries, propertyAgrees } from "../../test/agreement";
import { loadFixture } from "../../test/helpers";

type Line = "macd" | "signal" | "histogram";
const stream = (line: Line, fast: number, slow: number, signal: number) => {
  const m = new WindowMacd(fast, slow, signal);
  return {
    reset: (f: number) => m.reset(f),
    push: (s: { close: Float64Array }, i: number) => m.push(s.close[i]!),
    at: (a: number, b: number) => (line === "macd" ? m.macdAt(a, b) : line === "signal" ? m.signalAt(a, b) : m.histogramAt(a, b)),
  };
};
const batch = (line: Line, fast: number, slow: number, signal: number) => (w: { close: Float64Array }, j: number) => macd(w.close, fast, slow, signal)[line][j] ?? NaN;

describe("macd", () => {
  it("matches the §2.9 example (2,3,2)", () => {
    const r = macd([1, 2, 3, 4, 5, 6], 2, 3, 2);
    expect(r.macd[1]).toBeNaN();
    expect(r.macd[2]).toBeCloseTo(0.30556, 5);
    expect(r.signal[2]).toBeCloseTo(0.24074, 5);
    expect(r.histogram[2]).toBeCloseTo(0.06481, 5);
    expect(r.macd[5]).toBeCloseTo(0.47081, 5);
    expect(r.signal[5]).toBeCloseTo(0.45053, 5);
    expect(r.histogram[5]).toBeCloseTo(0.02028, 5);
  });
  it("gives full-length all-absent columns for a zero period", () => {
    const r = macd([1, 2, 3], 0, 3, 2);
    expect(r.histogram.length).toBe(3);
    expect([...r.histogram].every(Number.isNaN)).toBe(true);
  });
});

describe("WindowMacd", () => {
  const series = loadFixture("BTCINR_1d.csv");
  // Lines near zero are compared relative to the price scale: both forms subtract price-sized EMAs.
  const scale = 1e-3 * Math.max(...series.close);
  it.each(["macd", "signal", "histogram"] as const)("%s agrees with batch over every 300-bar window of real data", (line) => {
    expect(compareOnSeries(series, stream(line, 12, 26, 9), batch(line, 12, 26, 9), { earlier: 1, scale })).toEqual([]);
  });
  it("agrees on random series, periods and window sizes", () => {
    for (const line of ["macd", "signal", "histogram"] as const) {
      propertyAgrees((p) => stream(line, Math.max(1, p >> 1), p, Math.max(1, p >> 2)), (p) => batch(line, Math.max(1, p >> 1), p, Math.max(1, p >> 2)), { earlier: 1, scale: 1 });
    }
  });
});
