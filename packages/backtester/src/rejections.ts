import type { Money, Side } from "@tradeloom/types";
import type { ExecutionEngine, Explanation } from "@tradeloom/oms";
import { type AmountColumns, readAmount, writeAmount } from "./amount-columns";

/** An order refused by the ledger (a buy cash could not pay, a reduce-only order with nothing to reduce, …). */
export interface RejectedOrder {
  readonly time: number;
  readonly symbol: string;
  readonly side: Side;
  readonly clientId: string | undefined;
  readonly reason: string;
}

// A refusal's flags: bit 0 the side (1 = sell), bits 1–2 how its reason is kept, bit 3 a maker fill.
const SELL = 1;
/** The text or explanation given, kept as it is (rare refusals: the ledger's own at execution). */
const GIVEN = 0 << 1;
/** A buy cash could not pay: its price, quantity and the cash then, written out when read. */
const CASH = 1 << 1;
/** A size that is not a positive number: `invalid quantity …`. */
const INVALID_QUANTITY = 2 << 1;
/** A size that floors to zero at the lot step: `quantity … is below the lot step`. */
const BELOW_LOT_STEP = 3 << 1;
const KIND = 3 << 1;
const MAKER = 1 << 3;

/** The quantity and the cash of each cash refusal, growing with the list. */
class RefusalAmounts implements AmountColumns {
  low = new BigUint64Array(0);
  high = new BigInt64Array(0);
  scales = new Uint8Array(0);

  grow(refusals: number): void {
    const low = new BigUint64Array(2 * refusals);
    const high = new BigInt64Array(2 * refusals);
    const scales = new Uint8Array(2 * refusals);
    low.set(this.low);
    high.set(this.high);
    scales.set(this.scales);
    this.low = low;
    this.high = high;
    this.scales = scales;
  }
}

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
  #time = new Float64Array(0);
  /** The price of a cash refusal; the size asked for by a quantity refusal. */
  #value = new Float64Array(0);
  #flags = new Uint8Array(0);
  #symbol = new Uint32Array(0);
  /** Index into `#names` + 1, or 0 for no client id. */
  #clientId = new Uint32Array(0);
  readonly #amounts = new RefusalAmounts();
  /** Symbols and client ids, each once (a run has a handful). */
  readonly #names: string[] = [];
  readonly #nameIndex = new Map<string, number>();
  readonly #given = new Map<number, string | Explanation>();
  #list: RejectedOrder[] | undefined;

  /** @param ledger - the run's ledger: it writes the message of a cash refusal. */
  constructor(ledger: ExecutionEngine) {
    this.#ledger = ledger;
  }

  /** Number of refusals. */
  get length(): number {
    return this.#count;
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
    const a = this.#amounts;
    if (!writeAmount(a, 2 * k, quantity) || !writeAmount(a, 2 * k + 1, cash)) {
      this.#flags[k] = (this.#flags[k]! & ~(KIND | MAKER)) | GIVEN;
      this.#given.set(k, this.#ledger.cashShortfall(price, quantity, maker, cash));
    }
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
    for (let k = 0; k < this.#count; k++) {
      const c = this.#clientId[k]!;
      out[k] = {
        time: this.#time[k]!,
        symbol: this.#names[this.#symbol[k]!]!,
        side: (this.#flags[k]! & SELL) === SELL ? "sell" : "buy",
        clientId: c === 0 ? undefined : this.#names[c - 1],
        reason: this.#reason(k),
      };
    }
    return (this.#list = out);
  }

  #reason(k: number): string {
    const flags = this.#flags[k]!;
    const value = this.#value[k]!;
    switch (flags & KIND) {
      case CASH: {
        const a = this.#amounts;
        return this.#ledger.cashShortfall(value, readAmount(a, 2 * k), (flags & MAKER) === MAKER, readAmount(a, 2 * k + 1)).reason;
      }
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
    if (k === this.#time.length) this.#grow(Math.max(16, 2 * k));
    this.#count = k + 1;
    this.#list = undefined;
    this.#time[k] = time;
    this.#value[k] = value;
    this.#flags[k] = side === "sell" ? flags | SELL : flags;
    this.#symbol[k] = this.#name(symbol);
    this.#clientId[k] = clientId === undefined ? 0 : this.#name(clientId) + 1;
    return k;
  }

  #name(s: string): number {
    let i = this.#nameIndex.get(s);
    if (i === undefined) {
      i = this.#names.length;
      this.#names.push(s);
      this.#nameIndex.set(s, i);
    }
    return i;
  }

  #grow(capacity: number): void {
    const time = new Float64Array(capacity);
    const value = new Float64Array(capacity);
    const flags = new Uint8Array(capacity);
    const symbol = new Uint32Array(capacity);
    const clientId = new Uint32Array(capacity);
    time.set(this.#time);
    value.set(this.#value);
    flags.set(this.#flags);
    symbol.set(this.#symbol);
    clientId.set(this.#clientId);
    this.#time = time;
    this.#value = value;
    this.#flags = flags;
    this.#symbol = symbol;
    this.#clientId = clientId;
    this.#amounts.grow(capacity);
  }
}
