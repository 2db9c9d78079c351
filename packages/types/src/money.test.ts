import { describe, expect, it } from "vitest";
import BigModule from "big.js";
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

  it("exposes its units and scale as held, and Money.scaled rebuilds the identical amount from them", () => {
    expect(Money.of("1.50").units).toBe(150n);
    expect(Money.of("1.50").scale).toBe(2);
    expect(Money.of("-12e3").units).toBe(-12000n);
    expect(Money.of("-12e3").scale).toBe(0);
    const dec = fc
      .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: -30, max: 30 }))
      .map(([m, e]) => Money.of(`${m}e${e}`));
    fc.assert(
      fc.property(dec, dec, (a, b) => {
        // Products and sums carry the scales the ledger produces; the rebuilt value must print and compare the same.
        for (const x of [a, a.times(b), a.plus(b)]) {
          const y = Money.scaled(x.units, x.scale);
          expect(y.toString()).toBe(x.toString());
          expect(y.scale).toBe(x.scale);
          expect(y.eq(x)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
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

describe("Money against big.js as an oracle", () => {
  // big.js set up as Money documents itself: exact + − ×, division to 28 places half to even, plain text.
  const Big = BigModule();
  Big.DP = 28;
  Big.RM = Big.roundHalfEven;
  Big.NE = -1e6;
  Big.PE = 1e6;
  const text = fc
    .tuple(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), fc.integer({ min: -12, max: 30 }))
    .map(([m, e]) => `${m}e${-e}`);
  const plain = (s: string): string => new Big(s).toString();

  it("adds, subtracts, multiplies and divides exactly as big.js does", () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const x = Money.of(a);
        const y = Money.of(b);
        expect(x.toString()).toBe(plain(a));
        expect(x.plus(y).toString()).toBe(new Big(a).plus(b).toString());
        expect(x.minus(y).toString()).toBe(new Big(a).minus(b).toString());
        expect(x.times(y).toString()).toBe(new Big(a).times(b).toString());
        expect(x.cmp(y)).toBe(new Big(a).cmp(b));
        if (!y.isZero()) expect(x.div(y).toString()).toBe(new Big(a).div(b).toString());
      }),
      { numRuns: 3000 },
    );
  });

  it("compares amounts of one scale, of different scales and an amount with itself as big.js does", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), (a, b, s, t) => {
        const x = Money.scaled(a, s);
        const same = Money.scaled(b, s);
        const other = Money.scaled(b, t);
        expect(x.cmp(x)).toBe(0);
        expect(x.cmp(same)).toBe(new Big(x.toString()).cmp(same.toString()));
        expect(x.cmp(other)).toBe(new Big(x.toString()).cmp(other.toString()));
        expect(x.cmp(Money.scaled(a * 10n, s + 1))).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it("rounds and formats as big.js does, in every mode", () => {
    const modes = [
      ["half-even", Big.roundHalfEven],
      ["half-up", Big.roundHalfUp],
      ["down", Big.roundDown],
    ] as const;
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 12 }), (a, dp) => {
        for (const [mode, rm] of modes) expect(Money.of(a).round(dp, mode).toString()).toBe(new Big(a).round(dp, rm).toString());
        const fixed = new Big(a).toFixed(dp, Big.roundHalfEven);
        // big.js keeps the sign of a negative that rounds to zero ("-0.00"); a ledger prints "0.00".
        expect(Money.of(a).toFixed(dp)).toBe(/^-0\.?0*$/.test(fixed) ? fixed.slice(1) : fixed);
      }),
      { numRuns: 2000 },
    );
  });

  it("formats ledger amounts at and next to rounding ties as big.js does", () => {
    // Long mantissas like cash and notionals, and amounts a unit in the 20th place from a tie of the printed place.
    const amount = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 14n }), fc.integer({ min: 0, max: 8 }), fc.constantFrom(0n, 1n, -1n), fc.integer({ min: 0, max: 12 }), fc.boolean())
      .map(([units, dp, nudge, extra, negative]) => {
        // units × 10^−dp + ½ × 10^−dp (a tie at dp places) + nudge × 10^−(dp + 1 + extra)
        const scale = dp + 1 + extra;
        const m = (units * 10n + 5n) * 10n ** BigInt(extra) + nudge;
        return { value: Money.scaled(negative ? -m : m, scale), dp };
      });
    fc.assert(
      fc.property(amount, fc.integer({ min: 0, max: 8 }), ({ value, dp }, other) => {
        for (const places of [dp, other]) {
          const fixed = new Big(value.toString()).toFixed(places, Big.roundHalfEven);
          expect(value.toFixed(places)).toBe(/^-0\.?0*$/.test(fixed) ? fixed.slice(1) : fixed);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it("reads doubles through the same shortest text", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e30, max: 1e30 }), (d) => {
        expect(Money.of(d).toString()).toBe(new Big(d).toString());
      }),
      { numRuns: 3000 },
    );
  });

  it("reads prices, slipped prices and their neighbouring doubles as their text reads", () => {
    // Decimal prices (the numeric path's common case) and the doubles next to them, whose shortest text has 17 digits.
    const bits = new Float64Array(1);
    const word = new BigInt64Array(bits.buffer);
    const price = fc
      .tuple(fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: 0, max: 12 }), fc.constantFrom(1, 1.001, 0.999, 1.0005), fc.integer({ min: -2, max: 2 }), fc.boolean())
      .map(([units, places, slip, ulps, negative]) => {
        bits[0] = (units / 10 ** places) * slip;
        word[0] = word[0]! + BigInt(ulps);
        return negative ? -bits[0]! : bits[0]!;
      });
    fc.assert(
      fc.property(price, (d) => {
        expect(Money.of(d).toString()).toBe(Money.of(String(d)).toString());
      }),
      { numRuns: 20_000 },
    );
    // Doubles whose scaled product rounds away from the integer that reads back, and doubles read back by two
    // adjacent integers at their shortest length (found by search).
    for (const d of [0.4465916768625621, 0.4268301227931893, 4.356238927895508, 8.157285012216542, 0.06807686991777832, 0.5759897287359727]) {
      expect(Money.of(d).toString()).toBe(String(d));
      expect(Money.of(-d).toString()).toBe(String(-d));
    }
  });

  it("floors to any positive step as a quotient of big.js", () => {
    const step = fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 6n }), fc.integer({ min: 0, max: 10 })).map(([m, e]) => `${m}e${-e}`);
    fc.assert(
      fc.property(text, step, (a, s) => {
        const n = new Big(a).abs().div(s).round(0, Big.roundDown);
        const want = n.times(s).times(new Big(a).lt(0) ? -1 : 1);
        expect(Money.of(a).floorToStep(s).eq(want.toString())).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("builds scaled amounts exactly and refuses what it cannot hold", () => {
    expect(Money.scaled(12345, 2).toString()).toBe("123.45");
    expect(Money.scaled(-5, 8).toString()).toBe("-0.00000005");
    expect(Money.scaled(10n ** 30n, 0).toString()).toBe("1" + "0".repeat(30));
    expect(() => Money.scaled(0.5, 2)).toThrow(RangeError);
    expect(() => Money.scaled(1, -1)).toThrow(RangeError);
    expect(() => Money.of("1e999999999")).toThrow(TypeError);
    expect(() => Money.of(".")).toThrow(TypeError);
    expect(Money.of(".5").toString()).toBe("0.5");
    expect(Money.of("5.").toString()).toBe("5");
  });
});

describe("Money's conversions between numbers and mantissas through 32-bit halves", () => {
  // Integers a few units from the edges the halves meet at (2^31, 2^32, 2^53, 2^63, 2^64) and log-uniform ones.
  const edge = (edges: bigint[]) => fc.tuple(fc.constantFrom(...edges), fc.bigInt({ min: -4096n, max: 4096n }), fc.boolean()).map(([e, d, neg]) => (neg ? -(e + d) : e + d));
  const anyWidth = (bits: number) =>
    fc.tuple(fc.integer({ min: 0, max: bits }), fc.bigInt({ min: 0n, max: 2n ** BigInt(bits) }), fc.boolean()).map(([b, r, neg]) => {
      const m = r % 2n ** BigInt(b);
      return neg ? -m : m;
    });

  it("gives every mantissa the double Number gives it", () => {
    const m = fc.oneof(edge([0n, 2n ** 31n, 2n ** 32n, 2n ** 53n, 2n ** 62n, 2n ** 63n, 2n ** 64n]), anyWidth(70));
    fc.assert(
      fc.property(m, (units) => {
        expect(Object.is(Money.scaled(units, 0).toNumber(), Number(units))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it("builds the mantissa BigInt builds from every safe integer, in Money.scaled and Money.of", () => {
    const safe = fc.oneof(
      edge([0n, 2n ** 31n, 2n ** 32n, 2n ** 52n]).map(Number),
      fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER),
      fc.integer({ min: 0, max: 52 }).chain((b) => fc.integer({ min: -(2 ** b), max: 2 ** b })),
    );
    fc.assert(
      fc.property(safe, fc.integer({ min: 0, max: 22 }), (x, scale) => {
        expect(Money.scaled(x, scale).units).toBe(BigInt(x));
        expect(Money.of(x).units).toBe(BigInt(x));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe("Money.toNumber of long mantissas (cash, notionals and fees carry 20–30 digits)", () => {
  it("is the double nearest to the decimal, as parsing its text gives", () => {
    const long = fc
      .tuple(fc.bigInt({ min: -(2n ** 120n), max: 2n ** 120n }), fc.integer({ min: 1, max: 44 }))
      .map(([m, s]) => Money.of(`${m}e-${s}`));
    fc.assert(
      fc.property(long, (x) => {
        expect(Object.is(x.toNumber(), Number(x.toString())) || (x.isZero() && x.toNumber() === 0)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it("converts mantissas of 2^53 to 2^100, the ones split without BigInt arithmetic, as parsing their text", () => {
    // Log-uniform magnitudes over the split's range, and mantissas a few units from the 64-bit edges it relies on.
    const magnitude = fc
      .tuple(fc.integer({ min: 53, max: 99 }), fc.bigInt({ min: 0n, max: 2n ** 99n }))
      .map(([bits, r]) => 2n ** BigInt(bits) + (r % 2n ** BigInt(bits)));
    const edge = fc
      .tuple(fc.constantFrom(2n ** 53n, 2n ** 63n, 2n ** 64n, 2n ** 65n, 2n ** 96n, 2n ** 100n - 2n ** 60n), fc.bigInt({ min: -4096n, max: 4096n }))
      .map(([e, d]) => e + d);
    const amount = fc.tuple(fc.oneof(magnitude, edge), fc.boolean(), fc.integer({ min: 1, max: 22 })).map(([m, negative, s]) => Money.scaled(negative ? -m : m, s));
    fc.assert(
      fc.property(amount, (x) => {
        expect(x.toNumber()).toBe(Number(x.toString()));
      }),
      { numRuns: 20_000 },
    );
  });

  it("rounds amounts a hair above, at and below the midpoint of two doubles as their text reads", () => {
    // mid = (2^53 + 2u + 1) / 2^53 lies halfway between 1 + u·2^−52 and the next double; ±10^−60 decides the side.
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 52n - 1n }), fc.constantFrom(-1n, 0n, 1n), fc.boolean(), (u, nudge, negative) => {
        const mid = (2n ** 53n + 2n * u + 1n) * 5n ** 53n;
        const m = mid * 10n ** 7n + nudge;
        const x = Money.scaled(negative ? -m : m, 60);
        expect(x.toNumber()).toBe(Number(x.toString()));
      }),
      { numRuns: 3000 },
    );
  });

  it("is exact for 28-place quotients, as fee shares and P&L after partial closes carry", () => {
    const fee = Money.of("12.3456789123456789");
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 10_000_000 }), (a, b) => {
        const share = fee.times(a).div(b).plus(Money.of("1234.56789"));
        expect(share.toNumber()).toBe(Number(share.toString()));
      }),
      { numRuns: 5000 },
    );
  });

  it("decides values at and next to rounding ties", () => {
    // 2^53 + 1 is halfway between two doubles; these sit on, just above and just below that tie, at scale 10.
    const tie = (2n ** 53n + 1n) * 10n ** 10n;
    for (const m of [tie, tie + 1n, tie - 1n, -tie, 2n ** 80n * 10n ** 5n, (2n ** 70n + 1n) * 5n ** 10n]) {
      const x = Money.of(`${m}e-10`);
      expect(x.toNumber()).toBe(Number(x.toString()));
    }
  });
});
