import { describe, expect, it } from "vitest";
import type { CandleSeries } from "@tradeloom/types";
import { highest, lowest, previousRangeHigh, previousRangeLow, RollingExtreme, WindowPreviousRange } from "./rolling-extremes";
import { compareOnSeries, propertyAgrees } from "../../test/agreement";
import { loadFixture } from "../../test/helpers";

const stream = (side: "high" | "low") => (lookback: number) => {
  const r = new WindowPreviousRange(lookback);
  return {
    reset: (f: number) => r.reset(f),
    push: (s: CandleSeries, i: number) => r.push(s.high[i]!, s.low[i]!),
    at: (a: number, b: number) => (side === "high" ? r.highAt(a, b) : r.lowAt(a, b)),
  };
};
const batch = (side: "high" | "low") => (lookback: number) => (w: CandleSeries, j: number) =>
  (side === "high" ? previousRangeHigh(w.high, lookback) : previousRangeLow(w.low, lookback))[j] ?? NaN;

describe("rolling extremes", () => {
  it("include the current bar", () => {
    expect([...highest([1, 3, 2, 0], 2)]).toEqual([NaN, 3, 3, 2]);
    expect([...lowest([1, 3, 2, 0], 2)]).toEqual([NaN, 1, 2, 0]);
  });
  it("previous-N range excludes the current bar (§2.12)", () => {
    expect([...previousRangeHigh([1, 3, 2, 5], 2)]).toEqual([NaN, NaN, 3, 3]);
    expect([...previousRangeLow([4, 3, 2, 5], 2)]).toEqual([NaN, NaN, 3, 2]);
  });
  it("streams exactly on real data", () => {
    const s = loadFixture("BTCINR_1d.csv");
    expect(compareOnSeries(s, stream("high")(20), batch("high")(20), { earlier: 2 })).toEqual([]);
    expect(compareOnSeries(s, stream("low")(30), batch("low")(30), { earlier: 2 })).toEqual([]);
  });
  it("streams exactly on random data", () => {
    propertyAgrees(stream("high"), batch("high"), { earlier: 2 });
    propertyAgrees(stream("low"), batch("low"), { earlier: 2 });
  });
});

describe("RollingExtreme", () => {
  it("gives the extreme of the last `period` values fed (fewer at first), for the newest and earlier bars", () => {
    const s = loadFixture("BTCINR_1d.csv");
    const first = 5;
    for (const period of [1, 2, 3, 7, 20, 64]) {
      for (const sign of [1, -1] as const) {
        const col = sign === 1 ? s.high : s.low;
        const naive = (j: number) => {
          const fed = [...col.subarray(Math.max(first, j - period + 1), j + 1)];
          return sign === 1 ? Math.max(...fed) : Math.min(...fed);
        };
        const r = new RollingExtreme(period, sign, 128);
        r.reset(first);
        for (let i = first; i < s.length; i++) {
          r.push(col[i]!);
          expect(r.extremeAt(i)).toBe(naive(i));
          if (i - 3 >= first) expect(r.extremeAt(i - 3)).toBe(naive(i - 3));
        }
      }
    }
  });
});

describe("WindowPreviousRange sides", () => {
  it("tracks one side only on request and refuses to answer about the other", () => {
    const s = loadFixture("BTCINR_1d.csv");
    const both = new WindowPreviousRange(20);
    const high = new WindowPreviousRange(20, 512, "high");
    const low = new WindowPreviousRange(20, 512, "low");
    for (const r of [both, high, low]) r.reset(0);
    for (let i = 0; i < 400; i++) {
      for (const r of [both, high, low]) r.push(s.high[i]!, s.low[i]!);
      const start = Math.max(0, i - 299);
      expect(high.highAt(start, i)).toBe(both.highAt(start, i));
      expect(low.lowAt(start, i)).toBe(both.lowAt(start, i));
    }
    expect(() => high.lowAt(100, 399)).toThrow(/low side is not tracked/);
    expect(() => low.highAt(100, 399)).toThrow(/high side is not tracked/);
  });
});

describe("WindowPreviousRange crossings", () => {
  it("say whether the close crossed the previous range, as the close against highAt / lowAt does, and never in warm-up", () => {
    const s = loadFixture("BTCINR_1d.csv");
    const lookback = 10;
    const r = new WindowPreviousRange(lookback);
    r.reset(0);
    let above = 0;
    let below = 0;
    for (let i = 0; i < 600; i++) {
      r.push(s.high[i]!, s.low[i]!);
      const start = Math.max(0, i - 299);
      const high = r.highAt(start, i);
      const low = r.lowAt(start, i);
      const close = s.close[i]!;
      const prev = s.close[i - 1] ?? Number.NaN;
      expect(r.crossedAbove(s, start, i)).toBe(close > high && prev <= high);
      expect(r.crossedBelow(s, start, i)).toBe(close < low && prev >= low);
      if (i - start < lookback) expect([r.crossedAbove(s, start, i), r.crossedBelow(s, start, i)]).toEqual([false, false]);
      if (r.crossedAbove(s, start, i)) above++;
      if (r.crossedBelow(s, start, i)) below++;
    }
    // The real data crosses both ways: the comparisons above were not all of two falses.
    expect(above).toBeGreaterThan(5);
    expect(below).toBeGreaterThan(5);
  });
});
