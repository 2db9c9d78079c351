import type { Money, Side } from "@tradeloom/types";
import type { ExecutionEngine, Explanation } from "@tradeloom/oms";
import { AmountColumns } from "./amount-columns";
import { ColumnBuffer } from "./column-buffer";

/** An order the ledger or the engine refused (a buy cash could not pay, a size below the lot step, …), and why. */
export interface RejectedOrder {
  readonly time: number;
  readonly symbol: string;
  readonly side: Side;
  readonly clientId: string | undefined;
  readonly reason: string;
}

// A refusal's flags: bits 1–2 how its reason is kept, bit 3 a maker fill.
/** The text or explanation given, kept as it is: the ledger's own refusals at execution (rare), and a cash refusal whose
 * amounts do not fit the columns. */
const GIVEN = 0 << 1;
/** A buy cash could not pay: its price, quantity and the cash then, written out when read. */
const CASH = 1 << 1;
/** A size that is not a positive number: `invalid quantity …`. */
const INVALID_QUANTITY = 2 << 1;
/** A size that floors to zero at the lot step: `quantity … is below the lot step`. */
const BELOW_LOT_STEP = 3 << 1;
const KIND = 3 << 1;
const MAKER = 1 << 3;

/** Bytes per refusal: time, value, two amounts, symbol, side, client id, flags. */
const REFUSAL_BYTES = 8 + 8 + 2 * AmountColumns.BYTES + 4 + 4 + 4 + 1;

/**
 * The columns of `capacity` refusals, carved from one buffer: a run that refuses grows its list a few times. Amounts
 * `2k` and `2k + 1` are refusal `k`'s quantity and cash.
 */
class RefusalColumns {
  readonly capacity: number;
  /** Bits 1–2: how the reason is kept; bit 3: a maker fill. */
  readonly flags: Uint8Array;
  readonly time: Float64Array;
  /** Symbol and side: indices into the names (the side as given, even from a strategy that is not type-checked). */
  readonly symbol: Uint32Array;
  readonly side: Uint32Array;
  /** Index into the names + 1, or 0 for no client id. */
  readonly clientId: Uint32Array;
  /** The price of a cash refusal; the size asked for by a quantity refusal. */
  readonly value: Float64Array;
  /** Refusal `k`'s quantity and cash are amounts `2k` and `2k + 1`. */
  readonly amounts: AmountColumns;

  constructor(capacity: number) {
    this.capacity = capacity;
    const b = new ColumnBuffer(capacity * REFUSAL_BYTES + ColumnBuffer.SLACK);
    this.flags = b.u8(capacity);
    this.time = b.f64(capacity);
    this.symbol = b.u32(capacity);
    this.side = b.u32(capacity);
    this.clientId = b.u32(capacity);
    this.value = b.f64(capacity);
    this.amounts = new AmountColumns(b, 2 * capacity);
  }

  /** A copy with room for `capacity` refusals. */
  grown(capacity: number): RefusalColumns {
    const c = new RefusalColumns(capacity);
    c.time.set(this.time);
    c.value.set(this.value);
    c.amounts.copyFrom(this.amounts);
    c.symbol.set(this.symbol);
    c.side.set(this.side);
    c.clientId.set(this.clientId);
    c.flags.set(this.flags);
    return c;
  }
}

/** The columns of a list without refusals, shared: a run that refuses nothing allocates no buffer. */
const NO_REFUSALS = new RefusalColumns(0);

/**
 * The orders refused in a run, kept as numbers in typed arrays and written out as {@link RejectedOrder} records on first
 * read.
 *
 * Why: a strategy may ask on every bar for an entry it cannot pay (momentum_scalper's 1 h run: 2,752 refusals; a grid's
 * sizes below the lot step: 3,300), and an optimizer's runs never read them. Kept as objects (an explanation, its
 * amounts, a message), each refusal was copied by the young-generation collector, and once V8 had moved the lists,
 * which live as long as the run, to the old generation, they kept every refusal alive after the run until the next
 * full collection: a quarter of the time of momentum_scalper's 1 d backtests run back to back.
 */
