import { atr } from "./atr";
import { directionalMovement } from "./directional-movement";
import { wilderSmooth } from "./wilder";

/** +DI and −DI columns. */
export interface DmiSeries {
  readonly plusDi: Float64Array;
  readonly minusDi: Float64Array;
}

/**
 * +DI / −DI (strategies.md §2.6): Wilder-smoothed ±DM over the Wilder ATR of the same period, times 100; absent
 * during warm-up or where the ATR is ≤ 0. Empty for period 0 or empty input.
 */
export function dmi(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, period: number): DmiSeries {
  const n = high.length;
  if (n === 0 || period < 1) return { plusDi: new Float64Array(0), minusDi: new Float64Array(0) };
  const dm = directionalMovement(high, low);
  const sp = wilderSmooth(dm.plus, period);
  const sm = wilderSmooth(dm.minus, period);
  const a = atr(high, low, close, period);
  const plusDi = new Float64Array(n).fill(NaN);
  const minusDi = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    const ai = a[i]!;
    if (ai > 0) {
      plusDi[i] = (100 * sp[i]!) / ai;
      minusDi[i] = (100 * sm[i]!) / ai;
    }
  }
  return { plusDi, minusDi };
}

/** DX of one bar from the two DIs (strategies.md §2.7): 0 when either is absent or both are 0. */
export function dx(plusDi: number, minusDi: number): number {
  if (Number.isNaN(plusDi) || Number.isNaN(minusDi)) return 0;
  const sum = plusDi + minusDi;
  return sum === 0 ? 0 : (100 * Math.abs(plusDi - minusDi)) / sum;
}
