import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ExactSum } from "./exact-sum";

describe("ExactSum", () => {
  it("is exact where a running sum is not", () => {
    const s = new ExactSum();
    for (const x of [1e100, 1, -1e100, 1e-20]) s.add(x);
    expect(s.value()).toBe(1 + 1e-20);
    const t = new ExactSum();
    for (let i = 0; i < 10; i++) t.add(0.1);
    expect(t.value()).toBe(1);
  });

  it("property: the sum does not depend on the order of additions", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })), (xs) => {
        const a = new ExactSum();
        const b = new ExactSum();
        xs.forEach((x) => a.add(x));
        [...xs].reverse().forEach((x) => b.add(x));
        expect(Object.is(a.value(), b.value()) || a.value() === b.value()).toBe(true);
      }),
    );
  });
});
