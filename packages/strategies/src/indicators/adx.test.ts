import { describe, expect, it } from "vitest";
import type { CandleSeries } from "@tradeloom/types";
import fc from "fast-check";
import { adx, WindowAdx, WindowDirectional } from "./adx";
import { dmi } from "./dmi";
import { arbitrarySeries, compareOnSeries, propertyAgrees } from "../../test/agreement";
import { loadFixture } from "../../test/helpers";

const highs = [10, 11, 12, 11.5, 12, 13, 12.5, 13, 14, 13.5];
const lows = [9, 10, 11, 10.5, 11, 12, 11.5, 12, 13, 12.5];
const closes = [9.5, 10.5, 11.5, 11, 11.5, 12.5, 12, 12.5, 13.5, 13];

const round3 = (a: Float64Array) => [...a].map((x) => (Number.isNaN(x) ? NaN : Math.round(x * 1000) / 1000));

const make = (pick: "adx" | "plus" | "minus") => (period: number) => {
  const d = new WindowDirectional(period);
  return {
    reset: (f: number) => d.reset(f),
    push: (s: CandleSeries, i: number) => d.push(s.high[i]!, s.low[i]!, s.close[i]!),
    at: (a: number, b: number) => (pick === "adx" ? d.adxAt(a, b) : pick === "plus" ? d.plusDiAt(a, b) : d.minusDiAt(a, b)),
  };
};
const batchAdx = (period: number) => (w: CandleSeries, j: number) => adx(w.high, w.low, w.close, period)[j] ?? NaN;
const batchDi = (side: "plusDi" | "minusDi") => (period: number) => (w: CandleSeries, j: number) => dmi(w.high, w.low, w.close, period)[side][j] ?? NaN;

describe("dmi and adx", () => {
  it("match the §2.7 example", () => {
    const d = dmi(highs, lows, closes, 3);
    expect(round3(d.plusDi)).toEqual([NaN, NaN, 50, 36.364, 40.323, 50.732, 36.364, 40.429, 50.964, 36.364]);
    expect(round3(d.minusDi)).toEqual([NaN, NaN, 0, 13.636, 9.677, 5.854, 18.357, 12.883, 7.711, 19.826]);
    expect(round3(adx(highs, lows, closes, 3))).toEqual([NaN, NaN, NaN, NaN, 68.915, 72.38, 59.223, 56.705, 62.375, 51.394]);
  });
  it("first ADX at 2·period − 2; all absent below 2·period − 1 bars", () => {
    expect(adx(highs, lows, closes, 5)[7]).toBeNaN();
    expect(Number.isNaN(adx(highs, lows, closes, 5)[8]!)).toBe(false);
    expect([...adx(highs.slice(0, 8), lows.slice(0, 8), closes.slice(0, 8), 5)].every(Number.isNaN)).toBe(true);
    expect(adx(highs, lows, closes, 0).length).toBe(0);
  });
  it("counts DX as 0 where the ATR is 0", () => {
    const flat = [5, 5, 5, 5, 5];
    expect(adx(flat, flat, flat, 2)[2]).toBe(0);
  });
});

describe("WindowDirectional", () => {
  const series = loadFixture("BTCINR_1d.csv");
  it("ADX agrees with the batch ADX over every 300-bar window of real data", () => {
    expect(compareOnSeries(series, make("adx")(14), batchAdx(14))).toEqual([]);
  });
  it("DIs agree on real data", () => {
    expect(compareOnSeries(series, make("plus")(14), batchDi("plusDi")(14), { earlier: 3 })).toEqual([]);
    expect(compareOnSeries(series, make("minus")(14), batchDi("minusDi")(14), { earlier: 3 })).toEqual([]);
  });
  it("agrees on random series and window sizes", () => {
    propertyAgrees(make("adx"), batchAdx, { earlier: 2 });
    propertyAgrees(make("plus"), batchDi("plusDi"), { earlier: 2, scale: 100 });
    propertyAgrees(make("minus"), batchDi("minusDi"), { earlier: 2, scale: 100 });
  });
});

