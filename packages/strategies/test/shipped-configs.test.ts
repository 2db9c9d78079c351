// Every shipped reference config, and every point of its optimizer grid, must parse.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Timeframe } from "@tradeloom/types";
import { builtinRegistry } from "../src/index";

const dir = fileURLToPath(new URL("./fixtures/configs/", import.meta.url));
const registry = builtinRegistry();

describe("shipped configs", () => {
  for (const file of readdirSync(dir)) {
    it(`${file}: the strategy section and every grid value parse`, () => {
      const config = JSON.parse(readFileSync(dir + file, "utf8")) as { strategy: Record<string, unknown> & { name: string }; grid?: Record<string, unknown> };
      const timeframe = Timeframe.parse(String(config.strategy.timeframe ?? "1d"));
      expect(registry.create(config.strategy.name, config.strategy, { timeframe })("BTCINR").name).toBe(config.strategy.name);
      for (const [key, values] of Object.entries(config.grid ?? {})) {
        if (key.startsWith("_") || !Array.isArray(values)) continue;
        for (const value of values) registry.create(config.strategy.name, { ...config.strategy, [key]: value }, { timeframe });
      }
    });
  }
});
