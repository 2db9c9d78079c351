import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { workerExecArgv } from "./pool";

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
