import { Money } from "@tradeloom/types";
import { ExchangeError } from "../errors";
import type { MarketRules } from "../model";

/** One entry of CoinDCX's `/exchange/v1/markets_details`, reduced to what the client uses. */
export interface CoinDcxMarket {
  /** Order and ticker name, e.g. `BTCINR`. */
  readonly market: string;
  /** Market-data name, e.g. `I-BTC_INR`, `B-BTC_USDT`. */
  readonly pair: string;
  readonly base: string;
  readonly quote: string;
  readonly rules: MarketRules;
  readonly active: boolean;
}

/** The lookup key of a symbol in any of its forms: `BTCINR`, `btcinr`, `I-BTC_INR`, `BTC/INR`, `BTC_INR`. */
function keysOf(m: CoinDcxMarket): string[] {
  return [m.market, m.pair, `${m.base}/${m.quote}`, `${m.base}_${m.quote}`, `${m.base}${m.quote}`].map((k) => k.toUpperCase());
}

function num(v: unknown): Money | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return Money.of(v);
  if (typeof v === "string" && v.trim() !== "") return Money.tryOf(v);
  return undefined;
}

/** Parses one markets_details entry; `undefined` when it lacks the names every market must have. */
export function parseCoinDcxMarket(raw: unknown): CoinDcxMarket | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const market = r["coindcx_name"] ?? r["symbol"];
  const pair = r["pair"];
  const quote = r["base_currency_short_name"];
  const base = r["target_currency_short_name"];
  if (typeof market !== "string" || typeof pair !== "string" || typeof quote !== "string" || typeof base !== "string") return undefined;
  const pricePrecision = typeof r["base_currency_precision"] === "number" ? r["base_currency_precision"] : undefined;
  const qtyPrecision = typeof r["target_currency_precision"] === "number" ? r["target_currency_precision"] : undefined;
  const stepFromPrecision = (p: number | undefined) => (p === undefined ? Money.ZERO : Money.ONE.div(Money.of(10n ** BigInt(p))));
  const lotStep = num(r["step"]) ?? stepFromPrecision(qtyPrecision);
  return {
    market,
    pair,
    base,
    quote,
    active: r["status"] === undefined || r["status"] === "active",
    rules: {
      symbol: market,
      base,
      quote,
      tickSize: stepFromPrecision(pricePrecision),
      lotStep,
      minQuantity: num(r["min_quantity"]) ?? lotStep,
      minNotional: num(r["min_notional"]) ?? Money.ZERO,
    },
  };
}

/**
 * CoinDCX's two naming schemes, resolved once from the exchange's own market list.
 *
 * Orders and tickers use the market name (`BTCINR`); candles use the pair (`I-BTC_INR`, `B-BTC_USDT`). The
 * reference derived the pair by string surgery and mangled names that were already pairs (operations.md G12);
 * here every form of a name maps to the one listed market.
 */
export class CoinDcxMarkets {
  readonly #byKey = new Map<string, CoinDcxMarket>();

  constructor(markets: readonly CoinDcxMarket[]) {
    for (const m of markets) for (const k of keysOf(m)) if (!this.#byKey.has(k)) this.#byKey.set(k, m);
  }

  /** The market for any form of its name. @throws ExchangeError `EXCHANGE_UNKNOWN_MARKET`. */
  resolve(symbol: string): CoinDcxMarket {
    const m = this.#byKey.get(symbol.trim().toUpperCase());
    if (!m) throw new ExchangeError("EXCHANGE_UNKNOWN_MARKET", `coindcx: no market named ${JSON.stringify(symbol)}`, { exchange: "coindcx", symbol });
    return m;
  }
}
