import type { CandleSeries } from "@tradeloom/types";
import { minusDm, plusDm } from "./directional-movement";
import { dmi, dx } from "./dmi";
import { WindowAtr } from "./atr";
import { barTrueRange } from "./true-range";
import { WindowWilder } from "./wilder";
import { DEFAULT_CAPACITY, notCovered, powers, ringSize, ringArray } from "./ring";

/** {@link WindowAdx.compareAt}'s bound samples the reference chain's ±DM sum once every this many bars. */
const BOUND_SAMPLE_STEP = 32;

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
 * Window-exact streaming ADX.
 *
 * DX is not linear in the window start, so the ADX of a window cannot be updated in constant time: {@link
 * WindowAdx.adxAt} recomputes it over the window from per-bar inputs kept in rings (no allocation, one tight pass of
 * ~window-length steps, about 1 µs for 300 bars), only when asked, and remembers the last answer. Feeding is O(1).
 *
 * Strategies only compare the ADX with a level, and {@link WindowAdx.compareAt} mostly answers that without the pass:
 * the recursion run from the first bar fed (the reference chain, updated on every push) differs from the window's
 * only through seeds the Wilder smoothing forgets at (1 − 1/period) per bar, so after 300 bars the two ADX values are
 * provably within ~1e-4 of each other (see {@link WindowAdx.compareAt}); only a level inside that band needs the pass.
 */
export class WindowAdx {
  readonly period: number;
  private readonly capacity: number;
  private readonly mask: number;
  private readonly trRing: Float64Array;
  private readonly rangeRing: Float64Array;
  private readonly plusRing: Float64Array;
  private readonly minusRing: Float64Array;
  private prevHigh = NaN;
  private prevLow = NaN;
  private prevClose = NaN;
  private first = 0;
  private last = -1;
  private cachedStart = -1;
  private cachedIndex = -1;
  private cachedAdx = NaN;
  /** `(p−1)/p` and `1/p`, the smoothing weights of {@link WindowAdx.adxAt}. */
  private readonly keep: number;
  private readonly add: number;
  /** `keep^j`, for the error bound of {@link WindowAdx.compareAt}. */
  private readonly keepPowers: Float64Array;
  /**
   * The reference chain, {@link WindowAdx.adxAt}'s pass for windows starting at `refStart`, advanced on demand up to
   * `refNext − 1`: per bar, the smoothed ±DM and, once ready, the ADX.
   */
  private readonly refPlus: Float64Array;
  private readonly refMinus: Float64Array;
  private readonly refAdx: Float64Array;
  private refStart = 0;
  private refNext = 0;
  private refMoving = false;
  private refSp = 0;
  private refSm = 0;
  private refDxSum = 0;
  private refValue = 0;
  /**
   * {@link WindowAdx.referenceBound}'s last minimum of the reference chain's ±DM sum over the samples at multiples of
   * {@link BOUND_SAMPLE_STEP} from `minFirst` to `minLast` (−1: none). Consecutive windows share their samples but at
   * the two ends, so the minimum is recomputed once every ~16 bars instead of on every comparison.
   */
  private minFirst = -1;
  private minLast = -1;
  private minSum = 0;

  constructor(period: number, capacity: number = DEFAULT_CAPACITY) {
    this.period = period;
    this.capacity = ringSize(Math.max(capacity, period + 1));
    this.mask = this.capacity - 1;
    this.trRing = ringArray(this.capacity);
    this.rangeRing = ringArray(this.capacity);
    this.plusRing = ringArray(this.capacity);
    this.minusRing = ringArray(this.capacity);
    this.keep = (period - 1) / period;
    this.add = 1 / period;
    this.keepPowers = powers(this.keep, this.capacity);
    this.refPlus = ringArray(this.capacity);
    this.refMinus = ringArray(this.capacity);
    this.refAdx = ringArray(this.capacity);
  }

  /** Forgets everything; the next push is bar `firstIndex`. */
  reset(firstIndex: number): void {
    this.prevHigh = NaN;
    this.prevLow = NaN;
    this.prevClose = NaN;
    this.first = firstIndex;
    this.last = firstIndex - 1;
    this.cachedIndex = -1;
    this.restartReference(firstIndex);
  }

