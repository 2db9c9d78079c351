import { describe, expect, it } from "vitest";
import type { CandleSeries } from "@tradeloom/types";
import { IndicatorSets, WindowFeed, WindowKey } from "./window-feed";
import { WindowEma } from "../indicators/ema";
import { ema } from "../indicators/ema";
import { loadFixture, windowAt } from "../../test/helpers";

class Counting extends WindowFeed {
  readonly ema: WindowEma;
  pushes = 0;
  resets = 0;
  /** The newest bar pushed. */
  newest = -1;
  constructor(capacity = 512, ahead = 0) {
    super(capacity, ahead);
    this.ema = new WindowEma(10, capacity);
  }
  protected resetStreams(first: number): void {
    this.ema.reset(first);
    this.resets++;
  }
  protected pushBar(s: CandleSeries, i: number): void {
    this.ema.push(s.close[i]!);
    this.pushes++;
    this.newest = i;
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

describe("WindowFeed feeding ahead", () => {
  const series = loadFixture("BTCINR_1d.csv");
  const settled = (end: number, final = series.length - 1) => ({ ...windowAt(series, end), final });
  /** Window ends with steps of one bar, gaps, a gap longer than the window (a restart) and repeats. */
  const ends = [0, 1, 2, 40, 41, 41, 42, 170, 171, 480, 600, 601, 602, 603, 760, 1000, 1001, 1400];

  it("pushes up to `ahead` bars past the end in one go, never past `final`, and answers exactly as without", () => {
    const plain = new Counting(640);
    const ahead = new Counting(640, 128);
    for (const end of ends) {
      const w = settled(end, 700);
      expect(ahead.sync(w)).toBe(plain.sync(w));
      expect(ahead.newest).toBeGreaterThanOrEqual(end);
      expect(ahead.newest).toBeLessThanOrEqual(Math.max(end, 700));
      // The same bars in the same order from the same restarts: bit-identical answers.
      for (const at of [end, end - 1, w.start + 20]) if (at <= end && at - w.start >= 9) expect(ahead.ema.at(w.start, at)).toBe(plain.ema.at(w.start, at));
    }
    // 480 starts past the newest bar asked about (171) though not past those pushed: a restart all the same.
    expect(ahead.resets).toBe(plain.resets);
    expect(ahead.resets).toBe(3);
  });
  it("feeds once per `ahead` bars when asked bar after bar", () => {
    const feed = new Counting(640, 128);
    let calls = 0;
    let last = -1;
    for (let end = 0; end < 1000; end++) {
      feed.sync(settled(end));
      if (feed.newest !== last) calls++;
      last = feed.newest;
    }
    expect(calls).toBe(Math.ceil(1000 / 129));
    expect(feed.pushes).toBe(feed.newest + 1);
  });
  it("never pushes past the series, whatever `final` claims", () => {
    const feed = new Counting(640, 128);
    feed.sync(settled(series.length - 10, series.length + 50));
    expect(feed.newest).toBe(series.length - 1);
  });
  it("feeds only up to the end when the window does not say which candles are final, or when rebuilding", () => {
    const feed = new Counting(640, 128);
    feed.sync(windowAt(series, 50));
    expect(feed.newest).toBe(50);
    feed.sync(settled(60, 60));
    expect(feed.newest).toBe(60);
    feed.rebuild(settled(80));
    expect(feed.newest).toBe(80);
    expect(feed.pushes).toBe(61 + 81);
  });
  it("answers no further back than the capacity less the bars ahead", () => {
    const feed = new Counting(640, 128);
    for (let end = 0; end <= 1000; end++) feed.sync(settled(end));
    expect(feed.newest).toBeGreaterThan(1000);
    // Coverage counts from the newest bar asked about (1000), not the newest pushed: as a feed without feeding ahead.
    expect(feed.sync(settled(800))).toBe(true);
    expect(feed.sync({ series, start: 1000 - 511, end: 700, final: series.length - 1 })).toBe(true);
    expect(feed.sync({ series, start: 1000 - 512, end: 700, final: series.length - 1 })).toBe(false);
  });
  it("refuses a number of bars ahead that is not whole or leaves no capacity", () => {
    expect(() => new Counting(640, -1)).toThrow(RangeError);
    expect(() => new Counting(640, 1.5)).toThrow(RangeError);
    expect(() => new Counting(640, 640)).toThrow(/below the capacity \(640\), got 640/);
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

describe("WindowKey", () => {
  it("matches the window last set by its series, start and end, not by the object the engine moves along", () => {
    const a = loadFixture("BTCINR_1d.csv");
    const b = loadFixture("ETHINR_4h.csv");
    const key = new WindowKey();
    const w = { series: a, start: 0, end: 9 };
    expect(key.matches(w)).toBe(false);
    key.set(w);
    expect(key.matches(w)).toBe(true);
    expect(key.matches({ series: a, start: 0, end: 9 })).toBe(true);
    expect(key.matches({ series: b, start: 0, end: 9 })).toBe(false);
    expect(key.matches({ series: a, start: 1, end: 9 })).toBe(false);
    expect(key.matches({ series: a, start: 0, end: 10 })).toBe(false);
    w.end = 10;
    expect(key.matches(w)).toBe(false);
  });
});
