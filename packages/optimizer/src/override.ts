import { ConfigError } from "@tradeloom/types";
import type { JsonValue } from "./json";

/** A parsed `-O key=v1,v2` option: it replaces or adds the grid dimension `key`. */
export interface GridOverride {
  readonly key: string;
  readonly values: readonly JsonValue[];
}

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?|inf|infinity|nan)$/i;

/** Parses one override value: integer, else float, else exact `true`/`false`, else the string itself. */
export function parseOverrideValue(text: string): JsonValue {
  if (INT.test(text)) return Number(text);
  if (FLOAT.test(text)) {
    const lower = text.toLowerCase().replace(/^\+/, "");
    if (lower.endsWith("nan")) return Number.NaN;
    if (lower.includes("inf")) return lower.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    return Number(text);
  }
  if (text === "true") return true;
  if (text === "false") return false;
  return text;
}

/**
 * Parses `key=v1,v2,…`: key and values trimmed, empty values dropped.
 * @throws ConfigError when there is no `=`, no key or no value (the reference ignored such overrides silently).
 */
export function parseOverride(text: string): GridOverride {
  const eq = text.indexOf("=");
  if (eq < 0) throw new ConfigError(`--override ${JSON.stringify(text)}: expected key=v1,v2,...`, { path: "--override" });
  const key = text.slice(0, eq).trim();
  if (key === "") throw new ConfigError(`--override ${JSON.stringify(text)}: the key is empty`, { path: "--override" });
  const values = text
    .slice(eq + 1)
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "")
    .map(parseOverrideValue);
  if (values.length === 0) throw new ConfigError(`--override ${JSON.stringify(text)}: no values after '='`, { path: "--override" });
  return { key, values };
}

/** A copy of `grid` with each override replacing or adding its key, in the order given. */
export function applyOverrides(grid: Readonly<Record<string, unknown>> | undefined, overrides: readonly GridOverride[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...grid };
  for (const o of overrides) out[o.key] = [...o.values];
  return out;
}
