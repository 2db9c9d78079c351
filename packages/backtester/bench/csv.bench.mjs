// Loading (docs/benchmarks.md, benchmark 3a): CSV rows parsed per second by parseCandleCsv on the five 1 h files,
// their text already in memory (no disk I/O in the timing).
//
// Usage: node bench/csv.bench.mjs [--json] [--seconds S] [--data DIR]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCandleCsv } from "@tradeloom/backtester";
import { SYMS_1H, arg, dataDir, flag, load, median, nowNs } from "./common.mjs";

const budgetMs = Number(arg("--seconds", "3")) * 1000;
const texts = SYMS_1H.map((s) => ({ name: `${s}_1h.csv`, text: readFileSync(join(dataDir, `${s}_1h.csv`), "utf8") }));
const bytes = texts.reduce((a, t) => a + Buffer.byteLength(t.text), 0);
const parseAll = () => {
  let rows = 0;
  for (const t of texts) rows += parseCandleCsv(t.text, t.name).series.length;
  return rows;
};
let rows = 0;
for (let i = 0; i < 5; i++) rows = parseAll();
const times = [];
const deadline = Date.now() + budgetMs;
do {
  const t = nowNs();
  rows = parseAll();
  times.push(nowNs() - t);
} while (times.length < 10 || (Date.now() < deadline && times.length < 200));
const ns = median(times);
const row = {
  files: texts.length,
  rows,
  megabytes: +(bytes / 1e6).toFixed(2),
  medianMs: +(ns / 1e6).toFixed(2),
  mRowsPerSec: +((rows / ns) * 1e3).toFixed(2),
  nsPerRow: +(ns / rows).toFixed(1),
  mbPerSec: +((bytes / ns) * 1e3).toFixed(1),
  runs: times.length,
};
if (flag("--json")) console.log(JSON.stringify({ bench: "csv", load: load(), rows: [row] }));
else console.table([row]);
