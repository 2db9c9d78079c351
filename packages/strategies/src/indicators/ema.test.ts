import { describe, expect, it } from "vitest";
import { ema, WindowEma } from "./ema";
import { compareOnSeries, propertyAgrees } from "../../test/agreement";
import { loadFixture } from "../../test/helpers";

const stream = (period: number) => {
  const e = new WindowEma(period);
  return { reset: (f: number) => e.reset(f), push: (s: { close: Float64Array }, i: number) => e.push(s.close[i]!), at: (a: number, b: number) => e.at(a, b) };
};
const batch = (period: number) => (w: { close: Float64Array }, j: number) => ema(w.close, period)[j] ?? NaN;

describe("ema", () => {
  it("is seeded with the first value (§2.1 example)", () => {
    expect([...ema([1, 2, 3, 4, 5], 3)]).toEqual([NaN, NaN, 2.25, 3.125, 4.0625]);
  });
  it("is empty for period 0 or empty input", () => {
    expect(ema([1, 2], 0).length).toBe(0);
    expect(ema([], 3).length).toBe(0);
  });
});

describe("WindowEma", () => {
  it.each([8, 21, 200])("agrees with the batch EMA over every 300-bar window of real data (period %i)", (period) => {
    expect(compareOnSeries(loadFixture("BTCINR_1d.csv"), stream(period), batch(period), { earlier: 3 })).toEqual([]);
  });
  it("agrees on random series and window sizes", () => propertyAgrees(stream, batch, { earlier: 2 }));
  it("throws when asked about bars it has not seen", () => {
    const e = new WindowEma(2);
    e.reset(0);
    e.push(1);
    e.push(2);
    expect(() => e.at(0, 5)).toThrow(RangeError);
  });
});
