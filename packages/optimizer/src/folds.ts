import { ConfigError } from "@tradeloom/types";

/** Fewest bars a walk-forward segment may hold: fewer leave a window without a single return to measure. */
export const MIN_SEGMENT_BARS = 2;

/** A stretch of consecutive bars of the fold timeline. */
export interface BarSpan {
  /** Time of the first bar (UTC ms). */
  readonly first: number;
  /** Time of the last bar (UTC ms). */
  readonly last: number;
  /** Number of bars. */
  readonly bars: number;
}

/** The two windows of one anchored walk-forward fold. */
export interface FoldWindows {
  /** Fold number, 1-based. */
  readonly fold: number;
  /** Ranked on: every bar before the test window (anchored at the first bar, so it grows fold by fold). */
  readonly inSample: BarSpan;
  /** Tested on: the fold's segment. */
  readonly outOfSample: BarSpan;
}

/**
 * Checks a walk-forward fold count.
 * @throws ConfigError (path `--walk-forward`) unless `k` is a whole number ≥ 2: one fold is a holdout.
 */
export function checkFoldCount(k: number): void {
  if (!(Number.isInteger(k) && k >= 2)) throw badFoldCount(String(k));
}

function badFoldCount(got: string): ConfigError {
  return new ConfigError(`--walk-forward: expected a whole number of folds ≥ 2, got ${got} (for a single split use --holdout)`, { path: "--walk-forward" });
}

/**
 * Parses a `--walk-forward K` value.
 * @throws ConfigError (path `--walk-forward`) for anything but a whole number ≥ 2.
 */
export function parseFoldCount(text: string): number {
  const k = text.trim() === "" ? Number.NaN : Number(text);
  if (!(Number.isInteger(k) && k >= 2)) throw badFoldCount(JSON.stringify(text));
  return k;
}

/**
 * Where K anchored folds cut n bars: at `c_j = ⌊j·n / (K + 1)⌋` for j = 0..K+1, making K + 1 consecutive segments.
 * Fold k (1..K) ranks on bars `[0, c_k)` and tests on bars `[c_k, c_{k+1})`; the test windows tile the last
 * K/(K + 1) of the bars without overlap, so their results can be compounded.
 */
export function foldCuts(n: number, k: number): number[] {
  return Array.from({ length: k + 2 }, (_, j) => Math.floor((j * n) / (k + 1)));
}

/**
 * The windows of K anchored folds over a sorted timeline (see {@link foldCuts}).
 * @throws ConfigError (path `--walk-forward`) when a segment would hold fewer than {@link MIN_SEGMENT_BARS} bars;
 * `what` names the data in the message (a task such as `BTC+ETH_1d`).
 */
export function foldWindows(timeline: Float64Array, k: number, what: string): FoldWindows[] {
  checkFoldCount(k);
  const n = timeline.length;
  // The first segment, ⌊n/(K+1)⌋ bars, is the shortest.
  if (Math.floor(n / (k + 1)) < MIN_SEGMENT_BARS) {
    const most = Math.floor(n / MIN_SEGMENT_BARS) - 1;
    throw new ConfigError(
      `--walk-forward ${k}: ${what} has ${n} bars, too few for ${k} folds (${k + 1} segments of at least ${MIN_SEGMENT_BARS} bars` +
        `${most >= 2 ? `; at most ${most} folds` : ""})`,
      { path: "--walk-forward" },
    );
  }
  const c = foldCuts(n, k);
  const span = (from: number, to: number): BarSpan => ({ first: timeline[from]!, last: timeline[to - 1]!, bars: to - from });
  return Array.from({ length: k }, (_, i) => ({ fold: i + 1, inSample: span(0, c[i + 1]!), outOfSample: span(c[i + 1]!, c[i + 2]!) }));
}

/** The sorted distinct times of several sorted timelines. */
export function mergeTimelines(timelines: readonly Float64Array[]): Float64Array {
  if (timelines.length === 1) return timelines[0]!;
  const all = new Float64Array(timelines.reduce((a, t) => a + t.length, 0));
  let at = 0;
  for (const t of timelines) {
    all.set(t, at);
    at += t.length;
  }
  all.sort();
  let kept = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[kept - 1]) all[kept++] = all[i]!;
  return all.slice(0, kept);
}
