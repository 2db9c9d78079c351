import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Grid } from "./grid";

describe("Grid", () => {
  it("sorts keys byte-wise, skips _metadata keys and turns the last key fastest", () => {
    const g = Grid.fromSection({ b: [1, 2], a: [10, 20, 30], _optimization: [{ sharpe_ratio: 1 }], B: [true] });
    expect(g.keys).toEqual(["B", "a", "b"]);
    expect(g.size).toBe(6);
    expect([...g]).toEqual([
      { B: true, a: 10, b: 1 },
      { B: true, a: 10, b: 2 },
      { B: true, a: 20, b: 1 },
      { B: true, a: 20, b: 2 },
      { B: true, a: 30, b: 1 },
      { B: true, a: 30, b: 2 },
    ]);
  });

  it("decodes any index of a huge grid without enumerating it", () => {
    const section = Object.fromEntries(Array.from({ length: 12 }, (_, k) => [`k${String(k).padStart(2, "0")}`, [0, 1, 2]]));
    const g = Grid.fromSection(section);
    expect(g.size).toBe(3 ** 12);
    const last = g.at(g.size - 1);
    expect(Object.values(last).every((v) => v === 2)).toBe(true);
    expect(() => g.at(g.size)).toThrow(RangeError);
  });

  it("rejects an empty dimension or a non-array, and drops duplicates with a report (gap G14)", () => {
    expect(() => Grid.fromSection({ a: [] })).toThrow(/grid\.a is empty/);
    expect(() => Grid.fromSection({ a: 3 })).toThrow(/must be an array/);
    const g = Grid.fromSection({ a: [1, 2, 1, 2, 3] });
    expect(g.values[0]).toEqual([1, 2, 3]);
    expect(g.duplicates).toEqual([{ key: "a", dropped: [1, 2] }]);
  });

  it("a grid without dimensions has no combinations", () => {
    expect(Grid.fromSection(undefined).size).toBe(0);
    expect(Grid.fromSection({ _optimization: [{}] }).size).toBe(0);
  });

  it("property: indices map one-to-one onto the cartesian product", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }), (sizes) => {
        const g = Grid.fromSection(Object.fromEntries(sizes.map((n, k) => [`p${k}`, Array.from({ length: n }, (_, i) => i)])));
        const seen = new Set([...g].map((c) => JSON.stringify(c)));
        expect(g.size).toBe(sizes.reduce((a, b) => a * b, 1));
        expect(seen.size).toBe(g.size);
      }),
    );
  });
});
