import { mkdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { decodeBackup, encodeBackup } from "./backup";
import type { JsonValue } from "./canonical-json";
import { writeFileAtomic } from "./atomic-file";
import {
  CHECKPOINTS,
  ENTITIES,
  type Entity,
  FILLS,
  fromRow,
  insertSql,
  JOURNAL,
  ORDERS,
  POSITIONS,
  toBackup,
  toRow,
  TRADES,
  upsertSql,
  validateRecord,
} from "./entities";
import { StateError } from "./errors";
import { acquireExclusive, type LockOwner, recordOwner, releaseOwner } from "./lock";
import { APPLICATION_ID, migrate, SCHEMA_VERSION } from "./migrations";
import type {
  CheckpointInput,
  CheckpointRecord,
  FillInput,
  FillRecord,
  JournalEntry,
  OrderRecord,
  OrderStatus,
  PositionRecord,
  PositionStatus,
  TradeInput,
  TradeRecord,
} from "./records";

/** How a {@link SqliteStateManager} opens its database. Every member is optional. */
export interface StateManagerOptions {
  /**
   * `FULL` (default): each commit is fsynced before it returns, so a committed write survives a crash of the
   * process, the OS or the power. `NORMAL`: a commit survives a crash of the process, but the last commits may be
   * lost if the machine itself goes down. Use `NORMAL` only for state that can be rebuilt.
   */
  readonly synchronous?: "FULL" | "NORMAL";
  /**
   * How long a statement waits on a busy database before failing, in ms (default 5000). The manager holds the
   * database exclusively, so this only covers SQLite's own housekeeping; ownership itself is never waited for.
   */
  readonly busyTimeoutMs?: number;
  /** Time source for journal entries, lock metadata and `exportedAt`; never used for trading data. Default `Date.now`. */
  readonly clock?: () => number;
  /** When set, a JSON backup is written here after every committed checkpoint (gap G21: after all its writes). */
  readonly backupPath?: string;
}

/** What {@link SqliteStateManager.saveCheckpoint} writes in the same transaction as the checkpoint. */
export interface CheckpointState {
  readonly positions?: readonly PositionRecord[];
  readonly orders?: readonly OrderRecord[];
}

/** Filter of {@link SqliteStateManager.listOrders}; members combine with AND. */
export interface OrderFilter {
  readonly status?: OrderStatus | readonly OrderStatus[];
  readonly symbol?: string;
}

/**
 * The live engine's state in one SQLite database: positions, orders, fills, trades, checkpoints and an append-only
 * journal of every write. Money is stored as exact decimal text, timestamps as UTC milliseconds given by the caller.
 *
 * One engine at a time: {@link SqliteStateManager.open} holds an exclusive lock until {@link close}, and a second
 * opener gets `STATE_LOCKED`. A database it cannot trust (newer schema, corrupt, not Tradeloom's) is refused and
 * left byte for byte as it was.
 *
 * @example
 * const state = SqliteStateManager.open("state/trading_state.db");
 * state.transaction(() => {
 *   const fill = state.recordFill({ symbol: "BTCINR", side: "sell", price: Money.of("5000000"), quantity: Money.of("0.01"),
 *     fee: Money.of("50"), maker: false, time: candle.time });
 *   state.savePosition({ ...position, status: "closed", exitPrice: fill.price, exitTime: fill.time, updatedAt: fill.time });
 *   state.recordTrade({ ...trade, fillId: fill.id });
 * });
 * state.close();
 */
export class SqliteStateManager {
  /** Absolute path of the database file. */
  readonly path: string;
  /**
   * The owner named by a lock file that was still there at open: an engine that did not close cleanly (crash, kill).
   * `undefined` after a clean shutdown. Its lock was taken over; the engine may want to reconcile with the exchange.
   */
  readonly previousOwner: LockOwner | undefined;

  readonly #db: Database.Database;
  readonly #clock: () => number;
  readonly #backupPath: string | undefined;
  readonly #statements = new Map<string, Database.Statement>();
  #backupDue = false;
  #closed = false;

  private constructor(db: Database.Database, path: string, options: StateManagerOptions, previousOwner: LockOwner | undefined) {
    this.#db = db;
    this.path = path;
    this.#clock = options.clock ?? Date.now;
    this.#backupPath = options.backupPath;
    this.previousOwner = previousOwner;
  }

  /**
   * Opens (creating it and its directory if missing) and migrates the state database at `path`, and takes ownership.
   *
   * @throws StateError `STATE_LOCKED` when another engine owns it; `STATE_SCHEMA_TOO_NEW`, `STATE_CORRUPT` or
   * `STATE_FOREIGN` when it cannot be trusted (the file is then left unchanged); `STATE_IO` when it cannot be opened.
   */
  static open(path: string, options: StateManagerOptions = {}): SqliteStateManager {
    const abs = resolve(path);
    const clock = options.clock ?? Date.now;
    let db: Database.Database;
    try {
      mkdirSync(dirname(abs), { recursive: true });
      // timeout 0 while taking the lock: a held lock must be reported at once, not after the busy timeout.
      db = new Database(abs, { timeout: 0 });
    } catch (e) {
      throw new StateError("STATE_IO", `cannot open state database ${abs}: ${(e as Error).message}`, { path: abs }, { cause: e });
    }
    try {
      acquireExclusive(db, abs);
      const version = checkIdentity(db, abs);
      // Nothing is written before this point, so a refused file keeps every byte.
      const mode = db.pragma("journal_mode = WAL", { simple: true });
      if (mode !== "wal") throw new StateError("STATE_IO", `state database ${abs} cannot use WAL (journal mode ${String(mode)})`, { path: abs });
      db.pragma(`synchronous = ${options.synchronous ?? "FULL"}`);
      db.pragma("foreign_keys = ON");
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      migrate(db, version);
      return new SqliteStateManager(db, abs, options, recordOwner(abs, clock()));
    } catch (e) {
      db.close();
      const mapped = toStateError(e, abs);
      if (mapped instanceof StateError) throw mapped;
      throw new StateError("STATE_IO", `cannot open state database ${abs}: ${(e as Error).message}`, { path: abs }, { cause: e });
    }
  }

  /**
   * Runs `fn` in one transaction: everything it writes through this manager commits together, or nothing does if it
   * throws (the error is rethrown). Calls nest: an inner call is a savepoint of the outer one. `fn` must be
   * synchronous; a committed transaction is durable as {@link StateManagerOptions.synchronous} says.
   */
  transaction<T>(fn: () => T): T {
    return this.#write(fn);
  }

  /** Inserts or replaces the position of `position.symbol`. Closed positions stay closed after a restart (G7). */
  savePosition(position: PositionRecord): void {
    this.#write(() => this.#upsert(POSITIONS, position, "position.saved"));
  }

  /** The position of `symbol`, open or closed, or `undefined`. */
  getPosition(symbol: string): PositionRecord | undefined {
    const row = this.#get<Record<string, unknown>>("SELECT * FROM positions WHERE symbol = ?", symbol);
    return row === undefined ? undefined : decode<PositionRecord>(POSITIONS, row);
  }

  /** All positions, or those with `status` (`open` for crash recovery), ordered by symbol. */
  loadPositions(status?: PositionStatus): PositionRecord[] {
    const rows =
      status === undefined
        ? this.#all("SELECT * FROM positions ORDER BY symbol")
        : this.#all("SELECT * FROM positions WHERE status = ? ORDER BY symbol", status);
    return rows.map((r) => decode<PositionRecord>(POSITIONS, r));
  }

  /** Inserts or replaces the order of `order.clientOrderId`. Orders are never dropped on restart (G6). */
  saveOrder(order: OrderRecord): void {
    this.#write(() => this.#upsert(ORDERS, order, "order.saved"));
  }

  /** The order with this client order id, or `undefined`. */
  getOrder(clientOrderId: string): OrderRecord | undefined {
    const row = this.#get<Record<string, unknown>>("SELECT * FROM orders WHERE client_order_id = ?", clientOrderId);
    return row === undefined ? undefined : decode<OrderRecord>(ORDERS, row);
  }

  /**
   * Orders matching `filter`, oldest first. After a restart, `listOrders({ status: ACTIVE_ORDER_STATUSES })` gives the
   * orders to reconcile with the exchange.
   */
  listOrders(filter: OrderFilter = {}): OrderRecord[] {
    const where: string[] = [];
    const params: string[] = [];
    if (filter.status !== undefined) {
      const statuses: readonly string[] = typeof filter.status === "string" ? [filter.status] : filter.status;
      where.push(`status IN (${statuses.map(() => "?").join(", ") || "NULL"})`);
      params.push(...statuses);
    }
    if (filter.symbol !== undefined) {
      where.push("symbol = ?");
      params.push(filter.symbol);
    }
    const sql = `SELECT * FROM orders${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at, client_order_id`;
    return this.#all(sql, ...params).map((r) => decode<OrderRecord>(ORDERS, r));
  }

  /**
   * Appends a fill and returns it with its id. A fill whose `exchangeFillId` is already recorded, or whose order was
   * never saved, is refused with `STATE_CONSTRAINT`.
   */
  recordFill(fill: FillInput): FillRecord {
    return this.#write(() => this.#append<FillRecord>(FILLS, fill, "fill.recorded"));
  }

  /** Fills, oldest first, optionally of one symbol and/or one order. */
  listFills(filter: { readonly symbol?: string; readonly clientOrderId?: string } = {}): FillRecord[] {
    return this.#all(
      "SELECT * FROM fills WHERE (@symbol IS NULL OR symbol = @symbol) AND (@order IS NULL OR client_order_id = @order) ORDER BY id",
      { symbol: filter.symbol ?? null, order: filter.clientOrderId ?? null },
    ).map((r) => decode<FillRecord>(FILLS, r));
  }

  /** Appends a realised trade and returns it with its id. */
  recordTrade(trade: TradeInput): TradeRecord {
    return this.#write(() => this.#append<TradeRecord>(TRADES, trade, "trade.recorded"));
  }

  /** Trades, oldest first, optionally of one symbol. */
  listTrades(filter: { readonly symbol?: string } = {}): TradeRecord[] {
    return this.#all("SELECT * FROM trades WHERE (@symbol IS NULL OR symbol = @symbol) ORDER BY id", { symbol: filter.symbol ?? null }).map(
      (r) => decode<TradeRecord>(TRADES, r),
    );
  }

  /**
   * Appends a checkpoint, together with the given positions and orders, in one transaction (G21), then writes the
   * JSON backup if {@link StateManagerOptions.backupPath} is set (after the outermost transaction commits).
   *
   * @throws StateError `STATE_IO` when that backup cannot be written; the checkpoint is committed all the same.
   */
  saveCheckpoint(checkpoint: CheckpointInput, state: CheckpointState = {}): CheckpointRecord {
    return this.#write(() => {
      for (const p of state.positions ?? []) this.#upsert(POSITIONS, p, "position.saved");
      for (const o of state.orders ?? []) this.#upsert(ORDERS, o, "order.saved");
      const saved = this.#append<CheckpointRecord>(CHECKPOINTS, checkpoint, "checkpoint.saved");
      this.#backupDue = this.#backupPath !== undefined;
      return saved;
    });
  }

  /** The checkpoint with the highest id, or `undefined` on a fresh database. */
  loadLatestCheckpoint(): CheckpointRecord | undefined {
    const row = this.#get<Record<string, unknown>>("SELECT * FROM checkpoints ORDER BY id DESC LIMIT 1");
    return row === undefined ? undefined : decode<CheckpointRecord>(CHECKPOINTS, row);
  }

  /** Appends an entry of the caller's own (e.g. `engine.started`) to the journal. */
  appendJournal(type: string, payload: JsonValue): JournalEntry {
    return this.#write(() => this.#journal(type, payload));
  }

  /** Journal entries after `afterSeq` (default: from the start), oldest first, at most `limit` of them. */
  readJournal(options: { readonly afterSeq?: number; readonly limit?: number } = {}): JournalEntry[] {
    return this.#all("SELECT * FROM journal WHERE seq > ? ORDER BY seq LIMIT ?", options.afterSeq ?? 0, options.limit ?? -1).map(
      (r) => decode<JournalEntry>(JOURNAL, r),
    );
  }

  /** SQLite's full `PRAGMA integrity_check`: an empty list when the database is sound, else the problems found. */
  checkIntegrity(): string[] {
    const rows = this.#all("PRAGMA integrity_check") as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).filter((m) => m !== "ok");
  }

  /**
   * Writes every table to `path` as JSON (see README for the format), atomically: a crash leaves the previous
   * backup or the new one, never a torn file. The state read is one consistent snapshot. Creates the directory.
   *
   * @throws StateError `STATE_MISUSE` inside a transaction (the backup would hold uncommitted writes), `STATE_IO`.
   */
  exportJson(path: string): void {
    const db = this.#live();
    if (db.inTransaction) throw new StateError("STATE_MISUSE", "exportJson cannot run inside a transaction", { path: this.path });
    const tables = db.transaction(() => new Map(ENTITIES.map((e) => [e, this.#readTable(e)] as const)))();
    const text = encodeBackup(tables, this.#clock());
    try {
      mkdirSync(dirname(resolve(path)), { recursive: true });
      writeFileAtomic(resolve(path), text);
    } catch (e) {
      throw new StateError("STATE_IO", `cannot write backup ${path}: ${(e as Error).message}`, { path }, { cause: e });
    }
  }

  /**
   * Restores a backup written by {@link exportJson} into this database, which must be empty (a fresh file). The
   * whole file is checked first and restored in one transaction, ids and journal included, so exporting again gives
   * the same records.
   *
   * @throws StateError `STATE_BACKUP_INVALID` (nothing written), `STATE_NOT_EMPTY`, `STATE_MISUSE`, `STATE_IO`.
   */
  importJson(path: string): void {
    const db = this.#live();
    if (db.inTransaction) throw new StateError("STATE_MISUSE", "importJson cannot run inside a transaction", { path: this.path });
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      throw new StateError("STATE_IO", `cannot read backup ${path}: ${(e as Error).message}`, { path }, { cause: e });
    }
    const tables = decodeBackup(text, path);
    this.#write(() => {
      for (const e of ENTITIES) {
        if (this.#get(`SELECT 1 FROM ${e.table} LIMIT 1`) !== undefined) {
          throw new StateError("STATE_NOT_EMPTY", `cannot import ${path}: state database ${this.path} already holds ${e.table}`, {
            path: this.path,
            backup: path,
          });
        }
      }
      for (const [entity, records] of tables) {
        const insert = this.#prepare(insertSql(entity, true));
        records.forEach((record, i) => {
          try {
            insert.run(toRow(entity, record));
          } catch (e) {
            const at = `${entity.backupKey}[${i}]`;
            throw new StateError("STATE_BACKUP_INVALID", `backup ${path}: ${at} cannot be restored: ${(e as Error).message}`, { path, at }, { cause: e });
          }
        });
      }
    });
  }

  /** Releases the database and its lock. Further calls throw `STATE_CLOSED`; closing twice is harmless. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
    releaseOwner(this.path);
  }

  #live(): Database.Database {
    if (this.#closed) throw new StateError("STATE_CLOSED", `state database ${this.path} is closed`, { path: this.path });
    return this.#db;
  }

  #prepare(sql: string): Database.Statement {
    let s = this.#statements.get(sql);
    if (s === undefined) {
      s = this.#live().prepare(sql);
      this.#statements.set(sql, s);
    }
    return s;
  }

  #get<T>(sql: string, ...params: unknown[]): T | undefined {
    this.#live();
    return this.#prepare(sql).get(...params) as T | undefined;
  }

  #all(sql: string, ...params: unknown[]): Record<string, unknown>[] {
    this.#live();
    return this.#prepare(sql).all(...params) as Record<string, unknown>[];
  }

  #readTable(entity: Entity): Record<string, unknown>[] {
    return this.#all(`SELECT * FROM ${entity.table} ORDER BY ${entity.fields[0]!.column}`).map((r) => fromRow(entity, r));
  }

  /** Runs `fn` as a transaction (a savepoint when nested), mapping SQLite errors, then any backup it made due. */
  #write<T>(fn: () => T): T {
    const db = this.#live();
    const outermost = !db.inTransaction;
    let result: T;
    try {
      result = db.transaction(fn)();
    } catch (e) {
      if (outermost) this.#backupDue = false;
      throw toStateError(e, this.path);
    }
    if (outermost && this.#backupDue) {
      this.#backupDue = false;
      this.exportJson(this.#backupPath!);
    }
    return result;
  }

  #validate(entity: Entity, input: unknown): Record<string, unknown> {
    const r = validateRecord(entity, input, { fromJson: false, withGenerated: false });
    if ("error" in r) {
      throw new StateError("STATE_INVALID_RECORD", `invalid ${entity.table} record: ${r.error}`, {
        path: this.path,
        table: entity.table,
        problem: r.error,
      });
    }
    return r.record;
  }

  #upsert(entity: Entity, input: unknown, journalType: string): void {
    const record = this.#validate(entity, input);
    this.#prepare(upsertSql(entity)).run(toRow(entity, record));
    this.#journal(journalType, toBackup(entity, record) as JsonValue);
  }

  #append<T>(entity: Entity, input: unknown, journalType: string): T {
    const record = this.#validate(entity, input);
    const { lastInsertRowid } = this.#prepare(insertSql(entity, false)).run(toRow(entity, record));
    const saved = { ...record, [entity.generated!]: Number(lastInsertRowid) };
    this.#journal(journalType, toBackup(entity, saved) as JsonValue);
    return Object.freeze(saved) as unknown as T;
  }

  #journal(type: string, payload: JsonValue): JournalEntry {
    const entry = this.#validate(JOURNAL, { at: this.#clock(), type, payload });
    const { lastInsertRowid } = this.#prepare(insertSql(JOURNAL, false)).run(toRow(JOURNAL, entry));
    return Object.freeze({ ...entry, seq: Number(lastInsertRowid) }) as unknown as JournalEntry;
  }
}