  /** Feeds the next bar. */
  push(high: number, low: number, close: number): void {
    const i = ++this.last & this.mask;
    if (Number.isNaN(this.prevHigh)) {
      this.trRing[i] = high - low;
      this.plusRing[i] = 0;
      this.minusRing[i] = 0;
    } else {
      this.trRing[i] = barTrueRange(high, low, this.prevClose);
      this.plusRing[i] = plusDm(high, low, this.prevHigh, this.prevLow);
      this.minusRing[i] = minusDm(high, low, this.prevHigh, this.prevLow);
    }
    this.rangeRing[i] = high - low;
    this.prevHigh = high;
    this.prevLow = low;
    this.prevClose = close;
    this.cachedIndex = -1;
  }

  /** Feeds bars `from … to` of `series`, as {@link WindowAdx.push} would one by one (see {@link WindowAtr.pushBars}). */
  pushBars(series: CandleSeries, from: number, to: number): void {
    if (to < from) return;
    const { high, low, close } = series;
    const m = this.mask;
    const trRing = this.trRing;
    const rangeRing = this.rangeRing;
    const plusRing = this.plusRing;
    const minusRing = this.minusRing;
    // The previous bar's prices in registers rather than fields (see `SeededEma.pushValues`).
    let prevHigh = this.prevHigh;
    let prevLow = this.prevLow;
    let prevClose = this.prevClose;
    let last = this.last;
    for (let j = from; j <= to; j++) {
      const h = high[j]!;
      const l = low[j]!;
      const i = ++last & m;
      if (Number.isNaN(prevHigh)) {
        trRing[i] = h - l;
        plusRing[i] = 0;
        minusRing[i] = 0;
      } else {
        trRing[i] = barTrueRange(h, l, prevClose);
        plusRing[i] = plusDm(h, l, prevHigh, prevLow);
        minusRing[i] = minusDm(h, l, prevHigh, prevLow);
      }
      rangeRing[i] = h - l;
      prevHigh = h;
      prevLow = l;
      prevClose = close[j]!;
    }
    this.last = last;
    this.prevHigh = prevHigh;
    this.prevLow = prevLow;
    this.prevClose = prevClose;
    this.cachedIndex = -1;
  }

  private restartReference(start: number): void {
    this.minFirst = -1;
    this.refStart = start;
    this.refNext = start;
    this.refMoving = false;
    this.refSp = 0;
    this.refSm = 0;
    this.refDxSum = 0;
    this.refValue = 0;
  }

  /**
   * Advances the reference chain to `index`, for a window starting at `start` (covered). It starts afresh at `start`
   * when it began after it or when the ring no longer holds the bars it would step over; otherwise it continues, so a
   * strategy asking on every bar pays one step per bar.
   */
  private advanceReferenceTo(start: number, index: number): void {
    if (this.refStart > start || this.refNext <= this.last - this.capacity) this.restartReference(start);
    for (let i = this.refNext; i <= index; i++) this.referenceStep(i);
    if (index >= this.refNext) this.refNext = index + 1;
  }

  /**
   * One step of {@link WindowAdx.adxAt}'s pass for the window starting at `refStart`, with the same operations in the
   * same order, so that window's ADX is available bit for bit.
   */
  private referenceStep(index: number): void {
    const p = this.period;
    const k = index - this.refStart;
    const slot = index & this.mask;
    const pr = this.plusRing[slot]!;
    const mr = this.minusRing[slot]!;
    if (k === 0) {
      this.refMoving = this.rangeRing[slot]! > 0;
      this.refSp = 0;
      this.refSm = 0;
    } else if (k < p) {
      this.refMoving ||= this.trRing[slot]! > 0;
      this.refSp += pr;
      this.refSm += mr;
    } else {
      this.refMoving ||= this.trRing[slot]! > 0;
      this.refSp = this.refSp * this.keep + pr * this.add;
      this.refSm = this.refSm * this.keep + mr * this.add;
    }
    if (k === p - 1) {
      this.refSp /= p;
      this.refSm /= p;
      this.refDxSum = this.refMoving ? dxOf(this.refSp, this.refSm) : 0;
    } else if (k >= p && k <= 2 * p - 2) {
      this.refDxSum += this.refMoving ? dxOf(this.refSp, this.refSm) : 0;
    } else if (k > 2 * p - 2) {
      this.refValue = this.refValue * this.keep + (this.refMoving ? dxOf(this.refSp, this.refSm) : 0) * this.add;
    }
    if (k === 2 * p - 2) this.refValue = this.refDxSum / p;
    this.refPlus[slot] = this.refSp;
    this.refMinus[slot] = this.refSm;
    this.refAdx[slot] = this.refValue;
  }

