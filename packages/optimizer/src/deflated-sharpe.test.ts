import { describe, expect, it } from "vitest";
import { deflatedSharpe, expectedMaxSharpe } from "./deflated-sharpe";

describe("deflated Sharpe ratio", () => {
  it("reproduces Bailey & López de Prado (2014)'s numerical example", () => {
    // 100 trials, annualised trial variance 1/2, annual SR 2.5, 1250 daily returns, skewness −3, kurtosis 10.
    const d = deflatedSharpe({ sharpe: 2.5 / Math.sqrt(250), trials: 100, trialVariance: 0.5 / 250, skewness: -3, kurtosis: 10, observations: 1250 });
    expect(d.expectedMaxSharpe * Math.sqrt(250)).toBeCloseTo(1.7899, 3); // 0.1132 per day
    expect(d.probability).toBeCloseTo(0.9004, 3);
  });

  it("a single trial deflates nothing: it is the probabilistic Sharpe ratio against zero", () => {
    expect(expectedMaxSharpe(1, 0.5)).toBe(0);
    const d = deflatedSharpe({ sharpe: 0, trials: 1, trialVariance: 0, skewness: 0, kurtosis: 3, observations: 100 });
    expect(d.probability).toBeCloseTo(0.5, 12);
  });

  it("more trials raise the bar and lower the probability", () => {
    const base = { sharpe: 0.1, trialVariance: 0.002, skewness: 0, kurtosis: 3, observations: 500 };
    const few = deflatedSharpe({ ...base, trials: 10 });
    const many = deflatedSharpe({ ...base, trials: 10_000 });
    expect(many.expectedMaxSharpe).toBeGreaterThan(few.expectedMaxSharpe);
    expect(many.probability).toBeLessThan(few.probability);
  });
});
