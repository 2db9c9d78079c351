import { ConfigError } from "./errors";

const NAIVE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

function utc(y: string, mo: string, d: string, h: string, mi: string, s: string): number | undefined {
  const Y = Number(y), M = Number(mo), D = Number(d), H = Number(h), I = Number(mi), S = Number(s);
  if (M < 1 || M > 12 || D < 1 || D > 31 || H > 23 || I > 59 || S > 60) return undefined;
  const t = Date.UTC(Y, M - 1, D, H, I, S);
  // Date.UTC rolls 2025-02-30 over into March: reject instead of guessing.
  const back = new Date(t);
  if (back.getUTCDate() !== D || back.getUTCMonth() !== M - 1) return undefined;
  return t;
}

/**
 * Parses a candle timestamp as the reference data files write it: `YYYY-MM-DD HH:MM:SS` (UTC), or RFC 3339 with
 * an offset (`2025-01-02T03:04:05Z`, `+05:30`, optional fraction). Returns UTC milliseconds, or `undefined`.
 */
export function parseCandleTime(text: string): number | undefined {
  let m = NAIVE.exec(text);
  if (m) return utc(m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]!);
  m = WITH_OFFSET.exec(text);
  if (m) {
    const base = utc(m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]!);
    if (base === undefined) return undefined;
    const frac = m[7] ? Math.round(Number(`0${m[7]}`) * 1000) : 0;
    const off = m[8]!;
    let offMs = 0;
    if (off !== "Z") {
      const sign = off[0] === "-" ? -1 : 1;
      offMs = sign * (Number(off.slice(1, 3)) * 60 + Number(off.slice(4, 6))) * 60_000;
    }
    return base + frac - offMs;
  }
  return undefined;
}

/**
 * Parses a user-given date bound: a bare `YYYY-MM-DD` (00:00:00 UTC that day), `YYYY-MM-DD HH:MM:SS` (UTC) or
 * RFC 3339 with an offset.
 * @throws ConfigError naming `field` when the text is none of these.
 */
export function parseDateBound(text: string, field: string): number {
  const m = DATE_ONLY.exec(text);
  const t = m ? utc(m[1]!, m[2]!, m[3]!, "0", "0", "0") : parseCandleTime(text);
  if (t === undefined) {
    throw new ConfigError(`${field}: invalid date ${JSON.stringify(text)}; use YYYY-MM-DD, "YYYY-MM-DD HH:MM:SS" (UTC) or RFC 3339`, {
      path: field,
      value: text,
    });
  }
  return t;
}

/** Formats UTC milliseconds as `YYYY-MM-DD HH:MM:SS`, the reference file format. */
export function formatCandleTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
