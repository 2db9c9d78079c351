import { readFileSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import type Database from "better-sqlite3";
import { writeFileAtomic } from "./atomic-file";
import { StateError } from "./errors";

/** Who owns (or last owned) a state database, as written to its `.lock` file. */
export interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  /** When the owner opened the database (the store's clock). */
  readonly acquiredAt: number;
}

/** The informational lock file beside a database: `<database>.lock`. */
export function lockFilePath(dbPath: string): string {
  return `${dbPath}.lock`;
}

/**
 * Makes this connection the database's only user until it closes, or throws `STATE_LOCKED`.
 *
 * The lock that decides is SQLite's own exclusive lock (`locking_mode = EXCLUSIVE`), an OS file lock: it is atomic,
 * covers every process and every connection of this one, and vanishes when its owner dies, so a crashed engine
 * never blocks its successor. The `.lock` file only tells a refused opener who holds the database.
 */
export function acquireExclusive(db: Database.Database, dbPath: string): void {
  db.pragma("locking_mode = EXCLUSIVE");
  try {
    // In EXCLUSIVE mode the lock taken by this empty transaction is kept after it commits.
    db.exec("BEGIN EXCLUSIVE; COMMIT");
  } catch (e) {
    if ((e as { code?: unknown }).code !== "SQLITE_BUSY") throw e;
    const owner = readOwner(dbPath);
    const by = owner !== undefined && isAlive(owner) ? `pid ${owner.pid} on ${owner.hostname}` : "another process";
    throw new StateError("STATE_LOCKED", `state database ${dbPath} is in use by ${by}; only one engine may own it`, {
      path: dbPath,
      ...(owner !== undefined ? { owner } : {}),
    });
  }
}

/**
 * Records this process as the owner, after {@link acquireExclusive} succeeded.
 * @returns the previous owner when its lock file was left behind, i.e. it did not close cleanly (crash, SIGKILL).
 */
export function recordOwner(dbPath: string, acquiredAt: number): LockOwner | undefined {
  const stale = readOwner(dbPath);
  const me: LockOwner = { pid: process.pid, hostname: hostname(), acquiredAt };
  writeFileAtomic(lockFilePath(dbPath), `${JSON.stringify(me)}\n`);
  return stale;
}

/** Removes the lock file if it still names this process. */
export function releaseOwner(dbPath: string): void {
  const owner = readOwner(dbPath);
  if (owner !== undefined && owner.pid === process.pid && owner.hostname === hostname()) {
    rmSync(lockFilePath(dbPath), { force: true });
  }
}

function readOwner(dbPath: string): LockOwner | undefined {
  let text: string;
  try {
    text = readFileSync(lockFilePath(dbPath), "utf8");
  } catch {
    return undefined;
  }
  try {
    const v = JSON.parse(text) as Partial<LockOwner>;
    if (typeof v.pid === "number" && typeof v.hostname === "string" && typeof v.acquiredAt === "number") {
      return { pid: v.pid, hostname: v.hostname, acquiredAt: v.acquiredAt };
    }
  } catch {
    // A lock file we cannot read says nothing about the owner; SQLite's lock still decides.
  }
  return undefined;
}

/** Whether the owner's process still runs; owners on other hosts cannot be checked and count as alive. */
function isAlive(owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
