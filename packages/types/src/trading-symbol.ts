import { ConfigError } from "./errors";

/**
 * A tradable instrument's name as used in configs and data files (`BTCINR`, `NIFTY`, `ETHUSDT`).
 *
 * Named `TradingSymbol` rather than `Symbol` so that importing it never shadows JavaScript's global `Symbol`.
 *
 * @example
 * TradingSymbol.parse("BTCINR").fileName("1d"); // "BTCINR_1d.csv"
 */
export class TradingSymbol {
  /** The name exactly as written in the config (case-sensitive). */
  readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }

  /**
   * Validates a symbol name: letters, digits, `.`, `-` and `_`, 1 to 40 characters (it becomes part of a file name).
   * @throws ConfigError otherwise.
   */
  static parse(name: string): TradingSymbol {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(name)) {
      throw new ConfigError(`invalid symbol ${JSON.stringify(name)}: use letters, digits, '.', '-' or '_'`, { value: name });
    }
    return new TradingSymbol(name);
  }

  /** Data file name of this symbol for a timeframe label: `<SYMBOL>_<tf>.csv`. */
  fileName(timeframe: string): string {
    return `${this.name}_${timeframe}.csv`;
  }

  /** The base asset when the name ends with one of `quotes` (`BTCINR` → `BTC`), else the whole name. */
  base(quotes: readonly string[] = ["INR", "USDT", "USDC", "USD", "BTC"]): string {
    for (const q of quotes) {
      if (this.name.length > q.length && this.name.toUpperCase().endsWith(q)) return this.name.slice(0, -q.length);
    }
    return this.name;
  }

  /** Byte-order comparison, the order in which the engine processes symbols. */
  static compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** The name. */
  toString(): string {
    return this.name;
  }
}
