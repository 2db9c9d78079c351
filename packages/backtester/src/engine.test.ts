import { describe, expect, it } from "vitest";
import { CandleSeries, Money } from "@tradeloom/types";
import { Orders } from "@tradeloom/oms";
import { NO_ORDERS, type Strategy } from "@tradeloom/strategies";
import { memorySource } from "./candle-source";
import { runBacktest } from "./run-backtest";
import { DAY, T0, daily, scripted, testConfig } from "../test/helpers";

const flat = (n: number, p = 100) => Array.from({ length: n }, () => [p, p + 1, p - 1, p] as const);

describe("bar loop: the worked example (engine.md §14) with Tradeloom's fixes", () => {
  it("enters at the close with slippage, sizes by risk, includes the fill in the bar's equity, exits at the target", async () => {
    // bar 0..1 flat at 100; bar 1 buy; bar 2 quiet; bar 3 O=110 H=121 L=108 C=115 → target 120.1 hit
    const rows = [...flat(2), [100, 101, 99, 100] as const, [110, 121, 108, 115] as const, [115, 116, 114, 115] as const];
    const strat = scripted({ orders: { 1: [Orders.marketBuy(1)] }, stopDist: 10, targetDist: 20 });
    const r = await runBacktest({ config: testConfig(), strategy: () => strat, data: memorySource({ X_1d: daily(rows) }) });
    expect(r.trades).toHaveLength(1);
    const t = r.trades[0]!;
    expect(t.entryPrice.toString()).toBe("100.1");
    expect(t.quantity.toString()).toBe("200"); // 15 000 risk / 10 = 1 500, capped at 20 % of 100 000 / close 100
    // stop/target are set from the fill: target 120.1 → fills at max(open 110, 120.1) × 0.999
    expect(t.exitPrice.toNumber()).toBeCloseTo(120.1 * 0.999, 9);
    expect(t.exitReason).toBe("target");
    // entry bar equity includes the fee already paid
    expect(r.equity.value[1]).toBeCloseTo(100_000 - 20.02 - 200 * 0.1, 6);
    // The strategy is not asked for orders on the bar its position was closed.
    expect(strat.calls).not.toContain(3);
    // Final equity = initial + Σ net
    const net = r.trades.reduce((s, x) => s.plus(x.netPnl), Money.ZERO);
    expect(r.metrics.finalEquity).toBeCloseTo(100_000 + net.toNumber(), 6);
  });
});

const run = (rows: (readonly [number, number, number, number])[], strat: ReturnType<typeof scripted>, opts: { t1?: boolean; over?: Parameters<typeof testConfig>[1] } = {}) =>
  runBacktest({ config: testConfig(["X"], opts.over), strategy: () => strat, data: memorySource({ X_1d: daily(rows) }), fillModel: opts.t1 ? "next-open" : "intra-candle" });

