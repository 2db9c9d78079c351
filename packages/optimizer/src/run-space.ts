import type { Combination, Grid } from "./grid";
import type { SymbolGroup } from "./dimensions";

/** Where one run sits: its symbol group, timeframe and grid combination. */
export interface RunCoordinates {
  /** Global run number. */
  readonly index: number;
  /** Task number: `group × timeframes + timeframe`. */
  readonly task: number;
  readonly group: number;
  readonly timeframe: number;
  /** Grid combination number. */
  readonly combination: number;
}

/**
 * All runs of an optimization, numbered without being listed: groups (outer), then timeframes, then grid
 * combinations (inner, odometer order). Run `i` is task `⌊i / grid.size⌋`, combination `i mod grid.size`.
 */
export class RunSpace {
  readonly grid: Grid;
  readonly groups: readonly SymbolGroup[];
  readonly timeframes: readonly string[];

  /** The space of `grid` over every group and timeframe. */
  constructor(grid: Grid, groups: readonly SymbolGroup[], timeframes: readonly string[]) {
    this.grid = grid;
    this.groups = groups;
    this.timeframes = timeframes;
  }

  /** Number of (group, timeframe) tasks. */
  get tasks(): number {
    return this.groups.length * this.timeframes.length;
  }

  /** Number of runs. */
  get size(): number {
    return this.tasks * this.grid.size;
  }

  /** Decodes a run number. */
  locate(index: number): RunCoordinates {
    const task = Math.floor(index / this.grid.size);
    return {
      index,
      task,
      group: Math.floor(task / this.timeframes.length),
      timeframe: task % this.timeframes.length,
      combination: index % this.grid.size,
    };
  }

  /** The grid combination of run `index`. */
  combination(index: number): Combination {
    return this.grid.at(index % this.grid.size);
  }
}
