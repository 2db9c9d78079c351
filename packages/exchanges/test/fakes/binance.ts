import { createHmac } from "node:crypto";
import { FakeExchange, type Reply, type SeenRequest } from "./fake-server";

/** A kline as Binance serves it: numbers here, decimal strings on the wire. */
export interface FakeKline {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

const INTERVAL_MS: Record<string, number> = { "1m": 60_000, "5m": 300_000, "15m": 900_000, "1h": 3_600_000, "4h": 14_400_000, "1d": 86_400_000 };

interface FakeOrder {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  price: string;
  origQty: string;
  executedQty: string;
  cummulativeQuoteQty: string;
  status: string;
  timeInForce: string;
  type: string;
  side: string;
  time: number;
  updateTime: number;
}

const SYMBOLS = ["BTC", "ETH", "SOL"].map((base) => ({
  symbol: `${base}USDT`,
  status: "TRADING",
  baseAsset: base,
  baseAssetPrecision: 8,
  quoteAsset: "USDT",
  quotePrecision: 8,
  quoteAssetPrecision: 8,
  orderTypes: ["LIMIT", "MARKET"],
  icebergAllowed: true,
  ocoAllowed: true,
  isSpotTradingAllowed: true,
  isMarginTradingAllowed: false,
  permissions: [],
  permissionSets: [["SPOT"]],
  filters: [
    { filterType: "PRICE_FILTER", minPrice: "0.01000000", maxPrice: "1000000.00000000", tickSize: "0.01000000" },
    { filterType: "LOT_SIZE", minQty: "0.00001000", maxQty: "9000.00000000", stepSize: "0.00001000" },
    { filterType: "NOTIONAL", minNotional: "5.00000000", applyMinToMarket: true, maxNotional: "9000000.00000000", applyMaxToMarket: false, avgPriceMins: 5 },
  ],
}));

const err = (status: number, code: number, msg: string, headers?: Record<string, string>): Reply => ({ status, json: { code, msg }, ...(headers ? { headers } : {}) });

/** Plain decimal text, as Binance writes numbers (never exponent form). */
function dec(n: number): string {
  return n.toFixed(8);
}

/**
 * A Binance spot stand-in: `/api/v3/exchangeInfo`, `/api/v3/klines` (ascending, `startTime`/`endTime`/`limit`
 * capped at 1000), and signed `/api/v3/order`, `/api/v3/openOrders`, `/api/v3/allOrders`, `/api/v3/account` that verify `X-MBX-APIKEY`
 * and the HMAC-SHA256 `signature` over the query string or form body.
 */
export class FakeBinance extends FakeExchange {
  readonly apiKey = "bn-key";
  readonly apiSecret = "bn-secret";
  /** Klines by `SYMBOL interval`, ascending. */
  readonly klines = new Map<string, FakeKline[]>();
  readonly orders: FakeOrder[] = [];
  #nextId = 1000;

  static start(): Promise<FakeBinance> {
    return FakeExchange.serve((server) => new FakeBinance(server));
  }

  /** Fills `symbol interval` with `count` candles from `start`, with awkward decimals (tiny volumes, round prices). */
  generate(symbol: string, interval: string, start: number, count: number, seed = 1): FakeKline[] {
    const step = INTERVAL_MS[interval]!;
    const list = this.klines.get(`${symbol} ${interval}`) ?? [];
    for (let i = 0; i < count; i++) {
      const base = 100_000 + ((i * 7919 + seed * 104729) % 5000) / 100;
      const r8 = (x: number) => Number(x.toFixed(8));
      list.push({ time: start + i * step, open: r8(base), high: r8(base + 12.5), low: r8(base - 3.25), close: r8(base + 1), volume: r8(i % 3 === 0 ? 0.0000001 * (i + 1) : 12.345 + i) });
    }
    list.sort((a, b) => a.time - b.time);
    this.klines.set(`${symbol} ${interval}`, list);
    return list;
  }

