import type * as Ccxt from "ccxt";
import type CcxtDefault from "ccxt";
import { Money, type Timeframe } from "@tradeloom/types";
import { ExchangeError } from "../errors";
import type { Balance, Candle, CandleQuery, ExchangeClient, MarketRules, Order, OrderRef, OrderRequest, OrderStatus, Ticker } from "../model";
import { placeOrderSafely } from "../order-placement";
import { Resilience, type ResilienceOptions } from "../resilience";
import { fromCcxtError } from "./errors";

type CcxtModule = typeof CcxtDefault;
type CcxtExchange = Ccxt.Exchange;

/** Settings of a {@link CcxtClient}. */
export interface CcxtClientOptions {
  /** A ccxt exchange id (`kraken`, `okx`, `binance`, ...). */
  readonly exchangeId: string;
  /**
   * Sends every request to this origin instead of the exchange's hosts (each API URL keeps its path), e.g. a local
   * fake in tests or a proxy.
   */
  readonly baseUrl?: string;
  readonly apiKey?: string;
  readonly secret?: string;
  /** Passphrase, for exchanges that have one. */
  readonly password?: string;
  /** Per-request timeout, milliseconds (default 30 000). */
  readonly timeoutMs?: number;
  /** Pause before looking up an ambiguously failed order, milliseconds (default 1000). */
  readonly orderSettleMs?: number;
  /** Exchange-specific ccxt `options`. */
  readonly ccxtOptions?: Readonly<Record<string, unknown>>;
  /**
   * How an order is found by client order id. `fetchOrder`: the exchange's order query accepts it (Binance).
   * `scan` (default): search open and closed orders; an exchange offering neither cannot confirm absence, so an
   * ambiguous send ends in `EXCHANGE_ORDER_UNCERTAIN` rather than a second order.
   */
  readonly clientOrderLookup?: "fetchOrder" | "scan";
  /** Rate limit, breaker and retry settings (default 10 requests/s). */
  readonly resilience?: ResilienceOptions | Resilience;
}

const STATUS: Readonly<Record<string, OrderStatus>> = { open: "open", closed: "filled", canceled: "cancelled", cancelled: "cancelled", rejected: "rejected", expired: "cancelled" };

/** Rewrites every URL in ccxt's `urls.api` (a string or nested map) to the same path under `base`. */
function rebase(api: unknown, base: string): unknown {
  if (typeof api === "string") return api.replace(/^[a-z]+:\/\/[^/]+/i, base);
  if (typeof api === "object" && api !== null) return Object.fromEntries(Object.entries(api).map(([k, v]) => [k, rebase(v, base)]));
  return api;
}

function m(v: number | string | undefined | null): Money | undefined {
  return v === undefined || v === null || v === "" ? undefined : Money.of(v);
}

/** Precision as a step: ccxt gives a tick size or a count of decimal places depending on the exchange. */
function step(ccxt: CcxtModule, exchange: CcxtExchange, p: number | undefined): Money {
  if (p === undefined) return Money.ZERO;
  return exchange.precisionMode === ccxt.TICK_SIZE ? Money.of(p) : Money.ONE.div(Money.of(10n ** BigInt(p)));
}

/**
 * Any ccxt exchange behind the {@link ExchangeClient} interface, with Tradeloom's rate limiter, breaker, retries and
 * duplicate-safe order placement (ccxt's own throttle is switched off so that limits are applied once).
 *
 * ccxt is imported on first use, so a program using only CoinDCX never loads it.
 *
 * @example
 * const kraken = await CcxtClient.create({ exchangeId: "kraken" });
 * const rules = await kraken.marketRules("BTC/USD");
 */
export class CcxtClient implements ExchangeClient {
  /** The ccxt exchange id. */
  readonly id: string;
  /** The rate limiter, breaker and retry policy of this client. */
  readonly resilience: Resilience;
  readonly #ccxt: CcxtModule;
  readonly #ex: CcxtExchange;
  readonly #settleMs: number;
  readonly #lookup: "fetchOrder" | "scan";
  #lastStatus: number | undefined;

