import { describe, expect, it } from "vitest";
import { Timeframe } from "./timeframe";
import { ConfigError } from "./errors";

describe("Timeframe", () => {
  it.each([
    ["1m", 60_000, 525_600],
    ["1h", 3_600_000, 8760],
    ["4h", 14_400_000, 2190],
    ["1d", 86_400_000, 365],
    ["1w", 604_800_000, 365 / 7],
    ["1M", 30 * 86_400_000, 12],
  ])("parses %s", (label, ms, bpy) => {
    const tf = Timeframe.parse(label);
    expect(tf.durationMs).toBe(ms);
    expect(tf.barsPerYear).toBeCloseTo(bpy, 9);
    expect(tf.toString()).toBe(label);
  });

  it.each(["", "0h", "4H", "1y", "h4", "1.5h"])("rejects %j with a ConfigError", (label) => {
    expect(() => Timeframe.parse(label)).toThrow(ConfigError);
  });
});
