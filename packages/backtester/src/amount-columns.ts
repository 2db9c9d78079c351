import { Money } from "@tradeloom/types";

const TWO64 = 2 ** 64;
const TWO126 = 2 ** 126;

/**
 * Exact decimal amounts kept in typed arrays, each as `units × 10^−scale`: the units in two 64-bit columns (low half
 * unsigned, high half signed), the scale in a byte. Why: a run keeps its trades and refusals until it ends, and an
 * amount kept as a {@link Money} (and its BigInt) is two objects the young-generation collector copies, and that a
 * container moved to the old generation keeps alive after the run; a typed array holds no object.
 */
export interface AmountColumns {
  readonly low: BigUint64Array;
  readonly high: BigInt64Array;
  readonly scales: Uint8Array;
}

/** Amount `k` of `c`. */
export function readAmount(c: AmountColumns, k: number): Money {
  return Money.scaled((c.high[k]! << 64n) + c.low[k]!, c.scales[k]!);
}

/** Stores `m` as amount `k` of `c`; false when it does not fit: units of 2^126 or more, or a scale above 255. */
export function writeAmount(c: AmountColumns, k: number, m: Money): boolean {
  const u = m.units;
  const s = m.scale;
  // The units as a double tell their width without BigInt comparisons (each a call): rounding is monotonic and
  // powers of two are exact, so below 2^64 in magnitude the high half is the sign alone, and below 2^126 it fits.
  const x = Number(u);
  const a = x < 0 ? -x : x;
  if (!(a < TWO126) || s > 255) return false;
  // Storing a BigInt into a 64-bit column wraps it without allocating; only a wide amount's high half needs a shift.
  c.low[k] = u;
  c.high[k] = a < TWO64 ? (x < 0 ? -1n : 0n) : u >> 64n;
  c.scales[k] = s;
  return true;
}
