/**
 * True range (strategies.md §2.3): `TR[0] = high − low`, then the largest of `high − low`, `|high − prevClose|`,
 * `|low − prevClose|`. Never absent.
 */
export function trueRange(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>): Float64Array {
  const n = high.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = i === 0 ? high[0]! - low[0]! : barTrueRange(high[i]!, low[i]!, close[i - 1]!);
  return out;
}

/** True range of one bar given the previous close. */
export function barTrueRange(high: number, low: number, prevClose: number): number {
  return Math.max(high - low, Math.abs(high - prevClose), Math.abs(low - prevClose));
}
