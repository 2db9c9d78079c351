import { ConfigError } from "./errors";

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const YEAR_MS = 365 * UNIT_MS.d;

/**
 * A candle interval such as `1m`, `4h`, `1d`, `1w` or `1M` (month).
 *
 * @example
 * Timeframe.parse("4h").barsPerYear; // 2190
 */
export class Timeframe {
  /** The label exactly as written (`"4h"`); used in file names (`BTCINR_4h.csv`). */
  readonly label: string;
  /** Length of one candle in milliseconds (a month counts 30 days). */
  readonly durationMs: number;
  /** Candles in a 365-day year (1d: 365, 4h: 2190, 1h: 8760, 1M: 12); used to annualise metrics. */
  readonly barsPerYear: number;

  private constructor(label: string, durationMs: number, barsPerYear: number) {
    this.label = label;
    this.durationMs = durationMs;
    this.barsPerYear = barsPerYear;
  }

  /**
   * Parses `<n><unit>` with unit `m` (minute), `h`, `d`, `w` or `M` (month).
   * @throws ConfigError for anything else.
   */
  static parse(label: string): Timeframe {
    const m = /^([1-9][0-9]*)([mhdwM])$/.exec(label);
    if (!m) {
      throw new ConfigError(`invalid timeframe ${JSON.stringify(label)}: expected a count and a unit, e.g. 1m, 15m, 4h, 1d, 1w, 1M`, {
        value: label,
      });
    }
    const n = Number(m[1]);
    const unit = m[2] as "m" | "h" | "d" | "w" | "M";
    if (unit === "M") return new Timeframe(label, n * 30 * UNIT_MS.d, 12 / n);
    const ms = n * UNIT_MS[unit];
    return new Timeframe(label, ms, YEAR_MS / ms);
  }

  /** True when `other` has the same duration. */
  equals(other: Timeframe): boolean {
    return this.durationMs === other.durationMs;
  }

  /** The label. */
  toString(): string {
    return this.label;
  }
}
