import type { Side } from "@tradeloom/types";
import type { OpenOrderView } from "./strategy";

/**
 * The limit prices of a symbol's resting orders (those of {@link StrategyContext.openOrders} with a limit price), per
 * side, in ascending order. A grid keeps a hundred orders resting and asks every bar which of them sit near its
 * ladder: a binary search over these finds them without visiting the rest.
 */
export interface RestingLimits {
  /** Number of resting limit prices on `side`. */
  count(side: Side): number;
  /** The price at `index` (0 is the lowest) on `side`. */
  price(side: Side, index: number): number;
  /** Index of the lowest price on `side` that is ≥ `x`; `count(side)` when every price is below `x`. */
  lowerBound(side: Side, x: number): number;
}

/** The storage of a side that never held a price, shared: most strategies never rest a limit order. */
const NO_PRICES = new Float64Array(0);

/** One side's prices: a sorted prefix of a growable array. */
class SortedPrices {
  // Allocated on the first price: the engine keeps one of these per side and symbol in every backtest, and a typed
  // array costs a buffer of its own (a tenth of the typed arrays a 1 d backtest created).
  values = NO_PRICES;
  length = 0;

  clear(): void {
    this.length = 0;
  }

  /** Appends without keeping order; {@link SortedPrices.sort} restores it. */
  append(x: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(Math.max(16, this.values.length * 2));
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = x;
  }

  sort(): void {
    this.values.subarray(0, this.length).sort();
  }

  insert(x: number): void {
    const at = this.lowerBound(x);
    this.append(x);
    this.values.copyWithin(at + 1, at, this.length - 1);
    this.values[at] = x;
  }

  /** Removes one occurrence of `x`; false when it is not there. */
  remove(x: number): boolean {
    const at = this.lowerBound(x);
    if (at === this.length || this.values[at] !== x) return false;
    this.values.copyWithin(at, at + 1, this.length);
    this.length--;
    return true;
  }

  lowerBound(x: number): number {
    let lo = 0;
    let hi = this.length;
    const v = this.values;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (v[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * A {@link RestingLimits} kept up to date by its owner: the engine rebuilds it with the order views and adds each order
 * it rests. Strategies only read it.
 */
export class SortedLimits implements RestingLimits {
  readonly #buy = new SortedPrices();
  readonly #sell = new SortedPrices();

  /** The limit prices of `orders` (orders without one are skipped). */
  static fromOrders(orders: readonly OpenOrderView[]): SortedLimits {
    const limits = new SortedLimits();
    limits.rebuild(orders);
    return limits;
  }

  /** Replaces the content with the limit prices of `orders`. */
  rebuild(orders: readonly OpenOrderView[]): void {
    this.#buy.clear();
    this.#sell.clear();
    for (let k = 0; k < orders.length; k++) {
      const o = orders[k]!;
      if (o.limitPrice !== undefined) (o.side === "buy" ? this.#buy : this.#sell).append(o.limitPrice);
    }
    this.#buy.sort();
    this.#sell.sort();
  }

  /** Adds the limit price of one more resting order. */
  add(side: Side, price: number): void {
    (side === "buy" ? this.#buy : this.#sell).insert(price);
  }

  /**
   * Removes the limit price of an order that stopped resting.
   * @throws RangeError when no such price is held (the owner's bookkeeping is off).
   */
  remove(side: Side, price: number): void {
    if (!(side === "buy" ? this.#buy : this.#sell).remove(price)) throw new RangeError(`no ${side} limit at ${price} to remove`);
  }

  count(side: Side): number {
    return (side === "buy" ? this.#buy : this.#sell).length;
  }

  price(side: Side, index: number): number {
    const s = side === "buy" ? this.#buy : this.#sell;
    if (!(index >= 0 && index < s.length)) throw new RangeError(`no ${side} limit at index ${index} (count ${s.length})`);
    return s.values[index]!;
  }

  lowerBound(side: Side, x: number): number {
    return (side === "buy" ? this.#buy : this.#sell).lowerBound(x);
  }
}