describe("bar loop behaviours", () => {
  it("T+1: market entries fill at the next open with slippage; exits are queued for the next open; levels come from the signal", async () => {
    const rows = [...flat(2), [100, 101, 99, 100] as const, [102, 103, 101, 102] as const, [103, 125, 102, 110] as const, [111, 112, 110, 111] as const, [111, 112, 110, 111] as const];
    const strat = scripted({ orders: { 1: [Orders.marketBuy(1)] } });
    const r = await run(rows, strat, { t1: true });
    expect(r.trades).toHaveLength(1);
    const t = r.trades[0]!;
    expect(t.entryTime).toBe(T0 + 2 * DAY);
    expect(t.entryPrice.toNumber()).toBeCloseTo(100 * 1.001, 9); // bar 2 open = 100
    // target = signal close 100 + 20 = 120, hit on bar 4 (high 125) → sold at bar 5's open 111 × 0.999
    expect(t.exitTime).toBe(T0 + 5 * DAY);
    expect(t.exitPrice.toNumber()).toBeCloseTo(111 * 0.999, 9);
    expect(t.exitReason).toBe("target");
    expect(r.manifest.fillModel).toBe("next-open");
  });

  it("limit entries fill from the next bar at the limit as maker, and are exit-tested the same bar", async () => {
    const rows = [...flat(2), [100, 101, 94, 96] as const, [96, 97, 95, 96] as const];
    const strat = scripted({ orders: { 1: [Orders.limitBuy(1, 95)] }, stopDist: 0.5, targetDist: 50 });
    const r = await run(rows, strat);
    const t = r.trades[0]!;
    expect(t.entryPrice.toString()).toBe("95");
    expect(t.entryTime).toBe(T0 + 2 * DAY);
    // stop 94.5 is above... close 96 > 94.5: no exit on the fill bar; liquidated at the end
    expect(t.exitReason).toBe("end_of_data");
    // maker fee 0.001 on the entry, taker on the liquidation
    const qty = t.quantity.toNumber();
    expect(t.fees.toNumber()).toBeCloseTo(95 * qty * 0.001 + 96 * 0.999 * qty * 0.001, 6);
  });

  it("cancels resting reduce-only exits when the position closes, so a stale sell never opens a short", async () => {
    const rows = [...flat(2), [100, 101, 99, 100] as const, [100, 101, 85, 88] as const, [88, 140, 87, 139] as const, [139, 140, 138, 139] as const];
    const strat = scripted({
      orders: { 1: [Orders.marketBuy(1)], 2: [Orders.limitSell(200, 130)] },
      stopDist: 10,
      targetDist: 100,
    });
    const r = await run(rows, strat);
    // stop (close 88 ≤ 90.1) closes the long on bar 3; the sell limit at 130 must not fill on bar 4
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]!.exitReason).toBe("stop");
    expect(r.trades.some((t) => t.side === "sell")).toBe(false);
  });

  it("rejects a buy that cash cannot pay, and reports it", async () => {
    const rows = [...flat(3)];
    const strat = scripted({ orders: { 1: [Orders.marketBuy(1)], 2: [Orders.marketBuy(5000)] } });
    const r = await run(rows, strat, { over: { max_position_pct: 0.9 } });
    const refused = r.rejectedOrders.filter((o) => /insufficient cash/.test(o.reason));
    expect(refused).toHaveLength(1);
    // Plain records: spreading or serialising one keeps every field, the message included.
    expect(JSON.parse(JSON.stringify({ ...refused[0]! }))).toEqual({ time: T0 + 2 * DAY, symbol: "X", side: "buy", reason: refused[0]!.reason });
    expect(refused[0]!.reason).toMatch(/^insufficient cash: need \d+\.\d\d, have \d+\.\d\d$/);
    expect(r.rejectedOrders).toBe(r.rejectedOrders);
  });

  it("moves a trailing stop only in the tightening direction", async () => {
    const rows = [...flat(2), [100, 101, 99, 100] as const, [100, 106, 99, 105] as const, [105, 106, 101, 102] as const, [102, 103, 100, 101] as const];
    // proposes entry+2 on bar 3, then something looser (entry−50): the stop must stay at 102.1 and fire on bar 4
    const strat = scripted({ orders: { 1: [Orders.marketBuy(1)] }, stopDist: 10, targetDist: 100, trailing: ({ price, entry }) => (price > 104 ? entry + 2 : entry - 50) });
    const r = await run(rows, strat);
    expect(r.trades[0]!.exitReason).toBe("stop");
    expect(r.trades[0]!.exitTime).toBe(T0 + 4 * DAY);
  });

  it("records partial closes as trades and liquidates at the end through the fill path", async () => {
    const rows = [...flat(5)];
    const strat = scripted({ orders: { 1: [Orders.marketBuy(1)], 2: [Orders.marketSell(50)] }, stopDist: 10, targetDist: 100 });
    const r = await run(rows, strat);
    expect(r.trades.map((t) => [t.quantity.toString(), t.closesPosition, t.exitReason])).toEqual([
      ["50", false, "signal"],
      ["150", true, "end_of_data"],
    ]);
    const net = r.trades.reduce((s, t) => s.plus(t.netPnl), Money.ZERO).toNumber();
    expect(r.metrics.finalEquity).toBeCloseTo(100_000 + net, 6);
    expect(r.equity.value[r.equity.value.length - 1]).toBeCloseTo(100_000 + net, 6);
  });

  it("drops entries while halted and when max positions (pending entries included) are reached", async () => {
    const rows = [...flat(4)];
    const strat = scripted({ orders: { 1: [Orders.limitBuy(1, 50)], 2: [Orders.marketBuy(1)] } });
    const two = await runBacktest({
      config: testConfig(["A", "B"], { max_positions: 1 }),
      strategy: (s) => (s === "A" ? strat : scripted({ orders: { 2: [Orders.marketBuy(1)] } })),
      data: memorySource({ A_1d: daily(rows), B_1d: daily(rows) }),
    });
    // A's pending limit entry counts: B's entry on bar 2 is refused
    expect(two.droppedEntries.maxPositions).toBe(1);
  });

  it("while the drawdown halts entries, drops and counts every entry request and still executes exits", async () => {
    // 200 units bought at 100.1 (20 % of capital), the close falls to 90: equity −2 %, beyond max_drawdown 1 %.
    const rows = [...flat(2), [90, 91, 89, 90] as const, [90, 91, 89, 90] as const, ...flat(3, 90)];
    const two = [Orders.marketBuy(1), Orders.marketBuy(1)];
    const strat = scripted({ orders: { 1: [Orders.marketBuy(1)], 3: [Orders.marketSell(200)], 4: two, 5: [Orders.limitBuy(1, 80)] }, stopDist: 50, targetDist: 50 });
    const r = await run(rows, strat, { over: { max_drawdown: 0.01, drawdown_warning: 0.005, drawdown_critical: 0.008 } });
    // Halted from bar 2's close on; bar 3's sell still closes the position.
    expect(r.trades.map((t) => [t.exitTime, t.exitReason, t.closesPosition])).toEqual([[T0 + 3 * DAY, "signal", true]]);
    expect(r.trades[0]!.quantity.toString()).toBe("200");
    // Bars 4 and 5 are flat and halted: all three entry requests are dropped, none rests or fills.
    expect(r.droppedEntries).toEqual({ halted: 3, maxPositions: 0, zeroSize: 0 });
    expect(r.rejectedOrders).toHaveLength(0);
  });

  it("skips a symbol at timestamps where it has no candle and keeps its last close for valuation", async () => {
    const a = daily([...flat(5)]);
    const bRows = daily([...flat(5, 50)]);
    // B misses day 2
    const b = bRows.slice(0, 2);
    const b2 = bRows.slice(3);
    const { CandleSeries } = await import("@tradeloom/types");
    const merged = CandleSeries.fromCandles([...Array.from({ length: 2 }, (_, i) => b.at(i)!), ...Array.from({ length: 2 }, (_, i) => b2.at(i)!)]);
    const sb = scripted({ orders: {} });
    const r = await runBacktest({
      config: testConfig(["A", "B"]),
      strategy: (s) => (s === "B" ? sb : scripted({ orders: {} })),
      data: memorySource({ A_1d: a, B_1d: merged }),
    });
    expect(r.equity.value.length).toBe(5);
    expect(sb.calls).toEqual([0, 1, 2, 3]);
    expect(r.dataQuality.find((d) => d.symbol === "B")!.gaps).toHaveLength(1);
    expect(r.warnings.some((w) => /gap/.test(w))).toBe(true);
  });

  it("counts bars where stop and target both lay inside the bar", async () => {
    const rows = [...flat(2), [100, 101, 99, 100] as const, [100, 125, 85, 100] as const, [100, 101, 99, 100] as const];
    const r = await run(rows, scripted({ orders: { 1: [Orders.marketBuy(1)] } }));
    expect(r.ambiguousBars).toBe(1);
    expect(r.trades[0]!.exitReason).toBe("target");
  });

  it("expires GTD orders and cancels IOC orders that did not fill on their first bar", async () => {
    const rows = [...flat(5)];
    const gtd = Orders.withTimeInForce(Orders.limitBuy(1, 99.5), { kind: "gtd", expiresAt: T0 + 2 * DAY });
    const ioc = Orders.withTimeInForce(Orders.limitBuy(1, 50), { kind: "ioc" });
    const cancelled: number[] = [];
    const s = scripted({ orders: { 1: [gtd], 3: [] } });
    const strat = { ...s, onOrderCancelled: (o: { id: number }) => cancelled.push(o.id) };
    const r1 = await run(rows, strat as typeof s);
    // gtd fills on bar 2 (low 99 ≤ 99.5) before expiry
    expect(r1.trades).toHaveLength(1);
    const c2: number[] = [];
    const s2 = scripted({ orders: { 1: [ioc] } });
    await run(rows, { ...s2, onOrderCancelled: (o: { id: number }) => c2.push(o.id) } as typeof s2);
    expect(c2).toHaveLength(1);
  });
});

