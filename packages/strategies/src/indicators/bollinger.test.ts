import { describe, expect, it } from "vitest";
import { bollinger, WindowBollinger } from "./bollinger";
import { propertyAgrees } from "../../test/agreement";

const stream = (period: number) => {
  const b = new WindowBollinger(period, 2);
  return { reset: (f: number) => b.reset(f), push: (s: { close: Float64Array }, i: number) => b.push(s.close[i]!), at: (a: number, c: number) => b.at(a, c).upper };
};
const batch = (period: number) => (w: { close: Float64Array }, j: number) => bollinger(w.close, period, 2).upper[j] ?? NaN;

describe("bollinger", () => {
  it("uses the population deviation", () => {
    const b = bollinger([1, 2, 3], 3, 2);
    expect(b.middle[2]).toBe(2);
    expect(b.upper[2]).toBeCloseTo(2 + 2 * Math.sqrt(2 / 3), 12);
    expect(b.lower[1]).toBeNaN();
  });
  it("streams exactly", () => propertyAgrees(stream, batch, { earlier: 1 }));
});
