import { TradeloomError } from "@tradeloom/types";

/**
 * Stable codes of {@link StateError}. Callers branch on these, never on messages.
 *
 * - `STATE_LOCKED`: another live engine (this process or another) owns the database.
 * - `STATE_SCHEMA_TOO_NEW`: the database was written by a newer Tradeloom; it is left untouched.
 * - `STATE_CORRUPT`: the file is not a readable SQLite database or fails SQLite's integrity check.
 * - `STATE_FOREIGN`: a valid SQLite database that belongs to some other application.
 * - `STATE_BACKUP_INVALID`: a JSON backup cannot be read or does not describe a valid state.
 * - `STATE_NOT_EMPTY`: a backup was to be imported into a database that already holds state.
 * - `STATE_INVALID_RECORD`: a record passed by the caller breaks a rule (bad timestamp, closed position without
 *   exit time, ...); nothing was written.
 * - `STATE_CONSTRAINT`: SQLite refused a write (duplicate key, unknown order id referenced by a fill, ...).
 * - `STATE_CLOSED`: the manager was used after {@link SqliteStateManager.close}.
 * - `STATE_MISUSE`: a call that cannot run where it was made (export or import inside a transaction).
 * - `STATE_IO`: a file could not be read or written.
 */
export type StateErrorCode =
  | "STATE_LOCKED"
  | "STATE_SCHEMA_TOO_NEW"
  | "STATE_CORRUPT"
  | "STATE_FOREIGN"
  | "STATE_BACKUP_INVALID"
  | "STATE_NOT_EMPTY"
  | "STATE_INVALID_RECORD"
  | "STATE_CONSTRAINT"
  | "STATE_CLOSED"
  | "STATE_MISUSE"
  | "STATE_IO";

/** An error of the state store. `context.path` names the database or backup file concerned. */
export class StateError extends TradeloomError {
  declare readonly code: StateErrorCode;

  constructor(
    code: StateErrorCode,
    message: string,
    context: { path: string } & Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(code, message, context, options);
  }
}
