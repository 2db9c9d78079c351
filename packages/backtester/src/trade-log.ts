import { Money, type Side } from "@tradeloom/types";
import { type ExitReason, type Realization, type Trade, TradeRecord } from "@tradeloom/oms";

const REASONS: readonly ExitReason[] = ["target", "stop", "signal", "end_of_data"];
const BUY: Side = "buy";
const SELL: Side = "sell";
/** Amounts kept per trade, in this order: exit price, quantity, gross P&L, fees, entry cost. */
const AMOUNTS = 5;
const TWO64 = 2 ** 64;
const TWO126 = 2 ** 126;
/** Bytes per trade over every column: times and net P&L, two 64-bit halves per amount, symbol, flags, scales. */
const BYTES_PER_TRADE = 8 * 3 + 16 * AMOUNTS + 4 + 1 + AMOUNTS;
/** Trades the first buffer holds: a 1 d backtest fits; a 1 h one doubles it a few times. */
const FIRST_CAPACITY = 128;
const NO_F64 = new Float64Array(0);
const NO_U64 = new BigUint64Array(0);
const NO_I64 = new BigInt64Array(0);
const NO_U32 = new Uint32Array(0);
const NO_U8 = new Uint8Array(0);

/**
 * The realised trades of a run, kept in typed arrays while it runs and built as {@link Trade} objects on first read.
 *
 * Why: a backtest keeps every trade until it ends, and each kept object is copied by the young-generation collector
 * before it is promoted. A trade as objects (a record, six decimal amounts and their BigInts) is ≈ 700 bytes to copy;
 * as columns it is ≈ 70 bytes of typed arrays the collector never copies. On the 1 h data that made scavenges a third
 * of a trade-heavy run. Metrics read the net P&L column, so an optimizer's runs never build a trade object at all.
 *
 * Amounts are stored exactly as `units × 10^−scale`, the units in two 64-bit columns (a fee carries ≈ 20 digits:
 * 8-place price × 8-place quantity × fee rate); a trade with an amount of 2^126 units or more, or a scale above 255,
 * is kept as its object instead.
 */
export class TradeLog {
  #count = 0;
  #capacity = 0;
  readonly #symbols: string[] = [];
  readonly #symbolIndex = new Map<string, number>();
  // Empty until the first trade, shared: a run without trades allocates no buffer.
  #symbol = NO_U32;
  /** Bit 0: side is sell; bit 1: closes the position; bits 2–3: exit reason. */
  #flags = NO_U8;
  /** Entry and exit time per trade. */
  #times = NO_F64;
  #netPnl = NO_F64;
  /** Units of each amount: low 64 bits (unsigned) and high 64 bits (signed). */
  #low = NO_U64;
  #high = NO_I64;
  #scales = NO_U8;
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
    // The units as a double tell their width without BigInt comparisons (each a call): rounding is monotonic and
    // powers of two are exact, so below 2^64 in magnitude the high half is the sign alone, and below 2^126 it fits.
    const x = Number(u);
    const a = x < 0 ? -x : x;
    if (!(a < TWO126) || s > 255) return false;
    // Storing a BigInt into a 64-bit column wraps it without allocating; only a wide amount's high half needs a shift.
    this.#low[k] = u;
    this.#high[k] = a < TWO64 ? (x < 0 ? -1n : 0n) : u >> 64n;
    this.#scales[k] = s;
    return true;
  }

  #grow(): void {
    const cap = this.#capacity === 0 ? FIRST_CAPACITY : this.#capacity * 2;
    // One buffer carved into every column: creating an ArrayBuffer costs more than a short backtest's whole log.
    const buffer = new ArrayBuffer(cap * BYTES_PER_TRADE);
    let at = 0;
    const times = new Float64Array(buffer, at, 2 * cap);
    at += times.byteLength;
    const netPnl = new Float64Array(buffer, at, cap);
    at += netPnl.byteLength;
    const low = new BigUint64Array(buffer, at, AMOUNTS * cap);
    at += low.byteLength;
    const high = new BigInt64Array(buffer, at, AMOUNTS * cap);
    at += high.byteLength;
    const symbol = new Uint32Array(buffer, at, cap);
    at += symbol.byteLength;
    const flags = new Uint8Array(buffer, at, cap);
    at += flags.byteLength;
    const scales = new Uint8Array(buffer, at, AMOUNTS * cap);
    times.set(this.#times);
    netPnl.set(this.#netPnl);
    low.set(this.#low);
    high.set(this.#high);
    symbol.set(this.#symbol);
    flags.set(this.#flags);
    scales.set(this.#scales);
    this.#times = times;
    this.#netPnl = netPnl;
    this.#low = low;
    this.#high = high;
    this.#symbol = symbol;
    this.#flags = flags;
    this.#scales = scales;
    this.#capacity = cap;
  }
}
