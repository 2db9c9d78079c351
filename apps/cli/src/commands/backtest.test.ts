import { mkdtempSync, readFileSync, writeFileSync, cpSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../test/run-cli";

const root = resolve(__dirname, "../../../..");
const sample = join(root, "sample-data");
const config = join(sample, "volatility_regime_config.json");

describe("tradeloom backtest", () => {
  it("prints the summary, trades and monthly table for the bundled sample", async () => {
    const r = await runCli(["backtest", "--config", config], root);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("BACKTEST RESULTS");
    expect(r.stdout).toMatch(/Total Trades:\s+\d+/);
    expect(r.stdout).toContain("MONTHLY P&L MATRIX");
  });

  it("--json prints the whole result with metrics, trades and equity; --t1 switches the fill model", async () => {
    const r = await runCli(["backtest", "--config", config, "--json"], root);
    const j = JSON.parse(r.stdout);
    expect(j.trades.length).toBeGreaterThan(0);
    expect(Object.keys(j.trades[0]).sort()).toEqual(
      ["closesPosition", "entryPrice", "entryTime", "exitPrice", "exitReason", "exitTime", "fees", "grossPnl", "netPnl", "quantity", "side", "symbol"],
    );
    expect(j.trades[0].entryPrice).toMatch(/^\d+(\.\d+)?$/);
    expect(j.equity.length).toBeGreaterThan(300);
    expect(j.manifest.fillModel).toBe("intra-candle");
    expect(j.manifest.data[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    const t1 = JSON.parse((await runCli(["backtest", "--config", config, "--json", "--t1"], root)).stdout);
    expect(t1.manifest.fillModel).toBe("next-open");
    expect(t1.manifest.configHash).not.toBe(j.manifest.configHash);
  });

  it("--out writes trades.csv, equity.csv and result.json", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tl-out-"));
    const r = await runCli(["backtest", "--config", config, "--out", dir], root);
    expect(r.code).toBe(0);
    for (const f of ["trades.csv", "equity.csv", "result.json"]) expect(existsSync(join(dir, f))).toBe(true);
    expect(readFileSync(join(dir, "trades.csv"), "utf8").split("\n")[0]).toMatch(/^symbol,side,entry_time/);
  });

  it("an unknown strategy names the known ones and exits 2 without a stack trace", async () => {
    const r = await runCli(["backtest", "--config", config, "--strategy", "nope"], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown strategy "nope"/);
    expect(r.stderr).toMatch(/volatility_regime/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("a config field of the wrong type names the field path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tl-cfg-"));
    const raw = JSON.parse(readFileSync(config, "utf8"));
    raw.trading.initial_capital = "lots";
    writeFileSync(join(dir, "c.json"), JSON.stringify(raw));
    const r = await runCli(["backtest", "--config", join(dir, "c.json")], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/trading\.initial_capital/);
  });

  it("a malformed CSV row is reported with file and line; a missing file by name", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tl-data-"));
    cpSync(sample, dir, { recursive: true });
    const f = join(dir, "BTCINR_1d.csv");
    const lines = readFileSync(f, "utf8").split("\n");
    lines[10] = "2022-01-01 00:00:00,1,2,x,1,1";
    writeFileSync(f, lines.join("\n"));
    const r = await runCli(["backtest", "--config", config, "--data-dir", dir], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/BTCINR_1d\.csv:11: low "x" is not a finite number/);
    const m = await runCli(["backtest", "--config", config, "--data-dir", join(dir, "nothing")], root);
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/DATA_MISSING/);
  });

  it("skipped rows are reported as warnings, never silently", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tl-skip-"));
    cpSync(sample, dir, { recursive: true });
    const f = join(dir, "SOLINR_1d.csv");
    const lines = readFileSync(f, "utf8").split("\n");
    const cells = lines[5]!.split(",");
    cells[2] = "0.0001"; // high below low
    lines[5] = cells.join(",");
    writeFileSync(f, lines.join("\n"));
    const r = await runCli(["backtest", "--config", config, "--data-dir", dir], root);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: .*SOLINR_1d\.csv: skipped 1 row\(s\).*line 6, high is below low/);
  });

  it("refuses unknown flags and a missing --config with usage errors", async () => {
    expect((await runCli(["backtest", "--bogus"], root)).code).toBe(2);
    expect((await runCli(["backtest"], root)).code).toBe(2);
  });
});

describe("tradeloom backtest with a strategy pack", () => {
  const pack = join(root, "examples", "strategy-pack");
  it("loads the example pack by path with --strategy-pack", async () => {
    const r = await runCli(["backtest", "--config", config, "--strategy", "donchian_breakout", "--strategy-pack", pack, "--json"], root);
    expect(r.stderr).toBe("");
    const j = JSON.parse(r.stdout);
    expect(j.manifest.strategy).toBe("donchian_breakout");
    expect(j.trades.length).toBeGreaterThan(0);
  });

  it("loads a pack named by the config's strategy.module, relative to the config file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tl-pack-"));
    const raw = JSON.parse(readFileSync(config, "utf8"));
    raw.strategy = { name: "donchian_breakout", timeframe: "1d", module: pack, channel_bars: 15 };
    raw.backtest.data_dir = sample;
    writeFileSync(join(dir, "c.json"), JSON.stringify(raw));
    const r = await runCli(["backtest", "--config", join(dir, "c.json"), "--json"], root);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).trades.length).toBeGreaterThan(0);
  });

  it("a pack that is not installed is a config error", async () => {
    const r = await runCli(["backtest", "--config", config, "--strategy-pack", "@nobody/no-such-pack"], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not installed/);
  });
});
