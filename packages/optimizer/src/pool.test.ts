import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { BacktestPool, workerExecArgv } from "./pool";
import type { BatchTask } from "./protocol";

describe("the workers' flags", () => {
  it("keep source maps and profiling and drop process-wide and resolution flags the workers refuse or cannot use", () => {
    expect(workerExecArgv(["--trace-gc", "--v8-pool-size=1", "--max-old-space-size=4096", "--conditions", "@tradeloom/source", "--enable-source-maps"])).toEqual([
      "--enable-source-maps",
    ]);
    expect(workerExecArgv(["--cpu-prof", "--cpu-prof-dir", "profiles", "-C", "x", "--heap-prof-interval=512"])).toEqual(["--cpu-prof", "--cpu-prof-dir", "profiles", "--heap-prof-interval=512"]);
  });

  it("let an optimization run in a process started with V8 flags (a worker would otherwise refuse to start)", () => {
    // Needs the built package (the test script runs tsup first).
    const dist = resolve(__dirname, "../dist/index.js");
    const script = `
      const { BacktestPool } = await import(${JSON.stringify(dist)});
      const pool = new BacktestPool({ workers: 1 });
      await pool.destroy();
      console.log("started");
      process.exit(0);`;
    const out = execFileSync(process.execPath, ["--max-old-space-size=512", "--v8-pool-size=1", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
    expect(out.trim()).toBe("started");
  });
});

describe("BacktestPool", () => {
  const workerFile = resolve(__dirname, "../test/fixtures/thread-id-worker.mjs");
  const hold = (holdMs: number) => ({ holdMs }) as unknown as BatchTask;
  const threadOf = async (p: Promise<unknown>) => ((await p) as { threadId: number }).threadId;

  it("starts the threads asked for first, the rest on grow, and sends each batch to the least busy thread", async () => {
    const pool = new BacktestPool({ workers: 2, initialWorkers: 1, workerFile });
    try {
      expect(pool.started).toBe(1);
      const before = await Promise.all([threadOf(pool.run(hold(50))), threadOf(pool.run(hold(50)))]);
      expect(new Set(before).size).toBe(1);
      pool.grow();
      expect(pool.started).toBe(2);
      pool.grow();
      expect(pool.started).toBe(2);
      const after = await Promise.all([threadOf(pool.run(hold(50))), threadOf(pool.run(hold(50)))]);
      expect(new Set(after).size).toBe(2);
      expect(after).toContain(before[0]);
    } finally {
      await pool.destroy();
    }
  });

  it("refuses a thread count that is not a whole number ≥ 1, naming the option", () => {
    expect(() => new BacktestPool({ workers: 0, workerFile })).toThrow(/workers must be a whole number ≥ 1, got 0/);
    expect(() => new BacktestPool({ workers: 1.5, workerFile })).toThrow(/workers must be a whole number ≥ 1, got 1.5/);
    expect(() => new BacktestPool({ workers: 2, initialWorkers: Number.NaN, workerFile })).toThrow(/initialWorkers must be a whole number ≥ 1, got NaN/);
  });

  it("starts every thread at once by default, and never more than the most", async () => {
    const all = new BacktestPool({ workers: 2, workerFile });
    const capped = new BacktestPool({ workers: 1, initialWorkers: 3, workerFile });
    try {
      expect(all.started).toBe(2);
      expect(capped.started).toBe(1);
    } finally {
      await Promise.all([all.destroy(), capped.destroy()]);
    }
  });
});
