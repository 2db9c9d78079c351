import { describe, expect, it } from "vitest";
import { Money } from "@tradeloom/types";
import { Order } from "./order";
import { OrderBook } from "./order-book";
import { Orders, type OrderRequest } from "./order-request";

let nextId = 1;
const order = (request: OrderRequest) => new Order({ id: nextId++, symbol: "X", request, quantity: Money.of(1), createdAt: 0 });

describe("OrderBook.reachable", () => {
  it("is false only for a bar strictly between the best buy limit and the best sell limit", () => {
    const book = new OrderBook("X");
    expect(book.reachable(0, 1e9)).toBe(false);
    book.insert(order(Orders.limitBuy(1, 95)));
    book.insert(order(Orders.limitBuy(1, 90)));
    book.insert(order(Orders.limitSell(1, 110)));
    expect(book.reachable(96, 109)).toBe(false);
    expect(book.reachable(95, 109)).toBe(true);
    expect(book.reachable(96, 110)).toBe(true);
  });

  it("stays loose until pruned, then tightens to the orders still active", () => {
    const book = new OrderBook("X");
    const best = order(Orders.limitBuy(1, 95));
    book.insert(best);
    book.insert(order(Orders.limitBuy(1, 90)));
    best.transition("cancelled");
    expect(book.reachable(93, 200)).toBe(true);
    expect(book.prune()).toBe(1);
    expect(book.reachable(93, 200)).toBe(false);
    expect(book.reachable(90, 200)).toBe(true);
  });

  it("is always true while a stop, a market order or a time-limited limit rests", () => {
    for (const request of [Orders.stopSell(1, 50), Orders.marketBuy(1), Orders.withTimeInForce(Orders.limitBuy(1, 10), { kind: "ioc" })]) {
      const book = new OrderBook("X");
      book.insert(order(request));
      expect(book.reachable(1_000, 1_001)).toBe(true);
    }
  });
});
