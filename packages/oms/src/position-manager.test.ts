import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Money, type Side } from "@tradeloom/types";
import { PositionManager } from "./position-manager";
import type { Fill } from "./fill";

let nextId = 1;
function fill(side: Side, qty: string, price: string, fee = "0", time = nextId): Fill {
  return { orderId: nextId++, clientId: undefined, symbol: "X", side, price: Money.of(price), quantity: Money.of(qty), fee: Money.of(fee), maker: false, time };
}

describe("PositionManager", () => {
  it("averages same-side fills", () => {
    const pm = new PositionManager();
    pm.apply(fill("buy", "1", "100", "0.1", 1));
    const { after } = pm.apply(fill("buy", "3", "200", "0.6", 2));
    expect(after?.quantityExact.toString()).toBe("4");
    expect(after?.avgEntryExact.toString()).toBe("175");
    expect(after?.entryTime).toBe(1);
    expect(after?.openFees.toString()).toBe("0.7");
  });

  it("closes FIFO with pro-rata entry fees and records a partial close", () => {
    const pm = new PositionManager();
    pm.apply(fill("buy", "2", "100", "0.2", 1));
    pm.apply(fill("buy", "2", "110", "0.22", 2));
    const { realization, after } = pm.apply(fill("sell", "3", "120", "0.36", 3));
    expect(realization?.quantity.toString()).toBe("3");
    // consumed: 2 @ 100 and 1 @ 110
    expect(realization?.entryPrice.toString()).toBe(Money.of(310).div(3).toString());
    expect(realization?.grossPnl.toString()).toBe("50");
    expect(realization?.fees.toString()).toBe("0.67"); // 0.2 + 0.11 + 0.36
    expect(realization?.netPnl.toString()).toBe("49.33");
    expect(realization?.closesPosition).toBe(false);
    expect(after?.quantityExact.toString()).toBe("1");
    expect(after?.avgEntryExact.toString()).toBe("110");
    expect(after?.openFees.toString()).toBe("0.11");
    expect(after?.entryTime).toBe(2);
  });

  it("flips a position, splitting the exit fee between the close and the new lot", () => {
    const pm = new PositionManager();
    pm.apply(fill("buy", "1", "100", "0.1", 1));
    const { realization, after } = pm.apply(fill("sell", "3", "90", "0.27", 2));
    expect(realization?.closesPosition).toBe(true);
    expect(realization?.grossPnl.toString()).toBe("-10");
    expect(realization?.fees.toString()).toBe("0.19");
    expect(after?.side).toBe("sell");
    expect(after?.quantityExact.toString()).toBe("2");
    expect(after?.openFees.toString()).toBe("0.18");
    expect(after?.entryTime).toBe(2);
  });

  it("removes a position closed exactly: no zero-quantity leftovers", () => {
    const pm = new PositionManager();
    pm.apply(fill("sell", "0.3", "10"));
    const { realization, after } = pm.apply(fill("buy", "0.3", "9"));
    expect(realization?.grossPnl.toString()).toBe("0.3");
    expect(after).toBeUndefined();
    expect(pm.get("X")).toBeUndefined();
    expect(pm.openCount).toBe(0);
  });
});

describe("ExecutionEngine.sizeToQuantity", () => {
  it("floors numbers to a power-of-ten lot step exactly, and to any step through decimals", async () => {
    const { ExecutionEngine } = await import("./execution-engine");
    const e8 = new ExecutionEngine(Money.of(1), { makerFee: 0, takerFee: 0, lotStep: "0.00000001" });
    expect(e8.sizeToQuantity(0.1626097234).toString()).toBe("0.16260972");
    expect(e8.sizeToQuantity(0.3).toString()).toBe("0.3");
    expect(e8.sizeToQuantity(123456.789).toString()).toBe("123456.789");
    expect(e8.sizeToQuantity(1e-9).isZero()).toBe(true);
    expect(e8.sizeToQuantity(Number.NaN).isZero()).toBe(true);
    const one = new ExecutionEngine(Money.of(1), { makerFee: 0, takerFee: 0, lotStep: "1" });
    expect(one.sizeToQuantity(7.99).toString()).toBe("7");
    const odd = new ExecutionEngine(Money.of(1), { makerFee: 0, takerFee: 0, lotStep: "0.25" });
    expect(odd.sizeToQuantity(1.3).toString()).toBe("1.25");
    const none = new ExecutionEngine(Money.of(1), { makerFee: 0, takerFee: 0 });
    expect(none.sizeToQuantity(0.1 + 0.2).toString()).toBe("0.30000000000000004");
    expect([e8.minQuantity, one.minQuantity, odd.minQuantity, none.minQuantity]).toEqual([1e-8, 1, 0.25, 0]);
    expect(e8.sizeToQuantity(e8.minQuantity * 0.99).isZero()).toBe(true);
    expect(odd.sizeToQuantity(odd.minQuantity).toString()).toBe("0.25");
  });
});

