import { describe, expect, it } from "vitest";
import { manualClock } from "../test/helpers";
import { CircuitBreaker } from "./circuit-breaker";

describe("CircuitBreaker", () => {
  it("opens after the failure threshold, half-opens after the timeout, closes after successes", () => {
    const clock = manualClock();
    const b = new CircuitBreaker({ failureThreshold: 3, successThreshold: 2, openTimeoutMs: 1000, clock });
    for (let i = 0; i < 3; i++) {
      expect(b.tryAcquire()).toBe(true);
      b.release("failure");
    }
    expect(b.state).toBe("open");
    expect(b.tryAcquire()).toBe(false);
    clock.advance(1000);
    expect(b.state).toBe("half-open");
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false); // one probe at a time
    b.release("success");
    expect(b.state).toBe("half-open");
    expect(b.tryAcquire()).toBe(true);
    b.release("success");
    expect(b.state).toBe("closed");
  });

  it("a failed probe reopens at once; successes in closed state reset the count; ignored outcomes count for nothing", () => {
    const clock = manualClock();
    const b = new CircuitBreaker({ failureThreshold: 2, openTimeoutMs: 10, clock });
    b.tryAcquire();
    b.release("failure");
    b.tryAcquire();
    b.release("success");
    b.tryAcquire();
    b.release("failure");
    b.tryAcquire();
    b.release("ignored");
    expect(b.state).toBe("closed");
    b.tryAcquire();
    b.release("failure");
    expect(b.state).toBe("open");
    clock.advance(10);
    expect(b.tryAcquire()).toBe(true);
    b.release("failure");
    expect(b.state).toBe("open");
    b.reset();
    expect(b.state).toBe("closed");
  });
});
