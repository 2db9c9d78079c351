import { describe, expect, it } from "vitest";
import { applyOverrides, parseOverride, parseOverrideValue } from "./override";

describe("--override", () => {
  it("parses integers, floats, booleans and strings", () => {
    expect(parseOverride(" ema_fast = 5, 8 ,13").values).toEqual([5, 8, 13]);
    expect(parseOverride("x=1.5,1e3,-2").values).toEqual([1.5, 1000, -2]);
    expect(parseOverride("flag=true,false,True").values).toEqual([true, false, "True"]);
    expect(parseOverrideValue("inf")).toBe(Number.POSITIVE_INFINITY);
    expect(parseOverrideValue("NaN")).toBeNaN();
    expect(parseOverride("k=a,,b").values).toEqual(["a", "b"]);
  });

  it("reports what the reference ignored silently: no '=', no key, no value", () => {
    expect(() => parseOverride("ema_fast")).toThrow(/key=v1,v2/);
    expect(() => parseOverride("=1")).toThrow(/key is empty/);
    expect(() => parseOverride("k= , ")).toThrow(/no values/);
  });

  it("replaces or adds a grid key without touching the input", () => {
    const grid = { a: [1], b: [2] };
    expect(applyOverrides(grid, [parseOverride("b=3,4"), parseOverride("c=5")])).toEqual({ a: [1], b: [3, 4], c: [5] });
    expect(grid).toEqual({ a: [1], b: [2] });
    expect(applyOverrides(undefined, [parseOverride("c=5")])).toEqual({ c: [5] });
  });
});
