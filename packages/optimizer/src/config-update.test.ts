import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatTimestamp, rewriteConfigText, walkForwardHistory } from "./config-update";
import { parseRawJson, stringifyRawJson } from "./raw-json";

const configs = join(__dirname, "../test/fixtures/configs");
const files = readdirSync(configs).filter((f) => f.endsWith(".json"));
const momentum = readFileSync(join(configs, "momentum_scalper_config.json"), "utf8");

const update = {
  params: { adx_threshold: 15, atr_period: 10, ema_fast: 8, ema_slow: 34, max_hold_bars: 30, stop_atr_multiple: 2, target_atr_multiple: 4 },
  timeframe: "1d",
  symbols: ["BTCINR", "ETHINR", "SOLINR", "BNBINR", "XRPINR"],
  history: { optimized_at: "2026-01-02 03:04:05", metric: "sharpe", sharpe_ratio: 1.23 },
};

describe("config rewrite", () => {
  it.each(files)("%s round-trips byte for byte (key order, 20.0 vs 20, layout)", (f) => {
    const text = readFileSync(join(configs, f), "utf8");
    expect(stringifyRawJson(parseRawJson(text)) + (text.endsWith("\n") ? "\n" : "")).toBe(text);
  });

  it("changes only the strategy values that differ and appends to the history", () => {
    const out = rewriteConfigText(momentum, update);
    const history = ["{", '  "optimized_at": "2026-01-02 03:04:05",', '  "metric": "sharpe",', '  "sharpe_ratio": 1.23', "}"];
    const expected = momentum
      .replace('"adx_threshold": 0,', '"adx_threshold": 15.0,')
      .replace('"atr_period": 14,\n    "cooldown_bars"', '"atr_period": 10,\n    "cooldown_bars"')
      .replace('"ema_fast": 13,', '"ema_fast": 8,')
      .replace('"ema_slow": 55,', '"ema_slow": 34,')
      .replace('"stop_atr_multiple": 1.5,', '"stop_atr_multiple": 2.0,')
      .replace('      4.0\n    ]\n  },', `      4.0\n    ],\n    "_optimization": [\n${history.map((l) => `      ${l}`).join("\n")}\n    ]\n  },`);
    expect(out).toBe(expected);
    const j = JSON.parse(out);
    expect(j.strategy).toMatchObject({ adx_threshold: 15, atr_period: 10, ema_fast: 8, ema_slow: 34, stop_atr_multiple: 2, target_atr_multiple: 4 });
    expect(Object.keys(j)).toEqual(Object.keys(JSON.parse(momentum)));
    expect(Object.keys(j.strategy)).toEqual(Object.keys(JSON.parse(momentum).strategy));
    expect(j.grid.ema_fast).toEqual([5, 8, 13]);
    expect(j.trading.symbols).toEqual(update.symbols);

    const twice = JSON.parse(rewriteConfigText(out, { ...update, history: { ...update.history, sharpe_ratio: 2 } }));
    expect(twice.grid._optimization.map((h: { sharpe_ratio: number }) => h.sharpe_ratio)).toEqual([1.23, 2]);
  });

  it("keeps a missing trailing newline missing, and writes a new symbol group", () => {
    const text = momentum.trimEnd();
    const out = rewriteConfigText(text, { ...update, symbols: ["BTCINR"] });
    expect(out.endsWith("}")).toBe(true);
    expect(JSON.parse(out).trading.symbols).toEqual(["BTCINR"]);
  });

  it("dates entries in UTC", () => {
    expect(formatTimestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe("2026-01-02 03:04:05");
  });

  it("stores the walk-forward summary rounded, an undefined efficiency as null", () => {
    const summary = {
      folds: 3,
      foldsTraded: 3,
      profitableFolds: 2,
      totalReturn: 11.825,
      annualisedReturn: 3.7129,
      inSampleAnnualisedReturn: 1.69,
      efficiency: 2.19597,
      trades: 17,
      meanSharpe: -1.05,
      stability: { distinctSets: 2, modalSetFolds: 2, parameters: [] },
    };
    const w = { k: 3, mode: "anchored" as const, folds: [], summary };
    expect(walkForwardHistory(w)).toEqual({
      folds: 3,
      mode: "anchored",
      total_return: 11.8,
      annualised_return: 3.7,
      efficiency: 2.2,
      total_trades: 17,
      profitable_folds: 2,
      distinct_parameter_sets: 2,
    });
    expect(walkForwardHistory({ ...w, summary: { ...summary, efficiency: Number.NaN } }).efficiency).toBeNull();
  });
});
