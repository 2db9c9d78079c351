/** Decimal places kept by {@link Money.div}: a 96-bit decimal's maximum scale (engine.md §11.2). */
const DIV_SCALE = 28;
/** Exponents beyond this are refused: `10n ** 10⁹` would hang the process rather than fail. */
const MAX_EXPONENT = 1_000;
/** big.js's grammar for decimal text: optional minus, digits with an optional point, optional exponent. */
const DECIMAL_TEXT = /^(-?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

const POW10N: bigint[] = [];
for (let i = 0, p = 1n; i <= 64; i++, p *= 10n) POW10N.push(p);
const POW10D = Array.from({ length: 23 }, (_, i) => 10 ** i);
const TWO53 = 2 ** 53;
const TWO100 = 2 ** 100;
/** A quotient this close to half an ulp (in ulps) is left to the exact path: far above the error of the correction. */
const TIE_MARGIN = 0.5 - 2 ** -40;
/** A double's bits, to read its exponent and build its ulp without `Math.log2` and `**`. */
const BITS = new Float64Array(1);
const WORDS = new Uint32Array(BITS.buffer);
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
/** Veltkamp's splitter for doubles: 2^27 + 1. */
const SPLITTER = 134_217_729;

/**
 * The double nearest to `(hi + lo) / p`, where `hi + lo` is an integer below 2^100 held exactly as two doubles and `p`
 * an exact power of ten; NaN when the quotient lies too close to a rounding tie to decide in double arithmetic.
 *
 * Why: a ledger amount such as cash carries ~25 digits (price × quantity × fee rate), beyond a double's 2^53, and
 * converting it through its text costs ~250 ns. Here `q = hi / p` is corrected by the exact remainder of that division
 * (Dekker's error-free product `q × p`), which decides the rounding unless the quotient is within 2^−40 of an ulp
 * from a tie; those rare cases take the text path.
 */
function nearestQuotient(hi: number, lo: number, p: number): number {
  const q = hi / p;
  const prod = q * p;
  const qc = SPLITTER * q;
  const qh = qc - (qc - q);
  const ql = q - qh;
  const pc = SPLITTER * p;
  const ph = pc - (pc - p);
  const pl = p - ph;
  const err = qh * ph - prod + qh * pl + ql * ph + ql * pl;
  const c = (hi - prod - err + lo) / p;
  const x = q + c;
  const t = q - x + c;
  BITS[0] = x;
  const high = WORDS[HIGH_WORD]!;
  const exponent = (high >>> 20) & 0x7ff;
  // At a power of two the spacing below is half the spacing above; subnormals and huge values are not ledger
  // amounts: leave those to the exact path.
  if (exponent <= 53 || exponent >= 0x7fe || ((high & 0xfffff) === 0 && WORDS[1 - HIGH_WORD] === 0)) return Number.NaN;
  WORDS[HIGH_WORD] = (exponent - 52) << 20;
  WORDS[1 - HIGH_WORD] = 0;
  const ulp = BITS[0]!;
  return Math.abs(t) > ulp * TIE_MARGIN ? Number.NaN : x;
}

/**
 * Scratch for moving integers between BigInts and doubles without a runtime call: a BigInt stored here wraps to its
 * low 64 bits, read back as two 32-bit halves ({@link remainderOf}, {@link toDouble}); two halves written here read
 * back as one BigInt ({@link toBigInt}). Each use writes and reads it with nothing in between.
 */
const LOW64 = new BigInt64Array(1);
const LOW_UNSIGNED = new Uint32Array(LOW64.buffer);
const LOW_SIGNED = new Int32Array(LOW64.buffer);
const TWO32 = 2 ** 32;
const TWO64 = 2 ** 64;

/**
 * `m − x` exactly, for `x = Number(m)` and |m| < 2^100, without BigInt arithmetic (`m − BigInt(x)` allocates twice
 * and costs ≈ 45 ns; cash and fees are converted at every fill).
 *
 * Write m = h·2^64 + hi·2^32 + lo, with hi·2^32 + lo its low 64 bits read as a signed integer. Since |x − m| < 2^47,
 * far below the step 2^64, h is the rounded (x − low 64 bits) / 2^64. Each step is then exact: h·2^64 and x have the
 * same sign and lie within a factor of two of each other (Sterbenz), or h is 0; the next sums are integers whose
 * magnitude is below 2^53 (the final one is at most half an ulp of x).
 */
function remainderOf(m: bigint, x: number): number {
  LOW64[0] = m;
  const lo = LOW_UNSIGNED[1 - HIGH_WORD]!;
  const hi = LOW_SIGNED[HIGH_WORD]!;
  const h = Math.round((x - (hi * TWO32 + lo)) / TWO64);
  return h * TWO64 - x + hi * TWO32 + lo;
}

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n;

/**
 * `Number(m)`. Why not that: it is a runtime call (≈ 20–28 ns); below 2^63 in magnitude the two 32-bit halves of `m`
 * give the same double in ≈ 7 ns: `hi · 2^32` and `lo` are exact doubles, so their sum is rounded once, to nearest,
 * ties to even, as `Number` rounds. Every amount the ledger reads as a number passes here.
 */
function toDouble(m: bigint): number {
  if (m < MIN_INT64 || m >= MAX_INT64) return Number(m);
  LOW64[0] = m;
  return LOW_SIGNED[HIGH_WORD]! * TWO32 + LOW_UNSIGNED[1 - HIGH_WORD]!;
}

/**
 * `BigInt(x)` for a safe integer `x`, built from its two 32-bit halves (≈ 8 ns against ≈ 20: quantities and prices
 * are made from step counts). Callers check that `x` is a safe integer: for anything else the halves are wrong
 * (`BigInt` would throw or be exact), and nothing here notices.
 */
function toBigInt(x: number): bigint {
  const hi = Math.floor(x / TWO32);
  LOW_SIGNED[HIGH_WORD] = hi;
  LOW_UNSIGNED[1 - HIGH_WORD] = x - hi * TWO32;
  return LOW64[0]!;
}

/** Scaled amounts below this (2^36) carry an error far below the tie margin: see {@link fixedFromNearest}. */
const FIXED_FAST_LIMIT = 2 ** 36;
/** Distance from a rounding tie, in units of the last place, below which the exact path decides. */
const FIXED_TIE_MARGIN = 1e-3;

/**
 * `x` with exactly `dp` decimal places when `x` is the double nearest to an exact decimal whose rounding it decides;
 * undefined otherwise. Why: formatting an exact amount through BigInt division costs ~300 ns (the ledger writes two
 * per rejected order). The exact value differs from `x × 10^dp` by under 2^−14 units below 2^36, so unless the
 * scaled value lies within {@link FIXED_TIE_MARGIN} of a tie, the nearest integer is the half-to-even rounding.
 */
function fixedFromNearest(x: number, dp: number): string | undefined {
  const y = x * POW10D[dp]!;
  const a = y < 0 ? -y : y;
  if (!(a < FIXED_FAST_LIMIT)) return undefined;
  const units = Math.round(a);
  if (Math.abs(a - Math.floor(a) - 0.5) < FIXED_TIE_MARGIN) return undefined;
  const unit = POW10D[dp]!;
  const whole = Math.floor(units / unit);
  let text = String(whole);
  if (dp > 0) {
    const frac = String(units - whole * unit);
    text += "." + "0".repeat(dp - frac.length) + frac;
  }
  return y < 0 && units !== 0 ? `-${text}` : text;
}

function pow10(k: number): bigint {
  return k < POW10N.length ? POW10N[k]! : 10n ** BigInt(k);
}

/** `mantissa × 10^shift` for shift ≥ 0: brings a value to a larger scale. */
function scaleUp(mantissa: bigint, shift: number): bigint {
  return shift === 0 ? mantissa : mantissa * pow10(shift);
}

/** `q` adjusted by one unit away from zero when the dropped remainder `r` of divisor `d` rounds up (half to even). */
function roundHalfEven(q: bigint, r: bigint, d: bigint, negative: boolean): bigint {
  const twice = (r < 0n ? -r : r) * 2n;
  const dd = d < 0n ? -d : d;
  if (twice > dd || (twice === dd && (q & 1n) !== 0n)) return negative ? q - 1n : q + 1n;
  return q;
}

/** Anything `Money.of` accepts. Numbers are read as their shortest round-trip decimal (`0.1` is 0.1). */
export type MoneyInput = Money | string | number | bigint;

/**
 * An exact, immutable decimal amount: prices, quantities, fees, cash and P&L in the ledger.
 *
 * Held as an integer mantissa and a decimal scale (`value = mantissa × 10^−scale`), the representation engine.md §11.5
 * recommends. Addition, subtraction and multiplication are exact; division keeps 28 decimal places, rounded half to
 * even. Doubles convert through their shortest round-trip text, so `Money.of(0.1).plus(0.2)` is exactly `0.3`.
 *
 * @example
 * const fee = Money.of("49152.47").times("0.5").times("0.001"); // 24.576235
 */
export class Money {
  /** Zero. */
  static readonly ZERO: Money = new Money(0n, 0);
  /** One. */
  static readonly ONE: Money = new Money(1n, 0);

  readonly #m: bigint;
  readonly #s: number;

  private constructor(mantissa: bigint, scale: number) {
    this.#m = mantissa;
    this.#s = scale;
  }

  /**
   * Builds a Money from a decimal string (`"12.5"`, `"-1e-8"`), a number (shortest round-trip decimal) or a bigint.
   * @throws TypeError when the input is not a finite decimal.
   */
  static of(value: MoneyInput): Money {
    if (value instanceof Money) return value;
    if (typeof value === "number") {
      if (!Number.isFinite(value)) throw new TypeError(`Money.of: not a finite number: ${value}`);
      if (value === 0) return Money.ZERO;
      if (Number.isSafeInteger(value)) return new Money(toBigInt(value), 0);
      return Money.#ofFraction(value) ?? Money.#parse(String(value)) ?? Money.ZERO;
    }
    if (typeof value === "bigint") return new Money(value, 0);
    const parsed = Money.#parse(value.trim());
    if (parsed === undefined) throw new TypeError(`Money.of: not a decimal number: ${JSON.stringify(value)}`);
    return parsed;
  }

  /**
   * The amount `units × 10^−scale`: an integer count of a power-of-ten step (ticks of 1e-8 are `scaled(n, 8)`).
   * Exact, and much cheaper than going through text.
   * @throws RangeError when `scale` is not a non-negative integer or `units` is not a safe integer.
   */
  static scaled(units: number | bigint, scale: number): Money {
    if (!Number.isInteger(scale) || scale < 0 || scale > MAX_EXPONENT) throw new RangeError(`Money.scaled: bad scale ${scale}`);
    if (typeof units === "number" && !Number.isSafeInteger(units)) throw new RangeError(`Money.scaled: ${units} is not a safe integer`);
    return new Money(typeof units === "bigint" ? units : toBigInt(units), scale);
  }

  /** Like {@link Money.of} but returns `undefined` instead of throwing on bad text. */
  static tryOf(value: string): Money | undefined {
    return Money.#parse(value.trim());
  }

  /** Sum of several amounts (exact). */
  static sum(values: Iterable<MoneyInput>): Money {
    let acc = Money.ZERO;
    for (const v of values) acc = acc.plus(v);
    return acc;
  }

  /** The larger of two amounts. */
  static max(a: Money, b: Money): Money {
    return a.gte(b) ? a : b;
  }

  /** The smaller of two amounts. */
  static min(a: Money, b: Money): Money {
    return a.lte(b) ? a : b;
  }

  /**
   * The shortest decimal that reads back as `value`, found in numbers: the fewest decimal places `d` at which some
   * integer `c` has `c / 10^d === value`. Fewest places is fewest significant digits, so this is the decimal of
   * `String(value)` without building and parsing text (≈ 10× faster; every fill price passes here). Undefined, for
   * the text path, when the mantissa would pass 2^53 or more than one integer reads back (a 17-digit double).
   */
  static #ofFraction(value: number): Money | undefined {
    const a = value < 0 ? -value : value;
    if (!(a < TWO53)) return undefined;
    for (let d = 1; d < POW10D.length; d++) {
      const p = POW10D[d]!;
      const x = a * p;
      if (x >= TWO53) return undefined;
      // `x` is within one unit of the exact product, so a candidate that reads back is the nearest integer or a neighbour.
      const m = Math.round(x);
      const c = m / p === a ? m : (m - 1) / p === a ? m - 1 : (m + 1) / p === a ? m + 1 : -1;
      if (c < 0) continue;
      if ((c - 1) / p === a || (c + 1) / p === a) return undefined;
      return new Money(toBigInt(value < 0 ? -c : c), d);
    }
    return undefined;
  }

  static #parse(text: string): Money | undefined {
    const g = DECIMAL_TEXT.exec(text);
    if (g === null) return undefined;
    const int = g[2]!;
    const frac = g[3] ?? "";
    if (int.length === 0 && frac.length === 0) return undefined;
    const exp = g[4] === undefined ? 0 : Number(g[4]);
    if (Math.abs(exp) > MAX_EXPONENT) return undefined;
    let mantissa = BigInt(int + frac);
    let scale = frac.length - exp;
    if (scale < 0) {
      mantissa *= pow10(-scale);
      scale = 0;
    }
    if (g[1] === "-") mantissa = -mantissa;
    return mantissa === 0n ? Money.ZERO : new Money(mantissa, scale);
  }

  /**
   * The integer `units` of `value = units × 10^−scale`, as held (not normalised: `Money.of("1.50").units` is 150n).
   * With {@link Money.scale} it rebuilds the same amount through {@link Money.scaled}, e.g. to keep amounts in a
   * `BigInt64Array` instead of as objects.
   */
  get units(): bigint {
    return this.#m;
  }

  /** The decimal scale of {@link Money.units}: the number of decimal places held. */
  get scale(): number {
    return this.#s;
  }

  /** `this + other`, exact. */
  plus(other: MoneyInput): Money {
    const o = Money.of(other);
    const s = this.#s;
    const os = o.#s;
    if (s === os) return new Money(this.#m + o.#m, s);
    return s > os ? new Money(this.#m + scaleUp(o.#m, s - os), s) : new Money(scaleUp(this.#m, os - s) + o.#m, os);
  }

  /** `this − other`, exact. */
  minus(other: MoneyInput): Money {
    const o = Money.of(other);
    const s = this.#s;
    const os = o.#s;
    if (s === os) return new Money(this.#m - o.#m, s);
    return s > os ? new Money(this.#m - scaleUp(o.#m, s - os), s) : new Money(scaleUp(this.#m, os - s) - o.#m, os);
  }

  /** `this × other`, exact. */
  times(other: MoneyInput): Money {
    const o = Money.of(other);
    return new Money(this.#m * o.#m, this.#s + o.#s);
  }

  /**
   * `this ÷ other` to 28 decimal places, half to even.
   * @throws RangeError on division by zero.
   */
  div(other: MoneyInput): Money {
    const d = Money.of(other);
    if (d.#m === 0n) throw new RangeError("Money.div: division by zero");
    // this/d × 10^28 = (m × 10^(ds + 28 − s)) / dm
    const shift = d.#s + DIV_SCALE - this.#s;
    const num = shift >= 0 ? scaleUp(this.#m, shift) : this.#m;
    const den = shift >= 0 ? d.#m : scaleUp(d.#m, -shift);
    const q = num / den;
    return new Money(roundHalfEven(q, num - q * den, den, num < 0n !== den < 0n), DIV_SCALE);
  }

  /** `−this`. */
  neg(): Money {
    return new Money(-this.#m, this.#s);
  }

  /** `|this|`. */
  abs(): Money {
    return this.#m < 0n ? new Money(-this.#m, this.#s) : this;
  }

  /** Rounds to `dp` decimal places (half to even by default; `"down"` truncates toward zero; `"half-up"` rounds ties away from zero). */
  round(dp: number, mode: "half-even" | "down" | "half-up" = "half-even"): Money {
    if (!Number.isInteger(dp) || dp < 0) throw new RangeError(`Money.round: decimal places must be a non-negative integer, got ${dp}`);
    const drop = this.#s - dp;
    if (drop <= 0) return this;
    const unit = pow10(drop);
    const m = this.#m;
    const q = m / unit;
    const r = m - q * unit;
    let out = q;
    if (mode === "half-even") out = roundHalfEven(q, r, unit, m < 0n);
    else if (mode === "half-up" && (r < 0n ? -r : r) * 2n >= unit) out = m < 0n ? q - 1n : q + 1n;
    return new Money(out, dp);
  }

  /** Largest multiple of `step` not above `|this|`, with this amount's sign (lot-step rounding). */
  floorToStep(step: MoneyInput): Money {
    const st = Money.of(step);
    if (st.#m <= 0n) return this;
    const s = Math.max(this.#s, st.#s);
    const m = this.#m;
    const count = scaleUp(m < 0n ? -m : m, s - this.#s) / scaleUp(st.#m, s - st.#s);
    const units = count * st.#m;
    return new Money(m < 0n ? -units : units, st.#s);
  }

  /** −1, 0 or 1 as this is below, equal to or above `other`. */
  cmp(other: MoneyInput): -1 | 0 | 1 {
    const o = Money.of(other);
    // The ledger mostly compares an amount with itself (an order's quantity with its remainder, a position's).
    if (o === this) return 0;
    const s = this.#s;
    const os = o.#s;
    if (s === os) return this.#m < o.#m ? -1 : this.#m > o.#m ? 1 : 0;
    const a = s >= os ? this.#m : scaleUp(this.#m, os - s);
    const b = os >= s ? o.#m : scaleUp(o.#m, s - os);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Exact equality. */
  eq(other: MoneyInput): boolean {
    return this.cmp(other) === 0;
  }

  /** `this < other`. */
  lt(other: MoneyInput): boolean {
    return this.cmp(other) < 0;
  }

  /** `this ≤ other`. */
  lte(other: MoneyInput): boolean {
    return this.cmp(other) <= 0;
  }

  /** `this > other`. */
  gt(other: MoneyInput): boolean {
    return this.cmp(other) > 0;
  }

  /** `this ≥ other`. */
  gte(other: MoneyInput): boolean {
    return this.cmp(other) >= 0;
  }

  /** True for exactly zero. */
  isZero(): boolean {
    return this.#m === 0n;
  }

  /** True when strictly above zero. */
  isPositive(): boolean {
    return this.#m > 0n;
  }

  /** True when strictly below zero. */
  isNegative(): boolean {
    return this.#m < 0n;
  }

  /** The nearest double. Use for prices and metrics, never to carry ledger values forward. */
  toNumber(): number {
    const m = this.#m;
    const n = toDouble(m);
    const s = this.#s;
    if (s === 0) return n;
    if (s <= 22) {
      // Below 2^53 the mantissa is an exact double, and so is 10^s up to 10^22: one IEEE division then rounds
      // correctly, which is what parsing the decimal text gives.
      if (Math.abs(n) < TWO53) return n / POW10D[s]!;
      if (Math.abs(n) < TWO100) {
        const x = nearestQuotient(n, remainderOf(m, n), POW10D[s]!);
        if (!Number.isNaN(x)) return x;
      }
    }
    return Number(this.toString());
  }

  /** Plain decimal text without exponent, trailing zeros removed (`"0.3"`, `"-12.5"`). */
  toString(): string {
    const m = this.#m;
    if (m === 0n) return "0";
    const negative = m < 0n;
    const digits = (negative ? -m : m).toString();
    const s = this.#s;
    let text: string;
    if (s === 0) text = digits;
    else {
      const padded = digits.length > s ? digits : "0".repeat(s - digits.length + 1) + digits;
      const cut = padded.length - s;
      let end = padded.length;
      while (end > cut && padded.charCodeAt(end - 1) === 48) end--;
      text = end === cut ? padded.slice(0, cut) : `${padded.slice(0, cut)}.${padded.slice(cut, end)}`;
    }
    return negative ? `-${text}` : text;
  }

  /** Decimal text with exactly `dp` decimal places, half to even. */
  toFixed(dp: number): string {
    if (dp >= 0 && dp <= 8 && Number.isInteger(dp)) {
      const fast = fixedFromNearest(this.toNumber(), dp);
      if (fast !== undefined) return fast;
    }
    const r = this.round(dp);
    const m = r.#m;
    const negative = m < 0n;
    const digits = (negative ? -m : m).toString();
    // A value that rounded up from fewer places keeps its own scale: pad it to `dp`.
    const units = digits + "0".repeat(dp - r.#s);
    const padded = units.length > dp ? units : "0".repeat(dp - units.length + 1) + units;
    const cut = padded.length - dp;
    const text = dp === 0 ? padded : `${padded.slice(0, cut)}.${padded.slice(cut)}`;
    return negative ? `-${text}` : text;
  }

  /** JSON form is the exact decimal string. */
  toJSON(): string {
    return this.toString();
  }
}
