// Shared helpers of the backtester benches: shared data/config folders, the 1 h variant of each config, medians.
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseConfigText, parseCandleCsv } from "@tradeloom/backtester";

const here = fileURLToPath(new URL(".", import.meta.url));
const args = process.argv.slice(2);
export const arg = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
export const flag = (k) => args.includes(k);

/** Folder with the shared CSV files (`--data DIR`, default ../shared/data beside the repository). */
export const dataDir = resolve(arg("--data", join(here, "../../../../shared/data")));
/** Folder with the shipped configs (`--configs DIR`). */
export const configDir = resolve(arg("--configs", join(here, "../../../../shared/configs")));

export const STRATEGIES = ["volatility_regime", "regime_grid", "momentum_scalper", "quick_flip", "range_breakout"];
export const SYMS_1H = ["BNBINR", "BTCINR", "ETHINR", "SOLINR", "XRPINR"];

export function loadConfig(file) {
  return parseConfigText(readFileSync(join(configDir, file), "utf8"));
}

/** The shipped 1 d config of `name`, re-pointed at the five 1 h files. */
export function config1h(name) {
  const cfg = loadConfig(`${name}_config.json`);
  return { ...cfg, strategy: { ...cfg.strategy, timeframe: "1h" }, trading: { ...cfg.trading, symbols: SYMS_1H } };
}

const cache = new Map();
/** Parsed candles of `SYMBOL_tf` (cached). */
export function series(symbol, tf) {
  const key = `${symbol}_${tf}`;
  if (!cache.has(key)) cache.set(key, parseCandleCsv(readFileSync(join(dataDir, `${key}.csv`), "utf8"), key).series);
  return cache.get(key);
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const nowNs = () => Number(process.hrtime.bigint());
export const load = () => loadavg().map((x) => +x.toFixed(2));
