// How many trades per second the store commits, each in its own transaction (what the live loop does), with
// synchronous=FULL (durable against power loss) and NORMAL (durable against a process crash only).
// Runs the real source through a bundle, so it needs no build: `pnpm --filter @tradeloom/state bench`.
// Options: --seconds=N per measurement (default 3).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { bundleStateSource } from "../scripts/bundle-source.mjs";

const seconds = Number(process.argv.find((a) => a.startsWith("--seconds="))?.slice(10) ?? 3);
const dir = mkdtempSync(join(tmpdir(), "tradeloom-state-bench-"));
const { SqliteStateManager, Money } = await import(pathToFileURL(await bundleStateSource(join(dir, "state.mjs"))).href);

const T0 = 1_700_000_000_000;
const price = Money.of("4999999.99");
const qty = Money.of("0.001");

const workloads = {
  // One trade per commit.
  "trade": (state, i) => {
    state.recordTrade({
      symbol: "BTCINR", side: "buy", quantity: qty, entryPrice: price, exitPrice: price.plus(i), entryTime: T0,
      exitTime: T0 + i, grossPnl: qty.times(i), fees: Money.of("0.01"), netPnl: qty.times(i).minus("0.01"),
      exitReason: "signal", closesPosition: true,
    });
  },
  // What a closing fill writes: fill, position and trade together.
  "fill+position+trade": (state, i) => {
    state.transaction(() => {
      const fill = state.recordFill({ symbol: "BTCINR", side: "sell", price, quantity: qty, fee: Money.of("0.01"), maker: false, time: T0 + i });
      state.savePosition({
        symbol: "BTCINR", side: "buy", quantity: Money.ZERO, entryPrice: price, entryTime: T0, status: "closed",
        realizedPnl: qty.times(i), exitPrice: price, exitTime: T0 + i, updatedAt: T0 + i,
      });
      workloads.trade(state, i);
      return fill;
    });
  },
};

function measure(synchronous, name) {
  const path = join(dir, `${synchronous}-${name.replaceAll("+", "_")}.db`);
  const state = SqliteStateManager.open(path, { synchronous });
  const work = workloads[name];
  for (let i = 0; i < 20; i++) work(state, i); // warm up statements and the WAL file
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < end) {
    work(state, n++);
    now = process.hrtime.bigint();
  }
  state.close();
  const elapsed = Number(now - start) / 1e9;
  return { synchronous, workload: name, commits: n, "commits/s": Math.round(n / elapsed), "ms/commit": +((elapsed * 1000) / n).toFixed(3) };
}

const rows = [];
for (const synchronous of ["FULL", "NORMAL"]) for (const name of Object.keys(workloads)) rows.push(measure(synchronous, name));
console.log(`node ${process.version}, ${seconds} s per measurement, database in ${tmpdir()}`);
console.table(rows);
rmSync(dir, { recursive: true, force: true });
