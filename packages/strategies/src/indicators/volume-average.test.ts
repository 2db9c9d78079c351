import { describe, expect, it } from "vitest";
import { previousVolumeAverage, WindowVolumeAverage } from "./volume-average";
import { propertyAgrees } from "../../test/agreement";

const stream = (period: number) => {
  const v = new WindowVolumeAverage(period);
  return { reset: (f: number) => v.reset(f), push: (s: { volume: Float64Array }, i: number) => v.push(s.volume[i]!), at: (a: number, b: number) => v.at(a, b) };
};
const batch = (period: number) => (w: { volume: Float64Array }, j: number) => previousVolumeAverage(w.volume, period)[j] ?? NaN;

describe("previous volume average", () => {
  it("averages the bars before the current one", () => expect([...previousVolumeAverage([1, 2, 3, 100], 3)]).toEqual([NaN, NaN, NaN, 2]));
  it("streams exactly", () => propertyAgrees(stream, batch, { earlier: 2, scale: 1000 }));
});
