import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Money } from "@tradeloom/types";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkpoint, fill, order, plain, position, trade } from "../test/fixtures/records";
import { openState, tempDbPath, tempDir } from "../test/fixtures/temp-db";
import { BACKUP_FORMAT, type SqliteStateManager, StateError } from "./index";

function populate(state: SqliteStateManager): void {
  state.transaction(() => {
    state.savePosition(position());
    state.savePosition(position({ symbol: "ETHINR", side: "sell", stopLoss: undefined, takeProfit: undefined, trailingStop: undefined, status: "closed", exitPrice: Money.of("0.3"), exitTime: 99 }));
    state.saveOrder(order());
    state.saveOrder(order({ clientOrderId: "b", exchangeOrderId: undefined, limitPrice: undefined, stopPrice: undefined, expiresAt: undefined, timeInForce: "ioc" }));
    const f = state.recordFill(fill());
    state.recordFill(fill({ clientOrderId: undefined, exchangeFillId: undefined }));
    state.recordTrade(trade({ fillId: f.id }));
    state.recordTrade(trade());
    state.saveCheckpoint(checkpoint());
    state.appendJournal("engine.note", ["any", { json: 1.5 }, null]);
  });
}

function errorOf(fn: () => unknown): StateError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StateError);
    return e as StateError;
  }
  throw new Error("expected a StateError");
}

