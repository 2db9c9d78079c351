import { canonicalJson } from "./canonical-json";
import { ENTITIES, type Entity, toBackup, validateRecord } from "./entities";
import { StateError } from "./errors";
import { SCHEMA_VERSION } from "./migrations";

/** Value of a backup's `format` member; anything else is not a Tradeloom state backup. */
export const BACKUP_FORMAT = "tradeloom-state-backup";

/** Every table's records, keyed by entity, in insertion order (parents first). */
export type Tables = ReadonlyMap<Entity, readonly Readonly<Record<string, unknown>>[]>;

/**
 * The backup text: 2-space JSON with keys sorted at every level, Money as exact decimal strings, absent values as
 * `null`. Equal states give byte-identical backups, so a backup can be compared with `diff` or a hash.
 */
export function encodeBackup(tables: Tables, exportedAt: number): string {
  const doc: Record<string, unknown> = { format: BACKUP_FORMAT, schemaVersion: SCHEMA_VERSION, exportedAt };
  for (const [entity, records] of tables) doc[entity.backupKey] = records.map((r) => toBackup(entity, r));
  return `${canonicalJson(doc, 2)}\n`;
}

/**
 * Parses and checks a backup completely before anything is written, so that a bad file cannot leave a half-restored
 * database. @throws StateError `STATE_BACKUP_INVALID` naming the first bad member (`context.at`, e.g. `fills[3].price`).
 */
export function decodeBackup(text: string, path: string): Tables {
  const invalid = (message: string, at?: string, cause?: unknown): StateError =>
    new StateError("STATE_BACKUP_INVALID", `backup ${path}: ${at === undefined ? "" : `${at} `}${message}`, { path, ...(at === undefined ? {} : { at }) }, { cause });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw invalid("is not JSON", undefined, e);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw invalid("is not a JSON object");
  const d = doc as Record<string, unknown>;
  if (d["format"] !== BACKUP_FORMAT) throw invalid(`is not a Tradeloom state backup (format must be "${BACKUP_FORMAT}")`);
  if (d["schemaVersion"] !== SCHEMA_VERSION) {
    throw invalid(`has schema version ${String(d["schemaVersion"])}; this release reads version ${SCHEMA_VERSION}`);
  }
  const tables = new Map<Entity, Record<string, unknown>[]>();
  for (const entity of ENTITIES) {
    const rows = d[entity.backupKey];
    if (!Array.isArray(rows)) throw invalid("must be an array", entity.backupKey);
    tables.set(
      entity,
      rows.map((row: unknown, i) => {
        const r = validateRecord(entity, row, { fromJson: true, withGenerated: true });
        if ("error" in r) throw invalid(r.error, `${entity.backupKey}[${i}]`);
        return r.record;
      }),
    );
  }
  return tables;
}
