import { describe, expect, it } from "vitest";
import type { Combination } from "./grid";
import type { RunMetrics } from "./ranking";
import type { RankedRun } from "./report";
import { annualisedReturn, summarizeWalkForward, type WalkForwardFold } from "./walk-forward";

const DAY = 86_400_000;
const metrics = (totalReturn: number, trades = 4, sharpe = 1): RunMetrics => ({
  sharpe,
  sortino: 0,
  calmar: 0,
  totalReturn,
  maxDrawdown: 0,
  winRate: 0,
  profitFactor: 0,
  expectancy: 0,
  trades,
});
const run = (params: Combination, inSample: number, outOfSample?: RunMetrics): RankedRun => ({
  rank: 1,
  index: 0,
  symbols: ["BTCINR"],
  timeframe: "1d",
  params,
  metrics: metrics(inSample),
  moments: { observations: 10, skewness: 0, kurtosis: 3 },
  ...(outOfSample ? { outOfSample } : {}),
});
/** Fold k of 365-day segments: in sample from day 0 to 365·k − 1, tested on the next 365 days. */
const fold = (k: number, winner?: RankedRun): WalkForwardFold => ({
  fold: k,
  inSample: { first: 0, last: (365 * k - 1) * DAY, bars: 365 * k },
  outOfSample: { first: 365 * k * DAY, last: (365 * (k + 1) - 1) * DAY, bars: 365 },
  completedRuns: 4,
  eligibleRuns: winner ? 4 : 0,
  belowMinTrades: winner ? 0 : 4,
  failedRuns: 0,
  failures: [],
  ranking: winner ? [winner] : [],
});

describe("walk-forward summary", () => {
  it("annualises a return over the span from the first to the last bar", () => {
    expect(annualisedReturn(21, 0, 730 * DAY)).toBeCloseTo(10, 10);
    expect(annualisedReturn(10, 0, 365 * DAY)).toBeCloseTo(10, 10);
    expect(annualisedReturn(10, 5, 5)).toBeNaN();
  });

  it("compounds the fold winners' test returns; a fold without a winner is flat; trades and Sharpe over traded folds", () => {
    const s = summarizeWalkForward(
      [fold(1, run({ a: 1 }, 10, metrics(10, 3, 2))), fold(2), fold(3, run({ a: 2 }, 10, metrics(-5, 5, -1)))],
      ["a"],
    );
    expect(s.folds).toBe(3);
    expect(s.foldsTraded).toBe(2);
    expect(s.profitableFolds).toBe(1);
    expect(s.totalReturn).toBeCloseTo(4.5, 10); // 1.10 × 0.95 − 1
    expect(s.trades).toBe(8);
    expect(s.meanSharpe).toBeCloseTo(0.5, 10);
    // Test windows from day 365 to day 4·365 − 1.
    expect(s.annualisedReturn).toBeCloseTo(annualisedReturn(4.5, 365 * DAY, (4 * 365 - 1) * DAY), 12);
    const is1 = annualisedReturn(10, 0, 364 * DAY);
    const is3 = annualisedReturn(10, 0, (3 * 365 - 1) * DAY);
    expect(s.inSampleAnnualisedReturn).toBeCloseTo((is1 + is3) / 2, 12);
    expect(s.efficiency).toBeCloseTo(s.annualisedReturn / s.inSampleAnnualisedReturn, 12);
  });

  it("a winner whose test failed counts as flat; efficiency is NaN when the in-sample return is not positive", () => {
    const s = summarizeWalkForward([fold(1, run({ a: 1 }, -3)), fold(2, run({ a: 1 }, 0, metrics(2)))], ["a"]);
    expect(s.foldsTraded).toBe(1);
    expect(s.totalReturn).toBeCloseTo(2, 12);
    expect(s.inSampleAnnualisedReturn).toBeLessThan(0);
    expect(s.efficiency).toBeNaN();
  });

  it("measures parameter stability: distinct sets, and each dimension's most frequent value (first chosen wins ties)", () => {
    const s = summarizeWalkForward(
      [fold(1, run({ a: 1, b: "x" }, 1, metrics(1))), fold(2, run({ a: 2, b: "y" }, 1, metrics(1))), fold(3, run({ a: 2, b: "x" }, 1, metrics(1))), fold(4)],
      ["a", "b"],
    );
    expect(s.stability).toEqual({
      distinctSets: 3,
      modalSetFolds: 1,
      parameters: [
        { key: "a", mode: 2, modeFolds: 2, distinct: 2 },
        { key: "b", mode: "x", modeFolds: 2, distinct: 2 },
      ],
    });
    const tie = summarizeWalkForward([fold(1, run({ a: 7 }, 1)), fold(2, run({ a: 3 }, 1))], ["a"]);
    expect(tie.stability.parameters[0]).toEqual({ key: "a", mode: 7, modeFolds: 1, distinct: 2 });
  });

  it("no folds: nothing traded, figures NaN", () => {
    const s = summarizeWalkForward([], ["a"]);
    expect(s).toMatchObject({ folds: 0, foldsTraded: 0, totalReturn: 0, trades: 0, stability: { distinctSets: 0, modalSetFolds: 0, parameters: [] } });
    expect(s.annualisedReturn).toBeNaN();
    expect(s.efficiency).toBeNaN();
  });
});
