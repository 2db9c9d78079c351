import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BatchCursor, parseShard, shardSize } from "./shard";

describe("shards", () => {
  it("parses i/n and rejects the rest", () => {
    expect(parseShard("2/5")).toEqual({ index: 2, count: 5 });
    for (const bad of ["5/5", "1/0", "-1/3", "a/b", "3"]) expect(() => parseShard(bad)).toThrow(/--shard/);
  });

  it("property: the shards of a space partition it, and batches cover each shard exactly once", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 20 }), (total, n, size) => {
        const all: number[] = [];
        for (let i = 0; i < n; i++) {
          const cursor = new BatchCursor(total, { index: i, count: n });
          const mine: number[] = [];
          for (let b = cursor.next(size); b; b = cursor.next(size)) for (let k = 0; k < b.count; k++) mine.push(b.first + k * b.stride);
          expect(mine.length).toBe(shardSize(total, { index: i, count: n }));
          expect(mine.every((r) => r % n === i)).toBe(true);
          all.push(...mine);
        }
        expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
      }),
    );
  });
});
