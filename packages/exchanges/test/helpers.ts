import type { Clock } from "../src/clock";

/**
 * A clock that reads real time plus the total of all sleeps, and sleeps instantly: backoff and refill waits take no
 * wall time, yet timestamps still move forward by the slept amount.
 */
export function fastClock(): Clock & { slept: number[] } {
  let offset = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => Date.now() + offset,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      slept.push(ms);
      offset += ms;
    },
  };
}

/** A clock that moves only when told to; `sleep` advances it. */
export function manualClock(start = 0): Clock & { advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      t += ms;
    },
  };
}
