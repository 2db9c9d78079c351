import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CandleSeries } from "@tradeloom/types";
import { WindowAdx } from "./adx";
import { WindowAtr } from "./atr";
import { SeededEma, WindowEma } from "./ema";
import { WindowMacd } from "./macd";
import { RollingExtreme, WindowPreviousRange } from "./rolling-extremes";
import { RollingSum } from "./rolling-sum";
import { WindowRsi } from "./rsi";
import { WindowSma } from "./sma";
import { WindowVolumeAverage } from "./volume-average";
import { WindowWilder } from "./wilder";

/** Random-walk candles, with flat stretches (zero ranges and moves are edge cases of ATR and ADX). */
const candles = fc.array(fc.tuple(fc.double({ min: -0.05, max: 0.05, noNaN: true }), fc.double({ min: 0, max: 0.03, noNaN: true }), fc.boolean()), { minLength: 1, maxLength: 400, size: "max" }).map((steps) => {
  let price = 100;
  return CandleSeries.fromCandles(
    steps.map(([move, spread, flat], i) => {
      const open = price;
      price = flat ? price : price * (1 + move);
      const high = Math.max(open, price) * (1 + (flat ? 0 : spread));
      const low = Math.min(open, price) * (1 - (flat ? 0 : spread));
      return { time: i * 3_600_000, open, high, low, close: price, volume: flat ? 0 : 1000 * (1 + spread) };
    }),
  );
});

/** Bar counts to feed at a time, cycled through until the series is fed. */
const chunks = fc.array(fc.integer({ min: 1, max: 130 }), { minLength: 1, maxLength: 8 });

/** Feeds bars `0 … n−1` in batches of the given sizes. */
function inBatches(n: number, sizes: readonly number[], push: (from: number, to: number) => void): void {
  for (let from = 0, k = 0; from < n; k++) {
    const to = Math.min(n - 1, from + sizes[k % sizes.length]! - 1);
    push(from, to);
    from = to + 1;
  }
}

/** Every answer of `query` over windows ending at each bar (starts: the first bar and up to 300 bars back). */
function answers(n: number, query: (start: number, index: number) => number): number[] {
  const out: number[] = [];
  for (let index = 0; index < n; index++) for (const start of new Set([0, Math.max(0, index - 299), Math.max(0, index - 20)])) out.push(query(start, index));
  return out;
}

