/**
 * `@tradeloom/state`: the live-trading state store. Positions, orders, fills, trades, checkpoints and an
 * append-only journal in one SQLite database, with exact decimals, crash-safe transactions and JSON backups.
 *
 * @packageDocumentation
 */

/** The store itself, its options and filters. */
export { SqliteStateManager, type StateManagerOptions, type CheckpointState, type OrderFilter } from "./state-manager";
/** The records the store reads and writes. */
export {
  ACTIVE_ORDER_STATUSES,
  type UtcMillis,
  type PositionStatus,
  type PositionRecord,
  type OrderStatus,
  type OrderType,
  type TimeInForce,
  type OrderRecord,
  type FillInput,
  type FillRecord,
  type TradeInput,
  type TradeRecord,
  type CheckpointInput,
  type CheckpointRecord,
  type JournalEntry,
} from "./records";
/** Errors with stable codes. */
export { StateError, type StateErrorCode } from "./errors";
/** Stable JSON and the config fingerprint stored in checkpoints. */
export { canonicalJson, configHash, CONFIG_HASH_EXCLUDED_KEYS, type JsonValue, type JsonObject } from "./canonical-json";
/** Who holds (or held) a database's lock. */
export { type LockOwner, lockFilePath } from "./lock";
/** Version constants, for tools that inspect databases and backups. */
export { SCHEMA_VERSION, APPLICATION_ID } from "./migrations";
/** The `format` member of every backup. */
export { BACKUP_FORMAT } from "./backup";
