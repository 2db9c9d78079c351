import type { Trade } from "@tradeloom/oms";

/** Headline figures of a backtest. Unrounded: round for display only. Percentages are in percent. */
export interface Metrics {
  /** (final equity − initial capital) / initial capital × 100. */
  readonly totalReturn: number;
  /** Return after the tax of {@link Metrics.taxAmount}, in percent. */
  readonly postTaxReturn: number;
  /** Annualised Sharpe ratio of per-bar returns (sample deviation, 5 % risk-free rate, the timeframe's bars per year). */
  readonly sharpeRatio: number;
  /** Annualised Sortino ratio (downside deviation below the per-bar risk-free rate). */
  readonly sortinoRatio: number;
  /** Annualised return ÷ max drawdown (fractions). */
  readonly calmarRatio: number;
  /** Largest peak-to-trough fall of the equity curve, in percent. */
  readonly maxDrawdown: number;
  /** Winning trades ÷ trades × 100; a trade wins iff its net P&L is strictly positive. */
  readonly winRate: number;
  /** Sum of wins ÷ sum of losses; +∞ with wins and no losses; 0 without trades. */
  readonly profitFactor: number;
  /** Average net P&L per trade implied by win rate, average win and average loss. */
  readonly expectancy: number;
  readonly totalTrades: number;
  readonly winningTrades: number;
  readonly losingTrades: number;
  readonly avgWin: number;
  /** Positive. */
  readonly avgLoss: number;
  readonly largestWin: number;
  /** ≤ 0. */
  readonly largestLoss: number;
  /** Fees actually paid on every fill. */
  readonly totalCommission: number;
  /** Tax: on the sum of winning trades, or on the net gain when losses may offset gains. */
  readonly taxAmount: number;
  /** TDS withheld on sells: `tds_rate` × the notional of every sell fill. */
  readonly tdsAmount: number;
  /** Equity at the end, after the end-of-data liquidation. */
  readonly finalEquity: number;
}

/** What {@link computeMetrics} needs: the run's figures, and its trades or just their net P&L. */
export type MetricsInput = MetricsFigures & (
  | {
      /** The realised trades; only their net P&L is read. */
      readonly trades: readonly Trade[];
    }
  | {
      /**
       * Net P&L of each trade as a number (the nearest double of the exact amount), in the order they closed (the
       * sums depend on it): what the engine keeps, so a backtest's metrics need no trade objects.
       */
      readonly tradeNetPnl: ArrayLike<number>;
    }
);

/** The part of {@link MetricsInput} besides the trades. */
export interface MetricsFigures {
  readonly initialCapital: number;
  readonly equityTime: Float64Array;
  readonly equity: Float64Array;
  readonly barsPerYear: number;
  readonly feesPaid: number;
  readonly sellNotional: number;
  readonly taxRate: number;
  readonly tdsRate: number;
  readonly lossOffsetAllowed: boolean;
  /** Annual risk-free rate (default 0.05). */
  readonly riskFreeRate?: number;
}

const DAY_MS = 86_400_000;

/** Computes the metrics of engine.md §8 with Tradeloom's fixes (annualisation by timeframe, tax rules, real fees). */
export function computeMetrics(m: MetricsInput): Metrics {
  const E0 = m.initialCapital;
  const n = m.equity.length;
  const Ef = n > 0 ? m.equity[n - 1]! : E0;
  const totalReturn = ((Ef - E0) / E0) * 100;

  let wins = 0;
  let losses = 0;
  let sumWin = 0;
  let sumLoss = 0;
  let largestWin = 0;
  let largestLoss = 0;
  const nets = "tradeNetPnl" in m ? m.tradeNetPnl : m.trades.map((t) => t.netPnl.toNumber());
  for (let i = 0; i < nets.length; i++) {
    const net = nets[i]!;
    if (net > 0) {
      wins++;
      sumWin += net;
      if (net > largestWin) largestWin = net;
    } else {
      losses++;
      sumLoss += Math.abs(net);
      if (net < largestLoss) largestLoss = net;
    }
  }
  const total = wins + losses;
  const winRate = total > 0 ? (wins / total) * 100 : 0;
  const avgWin = wins > 0 ? sumWin / wins : 0;
  const avgLoss = losses > 0 ? sumLoss / losses : 0;
  const profitFactor = sumLoss > 0 ? sumWin / sumLoss : sumWin > 0 ? Number.POSITIVE_INFINITY : 0;
  const expectancy = (winRate / 100) * avgWin - ((100 - winRate) / 100) * avgLoss;

  const rfBar = (m.riskFreeRate ?? 0.05) / m.barsPerYear;
  let sum = 0;
  let count = 0;
  for (let i = 1; i < n; i++) {
    sum += (m.equity[i]! - m.equity[i - 1]!) / m.equity[i - 1]!;
    count++;
  }
  let sharpeRatio = 0;
  let sortinoRatio = 0;
  if (count >= 2) {
    const mean = sum / count;
    let ss = 0;
    let down = 0;
    for (let i = 1; i < n; i++) {
      const r = (m.equity[i]! - m.equity[i - 1]!) / m.equity[i - 1]!;
      ss += (r - mean) ** 2;
      if (r < rfBar) down += (r - rfBar) ** 2;
    }
    const sd = Math.sqrt(ss / (count - 1));
    if (sd > 0) sharpeRatio = ((mean - rfBar) / sd) * Math.sqrt(m.barsPerYear);
    const dd = Math.sqrt(down / count);
    if (dd > 0) sortinoRatio = ((mean - rfBar) / dd) * Math.sqrt(m.barsPerYear);
  }

  let peak = E0;
  let maxDd = 0;
  for (let i = 0; i < n; i++) {
    const v = m.equity[i]!;
    if (v > peak) peak = v;
    const dd = (peak - v) / peak;
    if (dd > maxDd) maxDd = dd;
  }

  let calmarRatio = 0;
  if (maxDd > 0 && n > 1) {
    const days = Math.trunc((m.equityTime[n - 1]! - m.equityTime[0]!) / DAY_MS);
    if (days > 0) {
      const ann = (1 + totalReturn / 100) ** (365 / days) - 1;
      calmarRatio = ann / maxDd;
    }
  }

  const taxBase = m.lossOffsetAllowed ? Math.max(sumWin - sumLoss, 0) : sumWin;
  const taxAmount = taxBase * m.taxRate;
  const postTaxReturn = ((Ef - E0 - taxAmount) / E0) * 100;

  return {
    totalReturn,
    postTaxReturn,
    sharpeRatio,
    sortinoRatio,
    calmarRatio,
    maxDrawdown: maxDd * 100,
    winRate,
    profitFactor,
    expectancy,
    totalTrades: total,
    winningTrades: wins,
    losingTrades: losses,
    avgWin,
    avgLoss,
    largestWin,
    largestLoss,
    totalCommission: m.feesPaid,
    taxAmount,
    tdsAmount: m.sellNotional * m.tdsRate,
    finalEquity: Ef,
  };
}

/** Rounds half away from zero to `dp` places, for display (JavaScript's Math.round rounds −2.5 to −2). */
export function roundHalfAway(x: number, dp = 2): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** dp;
  const y = x * f;
  return (Math.sign(y) * Math.round(Math.abs(y))) / f;
}
