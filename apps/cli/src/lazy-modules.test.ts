import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// `tradeloom backtest` must not load the modules only other commands need (issue: "Loading the CLI must not load
// modules a command does not use"). The BUILT cli runs under a hook that logs every resolved module, ESM (a
// module.register resolve hook) and CommonJS (Module._resolveFilename), to a file (test/module-log). No timing
// assertions.

const root = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
const cli = join(root, "apps/cli/dist/cli.js");
const config = join(root, "sample-data/volatility_regime_config.json");
const FORBIDDEN = ["ccxt", "better-sqlite3", "kiteconnect"];
const built = existsSync(cli);
if (!built) console.warn(`lazy-modules.test: skipped, ${cli} is missing (run \`pnpm build\` first; \`pnpm test\` builds).`);

const tmp = mkdtempSync(join(tmpdir(), "tradeloom-lazy-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const hook = pathToFileURL(join(root, "apps/cli/test/module-log/hook.mjs")).href;

describe.skipIf(!built)("lazy command modules (built cli)", () => {
  it("backtest resolves none of ccxt, better-sqlite3, kiteconnect", () => {
    const log = join(tmp, "backtest.log");
    writeFileSync(log, "");
    const r = spawnSync(process.execPath, ["--import", hook, cli, "backtest", "--config", config], {
      cwd: root,
      env: { ...process.env, TRADELOOM_MODULE_LOG: log },
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("BACKTEST RESULTS");
    const modules = readFileSync(log, "utf8").split("\n").filter(Boolean);
    // The hook really ran: the backtest command's own chunk was resolved through it.
    expect(modules.some((m) => /apps\/cli\/dist\/backtest-[A-Z0-9]+\.js$/.test(m))).toBe(true);
    expect(modules.filter((m) => FORBIDDEN.some((f) => m.includes(f)))).toEqual([]);
  });
});
