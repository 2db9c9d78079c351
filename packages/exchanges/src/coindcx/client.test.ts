import { Money, Timeframe } from "@tradeloom/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeCoinDcx } from "../../test/fakes/coindcx";
import { fastClock } from "../../test/helpers";
import { ExchangeError } from "../errors";
import { CoinDcxClient, type CoinDcxClientOptions } from "./client";

let fake: FakeCoinDcx;
beforeEach(async () => {
  fake = await FakeCoinDcx.start();
});
afterEach(() => fake.close());

function client(extra: Partial<CoinDcxClientOptions> = {}): CoinDcxClient {
  return new CoinDcxClient({
    apiKey: fake.apiKey,
    apiSecret: fake.apiSecret,
    baseUrl: fake.url,
    timeoutMs: 1500,
    orderSettleMs: 10,
    resilience: { clock: fastClock(), rateLimiter: { rate: 1000 } },
    ...extra,
  });
}

const order = (clientOrderId: string) => ({
  symbol: "BTCINR",
  side: "buy" as const,
  type: "limit" as const,
  quantity: Money.of("0.01"),
  price: Money.of("4900000"),
  clientOrderId,
});

describe("CoinDcxClient market data", () => {
  it("resolves every naming form to one market and asks candles by pair, sorted ascending", async () => {
    const h = 3_600_000;
    fake.candles.set("I-BTC_INR", [0, 1, 2].map((i) => ({ time: 1_700_000_000_000 + i * h, open: 1 + i, high: 2 + i, low: 0.5, close: 1.5 + i, volume: 10 })));
    const c = client();
    for (const sym of ["BTCINR", "btcinr", "I-BTC_INR", "BTC/INR"]) {
      const candles = await c.fetchCandles(sym, Timeframe.parse("1h"));
      expect(candles.map((x) => x.time)).toEqual([0, 1, 2].map((i) => 1_700_000_000_000 + i * h));
    }
    const asked = fake.server.seen("/market_data/candles").map((r) => r.query.get("pair"));
    expect(new Set(asked)).toEqual(new Set(["I-BTC_INR"]));
    expect(fake.server.seen("/exchange/v1/markets_details")).toHaveLength(1);
  });

  it("reads tickers and market rules with exact decimals", async () => {
    const c = client();
    const t = await c.fetchTicker("B-ETH_USDT");
    expect(t.symbol).toBe("ETHUSDT");
    expect(t.last.toString()).toBe("3000.5");
    expect(t.time).toBe(1_700_000_000_000);
    const r = await c.marketRules("BTCINR");
    expect([r.tickSize.toString(), r.lotStep.toString(), r.minQuantity.toString(), r.minNotional.toString()]).toEqual(["1", "0.00001", "0.0001", "100"]);
    expect((await c.marketRules("ETHUSDT")).tickSize.toString()).toBe("0.01");
    await expect(c.fetchTicker("DOGEINR")).rejects.toMatchObject({ code: "EXCHANGE_UNKNOWN_MARKET" });
  });
});

describe("CoinDcxClient signed calls", () => {
  it("signs the exact body: balances come back as Money", async () => {
    const b = await client().fetchBalances();
    expect(b.map((x) => [x.currency, x.free.toString(), x.locked.toString()])).toEqual([
      ["INR", "1000000", "0"],
      ["BTC", "0.5", "0.01"],
    ]);
    const req = fake.server.seen("/exchange/v1/users/balances")[0]!;
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.body).toMatch(/^\{"timestamp":\d+\}$/);
  });

  it("a wrong secret gets CoinDCX's auth error, not retried", async () => {
    const e = await client({ apiSecret: "wrong" }).fetchBalances().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ExchangeError);
    expect(e).toMatchObject({ code: "EXCHANGE_AUTH", status: 401, exchangeMessage: "Invalid signature" });
    expect(fake.server.seen("/exchange/v1/users/balances")).toHaveLength(1);
  });

  it("places, fetches, lists and cancels an order; body carries exact decimals", async () => {
    const c = client();
    const o = await c.placeOrder(order("c-1"));
    expect(o).toMatchObject({ status: "open", clientOrderId: "c-1", symbol: "BTCINR", side: "buy", type: "limit" });
    expect(o.quantity.toString()).toBe("0.01");
    const body = fake.server.seen("/exchange/v1/orders/create")[0]!.body;
    expect(body).toMatch(/^\{"side":"buy","order_type":"limit_order","market":"BTCINR","price_per_unit":4900000,"total_quantity":0\.01,"timestamp":\d+,"client_order_id":"c-1"\}$/);
    expect((await c.fetchOrder({ clientOrderId: "c-1" }, "BTCINR")).id).toBe(o.id);
    expect((await c.fetchOpenOrders("BTCINR")).map((x) => x.id)).toEqual([o.id]);
    await c.cancelOrder({ clientOrderId: "c-1" }, "BTCINR");
    expect((await c.fetchOrder({ id: o.id }, "BTCINR")).status).toBe("cancelled");
    expect(await c.fetchOpenOrders("BTCINR")).toEqual([]);
    await expect(c.fetchOrder({ id: "nope" }, "BTCINR")).rejects.toMatchObject({ code: "EXCHANGE_UNKNOWN_ORDER", exchangeMessage: "Order not found" });
  });

  it("maps insufficient funds", async () => {
    fake.inrBalance = 10;
    await expect(client().placeOrder(order("c-2"))).rejects.toMatchObject({ code: "EXCHANGE_INSUFFICIENT_FUNDS", exchangeMessage: "Insufficient funds" });
  });
});

