import { Money, type Timeframe } from "@tradeloom/types";
import { ExchangeError } from "../errors";
import type { Balance, Candle, CandleQuery, ExchangeClient, MarketRules, Order, OrderRef, OrderRequest, OrderStatus, Position, Ticker } from "../model";
import { placeOrderSafely } from "../order-placement";
import { Resilience, type ResilienceOptions } from "../resilience";
import { type KiteApi, loadKite } from "./api";
import { fromKiteError } from "./errors";

const EXCHANGE = "kite";
const IST_MS = 5.5 * 3_600_000;
const DAY_MS = 86_400_000;
/** Kite interval names and the longest range one historical request may span. */
const INTERVALS: Readonly<Record<string, { name: string; maxDays: number }>> = {
  "1m": { name: "minute", maxDays: 60 },
  "3m": { name: "3minute", maxDays: 100 },
  "5m": { name: "5minute", maxDays: 100 },
  "10m": { name: "10minute", maxDays: 100 },
  "15m": { name: "15minute", maxDays: 200 },
  "30m": { name: "30minute", maxDays: 200 },
  "1h": { name: "60minute", maxDays: 400 },
  "1d": { name: "day", maxDays: 2000 },
};
const OPEN_STATUSES = new Set(["OPEN", "TRIGGER PENDING", "MODIFY PENDING", "AMO REQ RECEIVED"]);

/** Settings of a {@link KiteClient}. */
export interface KiteClientOptions {
  readonly apiKey: string;
  /** From {@link createKiteSession}. */
  readonly accessToken: string;
  /** API root (default `https://api.kite.trade`); kiteconnect's `root`. */
  readonly baseUrl?: string;
  /** Exchange of bare symbols (`RELIANCE` → `NSE:RELIANCE`; default `NSE`). */
  readonly defaultExchange?: string;
  /** Product of orders (default `CNC`, delivery; `MIS` for intraday). */
  readonly product?: string;
  readonly timeoutMs?: number;
  readonly orderSettleMs?: number;
  /** Rate limit, breaker and retry settings (default 10 requests/s, Kite's order limit). */
  readonly resilience?: ResilienceOptions | Resilience;
}

interface Instrument {
  readonly token: number;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly tickSize: Money;
  readonly lotSize: Money;
}

type Json = Record<string, unknown>;