  /** True when the window `start … index` can be answered. */
  covers(start: number, index: number): boolean {
    return start >= this.first && start <= index && index <= this.last && this.last - start < this.capacity;
  }

  /** ADX at `index` of the window starting at `start`; NaN during warm-up. Costs O(index − start) unless cached. */
  adxAt(start: number, index: number): number {
    const p = this.period;
    if (p < 1 || index - start < 2 * p - 2) return Number.NaN;
    if (start === this.cachedStart && index === this.cachedIndex) return this.cachedAdx;
    if (!this.covers(start, index)) throw notCovered("WindowAdx", start, index, this.first, this.last, this.capacity);
    if (start === this.refStart && index < this.refNext) return this.refAdx[index & this.mask]!;
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

  /**
   * The sign of `adxAt(start, index) − level` (1, 0 or −1; NaN during warm-up), exactly, in O(window/32) steps unless
   * the ADX lies within about 1e-4 of `level` (then it takes {@link WindowAdx.adxAt}'s pass).
   *
   * Why the bound holds: past the window's seed bar `i0 = start + p − 1`, the window's smoothed ±DM and the reference
   * chain's follow the same linear recursion, so they differ by `keep^(j−i0)·d` (`d` the seeds' difference, at most
   * the reference chain's ±DM at i0 over keep^(p−1)). DX = 100·|a − b|/(a + b) moves by at most
   * 200·(|δa| + |δb|)/(a + b) when (a, b) moves, so after the window's ADX seed bar `e = start + 2p − 2` the ADX
   * values differ by at most `100·keep^(index−e)` (the seeds, both in [0, 100]) plus
   * `Σ add·keep^(index−j)·200·keep^(j−i0)·d / S(j)` with `S` the reference chain's ±DM sum. A smoothed sum of
   * non-negative inputs shrinks by at most `keep` per bar, so `S(j) ≥ keep^31 · S(k)` for the last sample `k ≤ j`
   * taken every 32 bars, which bounds the sum without visiting every bar.
   */
  compareAt(start: number, index: number, level: number): number {
    const p = this.period;
    if (p < 1 || index - start < 2 * p - 2) return Number.NaN;
    if (!(start === this.cachedStart && index === this.cachedIndex)) {
      if (!this.covers(start, index)) throw notCovered("WindowAdx", start, index, this.first, this.last, this.capacity);
      this.advanceReferenceTo(start, index);
      // The reference chain is this window's pass (adxAt answers from it).
      if (start === this.refStart) return Math.sign(this.refAdx[index & this.mask]! - level);
      const approx = this.refAdx[index & this.mask]!;
      const bound = this.referenceBound(start, index);
      if (approx - bound > level) return 1;
      if (approx + bound < level) return -1;
    }
    return Math.sign(this.adxAt(start, index) - level);
  }

  /** How far the window's ADX can be from the reference chain's (see {@link WindowAdx.compareAt}); ∞ when unknown. */
  private referenceBound(start: number, index: number): number {
    const p = this.period;
    const m = this.mask;
    // A window opening on a zero-range bar may keep DX at 0 for a while; the reference chain would not.
    if (!(this.rangeRing[start & m]! > 0)) return Infinity;
    const i0 = start + p - 1;
    const seedEnd = start + 2 * p - 2;
    const keepSeed = this.keepPowers[p - 1]!;
    // The window's seeds (means of its first ±DMs) are at most the reference chain's values at i0 over keep^(p−1): each
    // of those DMs weighs at least add·keep^(p−1) in the reference chain, and all are ≥ 0. So is their difference.
    const d = (this.refPlus[i0 & m]! + this.refMinus[i0 & m]!) / keepSeed;
    const count = index - seedEnd;
    const minSum = count === 0 ? Infinity : this.minimumSum(seedEnd + 1, index);
    const tail = count === 0 ? 0 : (200 * this.add * d * this.keepPowers[index - i0]! * count) / (minSum * this.keepPowers[BOUND_SAMPLE_STEP - 1]!);
    const bound = 100 * this.keepPowers[index - seedEnd]! + tail;
    // Rounding of both passes is ~1e-12 of the ADX scale: margins far above it.
    return Number.isFinite(bound) ? bound * (1 + 1e-6) + 1e-7 : Infinity;
  }

  /**
   * The minimum of the reference chain's ±DM sum `S(k)` over samples `k` such that every `j = from … to` has one at
   * most `STEP − 1` bars at or before it, so that `S(j) ≥ keep^(STEP−1) · minimum` (see {@link WindowAdx.compareAt}).
   *
   * The samples are the multiples of the step from the one at or before `from`: then `S(j) ≥ keep^(j−k)·S(k)` needs
   * only that the chain smooths (rather than seeds) from `k` on, `k ≥ refStart + p − 1`, and that the ring still
   * holds `k`; otherwise they start at `from` itself, as a window's own samples. Anchored to multiples, the samples
   * of consecutive windows are the same but at the ends, and the minimum is kept between calls.
   */
  private minimumSum(from: number, to: number): number {
    const m = this.mask;
    const anchored = from - (from % BOUND_SAMPLE_STEP);
    const first = anchored >= this.refStart + this.period - 1 && anchored > this.last - this.capacity ? anchored : from;
    const last = to - ((to - first) % BOUND_SAMPLE_STEP);
    if (first === this.minFirst && last === this.minLast) return this.minSum;
    let min = Infinity;
    for (let k = first; k <= last; k += BOUND_SAMPLE_STEP) {
      const sum = this.refPlus[k & m]! + this.refMinus[k & m]!;
      if (!(sum >= min)) min = sum;
    }
    this.minFirst = first;
    this.minLast = last;
    this.minSum = min;
    return min;
  }
}


/** Window-exact streaming +DI/−DI (O(1), ratios of linear recursions) together with the lazy ADX of {@link WindowAdx}. */
export class WindowDirectional {
  readonly period: number;
  private readonly atr: WindowAtr;
  private readonly plus: WindowWilder;
  private readonly minus: WindowWilder;
  private readonly adx: WindowAdx;
  private prevHigh = NaN;
  private prevLow = NaN;

