import { createHash } from "node:crypto";
import { FakeExchange, type Reply, type SeenRequest } from "./fake-server";

interface FakeOrder {
  order_id: string;
  exchange: string;
  tradingsymbol: string;
  transaction_type: string;
  order_type: string;
  product: string;
  validity: string;
  quantity: number;
  filled_quantity: number;
  pending_quantity: number;
  price: number;
  average_price: number;
  status: string;
  tag: string | null;
  order_timestamp: string;
}

const INSTRUMENTS = [
  "instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange",
  "738561,2885,RELIANCE,RELIANCE INDUSTRIES,0,,0,0.05,1,EQ,NSE,NSE",
  "256265,1001,NIFTY 50,NIFTY 50,0,,0,0,0,EQ,INDICES,NSE",
  "408065,1594,INFY,INFOSYS,0,,0,0.05,1,EQ,NSE,NSE",
].join("\n");

const fail = (status: number, error_type: string, message: string): Reply => ({ status, json: { status: "error", message, data: null, error_type } });
const ok = (data: unknown): Reply => ({ json: { status: "success", data } });

/** IST wall-clock text `YYYY-MM-DDTHH:MM:SS+0530` of epoch ms, as Kite writes candle times. */
export function kiteTime(ms: number): string {
  return `${new Date(ms + 5.5 * 3_600_000).toISOString().slice(0, 19)}+0530`;
}

/**
 * A Kite Connect v3 stand-in: `POST /session/token` checks the SHA-256 checksum; every other route demands
 * `X-Kite-Version: 3` and `Authorization: token api_key:access_token`, and answers in Kite's `{status, data}` /
 * `{status:"error", error_type, message}` envelopes. `/instruments/NSE` is the CSV dump.
 */
export class FakeKite extends FakeExchange {
  readonly apiKey = "kite-key";
  readonly apiSecret = "kite-secret";
  readonly requestToken = "req-token-1";
  readonly accessToken = "access-xyz";
  readonly orders: FakeOrder[] = [];
  /** Candles by instrument token: [epoch ms, o, h, l, c, v]. */
  readonly candles = new Map<number, Array<[number, number, number, number, number, number]>>();
  cash = 100_000;
  #nextId = 250_000_000_000_001;

  static start(): Promise<FakeKite> {
    return FakeExchange.serve((server) => new FakeKite(server));
  }

  route(req: SeenRequest): Reply {
    if (req.headers["x-kite-version"] !== "3") return fail(400, "InputException", "Missing X-Kite-Version");
    if (req.method === "POST" && req.path === "/session/token") {
      const p = new URLSearchParams(req.body);
      const sum = createHash("sha256").update(`${p.get("api_key")}${p.get("request_token")}${this.apiSecret}`).digest("hex");
      if (p.get("api_key") !== this.apiKey || p.get("request_token") !== this.requestToken || p.get("checksum") !== sum) {
        return fail(403, "TokenException", "Token is invalid or has expired.");
      }
      return ok({ user_id: "AB1234", access_token: this.accessToken, public_token: "pub", login_time: "2024-01-01 09:00:00" });
    }
    if (req.headers.authorization !== `token ${this.apiKey}:${this.accessToken}`) return fail(403, "TokenException", "Incorrect `api_key` or `access_token`.");
    if (req.method === "GET" && req.path === "/instruments/NSE") return { text: INSTRUMENTS, contentType: "text/csv" };
    const hist = /^\/instruments\/historical\/(\d+)\/(\w+)$/.exec(req.path);
    if (req.method === "GET" && hist) return this.#historical(Number(hist[1]), req.query);
    if (req.method === "GET" && req.path === "/quote") {
      const data: Record<string, unknown> = {};
      for (const i of req.query.getAll("i")) {
        if (i === "NSE:RELIANCE") data[i] = { instrument_token: 738561, last_price: 2901.45, depth: { buy: [{ price: 2901.4, quantity: 10, orders: 2 }], sell: [{ price: 2901.55, quantity: 5, orders: 1 }] } };
      }
      return ok(data);
    }
    if (req.method === "GET" && req.path === "/user/margins/equity") return ok({ enabled: true, net: this.cash, available: { cash: this.cash, live_balance: this.cash - 250.5, opening_balance: this.cash }, utilised: { debits: 250.5 } });
    if (req.method === "GET" && req.path === "/portfolio/positions") {
      return ok({ net: [{ tradingsymbol: "INFY", exchange: "NSE", quantity: -5, average_price: 1500.25, last_price: 1490, pnl: 51.25 }], day: [] });
    }
    if (req.method === "GET" && req.path === "/orders") return ok(this.orders);
    const one = /^\/orders\/(\d+)$/.exec(req.path);
    if (req.method === "GET" && one) {
      const o = this.orders.find((x) => x.order_id === one[1]);
      return o ? ok([{ ...o, status: "PUT ORDER REQ RECEIVED" }, o]) : fail(400, "InputException", "Couldn't find that `order_id`.");
    }
    if (req.method === "POST" && req.path === "/orders/regular") return this.#place(new URLSearchParams(req.body));
    const cancel = /^\/orders\/regular\/(\d+)$/.exec(req.path);
    if (req.method === "DELETE" && cancel) {
      const o = this.orders.find((x) => x.order_id === cancel[1]);
      if (!o) return fail(400, "InputException", "Couldn't find that `order_id`.");
      o.status = "CANCELLED";
      return ok({ order_id: o.order_id });
    }
    return fail(404, "GeneralException", "Route not found");
  }

  #historical(token: number, q: URLSearchParams): Reply {
    const ist = (s: string | null) => Date.parse(`${(s ?? "").replace(" ", "T")}+05:30`);
    const from = ist(q.get("from"));
    const to = ist(q.get("to"));
    if (Number.isNaN(from) || Number.isNaN(to)) return fail(400, "InputException", "invalid from/to");
    if (to - from > 2000 * 86_400_000) return fail(400, "InputException", "interval exceeds max limit: 2000 days");
    const rows = (this.candles.get(token) ?? []).filter(([t]) => t >= from && t <= to).map(([t, ...v]) => [kiteTime(t), ...v]);
    return ok({ candles: rows });
  }

  #place(p: URLSearchParams): Reply {
    const qty = Number(p.get("quantity"));
    const price = Number(p.get("price") ?? 2900);
    if (p.get("transaction_type") === "BUY" && qty * price > this.cash) {
      return fail(400, "MarginException", `Insufficient funds. Required margin is ${qty * price} but available margin is ${this.cash}.`);
    }
    const o: FakeOrder = {
      order_id: String(this.#nextId++),
      exchange: p.get("exchange") ?? "",
      tradingsymbol: p.get("tradingsymbol") ?? "",
      transaction_type: p.get("transaction_type") ?? "",
      order_type: p.get("order_type") ?? "",
      product: p.get("product") ?? "",
      validity: p.get("validity") ?? "",
      quantity: qty,
      filled_quantity: 0,
      pending_quantity: qty,
      price: p.get("order_type") === "LIMIT" ? price : 0,
      average_price: 0,
      status: "OPEN",
      tag: p.get("tag"),
      order_timestamp: "2024-01-02 10:15:00",
    };
    this.orders.push(o);
    return ok({ order_id: o.order_id });
  }
}
