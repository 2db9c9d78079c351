import { minusDm, plusDm } from "./directional-movement";
import { dmi, dx } from "./dmi";
import { WindowAtr } from "./atr";
import { WindowWilder } from "./wilder";
import { DEFAULT_CAPACITY } from "./ring";

/**
 * ADX (strategies.md §2.7): DX from index `period − 1` (0 where the DIs are absent), first ADX at `2·period − 2` as
 * the mean of the first `period` DX values, then Wilder smoothing. Empty for period 0 or empty input; all absent when
 * fewer than `2·period − 1` bars.
 */
export function adx(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, period: number): Float64Array {
  const n = high.length;
  if (n === 0 || period < 1) return new Float64Array(0);
  const out = new Float64Array(n).fill(NaN);
  if (n < 2 * period - 1) return out;
  const { plusDi, minusDi } = dmi(high, low, close, period);
  let sum = 0;
  for (let i = period - 1; i <= 2 * period - 2; i++) sum += dx(plusDi[i]!, minusDi[i]!);
  let a = sum / period;
  out[2 * period - 2] = a;
  for (let i = 2 * period - 1; i < n; i++) {
    a = (a * (period - 1) + dx(plusDi[i]!, minusDi[i]!)) / period;
    out[i] = a;
  }
  return out;
}

/**
 * Window-exact streaming +DI/−DI and ADX.
 *
 * The DIs are ratios of linear recursions, so they are answered in O(1) like the ATR. DX is not linear in the window
 * start, so the ADX of a window cannot be updated in constant time: {@link WindowDirectional.adxAt} recomputes it over
 * the window from the stored per-bar inputs (no allocation, ~window-length steps), only when asked, and remembers the
 * last answer. Strategies therefore ask for it last, after every cheaper condition held.
 */
export class WindowDirectional {
  readonly period: number;
  private readonly atr: WindowAtr;
  private readonly plus: WindowWilder;
  private readonly minus: WindowWilder;
  private prevHigh = NaN;
  private prevLow = NaN;
  private cachedStart = -1;
  private cachedIndex = -1;
  private cachedAdx = NaN;

  constructor(period: number, capacity: number = DEFAULT_CAPACITY) {
    this.period = period;
    this.atr = new WindowAtr(period, capacity);
    this.plus = new WindowWilder(period, capacity);
    this.minus = new WindowWilder(period, capacity);
  }

  /** Forgets everything; the next push is bar `firstIndex`. */
  reset(firstIndex: number): void {
    this.atr.reset(firstIndex);
    this.plus.reset(firstIndex);
    this.minus.reset(firstIndex);
    this.prevHigh = NaN;
    this.prevLow = NaN;
    this.cachedIndex = -1;
  }

  /** Feeds the next bar. */
  push(high: number, low: number, close: number): void {
    const started = !Number.isNaN(this.prevHigh);
    this.atr.push(high, low, close);
    this.plus.push(started ? plusDm(high, low, this.prevHigh, this.prevLow) : 0, 0);
    this.minus.push(started ? minusDm(high, low, this.prevHigh, this.prevLow) : 0, 0);
    this.prevHigh = high;
    this.prevLow = low;
    this.cachedIndex = -1;
  }

  /** True when the window `start … index` can be answered. */
  covers(start: number, index: number): boolean {
    return this.atr.covers(start, index);
  }

  /** ATR of the same period at `index` of the window starting at `start`; NaN during warm-up. */
  atrAt(start: number, index: number): number {
    return this.atr.at(start, index);
  }

  /** +DI at `index` of the window starting at `start`; NaN during warm-up or when the ATR is ≤ 0. */
  plusDiAt(start: number, index: number): number {
    const a = this.atr.at(start, index);
    return a > 0 ? (100 * this.plus.at(start, index)) / a : NaN;
  }

  /** −DI at `index` of the window starting at `start`; NaN during warm-up or when the ATR is ≤ 0. */
  minusDiAt(start: number, index: number): number {
    const a = this.atr.at(start, index);
    return a > 0 ? (100 * this.minus.at(start, index)) / a : NaN;
  }

  /** ADX at `index` of the window starting at `start`; NaN during warm-up. Costs O(index − start) unless cached. */
  adxAt(start: number, index: number): number {
    const p = this.period;
    if (p < 1 || index - start < 2 * p - 2) return NaN;
    if (start === this.cachedStart && index === this.cachedIndex) return this.cachedAdx;
    if (!this.covers(start, index)) this.atr.at(start, index); // throws the coverage error
    // Same arithmetic, in the same order, as adx() over the window: results agree bit for bit.
    let trSum = 0;
    let pSum = 0;
    let mSum = 0;
    for (let i = start; i < start + p; i++) {
      trSum += this.atr.trueRangeAt(start, i);
      pSum += this.plus.inputAt(start, i);
      mSum += this.minus.inputAt(start, i);
    }
    let a = trSum / p;
    let sp = pSum / p;
    let sm = mSum / p;
    let dxSum = directionalIndex(sp, sm, a);
    const seedEnd = start + 2 * p - 2;
    for (let i = start + p; i <= seedEnd; i++) {
      a = (a * (p - 1) + this.atr.trueRangeAt(start, i)) / p;
      sp = (sp * (p - 1) + this.plus.inputAt(start, i)) / p;
      sm = (sm * (p - 1) + this.minus.inputAt(start, i)) / p;
      dxSum += directionalIndex(sp, sm, a);
    }
    let value = dxSum / p;
    for (let i = seedEnd + 1; i <= index; i++) {
      a = (a * (p - 1) + this.atr.trueRangeAt(start, i)) / p;
      sp = (sp * (p - 1) + this.plus.inputAt(start, i)) / p;
      sm = (sm * (p - 1) + this.minus.inputAt(start, i)) / p;
      value = (value * (p - 1) + directionalIndex(sp, sm, a)) / p;
    }
    this.cachedStart = start;
    this.cachedIndex = index;
    this.cachedAdx = value;
    return value;
  }
}

function directionalIndex(smoothedPlus: number, smoothedMinus: number, atrValue: number): number {
  return atrValue > 0 ? dx((100 * smoothedPlus) / atrValue, (100 * smoothedMinus) / atrValue) : 0;
}
