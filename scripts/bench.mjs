#!/usr/bin/env node
// `pnpm bench`: runs every benchmark as a child process, collects the JSON line each prints, prints one table
// (metric, value, unit, target, met?) and writes bench-results/bench.json with the machine and its load average.
// Benchmarks measure; a missed target never changes the exit code (only a crashed benchmark does).
// See docs/benchmarks.md.
//
//   node scripts/bench.mjs [--only NAME[,NAME…]] [--shared DIR] [--list]
//
// Run after `pnpm build` (the benches import the built packages); `pnpm bench` builds first. The benches read the
// reference system's candles and configs from a folder with `data/` and `configs/` (`--shared`, default: `../shared`
// beside the repository); a missing file is reported before anything runs.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, release, totalmem } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { execFileSync } from "node:child_process";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { only: { type: "string" }, shared: { type: "string" }, list: { type: "boolean", default: false } } });
const shared = resolve(values.shared ?? join(root, "../shared"));
/** The benches' options for the shared folder: data and configs apart for the backtester's, the folder for the rest. */
const dataArgs = ["--data", join(shared, "data"), "--configs", join(shared, "configs")];
const sharedArgs = ["--shared", shared];

/** name → script, arguments and node flags. Each script's last JSON stdout line is its result. */
const BENCHES = [
  { name: "engine", about: "engine throughput, 1h × 5 and 1d configs", script: "packages/backtester/bench/engine.bench.mjs", args: ["--json", ...dataArgs] },
  { name: "limit", about: "engine time / hand-written loop time", script: "packages/backtester/bench/limit.bench.mjs", args: ["--json", ...dataArgs] },
  { name: "csv", about: "CSV rows parsed per second", script: "packages/backtester/bench/csv.bench.mjs", args: ["--json", ...dataArgs] },
  { name: "cold-start", about: "CLI backtest cold start, lazy modules", script: "apps/cli/bench/cold-start.bench.mjs", args: ["--json", ...sharedArgs] },
  // --regime-sample 100: the optimizer bench also projects regime_grid's full grid from a 1/100 shard (a few seconds);
  // `--regime-full` on the optimizer bench runs all of it (≈ 3 min).
  { name: "optimizer", about: "optimizer runs/s, 1 and 2 workers", script: "packages/optimizer/bench/optimize.bench.mjs", args: ["--regime-sample", "100", ...sharedArgs] },
  { name: "raw-workers", about: "plain worker threads running backtests, 1 vs 2 (the runtime's ceiling for the optimizer)", script: "packages/optimizer/bench/raw-workers.bench.mjs", args: [...sharedArgs] },
  { name: "memory", about: "peak memory, 5 × 1M 1m bars", script: "packages/backtester/bench/memory.bench.mjs", args: ["--json", ...dataArgs] },
];

if (values.list) {
  for (const b of BENCHES) console.log(`${b.name.padEnd(12)} ${b.about}  (${b.script})`);
  process.exit(0);
}
const wanted = values.only ? new Set(values.only.split(",")) : undefined;
if (wanted) for (const w of wanted) if (!BENCHES.some((b) => b.name === w)) throw new Error(`unknown bench '${w}'; --list shows them`);

/**
 * The files of the shared folder the benches read, missing ones first: the five 1 h files, the shipped configs and the
 * candles each config names. Checked before anything runs, so that a clone without the folder gets one message saying
 * what is missing and how to point elsewhere, instead of every bench failing on its first file.
 */
function missingSharedFiles() {
  const need = ["BNBINR", "BTCINR", "ETHINR", "SOLINR", "XRPINR"].map((s) => join("data", `${s}_1h.csv`));
  const configs = ["volatility_regime", "regime_grid", "momentum_scalper", "quick_flip", "range_breakout", "volatility_regime_4h"];
  for (const name of configs) {
    const file = join("configs", `${name}_config.json`);
    need.push(file);
    if (!existsSync(join(shared, file))) continue;
    let cfg;
    try {
      cfg = JSON.parse(readFileSync(join(shared, file), "utf8"));
    } catch (e) {
      return [`${file} (not JSON: ${e.message})`];
    }
    for (const symbol of cfg?.trading?.symbols ?? []) need.push(join("data", `${symbol}_${cfg.strategy?.timeframe}.csv`));
  }
  return [...new Set(need)].filter((f) => !existsSync(join(shared, f)));
}
if (!values.list) {
  const missing = missingSharedFiles();
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).join(", ") + (missing.length > 5 ? `, and ${missing.length - 5} more` : "");
    process.stderr.write(
      `bench: the shared candles and configs are not all in ${shared} (missing: ${shown}).\n` +
        "Point to a folder with data/ and configs/ with --shared DIR, e.g. pnpm bench --shared ../shared\n",
    );
    process.exit(2);
  }
}

