import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Money } from "@tradeloom/types";
import { type ExitReason, type Realization, type Trade, TradeRecord } from "@tradeloom/oms";
import { TradeLog } from "./trade-log";

/** Amounts as the ledger makes them: short prices and quantities, long products, and now and then a huge one. */
const amount = fc.oneof(
  fc.tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 28 })),
  fc.tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 40 })),
  fc.tuple(
    // The edges of one and two 64-bit halves, and of the widest units the columns hold.
    fc.constantFrom(2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n, -(2n ** 63n) - 1n, 2n ** 64n - 1n, 2n ** 64n, -(2n ** 64n) + 1n, -(2n ** 64n), -(2n ** 64n) - 1n, 2n ** 126n - 1n, -(2n ** 126n) + 1n, 2n ** 126n, 2n ** 127n - 1n, -(2n ** 127n), 2n ** 127n, -(2n ** 127n) - 1n),
    fc.integer({ min: 0, max: 8 }),
  ),
  fc.tuple(fc.bigInt({ min: -(2n ** 130n), max: 2n ** 130n }), fc.integer({ min: 0, max: 40 })),
  fc.tuple(fc.bigInt({ min: 1n, max: 1000n }), fc.integer({ min: 250, max: 300 })),
);
const money = amount.map(([u, s]) => Money.scaled(u, s));
const positive = fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.integer({ min: 0, max: 12 })).map(([u, s]) => Money.scaled(u, s));

/** Amounts that always fit the log's columns (a trade with a wider one is kept as its object instead). */
const narrow = fc.tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 40 })).map(([u, s]) => Money.scaled(u, s));

const realisedWith = (amounts: fc.Arbitrary<Money>) =>
  fc.record({
    symbol: fc.constantFrom("BTCINR", "ETHINR", "X"),
    side: fc.constantFrom("buy" as const, "sell" as const),
    entryTime: fc.integer({ min: 0, max: 2 ** 45 }),
    exitTime: fc.integer({ min: 0, max: 2 ** 45 }),
    exitPrice: amounts,
    quantity: positive,
    grossPnl: amounts,
    fees: amounts,
    entryCost: amounts,
    closesPosition: fc.boolean(),
    reason: fc.constantFrom<ExitReason>("target", "stop", "signal", "end_of_data"),
  });
const realised = realisedWith(money);

type Realised = typeof realised extends fc.Arbitrary<infer R> ? R : never;

/** The ledger's two views of one realisation: the realisation itself and the trade record made from it. */
function record(x: Realised): { trade: Trade; r: Realization } {
  const r: Realization = {
    symbol: x.symbol,
    side: x.side,
    quantity: x.quantity,
    get entryPrice() {
      return x.entryCost.div(x.quantity);
    },
    exitPrice: x.exitPrice,
    entryTime: x.entryTime,
    exitTime: x.exitTime,
    grossPnl: x.grossPnl,
    fees: x.fees,
    netPnl: x.grossPnl.minus(x.fees),
    closesPosition: x.closesPosition,
    entryCost: x.entryCost,
  };
  return { trade: new TradeRecord(r, x.reason), r };
}

/** Every field of a trade with its exact decimals (and their scales: "1.50" and "1.5" are told apart). */
function fields(t: Trade): unknown[] {
  const exact = (m: Money) => `${m.units}e-${m.scale}`;
  return [
    t.symbol,
    t.side,
    t.entryTime,
    t.exitTime,
    exact(t.entryPrice),
    exact(t.exitPrice),
    exact(t.quantity),
    exact(t.grossPnl),
    exact(t.fees),
    exact(t.netPnl),
    t.exitReason,
    t.closesPosition,
    JSON.stringify(t),
  ];
}

describe("TradeLog", () => {
  it("gives back every trade with the same fields and exact amounts, in order, wide amounts included", () => {
    fc.assert(
      fc.property(fc.array(realised, { maxLength: 150 }), (xs) => {
        const log = new TradeLog();
        const originals = xs.map((x) => {
          const { trade, r } = record(x);
          log.add(trade, r, trade.netPnl.toNumber());
          return trade;
        });
        expect(log.length).toBe(xs.length);
        expect(log.list().map(fields)).toEqual(originals.map(fields));
        expect([...log.netPnl]).toEqual(originals.map((t) => t.netPnl.toNumber()));
      }),
      { numRuns: 200 },
    );
  });

  it("keeps every column as it grows (a thousand trades over chunks of 32, 64, 128 and 256)", () => {
    const log = new TradeLog();
    // Narrow amounts only: every trade is then held in the columns, across every chunk boundary.
    const originals = fc.sample(realisedWith(narrow), { numRuns: 1000, seed: 42 }).map((x, k) => {
      const { trade, r } = record(x);
      log.add(trade, r, k);
      return trade;
    });
    expect(log.list().map(fields)).toEqual(originals.map(fields));
    expect([...log.netPnl]).toEqual(originals.map((_, k) => k));
  });

  it("keeps the trades of logs filled side by side apart", () => {
    const logs = [new TradeLog(), new TradeLog(), new TradeLog()];
    const originals: Trade[][] = [[], [], []];
    fc.sample(realisedWith(narrow), { numRuns: 900, seed: 9 }).forEach((x, k) => {
      const { trade, r } = record(x);
      logs[k % 3]!.add(trade, r, k);
      originals[k % 3]!.push(trade);
    });
    logs.forEach((log, n) => {
      expect(log.list().map(fields)).toEqual(originals[n]!.map(fields));
      expect([...log.netPnl]).toEqual(originals[n]!.map((_, j) => 3 * j + n));
    });
  });

  it("builds the list and the net P&L column once, and again after a trade is added", () => {
    const log = new TradeLog();
    const x = fc.sample(realised, { numRuns: 2, seed: 7 });
    const a = record(x[0]!);
    log.add(a.trade, a.r, 1);
    const first = log.list();
    expect(log.list()).toBe(first);
    expect([...log.netPnl]).toEqual([1]);
    const b = record(x[1]!);
    log.add(b.trade, b.r, 2);
    expect(log.list()).not.toBe(first);
    expect(log.list()).toHaveLength(2);
    expect([...log.netPnl]).toEqual([1, 2]);
  });
});
