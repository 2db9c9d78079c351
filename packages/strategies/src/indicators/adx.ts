import { minusDm, plusDm } from "./directional-movement";
import { dmi, dx } from "./dmi";
import { WindowAtr } from "./atr";
import { barTrueRange } from "./true-range";
import { WindowWilder } from "./wilder";
import { DEFAULT_CAPACITY, ringSize } from "./ring";

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
  // Raw per-bar inputs, kept apart from the smoothers so the ADX pass is a tight loop over typed arrays.
  private readonly mask: number;
  private readonly trRing: Float64Array;
  private readonly rangeRing: Float64Array;
  private readonly plusRing: Float64Array;
  private readonly minusRing: Float64Array;
  private prevHigh = NaN;
  private prevLow = NaN;
  private prevClose = NaN;
  private last = -1;
  private cachedStart = -1;
  private cachedIndex = -1;
  private cachedAdx = NaN;

  constructor(period: number, capacity: number = DEFAULT_CAPACITY) {
    this.period = period;
    this.atr = new WindowAtr(period, capacity);
    this.plus = new WindowWilder(period, capacity);
    this.minus = new WindowWilder(period, capacity);
    const size = ringSize(Math.max(capacity, period + 1));
    this.mask = size - 1;
    this.trRing = new Float64Array(size);
    this.rangeRing = new Float64Array(size);
    this.plusRing = new Float64Array(size);
    this.minusRing = new Float64Array(size);
  }

  /** Forgets everything; the next push is bar `firstIndex`. */
  reset(firstIndex: number): void {
    this.atr.reset(firstIndex);
    this.plus.reset(firstIndex);
    this.minus.reset(firstIndex);
    this.prevHigh = NaN;
    this.prevLow = NaN;
    this.prevClose = NaN;
    this.last = firstIndex - 1;
    this.cachedIndex = -1;
  }

  /** Feeds the next bar. */
  push(high: number, low: number, close: number): void {
    const started = !Number.isNaN(this.prevHigh);
    const pdm = started ? plusDm(high, low, this.prevHigh, this.prevLow) : 0;
    const mdm = started ? minusDm(high, low, this.prevHigh, this.prevLow) : 0;
    const i = ++this.last & this.mask;
    this.trRing[i] = started ? barTrueRange(high, low, this.prevClose) : high - low;
    this.rangeRing[i] = high - low;
    this.plusRing[i] = pdm;
    this.minusRing[i] = mdm;
    this.atr.push(high, low, close);
    this.plus.push(pdm, 0);
    this.minus.push(mdm, 0);
    this.prevHigh = high;
    this.prevLow = low;
    this.prevClose = close;
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
    const m = this.mask;
    const tr = this.trRing;
    const pr = this.plusRing;
    const mr = this.minusRing;
    // adx() over the window, rearranged for speed (agreement to ~1e-15, not bit for bit): the ATR cancels out of
    // DX = 100·|+DI − −DI|/(+DI + −DI), so only its sign matters, and a Wilder average of non-negative true ranges is
    // positive exactly when one of them is; divisions by the period become multiplications.
    const keep = (p - 1) / p;
    const add = 1 / p;
    let moving = this.rangeRing[start & m]! > 0;
    let sp = 0;
    let sm = 0;
    for (let i = start + 1; i < start + p; i++) {
      moving ||= tr[i & m]! > 0;
      sp += pr[i & m]!;
      sm += mr[i & m]!;
    }
    sp /= p;
    sm /= p;
    let dxSum = moving ? dxOf(sp, sm) : 0;
    const seedEnd = start + 2 * p - 2;
    for (let i = start + p; i <= seedEnd; i++) {
      moving ||= tr[i & m]! > 0;
      sp = sp * keep + pr[i & m]! * add;
      sm = sm * keep + mr[i & m]! * add;
      dxSum += moving ? dxOf(sp, sm) : 0;
    }
    let value = dxSum / p;
    for (let i = seedEnd + 1; i <= index; i++) {
      moving ||= tr[i & m]! > 0;
      sp = sp * keep + pr[i & m]! * add;
      sm = sm * keep + mr[i & m]! * add;
      value = value * keep + (moving ? dxOf(sp, sm) : 0) * add;
    }
    this.cachedStart = start;
    this.cachedIndex = index;
    this.cachedAdx = value;
    return value;
  }
}

/** DX from the smoothed directional movements (the ATR cancels); 0 when both are 0. */
function dxOf(smoothedPlus: number, smoothedMinus: number): number {
  const sum = smoothedPlus + smoothedMinus;
  return sum === 0 ? 0 : (100 * Math.abs(smoothedPlus - smoothedMinus)) / sum;
}
