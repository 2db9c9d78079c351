import { describe, expect, it } from "vitest";
import { CandleSeries } from "@tradeloom/types";
import { alignByTimestamp } from "./align";

const s = (times: number[]) => CandleSeries.fromCandles(times.map((t) => ({ time: t, open: 1, high: 1, low: 1, close: 1, volume: 0 })));

describe("alignByTimestamp", () => {
  it("keeps the common range, sorts symbols by name and runs over the union of timestamps", () => {
    const a = alignByTimestamp([
      { symbol: "ETH", primary: s([1, 2, 3, 5, 6, 7]) },
      { symbol: "BTC", primary: s([2, 3, 4, 5, 6]) },
    ]);
    expect(a.symbols.map((x) => x.symbol)).toEqual(["BTC", "ETH"]);
    expect(Array.from(a.timeline)).toEqual([2, 3, 4, 5, 6]);
    expect(Array.from(a.symbols[1]!.primary.time)).toEqual([2, 3, 5, 6]);
  });

  it("drops empty symbols and handles no data", () => {
    expect(alignByTimestamp([{ symbol: "X", primary: s([]) }]).timeline.length).toBe(0);
    const a = alignByTimestamp([
      { symbol: "A", primary: s([1, 2]) },
      { symbol: "B", primary: s([]) },
    ]);
    expect(a.symbols.map((x) => x.symbol)).toEqual(["A"]);
  });
});
