import { type Candle, CandleSeries } from "./candle-series";
import { DataError } from "./errors";
import { formatCandleTime, parseCandleTime } from "./time";

/** Header line of the reference CSV format. */
export const CANDLE_CSV_HEADER = "datetime,open,high,low,close,volume";

/** A data row the reader skipped, and why. */
export interface SkippedRow {
  /** 1-based line number in the file (the header is line 1). */
  readonly line: number;
  readonly reason: string;
}

/** A parsed candle file. */
export interface ParsedCandles {
  readonly series: CandleSeries;
  readonly rowsRead: number;
  readonly skipped: readonly SkippedRow[];
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// Fast path for the reference's own `YYYY-MM-DD HH:MM:SS`; anything else goes through the general parser.
function fastTime(s: string): number {
  if (s.length !== 19 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 32 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) {
    return parseCandleTime(s) ?? Number.NaN;
  }
  const d = (i: number) => s.charCodeAt(i) - 48;
  const digits = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
  for (const i of digits) {
    const c = d(i);
    if (c < 0 || c > 9) return Number.NaN;
  }
  const y = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3);
  const mo = d(5) * 10 + d(6);
  const day = d(8) * 10 + d(9);
  const h = d(11) * 10 + d(12);
  const mi = d(14) * 10 + d(15);
  const se = d(17) * 10 + d(18);
  if (mo < 1 || mo > 12 || day < 1 || day > DAYS[mo - 1]! || h > 23 || mi > 59 || se > 59) return Number.NaN;
  if (mo === 2 && day === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return Number.NaN;
  return Date.UTC(y, mo - 1, day, h, mi, se);
}

function splitRecord(line: string): string[] {
  if (!line.includes('"')) return line.split(",");
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

const COLS = ["open", "high", "low", "close", "volume"] as const;

/**
 * Why a candle's values are inconsistent (the reference's row checks, first failure wins), or `undefined` when they
 * are fine: every price > 0, high ≥ low, volume ≥ 0, open and close within [low, high].
 */
export function candleProblem(o: number, h: number, l: number, c: number, v: number): string | undefined {
  // Negated comparisons, so that a NaN anywhere is a problem too.
  if (!(o > 0 && h > 0 && l > 0 && c > 0)) return "a price is zero, negative or not a number";
  if (!(h >= l)) return "high is below low";
  if (!(v >= 0)) return "volume is negative or not a number";
  if (!(o >= l && o <= h)) return "open is outside [low, high]";
  if (!(c >= l && c <= h)) return "close is outside [low, high]";
  return undefined;
}

/**
 * Parses candle CSV text in the reference format: a header line (skipped), then `datetime,open,high,low,close,volume`
 * by position; extra columns are ignored.
 *
 * - A malformed row (wrong field count, bad time, a number that is not finite) is an error naming file and line.
 * - Times must strictly increase: a duplicate or earlier timestamp is an error naming the line.
 * - A row whose OHLC values are inconsistent is skipped, as the reference does, and reported in `skipped`.
 *
 * @param file the name used in errors.
 * @throws DataError
 */
export function parseCandleCsv(text: string, file: string): ParsedCandles {
  let cap = 1024;
  let buf = new Float64Array(cap * 6);
  let n = 0;
  const skipped: SkippedRow[] = [];
  let rowsRead = 0;
  let fields = -1;
  let lineNo = 0;
  let pos = 0;
  let lastTime = Number.NEGATIVE_INFINITY;
  const len = text.length;
  if (text.charCodeAt(0) === 0xfeff) pos = 1;
  while (pos < len) {
    let nl = text.indexOf("\n", pos);
    if (nl < 0) nl = len;
    let line = text.slice(pos, nl);
    pos = nl + 1;
    lineNo++;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (fields < 0) {
      fields = splitRecord(line).length;
      if (fields < 6) throw new DataError("DATA_MALFORMED", `${file}:1: header has ${fields} columns; expected datetime,open,high,low,close,volume`, { file, line: 1 });
      continue;
    }
    if (line.length === 0 && pos >= len) break;
    rowsRead++;
    const rec = splitRecord(line);
    if (rec.length !== fields) {
      throw new DataError("DATA_MALFORMED", `${file}:${lineNo}: expected ${fields} fields like the header, found ${rec.length}`, { file, line: lineNo });
    }
    const t = fastTime(rec[0]!);
    if (Number.isNaN(t)) {
      throw new DataError("DATA_MALFORMED", `${file}:${lineNo}: invalid datetime ${JSON.stringify(rec[0])}; expected "YYYY-MM-DD HH:MM:SS" (UTC) or RFC 3339 with offset`, {
        file,
        line: lineNo,
      });
    }
    const vals = [0, 0, 0, 0, 0];
    for (let k = 0; k < 5; k++) {
      const s = rec[k + 1]!;
      const x = s.length === 0 || s.trim() !== s ? Number.NaN : Number(s);
      if (!Number.isFinite(x)) {
        throw new DataError("DATA_MALFORMED", `${file}:${lineNo}: ${COLS[k]} ${JSON.stringify(s)} is not a finite number`, { file, line: lineNo, column: COLS[k] });
      }
      vals[k] = x;
    }
    const [o, h, l, c, v] = vals as [number, number, number, number, number];
    const bad = candleProblem(o, h, l, c, v);
    if (bad) {
      skipped.push({ line: lineNo, reason: bad });
      continue;
    }
    if (t <= lastTime) {
      throw new DataError(
        "DATA_ORDER",
        `${file}:${lineNo}: timestamp ${rec[0]} is ${t === lastTime ? "a duplicate of" : "earlier than"} the previous row; candles must be in strictly ascending time order`,
        { file, line: lineNo },
      );
    }
    lastTime = t;
    if (n === cap) {
      const next = new Float64Array(cap * 2 * 6);
      next.set(buf);
      buf = next;
      cap *= 2;
    }
    const b = n * 6;
    buf[b] = t;
    buf[b + 1] = o;
    buf[b + 2] = h;
    buf[b + 3] = l;
    buf[b + 4] = c;
    buf[b + 5] = v;
    n++;
  }
  if (fields < 0) throw new DataError("DATA_EMPTY", `${file}: the file is empty (no header)`, { file });
  // Rows were packed row-major for cheap appends; the engine wants columns.
  const cols = new Float64Array(n * 6);
  for (let i = 0; i < n; i++) for (let k = 0; k < 6; k++) cols[k * n + i] = buf[i * 6 + k]!;
  return { series: CandleSeries.fromBuffer(cols, n), rowsRead, skipped };
}

/**
 * Shortest round-trip decimal text of a number, never in exponent form (`1e-7` → `0.0000001`), as the reference
 * files are written.
 */
export function formatDecimal(n: number): string {
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int, frac = "", expText] = m;
  const exp = Number(expText);
  // JavaScript switches to exponents only below 1e-6 and from 1e21, so a positive exponent always exceeds the fraction.
  return exp < 0 ? `${sign}0.${"0".repeat(-exp - 1)}${int}${frac}` : `${sign}${int}${frac}${"0".repeat(exp - frac.length)}`;
}

/** CSV text in the reference format: the header, then `YYYY-MM-DD HH:MM:SS` UTC open time and the values. */
export function formatCandleCsv(candles: readonly Candle[]): string {
  const lines = [CANDLE_CSV_HEADER];
  for (const c of candles) {
    lines.push(`${formatCandleTime(c.time)},${formatDecimal(c.open)},${formatDecimal(c.high)},${formatDecimal(c.low)},${formatDecimal(c.close)},${formatDecimal(c.volume)}`);
  }
  return `${lines.join("\n")}\n`;
}
