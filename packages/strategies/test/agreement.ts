import fc from "fast-check";
import { CandleSeries } from "@tradeloom/types";
import { close } from "./helpers";

/** A streaming indicator under test: fed bar by bar, asked about window `start … index`. */
export interface StreamUnderTest {
  reset(first: number): void;
  push(series: CandleSeries, i: number): void;
  at(start: number, index: number): number;
}

/** The batch reference: the indicator over the window slice, at slice position `j`. */
export type BatchReference = (window: CandleSeries, j: number) => number;

/**
 * Feeds `stream` the whole series and compares, for every bar, the value at the last index of the window ending
 * there (and at `earlier` indices before it) with the batch computation over that window.
 */
export function compareOnSeries(series: CandleSeries, stream: StreamUnderTest, batch: BatchReference, opts: { window?: number; earlier?: number; scale?: number } = {}): string[] {
  const size = opts.window ?? 300;
  const failures: string[] = [];
  stream.reset(0);
  for (let end = 0; end < series.length; end++) {
    stream.push(series, end);
    const start = Math.max(0, end - size + 1);
    const slice = series.slice(start, end + 1);
    for (let back = 0; back <= (opts.earlier ?? 0) && end - back >= start; back++) {
      const got = stream.at(start, end - back);
      const want = batch(slice, end - back - start);
      if (!close(got, want, opts.scale ?? 0)) failures.push(`end ${end} index ${end - back}: stream ${got} batch ${want}`);
    }
    if (failures.length > 5) break;
  }
  return failures;
}

/**
 * Random valid OHLCV series (prices > 0, high ≥ open/close ≥ low), with flat stretches. Moves are whole basis points:
 * the closed forms carry rounding of the order of ε × the largest recent value, so a volatility collapse by a factor
 * of ~10⁷ inside one window (which fast-check finds with arbitrary doubles, and markets do not produce) would show
 * up as relative error above 1e-9 in the tiny values that follow it.
 */
export const arbitrarySeries = (minLength = 1, maxLength = 120) => {
  const bp = (max: number) => fc.integer({ min: -max, max }).map((x) => x / 10_000);
  return fc
    .array(
      fc.record({
        move: bp(2000),
        up: bp(1000).map(Math.abs),
        down: bp(1000).map(Math.abs),
        gap: bp(500),
        flat: fc.boolean(),
        volume: fc.integer({ min: 0, max: 1000 }),
      }),
      { minLength, maxLength },
    )
    .map((steps) => {
      let price = 100;
      return CandleSeries.fromCandles(
        steps.map((s, i) => {
          const open = s.flat ? price : price * (1 + s.gap);
          const c = s.flat ? price : open * (1 + s.move);
          const high = Math.max(open, c) * (1 + (s.flat ? 0 : s.up));
          const low = Math.min(open, c) * (1 - (s.flat ? 0 : s.down));
          price = c;
          return { time: i, open, high, low, close: c, volume: s.volume };
        }),
      );
    });
};

/** Property: stream and batch agree on random series for random periods and window sizes. */
export function propertyAgrees(make: (period: number) => StreamUnderTest, batch: (period: number) => BatchReference, opts: { earlier?: number; scale?: number } = {}): void {
  fc.assert(
    fc.property(arbitrarySeries(1, 150), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 80 }), (series, period, window) => {
      const failures = compareOnSeries(series, make(period), batch(period), { window, earlier: opts.earlier ?? 0, scale: opts.scale ?? 0 });
      if (failures.length > 0) throw new Error(failures.join("\n"));
    }),
    { numRuns: Number(process.env.RUNS ?? 150) },
  );
}