  private constructor(ccxt: CcxtModule, ex: CcxtExchange, options: CcxtClientOptions) {
    this.id = options.exchangeId;
    this.#ccxt = ccxt;
    this.#ex = ex;
    this.#settleMs = options.orderSettleMs ?? 1000;
    this.#lookup = options.clientOrderLookup ?? "scan";
    this.resilience = options.resilience instanceof Resilience ? options.resilience : new Resilience(options.exchangeId, options.resilience);
    // ccxt classifies errors by the exchange's error codes alone; the HTTP status is needed too, to tell an outage
    // (5xx: the request may have been processed) from a refusal. This hook is the one place ccxt exposes it.
    const onRestResponse = ex.onRestResponse.bind(ex);
    ex.onRestResponse = (status: number, ...rest: Parameters<CcxtExchange["onRestResponse"]> extends [unknown, ...infer R] ? R : never) => {
      this.#lastStatus = status;
      return onRestResponse(status, ...rest);
    };
  }

  /**
   * Loads ccxt and builds the client.
   * @throws ExchangeError `EXCHANGE_UNKNOWN_MARKET` when ccxt has no exchange of that id.
   */
  static async create(options: CcxtClientOptions): Promise<CcxtClient> {
    const ccxt = (await import("ccxt")).default as unknown as CcxtModule;
    const Ctor = (ccxt as unknown as Record<string, unknown>)[options.exchangeId];
    if (!ccxt.exchanges.includes(options.exchangeId) || typeof Ctor !== "function") {
      throw new ExchangeError("EXCHANGE_UNKNOWN_MARKET", `ccxt has no exchange ${JSON.stringify(options.exchangeId)}`, { exchange: options.exchangeId });
    }
    const ex = new (Ctor as new (config: Record<string, unknown>) => CcxtExchange)({
      enableRateLimit: false,
      timeout: options.timeoutMs ?? 30_000,
      ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
      ...(options.secret !== undefined ? { secret: options.secret } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
      options: { ...options.ccxtOptions },
    });
    ex.enableLastJsonResponse = true;
    ex.enableLastHttpResponse = true;
    if (options.baseUrl !== undefined) {
      ex.urls = { ...ex.urls, api: rebase(ex.urls.api, options.baseUrl.replace(/\/+$/, "")) as CcxtExchange["urls"]["api"] };
    }
    return new CcxtClient(ccxt, ex, options);
  }

  async fetchCandles(symbol: string, timeframe: Timeframe, query: CandleQuery = {}, signal?: AbortSignal): Promise<Candle[]> {
    const sym = await this.#symbol(symbol, signal);
    if (this.#ex.timeframes[timeframe.label] === undefined) {
      throw new ExchangeError("EXCHANGE_REJECTED", `${this.id}: no ${timeframe.label} candles`, { exchange: this.id, operation: "fetchCandles" });
    }
    const params = query.until !== undefined ? { until: query.until } : {};
    const rows = await this.#call("fetchCandles", (ex) => ex.fetchOHLCV(sym, timeframe.label, query.since, query.limit, params), signal);
    const byTime = new Map<number, Candle>();
    for (const r of rows) {
      const [time, open, high, low, close, volume] = r;
      if (![time, open, high, low, close].every((x) => typeof x === "number" && Number.isFinite(x))) {
        throw new ExchangeError("EXCHANGE_BAD_RESPONSE", `${this.id}: fetchCandles: bad candle ${JSON.stringify(r)}`, { exchange: this.id, operation: "fetchCandles" });
      }
      byTime.set(time!, { time: time!, open: open!, high: high!, low: low!, close: close!, volume: volume ?? 0 });
    }
    return [...byTime.values()]
      .filter((c) => (query.since === undefined || c.time >= query.since) && (query.until === undefined || c.time <= query.until))
      .sort((a, b) => a.time - b.time);
  }

  async fetchTicker(symbol: string, signal?: AbortSignal): Promise<Ticker> {
    const sym = await this.#symbol(symbol, signal);
    const t = await this.#call("fetchTicker", (ex) => ex.fetchTicker(sym), signal);
    const last = m(t.last ?? t.close);
    if (!last) throw new ExchangeError("EXCHANGE_BAD_RESPONSE", `${this.id}: ticker of ${sym} has no last price`, { exchange: this.id, operation: "fetchTicker" });
    return { symbol: sym, last, bid: m(t.bid), ask: m(t.ask), time: t.timestamp ?? undefined };
  }

  async fetchBalances(signal?: AbortSignal): Promise<Balance[]> {
    const b = await this.#call("fetchBalances", (ex) => ex.fetchBalance(), signal);
    const free = (b.free ?? {}) as unknown as Record<string, number | undefined>;
    const used = (b.used ?? {}) as unknown as Record<string, number | undefined>;
    return Object.keys(free).map((currency) => ({ currency, free: m(free[currency]) ?? Money.ZERO, locked: m(used[currency]) ?? Money.ZERO }));
  }

  async placeOrder(request: OrderRequest, signal?: AbortSignal): Promise<Order> {
    const sym = await this.#symbol(request.symbol, signal);
    const price = request.type === "limit" ? request.price?.toNumber() : undefined;
    return placeOrderSafely(
      {
        send: (s) =>
          this.#attempt("placeOrder", (ex) => ex.createOrder(sym, request.type, request.side, request.quantity.toNumber(), price, { clientOrderId: request.clientOrderId }), s).then((o) =>
            this.#order(o, request),
          ),
        lookup: async (s) => {
          const o = await this.#findByClientId(sym, request.clientOrderId, s);
          return o && this.#order(o, request);
        },
      },
      { resilience: this.resilience, clientOrderId: request.clientOrderId, settleMs: this.#settleMs, ...(signal ? { signal } : {}) },
    );
  }

  async cancelOrder(ref: OrderRef, symbol: string, signal?: AbortSignal): Promise<void> {
    const sym = await this.#symbol(symbol, signal);
    const id = "id" in ref ? ref.id : (await this.fetchOrder(ref, symbol, signal)).id;
    await this.#call("cancelOrder", (ex) => ex.cancelOrder(id, sym), signal);
  }

  async fetchOrder(ref: OrderRef, symbol: string, signal?: AbortSignal): Promise<Order> {
    const sym = await this.#symbol(symbol, signal);
    if ("id" in ref) return this.#order(await this.#call("fetchOrder", (ex) => ex.fetchOrder(ref.id, sym), signal));
    const o = await this.resilience.read("fetchOrder", (s) => this.#findByClientId(sym, ref.clientOrderId, s), signal);
    if (!o) throw new ExchangeError("EXCHANGE_UNKNOWN_ORDER", `${this.id}: no order with client id ${ref.clientOrderId}`, { exchange: this.id, clientOrderId: ref.clientOrderId });
    return this.#order(o);
  }

  async fetchOpenOrders(symbol: string, signal?: AbortSignal): Promise<Order[]> {
    const sym = await this.#symbol(symbol, signal);
    return (await this.#call("fetchOpenOrders", (ex) => ex.fetchOpenOrders(sym), signal)).map((o) => this.#order(o));
  }

  async marketRules(symbol: string, signal?: AbortSignal): Promise<MarketRules> {
    const mk = this.#ex.market(await this.#symbol(symbol, signal));
    const lotStep = step(this.#ccxt, this.#ex, mk.precision.amount);
    return {
      symbol: mk.symbol,
      base: mk.base,
      quote: mk.quote,
      tickSize: step(this.#ccxt, this.#ex, mk.precision.price),
      lotStep,
      minQuantity: m(mk.limits.amount?.min) ?? lotStep,
      minNotional: m(mk.limits.cost?.min) ?? Money.ZERO,
    };
  }

  /** Accepts a unified symbol (`BTC/USDT`) or the exchange's market id (`BTCUSDT`). */
  async #symbol(symbol: string, signal?: AbortSignal): Promise<string> {
    const markets = await this.#call("loadMarkets", (ex) => ex.loadMarkets(), signal);
    if (markets[symbol]) return symbol;
    const byId = this.#ex.markets_by_id?.[symbol] ?? this.#ex.markets_by_id?.[symbol.toUpperCase()];
    const first = (byId as Array<{ symbol: string }> | undefined)?.[0];
    if (first) return first.symbol;
    throw new ExchangeError("EXCHANGE_UNKNOWN_MARKET", `${this.id}: no market named ${JSON.stringify(symbol)}`, { exchange: this.id, symbol });
  }

  /** An order by client id, or `undefined` when the exchange confirms there is none. */
  async #findByClientId(sym: string, clientOrderId: string, signal?: AbortSignal): Promise<Ccxt.Order | undefined> {
    if (this.#lookup === "fetchOrder") {
      try {
        return await this.#attempt("lookupOrder", (ex) => ex.fetchOrder("", sym, { clientOrderId }), signal);
      } catch (e) {
        if (e instanceof ExchangeError && e.code === "EXCHANGE_UNKNOWN_ORDER") return undefined;
        throw e;
      }
    }
    if (!this.#ex.has["fetchOpenOrders"] || !this.#ex.has["fetchClosedOrders"]) {
      throw new ExchangeError("EXCHANGE_REJECTED", `${this.id}: cannot search orders by client id`, { exchange: this.id, clientOrderId });
    }
    const open = await this.#attempt("lookupOrder", (ex) => ex.fetchOpenOrders(sym), signal);
    const closed = await this.#attempt("lookupOrder", (ex) => ex.fetchClosedOrders(sym), signal);
    return [...open, ...closed].find((o) => o.clientOrderId === clientOrderId);
  }

  #order(o: Ccxt.Order, request?: OrderRequest): Order {
    const quantity = m(o.amount) ?? request?.quantity;
    if (!o.id || !quantity) throw new ExchangeError("EXCHANGE_BAD_RESPONSE", `${this.id}: order without id or amount`, { exchange: this.id });
    const filled = m(o.filled) ?? Money.ZERO;
    const status = STATUS[o.status ?? ""] ?? "pending";
    return {
      id: o.id,
      clientOrderId: o.clientOrderId ?? request?.clientOrderId,
      symbol: o.symbol ?? request?.symbol ?? "",
      side: o.side === "sell" ? "sell" : "buy",
      type: o.type === "limit" ? "limit" : "market",
      status: status === "open" && filled.isPositive() ? "partially_filled" : status,
      quantity,
      filledQuantity: filled,
      price: m(o.price),
      averagePrice: m(o.average),
      fee: m(o.fee?.cost),
      createdAt: o.timestamp ?? undefined,
    };
  }

  /** A read through the resilience layer: retried. */
  #call<T>(operation: string, fn: (ex: CcxtExchange) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.resilience.read(operation, (s) => this.#attempt(operation, fn, s), signal);
  }

  /** One ccxt call, its errors mapped; an unparsable body (which ccxt passes on as text) becomes a bad response. */
  async #attempt<T>(operation: string, fn: (ex: CcxtExchange) => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    this.#ex.last_json_response = undefined;
    this.#ex.last_http_response = undefined;
    this.#lastStatus = undefined;
    let result: T;
    try {
      result = await fn(this.#ex);
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      throw fromCcxtError(this.#ccxt, this.id, operation, e, this.#lastStatus, this.#ex.last_response_headers as Record<string, string> | undefined);
    }
    const text: unknown = this.#ex.last_http_response;
    if (this.#ex.last_json_response === undefined && typeof text === "string" && text.trim() !== "") {
      throw new ExchangeError("EXCHANGE_BAD_RESPONSE", `${this.id}: ${operation} answered malformed JSON: ${text.slice(0, 200)}`, { exchange: this.id, operation });
    }
    return result;
  }
}

/** Settings of {@link createBinanceClient}. */
export type BinanceClientOptions = Omit<CcxtClientOptions, "exchangeId" | "clientOrderLookup">;

/**
 * Binance spot through ccxt: only spot markets are loaded (one `/api/v3/exchangeInfo`), and orders are looked up by
 * `origClientOrderId`. With `baseUrl`, every request (`/api/v3/klines`, ...) goes to that origin.
 */
export function createBinanceClient(options: BinanceClientOptions = {}): Promise<CcxtClient> {
  return CcxtClient.create({
    ...options,
    exchangeId: "binance",
    clientOrderLookup: "fetchOrder",
    ccxtOptions: { fetchMarkets: { types: ["spot"] }, fetchCurrencies: false, fetchMargins: false, ...options.ccxtOptions },
  });
}
