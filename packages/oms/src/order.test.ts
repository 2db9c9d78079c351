import { describe, expect, it } from "vitest";
import { Money, OrderError } from "@tradeloom/types";
import { Order } from "./order";
import { OrderBook } from "./order-book";
import { Orders } from "./order-request";

const mk = (id: number, req = Orders.limitBuy(2, 100)) => new Order({ id, symbol: "X", request: req, quantity: Money.of(req.quantity), createdAt: 0 });

describe("Order lifecycle", () => {
  it("goes pending → open → partially filled → filled with a weighted average price", () => {
    const o = mk(1);
    new OrderBook("X").insert(o);
    expect(o.state).toBe("open");
    o.recordFill(Money.of(1), Money.of(100));
    expect(o.state).toBe("partially_filled");
    o.recordFill(Money.of(1), Money.of(99));
    expect(o.state).toBe("filled");
    expect(o.avgFillPrice.toString()).toBe("99.5");
  });

  it("refuses impossible transitions and overfills", () => {
    const o = mk(1);
    o.transition("cancelled");
    expect(() => o.transition("open")).toThrow(OrderError);
    const p = mk(2);
    expect(() => p.recordFill(Money.of(3), Money.of(1))).toThrow(OrderError);
  });

  it("refuses a fill of an order that can no longer fill, and leaves it as it was", () => {
    const o = mk(1);
    o.recordFill(Money.of(1), Money.of(100));
    o.transition("cancelled", "by the user");
    expect(() => o.recordFill(Money.of(1), Money.of(100))).toThrow(OrderError);
    expect(o.state).toBe("cancelled");
    expect(o.filled.toString()).toBe("1");
    expect(o.remaining.toString()).toBe("1");
    expect(o.remainingNum).toBe(1);
    expect(o.avgFillPrice.toString()).toBe("100");
  });

  it("fills its whole remainder, given as the very amount it holds, to zero", () => {
    const o = mk(1, Orders.limitBuy(0.3, 100));
    o.recordFill(o.remaining, Money.of(100));
    expect(o.state).toBe("filled");
    expect(o.remaining.isZero()).toBe(true);
    expect(o.remainingNum).toBe(0);
    expect(o.filled.toString()).toBe("0.3");
  });

  it("validates quantity and prices", () => {
    expect(() => mk(1, Orders.limitBuy(0, 100))).toThrow(OrderError);
    expect(() => mk(1, Orders.limitBuy(1, Number.NaN))).toThrow(OrderError);
    expect(() => mk(1, Orders.stopSell(1, -1))).toThrow(OrderError);
  });
});

describe("OrderBook", () => {
  it("keeps id order, prunes completed orders and reports best bid/ask", () => {
    const b = new OrderBook("X");
    const a = mk(1, Orders.limitBuy(1, 99));
    const c = mk(2, Orders.limitBuy(1, 101));
    const s = mk(3, Orders.limitSell(1, 105));
    b.insert(a);
    b.insert(c);
    b.insert(s);
    expect(b.bestBid()?.id).toBe(2);
    expect(b.bestAsk()?.id).toBe(3);
    c.transition("cancelled");
    expect(b.prune()).toBe(1);
    expect(b.orders().map((o) => o.id)).toEqual([1, 3]);
    expect(() => b.insert(mk(1))).toThrow(RangeError);
  });
});
