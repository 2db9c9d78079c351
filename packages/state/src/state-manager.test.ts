import Database from "better-sqlite3";
import { Money } from "@tradeloom/types";
import { describe, expect, it } from "vitest";
import { checkpoint, fill, order, plain, position, T0, trade } from "../test/fixtures/records";
import { openState, tempDbPath } from "../test/fixtures/temp-db";
import { ACTIVE_ORDER_STATUSES, StateError } from "./index";

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return e instanceof StateError ? e.code : `not a StateError: ${String(e)}`;
  }
  return undefined;
};

describe("SqliteStateManager round trips", () => {
  it("stores positions exactly and keeps closed ones closed across a restart (G7)", () => {
    const path = tempDbPath();
    let state = openState(path);
    state.savePosition(position());
    state.savePosition(position({ symbol: "ETHINR", side: "sell", stopLoss: undefined, takeProfit: undefined, trailingStop: undefined }));
    state.savePosition(position({ symbol: "BTCINR", status: "closed", quantity: Money.ZERO, exitPrice: Money.of("5000000.01"), exitTime: T0 + 300_000 }));
    state.close();

    state = openState(path);
    expect(state.loadPositions("open").map((p) => p.symbol)).toEqual(["ETHINR"]);
    expect(state.loadPositions("closed").map((p) => p.symbol)).toEqual(["BTCINR"]);
    expect(plain(state.getPosition("BTCINR"))).toEqual(
      plain(position({ status: "closed", quantity: Money.ZERO, exitPrice: Money.of("5000000.01"), exitTime: T0 + 300_000 })),
    );
    const eth = state.getPosition("ETHINR")!;
    expect(eth.stopLoss).toBeUndefined();
    expect(eth.quantity.toString()).toBe("0.3"); // 0.1 + 0.2, exactly
    expect(state.loadPositions()).toHaveLength(2);
    expect(state.getPosition("SOLINR")).toBeUndefined();
  });

  it("stores orders with their client ids and lists the ones to reconcile after a restart (G6)", () => {
    const path = tempDbPath();
    let state = openState(path);
    state.saveOrder(order());
    state.saveOrder(order({ clientOrderId: "tl-2", exchangeOrderId: undefined, symbol: "ETHINR", status: "open", createdAt: T0 + 1, timeInForce: "gtc", expiresAt: undefined }));
    state.saveOrder(order({ clientOrderId: "tl-3", exchangeOrderId: "ex-3", status: "filled", createdAt: T0 + 2 }));
    state.saveOrder(order({ clientOrderId: "tl-2", exchangeOrderId: "ex-2", symbol: "ETHINR", status: "open", createdAt: T0 + 1 }));
    state.close();

    state = openState(path);
    expect(plain(state.getOrder("tl-1-BTCINR-1"))).toEqual(plain(order()));
    expect(state.getOrder("tl-2")?.exchangeOrderId).toBe("ex-2");
    expect(state.listOrders({ status: ACTIVE_ORDER_STATUSES }).map((o) => o.clientOrderId)).toEqual(["tl-1-BTCINR-1", "tl-2"]);
    expect(state.listOrders({ status: "filled" }).map((o) => o.clientOrderId)).toEqual(["tl-3"]);
    expect(state.listOrders({ symbol: "ETHINR" }).map((o) => o.clientOrderId)).toEqual(["tl-2"]);
    expect(state.listOrders({ status: [] })).toEqual([]);
    expect(state.listOrders()).toHaveLength(3);
  });

  it("records fills and trades exactly, with ids, and filters them", () => {
    const state = openState();
    state.saveOrder(order());
    const f1 = state.recordFill(fill());
    const f2 = state.recordFill(fill({ exchangeFillId: undefined, clientOrderId: undefined, symbol: "ETHINR", maker: false }));
    const t1 = state.recordTrade(trade({ fillId: f1.id }));
    const t2 = state.recordTrade(trade({ symbol: "ETHINR", closesPosition: true }));
    expect([f1.id, f2.id, t1.id, t2.id]).toEqual([1, 2, 1, 2]);
    expect(plain(state.listFills())).toEqual(plain([f1, f2]));
    expect(plain(state.listFills())).toEqual(plain([{ ...fill(), id: 1 }, { ...fill({ exchangeFillId: undefined, clientOrderId: undefined, symbol: "ETHINR", maker: false }), id: 2 }]));
    expect(state.listFills({ clientOrderId: "tl-1-BTCINR-1" }).map((f) => f.id)).toEqual([1]);
    expect(state.listFills({ symbol: "ETHINR" }).map((f) => f.id)).toEqual([2]);
    expect(plain(state.listTrades())).toEqual(plain([t1, t2]));
    expect(state.listTrades({ symbol: "BTCINR" })[0]!.netPnl.toString()).toBe("123456789012345.0790012345678");
  });

  it("saves checkpoints and loads the latest, with positions and orders in the same transaction (G21)", () => {
    const path = tempDbPath();
    let state = openState(path);
    expect(state.loadLatestCheckpoint()).toBeUndefined();
    state.saveCheckpoint(checkpoint());
    const second = state.saveCheckpoint(checkpoint({ cycleCount: 20, consecutiveLosses: 0, paperMode: false }), {
      positions: [position()],
      orders: [order()],
    });
    expect(second.id).toBe(2);
    state.close();

    state = openState(path);
    expect(plain(state.loadLatestCheckpoint())).toEqual(plain({ ...checkpoint({ cycleCount: 20, consecutiveLosses: 0, paperMode: false }), id: 2 }));
    expect(state.loadLatestCheckpoint()!.cash.toString()).toBe("0.3");
    expect(state.loadPositions("open")).toHaveLength(1);
    expect(state.listOrders()).toHaveLength(1);
    // A checkpoint whose position is invalid leaves neither the checkpoint nor anything else behind.
    expect(codeOf(() => state.saveCheckpoint(checkpoint({ cycleCount: 30 }), { orders: [order({ clientOrderId: "new" })], positions: [position({ status: "closed" })] }))).toBe("STATE_INVALID_RECORD");
    expect(state.loadLatestCheckpoint()!.cycleCount).toBe(20);
    expect(state.getOrder("new")).toBeUndefined();
  });

  it("journals every write in order, with the injected clock", () => {
    let now = 5;
    const state = openState(tempDbPath(), { clock: () => now++ });
    state.savePosition(position());
    state.saveOrder(order());
    const f = state.recordFill(fill());
    state.recordTrade(trade({ fillId: f.id }));
    state.saveCheckpoint(checkpoint());
    state.appendJournal("engine.started", { mode: "paper" });
    const j = state.readJournal();
    expect(j.map((e) => e.type)).toEqual(["position.saved", "order.saved", "fill.recorded", "trade.recorded", "checkpoint.saved", "engine.started"]);
    expect(j.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(j.map((e) => e.at)).toEqual([6, 7, 8, 9, 10, 11]); // 5 went to the lock file at open
    expect(j[2]!.payload).toMatchObject({ id: 1, price: "1234567890123456.789012345678" });
    expect(state.readJournal({ afterSeq: 4, limit: 1 }).map((e) => e.seq)).toEqual([5]);
  });
});

describe("SqliteStateManager transactions", () => {
  it("writes a fill, its position and its trade together or not at all", () => {
    const state = openState();
    state.saveOrder(order());
    const boom = new Error("engine failed mid-fill");
    expect(() =>
      state.transaction(() => {
        const f = state.recordFill(fill());
        state.savePosition(position());
        state.recordTrade(trade({ fillId: f.id }));
        throw boom;
      }),
    ).toThrow(boom);
    expect(state.listFills()).toEqual([]);
    expect(state.loadPositions()).toEqual([]);
    expect(state.listTrades()).toEqual([]);
    expect(state.readJournal().map((e) => e.type)).toEqual(["order.saved"]);

    const id = state.transaction(() => {
      const f = state.recordFill(fill());
      state.savePosition(position());
      return state.recordTrade(trade({ fillId: f.id })).id;
    });
    expect(id).toBe(1);
    expect(state.listTrades()[0]!.fillId).toBe(state.listFills()[0]!.id);
  });

  it("nests: a failed inner transaction rolls back alone when the outer one catches it", () => {
    const state = openState();
    state.transaction(() => {
      state.savePosition(position({ symbol: "A" }));
      try {
        state.transaction(() => {
          state.savePosition(position({ symbol: "B" }));
          throw new Error("inner");
        });
      } catch {
        // the outer transaction goes on without B
      }
    });
    expect(state.loadPositions().map((p) => p.symbol)).toEqual(["A"]);
  });

  it("refuses invalid records and constraint violations with stable codes, writing nothing", () => {
    const state = openState();
    expect(codeOf(() => state.savePosition(position({ status: "closed" })))).toBe("STATE_INVALID_RECORD");
    expect(codeOf(() => state.savePosition(position({ entryTime: 1.5 })))).toBe("STATE_INVALID_RECORD");
    expect(codeOf(() => state.savePosition(position({ quantity: "0.1" as unknown as Money })))).toBe("STATE_INVALID_RECORD");
    expect(codeOf(() => state.saveOrder(order({ expiresAt: undefined })))).toBe("STATE_INVALID_RECORD");
    expect(codeOf(() => state.saveOrder(order({ status: "done" as never })))).toBe("STATE_INVALID_RECORD");
    expect(codeOf(() => state.recordFill(fill()))).toBe("STATE_CONSTRAINT"); // its order was never saved
    state.saveOrder(order());
    state.recordFill(fill());
    expect(codeOf(() => state.recordFill(fill()))).toBe("STATE_CONSTRAINT"); // same exchange fill id twice
    expect(codeOf(() => state.recordTrade(trade({ fillId: 99 })))).toBe("STATE_CONSTRAINT");
    expect(codeOf(() => state.appendJournal("x", { n: Number.NaN }))).toBe("STATE_INVALID_RECORD");
    expect(state.listFills()).toHaveLength(1);
    try {
      state.savePosition(position({ status: "closed" }));
    } catch (e) {
      expect((e as StateError).context).toMatchObject({ path: state.path, table: "positions", problem: "a closed position needs exitTime" });
    }
  });

  it("refuses use after close", () => {
    const state = openState();
    state.close();
    state.close();
    expect(codeOf(() => state.loadPositions())).toBe("STATE_CLOSED");
    expect(codeOf(() => state.savePosition(position()))).toBe("STATE_CLOSED");
  });
});

describe("SqliteStateManager storage", () => {
  it("is a WAL database of exact TEXT decimals, integer ms and an append-only journal", () => {
    const path = tempDbPath();
    const state = openState(path, { synchronous: "FULL" });
    state.savePosition(position());
    expect(state.checkIntegrity()).toEqual([]);
    state.close();
    const db = new Database(path);
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.pragma("user_version", { simple: true })).toBe(1);
      const row = db.prepare("SELECT quantity, typeof(quantity) AS qt, entry_time, typeof(entry_time) AS tt FROM positions").get();
      expect(row).toEqual({ quantity: "0.3", qt: "text", entry_time: T0, tt: "integer" });
      expect(() => db.prepare("UPDATE journal SET type = 'forged'").run()).toThrow(/append-only/);
      expect(() => db.prepare("DELETE FROM journal").run()).toThrow(/append-only/);
      // STRICT tables refuse what their column type cannot hold.
      expect(() => db.prepare("UPDATE positions SET entry_time = 'yesterday'").run()).toThrow(/cannot store TEXT/);
    } finally {
      db.close();
    }
  });
});
