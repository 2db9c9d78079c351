import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Money } from "@tradeloom/types";
import { beforeAll, describe, expect, it } from "vitest";
import { SqliteStateManager } from "../src/index";
import { bundleForChildren, startChild } from "./child-process";

const ROUNDS = 25;

describe("crash safety", () => {
  let bundle: string;
  beforeAll(async () => {
    bundle = await bundleForChildren();
  });

  it(`keeps every reported commit and no half transaction across ${ROUNDS} SIGKILLs`, async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), "tradeloom-crash-")), "trading_state.db");
    let reported = 0;
    let killedMidLoop = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const child = startChild(bundle, dbPath, "crash-loop");
      // Most rounds kill while the loop commits; every fifth kills at a random moment from spawn on, which can
      // land in module loading, in open() or in the first transactions.
      const early = round % 5 === 4;
      if (!early) await child.waitFor(/^ready/);
      await new Promise((r) => setTimeout(r, Math.random() * (early ? 250 : 120)));
      child.process.kill("SIGKILL");
      const { signal, stderr } = await child.exited;
      expect(signal, stderr).toBe("SIGKILL");

      const committed = child.lines.filter((l) => /^\d+$/.test(l)).map(Number);
      if (committed.length > 0) {
        killedMidLoop++;
        reported = Math.max(reported, ...committed);
      }

      const state = SqliteStateManager.open(dbPath);
      try {
        if (child.lines.length > 0) expect(state.previousOwner?.pid).toBe(child.process.pid);
        expect(state.checkIntegrity()).toEqual([]);
        const fills = state.listFills();
        const n = fills.length;
        // Every commit the child reported is there; at most one more committed before the kill hit the print.
        expect(n).toBeGreaterThanOrEqual(reported);
        expect(n).toBeLessThanOrEqual(reported + 1);
        reported = n;
        expect(fills.map((f) => f.exchangeFillId)).toEqual(Array.from({ length: n }, (_, i) => `x-${i + 1}`));
        // No half transaction: each fill has its order, its trade, and its share of the position and journal.
        const trades = state.listTrades();
        expect(trades.map((t) => t.fillId)).toEqual(fills.map((f) => f.id));
        expect(state.listOrders({ status: "filled" })).toHaveLength(n);
        const expected = Money.of("0.1").times(n);
        const position = state.getPosition("BTCINR");
        if (n === 0) expect(position).toBeUndefined();
        else {
          expect(position?.quantity.toString()).toBe(expected.toString());
          expect(position?.realizedPnl.toString()).toBe(expected.toString());
        }
        expect(state.readJournal()).toHaveLength(4 * n);
      } finally {
        state.close();
      }
    }
    // The test means something only if most kills hit a running loop with commits behind it.
    expect(killedMidLoop).toBeGreaterThanOrEqual(ROUNDS / 2);
    expect(reported).toBeGreaterThan(ROUNDS);
  }, 60_000);
});
