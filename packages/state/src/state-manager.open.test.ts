import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { position } from "../test/fixtures/records";
import { openState, tempDbPath } from "../test/fixtures/temp-db";
import { APPLICATION_ID, SCHEMA_VERSION, SqliteStateManager, StateError } from "./index";

/** Opens `path` expecting a refusal; returns the error and checks the file and its directory were left alone. */
function expectRefusal(path: string): StateError {
  const before = readFileSync(path);
  const filesBefore = readdirSync(dirname(path)).sort();
  let error: unknown;
  try {
    SqliteStateManager.open(path).close();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(StateError);
  expect(readFileSync(path).equals(before)).toBe(true);
  expect(readdirSync(dirname(path)).sort()).toEqual(filesBefore); // no lock file, no WAL, no journal left behind
  expect((error as StateError).context["path"]).toBe(path);
  return error as StateError;
}

describe("SqliteStateManager.open", () => {
  it("creates the directory, the schema and the version on first open, and reopens without migrating again", () => {
    const path = `${dirname(tempDbPath())}/nested/dir/state.db`;
    openState(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma("application_id", { simple: true })).toBe(APPLICATION_ID);
    const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(["checkpoints", "fills", "journal", "orders", "positions", "sqlite_sequence", "trades"]);
    db.close();
    const state = openState(path);
    state.savePosition(position());
    expect(state.loadPositions()).toHaveLength(1);
  });

  it("refuses a database written by a newer schema, leaving it byte for byte", () => {
    const path = tempDbPath();
    const db = new Database(path);
    db.exec("CREATE TABLE positions (symbol TEXT PRIMARY KEY, future_column BLOB)");
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const e = expectRefusal(path);
    expect(e.code).toBe("STATE_SCHEMA_TOO_NEW");
    expect(e.context).toMatchObject({ version: SCHEMA_VERSION + 1, supported: SCHEMA_VERSION });
    expect(e.message).toMatch(/newer/);
  });

  it.each([
    ["garbage bytes", Buffer.from("this is not a database, just some garbage bytes\n".repeat(200))],
    ["a few bytes", Buffer.from([1, 2, 3])],
    ["a valid header over garbage pages", Buffer.concat([Buffer.from("SQLite format 3\0"), Buffer.alloc(8192, 0xa5)])],
  ])("refuses %s as STATE_CORRUPT, leaving the file unchanged", (_name, bytes) => {
    const path = tempDbPath();
    writeFileSync(path, bytes);
    expect(expectRefusal(path).code).toBe("STATE_CORRUPT");
  });

  it("refuses a Tradeloom database whose pages are damaged", () => {
    const path = tempDbPath();
    const state = openState(path);
    state.transaction(() => {
      for (let i = 0; i < 200; i++) state.savePosition(position({ symbol: `SYM${i}` }));
    });
    state.close();
    const bytes = readFileSync(path);
    bytes.fill(0x5a, 4096 * 2, 4096 * 4); // two interior pages
    writeFileSync(path, bytes);
    expect(expectRefusal(path).code).toBe("STATE_CORRUPT");
  });

  it("refuses another application's SQLite database as STATE_FOREIGN", () => {
    const path = tempDbPath();
    const db = new Database(path);
    db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
    db.close();
    expect(expectRefusal(path).code).toBe("STATE_FOREIGN");
  });

  it("opens an empty file as a new database", () => {
    const path = tempDbPath();
    writeFileSync(path, "");
    openState(path).savePosition(position());
    expect(existsSync(path)).toBe(true);
  });
});
