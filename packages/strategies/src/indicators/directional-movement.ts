/**
 * Directional movement of one bar (strategies.md §2.6): `+DM = up` when `up > down` and `up > 0`, `−DM = down` when
 * `down > up` and `down > 0`, otherwise 0 (ties give 0 to both).
 */
export function plusDm(high: number, low: number, prevHigh: number, prevLow: number): number {
  const up = high - prevHigh;
  const down = prevLow - low;
  return up > down && up > 0 ? up : 0;
}

/** The −DM counterpart of {@link plusDm}. */
export function minusDm(high: number, low: number, prevHigh: number, prevLow: number): number {
  const up = high - prevHigh;
  const down = prevLow - low;
  return down > up && down > 0 ? down : 0;
}

/** `+DM` and `−DM` columns; both are 0 at index 0. */
export function directionalMovement(high: ArrayLike<number>, low: ArrayLike<number>): { plus: Float64Array; minus: Float64Array } {
  const n = high.length;
  const plus = new Float64Array(n);
  const minus = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    plus[i] = plusDm(high[i]!, low[i]!, high[i - 1]!, low[i - 1]!);
    minus[i] = minusDm(high[i]!, low[i]!, high[i - 1]!, low[i - 1]!);
  }
  return { plus, minus };
}
