import { ConfigError } from "@tradeloom/types";

/** Shard `index` of `count`: the runs whose number `r` has `r mod count = index`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** The whole run space as a single shard. */
export const WHOLE: Shard = Object.freeze({ index: 0, count: 1 });

/**
 * Parses `i/n` (0 ≤ i < n).
 * @throws ConfigError otherwise.
 */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!(count >= 1 && index >= 0 && index < count)) {
    throw new ConfigError(`--shard ${JSON.stringify(text)}: expected i/n with 0 ≤ i < n, e.g. 0/4`, { path: "--shard" });
  }
  return { index, count };
}

/** Number of runs of a space of `total` runs that fall in `shard`. */
export function shardSize(total: number, shard: Shard): number {
  return shard.index >= total ? 0 : Math.floor((total - 1 - shard.index) / shard.count) + 1;
}

/**
 * A batch of runs sent to one worker as one task: `count` run numbers starting at `first`, `stride` apart.
 * Striding keeps a shard's runs spread over every task, so shards get similar work.
 */
export interface Batch {
  readonly first: number;
  readonly stride: number;
  readonly count: number;
}

/**
 * Cuts a shard's runs into batches lazily; `next(size)` returns up to `size` further runs, or undefined when done.
 */
export class BatchCursor {
  private nextRun: number;
  private readonly total: number;
  private readonly stride: number;

  /** Cursor over the runs of `shard` in a space of `total` runs. */
  constructor(total: number, shard: Shard) {
    this.nextRun = shard.index;
    this.total = total;
    this.stride = shard.count;
  }

  /** Runs not yet handed out. */
  get remaining(): number {
    return this.nextRun >= this.total ? 0 : Math.floor((this.total - 1 - this.nextRun) / this.stride) + 1;
  }

  /** The next batch of up to `size` runs, or undefined when the shard is exhausted. */
  next(size: number): Batch | undefined {
    const count = Math.min(Math.max(1, Math.floor(size)), this.remaining);
    if (count === 0) return undefined;
    const batch = { first: this.nextRun, stride: this.stride, count };
    this.nextRun += count * this.stride;
    return batch;
  }
}
