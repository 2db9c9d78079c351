import type { Order } from "./order";
import type { FillModel } from "./fill-model";

/**
 * The resting orders of one symbol. Orders are kept in id order (= time priority), which is the order in which the
 * engine checks them against a bar; best bid and ask follow price-time priority.
 */
export class OrderBook {
  readonly symbol: string;
  readonly #orders: Order[] = [];
  // Bounds over the resting orders (inactive ones included until pruned, which only makes them looser): they let the
  // bar loop skip a book that the bar cannot reach, a grid strategy's ~100 resting limits on most bars.
  #maxBuyLimit = Number.NEGATIVE_INFINITY;
  #minSellLimit = Number.POSITIVE_INFINITY;
  #unbounded = 0;

  constructor(symbol: string) {
    this.symbol = symbol;
  }

  /** Number of resting orders. */
  get size(): number {
    return this.#orders.length;
  }

  /** Adds an order and marks it open. Ids must increase. */
  insert(order: Order): void {
    const last = this.#orders[this.#orders.length - 1];
    if (last && last.id >= order.id) throw new RangeError(`OrderBook(${this.symbol}): order ids must increase (${order.id} after ${last.id})`);
    order.transition("open");
    this.#orders.push(order);
    this.#include(order);
  }

  /**
   * False when no resting order can fill on a bar spanning `low … high` under a fill model whose limit orders fill
   * only when the bar touches their price ({@link FillModel.limitsFillOnTouch}): every resting order is a
   * good-till-cancelled limit, no buy limit is at or above `low`, no sell limit at or below `high`.
   */
  reachable(low: number, high: number): boolean {
    return this.#unbounded > 0 || low <= this.#maxBuyLimit || high >= this.#minSellLimit;
  }

  /** The resting orders in id order. The array is live: do not mutate it. */
  orders(): readonly Order[] {
    return this.#orders;
  }

  /** The order with `id`, if resting. */
  get(id: number): Order | undefined {
    return this.#orders.find((o) => o.id === id);
  }

  /** Removes every order that is no longer active; returns how many were removed. */
  prune(): number {
    let w = 0;
    for (let r = 0; r < this.#orders.length; r++) {
      const o = this.#orders[r]!;
      if (o.isActive) this.#orders[w++] = o;
    }
    const removed = this.#orders.length - w;
    this.#orders.length = w;
    if (removed > 0) {
      this.#maxBuyLimit = Number.NEGATIVE_INFINITY;
      this.#minSellLimit = Number.POSITIVE_INFINITY;
      this.#unbounded = 0;
      for (let r = 0; r < w; r++) this.#include(this.#orders[r]!);
    }
    return removed;
  }

  #include(o: Order): void {
    if (o.type !== "limit" || o.timeInForce.kind !== "gtc") this.#unbounded++;
    else if (o.side === "buy") this.#maxBuyLimit = Math.max(this.#maxBuyLimit, o.limitPriceNum);
    else this.#minSellLimit = Math.min(this.#minSellLimit, o.limitPriceNum);
  }

  /** Highest buy limit price among resting limit orders (price-time priority: the earliest at that price). */
  bestBid(): Order | undefined {
    let best: Order | undefined;
    for (const o of this.#orders) if (o.side === "buy" && o.type === "limit" && (!best || o.limitPriceNum > best.limitPriceNum)) best = o;
    return best;
  }

  /** Lowest sell limit price among resting limit orders. */
  bestAsk(): Order | undefined {
    let best: Order | undefined;
    for (const o of this.#orders) if (o.side === "sell" && o.type === "limit" && (!best || o.limitPriceNum < best.limitPriceNum)) best = o;
    return best;
  }
}
