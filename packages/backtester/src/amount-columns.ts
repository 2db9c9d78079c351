import { Money } from "@tradeloom/types";
import type { ColumnBuffer } from "./column-buffer";

const TWO64 = 2 ** 64;
const TWO126 = 2 ** 126;

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

  /** Stores `m` as amount `k`; false when it does not fit: units of 2^126 or more, or a scale above 255. */
  set(k: number, m: Money): boolean {
    const u = m.units;
    const s = m.scale;
    // The units as a double tell their width without BigInt comparisons (each a call): rounding is monotonic and
    // powers of two are exact, so below 2^64 in magnitude the high half is the sign alone, and below 2^126 it fits.
    const x = Number(u);
    const a = x < 0 ? -x : x;
    if (!(a < TWO126) || s > 255) return false;
    // Storing a BigInt into a 64-bit column wraps it without allocating; only a wide amount's high half needs a shift.
    this.low[k] = u;
    this.high[k] = a < TWO64 ? (x < 0 ? -1n : 0n) : u >> 64n;
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
