// Optimizer benchmark: runs/second with 1 and 2 workers, the 2-worker speedup, and regime_grid's wall time and
// peak RSS. Run after `pnpm --filter @tradeloom/optimizer build`:
//
//   node bench/optimize.bench.mjs [--shared DIR] [--regime-sample N | --regime-full] [--quick]
//
// --shared      folder with configs/ and data/ (default: ../shared beside the repository)
// --regime-sample N  run 1/N of regime_grid's 236,196 runs (shard 0/N, spread over the whole grid) and
//               extrapolate the full wall time (default N = 100)
// --regime-full run all 236,196 runs (about 2 h on 2 cores with the current engine)
// --quick       only volatility_regime (CI smoke)
// --regime-only skip the 1-vs-2-worker cases
//
// Speedup needs otherwise idle cores: Linux groups CPU time per session (autogroup), so while another session keeps
// the machine busy this process gets about one core however many workers it starts, and the 2-worker figures say
// nothing. "cpuMsPerRun" (CPU time of all threads per run) is robust to that and shows parallel overhead.
//
// The last stdout line is one JSON object with every figure, for the repository's benchmark collector.
import { readFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parseConfigText } from "@tradeloom/backtester";
import { csvDirectory } from "@tradeloom/backtester/node";
import { optimize } from "../dist/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    shared: { type: "string", default: resolve(here, "../../../../shared") },
    "regime-sample": { type: "string", default: "100" },
    "regime-full": { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
    "regime-only": { type: "boolean", default: false },
  },
});
const data = csvDirectory(join(values.shared, "data"));
const load = (name) => parseConfigText(readFileSync(join(values.shared, "configs", `${name}_config.json`), "utf8"));

async function measure(name, workers, shard) {
  const config = load(name);
  const rss = [];
  let nextMark = 0.25;
  let first;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const report = await optimize({
    config,
    data,
    workers,
    top: 10,
    ...(shard ? { shard } : {}),
    onProgress: (p) => {
      first ??= { done: p.done, at: performance.now() };
      if (p.done / p.total >= nextMark) {
        rss.push(Math.round(process.memoryUsage().rss / 2 ** 20));
        nextMark += 0.25;
      }
    },
  });
  const end = performance.now();
  // CPU time of every thread of the process: what the runs cost, whatever else the machine is doing.
  const cpu = process.cpuUsage(cpu0);
  const cpuMsPerRun = (cpu.user + cpu.system) / 1000 / Math.max(1, report.completedRuns);
  const seconds = (end - t0) / 1000;
  // Excludes loading the data and starting the workers: the rate a long search runs at.
  const steady = first && end > first.at ? (report.completedRuns - first.done) / ((end - first.at) / 1000) : Number.NaN;
  const r = {
    config: name,
    workers,
    runs: report.completedRuns,
    totalRuns: report.totalRuns,
    seconds: +seconds.toFixed(2),
    runsPerSecond: +(report.completedRuns / seconds).toFixed(2),
    steadyRunsPerSecond: +steady.toFixed(2),
    cpuMsPerRun: +cpuMsPerRun.toFixed(2),
    rssMiBAtQuarters: rss,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    best: report.ranking[0] ? { index: report.ranking[0].index, sharpe: +report.ranking[0].metrics.sharpe.toFixed(4) } : null,
  };
  console.log(`${name.padEnd(20)} workers=${workers}  ${String(r.runs).padStart(6)} runs  ${r.seconds.toFixed(1).padStart(7)} s  ${r.runsPerSecond.toFixed(1).padStart(7)} runs/s (steady ${r.steadyRunsPerSecond.toFixed(1)}, ${r.cpuMsPerRun.toFixed(1)} CPU ms/run)  RSS ${rss.join("/")} MiB`);
  return r;
}

const results = {};
const pair = async (name) => {
  const one = await measure(name, 1);
  const two = await measure(name, 2);
  const speedup = +(two.runsPerSecond / one.runsPerSecond).toFixed(2);
  const steadySpeedup = +(two.steadyRunsPerSecond / one.steadyRunsPerSecond).toFixed(2);
  // On a machine shared with other jobs wall-clock speedup understates scaling; CPU per run shows the overhead of
  // parallelism itself (2 × this ratio is the speedup two idle cores would give).
  const cpuEfficiency = +(one.cpuMsPerRun / two.cpuMsPerRun).toFixed(2);
  console.log(`${name.padEnd(20)} 2-worker speedup ${speedup}× wall, ${steadySpeedup}× steady; CPU per run 1w/2w = ${cpuEfficiency} (target speedup ≥ 1.8)`);
  if (one.best?.index !== two.best?.index) throw new Error(`${name}: winner differs between 1 and 2 workers`);
  return { oneWorker: one, twoWorkers: two, speedup, steadySpeedup, cpuEfficiency };
};

if (!values["regime-only"]) results.volatility_regime = await pair("volatility_regime");
if (!values.quick) {
  if (!values["regime-only"]) results.momentum_scalper = await pair("momentum_scalper");
  const n = values["regime-full"] ? 1 : Number(values["regime-sample"]);
  const r = await measure("regime_grid", 2, n > 1 ? { index: 0, count: n } : undefined);
  const fullSeconds = r.seconds * (r.totalRuns / r.runs);
  results.regime_grid = { ...r, sampled: n > 1 ? `shard 0/${n}` : "full", projectedFullSeconds: Math.round(fullSeconds), targetSeconds: 600 };
  console.log(`regime_grid          ${n > 1 ? `projected from 1/${n}: ` : ""}${(fullSeconds / 60).toFixed(1)} min for ${r.totalRuns} runs (target < 10 min), peak RSS ${r.peakRssMiB} MiB`);
}
console.log(JSON.stringify({ bench: "optimizer", node: process.version, loadAverage: os.loadavg().map((x) => +x.toFixed(2)), results }));