describe("PositionManager across symbols", () => {
  const of = (symbol: string, side: Side, qty: string, price: string): Fill => ({ ...fill(side, qty, price), symbol });

  it("answers each symbol with its own position, whatever was looked up or changed last", () => {
    const pm = new PositionManager();
    pm.apply(of("A", "buy", "1", "100"));
    expect(pm.get("A")?.quantityExact.toString()).toBe("1");
    pm.apply(of("B", "sell", "2", "50"));
    expect(pm.get("A")?.side).toBe("buy");
    expect(pm.get("B")?.quantityExact.toString()).toBe("2");
    // A change to A right after a lookup of A, then a lookup of B, then of A again.
    pm.apply(of("A", "sell", "1", "110"));
    expect(pm.get("A")).toBeUndefined();
    expect(pm.get("B")?.side).toBe("sell");
    expect(pm.get("A")).toBeUndefined();
    expect(pm.openCount).toBe(1);
    expect([...pm.all()].map((p) => p.symbol)).toEqual(["B"]);
    pm.apply(of("A", "buy", "3", "90"));
    expect(pm.get("A")?.quantityExact.toString()).toBe("3");
    expect(pm.openCount).toBe(2);
    // In the order the symbols were first traded: A, though it closed and reopened after B opened.
    expect([...pm.all()].map((p) => p.symbol)).toEqual(["A", "B"]);
    // Adding to an open position leaves the count as it is.
    pm.apply(of("A", "buy", "1", "95"));
    expect(pm.openCount).toBe(2);
    pm.clear();
    expect([...pm.all()]).toEqual([]);
    expect(pm.get("A")).toBeUndefined();
    expect(pm.get("B")).toBeUndefined();
    expect(pm.openCount).toBe(0);
  });
});

describe("PositionManager against a map of positions", () => {
  it("agrees with a plain map after any sequence of fills, lookups and clears on a few symbols", () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant("fill" as const), symbol: fc.constantFrom("A", "B", "C"), side: fc.constantFrom<Side>("buy", "sell"), qty: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant("get" as const), symbol: fc.constantFrom("A", "B", "C", "D") }),
      fc.record({ kind: fc.constant("clear" as const) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const pm = new PositionManager();
        const model = new Map<string, { side: Side; quantity: number }>();
        for (const s of steps) {
          if (s.kind === "clear") {
            pm.clear();
            model.clear();
          } else if (s.kind === "fill") {
            const { before, after } = pm.apply({ ...fill(s.side, String(s.qty), "100"), symbol: s.symbol });
            const m = model.get(s.symbol);
            expect(before?.quantity).toBe(m?.quantity);
            const signed = (m === undefined ? 0 : m.side === "buy" ? m.quantity : -m.quantity) + (s.side === "buy" ? s.qty : -s.qty);
            if (signed === 0) model.delete(s.symbol);
            else model.set(s.symbol, { side: signed > 0 ? "buy" : "sell", quantity: Math.abs(signed) });
            expect(after?.quantity).toBe(model.get(s.symbol)?.quantity);
          }
          for (const sym of ["A", "B", "C", "D"]) {
            const p = pm.get(sym);
            const m = model.get(sym);
            expect(p === undefined ? undefined : { side: p.side, quantity: p.quantity }).toEqual(m);
          }
          expect(pm.openCount).toBe(model.size);
          expect(new Set([...pm.all()].map((p) => p.symbol))).toEqual(new Set(model.keys()));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("ExecutionEngine refusals", () => {
  it("explains a buy cash cannot pay with the amounts of that moment, on the outcome and the order", async () => {
    const { ExecutionEngine } = await import("./execution-engine");
    const { Order } = await import("./order");
    const { Orders } = await import("./order-request");
    const eng = new ExecutionEngine(Money.of(1000), { makerFee: 0.001, takerFee: 0.001 });
    const big = new Order({ id: 1, symbol: "X", request: Orders.marketBuy(20), quantity: Money.of(20), createdAt: 0 });
    const out = eng.execute(big, 100, false, 0, "signal");
    // Cash moves afterwards: the message keeps the amounts the refusal was made with.
    eng.execute(new Order({ id: 2, symbol: "X", request: Orders.marketBuy(1), quantity: Money.of(1), createdAt: 0 }), 100, false, 0, "signal");
    expect(out.kind).toBe("rejected");
    const text = "insufficient cash: need 2002.00, have 1000.00";
    expect(out.kind === "rejected" && out.reason).toBe(text);
    expect(big.state).toBe("rejected");
    expect(big.reason).toBe(text);
    expect(eng.cash.toString()).toBe("899.9");
  });
});

