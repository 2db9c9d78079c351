import { describe, expect, it } from "vitest";
import { MIN_OBSERVED_MS, WORKER_WARMUP_MS, WorkerScaling } from "./worker-scaling";

/** A scaling that has watched `batches` batches of `runs` runs taking `ms` each. */
function watched(workers: number, batches: readonly (readonly [ms: number, runs: number])[]): WorkerScaling {
  const s = new WorkerScaling({ workers });
  for (const [ms, runs] of batches) s.observe(ms, runs);
  return s;
}

describe("WorkerScaling", () => {
  it("starts the other threads when the runs left take longer than one thread's warm-up repays", () => {
    // 1 ms per run on one thread: 2 threads repay their warm-up beyond 2 × 1.5 s of runs left.
    const s = watched(2, Array.from({ length: 20 }, () => [25, 25] as const));
    expect(s.shouldGrow(1, 2_900)).toBe(false);
    expect(s.shouldGrow(1, 3_100)).toBe(true);
  });

  it("needs fewer runs left to start more threads: each repays the same warm-up over a larger share", () => {
    // With 8 threads: R/8 + 1.5 s < R from R > 1.71 s.
    const s = watched(8, Array.from({ length: 20 }, () => [25, 25] as const));
    expect(s.shouldGrow(1, 1_650)).toBe(false);
    expect(s.shouldGrow(1, 1_800)).toBe(true);
  });

  it("trusts no rate before the first thread has run for a while: its cold runs are many times slower", () => {
    const cold = watched(2, [[37, 1], [14, 1], [150, 10]]);
    expect(cold.shouldGrow(1, 1_400)).toBe(false);
    const s = new WorkerScaling({ workers: 2 });
    s.observe(MIN_OBSERVED_MS - 1, 1);
    expect(s.shouldGrow(1, 10_000)).toBe(false);
    s.observe(1, 1);
    expect(s.shouldGrow(1, 10_000)).toBe(true);
  });

  it("takes the fastest of the latest batches: one slowed by a collection does not start a thread", () => {
    const s = watched(2, [...Array.from({ length: 20 }, () => [25, 25] as const), [100, 25]]);
    // 4 ms per run would make 1,400 runs 5.6 s; at the 1 ms of its neighbours they are 1.4 s.
    expect(s.shouldGrow(1, 1_400)).toBe(false);
    // Once the slow rate is the only one among the latest four, it counts.
    for (let i = 0; i < 3; i++) s.observe(100, 25);
    expect(s.shouldGrow(1, 1_400)).toBe(true);
  });

  it("never grows past the most threads, nor with nothing left to run", () => {
    const s = watched(2, Array.from({ length: 20 }, () => [25, 5] as const));
    expect(s.shouldGrow(1, 1e6)).toBe(true);
    expect(s.shouldGrow(2, 1e6)).toBe(false);
    expect(s.shouldGrow(1, 0)).toBe(false);
    expect(watched(1, [[500, 1]]).shouldGrow(1, 1e6)).toBe(false);
  });

  it("weighs the warm-up it is given", () => {
    const s = new WorkerScaling({ workers: 2, warmupMs: WORKER_WARMUP_MS / 10 });
    for (let i = 0; i < 20; i++) s.observe(25, 25);
    expect(s.shouldGrow(1, 400)).toBe(true);
  });

  it("ignores batches that ran nothing or report no time", () => {
    const s = new WorkerScaling({ workers: 2 });
    s.observe(Number.NaN, 10);
    s.observe(1_000, 0);
    expect(s.shouldGrow(1, 1e6)).toBe(false);
  });
});