const round = (x, d = 2) => (x === undefined || x === null || Number.isNaN(x) ? x : +x.toFixed(d));

function run(b) {
  return new Promise((resolveRun) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [...(b.nodeFlags ?? []), join(root, b.script), ...b.args], {
      cwd: dirname(join(root, b.script)),
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("close", (code) => {
      const seconds = (Date.now() - t0) / 1000;
      const lines = out.trim().split("\n").reverse();
      let result;
      for (const line of lines) {
        if (!line.startsWith("{")) continue;
        try {
          const j = JSON.parse(line);
          if (j && typeof j === "object" && "bench" in j) {
            result = j;
            break;
          }
        } catch {
          /* not the result line */
        }
      }
      resolveRun({ code, seconds, result, stdout: out });
    });
  });
}

/** Table rows of one bench's result: { metric, value, unit, target, met }. `met` is true/false, or null (no target). */
const ROWS = {
  engine(r) {
    const rows = [];
    for (const x of r.rows) {
      const name = x.case.split(" ")[0];
      if (x.case.includes("1h")) {
        const goal = name === "regime_grid" ? 3 : 10;
        // The spread of the processes' medians says how far one run of the bench can be from the figure.
        const spread = x.processMedianMs?.length > 1 ? `, median of ${x.processMedianMs.length} processes at ${Math.min(...x.processMedianMs)}–${Math.max(...x.processMedianMs)} ms` : "";
        rows.push({ metric: `engine ${name}, 1h × 5 symbols${spread}`, value: round(x.mBarSymbolsPerSec), unit: "M bar-symbols/s", target: `≥ ${goal}`, met: x.mBarSymbolsPerSec >= goal });
      } else if (x.case.includes("4h")) {
        rows.push({ metric: `engine volatility_regime_4h config`, value: round(x.medianMs), unit: "ms", target: "—", met: null });
      } else {
        rows.push({ metric: `engine ${name} 1d config, full backtest`, value: round(x.medianMs), unit: "ms", target: "< 5", met: x.medianMs < 5 });
      }
    }
    return rows;
  },
  limit(r) {
    const rows = [];
    for (const x of r.rows) {
      rows.push({ metric: `engine / hand loop, ${x.strategy} 1h`, value: round(x.ratio, 1), unit: "×", target: "≤ 3", met: x.ratio <= 3 });
    }
    for (const x of r.rows) {
      rows.push({ metric: `hand loop ${x.strategy} 1h (the limit)`, value: round(x.loopMBarSymbolsPerSec, 1), unit: "M bar-symbols/s", target: "—", met: null });
    }
    for (const x of r.rows) {
      rows.push({ metric: `engine / strategy alone (window-exact indicators, no orders), ${x.strategy} 1h`, value: round(x.engineOverStrategyAlone), unit: "×", target: "—", met: null });
    }
    // Where the engine's time goes: idle engine + the strategy in the engine + exact ledger + order handling.
    if (r.rows.length > 0) rows.push({ metric: "engine with an idle strategy (never orders), 1h × 5 symbols", value: round(r.rows[0].idleEngineMs), unit: "ms", target: "—", met: null });
    for (const x of r.rows) {
      rows.push({ metric: `strategy in the engine, ${x.strategy} 1h: the run's ${x.strategyReplayCalls} calls of it replayed (strategy alone ${round(x.strategyAloneMs, 1)} ms)`, value: round(x.strategyInEngineMs), unit: "ms", target: "—", met: null });
    }
    for (const x of r.rows) {
      const parts = `idle engine ${round(x.idleEngineMs, 1)} + strategy in the engine ${round(x.strategyInEngineMs, 1)} + ledger ${round(x.ledgerReplayMs, 1)} + order handling ${round(x.orderHandlingMs, 1)} ms`;
      rows.push({ metric: `exact ledger, ${x.strategy} 1h: its ${x.engineTrades} trades replayed (engine ${round(x.engineMs, 1)} ms = ${parts})`, value: round(x.ledgerUsPerTrade), unit: "µs/trade", target: "—", met: null });
    }
    // The floor: idle engine + strategy in the engine + ledger, i.e. the engine if order handling cost nothing.
    for (const x of r.rows) {
      if (x.floorMs === undefined) continue;
      const goal = x.strategy === "regime_grid" ? 3 : 10;
      rows.push({ metric: `engine floor, ${x.strategy} 1h: idle engine + strategy in the engine + ledger = ${round(x.floorMs, 1)} ms (target ≥ ${goal} M)`, value: round(x.floorMBarSymbolsPerSec), unit: "M bar-symbols/s", target: "—", met: null });
      rows.push({ metric: `engine floor / hand loop, ${x.strategy} 1h (target for the engine ≤ 3)`, value: round(x.floorOverLoop), unit: "×", target: "—", met: null });
    }
    return rows;
  },
  csv(r) {
    const x = r.rows[0];
    return [{ metric: `CSV parse, ${x.files} × 1h files in memory`, value: round(x.mRowsPerSec), unit: "M rows/s", target: "—", met: null }];
  },
  "cold-start"(r) {
    const rows = [];
    for (const x of r.rows) {
      const cfg = x.config.replace("_config.json", "");
      rows.push({ metric: `CLI backtest cold start, ${cfg} 1d (wall, median)`, value: round(x.medianMs / 1000, 3), unit: "s", target: "< 0.4", met: x.medianMs < 400 });
      rows.push({ metric: `CLI backtest cold start, ${cfg} 1d (peak RSS)`, value: round(x.peakRssMiB, 1), unit: "MiB", target: "—", met: null });
    }
    rows.push({
      metric: "CLI backtest loads ccxt / better-sqlite3 / kiteconnect",
      value: r.lazy.forbiddenLoaded.length ? `yes: ${r.lazy.forbiddenLoaded.length}` : "no",
      unit: "",
      target: "no",
      met: r.lazy.ok,
    });
    return rows;
  },
  optimizer(r) {
    const m = r.results?.momentum_scalper;
    if (!m) return [{ metric: "optimizer momentum_scalper grid", value: "no result", unit: "", target: "—", met: null }];
    return [
      { metric: `optimizer momentum_scalper grid (${m.oneWorker.totalRuns} runs), 1 worker`, value: round(m.oneWorker.runsPerSecond, 1), unit: "backtests/s", target: "—", met: null },
      { metric: `optimizer momentum_scalper grid, 2 workers started at once`, value: round(m.twoWorkers.runsPerSecond, 1), unit: "backtests/s", target: "—", met: null },
      { metric: `optimizer 2-worker speedup (both started at once)`, value: round(m.speedup), unit: "×", target: "≥ 1.8", met: m.speedup >= 1.8 },
      { metric: `optimizer 2-worker speedup, second half (workers warm)`, value: round(m.warmSpeedup), unit: "×", target: "—", met: null },
      ...(m.adaptive
        ? [
            { metric: `optimizer momentum_scalper grid, default: up to 2 workers, the second started once the runs left repay it (used ${m.adaptive.threadsUsed})`, value: round(m.adaptive.runsPerSecond, 1), unit: "backtests/s", target: "—", met: null },
            { metric: `optimizer default (adaptive) speedup over 1 worker`, value: round(m.adaptiveSpeedup), unit: "×", target: "—", met: null },
          ]
        : []),
      { metric: `machine ceiling: fixed CPU work, 2 threads vs 1, same moment`, value: round(m.machineCeiling), unit: "×", target: "—", met: null },
      ...(r.results.momentum_scalper_4h
        ? [
            { metric: `optimizer momentum_scalper grid on 4h candles (longer runs), 1 worker`, value: round(r.results.momentum_scalper_4h.oneWorker.runsPerSecond, 1), unit: "backtests/s", target: "—", met: null },
            { metric: `optimizer momentum_scalper grid on 4h candles, 2-worker speedup`, value: round(r.results.momentum_scalper_4h.speedup), unit: "×", target: "—", met: null },
            { metric: `optimizer momentum_scalper grid on 4h candles, default (adaptive, used ${r.results.momentum_scalper_4h.adaptive?.threadsUsed ?? "?"} of 2) speedup`, value: round(r.results.momentum_scalper_4h.adaptiveSpeedup), unit: "×", target: "—", met: null },
            { metric: `machine ceiling before the 4h pair`, value: round(r.results.momentum_scalper_4h.machineCeiling), unit: "×", target: "—", met: null },
          ]
        : []),
      ...(r.results.regime_grid
        ? [{ metric: `optimizer regime_grid full grid (${r.results.regime_grid.totalRuns} runs), 2 workers, ${r.results.regime_grid.sampled === "full" ? "measured" : `projected from ${r.results.regime_grid.sampled}`}`, value: round(r.results.regime_grid.projectedFullSeconds / 60, 1), unit: "min", target: "< 10", met: r.results.regime_grid.projectedFullSeconds < 600 }]
        : []),
    ];
  },
  "raw-workers"(r) {
    return [
      { metric: `plain workers, ${r.config} backtests back to back, warm: 2 vs 1`, value: round(r.scaling), unit: "×", target: "—", met: null },
    ];
  },
  memory(r) {
    const rows = [];
    for (const x of r.rows) {
      rows.push({
        metric: `memory 5 × ${x.barsPerSymbol / 1e3}k 1m bars (${r.strategy}): peak growth beyond candles`,
        value: round(x.peakRssGrowthBytesPerBarSymbol, 1),
        unit: "B/bar-symbol",
        target: "< 64",
        met: x.peakRssGrowthBytesPerBarSymbol < 64,
      });
    }
    const last = r.rows[r.rows.length - 1];
    if (last?.marginalBytesPerBarSymbol !== undefined) {
      const prev = r.rows[r.rows.length - 2];
      rows.push({
        metric: `memory slope ${prev.barsPerSymbol / 1e3}k → ${last.barsPerSymbol / 1e3}k bars (linear growth)`,
        value: round(last.marginalBytesPerBarSymbol, 1),
        unit: "B/bar-symbol",
        target: "< 64",
        met: last.marginalBytesPerBarSymbol < 64,
      });
    }
    return rows;
  },
};

