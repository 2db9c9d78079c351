import { describe, expect, it } from "vitest";
import { IntraCandleFillModel, Orders } from "@tradeloom/oms";
import { Timeframe } from "@tradeloom/types";
import { alignByTimestamp } from "./align";
import { memorySource } from "./candle-source";
import { hashJson } from "./canonical-json";
import { runEngine } from "./engine";
import { DEFAULT_LOT_STEP, DEFAULT_PRICE_TICK, runBacktest } from "./run-backtest";
import { daily, scripted, testConfig } from "../test/helpers";

const rows = [
  [100, 101, 99, 100],
  [100, 101, 99, 100],
  [100, 101, 99, 100],
  [110, 121, 108, 115],
  [115, 116, 114, 115],
] as const;

const backtest = () => {
  const strat = scripted({ orders: { 1: [Orders.marketBuy(1)] }, stopDist: 10, targetDist: 20 });
  return runBacktest({ config: testConfig(), strategy: () => strat, data: memorySource({ X_1d: daily(rows) }) });
};

const getter = (o: object, key: string) => Object.getOwnPropertyDescriptor(o, key)?.get;

describe("refused sizes", () => {
  it("reports a size below the lot step and a size that is not a number as the strategy gave them", async () => {
    const sellOf = (quantity: unknown) => ({ ...Orders.marketSell(1), quantity: quantity as number });
    const strat = scripted({ orders: { 1: [Orders.marketBuy(1)], 2: [sellOf(1e-12), sellOf("abc"), sellOf(Number.NaN), sellOf(undefined)] } });
    const r = await runBacktest({ config: testConfig(), strategy: () => strat, data: memorySource({ X_1d: daily(rows) }) });
    expect(r.rejectedOrders.map((x) => [x.side, x.reason])).toEqual([
      ["sell", "quantity 1e-12 is below the lot step"],
      ["sell", "invalid quantity abc"],
      ["sell", "invalid quantity NaN"],
      ["sell", "invalid quantity undefined"],
    ]);
  });
});

describe("default lot step and price tick", () => {
  it("floors sizes to DEFAULT_LOT_STEP and rounds slipped prices to DEFAULT_PRICE_TICK when the config sets neither", async () => {
    expect([DEFAULT_LOT_STEP, DEFAULT_PRICE_TICK]).toEqual(["0.00000001", "0.00000001"]);
    // Bought at the close 1.2345679 plus 0.1 % slippage: 1.2358024679, two places more than the tick.
    const buyRows = [[1.2, 1.3, 1.1, 1.2], [1.2, 1.3, 1.1, 1.2345679], [1.2, 1.3, 1.1, 1.2]] as const;
    const strat = scripted({ orders: { 1: [Orders.marketBuy(1)] } });
    const r = await runBacktest({ config: testConfig(), strategy: () => strat, data: memorySource({ X_1d: daily(buyRows) }) });
    const t = r.trades[0]!;
    expect(t.entryPrice.toString()).toBe("1.23580247");
    // The risk-based size floored to whole steps of 1e-8 (unfloored, it would carry a double's 15–17 digits).
    expect(t.quantity.scale).toBe(8);
  });
});

describe("the shape of a backtest result", () => {
  it("lists its fields in the documented order, the lazy ones included, as JSON and a spread see them", async () => {
    const r = await backtest();
    const keys = ["metrics", "trades", "equity", "monthly", "dataQuality", "ambiguousBars", "rejectedOrders", "droppedEntries", "warnings", "manifest"];
    expect(Object.keys(r)).toEqual(keys);
    expect(Object.keys({ ...r })).toEqual(keys);
    expect({ ...r }.trades).toHaveLength(1);
    expect(Object.keys(r.manifest)).toEqual(["packages", "configHash", "strategy", "timeframe", "fillModel", "data", "start", "end", "tradeFrom"]);
    const manifest = JSON.parse(JSON.stringify(r.manifest)) as Record<string, unknown>;
    expect(manifest.configHash).toBe(hashJson(testConfig()));
    expect(Object.keys(manifest)).toEqual(["packages", "configHash", "strategy", "timeframe", "fillModel", "data"]);
  });

  it("builds each lazy field once, on first read", async () => {
    const r = await backtest();
    expect(r.trades).toBe(r.trades);
    expect(r.monthly).toBe(r.monthly);
    expect(r.rejectedOrders).toBe(r.rejectedOrders);
  });

  it("computes the config hash once, on first read", async () => {
    const config = testConfig();
    const strat = scripted({ orders: {} });
    const r = await runBacktest({ config, strategy: () => strat, data: memorySource({ X_1d: daily(rows) }) });
    const hash = r.manifest.configHash;
    expect(hash).toBe(hashJson(testConfig()));
    // The manifest documents that the config must not change while the result is in use; a hash recomputed on each
    // read would show it.
    (config.trading as { initial_capital: number }).initial_capital = 1;
    expect(r.manifest.configHash).toBe(hash);
  });

  // Getters written in an object literal are new closures per result; V8 then gave each result a hidden class of its
  // own, and through the transitions between them the young-generation collector kept every run's objects alive.
  it("shares the getter functions of its lazy fields between results", async () => {
    const [a, b] = [await backtest(), await backtest()];
    for (const key of ["trades", "monthly", "rejectedOrders"]) {
      expect(getter(a, key), key).toBeTypeOf("function");
      expect(getter(a, key), key).toBe(getter(b, key));
    }
    expect(getter(a.manifest, "configHash")).toBeTypeOf("function");
    expect(getter(a.manifest, "configHash")).toBe(getter(b.manifest, "configHash"));
  });

  it("does the same for the bar loop's own output", () => {
    const data = alignByTimestamp([{ symbol: "X", primary: daily(rows) }]);
    const run = () =>
      runEngine({
        data,
        timeframe: Timeframe.parse("1d"),
        initialCapital: 100_000,
        costs: { makerFee: 0.001, takerFee: 0.001 },
        fillModel: new IntraCandleFillModel(0),
        risk: {
          riskPerTrade: 0.1,
          maxPositions: 1,
          maxPortfolioHeat: 1,
          maxPositionPct: 0.5,
          maxDrawdown: 0.5,
          drawdownWarning: 0.2,
          drawdownCritical: 0.3,
          drawdownWarningMultiplier: 1,
          drawdownCriticalMultiplier: 1,
          consecutiveLossLimit: 10,
          consecutiveLossMultiplier: 1,
        },
        createStrategy: () => scripted({ orders: { 1: [Orders.marketBuy(1)] }, stopDist: 10, targetDist: 20 }),
      });
    const [a, b] = [run(), run()];
    expect(Object.keys(a)).toEqual(["trades", "tradeNetPnl", "equityTime", "equity", "finalCash", "feesPaid", "sellNotional", "ambiguousBars", "rejected", "droppedEntries", "fills"]);
    expect(a.trades).toHaveLength(1);
    expect(a.trades).toBe(a.trades);
    for (const key of ["trades", "rejected"]) expect(getter(a, key), key).toBe(getter(b, key));
  });
});
