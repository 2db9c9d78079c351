import { describe, expect, it } from "vitest";
import { manualClock } from "../test/helpers";
import { RateLimiter } from "./rate-limiter";

describe("RateLimiter", () => {
  it("allows a burst, then paces a lone caller instead of blocking forever (G13)", async () => {
    const clock = manualClock(1000);
    const limiter = new RateLimiter({ rate: 5, intervalMs: 1000, clock });
    for (let i = 0; i < 5; i++) await limiter.acquire();
    expect(clock.now()).toBe(1000);
    for (let i = 0; i < 10; i++) await limiter.acquire();
    // Ten more permits at 5 per second take two seconds of (virtual) waiting.
    expect(clock.now()).toBe(3000);
  });

  it("refills with time, up to the burst", () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ rate: 2, intervalMs: 100, burst: 3, clock });
    expect([limiter.tryAcquire(), limiter.tryAcquire(), limiter.tryAcquire(), limiter.tryAcquire()]).toEqual([true, true, true, false]);
    clock.advance(50);
    expect(limiter.tryAcquire()).toBe(true);
    clock.advance(10_000);
    expect(limiter.available).toBe(3);
  });

  it("serves waiters in order and lets an aborted waiter go", async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ rate: 1, intervalMs: 10, clock });
    await limiter.acquire();
    const ctl = new AbortController();
    ctl.abort(new Error("stop"));
    await expect(limiter.acquire(ctl.signal)).rejects.toThrow("stop");
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => limiter.acquire().then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3]);
  });

  it("refuses a rate that could never grant a permit", () => {
    expect(() => new RateLimiter({ rate: 0 })).toThrow(RangeError);
  });
});