// The built-in strategies feed each stream its bars in a loop of its own; every answer must be the one pushing bar by
// bar gives, to the bit.
describe("batch pushes answer as pushes one by one", () => {
  it("WindowAtr, WindowAdx, WindowPreviousRange: pushBars", () => {
    fc.assert(
      fc.property(candles, chunks, fc.integer({ min: 1, max: 30 }), (s, sizes, period) => {
        const n = s.length;
        const one = { atr: new WindowAtr(period, 1024, 20), adx: new WindowAdx(period, 1024), range: new WindowPreviousRange(period, 1024) };
        const batch = { atr: new WindowAtr(period, 1024, 20), adx: new WindowAdx(period, 1024), range: new WindowPreviousRange(period, 1024) };
        for (let i = 0; i < n; i++) {
          one.atr.push(s.high[i]!, s.low[i]!, s.close[i]!);
          one.adx.push(s.high[i]!, s.low[i]!, s.close[i]!);
          one.range.push(s.high[i]!, s.low[i]!);
        }
        inBatches(n, sizes, (from, to) => {
          batch.atr.pushBars(s, from, to);
          batch.adx.pushBars(s, from, to);
          batch.range.pushBars(s, from, to);
        });
        for (const x of [one, batch]) expect(x.atr.covers(0, n - 1)).toBe(true);
        expect(answers(n, (a, b) => batch.atr.at(a, b))).toEqual(answers(n, (a, b) => one.atr.at(a, b)));
        expect(answers(n, (a, b) => batch.atr.meanOfLast(a, b, 20))).toEqual(answers(n, (a, b) => one.atr.meanOfLast(a, b, 20)));
        expect(answers(n, (a, b) => batch.adx.adxAt(a, b))).toEqual(answers(n, (a, b) => one.adx.adxAt(a, b)));
        expect(answers(n, (a, b) => batch.adx.compareAt(a, b, 25))).toEqual(answers(n, (a, b) => one.adx.compareAt(a, b, 25)));
        expect(answers(n, (a, b) => batch.range.highAt(a, b))).toEqual(answers(n, (a, b) => one.range.highAt(a, b)));
        expect(answers(n, (a, b) => batch.range.lowAt(a, b))).toEqual(answers(n, (a, b) => one.range.lowAt(a, b)));
      }),
      { numRuns: 60 },
    );
  });

  it("WindowEma, WindowMacd, WindowRsi, WindowVolumeAverage: pushValues", () => {
    fc.assert(
      fc.property(candles, chunks, fc.integer({ min: 1, max: 30 }), (s, sizes, period) => {
        const n = s.length;
        const make = () => ({ ema: new WindowEma(period, 1024), macd: new WindowMacd(period, period + 5, 4, 1024), rsi: new WindowRsi(period, 1024), volume: new WindowVolumeAverage(period, 1024) });
        const one = make();
        const batch = make();
        for (let i = 0; i < n; i++) {
          one.ema.push(s.close[i]!);
          one.macd.push(s.close[i]!);
          one.rsi.push(s.close[i]!);
          one.volume.push(s.volume[i]!);
        }
        inBatches(n, sizes, (from, to) => {
          batch.ema.pushValues(s.close, from, to);
          batch.macd.pushValues(s.close, from, to);
          batch.rsi.pushValues(s.close, from, to);
          batch.volume.pushValues(s.volume, from, to);
        });
        expect(answers(n, (a, b) => batch.ema.at(a, b))).toEqual(answers(n, (a, b) => one.ema.at(a, b)));
        expect(answers(n, (a, b) => batch.macd.histogramAt(a, b))).toEqual(answers(n, (a, b) => one.macd.histogramAt(a, b)));
        expect(answers(n, (a, b) => batch.rsi.at(a, b))).toEqual(answers(n, (a, b) => one.rsi.at(a, b)));
        expect(answers(n, (a, b) => batch.volume.at(a, b))).toEqual(answers(n, (a, b) => one.volume.at(a, b)));
      }),
      { numRuns: 60 },
    );
  });

  it("the building blocks' batch methods: SeededEma, WindowWilder, RollingSum, RollingExtreme, WindowSma", () => {
    // Values with zeros in runs (a Wilder's all-zero windows) and repeats (an extreme's ties), from any first bar.
    const values = fc.array(fc.oneof(fc.constant(0), fc.double({ min: -50, max: 50, noNaN: true }), fc.constantFrom(1, 2)), { minLength: 1, maxLength: 400, size: "max" });
    fc.assert(
      fc.property(values, chunks, fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 5000 }), (v, sizes, period, firstBar) => {
        const n = v.length;
        const firsts = v.map((x) => x / 2);
        const quarters = v.map(() => 0.25);
        const make = () => {
          const x = {
            selfSeeded: new SeededEma(period, 1024),
            seeded: new SeededEma(period, 1024),
            wilder: new WindowWilder(period, 1024, 20),
            sum: new RollingSum(period, 1024),
            max: new RollingExtreme(period, 1, 1024),
            min: new RollingExtreme(period, -1, 1024),
            sma: new WindowSma(period, 1024),
          };
          for (const stream of Object.values(x)) stream.reset(firstBar);
          return x;
        };
        const one = make();
        const batch = make();
        for (let i = 0; i < n; i++) {
          one.selfSeeded.push(v[i]!, v[i]!);
          one.seeded.push(v[i]!, 0.25);
          one.wilder.push(v[i]!, firsts[i]!);
          one.sum.push(v[i]!);
          one.max.push(v[i]!);
          one.min.push(v[i]!);
          one.sma.push(v[i]!);
        }
        inBatches(n, sizes, (from, to) => {
          batch.selfSeeded.pushValues(v, v, from, to);
          batch.seeded.pushValues(v, quarters, from, to);
          batch.wilder.pushValues(v, firsts, from, to);
          batch.sum.pushValues(v, from, to);
          batch.max.pushValues(v, from, to);
          batch.min.pushValues(v, from, to);
          batch.sma.pushValues(v, from, to);
        });
        const at = (f: (start: number, index: number) => number) => answers(n, (a, b) => f(firstBar + a, firstBar + b));
        expect(at((a, b) => batch.selfSeeded.raw(a, b))).toEqual(at((a, b) => one.selfSeeded.raw(a, b)));
        expect(at((a, b) => batch.seeded.raw(a, b))).toEqual(at((a, b) => one.seeded.raw(a, b)));
        expect(at((a, b) => batch.wilder.at(a, b))).toEqual(at((a, b) => one.wilder.at(a, b)));
        expect(at((a, b) => batch.wilder.meanOfLast(a, b, 20))).toEqual(at((a, b) => one.wilder.meanOfLast(a, b, 20)));
        expect(at((_, b) => batch.sum.sumAt(b))).toEqual(at((_, b) => one.sum.sumAt(b)));
        expect(at((_, b) => batch.max.extremeAt(b))).toEqual(at((_, b) => one.max.extremeAt(b)));
        expect(at((_, b) => batch.min.extremeAt(b))).toEqual(at((_, b) => one.min.extremeAt(b)));
        expect(at((a, b) => batch.sma.at(a, b))).toEqual(at((a, b) => one.sma.at(a, b)));
      }),
      { numRuns: 80 },
    );
  });
});
