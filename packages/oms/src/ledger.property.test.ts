import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Money } from "@tradeloom/types";
import { ExecutionEngine } from "./execution-engine";
import { Order } from "./order";
import { Orders } from "./order-request";

const step = fc.record({
  buy: fc.boolean(),
  qty: fc.integer({ min: 1, max: 5000 }).map((n) => n / 1000),
  price: fc.integer({ min: 5000, max: 20000 }).map((n) => n / 100),
  maker: fc.boolean(),
  reduceOnly: fc.boolean(),
});

describe("ledger invariants over random order streams", () => {
  it("initial capital + realised net + unrealised net = equity; cash never negative from a buy; fees ≥ 0; FIFO conserves quantity", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), fc.constantFrom(0, 0.001, 0.0025), (steps, fee) => {
        const initial = Money.of(10_000);
        const eng = new ExecutionEngine(initial, { makerFee: fee / 2, takerFee: fee });
        let id = 1;
        let netBought = Money.ZERO;
        let lastPrice = 100;
        for (const s of steps) {
          lastPrice = s.price;
          const base = s.buy ? Orders.marketBuy(s.qty) : Orders.marketSell(s.qty);
          const req = s.reduceOnly ? Orders.reduceOnly(base) : base;
          const order = new Order({ id: id++, symbol: "X", request: req, quantity: Money.of(s.qty), createdAt: id });
          const out = eng.execute(order, s.price, s.maker, id, "signal");
          if (out.kind === "filled") {
            expect(out.fill.fee.isNegative()).toBe(false);
            netBought = s.buy ? netBought.plus(out.fill.quantity) : netBought.minus(out.fill.quantity);
            if (out.trade) expect(out.trade.fees.isNegative()).toBe(false);
          }
          if (s.buy && out.kind === "filled" && out.effect.before?.side !== "sell") expect(eng.cash.isNegative()).toBe(false);
          const pos = eng.positions.get("X");
          const signed = pos ? (pos.side === "buy" ? pos.quantityExact : pos.quantityExact.neg()) : Money.ZERO;
          expect(signed.eq(netBought)).toBe(true);
          const unreal = pos ? pos.unrealizedNetExact(Money.of(lastPrice)) : Money.ZERO;
          const equity = eng.equityExact(new Map([["X", lastPrice]]));
          expect(initial.plus(eng.realizedNet).plus(unreal).eq(equity)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
