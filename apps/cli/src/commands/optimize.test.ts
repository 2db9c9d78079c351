import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { runCli } from "../../test/run-cli";
import { createOptimizeCommand } from "./optimize";

// Needs @tradeloom/optimizer built (its worker runs as JavaScript); turbo builds dependencies before tests.
const root = resolve(__dirname, "../../../..");
const dataDir = join(root, "sample-data");
const fixture = resolve(__dirname, "../../test/fixtures/optimize/volatility_regime_small.json");
const clock = () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5));

function freshConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), "tl-opt-"));
  const path = join(dir, "config.json");
  copyFileSync(fixture, path);
  return path;
}

/** Runs the command with a fixed clock and captured output; `tty` makes stderr claim to be a terminal. */
async function optimizeCli(argv: string[], tty = false, signal = new AbortController().signal): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = Object.assign(new PassThrough(), { isTTY: tty });
  let stdout = "";
  let stderr = "";
  out.on("data", (d: Buffer) => (stdout += d.toString()));
  err.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await createOptimizeCommand({ now: clock })(argv, { stdout: out, stderr: err, env: {}, cwd: root, signal });
  return { code, stdout, stderr };
}

const common = ["--data-dir", dataDir, "--start", "2023-01-01", "--workers", "2", "--top", "3"];

