// Feeding indicators ahead (windows that say which candles are final) must not change any decision of a built-in
// strategy: the same orders, stops, targets and regime scores, bar by bar, as windows that do not say.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Timeframe } from "@tradeloom/types";
import { builtinRegistry } from "../src/index";
import type { StrategyContext } from "../src/strategy";
import { contextAt, loadFixture } from "./helpers";

const configs = ["momentum_scalper", "quick_flip", "range_breakout", "regime_grid", "volatility_regime"];
const series = loadFixture("ETHINR_4h.csv");

describe("feeding ahead", () => {
  for (const name of configs) {
    it(`${name}: every decision equals that of windows without \`final\``, () => {
      const file = fileURLToPath(new URL(`./fixtures/configs/${name}_config.json`, import.meta.url));
      const params = JSON.parse(readFileSync(file, "utf8")).strategy as Record<string, unknown>;
      const make = builtinRegistry().create(name, params, { timeframe: Timeframe.parse("4h") });
      const plain = make("ETHINR");
      const ahead = make("ETHINR");
      let decisions = 0;
      for (let end = 0; end < series.length; end++) {
        const a = contextAt(series, end);
        const w = { ...a.window, final: series.length - 1 };
        const b: StrategyContext = { ...a, window: w };
        plain.onBar?.(a);
        ahead.onBar?.(b);
        const orders = plain.generateOrders(a);
        expect(ahead.generateOrders(b)).toEqual(orders);
        decisions += orders.length;
        const close = series.close[end]!;
        expect(ahead.calculateStopLoss(w, close, "buy")).toBe(plain.calculateStopLoss(a.window, close, "buy"));
        expect(ahead.calculateTakeProfit(w, close, "sell")).toBe(plain.calculateTakeProfit(a.window, close, "sell"));
        expect(ahead.getRegimeScore?.(w)).toBe(plain.getRegimeScore?.(a.window));
      }
      // The comparison means something only if the strategy acted.
      expect(decisions).toBeGreaterThan(0);
    });
  }
});