const loadStart = loadavg();
const started = new Date();
const results = {};
const notes = [];
let table = [];
let crashed = false;
for (const b of BENCHES) {
  if (wanted && !wanted.has(b.name)) continue;
  if (!existsSync(join(root, b.script))) {
    notes.push(`${b.name}: skipped, ${b.script} does not exist yet`);
    table.push({ metric: `${b.name} (${b.about})`, value: "skipped", unit: "", target: "—", met: null });
    continue;
  }
  process.stderr.write(`bench ${b.name}: ${b.about} … (load ${loadavg().map((x) => x.toFixed(2)).join(" ")})\n`);
  const r = await run(b);
  process.stderr.write(`bench ${b.name}: ${r.code === 0 ? "done" : `FAILED (exit ${r.code})`} in ${r.seconds.toFixed(1)} s\n`);
  if (r.code !== 0 || !r.result) {
    crashed = true;
    notes.push(`${b.name}: failed (exit ${r.code}${r.result ? "" : ", no JSON result line"})`);
    table.push({ metric: `${b.name} (${b.about})`, value: "failed", unit: "", target: "—", met: null });
    continue;
  }
  results[b.name] = { seconds: r.seconds, ...r.result };
  table = table.concat(ROWS[b.name](r.result));
}
const loadEnd = loadavg();

