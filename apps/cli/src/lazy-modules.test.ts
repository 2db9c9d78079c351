import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// `tradeloom backtest` must not load the modules only other commands need (issue: "Loading the CLI must not load
// modules a command does not use"). The BUILT cli runs under a hook that logs every resolved module, ESM (a
// module.register resolve hook) and CommonJS (Module._resolveFilename), to a file. No timing assertions.

const root = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
const cli = join(root, "apps/cli/dist/cli.js");
const config = join(root, "sample-data/volatility_regime_config.json");
const FORBIDDEN = ["ccxt", "better-sqlite3", "kiteconnect"];
const built = existsSync(cli);
if (!built) console.warn(`lazy-modules.test: skipped, ${cli} is missing (run \`pnpm build\` first; \`pnpm test\` builds).`);

const tmp = mkdtempSync(join(tmpdir(), "tradeloom-lazy-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes the hook files and returns the `--import` URL; every resolved module is appended to `log`. */
function writeHook(log: string): string {
  const loader = join(tmp, "log-loader.mjs");
  writeFileSync(
    loader,
    `import { appendFileSync } from "node:fs";
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(log, r.url + "\\n");
  return r;
}
`,
  );
  const hook = join(tmp, "log-hook.mjs");
  writeFileSync(
    hook,
    `import { register, createRequire } from "node:module";
import { appendFileSync } from "node:fs";
const log = ${JSON.stringify(log)};
register(${JSON.stringify(pathToFileURL(loader).href)}, { data: { log } });
const Module = createRequire(import.meta.url)("node:module");
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const r = resolveFilename.apply(this, args);
  appendFileSync(log, r + "\\n");
  return r;
};
`,
  );
  return pathToFileURL(hook).href;
}

describe.skipIf(!built)("lazy command modules (built cli)", () => {
  it("backtest resolves none of ccxt, better-sqlite3, kiteconnect", () => {
    const log = join(tmp, "backtest.log");
    writeFileSync(log, "");
    const r = spawnSync(process.execPath, ["--import", writeHook(log), cli, "backtest", "--config", config], {
      cwd: root,
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
