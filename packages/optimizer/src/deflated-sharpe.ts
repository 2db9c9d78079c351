import { normalCdf, normalInv } from "./normal";

/** Euler–Mascheroni constant. */
const EULER_GAMMA = 0.5772156649015329;

/** Inputs of {@link deflatedSharpe}; Sharpe ratios are per observation (not annualised). */
export interface DeflatedSharpeInput {
  /** The selected (best) strategy's Sharpe ratio per observation. */
  readonly sharpe: number;
  /** Number of independent trials (parameter sets tried). */
  readonly trials: number;
  /** Variance of the trials' Sharpe ratios, per observation. */
  readonly trialVariance: number;
  /** Skewness of the selected strategy's returns (0 for normal returns). */
  readonly skewness: number;
  /** Kurtosis (not excess) of the selected strategy's returns (3 for normal returns). */
  readonly kurtosis: number;
  /** Number of return observations of the selected strategy. */
  readonly observations: number;
}

/** The deflated Sharpe ratio and the figures it is made of. */
export interface DeflatedSharpe {
  /** Expected maximum Sharpe ratio of `trials` unskilled trials (per observation): the bar to beat. */
  readonly expectedMaxSharpe: number;
  /** Probability that the true Sharpe ratio exceeds {@link DeflatedSharpe.expectedMaxSharpe}. */
  readonly probability: number;
}

/**
 * The expected maximum of `trials` Sharpe ratios drawn with variance `variance` around zero (false strategy theorem):
 * `√V · ((1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e)))`; 0 for a single trial.
 */
export function expectedMaxSharpe(trials: number, variance: number): number {
  if (!(trials > 1) || !(variance > 0)) return 0;
  return Math.sqrt(variance) * ((1 - EULER_GAMMA) * normalInv(1 - 1 / trials) + EULER_GAMMA * normalInv(1 - 1 / (trials * Math.E)));
}

/**
 * Deflated Sharpe ratio (Bailey & López de Prado, 2014): the probabilistic Sharpe ratio of the selected strategy
 * against the Sharpe ratio that the best of `trials` worthless strategies would show by luck,
 * `Φ((SR − SR₀)·√(T − 1) / √(1 − γ₃·SR + (γ₄ − 1)/4·SR²))`.
 *
 * @example
 * // The paper's example: 100 trials, annual SR 2.5 and trial variance 0.5, 5 years of daily returns, skew −3, kurtosis 10.
 * deflatedSharpe({ sharpe: 2.5 / Math.sqrt(250), trials: 100, trialVariance: 0.5 / 250, skewness: -3, kurtosis: 10, observations: 1250 }).probability; // ≈ 0.90
 */
export function deflatedSharpe(input: DeflatedSharpeInput): DeflatedSharpe {
  const sr0 = expectedMaxSharpe(input.trials, input.trialVariance);
  const sr = input.sharpe;
  const denom = 1 - input.skewness * sr + ((input.kurtosis - 1) / 4) * sr * sr;
  const probability = input.observations > 1 && denom > 0 ? normalCdf(((sr - sr0) * Math.sqrt(input.observations - 1)) / Math.sqrt(denom)) : Number.NaN;
  return { expectedMaxSharpe: sr0, probability };
}
