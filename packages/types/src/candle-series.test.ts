import { describe, expect, it } from "vitest";
import { CandleSeries } from "./candle-series";

const candles = [1, 2, 3, 4].map((i) => ({ time: i * 1000, open: i, high: i + 1, low: i - 0.5, close: i + 0.5, volume: 10 * i }));

describe("CandleSeries", () => {
  it("holds columns and slices without copying", () => {
    const s = CandleSeries.fromCandles(candles);
    expect(s.length).toBe(4);
    const v = s.slice(1, 3);
    expect(Array.from(v.close)).toEqual([2.5, 3.5]);
    expect(v.close.buffer).toBe(s.close.buffer);
  });

  it("finds times by binary search", () => {
    const s = CandleSeries.fromCandles(candles);
    expect(s.indexOfTime(3000)).toBe(2);
    expect(s.indexOfTime(3500)).toBe(-1);
    expect(s.lastIndexAtOrBefore(3500)).toBe(2);
    expect(s.lastIndexAtOrBefore(500)).toBe(-1);
  });

  it("round-trips through a shared buffer", () => {
    const s = CandleSeries.fromCandles(candles);
    const buf = s.toBuffer(true);
    expect(buf.buffer).toBeInstanceOf(SharedArrayBuffer);
    const back = CandleSeries.fromBuffer(buf, s.length);
    expect(back.at(3)).toEqual(candles[3]);
  });
});
