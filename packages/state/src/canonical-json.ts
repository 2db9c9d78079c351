import { createHash } from "node:crypto";

/** A value that survives a JSON round trip unchanged. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { readonly [key: string]: JsonValue };

/**
 * Serialises a JSON value with object keys sorted by UTF-16 code unit at every level, so that equal values give
 * equal text whatever order their keys were inserted in (and in any process).
 *
 * `indent` (spaces) pretty-prints; without it the output is compact. Object members whose value is `undefined`
 * are left out, as `JSON.stringify` does; values with a `toJSON` method (such as `Money`) are serialised through it.
 *
 * @throws TypeError on non-finite numbers, bigints, functions, symbols and cycles, which have no stable JSON form.
 */
export function canonicalJson(value: unknown, indent = 0): string {
  return write(value, indent, "", new Set());
}

function write(value: unknown, indent: number, pad: string, seen: Set<object>): string {
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return write((value as { toJSON(): unknown }).toJSON(), indent, pad, seen);
  }
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
      return JSON.stringify(value);
    case "object":
      break;
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
  }
  if (value === null) return "null";
  if (seen.has(value)) throw new TypeError("canonicalJson: cyclic value");
  seen.add(value);
  const inner = indent > 0 ? pad + " ".repeat(indent) : "";
  const nl = indent > 0 ? "\n" : "";
  const colon = indent > 0 ? ": " : ":";
  let out: string;
  if (Array.isArray(value)) {
    const items = value.map((v: unknown) => inner + write(v === undefined ? null : v, indent, inner, seen));
    out = items.length === 0 ? "[]" : `[${nl}${items.join(`,${nl}`)}${nl}${pad}]`;
  } else {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${inner}${JSON.stringify(k)}${colon}${write(v, indent, inner, seen)}`);
    out = entries.length === 0 ? "{}" : `{${nl}${entries.join(`,${nl}`)}${nl}${pad}}`;
  }
  seen.delete(value);
  return out;
}

/** Keys left out of {@link configHash} by default: credentials must not decide whether parameters changed. */
export const CONFIG_HASH_EXCLUDED_KEYS: readonly string[] = Object.freeze(["api_key", "api_secret"]);

/**
 * Fingerprint of a configuration: lowercase hex SHA-256 of its {@link canonicalJson} form, with the members named
 * in `excludeKeys` removed at every level. Stable across processes and key orders, unlike the reference's hash
 * (operations.md §4.5, gap G16).
 *
 * @example
 * configHash({ trading: { initial_capital: 100000 }, exchange: { api_key: "k" } }) ===
 *   configHash({ exchange: {}, trading: { initial_capital: 100000 } }); // true
 */
export function configHash(config: unknown, excludeKeys: readonly string[] = CONFIG_HASH_EXCLUDED_KEYS): string {
  // Round-tripping through text first resolves toJSON methods and undefined members, so strip() sees plain JSON.
  const plain = JSON.parse(canonicalJson(config)) as JsonValue;
  return createHash("sha256").update(canonicalJson(strip(plain, new Set(excludeKeys))), "utf8").digest("hex");
}

function strip(value: JsonValue, excluded: ReadonlySet<string>): JsonValue {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v: JsonValue) => strip(v, excluded));
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(value as JsonObject)) if (!excluded.has(k)) out[k] = strip(v, excluded);
  return out;
}
