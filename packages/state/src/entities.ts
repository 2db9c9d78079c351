import { Money } from "@tradeloom/types";
import { canonicalJson } from "./canonical-json";

/**
 * How one record field is stored: as a SQLite column, and as a member of the JSON backup. Driving the row codec,
 * the backup codec and the validation from one table keeps the three from drifting apart.
 */
type Kind =
  | { readonly kind: "money" } // Money ↔ exact decimal TEXT ↔ JSON string
  | { readonly kind: "time" } // UTC ms ↔ INTEGER ↔ JSON number
  | { readonly kind: "count" } // non-negative integer (ids, cycles, counts)
  | { readonly kind: "text" }
  | { readonly kind: "bool" } // boolean ↔ 0/1 ↔ JSON boolean
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "strings" } // string[] ↔ JSON TEXT ↔ JSON array
  | { readonly kind: "object" } // JSON object ↔ JSON TEXT ↔ JSON object
  | { readonly kind: "json" }; // any JSON ↔ JSON TEXT ↔ JSON value

interface Field {
  readonly key: string;
  readonly column: string;
  readonly type: Kind;
  readonly optional: boolean;
}

/** A table and the record it holds. `check` states rules that span fields, in words a caller can act on. */
export interface Entity {
  readonly table: string;
  /** Backup member holding this table's rows. */
  readonly backupKey: "positions" | "orders" | "fills" | "trades" | "checkpoints" | "journal";
  readonly fields: readonly Field[];
  /** Field filled in by SQLite on insert (AUTOINCREMENT), absent from the caller's input. */
  readonly generated?: string;
  readonly check?: (record: Readonly<Record<string, unknown>>) => string | undefined;
}

const f = (key: string, column: string, type: Kind, optional = false): Field => ({ key, column, type, optional });
const money: Kind = { kind: "money" };
const time: Kind = { kind: "time" };
const count: Kind = { kind: "count" };
const text: Kind = { kind: "text" };
const bool: Kind = { kind: "bool" };
const side: Kind = { kind: "enum", values: ["buy", "sell"] };

export const POSITIONS: Entity = {
  table: "positions",
  backupKey: "positions",
  fields: [
    f("symbol", "symbol", text),
    f("side", "side", side),
    f("quantity", "quantity", money),
    f("entryPrice", "entry_price", money),
    f("entryTime", "entry_time", time),
    f("stopLoss", "stop_loss", money, true),
    f("takeProfit", "take_profit", money, true),
    f("trailingStop", "trailing_stop", money, true),
    f("status", "status", { kind: "enum", values: ["open", "closed"] }),
    f("realizedPnl", "realized_pnl", money),
    f("exitPrice", "exit_price", money, true),
    f("exitTime", "exit_time", time, true),
    f("updatedAt", "updated_at", time),
  ],
  check: (r) => (r["status"] === "closed" && r["exitTime"] === undefined ? "a closed position needs exitTime" : undefined),
};

export const ORDERS: Entity = {
  table: "orders",
  backupKey: "orders",
  fields: [
    f("clientOrderId", "client_order_id", text),
    f("exchangeOrderId", "exchange_order_id", text, true),
    f("symbol", "symbol", text),
    f("side", "side", side),
    f("type", "type", { kind: "enum", values: ["market", "limit", "stop", "stop_limit"] }),
    f("quantity", "quantity", money),
    f("filledQuantity", "filled_quantity", money),
    f("limitPrice", "limit_price", money, true),
    f("stopPrice", "stop_price", money, true),
    f("timeInForce", "time_in_force", { kind: "enum", values: ["gtc", "gtd", "ioc", "fok"] }),
    f("expiresAt", "expires_at", time, true),
    f("reduceOnly", "reduce_only", bool),
    f("status", "status", {
      kind: "enum",
      values: ["pending", "open", "partially_filled", "filled", "cancelled", "rejected", "expired"],
    }),
    f("createdAt", "created_at", time),
    f("updatedAt", "updated_at", time),
  ],
  check: (r) => (r["timeInForce"] === "gtd" && r["expiresAt"] === undefined ? "a gtd order needs expiresAt" : undefined),
};

