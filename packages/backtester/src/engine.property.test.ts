import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Money } from "@tradeloom/types";
import { type FillModel, IntraCandleFillModel, NextOpenFillModel, Orders, type OrderRequest, type Position } from "@tradeloom/oms";
import type { Strategy } from "@tradeloom/strategies";
import { memorySource } from "./candle-source";
import { runBacktest } from "./run-backtest";
import { daily, testConfig } from "../test/helpers";

const candle = fc
  .record({ o: fc.integer({ min: 50, max: 150 }), up: fc.integer({ min: 0, max: 10 }), dn: fc.integer({ min: 0, max: 10 }), c: fc.integer({ min: 0, max: 100 }) })
  .map(({ o, up, dn, c }) => {
    const h = o + up;
    const l = Math.max(1, o - dn);
    return [o, h, l, l + ((h - l) * c) / 100] as const;
  });

const action = fc.oneof(
  fc.constant(undefined),
  fc.record({ kind: fc.constantFrom("mb", "ms", "lb", "ls", "sb", "ss"), qty: fc.integer({ min: 1, max: 300 }), off: fc.integer({ min: -5, max: 5 }) }),
);

function toRequest(a: { kind: string; qty: number; off: number }, close: number): OrderRequest {
  switch (a.kind) {
    case "mb":
      return Orders.marketBuy(a.qty);
    case "ms":
      return Orders.marketSell(a.qty);
    case "lb":
      return Orders.limitBuy(a.qty, close + a.off);
    case "ls":
      return Orders.limitSell(a.qty, close + a.off);
    case "sb":
      return Orders.stopBuy(a.qty, close + Math.abs(a.off) + 1);
    default:
      return Orders.stopSell(a.qty, Math.max(1, close - Math.abs(a.off) - 1));
  }
}

describe("ledger invariant through the whole engine (random data, random orders)", () => {
  it("at every decision point: initial capital + realised net + unrealised net = equity, cash ≥ 0; at the end equity = initial + Σ net", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(candle, { minLength: 5, maxLength: 40 }),
        fc.array(action, { minLength: 40, maxLength: 40 }),
        fc.boolean(),
        async (rows, actions, t1) => {
          let realized = Money.ZERO;
          let shortSeen = false;
          const failures: string[] = [];
          const strat: Strategy = {
            name: "random",
            onOrderFilled: (_f, p) => {
              if (p.side === "sell") shortSeen = true;
            },
            onTradeClosed: (t) => {
              realized = realized.plus(t.netPnl);
              if (t.fees.isNegative()) failures.push("negative fee");
            },
            onBar(ctx) {
              const close = ctx.window.series.close[ctx.window.end]!;
              const pos = ctx.position as Position | undefined;
              if (pos?.side === "sell") shortSeen = true;
              const unreal = pos ? pos.unrealizedNetExact(Money.of(close)).toNumber() : 0;
              const expected = 100_000 + realized.toNumber() + unreal;
              if (Math.abs(expected - ctx.equity) > 1e-6 * 100_000) failures.push(`bar ${ctx.window.end}: equity ${ctx.equity} ≠ ${expected}`);
              // Only a short's loss may take cash below zero; buys of longs are always paid.
              if (ctx.cash < 0 && !shortSeen) failures.push(`bar ${ctx.window.end}: cash ${ctx.cash}`);
            },
            generateOrders(ctx) {
              const a = actions[ctx.window.end];
              return a ? [toRequest(a, ctx.window.series.close[ctx.window.end]!)] : [];
            },
            calculateStopLoss: (_w, e, side) => (side === "buy" ? e * 0.9 : e * 1.1),
            calculateTakeProfit: (_w, e, side) => (side === "buy" ? e * 1.2 : e * 0.8),
          };
          const r = await runBacktest({
            config: testConfig(["X"], { max_position_pct: 0.5, risk_per_trade: 0.05 }),
            strategy: () => strat,
            data: memorySource({ X_1d: daily(rows) }),
            fillModel: t1 ? "next-open" : "intra-candle",
          });
          expect(failures).toEqual([]);
          const net = r.trades.reduce((s, t) => s.plus(t.netPnl), Money.ZERO);
          expect(r.metrics.finalEquity).toBeCloseTo(100_000 + net.toNumber(), 6);
          expect(r.metrics.totalCommission).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("skipping books the bar cannot reach", () => {
  const limit = fc.record({ kind: fc.constantFrom("lb", "ls"), qty: fc.integer({ min: 1, max: 300 }), off: fc.integer({ min: -8, max: 8 }) });
  // The same model without `limitsFillOnTouch`: the engine then offers every resting order to every bar.
  function exhaustive(m: FillModel): FillModel {
    return {
      name: m.name,
      marketAtClose: m.marketAtClose,
      slippage: m.slippage,
      closePrice: (side, bar) => m.closePrice(side, bar),
      restingFillPrice: (o, bar) => m.restingFillPrice(o, bar),
      lastWasMaker: () => m.lastWasMaker(),
      exitTrigger: (side, stop, target, bar) => m.exitTrigger(side, stop, target, bar),
      exitPrice: (side, trig, stop, target, bar) => m.exitPrice(side, trig, stop, target, bar),
    };
  }

  it("changes no fill, trade or equity point (random ladders of limits, stops and market orders)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(candle, { minLength: 5, maxLength: 40 }),
        // Mostly limits, priced at whole numbers like the candles, so orders resting exactly at a bar's low or high occur.
        fc.array(fc.array(fc.oneof({ arbitrary: limit, weight: 4 }, { arbitrary: action, weight: 1 }), { maxLength: 4 }), { minLength: 40, maxLength: 40 }),
        fc.boolean(),
        async (rows, ladders, t1) => {
          const strategy = (): Strategy => ({
            name: "ladder",
            generateOrders(ctx) {
              const close = Math.round(ctx.window.series.close[ctx.window.end]!);
              return ladders[ctx.window.end]!.flatMap((a) => (a ? [toRequest(a, close)] : []));
            },
            calculateStopLoss: (_w, e, side) => (side === "buy" ? e * 0.9 : e * 1.1),
            calculateTakeProfit: (_w, e, side) => (side === "buy" ? e * 1.2 : e * 0.8),
          });
          const run = (fillModel: FillModel) =>
            runBacktest({ config: testConfig(["X"], { max_position_pct: 1, risk_per_trade: 0.02 }), strategy, data: memorySource({ X_1d: daily(rows) }), fillModel });
          const model = t1 ? new NextOpenFillModel(0.001) : new IntraCandleFillModel(0.001);
          expect(model.limitsFillOnTouch).toBe(true);
          const fast = await run(model);
          const slow = await run(exhaustive(model));
          expect(JSON.stringify(fast.trades)).toBe(JSON.stringify(slow.trades));
          expect([...fast.equity.value]).toEqual([...slow.equity.value]);
          expect(fast.rejectedOrders).toEqual(slow.rejectedOrders);
        },
      ),
      { numRuns: 200 },
    );
  });
});
