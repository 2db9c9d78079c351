import { describe, expect, it } from "vitest";
import type { CandleSeries } from "@tradeloom/types";
import { IndicatorSets, WindowFeed } from "./window-feed";
import { WindowEma } from "../indicators/ema";
import { ema } from "../indicators/ema";
import { loadFixture, windowAt } from "../../test/helpers";

class Counting extends WindowFeed {
  readonly ema = new WindowEma(10);
  pushes = 0;
  resets = 0;
  constructor() {
    super(512);
  }
  protected resetStreams(first: number): void {
    this.ema.reset(first);
    this.resets++;
  }
  protected pushBar(s: CandleSeries, i: number): void {
    this.ema.push(s.close[i]!);
    this.pushes++;
  }
}

describe("WindowFeed", () => {
  const series = loadFixture("BTCINR_1d.csv");
  const batchAt = (s: CandleSeries, end: number) => {
    const w = windowAt(s, end);
    return ema(s.close.subarray(w.start, w.end + 1), 10)[w.end - w.start]!;
  };

  it("catches up over skipped bars and feeds each bar once", () => {
    const feed = new Counting();
    for (const end of [0, 5, 6, 100, 101, 101, 250]) {
      expect(feed.sync(windowAt(series, end))).toBe(true);
      if (end >= 9) expect(feed.ema.at(windowAt(series, end).start, end)).toBeCloseTo(batchAt(series, end), 9);
    }
    expect(feed.pushes).toBe(251);
  });
  it("restarts at the window start after a gap longer than the window", () => {
    const feed = new Counting();
    feed.sync(windowAt(series, 10));
    feed.sync(windowAt(series, 1000));
    expect(feed.resets).toBe(2);
    expect(feed.pushes).toBe(11 + 300);
    expect(feed.ema.at(701, 1000)).toBeCloseTo(batchAt(series, 1000), 9);
  });
  it("answers older windows from the rings, and leaves windows it forgot or another series to a scratch set", () => {
    let made = 0;
    const sets = new IndicatorSets(() => {
      made++;
      return new Counting();
    });
    let live = sets.for(windowAt(series, 0));
    for (let end = 1; end <= 1200; end++) live = sets.for(windowAt(series, end));
    expect(sets.for(windowAt(series, 1100))).toBe(live);
    const old = sets.for(windowAt(series, 400));
    expect(old).not.toBe(live);
    expect(old.ema.at(101, 400)).toBeCloseTo(batchAt(series, 400), 9);
    const other = series.slice(0, 500);
    expect(sets.for(windowAt(other, 450))).not.toBe(live);
    expect(made).toBe(2);
    expect(live.resets).toBe(1);
  });
});

describe("IndicatorSets.release", () => {
  const series = loadFixture("BTCINR_1d.csv");

  it("gives its rings to the next sets, zeroed, and answers as fresh sets do when used again", () => {
    const a = new IndicatorSets(() => new Counting());
    for (let end = 0; end <= 400; end++) a.for(windowAt(series, end));
    const ringsOf = (c: Counting) => {
      const rec = (c.ema as unknown as { rec: { full: Float64Array; seed: Float64Array } }).rec;
      return [rec.full, rec.seed];
    };
    const held = ringsOf(a.for(windowAt(series, 400)));
    expect(held[0]!.some((x) => x !== 0)).toBe(true);
    a.release();
    // The next sets take the released rings (same length), zeroed: none of the old values carries over.
    const b = new IndicatorSets(() => new Counting());
    const taken = ringsOf(b.for(windowAt(series, 0)));
    expect(taken.every((r) => held.includes(r)) && taken[0] !== taken[1]).toBe(true);
    for (const r of taken) expect(r.subarray(1).every((x) => x === 0)).toBe(true);
    // The released sets rebuild on their next use and agree with sets that never released.
    const fresh = new IndicatorSets(() => new Counting());
    for (const end of [450, 451, 700]) {
      const w = windowAt(series, end);
      expect(a.for(w).ema.at(w.start, end)).toBe(fresh.for(w).ema.at(w.start, end));
    }
  });
});
