import { Money } from "@tradeloom/types";
import type { Fill } from "./fill";
import type { Explanation, Order } from "./order";
import { type FillEffect, PositionManager } from "./position-manager";
import { type ExitReason, type Trade, TradeRecord } from "./trade";

function powerOfTenDecimals(step: string): number {
  const m = /^(?:1|0\.(0*)1)$/.exec(Money.of(step).toString());
  if (!m) throw new RangeError(`price tick must be a power of ten such as 0.01, got ${step}`);
  return m[1] === undefined ? 0 : m[1].length + 1;
}

/** Fee schedule and lot rules of the venue. */
export interface ExecutionCosts {
  /** Fee rate of maker fills (resting limit orders), a fraction ≥ 0. */
  readonly makerFee: number;
  /** Fee rate of every other fill, a fraction ≥ 0. */
  readonly takerFee: number;
  /** Smallest quantity increment; sizes are floored to it and a remainder below it is closed. Absent: exact. */
  readonly lotStep?: string | undefined;
  /**
   * Price increment: fill prices (after slippage) are rounded to the nearest tick, as an exchange would. A power of
   * ten (e.g. `"0.00000001"`). Absent: the price's shortest decimal text is used as is.
   */
  readonly priceTick?: string | undefined;
}

/** Result of {@link ExecutionEngine.execute}. */
export type ExecutionOutcome =
  | { readonly kind: "filled"; readonly fill: Fill; readonly effect: FillEffect; readonly trade: Trade | undefined }
  | { readonly kind: "rejected"; readonly reason: string };

/**
 * The ledger: turns an order and a price into a fill, charges the fee, moves cash, updates positions and records the
 * realised trade. Everything here is exact decimal arithmetic; `cashNum` mirrors cash as a number for the bar loop.
 */
export class ExecutionEngine {
  readonly positions = new PositionManager();
  readonly makerFee: Money;
  readonly takerFee: Money;
  readonly lotStep: Money | undefined;
  #cash: Money;
  // A number from the start (not undefined) so that V8 stores it as a double in place: it changes on every fill.
  #cashNum = 0;
  readonly #stepDecimals: number | undefined;
  readonly #tickDecimals: number | undefined;
  /** `10^stepDecimals` and `10^tickDecimals`, computed once: sizes and prices are scaled on every entry and fill. */
  readonly #stepsPerUnit: number;
  readonly #ticksPerUnit: number;
  readonly #minQuantity: number;
  #feesPaid = Money.ZERO;
  #realizedNet = Money.ZERO;
  /** The fee rates as numbers, for {@link ExecutionEngine.cannotPay}'s estimate. */
  readonly #makerRate: number;
  readonly #takerRate: number;

  constructor(initialCash: Money, costs: ExecutionCosts) {
    if (!(costs.makerFee >= 0) || !(costs.takerFee >= 0)) throw new RangeError("fees must be ≥ 0");
    this.makerFee = Money.of(costs.makerFee);
    this.takerFee = Money.of(costs.takerFee);
    this.lotStep = costs.lotStep !== undefined ? Money.of(costs.lotStep) : undefined;
    this.#stepDecimals = this.lotStep && /^(?:1|0\.0*1)$/.test(this.lotStep.toString()) ? powerOfTenDecimals(this.lotStep.toString()) : undefined;
    this.#tickDecimals = costs.priceTick === undefined ? undefined : powerOfTenDecimals(costs.priceTick);
    this.#stepsPerUnit = 10 ** (this.#stepDecimals ?? 0);
    this.#ticksPerUnit = 10 ** (this.#tickDecimals ?? 0);
    this.#minQuantity = this.lotStep?.toNumber() ?? 0;
    this.#cash = initialCash;
    this.#cashNum = initialCash.toNumber();
    this.#makerRate = costs.makerFee;
    this.#takerRate = costs.takerFee;
  }

  /** Cash, exact. */
  get cash(): Money {
    return this.#cash;
  }

  /** Cash as a number, for valuation in the bar loop. */
  get cashNum(): number {
    return this.#cashNum;
  }

  /** Every fee charged so far. */
  get feesPaid(): Money {
    return this.#feesPaid;
  }

  /** Sum of the net P&L of every realised trade. */
  get realizedNet(): Money {
    return this.#realizedNet;
  }