describe("date filters", () => {
  it("keep candles with start ≤ time ≤ end, both inclusive", async () => {
    const rows = [...flat(10)];
    const r = await runBacktest({
      config: testConfig(),
      strategy: () => scripted({ orders: {} }),
      data: memorySource({ X_1d: daily(rows) }),
      start: T0 + 2 * DAY,
      end: T0 + 5 * DAY,
    });
    expect(Array.from(r.equity.time)).toEqual([2, 3, 4, 5].map((i) => T0 + i * DAY));
    expect(r.dataQuality[0]!.rangeUsed).toEqual({ first: T0 + 2 * DAY, last: T0 + 5 * DAY });
    expect(r.manifest.start).toBe(T0 + 2 * DAY);
  });

  it("an empty date range is an error, not an empty result", async () => {
    await expect(
      runBacktest({ config: testConfig(), strategy: () => scripted({ orders: {} }), data: memorySource({ X_1d: daily([...flat(3)]) }), start: T0 + 10 * DAY }),
    ).rejects.toMatchObject({ code: "DATA_EMPTY" });
  });

  it("refuse a start after the end", async () => {
    await expect(
      runBacktest({ config: testConfig(), strategy: () => scripted({ orders: {} }), data: memorySource({ X_1d: daily([...flat(3)]) }), start: T0 + 2 * DAY, end: T0 }),
    ).rejects.toThrow(/after end/);
  });
});

