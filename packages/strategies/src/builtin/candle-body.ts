/**
 * quick_flip's "strong" candle test (strategies.md §6.2): the candle closes up (down) and, unless `bodyRatio ≤ 0`,
 * its body is at least `bodyRatio` of its range; a zero-range candle is never strong when the ratio applies.
 */
export function strongCandle(direction: 1 | -1, open: number, high: number, low: number, close: number, bodyRatio: number): boolean {
  const body = direction * (close - open);
  if (!(body > 0)) return false;
  if (bodyRatio <= 0) return true;
  const range = high - low;
  return range > 0 && body / range >= bodyRatio;
}
