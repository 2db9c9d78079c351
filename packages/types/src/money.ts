import BigModule from "big.js";

// A private Big constructor so that our settings never leak into (or from) other users of big.js.
const Big = BigModule();
Big.DP = 28; // division keeps 28 decimal places, like a 96-bit decimal's maximum scale
Big.RM = Big.roundHalfEven;
Big.NE = -40; // never print exponents: money strings are plain decimals
Big.PE = 60;

type BigValue = InstanceType<typeof Big>;

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Anything `Money.of` accepts. Numbers are read as their shortest round-trip decimal (`0.1` is 0.1). */
export type MoneyInput = Money | string | number | bigint;

/**
 * An exact, immutable decimal amount: prices, quantities, fees, cash and P&L in the ledger.
 *
 * Addition, subtraction and multiplication are exact; division keeps 28 decimal places, rounded half to even.
 * Doubles convert through their shortest round-trip text, so `Money.of(0.1).plus(0.2)` is exactly `0.3`.
 *
 * @example
 * const fee = Money.of("49152.47").times("0.5").times("0.001"); // 24.576235
 */
export class Money {
  /** Zero. */
  static readonly ZERO: Money = new Money(new Big(0));
  /** One. */
  static readonly ONE: Money = new Money(new Big(1));

  readonly #v: BigValue;

  private constructor(v: BigValue) {
    this.#v = v;
  }

  /**
   * Builds a Money from a decimal string, a number (shortest round-trip decimal) or a bigint.
   * @throws TypeError when the input is not a finite decimal.
   */
  static of(value: MoneyInput): Money {
    if (value instanceof Money) return value;
    if (typeof value === "number") {
      if (!Number.isFinite(value)) throw new TypeError(`Money.of: not a finite number: ${value}`);
      if (value === 0) return Money.ZERO;
      return new Money(new Big(value));
    }
    if (typeof value === "bigint") return new Money(new Big(value.toString()));
    try {
      return new Money(new Big(value.trim()));
    } catch {
      throw new TypeError(`Money.of: not a decimal number: ${JSON.stringify(value)}`);
    }
  }

  /** Like {@link Money.of} but returns `undefined` instead of throwing on bad text. */
  static tryOf(value: string): Money | undefined {
    try {
      return Money.of(value);
    } catch {
      return undefined;
    }
  }

  /** Sum of several amounts (exact). */
  static sum(values: Iterable<MoneyInput>): Money {
    let acc = new Big(0);
    for (const v of values) acc = acc.plus(Money.of(v).#v);
    return new Money(acc);
  }

  /** The larger of two amounts. */
  static max(a: Money, b: Money): Money {
    return a.gte(b) ? a : b;
  }

  /** The smaller of two amounts. */
  static min(a: Money, b: Money): Money {
    return a.lte(b) ? a : b;
  }

  /** `this + other`, exact. */
  plus(other: MoneyInput): Money {
    return new Money(this.#v.plus(Money.of(other).#v));
  }

  /** `this − other`, exact. */
  minus(other: MoneyInput): Money {
    return new Money(this.#v.minus(Money.of(other).#v));
  }

  /** `this × other`, exact. */
  times(other: MoneyInput): Money {
    return new Money(this.#v.times(Money.of(other).#v));
  }

  /**
   * `this ÷ other` to 28 decimal places, half to even.
   * @throws RangeError on division by zero.
   */
  div(other: MoneyInput): Money {
    const d = Money.of(other);
    if (d.isZero()) throw new RangeError("Money.div: division by zero");
    return new Money(this.#v.div(d.#v));
  }

  /** `−this`. */
  neg(): Money {
    return new Money(this.#v.neg());
  }

  /** `|this|`. */
  abs(): Money {
    return new Money(this.#v.abs());
  }

  /** Rounds to `dp` decimal places (half to even by default; `"down"` truncates toward zero). */
  round(dp: number, mode: "half-even" | "down" | "half-up" = "half-even"): Money {
    const rm = mode === "down" ? Big.roundDown : mode === "half-up" ? Big.roundHalfUp : Big.roundHalfEven;
    return new Money(this.#v.round(dp, rm));
  }

  /** Largest multiple of `step` not above `|this|`, with this amount's sign (lot-step rounding). */
  floorToStep(step: MoneyInput): Money {
    const s = Money.of(step);
    if (!s.isPositive()) return this;
    const n = this.#v.abs().div(s.#v).round(0, Big.roundDown);
    const r = n.times(s.#v);
    return new Money(this.#v.lt(0) ? r.neg() : r);
  }

  /** −1, 0 or 1 as this is below, equal to or above `other`. */
  cmp(other: MoneyInput): -1 | 0 | 1 {
    return this.#v.cmp(Money.of(other).#v) as -1 | 0 | 1;
  }

  /** Exact equality. */
  eq(other: MoneyInput): boolean {
    return this.#v.eq(Money.of(other).#v);
  }

  /** `this < other`. */
  lt(other: MoneyInput): boolean {
    return this.#v.lt(Money.of(other).#v);
  }

  /** `this ≤ other`. */
  lte(other: MoneyInput): boolean {
    return this.#v.lte(Money.of(other).#v);
  }

  /** `this > other`. */
  gt(other: MoneyInput): boolean {
    return this.#v.gt(Money.of(other).#v);
  }

  /** `this ≥ other`. */
  gte(other: MoneyInput): boolean {
    return this.#v.gte(Money.of(other).#v);
  }

  /** True for exactly zero. */
  isZero(): boolean {
    return this.#v.eq(0);
  }

  /** True when strictly above zero. */
  isPositive(): boolean {
    return this.#v.gt(0);
  }

  /** True when strictly below zero. */
  isNegative(): boolean {
    return this.#v.lt(0);
  }

  /** The nearest double. Use for prices and metrics, never to carry ledger values forward. */
  toNumber(): number {
    // big.js documents its representation: coefficient digits `c`, exponent `e`, sign `s`. Up to 15 digits the
    // coefficient is an exact integer and one IEEE multiplication or division by an exact power of ten rounds
    // correctly, which is what Number(text) gives, without building the text.
    const { c, e, s } = this.#v;
    const n = c.length;
    if (n <= 15) {
      let m = 0;
      for (let i = 0; i < n; i++) m = m * 10 + c[i]!;
      const k = e - n + 1;
      if (k >= 0 && k <= 22) return s * (m * POW10[k]!);
      if (k < 0 && k >= -22) return s * (m / POW10[-k]!);
    }
    return Number(this.#v.toString());
  }

  /** Plain decimal text without exponent, trailing zeros removed (`"0.3"`, `"-12.5"`). */
  toString(): string {
    return this.#v.toString();
  }

  /** Decimal text with exactly `dp` decimal places, half to even. */
  toFixed(dp: number): string {
    return this.#v.toFixed(dp, Big.roundHalfEven);
  }

  /** JSON form is the exact decimal string. */
  toJSON(): string {
    return this.toString();
  }
}
