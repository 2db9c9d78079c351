import { Money, type Side, type Timeframe } from "@tradeloom/types";
import { ExchangeError, type ExchangeErrorCode } from "../errors";
import { httpRequest, parseJson, retryAfterMs, type HttpResponse } from "../http";
import type { Balance, Candle, CandleQuery, ExchangeClient, MarketRules, Order, OrderRef, OrderRequest, OrderStatus, Ticker } from "../model";
import { placeOrderSafely } from "../order-placement";
import { Resilience, type ResilienceOptions } from "../resilience";
import { CoinDcxMarkets, parseCoinDcxMarket } from "./markets";
import { type BodyValue, jsonBody, signCoinDcx } from "./signing";

const EXCHANGE = "coindcx";
const INTERVALS: ReadonlySet<string> = new Set(["1m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "1d", "3d", "1w", "1M"]);
const STATUS: Readonly<Record<string, OrderStatus>> = {
  init: "pending",
  open: "open",
  partially_filled: "partially_filled",
  filled: "filled",
  cancelled: "cancelled",
  partially_cancelled: "cancelled",
  rejected: "rejected",
};

/** Settings of a {@link CoinDcxClient}. */
export interface CoinDcxClientOptions {
  /** API key; needed for balances and orders only. */
  readonly apiKey?: string;
  /** API secret, the HMAC key of every signed request. */
  readonly apiSecret?: string;
  /** REST base (default `https://api.coindcx.com`). */
  readonly baseUrl?: string;
  /** Market-data base (default `https://public.coindcx.com`, or `baseUrl` when only that is given). */
  readonly publicBaseUrl?: string;
  /** Per-request timeout, milliseconds (default 30 000). */
  readonly timeoutMs?: number;
  /** Pause before looking up an ambiguously failed order, milliseconds (default 1000). */
  readonly orderSettleMs?: number;
  /** Rate limit, breaker and retry settings (default 10 requests/s). */
  readonly resilience?: ResilienceOptions | Resilience;
}

type Json = Record<string, unknown>;

function asRecord(v: unknown): Json | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

function money(v: unknown): Money | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return Money.of(v);
  if (typeof v === "string" && v.trim() !== "") return Money.tryOf(v);
  return undefined;
}

function finite(v: unknown): number | undefined {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

function badResponse(operation: string, what: string, status?: number): ExchangeError {
  return new ExchangeError("EXCHANGE_BAD_RESPONSE", `coindcx: ${operation}: ${what}`, { exchange: EXCHANGE, operation, ...(status ? { status } : {}) });
}

/** Classifies a non-2xx CoinDCX answer (`{"code":401,"message":"Invalid credentials","status":"error"}`). */
function errorFor(res: HttpResponse, operation: string, now: number): ExchangeError {
  let message = res.text.slice(0, 500);
  try {
    const m = asRecord(JSON.parse(res.text))?.["message"];
    if (typeof m === "string") message = m;
  } catch {
    // Not JSON (a proxy's HTML page, say): keep the raw text as the exchange's message.
  }
  let code: ExchangeErrorCode;
  if (res.status === 429) code = "EXCHANGE_RATE_LIMIT";
  else if (res.status >= 500) code = "EXCHANGE_DOWN";
  else if (res.status === 401 || res.status === 403 || /signature|api ?key|credential|unauthori[sz]ed/i.test(message)) code = "EXCHANGE_AUTH";
  else if (/insufficient/i.test(message)) code = "EXCHANGE_INSUFFICIENT_FUNDS";
  else if (res.status === 404 || /order.*not found|no order/i.test(message)) code = "EXCHANGE_UNKNOWN_ORDER";
  else code = "EXCHANGE_REJECTED";
  const wait = retryAfterMs(res.headers, now);
  return new ExchangeError(code, `coindcx: ${operation} failed (HTTP ${res.status}): ${message}`, {
    exchange: EXCHANGE,
    operation,
    status: res.status,
    exchangeMessage: message,
    ...(wait !== undefined ? { retryAfterMs: wait } : {}),
  });
}

function parseOrder(raw: unknown, operation: string): Order {
  const r = asRecord(raw);
  const id = r?.["id"];
  const side = r?.["side"];
  const status = typeof r?.["status"] === "string" ? STATUS[r["status"]] : undefined;
  const quantity = money(r?.["total_quantity"]);
  if (!r || typeof id !== "string" || (side !== "buy" && side !== "sell") || !status || !quantity) {
    throw badResponse(operation, `unexpected order object ${JSON.stringify(raw)?.slice(0, 200)}`);
  }
  const remaining = money(r["remaining_quantity"]) ?? (status === "filled" ? Money.ZERO : quantity);
  const avg = money(r["avg_price"]);
  const created = r["created_at"];
  const createdAt = typeof created === "number" ? created : typeof created === "string" ? Date.parse(created) : NaN;
  return {
    id,
    clientOrderId: typeof r["client_order_id"] === "string" ? r["client_order_id"] : undefined,
    symbol: typeof r["market"] === "string" ? r["market"] : "",
    side: side as Side,
    type: r["order_type"] === "limit_order" ? "limit" : "market",
    status,
    quantity,
    filledQuantity: quantity.minus(remaining),
    price: money(r["price_per_unit"]),
    averagePrice: avg && !avg.isZero() ? avg : undefined,
    fee: money(r["fee_amount"]),
    createdAt: Number.isNaN(createdAt) ? undefined : createdAt,
  };
}

/**
 * CoinDCX spot client over its REST API.
 *
 * Signed calls POST a compact JSON body carrying a fresh `timestamp` on every attempt, with the headers
 * `X-AUTH-APIKEY` and `X-AUTH-SIGNATURE` (hex HMAC-SHA256 of the exact body with the secret). Symbols are accepted in
 * any form (`BTCINR`, `I-BTC_INR`, `BTC/INR`) and resolved once through the exchange's market list.
 *
 * @example
 * const dcx = new CoinDcxClient({ apiKey, apiSecret });
 * const candles = await dcx.fetchCandles("BTCINR", Timeframe.parse("1h"), { limit: 100 });
 */
export class CoinDcxClient implements ExchangeClient {
  /** `coindcx`. */
  readonly id = EXCHANGE;
  /** The rate limiter, breaker and retry policy of this client. */
  readonly resilience: Resilience;
  readonly #apiKey: string | undefined;
  readonly #apiSecret: string | undefined;
  readonly #base: string;
  readonly #publicBase: string;
  readonly #timeoutMs: number;
  readonly #settleMs: number;
  #markets: Promise<CoinDcxMarkets> | undefined;

  constructor(options: CoinDcxClientOptions = {}) {
    this.#apiKey = options.apiKey;
    this.#apiSecret = options.apiSecret;
    this.#base = (options.baseUrl ?? "https://api.coindcx.com").replace(/\/+$/, "");
    this.#publicBase = (options.publicBaseUrl ?? options.baseUrl ?? "https://public.coindcx.com").replace(/\/+$/, "");
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#settleMs = options.orderSettleMs ?? 1000;
    this.resilience = options.resilience instanceof Resilience ? options.resilience : new Resilience(EXCHANGE, options.resilience);
  }

  /** Candles ascending by open time (CoinDCX answers newest first; the reference used them unsorted, G9). */
  async fetchCandles(symbol: string, timeframe: Timeframe, query: CandleQuery = {}, signal?: AbortSignal): Promise<Candle[]> {
    if (!INTERVALS.has(timeframe.label)) {
      throw new ExchangeError("EXCHANGE_REJECTED", `coindcx: no ${timeframe.label} candles; use one of ${[...INTERVALS].join(" ")}`, {
        exchange: EXCHANGE,
        operation: "fetchCandles",
      });
    }
    const { pair } = (await this.#marketsFor(signal)).resolve(symbol);
    const q = new URLSearchParams({ pair, interval: timeframe.label });
    if (query.since !== undefined) q.set("startTime", String(query.since));
    if (query.until !== undefined) q.set("endTime", String(query.until));
    q.set("limit", String(Math.min(query.limit ?? 1000, 1000)));
    const body = await this.#public("fetchCandles", `${this.#publicBase}/market_data/candles?${q}`, signal);
    if (!Array.isArray(body)) throw badResponse("fetchCandles", "expected an array of candles");
    const byTime = new Map<number, Candle>();
    for (const raw of body) {
      const r = asRecord(raw);
      const c = r && {
        time: finite(r["time"]),
        open: finite(r["open"]),
        high: finite(r["high"]),
        low: finite(r["low"]),
        close: finite(r["close"]),
        volume: finite(r["volume"]),
      };
      if (!c || Object.values(c).some((v) => v === undefined)) throw badResponse("fetchCandles", `bad candle ${JSON.stringify(raw)}`);
      byTime.set(c.time!, c as Candle);
    }
    return [...byTime.values()]
      .filter((c) => (query.since === undefined || c.time >= query.since) && (query.until === undefined || c.time <= query.until))
      .sort((a, b) => a.time - b.time);
  }

  async fetchTicker(symbol: string, signal?: AbortSignal): Promise<Ticker> {
    const { market } = (await this.#marketsFor(signal)).resolve(symbol);
    const body = await this.#public("fetchTicker", `${this.#base}/exchange/ticker`, signal);
    if (!Array.isArray(body)) throw badResponse("fetchTicker", "expected an array of tickers");
    const t = body.map(asRecord).find((x) => x?.["market"] === market);
    if (!t) throw new ExchangeError("EXCHANGE_UNKNOWN_MARKET", `coindcx: no ticker for ${market}`, { exchange: EXCHANGE, symbol: market });
    const last = money(t["last_price"]);
    if (!last) throw badResponse("fetchTicker", `ticker without last_price for ${market}`);
    const ts = finite(t["timestamp"]);
    return { symbol: market, last, bid: money(t["bid"]), ask: money(t["ask"]), time: ts === undefined ? undefined : ts < 1e12 ? ts * 1000 : ts };
  }

  async fetchBalances(signal?: AbortSignal): Promise<Balance[]> {
    const body = await this.#signed("fetchBalances", "/exchange/v1/users/balances", [], signal);
    if (!Array.isArray(body)) throw badResponse("fetchBalances", "expected an array of balances");
    return body.map((raw) => {
      const r = asRecord(raw);
      const free = money(r?.["balance"]);
      const locked = money(r?.["locked_balance"]) ?? Money.ZERO;
      if (!r || typeof r["currency"] !== "string" || !free) throw badResponse("fetchBalances", `bad balance ${JSON.stringify(raw)}`);
      return { currency: r["currency"], free, locked };
    });
  }

  async placeOrder(request: OrderRequest, signal?: AbortSignal): Promise<Order> {
    const { market } = (await this.#marketsFor(signal)).resolve(request.symbol);
    if (request.type === "limit" && !request.price) {
      throw new ExchangeError("EXCHANGE_REJECTED", "coindcx: a limit order needs a price", { exchange: EXCHANGE, operation: "placeOrder" });
    }
    const fields = (): Array<[string, BodyValue | undefined]> => [
      ["side", request.side],
      ["order_type", request.type === "limit" ? "limit_order" : "market_order"],
      ["market", market],
      ["price_per_unit", request.type === "limit" ? request.price : undefined],
      ["total_quantity", request.quantity],
      ["timestamp", this.resilience.clock.now()],
      ["client_order_id", request.clientOrderId],
    ];
    return placeOrderSafely(
      {
        send: async (s) => {
          const body = asRecord(await this.#post("placeOrder", "/exchange/v1/orders/create", fields(), s));
          const orders = body?.["orders"];
          if (!Array.isArray(orders) || orders.length === 0) throw badResponse("placeOrder", "answer has no orders");
          return parseOrder(orders[0], "placeOrder");
        },
        lookup: async (s) => {
          try {
            return await this.#orderStatus({ clientOrderId: request.clientOrderId }, s);
          } catch (e) {
            if (e instanceof ExchangeError && e.code === "EXCHANGE_UNKNOWN_ORDER") return undefined;
            throw e;
          }
        },
      },
      { resilience: this.resilience, clientOrderId: request.clientOrderId, settleMs: this.#settleMs, ...(signal ? { signal } : {}) },
    );
  }

  async cancelOrder(ref: OrderRef, symbol: string, signal?: AbortSignal): Promise<void> {
    const id = "id" in ref ? ref.id : (await this.fetchOrder(ref, symbol, signal)).id;
    await this.#signed("cancelOrder", "/exchange/v1/orders/cancel", [["id", id]], signal);
  }

  fetchOrder(ref: OrderRef, _symbol: string, signal?: AbortSignal): Promise<Order> {
    return this.resilience.read("fetchOrder", (s) => this.#orderStatus(ref, s), signal);
  }

  async fetchOpenOrders(symbol: string, signal?: AbortSignal): Promise<Order[]> {
    const { market } = (await this.#marketsFor(signal)).resolve(symbol);
    const body = await this.#signed("fetchOpenOrders", "/exchange/v1/orders/active_orders", [["market", market]], signal);
    const list = Array.isArray(body) ? body : asRecord(body)?.["orders"];
    if (!Array.isArray(list)) throw badResponse("fetchOpenOrders", "expected an array of orders");
    return list.map((o) => parseOrder(o, "fetchOpenOrders"));
  }

  async marketRules(symbol: string, signal?: AbortSignal): Promise<MarketRules> {
    return (await this.#marketsFor(signal)).resolve(symbol).rules;
  }

  /** The market list, fetched once; a failed fetch is forgotten so the next call tries again. */
  #marketsFor(signal?: AbortSignal): Promise<CoinDcxMarkets> {
    this.#markets ??= this.#public("marketRules", `${this.#base}/exchange/v1/markets_details`, signal).then(
      (body) => {
        if (!Array.isArray(body)) throw badResponse("marketRules", "expected an array of markets");
        return new CoinDcxMarkets(body.flatMap((m) => parseCoinDcxMarket(m) ?? []));
      },
      (e: unknown) => {
        this.#markets = undefined;
        throw e;
      },
    );
    return this.#markets;
  }

  #orderStatus(ref: OrderRef, signal?: AbortSignal): Promise<Order> {
    const key: [string, string] = "id" in ref ? ["id", ref.id] : ["client_order_id", ref.clientOrderId];
    return this.#post("fetchOrder", "/exchange/v1/orders/status", [key, ["timestamp", this.resilience.clock.now()]], signal).then((b) =>
      parseOrder(b, "fetchOrder"),
    );
  }

  #public(operation: string, url: string, signal?: AbortSignal): Promise<unknown> {
    return this.resilience.read(
      operation,
      async (s) => {
        const res = await httpRequest({ exchange: EXCHANGE, operation, method: "GET", url, timeoutMs: this.#timeoutMs, ...(s ? { signal: s } : {}) });
        if (res.status < 200 || res.status >= 300) throw errorFor(res, operation, this.resilience.clock.now());
        return parseJson(res, EXCHANGE, operation);
      },
      signal,
    );
  }

  /** A signed read: retried, with the timestamp (and so the signature) made afresh for each attempt. */
  #signed(operation: string, path: string, fields: Array<[string, BodyValue]>, signal: AbortSignal | undefined): Promise<unknown> {
    return this.resilience.read(operation, (s) => this.#post(operation, path, [...fields, ["timestamp", this.resilience.clock.now()]], s), signal);
  }

  /** One signed POST attempt. */
  async #post(operation: string, path: string, fields: ReadonlyArray<readonly [string, BodyValue | undefined]>, signal?: AbortSignal): Promise<unknown> {
    if (!this.#apiKey || !this.#apiSecret) {
      throw new ExchangeError("EXCHANGE_AUTH", `coindcx: ${operation} needs an API key and secret`, { exchange: EXCHANGE, operation, ambiguous: false });
    }
    const body = jsonBody(fields);
    const res = await httpRequest({
      exchange: EXCHANGE,
      operation,
      method: "POST",
      url: `${this.#base}${path}`,
      headers: { "Content-Type": "application/json", "X-AUTH-APIKEY": this.#apiKey, "X-AUTH-SIGNATURE": signCoinDcx(body, this.#apiSecret) },
      body,
      timeoutMs: this.#timeoutMs,
      ...(signal ? { signal } : {}),
    });
    if (res.status < 200 || res.status >= 300) throw errorFor(res, operation, this.resilience.clock.now());
    return parseJson(res, EXCHANGE, operation);
  }
}
