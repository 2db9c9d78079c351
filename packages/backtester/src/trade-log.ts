import { Money, type Side } from "@tradeloom/types";
import { type ExitReason, type Realization, type Trade, TradeRecord } from "@tradeloom/oms";

const REASONS: readonly ExitReason[] = ["target", "stop", "signal", "end_of_data"];
const BUY: Side = "buy";
const SELL: Side = "sell";
/** Amounts kept per trade, in this order: exit price, quantity, gross P&L, fees, entry cost. */
const AMOUNTS = 5;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT128_MIN = -(2n ** 127n);
const INT128_MAX = 2n ** 127n - 1n;

/**
 * The realised trades of a run, kept in typed arrays while it runs and built as {@link Trade} objects on first read.
 *
 * Why: a backtest keeps every trade until it ends, and each kept object is copied by the young-generation collector
 * before it is promoted. A trade as objects (a record, six decimal amounts and their BigInts) is ≈ 700 bytes to copy;
 * as columns it is ≈ 70 bytes of typed arrays the collector never copies. On the 1 h data that made scavenges a third
 * of a trade-heavy run. Metrics read the net P&L column, so an optimizer's runs never build a trade object at all.
 *
 * Amounts are stored exactly as `units × 10^−scale`, the units as 128-bit integers in two 64-bit columns (a fee carries
 * ≈ 20 digits: 8-place price × 8-place quantity × fee rate); a trade with an amount beyond that, or a scale above 255,
 * is kept as its object instead.
 */
export class TradeLog {
  #count = 0;
  #capacity = 0;
  readonly #symbols: string[] = [];
  readonly #symbolIndex = new Map<string, number>();
  #symbol = new Uint32Array(0);
  /** Bit 0: side is sell; bit 1: closes the position; bits 2–3: exit reason. */
  #flags = new Uint8Array(0);
  /** Entry and exit time per trade. */
  #times = new Float64Array(0);
  #netPnl = new Float64Array(0);
  /** Units of each amount: low 64 bits (unsigned) and high 64 bits (signed). */
  #low = new BigUint64Array(0);
  #high = new BigInt64Array(0);
  #scales = new Uint8Array(0);
  readonly #wide = new Map<number, Trade>();
  #list: Trade[] | undefined;

  /** Number of trades. */
  get length(): number {
    return this.#count;
  }

  /** Net P&L of each trade as a number (the nearest double of the exact amount), in the order they closed. */
  get netPnl(): Float64Array {
    return this.#netPnl.subarray(0, this.#count);
  }

  /** Appends the trade `trade`, realised as `r`; `netPnl` is `trade.netPnl.toNumber()`, already computed by the caller. */
  add(trade: Trade, r: Realization, netPnl: number): void {
    const i = this.#count;
    if (i === this.#capacity) this.#grow();
    this.#count = i + 1;
    this.#list = undefined;
    let sym = this.#symbolIndex.get(r.symbol);
    if (sym === undefined) {
      sym = this.#symbols.length;
      this.#symbols.push(r.symbol);
      this.#symbolIndex.set(r.symbol, sym);
    }
    this.#symbol[i] = sym;
    this.#flags[i] = (r.side === "sell" ? 1 : 0) | (r.closesPosition ? 2 : 0) | (REASONS.indexOf(trade.exitReason) << 2);
    this.#times[2 * i] = r.entryTime;
    this.#times[2 * i + 1] = r.exitTime;
    this.#netPnl[i] = netPnl;
    const k = AMOUNTS * i;
    if (!(this.#put(k, r.exitPrice) && this.#put(k + 1, r.quantity) && this.#put(k + 2, r.grossPnl) && this.#put(k + 3, r.fees) && this.#put(k + 4, r.entryCost))) {
      this.#wide.set(i, trade);
    }
  }

  /** Every trade as an object, in the order they closed (built on the first call, then the same array). */
  list(): readonly Trade[] {
    if (this.#list) return this.#list;
    const out: Trade[] = new Array(this.#count);
    for (let i = 0; i < this.#count; i++) out[i] = this.#wide.get(i) ?? this.#build(i);
    return (this.#list = out);
  }

  #build(i: number): Trade {
    const f = this.#flags[i]!;
    const k = AMOUNTS * i;
    const grossPnl = this.#amount(k + 2);
    const fees = this.#amount(k + 3);
    return new TradeRecord(
      {
        symbol: this.#symbols[this.#symbol[i]!]!,
        side: (f & 1) === 1 ? SELL : BUY,
        entryTime: this.#times[2 * i]!,
        exitTime: this.#times[2 * i + 1]!,
        exitPrice: this.#amount(k),
        quantity: this.#amount(k + 1),
        grossPnl,
        fees,
        netPnl: grossPnl.minus(fees),
        closesPosition: (f & 2) === 2,
        entryCost: this.#amount(k + 4),
      },
      REASONS[(f >> 2) & 3]!,
    );
  }

  #amount(k: number): Money {
    return Money.scaled((this.#high[k]! << 64n) + this.#low[k]!, this.#scales[k]!);
  }

  #put(k: number, m: Money): boolean {
    const u = m.units;
    const s = m.scale;
    if (u < INT128_MIN || u > INT128_MAX || s > 255) return false;
    // Storing a BigInt into a 64-bit column wraps it without allocating; only the high part of a wide amount needs
    // a shift.
    this.#low[k] = u;
    this.#high[k] = u >= INT64_MIN && u <= INT64_MAX ? (u < 0n ? -1n : 0n) : u >> 64n;
    this.#scales[k] = s;
    return true;
  }

  #grow(): void {
    const cap = this.#capacity === 0 ? 64 : this.#capacity * 2;
    this.#symbol = resized(this.#symbol, cap);
    this.#flags = resized(this.#flags, cap);
    this.#times = resized(this.#times, 2 * cap);
    this.#netPnl = resized(this.#netPnl, cap);
    this.#low = resized(this.#low, AMOUNTS * cap);
    this.#high = resized(this.#high, AMOUNTS * cap);
    this.#scales = resized(this.#scales, AMOUNTS * cap);
    this.#capacity = cap;
  }
}

type Column = Uint8Array | Uint32Array | Float64Array | BigInt64Array | BigUint64Array;

/** A copy of `a` in a new array of the same kind and `length` elements. */
function resized<T extends Column>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  (b as unknown as { set(src: T): void }).set(a);
  return b;
}