const rec = (v: unknown): Json => (typeof v === "object" && v !== null ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const money = (v: unknown): Money | undefined =>
  typeof v === "number" && Number.isFinite(v) ? Money.of(v) : typeof v === "string" && v.trim() !== "" ? Money.tryOf(v) : undefined;

function bad(operation: string, what: string): ExchangeError {
  return new ExchangeError("EXCHANGE_BAD_RESPONSE", `kite: ${operation}: ${what}`, { exchange: EXCHANGE, operation });
}

/** `YYYY-MM-DD HH:MM:SS` in IST, the form Kite's historical API reads. */
function istText(ms: number): string {
  const iso = new Date(ms + IST_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** kiteconnect turns IST wall-clock strings into Dates in the machine's zone; read the wall clock back as IST. */
function istDateToMs(d: Date): number {
  return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()) - IST_MS;
}

/**
 * Zerodha Kite Connect v3 through the official `kiteconnect` package (imported on first use), with NSE naming:
 * `RELIANCE` or `NSE:RELIANCE`; instrument tokens for candles come from the exchange's instruments dump.
 *
 * The client order id travels as the order `tag` (≤ 20 alphanumerics) and is how an ambiguously failed order is
 * found in the day's order book before anything is re-sent.
 *
 * @example
 * const session = await createKiteSession({ apiKey, apiSecret, requestToken });
 * const kite = new KiteClient({ apiKey, accessToken: session.accessToken });
 * await kite.fetchCandles("RELIANCE", Timeframe.parse("1d"), { since: Date.UTC(2024, 0, 1) });
 */
export class KiteClient implements ExchangeClient {
  /** `kite`. */
  readonly id = EXCHANGE;
  /** The rate limiter, breaker and retry policy of this client. */
  readonly resilience: Resilience;
  readonly #options: KiteClientOptions;
  readonly #exchange: string;
  #api: Promise<KiteApi> | undefined;
  readonly #instruments = new Map<string, Promise<Map<string, Instrument>>>();

  constructor(options: KiteClientOptions) {
    this.#options = options;
    this.#exchange = options.defaultExchange ?? "NSE";
    this.resilience = options.resilience instanceof Resilience ? options.resilience : new Resilience(EXCHANGE, options.resilience);
  }

  /**
   * Candles ascending. Kite caps the span of one request by interval (60 days of minutes ... 2000 days of days), so
   * one call covers at most that span; {@link fetchCandleHistory} pages over longer ranges.
   */
  async fetchCandles(symbol: string, timeframe: Timeframe, query: CandleQuery = {}, signal?: AbortSignal): Promise<Candle[]> {
    const interval = INTERVALS[timeframe.label];
    if (!interval) {
      throw new ExchangeError("EXCHANGE_REJECTED", `kite: no ${timeframe.label} candles; use one of ${Object.keys(INTERVALS).join(" ")}`, { exchange: EXCHANGE, operation: "fetchCandles" });
    }
    const inst = await this.#instrument(symbol, signal);
    const until = query.until ?? Date.now();
    const span = interval.maxDays * DAY_MS - 1000;
    // An empty window (a holiday stretch, or before listing) says nothing about later ones: move on to the next.
    for (let from = query.since ?? until - span; from <= until; from += span + 1000) {
      const to = Math.min(until, from + span);
      const data = await this.#call("fetchCandles", (k) => k.getHistoricalData(inst.token, interval.name, istText(from), istText(to)), signal);
      const rows = Array.isArray(data) ? data : rec(data)["data"];
      if (!Array.isArray(rows)) throw bad("fetchCandles", "expected candles");
      const candles = rows
        .map((raw): Candle => {
          const r = rec(raw);
          const date = r["date"];
          const time = date instanceof Date ? date.getTime() : Number.NaN;
          const c = { time, open: Number(r["open"]), high: Number(r["high"]), low: Number(r["low"]), close: Number(r["close"]), volume: Number(r["volume"] ?? 0) };
          if (!Object.values(c).every(Number.isFinite)) throw bad("fetchCandles", `bad candle ${JSON.stringify(raw)}`);
          return c;
        })
        .filter((c) => c.time >= from && c.time <= to)
        .sort((a, b) => a.time - b.time);
      if (candles.length > 0) return query.limit !== undefined ? candles.slice(0, query.limit) : candles;
    }
    return [];
  }

  async fetchTicker(symbol: string, signal?: AbortSignal): Promise<Ticker> {
    const key = this.#key(symbol);
    const q = rec(rec(await this.#call("fetchTicker", (k) => k.getQuote([key]), signal))[key]);
    const last = money(q["last_price"]);
    if (!last) throw new ExchangeError("EXCHANGE_UNKNOWN_MARKET", `kite: no quote for ${key}`, { exchange: EXCHANGE, symbol: key });
    const depth = rec(q["depth"]);
    const best = (side: unknown) => (Array.isArray(side) ? money(rec(side[0])["price"]) : undefined);
    const bid = best(depth["buy"]);
    const ask = best(depth["sell"]);
    // Kite fills empty depth levels with zeros.
    return { symbol: key, last, bid: bid?.isPositive() ? bid : undefined, ask: ask?.isPositive() ? ask : undefined, time: undefined };
  }

  async fetchBalances(signal?: AbortSignal): Promise<Balance[]> {
    const m = rec(await this.#call("fetchBalances", (k) => k.getMargins("equity"), signal));
    const available = rec(m["available"]);
    const free = money(available["live_balance"]) ?? money(available["cash"]);
    if (!free) throw bad("fetchBalances", "equity margins without available cash");
    return [{ currency: "INR", free, locked: money(rec(m["utilised"])["debits"]) ?? Money.ZERO }];
  }

  /** Open positions (`net`), signed. */
  async fetchPositions(signal?: AbortSignal): Promise<Position[]> {
    const net = rec(await this.#call("fetchPositions", (k) => k.getPositions(), signal))["net"];
    if (!Array.isArray(net)) throw bad("fetchPositions", "expected net positions");
    return net.map((raw) => {
      const r = rec(raw);
      const quantity = money(r["quantity"]);
      const symbol = str(r["tradingsymbol"]);
      if (!quantity || !symbol) throw bad("fetchPositions", `bad position ${JSON.stringify(raw)}`);
      return {
        symbol,
        exchange: str(r["exchange"]) ?? this.#exchange,
        quantity,
        averagePrice: money(r["average_price"]) ?? Money.ZERO,
        lastPrice: money(r["last_price"]) ?? Money.ZERO,
        pnl: money(r["pnl"]) ?? Money.ZERO,
      };
    });
  }

  async placeOrder(request: OrderRequest, signal?: AbortSignal): Promise<Order> {
    const reject = (why: string) => new ExchangeError("EXCHANGE_REJECTED", `kite: ${why}`, { exchange: EXCHANGE, operation: "placeOrder", clientOrderId: request.clientOrderId });
    if (!/^[A-Za-z0-9]{1,20}$/.test(request.clientOrderId)) throw reject("the client order id travels as the order tag: 1 to 20 letters or digits");
    if (!request.quantity.eq(request.quantity.round(0, "down")) || !request.quantity.isPositive()) throw reject("quantity must be a whole number of shares");
    if (request.type === "limit" && !request.price) throw reject("a limit order needs a price");
    const inst = await this.#instrument(request.symbol, signal);
    const params: Record<string, string | number> = {
      exchange: inst.exchange,
      tradingsymbol: inst.tradingsymbol,
      transaction_type: request.side === "buy" ? "BUY" : "SELL",
      quantity: request.quantity.toNumber(),
      order_type: request.type === "limit" ? "LIMIT" : "MARKET",
      product: this.#options.product ?? "CNC",
      validity: "DAY",
      tag: request.clientOrderId,
      ...(request.type === "limit" && request.price ? { price: request.price.toNumber() } : {}),
    };
    const placed = await placeOrderSafely<Order | string>(
      {
        send: async (s) => {
          const id = str(rec(await this.#attempt("placeOrder", (k) => k.placeOrder("regular", params), s))["order_id"]);
          if (!id) throw bad("placeOrder", "answer has no order_id");
          return id;
        },
        lookup: (s) => this.#findByTag(request.clientOrderId, s),
      },
      { resilience: this.resilience, clientOrderId: request.clientOrderId, settleMs: this.#options.orderSettleMs ?? 1000, ...(signal ? { signal } : {}) },
    );
    if (typeof placed !== "string") return placed;
    // Kite answers a placement with the id alone; the state comes from the order history. The order exists either
    // way, so a failed read must not turn a placed order into an error.
    return this.fetchOrder({ id: placed }, request.symbol, signal).catch(() => ({
      id: placed,
      clientOrderId: request.clientOrderId,
      symbol: inst.tradingsymbol,
      side: request.side,
      type: request.type,
      status: "pending" as const,
      quantity: request.quantity,
      filledQuantity: Money.ZERO,
      price: request.price,
      averagePrice: undefined,
      fee: undefined,
      createdAt: undefined,
    }));
  }

  async cancelOrder(ref: OrderRef, symbol: string, signal?: AbortSignal): Promise<void> {
    const id = "id" in ref ? ref.id : (await this.fetchOrder(ref, symbol, signal)).id;
    await this.#call("cancelOrder", (k) => k.cancelOrder("regular", id), signal);
  }

  async fetchOrder(ref: OrderRef, _symbol: string, signal?: AbortSignal): Promise<Order> {
    if ("id" in ref) {
      const history = await this.#call("fetchOrder", (k) => k.getOrderHistory(ref.id), signal);
      if (!Array.isArray(history) || history.length === 0) throw bad("fetchOrder", "empty order history");
      return this.#order(history[history.length - 1]);
    }
    const found = await this.resilience.read("fetchOrder", (s) => this.#findByTag(ref.clientOrderId, s), signal);
    if (!found) throw new ExchangeError("EXCHANGE_UNKNOWN_ORDER", `kite: no order tagged ${ref.clientOrderId}`, { exchange: EXCHANGE, clientOrderId: ref.clientOrderId });
    return found;
  }

  async fetchOpenOrders(symbol: string, signal?: AbortSignal): Promise<Order[]> {
    const inst = await this.#instrument(symbol, signal);
    const orders = await this.#call("fetchOpenOrders", (k) => k.getOrders(), signal);
    if (!Array.isArray(orders)) throw bad("fetchOpenOrders", "expected a list of orders");
    return orders
      .filter((o) => rec(o)["tradingsymbol"] === inst.tradingsymbol && OPEN_STATUSES.has(String(rec(o)["status"])))
      .map((o) => this.#order(o));
  }

  async marketRules(symbol: string, signal?: AbortSignal): Promise<MarketRules> {
    const inst = await this.#instrument(symbol, signal);
    return { symbol: inst.tradingsymbol, base: inst.tradingsymbol, quote: "INR", tickSize: inst.tickSize, lotStep: inst.lotSize, minQuantity: inst.lotSize, minNotional: Money.ZERO };
  }

  /** The day's order book holds every order of the day, so a tag missing from it is certainly absent. */
  async #findByTag(tag: string, signal?: AbortSignal): Promise<Order | undefined> {
    const orders = await this.#attempt("lookupOrder", (k) => k.getOrders(), signal);
    if (!Array.isArray(orders)) throw bad("lookupOrder", "expected a list of orders");
    const hit = orders.filter((o) => rec(o)["tag"] === tag || (Array.isArray(rec(o)["tags"]) && (rec(o)["tags"] as unknown[]).includes(tag)));
    return hit.length > 0 ? this.#order(hit[hit.length - 1]) : undefined;
  }

  #order(raw: unknown): Order {
    const r = rec(raw);
    const id = str(r["order_id"]);
    const quantity = money(r["quantity"]);
    if (!id || !quantity) throw bad("fetchOrder", `bad order ${JSON.stringify(raw)?.slice(0, 200)}`);
    const filled = money(r["filled_quantity"]) ?? Money.ZERO;
    const s = String(r["status"]);
    const status: OrderStatus =
      s === "COMPLETE" ? "filled" : s === "CANCELLED" ? "cancelled" : s === "REJECTED" ? "rejected" : OPEN_STATUSES.has(s) ? (filled.isPositive() ? "partially_filled" : "open") : "pending";
    const price = money(r["price"]);
    const avg = money(r["average_price"]);
    const ts = r["order_timestamp"];
    return {
      id,
      clientOrderId: str(r["tag"]) ?? undefined,
      symbol: str(r["tradingsymbol"]) ?? "",
      side: r["transaction_type"] === "SELL" ? "sell" : "buy",
      type: r["order_type"] === "LIMIT" ? "limit" : "market",
      status,
      quantity,
      filledQuantity: filled,
      price: price?.isPositive() ? price : undefined,
      averagePrice: avg?.isPositive() ? avg : undefined,
      fee: undefined,
      createdAt: ts instanceof Date ? istDateToMs(ts) : undefined,
    };
  }

  #key(symbol: string): string {
    return symbol.includes(":") ? symbol.toUpperCase() : `${this.#exchange}:${symbol.toUpperCase()}`;
  }

  async #instrument(symbol: string, signal?: AbortSignal): Promise<Instrument> {
    const key = this.#key(symbol);
    const exchange = key.slice(0, key.indexOf(":"));
    let dump = this.#instruments.get(exchange);
    if (!dump) {
      dump = this.#call("instruments", (k) => k.getInstruments(exchange), signal).then((rows) => {
        if (!Array.isArray(rows)) throw bad("instruments", "expected the instruments CSV");
        const map = new Map<string, Instrument>();
        for (const raw of rows) {
          const r = rec(raw);
          const ts = str(r["tradingsymbol"]);
          const token = Number(r["instrument_token"]);
          if (!ts || !Number.isFinite(token)) continue;
          map.set(`${exchange}:${ts.toUpperCase()}`, { token, exchange, tradingsymbol: ts, tickSize: money(r["tick_size"]) ?? Money.of("0.05"), lotSize: money(r["lot_size"]) ?? Money.ONE });
        }
        return map;
      });
      dump.catch(() => this.#instruments.delete(exchange));
      this.#instruments.set(exchange, dump);
    }
    const inst = (await dump).get(key);
    if (!inst) throw new ExchangeError("EXCHANGE_UNKNOWN_MARKET", `kite: no instrument ${key}`, { exchange: EXCHANGE, symbol: key });
    return inst;
  }

  #kite(): Promise<KiteApi> {
    this.#api ??= loadKite({
      apiKey: this.#options.apiKey,
      accessToken: this.#options.accessToken,
      root: this.#options.baseUrl ?? "https://api.kite.trade",
      timeoutMs: this.#options.timeoutMs ?? 7000,
    });
    return this.#api;
  }

  #call<T>(operation: string, fn: (k: KiteApi) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.resilience.read(operation, (s) => this.#attempt(operation, fn, s), signal);
  }

  /** One kiteconnect call. It resolves some failures (an unreadable body) as `{error_type}` objects: those throw too. */
  async #attempt<T>(operation: string, fn: (k: KiteApi) => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    const k = await this.#kite();
    let result: T;
    try {
      result = await fn(k);
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      throw fromKiteError(operation, e);
    }
    if (typeof result === "object" && result !== null && !Array.isArray(result) && "error_type" in result) throw fromKiteError(operation, result);
    return result;
  }
}
