// Optimizer benchmark: runs/second with 1 and 2 workers, the 2-worker speedup, and regime_grid's wall time and
// peak RSS. Run after `pnpm --filter @tradeloom/optimizer build`:
//
//   node bench/optimize.bench.mjs [--shared DIR] [--regime-sample N | --regime-full] [--quick] [--skip-long]
//
// --shared      folder with configs/ and data/ (default: ../shared beside the repository)
// --regime-sample N  run 1/N of regime_grid's 236,196 runs (shard 0/N, spread over the whole grid) and
//               extrapolate the full wall time (default N = 100)
// --regime-full run all 236,196 runs (about 2 h on 2 cores with the current engine)
// --quick       only volatility_regime (CI smoke)
// --regime-only skip the 1-vs-2-worker cases
// --skip-long   skip the momentum_scalper grid on 4 h candles (the same 1,458 runs, ≈ 13× the work per run: long
//               enough for each worker's JIT warm-up to be paid back; ≈ 30 s)
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
import { Worker } from "node:worker_threads";
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
    "skip-long": { type: "boolean", default: false },
  },
});
const data = csvDirectory(join(values.shared, "data"));
const load = (name) => parseConfigText(readFileSync(join(values.shared, "configs", `${name}_config.json`), "utf8"));

// The machine's own ceiling, measured just before each pair: the same fixed CPU work (no allocation) in one thread,
// then split over two. On a dedicated 2-core machine this is ≈ 2; on a host shared with other sessions it says how
// much parallelism there was to be had at that moment.
const SPIN = `import { parentPort, workerData } from "node:worker_threads";
let x = 0; for (let r = 0; r < workerData; r++) for (let i = 0; i < 1e6; i++) x += Math.sqrt(i + r);
parentPort.postMessage(x);`;
const spin = (units) =>
  new Promise((done, fail) => {
    const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(SPIN)}`), { workerData: units });
    w.once("message", () => w.terminate().then(done, fail));
    w.once("error", fail);
  });
async function machineCeiling() {
  let t = performance.now();
  await spin(300);
  const one = performance.now() - t;
  t = performance.now();
  await Promise.all([spin(150), spin(150)]);
  return +(one / (performance.now() - t)).toFixed(2);
}

// `adaptive`: the optimizer's default, one thread first and the others once the runs left repay them; otherwise all
// `workers` threads start at once (what "2 workers" measures: the cost and gain of the second thread itself).
async function measure(name, workers, shard, timeframes, adaptive = false) {
  const config = load(name);
  const rss = [];
  let nextMark = 0.25;
  let first;
  let half;
  let threads = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const report = await optimize({
    config,
    data,
    workers,
    adaptiveWorkers: adaptive,
    top: 10,
    ...(shard ? { shard } : {}),
    ...(timeframes ? { timeframes } : {}),
    onProgress: (p) => {
      threads = Math.max(threads, p.workers);
      first ??= { done: p.done, at: performance.now() };
      if (half === undefined && p.done >= p.total / 2) half = { done: p.done, at: performance.now() };
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
  // The second half only: each worker is a fresh V8 isolate that compiles (and optimises) the engine on its own, so
  // a short search pays that warm-up once per worker; the second half shows the rate once it is paid.
  const warm = half && end > half.at ? (report.completedRuns - half.done) / ((end - half.at) / 1000) : Number.NaN;
  const r = {
    config: name,
    ...(timeframes ? { timeframes } : {}),
    workers,
    adaptive,
    threadsUsed: threads,
    runs: report.completedRuns,
    totalRuns: report.totalRuns,
    seconds: +seconds.toFixed(2),
    runsPerSecond: +(report.completedRuns / seconds).toFixed(2),
    steadyRunsPerSecond: +steady.toFixed(2),
    warmRunsPerSecond: +warm.toFixed(2),
    cpuMsPerRun: +cpuMsPerRun.toFixed(2),
    rssMiBAtQuarters: rss,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    best: report.ranking[0] ? { index: report.ranking[0].index, sharpe: +report.ranking[0].metrics.sharpe.toFixed(4) } : null,
  };
  const label = timeframes ? `${name} ${timeframes.join(",")}` : name;
  console.log(`${label.padEnd(20)} workers=${workers}${adaptive ? ` adaptive (used ${threads})` : ""}  ${String(r.runs).padStart(6)} runs  ${r.seconds.toFixed(1).padStart(7)} s  ${r.runsPerSecond.toFixed(1).padStart(7)} runs/s (steady ${r.steadyRunsPerSecond.toFixed(1)}, second half ${r.warmRunsPerSecond.toFixed(1)}, ${r.cpuMsPerRun.toFixed(1)} CPU ms/run)  RSS ${rss.join("/")} MiB`);
  return r;
}

const results = {};
const pair = async (name, timeframes) => {
  const ceiling = await machineCeiling();
  const one = await measure(name, 1, undefined, timeframes);
  const two = await measure(name, 2, undefined, timeframes);
  const auto = await measure(name, 2, undefined, timeframes, true);
  const adaptiveSpeedup = +(auto.runsPerSecond / one.runsPerSecond).toFixed(2);
  const speedup = +(two.runsPerSecond / one.runsPerSecond).toFixed(2);
  const steadySpeedup = +(two.steadyRunsPerSecond / one.steadyRunsPerSecond).toFixed(2);
  const warmSpeedup = +(two.warmRunsPerSecond / one.warmRunsPerSecond).toFixed(2);
  // On a machine shared with other jobs wall-clock speedup understates scaling; CPU per run shows the overhead of
  // parallelism itself (2 × this ratio is the speedup two idle cores would give).
  const cpuEfficiency = +(one.cpuMsPerRun / two.cpuMsPerRun).toFixed(2);
  console.log(
    `${(timeframes ? `${name} ${timeframes.join(",")}` : name).padEnd(20)} 2-worker speedup ${speedup}× wall, ${steadySpeedup}× steady, ${warmSpeedup}× second half; CPU per run 1w/2w = ${cpuEfficiency}; machine ceiling now ${ceiling}× (target speedup ≥ 1.8); default (adaptive, used ${auto.threadsUsed} of 2) ${adaptiveSpeedup}×`,
  );
  if (one.best?.index !== two.best?.index || one.best?.index !== auto.best?.index) throw new Error(`${name}: winner differs between 1 and 2 workers`);
  return { oneWorker: one, twoWorkers: two, adaptive: auto, adaptiveSpeedup, speedup, steadySpeedup, warmSpeedup, cpuEfficiency, machineCeiling: ceiling };
};

if (!values["regime-only"]) results.volatility_regime = await pair("volatility_regime");
if (!values.quick) {
  if (!values["regime-only"]) results.momentum_scalper = await pair("momentum_scalper");
  // The 1 d grid takes ≈ 2 s, about as long as each worker spends compiling the engine: the same grid on 4 h candles
  // shows the speedup once that warm-up is small against the runs.
  if (!values["regime-only"] && !values["skip-long"]) results.momentum_scalper_4h = await pair("momentum_scalper", ["4h"]);
  const n = values["regime-full"] ? 1 : Number(values["regime-sample"]);
  // Both threads from the start: a sample of a few seconds would spend a larger share of itself on one thread than the
  // whole grid (minutes) does, and the projection would read high.
  const r = await measure("regime_grid", 2, n > 1 ? { index: 0, count: n } : undefined);
  const fullSeconds = r.seconds * (r.totalRuns / r.runs);
  results.regime_grid = { ...r, sampled: n > 1 ? `shard 0/${n}` : "full", projectedFullSeconds: Math.round(fullSeconds), targetSeconds: 600 };
  console.log(`regime_grid          ${n > 1 ? `projected from 1/${n}: ` : ""}${(fullSeconds / 60).toFixed(1)} min for ${r.totalRuns} runs (target < 10 min), peak RSS ${r.peakRssMiB} MiB`);
}
console.log(JSON.stringify({ bench: "optimizer", node: process.version, loadAverage: os.loadavg().map((x) => +x.toFixed(2)), results }));
