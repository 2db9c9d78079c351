import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Side } from "@tradeloom/types";
import { SortedLimits } from "./resting-limits";
import type { OpenOrderView } from "./strategy";

const view = (id: number, side: Side, limitPrice: number | undefined): OpenOrderView => ({
  id,
  side,
  type: limitPrice === undefined ? "market" : "limit",
  quantity: 1,
  limitPrice,
  stopPrice: undefined,
  clientId: undefined,
  reduceOnly: false,
});

const orders = fc.array(
  fc.tuple(fc.constantFrom<Side>("buy", "sell"), fc.option(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), { nil: undefined })),
  { maxLength: 80 },
);

function sides(limits: SortedLimits): Record<Side, number[]> {
  const read = (side: Side) => Array.from({ length: limits.count(side) }, (_, i) => limits.price(side, i));
  return { buy: read("buy"), sell: read("sell") };
}

function expected(list: readonly [Side, number | undefined][]): Record<Side, number[]> {
  const pick = (side: Side) => list.filter(([s, p]) => s === side && p !== undefined).map(([, p]) => p!).sort((a, b) => a - b);
  return { buy: pick("buy"), sell: pick("sell") };
}

describe("SortedLimits", () => {
  it("holds the limit prices of the views, per side, ascending, whether rebuilt or added one by one", () => {
    fc.assert(
      fc.property(orders, (list) => {
        const views = list.map(([side, price], i) => view(i + 1, side, price));
        expect(sides(SortedLimits.fromOrders(views))).toEqual(expected(list));
        const added = new SortedLimits();
        for (const [side, price] of list) if (price !== undefined) added.add(side, price);
        expect(sides(added)).toEqual(expected(list));
      }),
    );
  });

  it("takes out one occurrence of each price removed, keeping the rest in order", () => {
    fc.assert(
      fc.property(orders, fc.infiniteStream(fc.boolean()), (list, drop) => {
        const limits = SortedLimits.fromOrders(list.map(([side, price], i) => view(i + 1, side, price)));
        const kept: [Side, number | undefined][] = [];
        for (const [side, price] of list) {
          if (price !== undefined && drop.next().value) limits.remove(side, price);
          else kept.push([side, price]);
        }
        expect(sides(limits)).toEqual(expected(kept));
      }),
    );
    const limits = SortedLimits.fromOrders([view(1, "buy", 10)]);
    expect(() => limits.remove("sell", 10)).toThrow(/no sell limit at 10 to remove/);
    expect(() => limits.remove("buy", 10.5)).toThrow(RangeError);
  });

  it("finds the first price at or above a bound", () => {
    fc.assert(
      fc.property(orders, fc.double({ min: 0, max: 2e6, noNaN: true }), (list, x) => {
        const limits = SortedLimits.fromOrders(list.map(([side, price], i) => view(i + 1, side, price)));
        for (const side of ["buy", "sell"] as const) {
          const prices = expected(list)[side];
          const i = prices.findIndex((p) => p >= x);
          expect(limits.lowerBound(side, x)).toBe(i === -1 ? prices.length : i);
        }
      }),
    );
  });

  it("forgets what a rebuild does not repeat, and refuses indices outside its prices", () => {
    const limits = SortedLimits.fromOrders([view(1, "buy", 10), view(2, "buy", 9), view(3, "sell", 11)]);
    limits.rebuild([view(4, "sell", 12)]);
    expect(sides(limits)).toEqual({ buy: [], sell: [12] });
    expect(() => limits.price("sell", 1)).toThrow(RangeError);
    expect(() => limits.price("buy", 0)).toThrow(/no buy limit at index 0/);
  });
});
