// The runtime's own scaling for the optimizer's workload, without the optimizer: N plain worker threads each run the
// same config's backtest back to back (data parsed in each worker, strategy built per run), warm for 1.5 s, then
// count runs for S seconds. Compared with the optimizer's speedup it separates what V8 and the host allow (GC and
// compiler threads, other tenants) from what the pool, batching and ranking cost.
//
//   node bench/raw-workers.bench.mjs [--config momentum_scalper] [--seconds 4] [--shared DIR]
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

if (isMainThread) {
  const here = dirname(fileURLToPath(import.meta.url));
  const { values } = parseArgs({
    options: {
      config: { type: "string", default: "momentum_scalper" },
      seconds: { type: "string", default: "4" },
      shared: { type: "string", default: resolve(here, "../../../../shared") },
    },
  });
  const secs = Number(values.seconds);
  const measure = async (n) => {
    const ws = Array.from({ length: n }, () => new Worker(new URL(import.meta.url), { workerData: { ...values, secs }, resourceLimits: { maxYoungGenerationSizeMb: 64 } }));
    const runs = await Promise.all(ws.map((w) => new Promise((done, fail) => (w.once("message", done), w.once("error", fail)))));
    return runs.reduce((a, b) => a + b, 0) / secs;
  };
  const one = await measure(1);
  const two = await measure(2);
  console.log(`${values.config}: warm backtests/s, plain workers: 1 → ${one.toFixed(0)}, 2 → ${two.toFixed(0)}; scaling ${(two / one).toFixed(2)}×`);
  console.log(JSON.stringify({ bench: "raw-workers", config: values.config, oneWorker: +one.toFixed(1), twoWorkers: +two.toFixed(1), scaling: +(two / one).toFixed(2) }));
} else {
  const { parseConfigText, runBacktest, memorySource, parseCandleCsv } = await import("@tradeloom/backtester");
  const { builtinRegistry } = await import("@tradeloom/strategies");
  const { Timeframe } = await import("@tradeloom/types");
  const { config, shared, secs } = workerData;
  const cfg = parseConfigText(readFileSync(join(shared, "configs", `${config}_config.json`), "utf8"));
  const tf = cfg.strategy.timeframe;
  const data = {};
  for (const s of cfg.trading.symbols) data[`${s}_${tf}`] = parseCandleCsv(readFileSync(join(shared, "data", `${s}_${tf}.csv`), "utf8"), s).series;
  const once = () => runBacktest({ config: cfg, strategy: builtinRegistry().create(cfg.strategy.name, cfg.strategy, { timeframe: Timeframe.parse(tf) }), data: memorySource(data) });
  const warm = Date.now() + 1500;
  while (Date.now() < warm) await once();
  let runs = 0;
  const end = Date.now() + secs * 1000;
  while (Date.now() < end) {
    await once();
    runs++;
  }
  parentPort.postMessage(runs);
}