describe("JSON backup", () => {
  it("round-trips every table exactly: export, import into a fresh database, export again gives the same bytes", () => {
    const dir = tempDir();
    const a = openState(join(dir, "a.db"));
    populate(a);
    a.exportJson(join(dir, "a.json"));
    const b = openState(join(dir, "b.db"));
    b.importJson(join(dir, "a.json"));
    b.exportJson(join(dir, "b.json"));
    expect(readFileSync(join(dir, "b.json"), "utf8")).toBe(readFileSync(join(dir, "a.json"), "utf8"));
    expect(plain(b.loadPositions())).toEqual(plain(a.loadPositions()));
    expect(plain(b.listOrders())).toEqual(plain(a.listOrders()));
    expect(plain(b.listFills())).toEqual(plain(a.listFills()));
    expect(plain(b.listTrades())).toEqual(plain(a.listTrades()));
    expect(plain(b.loadLatestCheckpoint())).toEqual(plain(a.loadLatestCheckpoint()));
    expect(b.readJournal()).toEqual(a.readJournal());
    // Ids continue after the restored ones.
    expect(b.recordFill(fill({ exchangeFillId: "next" })).id).toBe(3);
  });

  it("writes sorted, exact, human-readable JSON", () => {
    const dir = tempDir();
    const state = openState(join(dir, "s.db"), { clock: () => 1_700_000_000_000 });
    populate(state);
    state.exportJson(join(dir, "s.json"));
    const text = readFileSync(join(dir, "s.json"), "utf8");
    const doc = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(["checkpoints", "exportedAt", "fills", "format", "journal", "orders", "positions", "schemaVersion", "trades"]);
    expect(doc).toMatchObject({ format: BACKUP_FORMAT, schemaVersion: 1, exportedAt: 1_700_000_000_000 });
    expect(text).toContain('"quantity": "0.3"');
    expect(text).toContain('"entryPrice": "1234567890123456.789012345678"');
    expect(text).toContain('"stopLoss": null');
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("replaces the previous backup atomically and leaves no temporary file", () => {
    const dir = tempDir();
    const state = openState(join(dir, "s.db"));
    writeFileSync(join(dir, "s.json"), "old");
    state.exportJson(join(dir, "s.json"));
    expect(readFileSync(join(dir, "s.json"), "utf8")).toContain(BACKUP_FORMAT);
    expect(readdirSync(dir).filter((f) => f.includes(".tmp"))).toEqual([]);
    expect(errorOf(() => state.exportJson(join(dir, "s.json", "under-a-file.json"))).code).toBe("STATE_IO");
    state.exportJson(join(dir, "new", "dir", "s.json"));
    expect(existsSync(join(dir, "new", "dir", "s.json"))).toBe(true);
  });

  it("writes the configured backup after a checkpoint commits, never inside its transaction (G21)", () => {
    const dir = tempDir();
    const backupPath = join(dir, "trading_state.json");
    const state = openState(join(dir, "s.db"), { backupPath });
    state.transaction(() => {
      state.saveCheckpoint(checkpoint(), { positions: [position()] });
      expect(existsSync(backupPath)).toBe(false);
    });
    const doc = JSON.parse(readFileSync(backupPath, "utf8")) as { checkpoints: unknown[]; positions: unknown[] };
    expect([doc.checkpoints.length, doc.positions.length]).toEqual([1, 1]);
    expect(() =>
      state.transaction(() => {
        state.saveCheckpoint(checkpoint());
        throw new Error("rolled back");
      }),
    ).toThrow("rolled back");
    expect((JSON.parse(readFileSync(backupPath, "utf8")) as { checkpoints: unknown[] }).checkpoints).toHaveLength(1);
    state.savePosition(position({ symbol: "X" })); // not a checkpoint: no backup
    expect((JSON.parse(readFileSync(backupPath, "utf8")) as { positions: unknown[] }).positions).toHaveLength(1);
  });

  it("refuses to import into a database that holds state, or inside a transaction", () => {
    const dir = tempDir();
    const state = openState(join(dir, "s.db"));
    populate(state);
    state.exportJson(join(dir, "s.json"));
    expect(errorOf(() => state.importJson(join(dir, "s.json"))).code).toBe("STATE_NOT_EMPTY");
    const fresh = openState(join(dir, "fresh.db"));
    expect(errorOf(() => fresh.transaction(() => fresh.importJson(join(dir, "s.json")))).code).toBe("STATE_MISUSE");
    expect(errorOf(() => fresh.transaction(() => fresh.exportJson(join(dir, "x.json")))).code).toBe("STATE_MISUSE");
    expect(errorOf(() => fresh.importJson(join(dir, "none.json"))).code).toBe("STATE_IO");
  });

  describe("refuses an invalid backup as STATE_BACKUP_INVALID, writing nothing", () => {
    const dir = tempDir();
    const source = openState(join(dir, "source.db"));
    populate(source);
    source.exportJson(join(dir, "good.json"));
    source.close();
    const good = (): Record<string, any> => JSON.parse(readFileSync(join(dir, "good.json"), "utf8")) as Record<string, any>;

    it.each<[string, (d: Record<string, any>) => unknown, string | undefined]>([
      ["another format", (d) => ({ ...d, format: "something-else" }), undefined],
      ["a newer schema", (d) => ({ ...d, schemaVersion: 2 }), undefined],
      ["a missing table", (d) => ({ ...d, fills: undefined }), "fills"],
      ["money as a float", (d) => ((d.positions[0].quantity = 0.3), d), "positions[0]"],
      ["money with an exponent", (d) => ((d.trades[1].fees = "1e-7"), d), "trades[1]"],
      ["a fractional timestamp", (d) => ((d.fills[0].time = 1.5), d), "fills[0]"],
      ["an unknown member", (d) => ((d.orders[0].colour = "red"), d), "orders[0]"],
      ["a missing member", (d) => (delete d.checkpoints[0].cash, d), "checkpoints[0]"],
      ["a bad enum", (d) => ((d.orders[1].status = "done"), d), "orders[1]"],
      ["a duplicate key", (d) => ((d.positions[1].symbol = d.positions[0].symbol), d), "positions[1]"],
      ["a trade of an unknown fill", (d) => ((d.trades[0].fillId = 77), d), "trades[0]"],
    ])("%s", (_name, corrupt, at) => {
      const path = join(dir, `bad-${Math.random()}.json`);
      writeFileSync(path, JSON.stringify(corrupt(good())));
      const target = openState(tempDbPath());
      const e = errorOf(() => target.importJson(path));
      expect(e.code).toBe("STATE_BACKUP_INVALID");
      expect(e.context["path"]).toBe(path);
      if (at !== undefined) expect(e.context["at"]).toBe(at);
      expect([target.loadPositions(), target.listOrders(), target.listFills(), target.readJournal()]).toEqual([[], [], [], []]);
    });

    it("text that is not JSON", () => {
      const path = join(dir, "garbage.json");
      writeFileSync(path, "{ not json");
      expect(errorOf(() => openState(tempDbPath()).importJson(path)).code).toBe("STATE_BACKUP_INVALID");
    });
  });

  it("round-trips arbitrary exact decimals and texts (property)", () => {
    const decimal = fc
      .tuple(fc.bigInt({ min: -(10n ** 28n), max: 10n ** 28n }), fc.integer({ min: 0, max: 28 }))
      .map(([digits, scale]) => Money.of(digits.toString()).div(Money.of(10n ** BigInt(scale))));
    const record = fc.record({
      symbol: fc.string({ minLength: 1, maxLength: 12 }),
      quantity: decimal,
      entryPrice: decimal,
      stopLoss: fc.option(decimal, { nil: undefined }),
      entryTime: fc.nat({ max: 2 ** 50 }),
      closed: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.uniqueArray(record, { selector: (r) => r.symbol, maxLength: 5 }), (records) => {
        const dir = tempDir();
        const a = openState(join(dir, "a.db"), { synchronous: "NORMAL" });
        a.transaction(() => {
          for (const r of records) {
            a.savePosition(position({ ...r, status: r.closed ? "closed" : "open", exitTime: r.closed ? r.entryTime : undefined, trailingStop: undefined }));
          }
        });
        a.exportJson(join(dir, "a.json"));
        const b = openState(join(dir, "b.db"), { synchronous: "NORMAL" });
        b.importJson(join(dir, "a.json"));
        b.exportJson(join(dir, "b.json"));
        expect(readFileSync(join(dir, "b.json"), "utf8")).toBe(readFileSync(join(dir, "a.json"), "utf8"));
        for (const r of records) {
          const p = b.getPosition(r.symbol)!;
          expect([p.quantity.toString(), p.entryPrice.toString(), p.stopLoss?.toString()]).toEqual([r.quantity.toString(), r.entryPrice.toString(), r.stopLoss?.toString()]);
        }
        a.close();
        b.close();
      }),
      { numRuns: 15 },
    );
  });
});
