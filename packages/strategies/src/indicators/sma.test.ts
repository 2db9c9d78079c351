import { describe, expect, it } from "vitest";
import { sma, WindowSma } from "./sma";
import { compareOnSeries, propertyAgrees } from "../../test/agreement";
import { loadFixture } from "../../test/helpers";

const stream = (period: number) => {
  const e = new WindowSma(period);
  return { reset: (f: number) => e.reset(f), push: (s: { close: Float64Array }, i: number) => e.push(s.close[i]!), at: (a: number, b: number) => e.at(a, b) };
};
const batch = (period: number) => (w: { close: Float64Array }, j: number) => sma(w.close, period)[j] ?? NaN;

describe("sma", () => {
  it("matches the §2.2 example", () => expect([...sma([1, 2, 3, 4, 5], 3)]).toEqual([NaN, NaN, 2, 3, 4]));
  it("streams exactly on real data", () => expect(compareOnSeries(loadFixture("BTCINR_1d.csv"), stream(20), batch(20), { earlier: 2 })).toEqual([]));
  it("streams exactly on random data", () => propertyAgrees(stream, batch, { earlier: 2 }));
});
