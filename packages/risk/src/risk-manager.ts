import type { RiskLimits } from "./risk-limits";

/** What sizing needs to know about the request and the book. All numbers (risk is not ledger arithmetic). */
export interface SizingRequest {
  /** Price the size is computed at (the decision bar's close). */
  readonly price: number;
  /** The strategy's stop for this entry. */
  readonly stop: number;
  /** The strategy's regime score: multiplies risk; 0 blocks the entry. */
  readonly score: number;
  /** Open risk of all positions plus the risk of entries already pending (portfolio heat), in money. */
  readonly heat: number;
  /** Notional already committed to this symbol by pending entries, in money. */
  readonly committedNotional: number;
}

/**
 * Sizes entries and tracks the drawdown and loss-streak state that scales them.
 *
 * The chain: capital × risk_per_trade × regime score × drawdown multiplier × loss-streak multiplier ÷ stop distance;
 * then capped so the position's notional stays within `maxPositionPct` of capital (less what pending entries of the
 * symbol already committed), and so the portfolio heat stays within `maxPortfolioHeat`.
 * Entries halt while the drawdown from the never-resetting peak is at or beyond `maxDrawdown`.
 */
export class RiskManager {
  readonly limits: RiskLimits;
  // Initialised here, not left undefined until the constructor: V8 then keeps them as doubles, written in place on
  // every bar instead of allocating a number per write.
  #capital = 0;
  #peak = 0;
  #losses = 0;
  #wins = 0;

  constructor(initialCapital: number, limits: RiskLimits) {
    if (!(initialCapital > 0)) throw new RangeError(`initial capital must be > 0, got ${initialCapital}`);
    this.limits = limits;
    this.#capital = initialCapital;
    this.#peak = initialCapital;
  }

  /** Equity at the end of the last bar: the base of every sizing decision. */
  get capital(): number {
    return this.#capital;
  }

  /** Highest end-of-bar equity seen (never resets). */
  get peak(): number {
    return this.#peak;
  }

  /** Losing trades in a row (a zero-P&L trade counts as a loss). */
  get consecutiveLosses(): number {
    return this.#losses;
  }

  /** Winning trades in a row. */
  get consecutiveWins(): number {
    return this.#wins;
  }

  /** Drawdown from the peak, a fraction in [0, 1] (or above 1 when equity is negative). */
  get drawdown(): number {
    return this.#peak > 0 ? (this.#peak - this.#capital) / this.#peak : 0;
  }

  /** True while the drawdown is at or beyond `maxDrawdown`: no new entries. */
  get halted(): boolean {
    return this.drawdown >= this.limits.maxDrawdown;
  }

  /** The drawdown size multiplier now: critical, warning or 1. */
  get drawdownMultiplier(): number {
    const dd = this.drawdown;
    if (dd >= this.limits.drawdownCritical) return this.limits.drawdownCriticalMultiplier;
    if (dd >= this.limits.drawdownWarning) return this.limits.drawdownWarningMultiplier;
    return 1;
  }

  /** The loss-streak size multiplier now. */
  get lossStreakMultiplier(): number {
    return this.#losses >= this.limits.consecutiveLossLimit ? this.limits.consecutiveLossMultiplier : 1;
  }

  /** Once per bar, with the bar's closing equity. */
  updateCapital(equity: number): void {
    this.#capital = equity;
    if (equity > this.#peak) this.#peak = equity;
  }

  /** After every realised trade: a win iff its net P&L is strictly positive. */
  recordTrade(netPnl: number): void {
    if (netPnl > 0) {
      this.#wins++;
      this.#losses = 0;
    } else {
      this.#losses++;
      this.#wins = 0;
    }
  }

  /**
   * The largest size the `maxPositionPct` cap still allows at `price` when entries worth `committedNotional` are
   * already pending: {@link RiskManager.size} never returns more. Lets a caller skip sizing when this is below the
   * smallest tradable quantity.
   */
  notionalRoom(price: number, committedNotional: number): number {
    const maxNotional = this.#maxNotional(committedNotional);
    return maxNotional > 0 && price > 0 ? maxNotional / price : 0;
  }

  #maxNotional(committedNotional: number): number {
    return this.#capital * this.limits.maxPositionPct - committedNotional;
  }

  /** True when one more position may be opened given how many are open or pending. */
  canOpen(openOrPending: number): boolean {
    return !this.halted && openOrPending < this.limits.maxPositions;
  }

  /** Risk-based entry size in base units (0 = do not enter). Multiplication order follows the reference. */
  size(req: SizingRequest): number {
    if (this.halted) return 0;
    const l = this.limits;
    const adj = this.#capital * l.riskPerTrade * req.score * this.drawdownMultiplier * this.lossStreakMultiplier;
    const dist = Math.abs(req.price - req.stop);
    if (!(dist > 0) || !Number.isFinite(dist) || !(adj > 0) || !(req.price > 0)) return 0;
    let size = adj / dist;
    const maxNotional = this.#maxNotional(req.committedNotional);
    if (size * req.price > maxNotional) size = maxNotional > 0 ? maxNotional / req.price : 0;
    const maxHeat = this.#capital * l.maxPortfolioHeat;
    if (req.heat + size * dist > maxHeat) {
      const rem = maxHeat - req.heat;
      size = rem > 0 ? Math.min(rem / dist, size) : 0;
    }
    return size;
  }
}
