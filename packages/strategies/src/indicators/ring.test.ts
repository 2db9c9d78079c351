import { describe, expect, it } from "vitest";
import { releaseRings, ringArray, withRings } from "./ring";

describe("ringArray", () => {
  it("places rings carved back to back at distinct offsets modulo 4 KiB", () => {
    // Rings of the default capacity (8 KiB); none was given back in this file yet, so all are carved from blocks.
    const carved: Float64Array[] = [];
    for (let k = 0; k < 24; k++) carved.push(ringArray(1024));
    const sameBlock = carved.filter((r) => r.buffer === carved[carved.length - 1]!.buffer);
    expect(sameBlock.length).toBeGreaterThanOrEqual(12);
    expect(new Set(sameBlock.map((r) => r.byteOffset % 4096)).size).toBe(sameBlock.length);
  });

  it("gives back rings zero-filled and of the asked length", () => {
    const rings: Float64Array[] = [];
    const r = withRings(rings, () => ringArray(64));
    r.fill(7);
    releaseRings(rings);
    const again = ringArray(64);
    expect(again).toBe(r);
    expect(again.length).toBe(64);
    expect(again.every((x) => x === 0)).toBe(true);
  });
});
