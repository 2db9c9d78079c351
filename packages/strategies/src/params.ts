import { z } from "zod";
import { ConfigError } from "@tradeloom/types";

type IssueInput = { readonly input?: unknown };

function expected(what: string) {
  return { error: (iss: IssueInput) => (iss.input === undefined ? "is required" : `must be ${what}`) };
}

/**
 * Zod building blocks for strategy parameters, with the messages users see in a {@link ConfigError}.
 *
 * The reference rejects `14.0` where an unsigned integer is expected, but `JSON.parse` cannot tell `14.0` from `14`,
 * so integral numbers are accepted for integer fields and fractional ones rejected.
 */
export const param = {
  /** A non-negative integer (`uint` in the spec): counts, bar numbers, periods where 0 means "off". */
  uint: () => z.number(expected("a non-negative integer")).int({ error: "must be a non-negative integer" }).min(0, { error: "must be a non-negative integer" }),
  /** An indicator period: an integer ≥ 1. */
  period: () => z.number(expected("an integer ≥ 1")).int({ error: "must be an integer ≥ 1" }).min(1, { error: "must be an integer ≥ 1" }),
  /** A finite number ≥ 0 (ATR multiples, thresholds, ratios). */
  nonNegative: () => z.number(expected("a number ≥ 0")).min(0, { error: "must be ≥ 0" }),
  /** A fraction in [0, 1] (percentages written as fractions, e.g. 0.025 = 2.5 %). */
  fraction: () => z.number(expected("a fraction between 0 and 1")).min(0, { error: "must be ≥ 0" }).max(1, { error: "must be ≤ 1" }),
  /** An oscillator level in [0, 100] (RSI, ADX). */
  level: () => z.number(expected("a number between 0 and 100")).min(0, { error: "must be ≥ 0" }).max(100, { error: "must be ≤ 100" }),
  /** A JSON boolean. */
  bool: () => z.boolean(expected("true or false")),
} as const;

/**
 * Validates a raw `strategy` config section against `schema`. Unknown keys (`name`, `timeframe`, `_comment`,
 * `_optimization`, stale parameters) are ignored, as in the reference.
 *
 * @param pathPrefix - where the section sits in the config file, for error paths (`strategy.atr_period`).
 * @throws ConfigError naming the first offending field in `context.path`; `context.issues` lists all of them.
 */
export function parseParams<P>(schema: z.ZodType<P>, raw: unknown, pathPrefix = "strategy"): P {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${pathPrefix} must be a JSON object of strategy parameters`, { path: pathPrefix });
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const path = [pathPrefix, ...issue.path.map(String)].join(".");
    const got = valueAt(raw, issue.path);
    const seen = got === undefined ? "" : ` (got ${JSON.stringify(got)})`;
    return { path, message: `${path} ${issue.message}${seen}` };
  });
  const [head, ...rest] = issues;
  const more = rest.length === 0 ? "" : `; also ${rest.map((i) => i.message).join("; ")}`;
  throw new ConfigError(`${head!.message}${more}`, { path: head!.path, issues });
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const key of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}
