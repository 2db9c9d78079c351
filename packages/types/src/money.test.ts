import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Money } from "./money";

describe("Money", () => {
  it("adds decimals that doubles cannot hold", () => {
    expect(Money.of(0.1).plus(0.2).toString()).toBe("0.3");
    expect(Money.of("0.1").plus("0.2").eq("0.3")).toBe(true);
  });

  it("reads numbers through their shortest decimal text", () => {
    expect(Money.of(100 * 1.001).toString()).toBe(String(100 * 1.001));
    expect(Money.of(1e-9).toString()).toBe("0.000000001");
  });

  it("multiplies exactly", () => {
    expect(Money.of("49152.47").times("0.5").times("0.001").toString()).toBe("24.576235");
  });

  it("divides to 28 places, half to even, and refuses zero", () => {
    expect(Money.of(1).div(3).toString()).toBe("0.3333333333333333333333333333");
    expect(() => Money.of(1).div(0)).toThrow(RangeError);
  });

  it("rejects text that is not a number", () => {
    expect(() => Money.of("12,5")).toThrow(TypeError);
    expect(() => Money.of(Number.NaN)).toThrow(TypeError);
    expect(Money.tryOf("abc")).toBeUndefined();
  });

  it("floors to a lot step keeping the sign", () => {
    expect(Money.of("1.23456").floorToStep("0.001").toString()).toBe("1.234");
    expect(Money.of("-1.23456").floorToStep("0.01").toString()).toBe("-1.23");
  });

  it("serialises to its exact string", () => {
    expect(JSON.stringify({ a: Money.of("12.50") })).toBe('{"a":"12.5"}');
    expect(Money.of("12.5").toFixed(2)).toBe("12.50");
  });

  it("converts to the same double as parsing its text", () => {
    const dec = fc
      .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: -30, max: 30 }))
      .map(([m, e]) => Money.of(`${m}e${e}`));
    fc.assert(
      fc.property(dec, (x) => {
        expect(Object.is(x.toNumber(), Number(x.toString())) || (x.isZero() && x.toNumber() === 0)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(Money.of("0.1").toNumber()).toBe(0.1);
    expect(Money.of("-12.5").toNumber()).toBe(-12.5);
    expect(Money.of("123456789012345678").toNumber()).toBe(123456789012345678);
  });

  it("addition is exact: (a + b) − b = a for any decimals", () => {
    const dec = fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 12 })).map(([m, s]) => Money.of(`${m}e-${s}`));
    fc.assert(
      fc.property(dec, dec, (a, b) => {
        expect(a.plus(b).minus(b).eq(a)).toBe(true);
      }),
    );
  });
});