  constructor(period: number, capacity: number = DEFAULT_CAPACITY) {
    this.period = period;
    this.atr = new WindowAtr(period, capacity);
    this.plus = new WindowWilder(period, capacity);
    this.minus = new WindowWilder(period, capacity);
    this.adx = new WindowAdx(period, capacity);
  }

  /** Forgets everything; the next push is bar `firstIndex`. */
  reset(firstIndex: number): void {
    this.atr.reset(firstIndex);
    this.plus.reset(firstIndex);
    this.minus.reset(firstIndex);
    this.adx.reset(firstIndex);
    this.prevHigh = NaN;
    this.prevLow = NaN;
  }

  /** Feeds the next bar. */
  push(high: number, low: number, close: number): void {
    const started = !Number.isNaN(this.prevHigh);
    this.atr.push(high, low, close);
    this.plus.push(started ? plusDm(high, low, this.prevHigh, this.prevLow) : 0, 0);
    this.minus.push(started ? minusDm(high, low, this.prevHigh, this.prevLow) : 0, 0);
    this.adx.push(high, low, close);
    this.prevHigh = high;
    this.prevLow = low;
  }

  /** True when the window `start … index` can be answered. */
  covers(start: number, index: number): boolean {
    return this.atr.covers(start, index);
  }

  /** +DI at `index` of the window starting at `start`; NaN during warm-up or when the ATR is ≤ 0. */
  plusDiAt(start: number, index: number): number {
    const a = this.atr.at(start, index);
    return a > 0 ? (100 * this.plus.at(start, index)) / a : Number.NaN;
  }

  /** −DI at `index` of the window starting at `start`; NaN during warm-up or when the ATR is ≤ 0. */
  minusDiAt(start: number, index: number): number {
    const a = this.atr.at(start, index);
    return a > 0 ? (100 * this.minus.at(start, index)) / a : Number.NaN;
  }

  /** ADX at `index` of the window starting at `start` (see {@link WindowAdx.adxAt}). */
  adxAt(start: number, index: number): number {
    return this.adx.adxAt(start, index);
  }
}

/** DX from the smoothed directional movements (the ATR cancels); 0 when both are 0. */
function dxOf(smoothedPlus: number, smoothedMinus: number): number {
  const sum = smoothedPlus + smoothedMinus;
  return sum === 0 ? 0 : (100 * Math.abs(smoothedPlus - smoothedMinus)) / sum;
}