export const FILLS: Entity = {
  table: "fills",
  backupKey: "fills",
  generated: "id",
  fields: [
    f("id", "id", count),
    f("clientOrderId", "client_order_id", text, true),
    f("exchangeFillId", "exchange_fill_id", text, true),
    f("symbol", "symbol", text),
    f("side", "side", side),
    f("price", "price", money),
    f("quantity", "quantity", money),
    f("fee", "fee", money),
    f("maker", "maker", bool),
    f("time", "time", time),
  ],
};

export const TRADES: Entity = {
  table: "trades",
  backupKey: "trades",
  generated: "id",
  fields: [
    f("id", "id", count),
    f("fillId", "fill_id", count, true),
    f("symbol", "symbol", text),
    f("side", "side", side),
    f("quantity", "quantity", money),
    f("entryPrice", "entry_price", money),
    f("exitPrice", "exit_price", money),
    f("entryTime", "entry_time", time),
    f("exitTime", "exit_time", time),
    f("grossPnl", "gross_pnl", money),
    f("fees", "fees", money),
    f("netPnl", "net_pnl", money),
    f("exitReason", "exit_reason", text),
    f("closesPosition", "closes_position", bool),
  ],
};

export const CHECKPOINTS: Entity = {
  table: "checkpoints",
  backupKey: "checkpoints",
  generated: "id",
  fields: [
    f("id", "id", count),
    f("time", "time", time),
    f("cycleCount", "cycle_count", count),
    f("portfolioValue", "portfolio_value", money),
    f("cash", "cash", money),
    f("positionsValue", "positions_value", money),
    f("openPositions", "open_positions", count),
    f("symbols", "symbols", { kind: "strings" }),
    f("drawdown", "drawdown", money),
    f("consecutiveLosses", "consecutive_losses", count),
    f("paperMode", "paper_mode", bool),
    f("configHash", "config_hash", text),
    f("metadata", "metadata", { kind: "object" }),
  ],
};

export const JOURNAL: Entity = {
  table: "journal",
  backupKey: "journal",
  generated: "seq",
  fields: [f("seq", "seq", count), f("at", "at", time), f("type", "type", text), f("payload", "payload", { kind: "json" })],
};

/** Every entity, parents before children, which is the order a restore must insert them in. */
export const ENTITIES: readonly Entity[] = [POSITIONS, ORDERS, FILLS, TRADES, CHECKPOINTS, JOURNAL];

// The form Money.toString writes: optional minus, digits, optional fraction; never an exponent.
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A value SQLite stores for one column. */
export type SqlValue = string | number | null;

/**
 * Checks one field value of a caller's record or of a backup (`raw` is then the parsed JSON member) and returns it
 * in record form, or a reason why it is unusable. Money arrives as Money (records) or as text (backups).
 */
function toRecordValue(field: Field, raw: unknown, fromJson: boolean): { value: unknown } | { error: string } {
  if (raw === undefined || raw === null) {
    if (field.optional) return { value: undefined };
    return { error: "is required" };
  }
  const t = field.type;
  switch (t.kind) {
    case "money": {
      if (raw instanceof Money) return { value: raw };
      if (fromJson && typeof raw === "string" && DECIMAL.test(raw)) return { value: Money.of(raw) };
      return { error: fromJson ? "must be a plain decimal string" : "must be a Money" };
    }
    case "time":
    case "count":
      return Number.isSafeInteger(raw) && (raw as number) >= 0
        ? { value: raw }
        : { error: t.kind === "time" ? "must be UTC milliseconds (a non-negative integer)" : "must be a non-negative integer" };
    case "text":
      return typeof raw === "string" ? { value: raw } : { error: "must be a string" };
    case "bool":
      return typeof raw === "boolean" ? { value: raw } : { error: "must be a boolean" };
    case "enum":
      return typeof raw === "string" && t.values.includes(raw) ? { value: raw } : { error: `must be one of ${t.values.join(", ")}` };
    case "strings":
      return Array.isArray(raw) && raw.every((s) => typeof s === "string")
        ? { value: Object.freeze([...raw]) }
        : { error: "must be an array of strings" };
    case "object":
      if (typeof raw !== "object" || Array.isArray(raw)) return { error: "must be a JSON object" };
      return jsonValue(raw);
    case "json":
      return jsonValue(raw);
  }
}

