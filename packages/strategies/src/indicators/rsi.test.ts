import { describe, expect, it } from "vitest";
import { rsi, WindowRsi } from "./rsi";
import { compareOnSeries, propertyAgrees } from "../../test/agreement";
import { loadFixture } from "../../test/helpers";

const stream = (period: number) => {
  const r = new WindowRsi(period);
  return { reset: (f: number) => r.reset(f), push: (s: { close: Float64Array }, i: number) => r.push(s.close[i]!), at: (a: number, b: number) => r.at(a, b) };
};
const batch = (period: number) => (w: { close: Float64Array }, j: number) => rsi(w.close, period)[j] ?? NaN;

describe("rsi", () => {
  it("matches the §2.8 example (ta variant, 0.1 seeds)", () => {
    const r = rsi([10, 11, 10.5, 12], 3);
    expect(r[1]).toBeNaN();
    expect(r[2]).toBe(50);
    expect(r[3]).toBeCloseTo(86.5854, 4);
  });
  it("streams exactly on real data", () => expect(compareOnSeries(loadFixture("BTCINR_1d.csv"), stream(14), batch(14), { earlier: 2 })).toEqual([]));
  it("streams exactly on random data", () => propertyAgrees(stream, batch, { earlier: 2, scale: 100 }));
});
