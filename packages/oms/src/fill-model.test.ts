import { describe, expect, it } from "vitest";
import { Money } from "@tradeloom/types";
import { type FillModel, IntraCandleFillModel, NextOpenFillModel } from "./fill-model";
import { Order } from "./order";
import { Orders } from "./order-request";

const bar = { open: 110, high: 121, low: 108, close: 115, time: 10 };

describe("IntraCandleFillModel", () => {
  const m = new IntraCandleFillModel(0.001);

  it("fills market orders at the close with slippage", () => {
    expect(m.closePrice("buy", bar)).toBeCloseTo(115.115, 9);
    expect(m.closePrice("sell", bar)).toBeCloseTo(114.885, 9);
  });

  it("gives the target priority and fills a long target at max(open, target)", () => {
    expect(m.exitTrigger("buy", 116, 120, bar)).toBe(2);
    expect(m.exitPrice("buy", 2, 116, 120, bar)).toBeCloseTo(120 * 0.999, 9);
    const gapUp = { ...bar, open: 125, high: 126 };
    expect(m.exitPrice("buy", 2, 100, 120, gapUp)).toBeCloseTo(125 * 0.999, 9);
  });

  it("triggers a stop on the close and fills a long stop at min(open, stop)", () => {
    expect(m.exitTrigger("buy", 116, 130, bar)).toBe(1);
    expect(m.exitPrice("buy", 1, 116, 130, bar)).toBeCloseTo(110 * 0.999, 9);
    expect(m.exitTrigger("buy", 114, 130, bar)).toBe(0);
  });

  it("fills short exits symmetrically", () => {
    expect(m.exitTrigger("sell", 130, 109, bar)).toBe(2);
    expect(m.exitPrice("sell", 2, 130, 109, bar)).toBeCloseTo(109 * 1.001, 9);
    expect(m.exitPrice("sell", 2, 130, 109, { ...bar, open: 105, low: 104 })).toBeCloseTo(105 * 1.001, 9);
    expect(m.exitTrigger("sell", 112, 100, bar)).toBe(1);
    expect(m.exitPrice("sell", 1, 112, 100, bar)).toBeCloseTo(112 * 1.001, 9);
  });

  it("fills limits at their price from the next bar, as maker", () => {
    const o = new Order({ id: 1, symbol: "X", request: Orders.limitBuy(1, 109), quantity: Money.of(1), createdAt: 10 });
    expect(m.restingFillPrice(o, bar)).toBeNaN();
    expect(m.restingFillPrice(o, { ...bar, time: 11 })).toBe(109);
    expect(m.lastWasMaker()).toBe(true);
    const sell = new Order({ id: 2, symbol: "X", request: Orders.limitSell(1, 125), quantity: Money.of(1), createdAt: 1 });
    expect(m.restingFillPrice(sell, bar)).toBeNaN();
  });

  it("fills stops at the stop with slippage, as taker", () => {
    const o = new Order({ id: 1, symbol: "X", request: Orders.stopBuy(1, 120), quantity: Money.of(1), createdAt: 1 });
    expect(m.restingFillPrice(o, bar)).toBeCloseTo(120.12, 9);
    expect(m.lastWasMaker()).toBe(false);
  });
});

describe("NextOpenFillModel", () => {
  it("fills resting market orders at the next open with slippage and defers exits", () => {
    const m = new NextOpenFillModel(0.001);
    const o = new Order({ id: 1, symbol: "X", request: Orders.marketBuy(1), quantity: Money.of(1), createdAt: 9 });
    expect(m.restingFillPrice(o, bar)).toBeCloseTo(110.11, 9);
    expect((m as FillModel).exitPrice("buy", 1, 116, 130, bar)).toBeNaN();
    expect(m.marketAtClose).toBe(false);
  });
});
