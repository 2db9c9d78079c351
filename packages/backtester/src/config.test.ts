import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "@tradeloom/types";
import { parseConfig, parseConfigText } from "./config";

const fixtures = join(__dirname, "..", "test", "fixtures", "configs");

describe("config parsing", () => {
  it.each(readdirSync(fixtures).filter((f) => f.endsWith(".json")))("reads the reference config %s unchanged", (f) => {
    const cfg = parseConfigText(readFileSync(join(fixtures, f), "utf8"), f);
    expect(cfg.trading.symbols.length).toBeGreaterThan(0);
    expect(typeof cfg.strategy.name).toBe("string");
  });

  const base = () => JSON.parse(readFileSync(join(fixtures, "volatility_regime_config.json"), "utf8"));

  it("names the field path of a wrong type", () => {
    const raw = base();
    raw.trading.max_positions = 5.5;
    try {
      parseConfig(raw, "x.json");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).context.path).toBe("trading.max_positions");
      expect((e as ConfigError).message).toMatch(/whole number/);
      expect((e as ConfigError).context.file).toBe("x.json");
    }
  });

  it("requires the reference's required fields", () => {
    const raw = base();
    delete raw.backtest.commission;
    expect(() => parseConfig(raw)).toThrow(/backtest\.commission: is required/);
  });

  it("ignores unknown keys", () => {
    const raw = base();
    raw._comment = "hello";
    raw.exchange.name = "coindcx";
    expect(parseConfig(raw).exchange.maker_fee).toBe(0.001);
  });

  it("reports invalid JSON", () => {
    expect(() => parseConfigText("{", "bad.json")).toThrow(ConfigError);
  });
});