describe("warm-up before trading", () => {
  it("feeds earlier bars to the strategy's windows but trades and records equity only from tradeFrom", async () => {
    const rows = [...flat(10)];
    const seen: [number, number][] = [];
    const strat = scripted({ orders: { 2: [Orders.marketBuy(1)], 6: [Orders.marketBuy(1)] }, onBar: (ctx) => seen.push([ctx.window.start, ctx.window.end]) });
    const r = await runBacktest({ config: testConfig(), strategy: () => strat, data: memorySource({ X_1d: daily(rows) }), tradeFrom: T0 + 5 * DAY });
    expect(Array.from(r.equity.time)).toEqual([5, 6, 7, 8, 9].map((i) => T0 + i * DAY));
    // the first call already sees the six candles 0..5
    expect(seen[0]).toEqual([0, 5]);
    // the order scripted for bar 2 never happened; the one for bar 6 did
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]!.entryTime).toBe(T0 + 6 * DAY);
    expect(r.manifest.tradeFrom).toBe(T0 + 5 * DAY);
  });
});

describe("strategy lifecycle", () => {
  it("disposes each symbol's strategy once, after its last hook, the end-of-data liquidation included", async () => {
    const events: string[] = [];
    const strategy = (symbol: string) => {
      const s = scripted({ orders: { 1: [Orders.marketBuy(1)] } });
      return {
        ...s,
        onTradeClosed: () => void events.push(`${symbol} trade`),
        generateOrders: (ctx: Parameters<typeof s.generateOrders>[0]) => (events.push(`${symbol} bar`), s.generateOrders(ctx)),
        dispose: () => void events.push(`${symbol} dispose`),
      };
    };
    const rows = flat(4);
    await runBacktest({ config: testConfig(["X", "Y"]), strategy, data: memorySource({ X_1d: daily(rows), Y_1d: daily(rows) }) });
    for (const symbol of ["X", "Y"]) {
      const mine = events.filter((e) => e.startsWith(`${symbol} `));
      expect(mine.filter((e) => e.endsWith("dispose"))).toHaveLength(1);
      expect(mine.at(-1)).toBe(`${symbol} dispose`);
      expect(mine).toContain(`${symbol} trade`);
    }
  });
});