  route(req: SeenRequest): Reply {
    switch (`${req.method} ${req.path}`) {
      case "GET /api/v3/exchangeInfo":
        return { json: { timezone: "UTC", serverTime: Date.now(), rateLimits: [], exchangeFilters: [], symbols: SYMBOLS } };
      case "GET /api/v3/klines":
        return this.#klines(req.query);
      case "GET /api/v3/ping":
        return { json: {} };
    }
    if (["/api/v3/order", "/api/v3/openOrders", "/api/v3/allOrders", "/api/v3/account"].includes(req.path)) return this.#signed(req);
    return err(404, -1, `no route ${req.method} ${req.path}`);
  }

  #klines(q: URLSearchParams): Reply {
    const symbol = q.get("symbol") ?? "";
    const interval = q.get("interval") ?? "";
    if (!SYMBOLS.some((s) => s.symbol === symbol)) return err(400, -1121, "Invalid symbol.");
    if (!INTERVAL_MS[interval]) return err(400, -1120, "Invalid interval.");
    const start = Number(q.get("startTime") ?? 0);
    const end = Number(q.get("endTime") ?? Number.MAX_SAFE_INTEGER);
    const limit = Math.min(Number(q.get("limit") ?? 500), 1000);
    const rows = (this.klines.get(`${symbol} ${interval}`) ?? [])
      .filter((k) => k.time >= start && k.time <= end)
      .slice(0, limit)
      .map((k) => [k.time, dec(k.open), dec(k.high), dec(k.low), dec(k.close), dec(k.volume), k.time + INTERVAL_MS[interval]! - 1, "0", 10, "0", "0", "0"]);
    return { json: rows };
  }

  #signed(req: SeenRequest): Reply {
    if (req.headers["x-mbx-apikey"] !== this.apiKey) return err(401, -2015, "Invalid API-key, IP, or permissions for action.");
    const raw = req.method === "GET" || req.method === "DELETE" ? req.query.toString() : req.body;
    const at = raw.lastIndexOf("&signature=");
    const expected = createHmac("sha256", this.apiSecret).update(at >= 0 ? raw.slice(0, at) : raw).digest("hex");
    if (at < 0 || raw.slice(at + "&signature=".length) !== expected) return err(400, -1022, "Signature for this request is not valid.");
    const p = new URLSearchParams(raw);
    if (req.path === "/api/v3/account") {
      return { json: { makerCommission: 10, takerCommission: 10, canTrade: true, accountType: "SPOT", balances: [{ asset: "USDT", free: "1000.50000000", locked: "0.00000000" }, { asset: "BTC", free: "0.01000000", locked: "0.00100000" }], permissions: ["SPOT"] } };
    }
    if (req.path === "/api/v3/allOrders") return { json: this.orders.filter((o) => o.symbol === p.get("symbol")) };
    if (req.path === "/api/v3/openOrders") return { json: this.orders.filter((o) => o.symbol === p.get("symbol") && o.status === "NEW") };
    const find = () => this.orders.find((o) => o.symbol === p.get("symbol") && (String(o.orderId) === p.get("orderId") || o.clientOrderId === p.get("origClientOrderId")));
    if (req.method === "GET") return find() ? { json: find() } : err(400, -2013, "Order does not exist.");
    if (req.method === "DELETE") {
      const o = find();
      if (!o) return err(400, -2011, "Unknown order sent.");
      o.status = "CANCELED";
      return { json: o };
    }
    const cid = p.get("newClientOrderId") ?? `auto-${this.#nextId}`;
    if (this.orders.some((o) => o.clientOrderId === cid)) return err(400, -2010, "Duplicate order sent.");
    const qty = Number(p.get("quantity"));
    const price = Number(p.get("price") ?? 100_000);
    if (p.get("side") === "BUY" && qty * price > 1000.5) return err(400, -2010, "Account has insufficient balance for requested action.");
    const o: FakeOrder = {
      symbol: p.get("symbol") ?? "",
      orderId: this.#nextId++,
      clientOrderId: cid,
      price: dec(p.get("type") === "LIMIT" ? price : 0),
      origQty: dec(qty),
      executedQty: "0.00000000",
      cummulativeQuoteQty: "0.00000000",
      status: "NEW",
      timeInForce: "GTC",
      type: p.get("type") ?? "",
      side: p.get("side") ?? "",
      time: 1_700_000_000_000,
      updateTime: 1_700_000_000_000,
    };
    this.orders.push(o);
    return { json: { ...o, transactTime: o.time, fills: [] } };
  }
}
