import { Money, OrderError, type Side } from "@tradeloom/types";
import type { OrderRequest, OrderType, TimeInForce } from "./order-request";

/** Lifecycle state of an {@link Order}. */
export type OrderState = "pending" | "open" | "partially_filled" | "filled" | "cancelled" | "rejected" | "expired";

const NEXT: Record<OrderState, readonly OrderState[]> = {
  pending: ["open", "partially_filled", "filled", "cancelled", "rejected"],
  open: ["partially_filled", "filled", "cancelled", "expired", "rejected"],
  partially_filled: ["partially_filled", "filled", "cancelled", "expired"],
  filled: [],
  cancelled: [],
  rejected: [],
  expired: [],
};

/** A reason whose text is written only when read (see {@link Order.transition}). */
export interface Explanation {
  readonly reason: string;
}

/**
 * An order inside the order management system. Quantities and prices are exact decimals; the `*Num` fields mirror
 * them as numbers for the bar loop's comparisons (set once, never recomputed per bar).
 */
export class Order {
  readonly id: number;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly quantity: Money;
  readonly limitPriceNum: number;
  readonly stopPriceNum: number;
  readonly timeInForce: TimeInForce;
  readonly clientId: string | undefined;
  readonly reduceOnly: boolean;
  /** Open time of the bar on which the order was created (UTC ms). */
  readonly createdAt: number;
  /** True when the order was an entry (the symbol was flat when it was submitted). */
  readonly isEntry: boolean;
  #state: OrderState = "pending";
  #filled: Money = Money.ZERO;
  #remaining: Money;
  #filledNotional: Money = Money.ZERO;
  #reason: string | Explanation | undefined;
  /** Remaining quantity as a number, kept in step with the exact one (for views and the bar loop). */
  remainingNum = 0;

  constructor(init: {
    id: number;
    symbol: string;
    request: OrderRequest;
    quantity: Money;
    createdAt: number;
    isEntry?: boolean;
  }) {
    const r = init.request;
    if (!init.quantity.isPositive()) {
      throw new OrderError("ORDER_INVALID", `order quantity must be positive, got ${init.quantity}`, { symbol: init.symbol, clientId: r.clientId });
    }
    if ((r.type === "limit" || r.type === "stop_limit") && !(r.limitPrice !== undefined && r.limitPrice > 0 && Number.isFinite(r.limitPrice))) {
      throw new OrderError("ORDER_INVALID", `${r.type} order needs a positive finite limit price, got ${r.limitPrice}`, { symbol: init.symbol });
    }
    if ((r.type === "stop" || r.type === "stop_limit") && !(r.stopPrice !== undefined && r.stopPrice > 0 && Number.isFinite(r.stopPrice))) {
      throw new OrderError("ORDER_INVALID", `${r.type} order needs a positive finite stop price, got ${r.stopPrice}`, { symbol: init.symbol });
    }
    this.id = init.id;
    this.symbol = init.symbol;
    this.side = r.side;
    this.type = r.type;
    this.quantity = init.quantity;
    this.#remaining = init.quantity;
    this.remainingNum = init.quantity.toNumber();
    this.limitPriceNum = r.limitPrice ?? Number.NaN;
    this.stopPriceNum = r.stopPrice ?? Number.NaN;
    this.timeInForce = r.timeInForce;
    this.clientId = r.clientId;
    this.reduceOnly = r.reduceOnly;
    this.createdAt = init.createdAt;
    this.isEntry = init.isEntry ?? false;
  }

  /** Current state. */
  get state(): OrderState {
    return this.#state;
  }

  /** Quantity filled so far. */
  get filled(): Money {
    return this.#filled;
  }

  /** Quantity still to fill. */
  get remaining(): Money {
    return this.#remaining;
  }

  /** Limit price, exact (for `limit` and `stop_limit`). */
  get limitPrice(): Money | undefined {
    return Number.isNaN(this.limitPriceNum) ? undefined : Money.of(this.limitPriceNum);
  }

  /** Trigger price, exact (for `stop` and `stop_limit`). */
  get stopPrice(): Money | undefined {
    return Number.isNaN(this.stopPriceNum) ? undefined : Money.of(this.stopPriceNum);
  }

  /** Quantity-weighted average fill price (zero before the first fill). */
  get avgFillPrice(): Money {
    return this.#filled.isZero() ? Money.ZERO : this.#filledNotional.div(this.#filled);
  }

  /** Why the order was rejected, cancelled or expired, when known. */
  get reason(): string | undefined {
    const r = this.#reason;
    return typeof r === "object" ? (this.#reason = r.reason) : r;
  }

  /** Open, or partially filled: can still fill. */
  get isActive(): boolean {
    return this.#state === "open" || this.#state === "partially_filled" || this.#state === "pending";
  }

  /** Filled, cancelled, rejected or expired. */
  get isComplete(): boolean {
    return !this.isActive;
  }

  /** Moves to `next`. @throws OrderError for a transition the lifecycle does not allow. */
  transition(next: OrderState, reason?: string | Explanation): void {
    if (!NEXT[this.#state].includes(next)) {
      throw new OrderError("ORDER_STATE", `order ${this.id}: cannot go from ${this.#state} to ${next}`, { orderId: this.id, from: this.#state, to: next });
    }
    this.#state = next;
    if (reason !== undefined) this.#reason = reason;
  }

  /** Records a fill of `qty` at `price` (`notional` = price × qty when the caller has it); moves to filled or partially_filled. */
  recordFill(qty: Money, price: Money, notional: Money = price.times(qty)): void {
    const rest = this.#remaining;
    if (!qty.isPositive() || qty.gt(rest)) {
      throw new OrderError("ORDER_INVALID", `order ${this.id}: fill of ${qty} exceeds remaining ${rest}`, { orderId: this.id });
    }
    const whole = qty.eq(rest);
    // Enforced before anything changes: a fill of an order that cannot fill any more leaves it as it was.
    this.transition(whole ? "filled" : "partially_filled");
    // Backtest fills take the whole remainder at once: skip the decimal arithmetic in that common case.
    const first = this.#filled.isZero();
    this.#filled = first ? qty : this.#filled.plus(qty);
    this.#filledNotional = first ? notional : this.#filledNotional.plus(notional);
    this.#remaining = whole ? Money.ZERO : rest.minus(qty);
    this.remainingNum = whole ? 0 : this.#remaining.toNumber();
  }
}