const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  totalMemGiB: round(totalmem() / 2 ** 30, 1),
  platform: `${platform()} ${release()}`,
  node: process.version,
  loadAverageStart: loadStart.map((x) => round(x)),
  loadAverageEnd: loadEnd.map((x) => round(x)),
};
let commit;
try {
  commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
} catch {
  commit = undefined;
}

// The table.
const mark = (m) => (m === true ? "yes" : m === false ? "NO" : "");
const cols = [
  ["metric", (r) => r.metric],
  ["value", (r) => String(r.value)],
  ["unit", (r) => r.unit],
  ["target", (r) => r.target],
  ["met?", (r) => mark(r.met)],
];
const widths = cols.map(([h, f]) => Math.max(h.length, ...table.map((r) => f(r).length)));
const line = (cells) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
console.log("");
console.log(`Tradeloom benchmarks — ${started.toISOString()}${commit ? ` — commit ${commit}` : ""}`);
console.log(`machine: ${machine.cpus} × ${machine.cpuModel}, node ${machine.node}; load average (1/5/15 min) at start ${machine.loadAverageStart.join(" ")}, at end ${machine.loadAverageEnd.join(" ")}`);
console.log("");
console.log(line(cols.map(([h]) => h)));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const r of table) console.log(line(cols.map(([, f]) => f(r))));
const missed = table.filter((r) => r.met === false).length;
const met = table.filter((r) => r.met === true).length;
console.log("");
console.log(`targets met: ${met}, missed: ${missed}${notes.length ? `\nnotes:\n  ${notes.join("\n  ")}` : ""}`);
if (machine.loadAverageStart[0] > machine.cpus * 0.5) console.log(`note: the machine was busy (load ${machine.loadAverageStart[0]} on ${machine.cpus} cpus): timings are pessimistic.`);

const outDir = join(root, "bench-results");
mkdirSync(outDir, { recursive: true });
const file = join(outDir, "bench.json");
writeFileSync(file, `${JSON.stringify({ date: started.toISOString(), commit, machine, table, notes, results }, null, 2)}\n`);
console.log(`written: ${relative(process.cwd(), file) || file}`);
process.exitCode = crashed ? 1 : 0;
