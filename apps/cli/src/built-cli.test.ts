import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The other CLI tests run the TypeScript sources; these run the BUILT bin the way a user does, so that packaging
// mistakes (a dependency bundled that must not be, a worker file that moved) fail here. `pnpm test` builds first.
const root = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
const cli = join(root, "apps/cli/dist/cli.js");
const built = existsSync(cli);
if (!built) console.warn(`built-cli.test: skipped, ${cli} is missing (run \`pnpm build\` first; \`pnpm test\` builds).`);

const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8", timeout: 120_000 });

describe.skipIf(!built)("the built tradeloom bin", () => {
  it.each(["backtest", "optimize", "download", "kite-login"])("%s --help", (cmd) => {
    const r = run([cmd, "--help"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: tradeloom/);
  });

  it("optimize runs a small grid on worker threads", () => {
    const dir = mkdtempSync(join(tmpdir(), "tl-built-opt-"));
    const cfg = JSON.parse(readFileSync(join(root, "sample-data/volatility_regime_config.json"), "utf8"));
    cfg.grid = { ema_fast: [8, 13], stop_atr_multiple: [2, 3] };
    cfg.backtest.data_dir = join(root, "sample-data");
    writeFileSync(join(dir, "c.json"), JSON.stringify(cfg, null, 2));
    const r = run(["optimize", "--config", join(dir, "c.json"), "--no-update", "--workers", "2", "--eager-workers", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(JSON.stringify(report)).toMatch(/ema_fast/);
    // By default a grid this short keeps one thread, says so, and reports the same.
    const text = run(["optimize", "--config", join(dir, "c.json"), "--no-update", "--workers", "2"]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Execution: +Parallel \(up to 2 worker threads, added as they pay\) +║/);
    expect(text.stdout).toMatch(/Worker threads: +1 of 2 +║/);
    expect(text.stdout).toMatch(/Note: 1 of 2 worker threads ran: the runs were too short/);
    const json = run(["optimize", "--config", join(dir, "c.json"), "--no-update", "--workers", "2", "--json"]);
    expect({ ...JSON.parse(json.stdout), elapsedMs: 0 }).toEqual({ ...report, elapsedMs: 0 });
    const eager = run(["optimize", "--config", join(dir, "c.json"), "--no-update", "--workers", "2", "--eager-workers"]);
    expect(eager.stdout).toMatch(/Worker threads: +2 of 2 +║/);
    expect(eager.stdout).not.toMatch(/Note: .* worker threads ran/);
  });

  it("optimize --walk-forward ranks and tests every fold on worker threads", () => {
    const dir = mkdtempSync(join(tmpdir(), "tl-built-wf-"));
    const cfg = JSON.parse(readFileSync(join(root, "sample-data/volatility_regime_config.json"), "utf8"));
    cfg.grid = { ema_fast: [8, 13], stop_atr_multiple: [2, 3] };
    cfg.trading.symbols = ["BTCINR"];
    cfg.backtest.data_dir = join(root, "sample-data");
    writeFileSync(join(dir, "c.json"), JSON.stringify(cfg, null, 2));
    const r = run(["optimize", "--config", join(dir, "c.json"), "--no-update", "--workers", "2", "--walk-forward", "2", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const w = JSON.parse(r.stdout).walkForward;
    expect(w.folds.map((f: { inSample: { bars: number }; outOfSample: { bars: number } }) => [f.inSample.bars, f.outOfSample.bars])).toEqual([
      [497, 498],
      [995, 498],
    ]);
    expect(w.folds.every((f: { ranking: { outOfSample?: unknown }[] }) => f.ranking[0]?.outOfSample !== undefined)).toBe(true);
  });

  it("an unknown command exits 2 with the usage", () => {
    const r = run(["nope"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'nope'/);
  });
});
