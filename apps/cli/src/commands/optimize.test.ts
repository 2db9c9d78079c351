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
});