describe("WindowAdx", () => {
  const series = loadFixture("BTCINR_1d.csv");
  const feed = (first: number, to: number) => {
    const a = new WindowAdx(14);
    a.reset(first);
    for (let i = first; i <= to; i++) a.push(series.high[i]!, series.low[i]!, series.close[i]!);
    return a;
  };

  it("answers the window its reference chain starts at bit for bit as the pass", () => {
    // compareAt runs `direct`'s reference chain from bar 1, which adxAt then reads; `shifted` never runs one, so its
    // adxAt takes the full pass.
    const last = 340;
    const direct = feed(1, last);
    const shifted = feed(1, last);
    direct.compareAt(1, last, 20);
    for (let end = 27; end <= last; end++) expect(direct.adxAt(1, end)).toBe(shifted.adxAt(1, end));
  });

  it("compares exactly when asked rarely, after gaps longer than its rings, and about older windows", () => {
    const exact = new WindowAdx(14);
    const fast = new WindowAdx(14);
    exact.reset(0);
    fast.reset(0);
    let asked = 0;
    for (let end = 0; end < series.length; end++) {
      exact.push(series.high[end]!, series.low[end]!, series.close[end]!);
      fast.push(series.high[end]!, series.low[end]!, series.close[end]!);
      if (end % 37 !== 0 || (end > 500 && end < 1300)) continue;
      for (const start of [Math.max(0, end - 299), Math.max(0, end - 320), Math.max(0, end - 299)]) {
        const value = exact.adxAt(start, end);
        if (Number.isNaN(value)) continue;
        for (const level of [value, value + 1e-9, value - 3, 25]) expect(fast.compareAt(start, end, level)).toBe(Math.sign(value - level));
        asked++;
      }
    }
    expect(asked).toBeGreaterThan(40);
  });

  it("compares with a level exactly as adxAt does, also for levels within rounding of the ADX", () => {
    const exact = new WindowAdx(14);
    const fast = new WindowAdx(14);
    exact.reset(0);
    fast.reset(0);
    let decided = 0;
    for (let end = 0; end < series.length; end++) {
      exact.push(series.high[end]!, series.low[end]!, series.close[end]!);
      fast.push(series.high[end]!, series.low[end]!, series.close[end]!);
      for (const start of [Math.max(0, end - 299), Math.max(0, end - 40), Math.max(0, end - 27)]) {
        const value = exact.adxAt(start, end);
        const levels = Number.isNaN(value) ? [20] : [value, value * (1 + 1e-15), value - 1e-12, value + 1e-6, value - 1e-4, value + 0.5, 20, 30];
        for (const level of levels) {
          const want = Number.isNaN(value) ? NaN : Math.sign(value - level);
          expect(fast.compareAt(start, end, level)).toBe(want);
          decided++;
        }
      }
    }
    expect(decided).toBeGreaterThan(10_000);
  });

  it("compares exactly on random series and window sizes", () => {
    fc.assert(
      fc.property(arbitrarySeries(30, 200), fc.integer({ min: 2, max: 20 }), fc.integer({ min: 30, max: 120 }), fc.double({ min: 0, max: 100, noNaN: true }), (s, period, size, level) => {
        const exact = new WindowAdx(period);
        const fast = new WindowAdx(period);
        exact.reset(0);
        fast.reset(0);
        for (let end = 0; end < s.length; end++) {
          exact.push(s.high[end]!, s.low[end]!, s.close[end]!);
          fast.push(s.high[end]!, s.low[end]!, s.close[end]!);
          const start = Math.max(0, end - size + 1);
          const value = exact.adxAt(start, end);
          for (const l of [level, value]) expect(fast.compareAt(start, end, l)).toBe(Number.isNaN(value) ? NaN : Math.sign(value - l));
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** What {@link WindowAdx.compareAt}'s bound rests on, read from the outside for the test below. */
interface BoundInternals {
  readonly refPlus: Float64Array;
  readonly refMinus: Float64Array;
  readonly keepPowers: Float64Array;
  readonly mask: number;
  readonly refStart: number;
  minimumSum(from: number, to: number): number;
}

describe("WindowAdx bound", () => {
  /** Checks S(j) ≥ keep^31 · minimumSum(from, end) over the tail `from … end` of the window `start … end`. */
  const checkFloor = (adx: WindowAdx, period: number, start: number, end: number): void => {
    const inside = adx as unknown as BoundInternals;
    const from = start + 2 * period - 1;
    if (inside.refStart >= start || from > end) return;
    const floor = inside.keepPowers[31]! * inside.minimumSum(from, end);
    for (let j = from; j <= end; j++) {
      const s = inside.refPlus[j & inside.mask]! + inside.refMinus[j & inside.mask]!;
      if (!(s >= floor * (1 - 1e-12))) throw new Error(`S(${j}) = ${s} below ${floor} (window ${start}…${end}, period ${period})`);
    }
  };

  // compareAt trusts S(j) ≥ keep^31 · minimumSum(from, to) for every j of the window's tail (S: the reference chain's
  // ±DM sum); a minimum kept from an earlier call or series, or read from the chain's unsmoothed start, would break it.
  it("keeps the ±DM sum minimum a lower bound across sliding windows, chain starts and new series", () => {
    const bars = fc.array(fc.record({ move: fc.double({ min: -0.03, max: 0.03, noNaN: true }), range: fc.double({ min: 0, max: 0.02, noNaN: true }) }), {
      minLength: 120,
      maxLength: 400,
    });
    const args = [bars, fc.integer({ min: 2, max: 20 }), fc.integer({ min: 60, max: 320 }), fc.integer({ min: 0, max: 80 }), fc.double({ min: 1e-4, max: 1, noNaN: true })] as const;
    fc.assert(
      fc.property(...args, (steps, period, size, firstStart, scale) => {
        const adx = new WindowAdx(period);
        const n = steps.length;
        // The first series is asked about windows from `firstStart` on (where the reference chain starts); the second,
        // scaled down and with the last third motionless so that its ±DM sum decays, only about the last windows,
        // whose samples the last windows of the first series had too.
        for (const second of [false, true]) {
          adx.reset(0);
          let price = 100;
          for (let end = 0; end < n; end++) {
            const still = second && end >= (2 * n) / 3;
            if (!still) price *= 1 + steps[end]!.move;
            const half = still ? 0 : (price * steps[end]!.range) / 2;
            const f = second ? scale : 1;
            adx.push((price + half) * f, (price - half) * f, price * f);
            const start = Math.max(0, end - size + 1);
            if (second ? end < n - 4 : start < firstStart) continue;
            if (Number.isNaN(adx.compareAt(start, end, 25))) continue;
            checkFloor(adx, period, start, end);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  /** Bars that move every bar, so that both ±DM are rarely zero for long. */
  const swingBar = (i: number, size: number): [number, number, number] => {
    const mid = 100 + 5 * Math.sin(i / 7) + size * Math.sin(i * 1.3);
    return [mid + size * (1 + (i % 3)), mid - size * (1 + (i % 5)), mid];
  };

  it("does not take samples from the reference chain's unsmoothed start", () => {
    // Period 20, windows of 40 bars, the chain started at bar 14: a window starting at 15 has the single tail sample
    // at bar 32 if anchored to multiples, where the chain still holds a sum of 19 ±DM, not their mean.
    const period = 20;
    const adx = new WindowAdx(period);
    adx.reset(14);
    let checked = 0;
    for (let end = 14; end < 200; end++) {
      adx.push(...swingBar(end, 1));
      const start = end - 39;
      if (start <= 14 || Number.isNaN(adx.compareAt(start, end, 25))) continue;
      checkFloor(adx, period, start, end);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("does not read samples the rings no longer hold, for windows near their capacity", () => {
    // A short period: only then can a window's tail start within a sample step of the oldest bar the rings hold.
    const period = 3;
    const adx = new WindowAdx(period);
    adx.reset(0);
    // The chain follows every bar. Nearly motionless bars, then swings 1e12 times wider whose sums overwrite the
    // still bars' slots: enough to show through the bound's keep^31 (≈ 3.5e-6 for period 3).
    const n = 1400;
    for (let end = 0; end < n; end++) {
      const size = end >= 1024 ? 1e3 : 1e-9;
      adx.push(100 + size * (1 + (end % 3)), 100 - size * (1 + (end % 5)), 100);
      if (end >= 299) adx.compareAt(end - 299, end, 25);
    }
    const last = n - 1;
    let checked = 0;
    for (let start = last - 1023; start < last - 990; start++) {
      for (const end of [start + 5, start + 8, start + 200]) {
        if (Number.isNaN(adx.compareAt(start, end, 25))) continue;
        checkFloor(adx, period, start, end);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
