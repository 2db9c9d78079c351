import { Money } from "@tradeloom/types";
import type { ColumnBuffer } from "./column-buffer";

/** Units within ±2^64 keep only their sign in the high half. */
const NEG_TWO_64 = -(2n ** 64n);
const TWO_64 = 2n ** 64n;
/** The units two 64-bit halves hold (−2^127 … 2^127 − 1): the high half is signed. */
const NEG_TWO_127 = -(2n ** 127n);
const TWO_127 = 2n ** 127n;

/**
 * Exact decimal amounts kept in typed arrays, each as `units × 10^−scale`: the units in two 64-bit columns (low half
 * unsigned, high half signed), the scale in a byte. Why: a run keeps its trades and refusals until it ends, and an
 * amount kept as a {@link Money} (and its BigInt) is two objects the young-generation collector copies, and that a
 * container moved to the old generation keeps alive after the run; a typed array holds no object.
 */
export class AmountColumns {
  /** Bytes per amount. */
  static readonly BYTES = 8 + 8 + 1;
  /** The units' low 64 bits, unsigned. */
  readonly low: BigUint64Array;
  /** The units' high 64 bits, signed: the sign alone for units below 2^64 in magnitude. */
  readonly high: BigInt64Array;
  /** The scale: the value is `units × 10^−scale`. */
  readonly scales: Uint8Array;

  /** `count` amounts carved from `buffer`. */
  constructor(buffer: ColumnBuffer, count: number) {
    this.low = buffer.u64(count);
    this.high = buffer.i64(count);
    this.scales = buffer.u8(count);
  }

  /** Amount `k`. */
  get(k: number): Money {
    return Money.scaled((this.high[k]! << 64n) + this.low[k]!, this.scales[k]!);
  }

  /** Stores `m` as amount `k`; false when it does not fit: units beyond −2^127 … 2^127 − 1, or a scale above 255. */
  set(k: number, m: Money): boolean {
    const u = m.units;
    const s = m.scale;
    if (s > 255) return false;
    // Comparisons, not the units as a double: a BigInt comparison is compiled inline, `Number(u)` is a runtime call
    // (five amounts per trade). Storing a BigInt into a 64-bit column wraps it without allocating; within ±2^64 the
    // high half is the sign alone, and only a wider amount's high half needs a shift.
    if (u >= NEG_TWO_64 && u < TWO_64) this.high[k] = u < 0n ? -1n : 0n;
    else if (u >= NEG_TWO_127 && u < TWO_127) this.high[k] = u >> 64n;
    else return false;
    this.low[k] = u;
    this.scales[k] = s;
    return true;
  }

  /** Stores amount `from` again as amount `to`; true, as {@link AmountColumns.set} of a fitting amount. */
  copy(from: number, to: number): boolean {
    this.low[to] = this.low[from]!;
    this.high[to] = this.high[from]!;
    this.scales[to] = this.scales[from]!;
    return true;
  }

  /** Copies the first amounts of `from` (all of them: `from` holds no more than this). */
  copyFrom(from: AmountColumns): void {
    this.low.set(from.low);
    this.high.set(from.high);
    this.scales.set(from.scales);
  }
}
