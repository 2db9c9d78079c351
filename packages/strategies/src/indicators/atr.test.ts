import { describe, expect, it } from "vitest";
import type { CandleSeries } from "@tradeloom/types";
import { atr, WindowAtr } from "./atr";
import { trueRange } from "./true-range";
import { wilderSmooth } from "./wilder";
import { compareOnSeries, propertyAgrees } from "../../test/agreement";
import { loadFixture } from "../../test/helpers";

const highs = [10, 11, 12, 11.5, 12];
const lows = [9, 10, 11, 10.5, 11];
const closes = [9.5, 10.5, 11.5, 11, 11.5];

const stream = (period: number) => {
  const a = new WindowAtr(period);
  return { reset: (f: number) => a.reset(f), push: (s: CandleSeries, i: number) => a.push(s.high[i]!, s.low[i]!, s.close[i]!), at: (x: number, y: number) => a.at(x, y) };
};
const batch = (period: number) => (w: CandleSeries, j: number) => atr(w.high, w.low, w.close, period)[j] ?? NaN;

describe("true range, Wilder smoothing, ATR", () => {
  it("match the §2.4 example", () => {
    expect([...trueRange(highs, lows, closes)]).toEqual([1, 1.5, 1.5, 1, 1]);
    const a = atr(highs, lows, closes, 3);
    expect(a[1]).toBeNaN();
    expect(a[2]).toBeCloseTo(1.33333, 5);
    expect(a[3]).toBeCloseTo(1.22222, 5);
    expect(a[4]).toBeCloseTo(1.14815, 5);
  });
  it("seed Wilder smoothing with the mean", () => expect([...wilderSmooth([1, 2, 3, 4], 2)]).toEqual([NaN, 1.5, 2.25, 3.125]));
  it("guard period 0 and unequal lengths", () => {
    expect(atr(highs, lows, closes, 0).length).toBe(0);
    expect(atr(highs, lows, closes.slice(1), 3).length).toBe(0);
  });
});

describe("WindowAtr", () => {
  it("agrees with the batch ATR over every 300-bar window of real data, at the last 20 indices too", () => {
    expect(compareOnSeries(loadFixture("BTCINR_1d.csv"), stream(14), batch(14), { earlier: 19 })).toEqual([]);
    expect(compareOnSeries(loadFixture("ETHINR_4h.csv"), stream(14), batch(14), { earlier: 19 })).toEqual([]);
  });
  it("agrees on random series and window sizes", () => propertyAgrees(stream, batch, { earlier: 5 }));
  it("averages the last ATRs of a window like a batch recomputation (O(1) span and fallback)", () => {
    const meanStream = (span: number, count: number) => (period: number) => {
      const a = new WindowAtr(period, undefined, span);
      return { reset: (f: number) => a.reset(f), push: (s: CandleSeries, i: number) => a.push(s.high[i]!, s.low[i]!, s.close[i]!), at: (x: number, y: number) => a.meanOfLast(x, y, count) };
    };
    const meanBatch = (count: number) => (period: number) => (w: CandleSeries, j: number) => {
      const present = [...atr(w.high, w.low, w.close, period).subarray(Math.max(0, j - count + 1), j + 1)].filter((x) => !Number.isNaN(x));
      return present.length === 0 ? NaN : present.reduce((x, y) => x + y, 0) / present.length;
    };
    expect(compareOnSeries(loadFixture("BTCINR_1d.csv"), meanStream(20, 20)(14), meanBatch(20)(14))).toEqual([]);
    propertyAgrees(meanStream(5, 5), meanBatch(5), { earlier: 2 });
    propertyAgrees(meanStream(5, 3), meanBatch(3), { earlier: 1 });
  });
});
