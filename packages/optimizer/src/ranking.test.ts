import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareRuns, parseSortMetric, type RunMetrics, type ScoredRun, TopRuns } from "./ranking";

const metrics = (sharpe: number, trades = 5, profitFactor = 1): RunMetrics => ({
  sharpe,
  sortino: 0,
  calmar: 0,
  totalReturn: sharpe * 10,
  maxDrawdown: 1,
  winRate: 50,
  profitFactor,
  expectancy: 0,
  trades,
});
const run = (index: number, m: RunMetrics): ScoredRun => ({ index, metrics: m, moments: { observations: 10, skewness: 0, kurtosis: 3 } });

describe("ranking", () => {
  it("sorts descending, NaN after every number, +∞ first, ties by run number", () => {
    const runs = [run(3, metrics(1)), run(1, metrics(Number.NaN)), run(2, metrics(1)), run(0, metrics(2)), run(4, metrics(-1))];
    expect(runs.sort((a, b) => compareRuns(a, b, "sharpe")).map((r) => r.index)).toEqual([0, 2, 3, 4, 1]);
    const pf = [run(0, metrics(0, 5, 2)), run(1, metrics(0, 5, Number.POSITIVE_INFINITY))];
    expect(pf.sort((a, b) => compareRuns(a, b, "profit_factor"))[0]!.index).toBe(1);
  });

  it("rejects an unknown --sort-by", () => {
    expect(parseSortMetric("calmar")).toBe("calmar");
    expect(() => parseSortMetric("sharp")).toThrow(/sharpe, calmar/);
  });

  it("property: the bounded top list equals the head of a full sort, whatever the arrival order", () => {
    const value = fc.oneof(fc.double({ noNaN: false }), fc.constantFrom(0, 1, 1, Number.NaN, Number.POSITIVE_INFINITY));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 60 }), fc.integer({ min: 0, max: 12 }), fc.infiniteStream(fc.nat()), (values, k, rnd) => {
        const runs = values.map((v, i) => run(i, metrics(v)));
        const expected = [...runs].sort((a, b) => compareRuns(a, b, "sharpe")).slice(0, k);
        const shuffled = [...runs];
        const it = rnd[Symbol.iterator]();
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = it.next().value! % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const top = new TopRuns(k, "sharpe");
        for (const r of shuffled) top.offer(r);
        expect(top.sorted().map((r) => r.index)).toEqual(expected.map((r) => r.index));
      }),
    );
  });
});
