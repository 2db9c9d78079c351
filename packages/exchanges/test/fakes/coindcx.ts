import { createHmac } from "node:crypto";
import { FakeExchange, type Reply, type SeenRequest } from "./fake-server";

/** One candle as the fake stores it. */
export interface FakeCandle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

interface FakeOrder {
  id: string;
  client_order_id?: string;
  market: string;
  order_type: string;
  side: string;
  status: string;
  fee_amount: number;
  total_quantity: number;
  remaining_quantity: number;
  avg_price: number;
  price_per_unit?: number;
  created_at: number;
  updated_at: number;
}

const MARKETS = [
  {
    coindcx_name: "BTCINR", base_currency_short_name: "INR", target_currency_short_name: "BTC", pair: "I-BTC_INR", ecode: "I",
    min_quantity: 0.0001, max_quantity: 100, min_notional: 100, base_currency_precision: 0, target_currency_precision: 5, step: 0.00001, status: "active",
  },
  {
    coindcx_name: "ETHUSDT", base_currency_short_name: "USDT", target_currency_short_name: "ETH", pair: "B-ETH_USDT", ecode: "B",
    min_quantity: 0.001, max_quantity: 1000, min_notional: 5, base_currency_precision: 2, target_currency_precision: 4, step: 0.0001, status: "active",
  },
];

const err = (status: number, message: string): Reply => ({ status, json: { code: status, message, status: "error" } });

/**
 * A CoinDCX stand-in speaking its wire format: public `/exchange/ticker`, `/exchange/v1/markets_details`,
 * `/market_data/candles` (newest first, as CoinDCX answers), and signed POSTs under `/exchange/v1/` that verify
 * `X-AUTH-APIKEY` and the HMAC in `X-AUTH-SIGNATURE` over the raw body.
 */
export class FakeCoinDcx extends FakeExchange {
  readonly apiKey = "dcx-key";
  readonly apiSecret = "dcx-secret";
  readonly orders = new Map<string, FakeOrder>();
  /** Orders booked (the double-order detector). */
  ordersPlaced = 0;
  /** `timestamp` of every signed request, in arrival order. */
  readonly timestamps: number[] = [];
  /** Candles by pair, ascending. */
  readonly candles = new Map<string, FakeCandle[]>();
  inrBalance = 1_000_000;
  lastPrice = 5_000_000;
  #nextId = 1;

  static start(): Promise<FakeCoinDcx> {
    return FakeExchange.serve((server) => new FakeCoinDcx(server));
  }

  route(req: SeenRequest): Reply {
    if (req.method === "GET") {
      switch (req.path) {
        case "/exchange/v1/markets_details":
          return { json: MARKETS };
        case "/exchange/ticker":
          return {
            json: [
              { market: "ETHUSDT", last_price: "3000.5", bid: "3000.4", ask: "3000.6", timestamp: 1_700_000_000 },
              { market: "BTCINR", last_price: String(this.lastPrice), bid: this.lastPrice - 10, ask: this.lastPrice + 10, timestamp: 1_700_000_000 },
            ],
          };
        case "/market_data/candles":
          return this.#candles(req.query);
      }
      return err(404, "Not found");
    }
    if (req.path.startsWith("/exchange/v1/")) return this.#signed(req);
    return err(404, "Not found");
  }

  #candles(q: URLSearchParams): Reply {
    const pair = q.get("pair") ?? "";
    if (!MARKETS.some((m) => m.pair === pair)) return err(400, `Invalid pair ${pair}`);
    const start = Number(q.get("startTime") ?? 0);
    const end = Number(q.get("endTime") ?? Number.MAX_SAFE_INTEGER);
    const limit = Number(q.get("limit") ?? 500);
    const picked = (this.candles.get(pair) ?? []).filter((c) => c.time >= start && c.time <= end).slice(0, limit);
    return { json: picked.reverse() };
  }

  #signed(req: SeenRequest): Reply {
    if (req.headers["x-auth-apikey"] !== this.apiKey) return err(401, "Invalid API key");
    const expected = createHmac("sha256", this.apiSecret).update(req.body).digest("hex");
    if (req.headers["x-auth-signature"] !== expected) return err(401, "Invalid signature");
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      return err(400, "Invalid JSON");
    }
    if (typeof body["timestamp"] !== "number") return err(400, "timestamp is required");
    this.timestamps.push(body["timestamp"]);
    switch (req.path) {
      case "/exchange/v1/users/balances":
        return { json: [{ currency: "INR", balance: this.inrBalance, locked_balance: "0.0" }, { currency: "BTC", balance: "0.5", locked_balance: 0.01 }] };
      case "/exchange/v1/orders/create":
        return this.#create(body);
      case "/exchange/v1/orders/status": {
        const o = typeof body["id"] === "string" ? this.orders.get(body["id"]) : [...this.orders.values()].find((x) => x.client_order_id === body["client_order_id"]);
        return o ? { json: o } : err(404, "Order not found");
      }
      case "/exchange/v1/orders/cancel": {
        const o = this.orders.get(String(body["id"]));
        if (!o) return err(404, "Order not found");
        o.status = "cancelled";
        return { json: { message: "success", status: 200, code: 200 } };
      }
      case "/exchange/v1/orders/active_orders":
        return { json: { orders: [...this.orders.values()].filter((o) => o.market === body["market"] && (o.status === "open" || o.status === "partially_filled")) } };
    }
    return err(404, "Not found");
  }

  #create(body: Record<string, unknown>): Reply {
    const market = MARKETS.find((m) => m.coindcx_name === body["market"]);
    if (!market) return err(400, "Invalid market");
    const qty = body["total_quantity"];
    const price = body["order_type"] === "limit_order" ? body["price_per_unit"] : this.lastPrice;
    if (typeof qty !== "number" || typeof price !== "number") return err(400, "Invalid quantity or price");
    const cid = body["client_order_id"];
    if (typeof cid === "string" && [...this.orders.values()].some((o) => o.client_order_id === cid)) return err(400, "Duplicate client order id");
    if (body["side"] === "buy" && qty * price > this.inrBalance) return err(422, "Insufficient funds");
    const isMarket = body["order_type"] === "market_order";
    const o: FakeOrder = {
      id: `ord-${this.#nextId++}`,
      ...(typeof cid === "string" ? { client_order_id: cid } : {}),
      market: market.coindcx_name,
      order_type: String(body["order_type"]),
      side: String(body["side"]),
      status: isMarket ? "filled" : "open",
      fee_amount: isMarket ? qty * price * 0.001 : 0,
      total_quantity: qty,
      remaining_quantity: isMarket ? 0 : qty,
      avg_price: isMarket ? price : 0,
      ...(isMarket ? {} : { price_per_unit: price }),
      created_at: 1_700_000_000_000,
      updated_at: 1_700_000_000_000,
    };
    this.orders.set(o.id, o);
    this.ordersPlaced += 1;
    return { json: { orders: [o] } };
  }
}