  /** The smallest positive quantity {@link ExecutionEngine.sizeToQuantity} can return: the lot step, or 0 without one. */
  get minQuantity(): number {
    return this.#minQuantity;
  }

  /** Floors a size to the lot step (identity without one). */
  roundQuantity(q: Money): Money {
    return this.lotStep ? q.floorToStep(this.lotStep) : q;
  }

  /**
   * A size computed in numbers (risk sizing), floored to the lot step, as an exact quantity. With a power-of-ten
   * step this is done on the integer count of steps, without decimal division (it runs for every entry request).
   */
  sizeToQuantity(size: number): Money {
    if (!(size > 0) || !Number.isFinite(size)) return Money.ZERO;
    if (this.#stepDecimals !== undefined) {
      // The epsilon (a millionth of a step) keeps 0.3 × 1e8 = 29999999.999999996 from losing a whole step.
      const steps = Math.floor(size * this.#stepsPerUnit + 1e-6);
      if (steps < Number.MAX_SAFE_INTEGER) return steps === 0 ? Money.ZERO : Money.scaled(steps, this.#stepDecimals);
    }
    return this.roundQuantity(Money.of(size));
  }

  /**
   * Fills `quantity` (default: the order's remainder) of `order` at `price`.
   *
   * A reduce-only order is capped at the open quantity and rejected when there is nothing to reduce. A buy that opens
   * or adds to a long and that cash cannot pay (price × qty + fee) is rejected; a buy covering a short is always
   * executed (its loss may take cash below zero: that is the short's risk, not an unpaid purchase). A position left
   * below the lot step is closed with the same fill.
   */
  execute(order: Order, price: number, maker: boolean, time: number, exitReason: ExitReason, quantity?: Money): ExecutionOutcome {
    if (!(price > 0) || !Number.isFinite(price)) return this.#reject(order, `no valid price (${price})`);
    const pos = this.positions.get(order.symbol);
    let qty = quantity ?? order.remaining;
    if (order.reduceOnly) {
      if (!pos || pos.side === order.side) return this.#reject(order, "reduce-only order with no position to reduce");
      if (qty.gt(pos.quantityExact)) qty = pos.quantityExact;
    }
    if (pos && pos.side !== order.side && this.lotStep && qty.lt(pos.quantityExact)) {
      const left = pos.quantityExact.minus(qty);
      if (left.lt(this.lotStep) && pos.quantityExact.lte(order.remaining)) qty = pos.quantityExact;
    }
    if (!qty.isPositive()) return this.#reject(order, "zero quantity");
    const priceM = this.#priceMoney(price);
    const notional = priceM.times(qty);
    const fee = notional.times(maker ? this.makerFee : this.takerFee);
    if (order.side === "buy") {
      const need = notional.plus(fee);
      // Covering a short settles a liability and is never refused; a buy that opens or adds to a long must be paid.
      const covering = pos !== undefined && pos.side === "sell" && qty.lte(pos.quantityExact);
      const left = this.#cash.minus(need);
      if (!covering && left.isNegative()) return this.#reject(order, new CashShortfall(need, this.#cash));
      this.#cash = left;
    } else {
      this.#cash = this.#cash.plus(notional).minus(fee);
    }
    this.#cashNum = this.#cash.toNumber();
    this.#feesPaid = this.#feesPaid.plus(fee);
    order.recordFill(qty, priceM, notional);
    // A capped reduce-only order has nothing left to do.
    if (order.reduceOnly && order.isActive) order.transition("cancelled", "reduce-only remainder");
    const fill: Fill = { orderId: order.id, clientId: order.clientId, symbol: order.symbol, side: order.side, price: priceM, quantity: qty, fee, maker, time };
    const effect = this.positions.apply(fill, notional);
    let trade: Trade | undefined;
    const r = effect.realization;
    if (r) {
      trade = new TradeRecord(r, exitReason);
      this.#realizedNet = this.#realizedNet.plus(r.netPnl);
    }
    return { kind: "filled", fill, effect, trade };
  }

  /**
   * Whether {@link ExecutionEngine.execute} would certainly refuse a buy of `quantityNum` of `symbol` at `price` for want
   * of cash, found without an order and without decimal arithmetic; false when the buy may be payable (`execute` then
   * decides exactly), when the price is not valid, or when `symbol` is short (covering is never refused).
   * {@link ExecutionEngine.cashShortfall} gives the refusal itself.
   *
   * Why: a strategy may ask for an entry it cannot pay on every bar (momentum_scalper's 1 d config: 138 refusals
   * against 66 trades), and building the order and its exact amounts cost more than the rest of the refusal. The
   * estimate answers true only with a margin of a millionth of cash, a thousand times its rounding error, so every buy
   * it refuses `execute` refuses too.
   *
   * @param quantityNum - the quantity as a number.
   * @param maker - whether the fill would be a maker fill (its fee rate).
   */
  cannotPay(symbol: string, quantityNum: number, price: number, maker: boolean): boolean {
    if (!(price > 0) || !Number.isFinite(price)) return false;
    if (this.positions.get(symbol)?.side === "sell") return false;
    const need = this.#priceNum(price) * quantityNum * (1 + (maker ? this.#makerRate : this.#takerRate));
    const cash = this.#cashNum;
    return need - cash > 1e-6 * Math.abs(cash) + 1e-6;
  }

  /**
   * The refusal {@link ExecutionEngine.execute} gives a buy of `quantity` at `price` that `cash` cannot pay, its message
   * written from the exact amounts when read: "insufficient cash: need …, have …". With
   * {@link ExecutionEngine.cannotPay}, a caller can keep what a refusal is made of (numbers) and write it only if
   * someone reads it.
   *
   * @param cash - the cash at the time of the refusal (default: now).
   */
  cashShortfall(price: number, quantity: Money, maker: boolean, cash: Money = this.#cash): Explanation {
    return new CashShortfall(this.#cost(this.#priceMoney(price), quantity, maker), cash);
  }

  /** Equity with every position marked at `marks[symbol]`, exact (for reports and invariant checks). */
  equityExact(marks: ReadonlyMap<string, number>): Money {
    let eq = this.#cash;
    for (const p of this.positions.all()) {
      const m = marks.get(p.symbol);
      if (m === undefined) throw new RangeError(`no mark for ${p.symbol}`);
      const value = Money.of(m).times(p.quantityExact);
      eq = p.side === "buy" ? eq.plus(value) : eq.minus(value);
    }
    return eq;
  }

  /** Notional plus fee of `quantity` at `priceM`: what a buy costs. */
  #cost(priceM: Money, quantity: Money, maker: boolean): Money {
    const notional = priceM.times(quantity);
    return notional.plus(notional.times(maker ? this.makerFee : this.takerFee));
  }

  /** {@link ExecutionEngine.#priceMoney} as a number: the same tick rounding. */
  #priceNum(price: number): number {
    if (this.#tickDecimals === undefined) return price;
    const ticks = Math.round(price * this.#ticksPerUnit);
    return ticks < Number.MAX_SAFE_INTEGER && ticks > 0 ? ticks / this.#ticksPerUnit : price;
  }

  // Rounds on the integer tick count: shorter decimals make every later ledger operation cheaper.
  #priceMoney(price: number): Money {
    const d = this.#tickDecimals;
    if (d === undefined) return Money.of(price);
    const ticks = Math.round(price * this.#ticksPerUnit);
    return ticks < Number.MAX_SAFE_INTEGER && ticks > 0 ? Money.scaled(ticks, d) : Money.of(price);
  }

  #reject(order: Order, why: string | CashShortfall): ExecutionOutcome {
    order.transition("rejected", why);
    return typeof why === "string" ? { kind: "rejected", reason: why } : why;
  }
}

/**
 * A buy that cash cannot pay, its message written only when read: a strategy that keeps asking for entries it cannot
 * afford has one refused per symbol and bar, and formatting two exact amounts cost more than the rest of the refusal.
 */
class CashShortfall implements Explanation {
  readonly kind = "rejected";
  readonly #need: Money;
  readonly #have: Money;
  #text: string | undefined;

  constructor(need: Money, have: Money) {
    this.#need = need;
    this.#have = have;
  }

  get reason(): string {
    return (this.#text ??= `insufficient cash: need ${this.#need.toFixed(2)}, have ${this.#have.toFixed(2)}`);
  }
}
