import type Database from "better-sqlite3";
import { SCHEMA_V1 } from "./schema";

/** One step of the schema's history: `sql` turns a database at `version − 1` into one at `version`. */
interface Migration {
  readonly version: number;
  readonly sql: string;
}

const MIGRATIONS: readonly Migration[] = [{ version: 1, sql: SCHEMA_V1 }];

/** The schema version this release writes (`PRAGMA user_version`). Databases above it are refused. */
export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Marks a database as a Tradeloom state store (`PRAGMA application_id`, "TLST"), so that another application's
 * SQLite file is refused rather than migrated.
 */
export const APPLICATION_ID = 0x544c5354;

/**
 * Brings a database from `from` up to {@link SCHEMA_VERSION} in one transaction: a crash mid-way leaves it at `from`.
 * The caller has already refused versions above the current one.
 */
export function migrate(db: Database.Database, from: number): void {
  const pending = MIGRATIONS.filter((m) => m.version > from);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const m of pending) db.exec(m.sql);
    // Both pragmas write the header inside the transaction, so they commit or roll back with the tables.
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}
