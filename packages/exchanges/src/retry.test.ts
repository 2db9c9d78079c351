import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { manualClock } from "../test/helpers";
import { backoffDelay, DEFAULT_RETRY_POLICY, retry } from "./retry";

describe("retry", () => {
  it("backs off exponentially with jitter, within [half, full] of the capped delay", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const full = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** (attempt - 1));
        const d = backoffDelay(DEFAULT_RETRY_POLICY, attempt, () => r);
        return d >= Math.floor(full / 2) && d <= full;
      }),
    );
    expect([1, 2, 3].map((a) => backoffDelay(DEFAULT_RETRY_POLICY, a, () => 0))).toEqual([250, 500, 1000]);
  });

  it("retries only what shouldRetry allows, and honours a server's wait", async () => {
    const clock = manualClock();
    let n = 0;
    const result = await retry(
      async () => {
        if (++n < 3) throw Object.assign(new Error("busy"), { wait: 5000 });
        return "ok";
      },
      { policy: DEFAULT_RETRY_POLICY, clock, random: () => 0, shouldRetry: () => true, retryAfterMs: (e) => (e as { wait: number }).wait },
    );
    expect([result, n, clock.now()]).toEqual(["ok", 3, 10_000]);
    await expect(retry(async () => Promise.reject(new Error("fatal")), { policy: DEFAULT_RETRY_POLICY, clock, random: () => 0, shouldRetry: () => false })).rejects.toThrow("fatal");
  });

  it("gives up after maxAttempts and when the server asks for too long a wait", async () => {
    const clock = manualClock();
    let n = 0;
    const opts = { policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 }, clock, random: () => 0.5, shouldRetry: () => true };
    await expect(retry(async () => Promise.reject(new Error(`try ${++n}`)), opts)).rejects.toThrow("try 3");
    await expect(retry(async () => Promise.reject(new Error("later")), { ...opts, retryAfterMs: () => 3_600_000 })).rejects.toThrow("later");
  });
});
