import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, Timeframe } from "@tradeloom/types";
import { builtinRegistry } from "./builtin/registry";
import { defineStrategy } from "./define-strategy";
import { StrategyRegistry } from "./registry";
import { NO_ORDERS } from "./strategy";

const timeframe = Timeframe.parse("1d");

describe("StrategyRegistry", () => {
  it("lists the built-in strategies", () => {
    expect(builtinRegistry().names()).toContain("volatility_regime");
  });
  it("rejects an unknown name, listing the known ones", () => {
    try {
      builtinRegistry().create("nope", {}, { timeframe });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).context.path).toBe("strategy.name");
      expect((e as ConfigError).message).toContain("volatility_regime");
    }
  });
  it("parses once and builds one independent instance per symbol", () => {
    let parses = 0;
    const def = defineStrategy({
      name: "counting",
      schema: z.object({ n: z.number().default(3) }).transform((p) => {
        parses++;
        return p;
      }),
      create: (p, ctx) => ({
        name: `counting:${ctx.symbol}:${p.n}`,
        generateOrders: () => NO_ORDERS,
        calculateStopLoss: (_w, e) => e,
        calculateTakeProfit: (_w, e) => e,
      }),
    });
    const registry = new StrategyRegistry().register(def);
    const factory = registry.create("counting", { name: "counting" }, { timeframe });
    const a = factory("BTC");
    const b = factory("ETH");
    expect(parses).toBe(1);
    expect(a).not.toBe(b);
    expect([a.name, b.name]).toEqual(["counting:BTC:3", "counting:ETH:3"]);
  });
  it("takes the name from the section", () => {
    expect(() => builtinRegistry().createFromSection({}, { timeframe })).toThrow(/strategy\.name is required/);
    expect(() => builtinRegistry().createFromSection({ name: "volatility_regime" }, { timeframe })).toThrow(ConfigError);
  });
  it("rejects a section that is not an object", () => {
    expect(() => builtinRegistry().create("volatility_regime", 3, { timeframe })).toThrow(/strategy must be a JSON object/);
  });
});
