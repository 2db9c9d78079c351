/** The twelve risk parameters of a config's `trading` section, in camelCase. All fractions are of capital. */
export interface RiskLimits {
  /** Base risk per trade (e.g. 0.02 = 2 % of capital lost if the stop is hit). */
  readonly riskPerTrade: number;
  /** Most positions open at once across symbols (pending entries count). */
  readonly maxPositions: number;
  /** Cap on the summed open risk of all positions. */
  readonly maxPortfolioHeat: number;
  /** Cap on one position's notional. */
  readonly maxPositionPct: number;
  /** Drawdown from the peak at which new entries halt. */
  readonly maxDrawdown: number;
  /** Drawdown at which sizes are multiplied by `drawdownWarningMultiplier`. */
  readonly drawdownWarning: number;
  /** Drawdown at which sizes are multiplied by `drawdownCriticalMultiplier`. */
  readonly drawdownCritical: number;
  readonly drawdownWarningMultiplier: number;
  readonly drawdownCriticalMultiplier: number;
  /** Losing trades in a row after which sizes are multiplied by `consecutiveLossMultiplier`. */
  readonly consecutiveLossLimit: number;
  readonly consecutiveLossMultiplier: number;
}