describe("entriesOpen on the strategy context", () => {
  type Hooks = Pick<Strategy, "onBar" | "generateOrders">;
  /** X buys on bar 1 and holds to the end; Y runs `hooks`. With max_positions 1, Y may not enter from bar 1 on. */
  const xHoldsYWatches = (hooks: Hooks) => (symbol: string) => {
    const s = scripted({ orders: symbol === "X" ? { 1: [Orders.marketBuy(1)] } : {} });
    return symbol === "X" ? s : { ...s, ...hooks };
  };
  const run = (hooks: Hooks, bars: number) => {
    const rows = flat(bars);
    return runBacktest({ config: testConfig(["X", "Y"], { max_positions: 1 }), strategy: xHoldsYWatches(hooks), data: memorySource({ X_1d: daily(rows), Y_1d: daily(rows) }) });
  };

  it("is false exactly on the calls whose entry requests the engine drops unsized, and true while holding", async () => {
    // Y asks for an entry every bar from bar 1 and records the flag.
    const seen: { bar: number; open: boolean | undefined; flat: boolean }[] = [];
    const r = await run(
      {
        generateOrders: (ctx) => {
          seen.push({ bar: ctx.window.end, open: ctx.entriesOpen, flat: ctx.position === undefined });
          return ctx.window.end >= 1 ? [Orders.marketBuy(1)] : NO_ORDERS;
        },
      },
      6,
    );
    // X (first in name order) enters on bar 1 and holds to the end: from bar 1 on, Y may not enter.
    expect(seen.map((c) => c.open)).toEqual([true, false, false, false, false, false]);
    expect(seen.every((c) => c.flat)).toBe(true);
    expect(r.droppedEntries.maxPositions).toBe(seen.filter((c) => c.bar >= 1 && !c.open).length);
    expect(r.trades.filter((t) => t.symbol === "Y")).toHaveLength(0);
  });

  it("is answered afresh on each call, whenever the strategy first reads it", async () => {
    // Y reads the flag only on bars 0 and 3, in onBar on bar 0 and in generateOrders on bar 3: a value kept from an
    // earlier call, or from the wrong hook, would show here.
    const seen: [number, boolean | undefined][] = [];
    await run(
      {
        onBar: (ctx) => {
          if (ctx.window.end === 0) seen.push([0, ctx.entriesOpen]);
        },
        generateOrders: (ctx) => {
          if (ctx.window.end === 3) seen.push([3, ctx.entriesOpen], [3, ctx.entriesOpen]);
          return NO_ORDERS;
        },
      },
      5,
    );
    expect(seen).toEqual([
      [0, true],
      [3, false],
      [3, false],
    ]);
  });
});


