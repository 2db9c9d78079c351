import { ConfigError } from "@tradeloom/types";
import { byteOrder, type JsonValue } from "./json";

/** One point of a grid: a value for every dimension, keyed by parameter name. */
export type Combination = Readonly<Record<string, JsonValue>>;

/** A grid dimension that had duplicate values, which were dropped (reference gap G14). */
export interface DuplicateValues {
  readonly key: string;
  readonly dropped: readonly JsonValue[];
}

/**
 * The cartesian product of a config's `grid` section, enumerated lazily.
 *
 * Dimensions are the keys in byte order; keys starting with `_` are optimizer metadata (such as the `_optimization`
 * history), never dimensions. Combinations are numbered like an odometer whose last key turns fastest, and
 * {@link Grid.at} decodes an index without materialising the product, so memory does not grow with the grid.
 */
export class Grid {
  /** Dimension names in byte order. */
  readonly keys: readonly string[];
  /** Values of each dimension, in file order, duplicates removed. */
  readonly values: readonly (readonly JsonValue[])[];
  /** Number of combinations (product of the dimension sizes). */
  readonly size: number;
  /** Dimensions whose duplicate values were dropped, for reporting. */
  readonly duplicates: readonly DuplicateValues[];

  private constructor(keys: readonly string[], values: readonly (readonly JsonValue[])[], duplicates: readonly DuplicateValues[]) {
    this.keys = keys;
    this.values = values;
    this.duplicates = duplicates;
    let size = 1;
    for (const v of values) size *= v.length;
    if (!Number.isSafeInteger(size)) throw new ConfigError(`grid has ${size} combinations, more than can be enumerated`, { path: "grid" });
    this.size = keys.length === 0 ? 0 : size;
  }

  /**
   * Builds a grid from a `grid` section (an object of arrays).
   * @throws ConfigError when a dimension is not an array or is empty (the reference crashed on an empty array).
   */
  static fromSection(section: Readonly<Record<string, unknown>> | undefined): Grid {
    const keys = Object.keys(section ?? {})
      .filter((k) => !k.startsWith("_"))
      .sort(byteOrder);
    const values: JsonValue[][] = [];
    const duplicates: DuplicateValues[] = [];
    for (const key of keys) {
      const raw = section![key];
      if (!Array.isArray(raw)) throw new ConfigError(`grid.${key} must be an array of values`, { path: `grid.${key}` });
      if (raw.length === 0) throw new ConfigError(`grid.${key} is empty: give it at least one value`, { path: `grid.${key}` });
      const seen = new Set<string>();
      const kept: JsonValue[] = [];
      const dropped: JsonValue[] = [];
      for (const v of raw as JsonValue[]) {
        const id = JSON.stringify(v);
        if (seen.has(id)) dropped.push(v);
        else {
          seen.add(id);
          kept.push(v);
        }
      }
      if (dropped.length > 0) duplicates.push({ key, dropped });
      values.push(kept);
    }
    return new Grid(keys, values, duplicates);
  }

  /** The dimension sizes as an object, for banners (`{ ema_fast: 3, ... }`). */
  shape(): Record<string, number> {
    return Object.fromEntries(this.keys.map((k, i) => [k, this.values[i]!.length]));
  }

  /**
   * The combination with number `index` (0 ≤ index < size).
   * @throws RangeError outside that range.
   */
  at(index: number): Combination {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new RangeError(`grid index ${index} outside 0..${this.size - 1}`);
    const picked = new Array<JsonValue>(this.keys.length);
    let rest = index;
    for (let d = this.keys.length - 1; d >= 0; d--) {
      const vals = this.values[d]!;
      picked[d] = vals[rest % vals.length]!;
      rest = Math.floor(rest / vals.length);
    }
    return Object.fromEntries(this.keys.map((k, d) => [k, picked[d]!]));
  }

  /** Returns the combinations in index order, one at a time. */
  *[Symbol.iterator](): IterableIterator<Combination> {
    for (let i = 0; i < this.size; i++) yield this.at(i);
  }
}
