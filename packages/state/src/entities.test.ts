import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { order, position } from "../test/fixtures/records";
import { ENTITIES, ORDERS, POSITIONS, validateRecord } from "./entities";
import { migrate } from "./migrations";

describe("entity definitions", () => {
  it("name exactly the columns of the migrated schema, in table order", () => {
    const db = new Database(":memory:");
    migrate(db, 0);
    for (const entity of ENTITIES) {
      const columns = (db.prepare(`PRAGMA table_info(${entity.table})`).all() as { name: string }[]).map((c) => c.name);
      expect(columns, entity.table).toEqual(entity.fields.map((f) => f.column));
    }
    db.close();
  });

  it("validate caller records and name the first bad field", () => {
    expect(validateRecord(POSITIONS, position(), { fromJson: false, withGenerated: false })).toHaveProperty("record");
    expect(validateRecord(POSITIONS, { ...position(), side: "long" }, { fromJson: false, withGenerated: false })).toEqual({ error: "side must be one of buy, sell" });
    expect(validateRecord(POSITIONS, { ...position(), updatedAt: -1 }, { fromJson: false, withGenerated: false })).toEqual({
      error: "updatedAt must be UTC milliseconds (a non-negative integer)",
    });
    expect(validateRecord(POSITIONS, null, { fromJson: false, withGenerated: false })).toEqual({ error: "must be an object" });
    // Outside a backup, money must be Money: a string would hide a caller still working in floats or text.
    expect(validateRecord(POSITIONS, { ...position(), quantity: "1" }, { fromJson: false, withGenerated: false })).toEqual({ error: "quantity must be a Money" });
    expect(validateRecord(ORDERS, order(), { fromJson: false, withGenerated: false })).toHaveProperty("record");
  });
});