describe("entries that size to zero", () => {
  it("drop the call's later entries of that side without asking for another stop, and only within the call", async () => {
    // On bar 1 the stop equals the entry price (no stop distance: size 0), on bar 2 it is 10 away. Limits far below
    // and above the price rest without filling, so nothing else changes between the requests.
    const stopCalls: [number, string][] = [];
    const base = scripted({
      orders: {
        1: [Orders.limitBuy(1, 50), Orders.limitBuy(1, 49), Orders.limitSell(1, 150), Orders.limitBuy(1, 48), Orders.limitSell(1, 151)],
        2: [Orders.limitBuy(1, 47)],
      },
    });
    const strategy = {
      ...base,
      calculateStopLoss: (w: Parameters<typeof base.calculateStopLoss>[0], entry: number, side: "buy" | "sell") => {
        stopCalls.push([w.end, side]);
        return w.end === 1 ? entry : side === "buy" ? entry - 10 : entry + 10;
      },
    };
    const rows = flat(4);
    const r = await runBacktest({ config: testConfig(["X"]), strategy: () => strategy, data: memorySource({ X_1d: daily(rows) }) });
    expect(stopCalls).toEqual([
      [1, "buy"],
      [1, "sell"],
      [2, "buy"],
    ]);
    // The five entries of bar 1 are dropped; bar 2's, sized afresh, is not.
    expect(r.droppedEntries.zeroSize).toBe(5);
  });

  it("drop every later entry of the call, either side, after a regime score of zero", async () => {
    const scoreCalls: number[] = [];
    const base = scripted({ orders: { 1: [Orders.limitBuy(1, 50), Orders.limitSell(1, 150), Orders.limitBuy(1, 49)], 2: [Orders.limitBuy(1, 48)] } });
    const strategy = {
      ...base,
      getRegimeScore: (w: Parameters<typeof base.calculateStopLoss>[0]) => {
        scoreCalls.push(w.end);
        return w.end === 1 ? 0 : 1;
      },
    };
    const rows = flat(4);
    const r = await runBacktest({ config: testConfig(["X"]), strategy: () => strategy, data: memorySource({ X_1d: daily(rows) }) });
    expect(scoreCalls).toEqual([1, 2]);
    expect(r.droppedEntries.zeroSize).toBe(3);
  });
});

describe("windows handed to strategies", () => {
  it("show a higher timeframe's candle only once it has closed, and say every historical candle is final", async () => {
    const H4 = DAY / 6;
    // 4 days of 4 h candles and the same 4 days as daily candles; the 4 h close rises through the day.
    const four = CandleSeries.fromCandles(Array.from({ length: 24 }, (_, i) => ({ time: T0 + i * H4, open: 100, high: 101, low: 99, close: 100 + i, volume: 1 })));
    const day = CandleSeries.fromCandles(Array.from({ length: 4 }, (_, d) => ({ time: T0 + d * DAY, open: 100, high: 130, low: 99, close: 105 + 6 * d, volume: 1 })));
    const seen: { end: number; dayEnd: number; final: number | undefined; dayFinal: number | undefined }[] = [];
    const strat: Strategy = {
      name: "mtf",
      requiredTimeframes: () => ["1d"],
      generateOrders(ctx) {
        const d = ctx.timeframes?.get("1d");
        seen.push({ end: ctx.window.end, dayEnd: d?.end ?? Number.NaN, final: ctx.window.final, dayFinal: d?.final });
        return NO_ORDERS;
      },
      calculateStopLoss: (_w, p) => p - 1,
      calculateTakeProfit: (_w, p) => p + 1,
    };
    const config = { ...testConfig(), strategy: { name: "mtf", timeframe: "4h" } };
    await runBacktest({ config, strategy: () => strat, data: memorySource({ X_4h: four, X_1d: day }) });
    expect(seen).toHaveLength(24);
    for (const s of seen) {
      // The day containing 4 h bar `end` closes with its sixth bar: until then only the previous day is visible.
      expect(s.dayEnd).toBe(Math.floor((s.end + 1) / 6) - 1);
      expect(s.final).toBe(23);
      expect(s.dayFinal).toBe(3);
    }
  });
});