function jsonValue(raw: unknown): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(canonicalJson(raw)) };
  } catch (e) {
    return { error: `must be plain JSON (${(e as Error).message})` };
  }
}

/**
 * Validates a record (a caller's input, or one member of a backup) and returns it normalised, with `undefined` for
 * absent optional fields. `generated` fields are skipped unless `withGenerated`.
 *
 * @returns the record, or the first problem found as `"field: reason"`.
 */
export function validateRecord(
  entity: Entity,
  input: unknown,
  options: { fromJson: boolean; withGenerated: boolean },
): { record: Record<string, unknown> } | { error: string } {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return { error: "must be an object" };
  const source = input as Record<string, unknown>;
  const record: Record<string, unknown> = {};
  for (const field of entity.fields) {
    if (field.key === entity.generated && !options.withGenerated) continue;
    const r = toRecordValue(field, source[field.key], options.fromJson);
    if ("error" in r) return { error: `${field.key} ${r.error}` };
    record[field.key] = r.value;
  }
  if (options.fromJson) {
    const unknown = Object.keys(source).filter((k) => !entity.fields.some((fl) => fl.key === k));
    if (unknown.length > 0) return { error: `unknown member ${unknown[0]}` };
  }
  const broken = entity.check?.(record);
  return broken === undefined ? { record } : { error: broken };
}

/** The SQLite row of a validated record, keyed by column name (the named parameters of {@link insertSql}). */
export function toRow(entity: Entity, record: Readonly<Record<string, unknown>>): Record<string, SqlValue> {
  const row: Record<string, SqlValue> = {};
  for (const field of entity.fields) {
    if (!(field.key in record)) continue;
    const v = record[field.key];
    if (v === undefined) {
      row[field.column] = null;
      continue;
    }
    switch (field.type.kind) {
      case "money":
        row[field.column] = (v as Money).toString();
        break;
      case "bool":
        row[field.column] = v ? 1 : 0;
        break;
      case "strings":
      case "object":
      case "json":
        row[field.column] = canonicalJson(v);
        break;
      default:
        row[field.column] = v as string | number;
    }
  }
  return row;
}

/** The record of a SQLite row. Absent optional fields are left out rather than set to `undefined`. */
export function fromRow(entity: Entity, row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const field of entity.fields) {
    const v = row[field.column];
    if (v === null || v === undefined) continue;
    switch (field.type.kind) {
      case "money":
        record[field.key] = Money.of(v as string);
        break;
      case "bool":
        record[field.key] = v === 1;
        break;
      case "strings":
      case "object":
      case "json":
        record[field.key] = JSON.parse(v as string) as unknown;
        break;
      default:
        record[field.key] = v;
    }
  }
  return record;
}

/** The backup form of a record: every field present, absent ones as `null`, Money as its exact decimal string. */
export function toBackup(entity: Entity, record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of entity.fields) {
    const v = record[field.key];
    out[field.key] = v === undefined ? null : v instanceof Money ? v.toString() : v;
  }
  return out;
}

/** `INSERT` of the given fields, with named parameters equal to the column names. */
export function insertSql(entity: Entity, withGenerated: boolean): string {
  const cols = entity.fields.filter((fl) => withGenerated || fl.key !== entity.generated).map((fl) => fl.column);
  return `INSERT INTO ${entity.table} (${cols.join(", ")}) VALUES (${cols.map((c) => "@" + c).join(", ")})`;
}

/** `INSERT ... ON CONFLICT DO UPDATE` keyed on the first field (the table's primary key). */
export function upsertSql(entity: Entity): string {
  const [key, ...rest] = entity.fields.map((fl) => fl.column);
  return `${insertSql(entity, true)} ON CONFLICT (${key}) DO UPDATE SET ${rest.map((c) => `${c} = excluded.${c}`).join(", ")}`;
}
