import type { Order } from "./order";

/**
 * The resting orders of one symbol. Orders are kept in id order (= time priority), which is the order in which the
 * engine checks them against a bar; best bid and ask follow price-time priority.
 */
export class OrderBook {
  readonly symbol: string;
  readonly #orders: Order[] = [];

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
    return removed;
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
