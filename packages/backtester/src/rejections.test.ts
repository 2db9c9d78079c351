import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Money, type Side } from "@tradeloom/types";
import { ExecutionEngine, type Explanation } from "@tradeloom/oms";
import { type RejectedOrder, Rejections } from "./rejections";

const ledger = () => new ExecutionEngine(Money.of(1000), { makerFee: 0.001, takerFee: 0.002, lotStep: "0.00000001", priceTick: "0.01" });

/** Amounts as a ledger has them, now and then too wide for the columns (units of 2^127 and more). */
const amount = fc.oneof(
  fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 20n }), fc.integer({ min: 0, max: 20 })),
  fc.tuple(fc.bigInt({ min: -(2n ** 130n), max: 2n ** 130n }), fc.integer({ min: 0, max: 40 })),
);
const money = amount.map(([u, s]) => Money.scaled(u, s));

const refusal = fc.record({
  /** Which of the run's four cash amounts: refusals between two fills share one. */
  cashIndex: fc.integer({ min: 0, max: 3 }),
  time: fc.integer({ min: 0, max: 2 ** 45 }),
  symbol: fc.constantFrom("BTCINR", "ETHINR", "X"),
  side: fc.constantFrom<Side>("buy", "sell"),
  clientId: fc.constantFrom(undefined, "grid-1", "stop", "target"),
  kind: fc.constantFrom("text", "explanation", "cash", "invalid", "lot"),
  text: fc.string({ maxLength: 20 }),
  value: fc.oneof(fc.double(), fc.integer()),
  /** A cash refusal's price: cannotPay answers only for a valid one. */
  price: fc.double({ min: 1e-8, max: 1e9, noNaN: true }),
  quantity: money,
  cash: money,
  maker: fc.boolean(),
});

describe("Rejections", () => {
  it("gives back every refusal in order, with the reason it would have had as an object", () => {
    fc.assert(
      fc.property(fc.array(refusal, { maxLength: 80, size: "max" }), fc.array(money, { minLength: 4, maxLength: 4 }), (refusals, cashes) => {
        const l = ledger();
        const r = new Rejections(l);
        const expected: RejectedOrder[] = [];
        for (const x of refusals) {
          let reason: string;
          if (x.kind === "text") {
            r.addGiven(x.time, x.symbol, x.side, x.clientId, x.text);
            reason = x.text;
          } else if (x.kind === "explanation") {
            const why: Explanation = { reason: `later: ${x.text}` };
            r.addGiven(x.time, x.symbol, x.side, x.clientId, why);
            reason = why.reason;
          } else if (x.kind === "cash") {
            const cash = x.cashIndex === 0 ? x.cash : cashes[x.cashIndex]!;
            r.addCashShortfall(x.time, x.symbol, x.side, x.clientId, x.price, x.quantity, x.maker, cash);
            reason = l.cashShortfall(x.price, x.quantity, x.maker, cash).reason;
          } else if (x.kind === "invalid") {
            r.addInvalidQuantity(x.time, x.symbol, x.side, x.clientId, x.value);
            reason = `invalid quantity ${x.value}`;
          } else {
            r.addBelowLotStep(x.time, x.symbol, x.side, x.clientId, x.value);
            reason = `quantity ${x.value} is below the lot step`;
          }
          expected.push({ time: x.time, symbol: x.symbol, side: x.side, clientId: x.clientId, reason });
        }
        expect(r.list()).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("writes a cash refusal from the cash it was given, not the ledger's cash when read", () => {
    const l = ledger();
    const r = new Rejections(l);
    r.addCashShortfall(1, "X", "buy", undefined, 600, Money.of(2), false, Money.of("999.999"));
    expect(r.list()[0]!.reason).toBe("insufficient cash: need 1202.40, have 1000.00");
    r.addCashShortfall(2, "X", "buy", "grid-1", 600, Money.of(2), true, Money.of("12.5"));
    expect(r.list()[1]).toEqual({ time: 2, symbol: "X", side: "buy", clientId: "grid-1", reason: "insufficient cash: need 1201.20, have 12.50" });
  });

  it("writes each refusal from its own amounts when refusals between two fills share the cash", () => {
    const l = ledger();
    const r = new Rejections(l);
    // Over 2^64 units: both halves of the amount matter.
    const cash = Money.of("123456789012.1234567890123456");
    const expected: string[] = [];
    for (let k = 1; k <= 40; k++) {
      const c = k % 7 === 0 ? Money.of(k) : cash;
      r.addCashShortfall(k, k % 2 === 0 ? "X" : "Y", "buy", undefined, 100 + k, Money.of(k), k % 3 === 0, c);
      expected.push(l.cashShortfall(100 + k, Money.of(k), k % 3 === 0, c).reason);
    }
    expect(r.list().map((x) => x.reason)).toEqual(expected);
    expect(r.list().map((x) => x.symbol)).toEqual(expected.map((_, k) => ((k + 1) % 2 === 0 ? "X" : "Y")));
  });

  it("gives back a side as it was given, even one a type-checked strategy could not give", () => {
    const r = new Rejections(ledger());
    r.addGiven(1, "X", "BUY" as Side, undefined, "no");
    r.addBelowLotStep(2, "X", "sell", undefined, 1e-9);
    expect(r.list().map((x) => x.side)).toEqual(["BUY", "sell"]);
  });

  it("builds the list once, and anew after another refusal", () => {
    const r = new Rejections(ledger());
    r.addBelowLotStep(1, "X", "sell", undefined, 1e-9);
    const first = r.list();
    expect(r.list()).toBe(first);
    expect(first[0]!.reason).toBe("quantity 1e-9 is below the lot step");
    r.addInvalidQuantity(2, "X", "sell", undefined, Number.NaN);
    expect(r.list()).not.toBe(first);
    expect(r.list().map((x) => x.reason)).toEqual(["quantity 1e-9 is below the lot step", "invalid quantity NaN"]);
  });
});
