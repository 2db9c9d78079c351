import fc from "fast-check";
import { ConfigError } from "@tradeloom/types";
import { describe, expect, it } from "vitest";
import { foldCuts, foldWindows, MIN_SEGMENT_BARS, mergeTimelines, parseFoldCount } from "./folds";

const DAY = 86_400_000;
const days = (n: number, from = 0) => Float64Array.from({ length: n }, (_, i) => (from + i) * DAY);

describe("walk-forward folds", () => {
  it("cuts n bars into K + 1 segments at ⌊j·n/(K+1)⌋", () => {
    expect(foldCuts(10, 4)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(foldCuts(11, 2)).toEqual([0, 3, 7, 11]);
    expect(foldCuts(1493, 3)).toEqual([0, 373, 746, 1119, 1493]);
  });

  it("anchors every in-sample window at the first bar and tests on the next segment", () => {
    expect(foldWindows(days(11), 2, "BTC_1d")).toEqual([
      { fold: 1, inSample: { first: 0, last: 2 * DAY, bars: 3 }, outOfSample: { first: 3 * DAY, last: 6 * DAY, bars: 4 } },
      { fold: 2, inSample: { first: 0, last: 6 * DAY, bars: 7 }, outOfSample: { first: 7 * DAY, last: 10 * DAY, bars: 4 } },
    ]);
  });

  it("property: test windows tile the bars after the first segment; in-sample windows grow and end right before them", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 0, max: 400 }), (k, extra) => {
        const n = MIN_SEGMENT_BARS * (k + 1) + extra;
        const t = days(n, 5);
        const folds = foldWindows(t, k, "X_1d");
        expect(folds).toHaveLength(k);
        expect(folds[0]!.inSample.bars).toBe(Math.floor(n / (k + 1)));
        expect(folds.reduce((a, f) => a + f.outOfSample.bars, 0)).toBe(n - folds[0]!.inSample.bars);
        expect(folds[k - 1]!.outOfSample.last).toBe(t[n - 1]);
        for (const [i, f] of folds.entries()) {
          expect(f.inSample.first).toBe(t[0]);
          expect(f.outOfSample.first).toBe(f.inSample.last + DAY);
          expect(f.outOfSample.bars).toBeGreaterThanOrEqual(MIN_SEGMENT_BARS);
          if (i > 0) expect(f.inSample.bars).toBe(folds[i - 1]!.inSample.bars + folds[i - 1]!.outOfSample.bars);
        }
      }),
    );
  });

  it("refuses a bad fold count or too few bars, naming the flag and the data", () => {
    for (const k of [1, 0, 2.5, -3]) expect(() => foldWindows(days(100), k, "BTC_1d")).toThrow(/--walk-forward: expected a whole number of folds ≥ 2/);
    expect(() => foldWindows(days(7), 3, "BTC+ETH_1d")).toThrow("--walk-forward 3: BTC+ETH_1d has 7 bars, too few for 3 folds (4 segments of at least 2 bars; at most 2 folds)");
    expect(() => foldWindows(days(8), 3, "BTC_1d")).not.toThrow();
    try {
      foldWindows(days(3), 2, "BTC_1d");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).context.path).toBe("--walk-forward");
      expect((e as ConfigError).message).not.toMatch(/at most/);
    }
  });

  it("parses --walk-forward K", () => {
    expect(parseFoldCount("5")).toBe(5);
    for (const bad of ["1", "0", "", " ", "2.5", "abc", "-2"]) expect(() => parseFoldCount(bad)).toThrow(/--walk-forward: expected a whole number of folds ≥ 2/);
  });

  it("merges timelines into their sorted distinct times", () => {
    expect([...mergeTimelines([Float64Array.of(1, 3, 5), Float64Array.of(2, 3, 6), Float64Array.of(0)])]).toEqual([0, 1, 2, 3, 5, 6]);
    const one = Float64Array.of(4, 7);
    expect(mergeTimelines([one])).toBe(one);
  });
});
