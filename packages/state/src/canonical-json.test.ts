import { Money } from "@tradeloom/types";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, configHash } from "./canonical-json";

const CONFIG = {
  exchange: { name: "coindcx", api_key: "secret-key", api_secret: "secret", rate_limit: 10 },
  trading: { initial_capital: 100000, risk_per_trade: 0.02, symbols: ["BTCINR", "ETHINR"] },
  strategy: { name: "volatility_regime", params: { b: 2, a: 1 } },
  grid: { "strategy.params.a": [1, 2], "strategy.params.b": [3, 4], "trading.risk_per_trade": [0.01] },
};

/** The same config with every object's keys in reverse insertion order. */
const reversed = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(reversed)
    : v !== null && typeof v === "object"
      ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)]))
      : v;

describe("canonicalJson", () => {
  it("sorts keys at every level and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined, x: null }], c: "é" } })).toBe('{"a":{"c":"é","d":[3,{"x":null,"z":1}]},"b":1}');
  });

  it("pretty-prints with an indent", () => {
    expect(canonicalJson({ b: [1], a: {}, c: [] }, 2)).toBe('{\n  "a": {},\n  "b": [\n    1\n  ],\n  "c": []\n}');
  });

  it("writes Money as its exact decimal", () => {
    expect(canonicalJson({ cash: Money.of(0.1).plus(0.2) })).toBe('{"cash":"0.3"}');
  });

  it("refuses values without a stable JSON form", () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ x: 1n })).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cyclic/);
  });

  it("gives equal text for equal values and reads back to the same value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        expect(canonicalJson(reversed(v))).toBe(text);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });
});

describe("configHash (G16)", () => {
  it("ignores key order and credentials", () => {
    const h = configHash(CONFIG);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(configHash(reversed(CONFIG))).toBe(h);
    expect(configHash({ ...CONFIG, exchange: { name: "coindcx", rate_limit: 10 } })).toBe(h);
    expect(configHash({ ...CONFIG, trading: { ...CONFIG.trading, risk_per_trade: 0.03 } })).not.toBe(h);
  });

  it("is a fixed value, the same in every process and release", () => {
    expect(configHash(CONFIG)).toBe("ed6d3576c0c35be0281891bf37f07255ced1ffd17b914a0bfd40b8c86982b085");
  });
});