export class Rejections {
  readonly #ledger: ExecutionEngine;
  #count = 0;
  #c = NO_REFUSALS;
  /** Symbols and client ids, each once (a run has a handful). */
  readonly #names: string[] = ["buy", "sell"];
  readonly #nameIndex = new Map<string, number>([
    ["buy", 0],
    ["sell", 1],
  ]);
  #lastName = 0;
  readonly #given = new Map<number, string | Explanation>();
  /** The cash of the latest cash refusal kept as amounts, and that refusal. */
  #lastCash: Money | undefined;
  #lastCashRefusal = 0;
  #list: RejectedOrder[] | undefined;

  /** @param ledger - the run's ledger: it writes the message of a cash refusal. */
  constructor(ledger: ExecutionEngine) {
    this.#ledger = ledger;
  }

  /** A refusal whose reason is given: a text, or an explanation written when read. */
  addGiven(time: number, symbol: string, side: Side, clientId: string | undefined, why: string | Explanation): void {
    const k = this.#add(time, symbol, side, clientId, GIVEN, Number.NaN);
    this.#given.set(k, why);
  }

  /**
   * A buy of `quantity` at `price` that `cash` could not pay: its message is the ledger's
   * {@link ExecutionEngine.cashShortfall}, written when read.
   */
  addCashShortfall(time: number, symbol: string, side: Side, clientId: string | undefined, price: number, quantity: Money, maker: boolean, cash: Money): void {
    const k = this.#add(time, symbol, side, clientId, maker ? CASH | MAKER : CASH, price);
    const a = this.#c.amounts;
    // Cash changes only at fills: refusals between two fills repeat the last cash, copied rather than converted again.
    const stored = cash === this.#lastCash ? a.copy(2 * this.#lastCashRefusal + 1, 2 * k + 1) : a.set(2 * k + 1, cash);
    if (!stored || !a.set(2 * k, quantity)) {
      this.#c.flags[k] = (this.#c.flags[k]! & ~(KIND | MAKER)) | GIVEN;
      this.#given.set(k, this.#ledger.cashShortfall(price, quantity, maker, cash));
      return;
    }
    this.#lastCash = cash;
    this.#lastCashRefusal = k;
  }

  /** A size asked for that is not a positive number. */
  addInvalidQuantity(time: number, symbol: string, side: Side, clientId: string | undefined, quantity: number): void {
    this.#add(time, symbol, side, clientId, INVALID_QUANTITY, quantity);
  }

  /** A size asked for that floors to zero at the lot step. */
  addBelowLotStep(time: number, symbol: string, side: Side, clientId: string | undefined, quantity: number): void {
    this.#add(time, symbol, side, clientId, BELOW_LOT_STEP, quantity);
  }

  /** Every refusal, in the order they happened (built on the first call, then the same array). */
  list(): readonly RejectedOrder[] {
    if (this.#list) return this.#list;
    const out: RejectedOrder[] = new Array(this.#count);
    const c = this.#c;
    for (let k = 0; k < this.#count; k++) {
      const id = c.clientId[k]!;
      out[k] = {
        time: c.time[k]!,
        symbol: this.#names[c.symbol[k]!]!,
        side: this.#names[c.side[k]!] as Side,
        clientId: id === 0 ? undefined : this.#names[id - 1],
        reason: this.#reason(k),
      };
    }
    return (this.#list = out);
  }

  #reason(k: number): string {
    const c = this.#c;
    const flags = c.flags[k]!;
    const value = c.value[k]!;
    switch (flags & KIND) {
      case CASH:
        return this.#ledger.cashShortfall(value, c.amounts.get(2 * k), (flags & MAKER) === MAKER, c.amounts.get(2 * k + 1)).reason;
      case INVALID_QUANTITY:
        return `invalid quantity ${value}`;
      case BELOW_LOT_STEP:
        return `quantity ${value} is below the lot step`;
      default: {
        const why = this.#given.get(k)!;
        return typeof why === "string" ? why : why.reason;
      }
    }
  }

  #add(time: number, symbol: string, side: Side, clientId: string | undefined, flags: number, value: number): number {
    const k = this.#count;
    if (k === this.#c.capacity) this.#c = this.#c.grown(Math.max(32, 2 * k));
    const c = this.#c;
    this.#count = k + 1;
    this.#list = undefined;
    c.time[k] = time;
    c.value[k] = value;
    c.flags[k] = flags;
    c.symbol[k] = this.#name(symbol);
    c.side[k] = side === "buy" ? 0 : side === "sell" ? 1 : this.#name(side);
    c.clientId[k] = clientId === undefined ? 0 : this.#name(clientId) + 1;
    return k;
  }

  #name(s: string): number {
    // Refusals come in runs of one symbol's bars.
    if (s === this.#names[this.#lastName]) return this.#lastName;
    let i = this.#nameIndex.get(s);
    if (i === undefined) {
      i = this.#names.length;
      this.#names.push(s);
      this.#nameIndex.set(s, i);
    }
    this.#lastName = i;
    return i;
  }
}