/**
 * Refuses a database this release must not touch and returns its schema version (0 for a new file).
 * Only reads: it runs before anything is written.
 */
function checkIdentity(db: Database.Database, path: string): number {
  const appId = db.pragma("application_id", { simple: true }) as number;
  const version = db.pragma("user_version", { simple: true }) as number;
  const objects = (db.prepare("SELECT count(*) AS n FROM sqlite_schema").get() as { n: number }).n;
  if (appId !== APPLICATION_ID && (appId !== 0 || version !== 0 || objects > 0)) {
    throw new StateError("STATE_FOREIGN", `${path} is an SQLite database of another application, not a Tradeloom state database`, {
      path,
      applicationId: appId,
    });
  }
  if (version > SCHEMA_VERSION) {
    throw new StateError(
      "STATE_SCHEMA_TOO_NEW",
      `state database ${path} has schema version ${version}, newer than ${SCHEMA_VERSION} which this release reads; upgrade Tradeloom`,
      { path, version, supported: SCHEMA_VERSION },
    );
  }
  if (objects > 0) {
    const problems = (db.prepare("PRAGMA quick_check").all() as { quick_check: string }[]).map((r) => r.quick_check).filter((m) => m !== "ok");
    if (problems.length > 0) {
      throw new StateError("STATE_CORRUPT", `state database ${path} is corrupt: ${problems.slice(0, 3).join("; ")}`, { path, problems });
    }
  }
  return version;
}

/** Maps SQLite's errors to stable codes; everything else (a caller's own error from a transaction) passes unchanged. */
function toStateError(e: unknown, path: string): unknown {
  if (!(e instanceof Database.SqliteError)) return e;
  const at = { path, sqliteCode: e.code };
  if (e.code.startsWith("SQLITE_CONSTRAINT")) return new StateError("STATE_CONSTRAINT", `state database ${path}: ${e.message}`, at, { cause: e });
  if (e.code === "SQLITE_NOTADB" || e.code.startsWith("SQLITE_CORRUPT")) {
    return new StateError("STATE_CORRUPT", `${path} is not a readable SQLite database: ${e.message}`, at, { cause: e });
  }
  return new StateError("STATE_IO", `state database ${path}: ${e.message}`, at, { cause: e });
}

/** The frozen record of a row; the entity tables and the record interfaces describe the same fields. */
function decode<T>(entity: Entity, row: Readonly<Record<string, unknown>>): T {
  return Object.freeze(fromRow(entity, row)) as unknown as T;
}
