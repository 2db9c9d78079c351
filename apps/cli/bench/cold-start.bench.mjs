// Cold start (docs/benchmarks.md, benchmark 3b): the whole `tradeloom backtest` process on a 1 d config, spawned
// again and again: median wall time and peak RSS (from /usr/bin/time -f %M, else from a --import hook printing
// process.resourceUsage().maxRSS at exit). One extra run under a module-resolution hook lists what the command
// loaded, to check that backtest loads none of ccxt, better-sqlite3, kiteconnect.
//
// Usage (after `pnpm build`): node apps/cli/bench/cold-start.bench.mjs [--json] [--runs N] [--shared DIR]
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const here = fileURLToPath(new URL(".", import.meta.url));
const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    runs: { type: "string", default: "10" },
    shared: { type: "string", default: resolve(here, "../../../../shared") },
  },
});
const root = resolve(here, "../../..");
const cli = join(root, "apps/cli/dist/cli.js");
if (!existsSync(cli)) throw new Error(`${cli} is missing: run pnpm build first`);
const runs = Number(values.runs);
const dataDir = join(values.shared, "data");
const tmp = mkdtempSync(join(tmpdir(), "tradeloom-cold-"));
const hasTime = existsSync("/usr/bin/time");
const rssHook = join(tmp, "maxrss.mjs");
writeFileSync(rssHook, `process.on("exit", () => process.stderr.write("\\nMAXRSS_KB " + process.resourceUsage().maxRSS + "\\n"));\n`);

const FORBIDDEN = ["ccxt", "better-sqlite3", "kiteconnect"];
const CASES = [
  { config: "volatility_regime_config.json", runs },
  { config: "regime_grid_config.json", runs: Math.max(3, runs >> 1) },
];

function once(config) {
  const args = [cli, "backtest", "--config", join(values.shared, "configs", config), "--data-dir", dataDir];
  const timeOut = join(tmp, "time.txt");
  const [cmd, argv] = hasTime ? ["/usr/bin/time", ["-f", "%M", "-o", timeOut, process.execPath, ...args]] : [process.execPath, ["--import", pathToFileURL(rssHook).href, ...args]];
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd: root, encoding: "utf8", maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${config}: exit ${r.status}\n${r.stderr}`);
  const kb = hasTime ? Number(readFileSync(timeOut, "utf8").trim().split("\n").pop()) : Number(/MAXRSS_KB (\d+)/.exec(r.stderr)?.[1]);
  return { ms, kb };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const rows = [];
for (const c of CASES) {
  once(c.config); // warm the file cache
  const ms = [];
  const kb = [];
  for (let i = 0; i < c.runs; i++) {
    const r = once(c.config);
    ms.push(r.ms);
    kb.push(r.kb);
  }
  rows.push({
    config: c.config,
    runs: c.runs,
    medianMs: +median(ms).toFixed(1),
    minMs: +Math.min(...ms).toFixed(1),
    maxMs: +Math.max(...ms).toFixed(1),
    peakRssMiB: +(median(kb) / 1024).toFixed(1),
  });
}

// Which modules does `backtest` load? The shared module-log hook (test/module-log) records every resolved file.
const log = join(tmp, "modules.log");
writeFileSync(log, "");
const hook = join(root, "apps/cli/test/module-log/hook.mjs");
const r = spawnSync(process.execPath, ["--import", pathToFileURL(hook).href, cli, "backtest", "--config", join(values.shared, "configs", CASES[0].config), "--data-dir", dataDir], {
  cwd: root,
  encoding: "utf8",
  env: { ...process.env, TRADELOOM_MODULE_LOG: log },
});
if (r.status !== 0) throw new Error(`module log run: exit ${r.status}\n${r.stderr}`);
const modules = [...new Set(readFileSync(log, "utf8").split("\n").filter(Boolean))];
const forbidden = modules.filter((m) => FORBIDDEN.some((f) => m.includes(f)));
const lazy = { modulesResolved: modules.length, forbiddenLoaded: forbidden, ok: forbidden.length === 0 && modules.some((m) => /apps\/cli\/dist\/backtest-[A-Z0-9]+\.js$/.test(m)) };
rmSync(tmp, { recursive: true, force: true });

const out = { bench: "cold-start", load: loadavg().map((x) => +x.toFixed(2)), rssFrom: hasTime ? "/usr/bin/time -f %M" : "process.resourceUsage().maxRSS", rows, lazy };
if (values.json) console.log(JSON.stringify(out));
else {
  console.table(rows);
  console.log(`backtest resolved ${modules.length} modules; ccxt/better-sqlite3/kiteconnect loaded: ${forbidden.length ? forbidden.join(", ") : "none"}`);
}
