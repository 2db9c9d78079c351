import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Money } from "@tradeloom/types";
import { type ExecutionCosts, ExecutionEngine } from "./execution-engine";
import { Order } from "./order";
import { Orders } from "./order-request";

const costs = fc.record({
  makerFee: fc.constantFrom(0, 0.0005, 0.001),
  takerFee: fc.constantFrom(0, 0.001, 0.0025),
  lotStep: fc.constantFrom<string | undefined>(undefined, "0.00000001", "0.001"),
  priceTick: fc.constantFrom<string | undefined>(undefined, "0.01", "0.00000001"),
});

/** A buy priced at a fraction of what cash pays: around 1 the answer turns on the last digits. */
const buy = fc.record({
  price: fc.double({ min: 0.5, max: 5_000_000, noNaN: true }),
  share: fc.oneof(fc.double({ min: 0.5, max: 2, noNaN: true }), fc.double({ min: 0.999999, max: 1.000001, noNaN: true })),
  maker: fc.boolean(),
});

let nextId = 1;
const marketBuy = (quantity: Money): Order =>
  new Order({ id: nextId++, symbol: "X", request: Orders.marketBuy(quantity.toNumber()), quantity, createdAt: 0 });

describe("ExecutionEngine.cannotPay and cashShortfall", () => {
  it("refuses only buys that execute refuses, with the same message, and leaves every other buy to execute", () => {
    fc.assert(
      fc.property(costs, fc.double({ min: 1, max: 1e7, noNaN: true }), fc.array(buy, { minLength: 1, maxLength: 8 }), (c: ExecutionCosts, capital, buys) => {
        const eng = new ExecutionEngine(Money.of(capital.toFixed(6)), c);
        for (const b of buys) {
          const quantity = eng.sizeToQuantity((eng.cashNum * b.share) / b.price);
          if (!quantity.isPositive()) continue;
          const short = eng.cannotPay("X", quantity.toNumber(), b.price, b.maker) ? eng.cashShortfall(b.price, quantity, b.maker) : undefined;
          const cashBefore = eng.cash;
          const out = eng.execute(marketBuy(quantity), b.price, b.maker, 0, "signal");
          if (short !== undefined) {
            expect(out.kind).toBe("rejected");
            if (out.kind === "rejected") expect(short.reason).toBe(out.reason);
            expect(eng.cash).toBe(cashBefore);
          }
          if (out.kind === "filled") expect(short).toBeUndefined();
        }
      }),
      { numRuns: 500 },
    );
  });

  it("leaves to execute a buy that costs exactly the cash, whichever way the estimate rounds", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 ** 9 }),
        fc.integer({ min: 1, max: 10 ** 8 }),
        fc.constantFrom(0, 0.001, 0.0025),
        fc.boolean(),
        (ticks, steps, fee, maker) => {
          const price = Money.scaled(ticks, 2);
          const quantity = Money.scaled(steps, 8);
          const notional = price.times(quantity);
          const need = notional.plus(notional.times(fee));
          const eng = new ExecutionEngine(need, { makerFee: fee, takerFee: fee, lotStep: "0.00000001", priceTick: "0.01" });
          expect(eng.cannotPay("X", quantity.toNumber(), price.toNumber(), maker)).toBe(false);
          expect(eng.execute(marketBuy(quantity), price.toNumber(), maker, 0, "signal").kind).toBe("filled");
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("answers a buy far beyond cash, and nothing for an invalid price or a symbol that is short", () => {
    const eng = new ExecutionEngine(Money.of(1000), { makerFee: 0.001, takerFee: 0.001, priceTick: "0.01" });
    const two = Money.of(2);
    expect(eng.cannotPay("X", 2, 600, false)).toBe(true);
    expect(eng.cashShortfall(600, two, false).reason).toBe("insufficient cash: need 1201.20, have 1000.00");
    expect(eng.cannotPay("X", 2, 400, false)).toBe(false);
    expect(eng.cannotPay("X", 2, Number.NaN, false)).toBe(false);
    expect(eng.cannotPay("X", 2, -1, false)).toBe(false);
    const sell = new Order({ id: nextId++, symbol: "X", request: Orders.marketSell(1), quantity: Money.ONE, createdAt: 0 });
    expect(eng.execute(sell, 100, false, 0, "signal").kind).toBe("filled");
    // Covering a short is never refused by execute: neither may the estimate refuse it.
    expect(eng.cannotPay("X", 2, 600, false)).toBe(false);
    // The refusal keeps the cash it was given, whatever the cash is when its message is read.
    expect(eng.cashShortfall(600, two, true, Money.of("12.345")).reason).toBe("insufficient cash: need 1201.20, have 12.34");
  });
});