describe("tradeloom optimize", () => {
  it("--no-update ranks the grid and leaves the config byte-identical; no progress bar without a TTY", async () => {
    const config = freshConfig();
    const before = readFileSync(config);
    const r = await runCli(["optimize", "--config", config, ...common, "--no-update"], root);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("OPTIMIZATION CONFIGURATION");
    expect(r.stdout).toContain("8 combinations");
    expect(r.stdout).toContain("TOP 3 RESULTS (by sharpe)");
    expect(r.stdout).toMatch(/🥇\s+1 │/);
    expect(r.stdout).toContain("Deflated Sharpe ratio of #1");
    expect(readFileSync(config).equals(before)).toBe(true);
  });

  it("writes the winner into the config once, appends the dated history, then finds it already optimal", async () => {
    const config = freshConfig();
    const first = await optimizeCli(["--config", config, ...common]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Config updated: ${config}`);
    const text = readFileSync(config, "utf8");
    const j = JSON.parse(text);
    expect(j.grid._optimization).toHaveLength(1);
    expect(j.grid._optimization[0]).toMatchObject({ optimized_at: "2026-01-02 03:04:05", metric: "sharpe", timeframe: "1d", start: "2023-01-01" });
    expect(Object.keys(j)).toEqual(Object.keys(JSON.parse(readFileSync(fixture, "utf8"))));
    const second = await optimizeCli(["--config", config, ...common]);
    expect(second.stdout).toContain("Using saved optimization metrics for comparison");
    expect(second.stdout).toContain("is already optimal");
    expect(readFileSync(config, "utf8")).toBe(text);
  });

  it("merged shards give the same ranking and the same config rewrite as a single run", async () => {
    const single = freshConfig();
    const s = await optimizeCli(["--config", single, ...common, "--json"]);
    const sj = JSON.parse(s.stdout);
    const dir = mkdtempSync(join(tmpdir(), "tl-shard-"));
    for (const i of [0, 1]) {
      const r = await optimizeCli(["--config", fixture, ...common, "--workers", "1", "--shard", `${i}/2`, "--out", join(dir, `s${i}.jsonl`)]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Shard ${i}/2`);
    }
    const merged = freshConfig();
    const m = await optimizeCli(["merge", join(dir, "s1.jsonl"), join(dir, "s0.jsonl"), "--config", merged, "--data-dir", dataDir, "--json"]);
    const mj = JSON.parse(m.stdout);
    expect(mj.ranking).toEqual(sj.ranking);
    expect(mj.deflatedSharpe).toEqual(sj.deflatedSharpe);
    expect(mj.update).toEqual(sj.update);
    expect(sj.update.updated).toBe(true);
    expect(readFileSync(merged, "utf8")).toBe(readFileSync(single, "utf8"));
  });

  it("-O adds a dimension; --min-trades above every run means no winner and no update", async () => {
    const config = freshConfig();
    const before = readFileSync(config);
    const r = await optimizeCli(["--config", config, ...common, "-O", "atr_period=10,14", "--min-trades", "100000"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("16 combinations");
    expect(r.stdout).toContain("No valid runs found");
    expect(readFileSync(config).equals(before)).toBe(true);
  });

  it("draws the progress bar (done/total, runs per second, time left) on a terminal's stderr, then clears it", async () => {
    const r = await optimizeCli(["--config", fixture, ...common, "--no-update"], true);
    expect(r.stderr).toMatch(/8\/8 {2}[\d.]+ runs\/s {2}ETA \d+s/);
    expect(r.stderr.endsWith("\r\x1b[K")).toBe(true);
  });

  it("Ctrl-C stops the workers, prints what was found so far, exits 130 and leaves the config alone", async () => {
    const config = freshConfig();
    const before = readFileSync(config);
    const r = await optimizeCli(["--config", config, ...common], false, AbortSignal.abort());
    expect(r.code).toBe(130);
    expect(r.stdout).toContain("OPTIMIZATION INTERRUPTED (best results so far)");
    expect(r.stdout).toContain("Interrupted: the config was not updated.");
    expect(readFileSync(config).equals(before)).toBe(true);
  });

  it("reports bad options as usage errors", async () => {
    const config = freshConfig();
    expect((await runCli(["optimize", "--config", config, "-O", "atr_period"], root)).stderr).toMatch(/key=v1,v2/);
    expect((await runCli(["optimize", "--config", config, "--sort-by", "luck"], root)).code).toBe(2);
    expect((await runCli(["optimize", "--config", config, "--top", "0"], root)).stderr).toMatch(/--top must be at least 1/);
    expect((await runCli(["optimize", "--config", config, "--shard", "0/2"], root)).stderr).toMatch(/--shard needs --out/);
  });

  it("--walk-forward K prints every fold and the stitched result; the main ranking is unchanged and the history records the summary", async () => {
    // BTC alone: 1,099 bars from 2023, so every fold has bars enough to trade in sample; its best return is positive.
    const btc = [...common, "--symbols", "BTCINR", "--sort-by", "return"];
    const plain = await optimizeCli(["--config", fixture, ...btc, "--no-update", "--json"]);
    const config = freshConfig();
    const r = await optimizeCli(["--config", config, ...btc, "--walk-forward", "3", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.ranking).toEqual(JSON.parse(plain.stdout).ranking);
    expect(j.walkForward.k).toBe(3);
    expect(j.walkForward.mode).toBe("anchored");
    expect(j.walkForward.folds).toHaveLength(3);
    for (const [i, f] of j.walkForward.folds.entries()) {
      expect(f.fold).toBe(i + 1);
      expect(f.inSample.last).toBeLessThan(f.outOfSample.first);
      if (i > 0) expect(f.outOfSample.first).toBeGreaterThan(j.walkForward.folds[i - 1].outOfSample.last);
      expect(f.ranking[0].params).toHaveProperty("ema_fast");
      expect(f.ranking[0].outOfSample).toHaveProperty("totalReturn");
    }
    expect(j.walkForward.summary.folds).toBe(3);
    expect(j.update.updated).toBe(true);
    const entry = JSON.parse(readFileSync(config, "utf8")).grid._optimization[0];
    expect(entry.walk_forward).toMatchObject({ folds: 3, mode: "anchored", total_trades: j.walkForward.summary.trades });
    expect(entry.walk_forward.total_return).toBeCloseTo(j.walkForward.summary.totalReturn, 1);

    // The fixture's three coins share only 2025: the first fold's 90 in-sample bars are too few to trade.
    const text = await optimizeCli(["--config", fixture, ...common, "--walk-forward", "3", "--no-update"]);
    expect(text.stdout).toMatch(/^ {5}1 │ 2025-01-10\.\.2025-04-09 │ 2025-04-10\.\.2025-07-08 │ no run reached 1 trade\(s\) in sample: not traded$/m);
    expect(text.stdout).toContain("× 4 windows (whole + 3 folds)");
    expect(text.stdout).toContain("(+ 24 in walk-forward folds)");
    expect(text.stdout).toContain("WALK-FORWARD (3 anchored folds, ranked by sharpe)");
    expect(text.stdout.match(/^ {5}[23] │ \d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d │ \d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d │/gm)).toHaveLength(2);
    expect(text.stdout).toMatch(/Stitched out of sample: -?[\d.]+% \(-?[\d.]+%\/yr\) over 3 fold\(s\)/);
    expect(text.stdout).toContain("Walk-forward efficiency:");
    expect(text.stdout).toMatch(/Parameter stability: \d distinct winner\(s\) in 2 fold\(s\), the most frequent chosen \d×; ema_fast=\d+ in \d\/2, stop_atr=/);
  });

  it("--walk-forward: bad K, with --holdout, with --out or --shard, or too few bars are usage errors naming the flag", async () => {
    const config = freshConfig();
    const fail = async (args: string[]) => {
      const r = await runCli(["optimize", "--config", config, "--data-dir", dataDir, ...args], root);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      return r.stderr;
    };
    expect(await fail(["--walk-forward", "1"])).toMatch(/--walk-forward: expected a whole number of folds ≥ 2, got "1"[\s\S]*path=--walk-forward/);
    expect(await fail(["--walk-forward", "x"])).toMatch(/got "x"/);
    expect(await fail(["--walk-forward", "3", "--holdout", "20"])).toMatch(/--walk-forward and --holdout cannot be combined/);
    expect(await fail(["--walk-forward", "3", "--out", join(tmpdir(), "never.jsonl")])).toMatch(/--walk-forward writes no --out file/);
    expect(await fail(["--walk-forward", "3", "--shard", "0/2", "--out", join(tmpdir(), "never.jsonl")])).toMatch(/--walk-forward writes no --out file/);
    const few = await runCli(["optimize", "--config", config, "--data-dir", dataDir, "--start", "2025-12-20", "--walk-forward", "10", "--no-update"], root);
    expect(few.code).toBe(2);
    expect(few.stderr).toMatch(/--walk-forward 10: BNB\+BTC\+SOL_1d has 1[0-9] bars, too few for 10 folds \(11 segments of at least 2 bars; at most \d folds\)/);
    expect(readFileSync(config, "utf8")).toBe(readFileSync(fixture, "utf8"));
  });

  it("--help describes --walk-forward", async () => {
    expect((await runCli(["optimize", "--help"], root)).stdout).toMatch(/--walk-forward K +also validate the search with K ≥ 2 anchored folds/);
  });
});