describe("CoinDcxClient faults", () => {
  it("retries reads through 429 (honouring Retry-After), 500s and malformed JSON, re-signing with a fresh timestamp", async () => {
    const clock = fastClock();
    fake.server.inject("/exchange/v1/users/balances", { kind: "status", status: 429, body: '{"code":429,"message":"Too many requests","status":"error"}', headers: { "retry-after": "2" } });
    fake.server.inject("/exchange/v1/users/balances", { kind: "status", status: 500, body: "oops" });
    fake.server.inject("/exchange/v1/users/balances", { kind: "malformed" });
    const b = await client({ resilience: { clock, rateLimiter: { rate: 1000 }, retry: { maxAttempts: 4, baseDelayMs: 10 } } }).fetchBalances();
    expect(b).toHaveLength(2);
    expect(clock.slept[0]).toBe(2000);
    const sent = fake.server.seen("/exchange/v1/users/balances").map((r) => (JSON.parse(r.body) as { timestamp: number }).timestamp);
    expect(sent).toHaveLength(4);
    for (let i = 1; i < 4; i++) expect(sent[i]!).toBeGreaterThan(sent[i - 1]!);
    expect(fake.timestamps).toEqual([sent[3]]);
  });

  it("fails with a typed error when the faults outlast the retries", async () => {
    fake.server.inject("/exchange/ticker", { kind: "status", status: 503, body: "<html>maintenance</html>" }, 10);
    await expect(client().fetchTicker("BTCINR")).rejects.toMatchObject({ code: "EXCHANGE_DOWN", status: 503, exchangeMessage: "<html>maintenance</html>" });
    expect(fake.server.seen("/exchange/ticker")).toHaveLength(4);
  });

  it("recovers from a timeout and a connection dropped mid-response", async () => {
    fake.server.inject("/exchange/v1/markets_details", { kind: "hang" });
    fake.server.inject("/exchange/v1/markets_details", { kind: "drop" });
    expect((await client().marketRules("BTCINR")).symbol).toBe("BTCINR");
    expect(fake.server.seen("/exchange/v1/markets_details")).toHaveLength(3);
  });

  it.each(["hang", "drop", "malformed", "status"] as const)("an order booked but answered with '%s' is found by client id, not re-sent", async (kind) => {
    const fault = kind === "status" ? ({ kind, status: 502, body: "bad gateway", after: true } as const) : ({ kind, after: true } as const);
    fake.server.inject("/exchange/v1/orders/create", fault);
    const o = await client().placeOrder(order(`c-${kind}`));
    expect(o.clientOrderId).toBe(`c-${kind}`);
    expect(fake.ordersPlaced).toBe(1);
    expect(fake.server.seen("/exchange/v1/orders/create")).toHaveLength(1);
    expect(fake.server.seen("/exchange/v1/orders/status")).toHaveLength(1);
  });

  it("an order that certainly did not arrive is sent again once", async () => {
    fake.server.inject("/exchange/v1/orders/create", { kind: "status", status: 500, body: "internal error" });
    const o = await client().placeOrder(order("c-absent"));
    expect(o.status).toBe("open");
    expect(fake.ordersPlaced).toBe(1);
    expect(fake.server.seen("/exchange/v1/orders/create")).toHaveLength(2);
  });

  it("when the lookup fails too, the order is reported uncertain and never re-sent", async () => {
    fake.server.inject("/exchange/v1/orders/create", { kind: "drop", after: true });
    fake.server.inject("/exchange/v1/orders/status", { kind: "status", status: 503, body: "down" }, 10);
    await expect(client().placeOrder(order("c-unsure"))).rejects.toMatchObject({ code: "EXCHANGE_ORDER_UNCERTAIN" });
    expect(fake.ordersPlaced).toBe(1);
    expect(fake.server.seen("/exchange/v1/orders/create")).toHaveLength(1);
  });

  it("a 429 on order send is a refusal: re-sent after the wait, placed once", async () => {
    fake.server.inject("/exchange/v1/orders/create", { kind: "status", status: 429, body: '{"code":429,"message":"Too many requests","status":"error"}', headers: { "retry-after": "1" } });
    await client().placeOrder(order("c-429"));
    expect(fake.ordersPlaced).toBe(1);
    expect(fake.server.seen("/exchange/v1/orders/status")).toHaveLength(0);
  });

  it("opens the circuit after repeated failures and refuses without sending", async () => {
    fake.server.inject("/exchange/ticker", { kind: "status", status: 500, body: "x" }, 100);
    const c = client({ resilience: { clock: fastClock(), rateLimiter: { rate: 1000 }, retry: { maxAttempts: 1 }, circuitBreaker: { failureThreshold: 2 } } });
    await c.marketRules("BTCINR");
    for (let i = 0; i < 2; i++) await expect(c.fetchTicker("BTCINR")).rejects.toMatchObject({ code: "EXCHANGE_DOWN" });
    const before = fake.server.requests.length;
    await expect(c.fetchTicker("BTCINR")).rejects.toMatchObject({ code: "EXCHANGE_CIRCUIT_OPEN" });
    expect(fake.server.requests.length).toBe(before);
  });
});
