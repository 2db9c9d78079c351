import { Money, Timeframe } from "@tradeloom/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeKite } from "../../test/fakes/kite";
import { fastClock } from "../../test/helpers";
import { fetchCandleHistory } from "../candle-history";
import { KiteClient, type KiteClientOptions } from "./client";
import { createKiteSession, kiteChecksum, kiteLoginUrl } from "./session";

const DAY = 86_400_000;
const T0 = Date.UTC(2020, 0, 1, 3, 45); // 09:15 IST
let fake: FakeKite;
beforeEach(async () => {
  fake = await FakeKite.start();
});
afterEach(() => fake.close());

function client(extra: Partial<KiteClientOptions> = {}): KiteClient {
  return new KiteClient({
    apiKey: fake.apiKey,
    accessToken: fake.accessToken,
    baseUrl: fake.url,
    timeoutMs: 1500,
    orderSettleMs: 5,
    resilience: { clock: fastClock(), rateLimiter: { rate: 1000 }, retry: { baseDelayMs: 5 } },
    ...extra,
  });
}

const buy = (tag: string, quantity = "3") => ({ symbol: "RELIANCE", side: "buy" as const, type: "limit" as const, quantity: Money.of(quantity), price: Money.of("2900.05"), clientOrderId: tag });

describe("Kite login", () => {
  it("exchanges a request token for an access token with the SHA-256 checksum", async () => {
    expect(kiteLoginUrl("kite-key")).toBe("https://kite.zerodha.com/connect/login?v=3&api_key=kite-key");
    const s = await createKiteSession({ apiKey: fake.apiKey, apiSecret: fake.apiSecret, requestToken: fake.requestToken, baseUrl: fake.url });
    expect(s).toEqual({ accessToken: fake.accessToken, userId: "AB1234", publicToken: "pub" });
    const body = new URLSearchParams(fake.server.seen("/session/token")[0]!.body);
    expect(body.get("checksum")).toBe(kiteChecksum(fake.apiKey, fake.requestToken, fake.apiSecret));
  });

  it("a wrong secret gets Kite's TokenException as an auth error", async () => {
    await expect(createKiteSession({ apiKey: fake.apiKey, apiSecret: "wrong", requestToken: fake.requestToken, baseUrl: fake.url })).rejects.toMatchObject({
      code: "EXCHANGE_AUTH",
      exchangeMessage: "Token is invalid or has expired.",
    });
    await expect(client({ accessToken: "stale" }).fetchBalances()).rejects.toMatchObject({ code: "EXCHANGE_AUTH" });
  });
});

describe("KiteClient", () => {
  it("pages historical candles by instrument token over ranges longer than one request allows", async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => [T0 + i * DAY, 100 + i, 101 + i, 99 + i, 100.5 + i, 1000 + i] as [number, number, number, number, number, number]);
    fake.candles.set(738561, rows);
    const got = await fetchCandleHistory(client(), "NSE:RELIANCE", Timeframe.parse("1d"), { since: T0, until: T0 + 2499 * DAY, pageLimit: 5000 });
    expect(got).toEqual(rows.map(([time, open, high, low, close, volume]) => ({ time, open, high, low, close, volume })));
    const asked = fake.server.requests.filter((r) => r.path.startsWith("/instruments/historical/"));
    expect(asked.length).toBe(2);
    expect(asked[0]!.path).toBe("/instruments/historical/738561/day");
    expect(asked[0]!.query.get("from")).toBe("2020-01-01 09:15:00");
    expect(fake.server.seen("/instruments/NSE")).toHaveLength(1);
    await expect(client().fetchCandles("RELIANCE", Timeframe.parse("4h"))).rejects.toMatchObject({ code: "EXCHANGE_REJECTED" });
    await expect(client().fetchCandles("NOPE", Timeframe.parse("1d"))).rejects.toMatchObject({ code: "EXCHANGE_UNKNOWN_MARKET" });
  });

  it("reads quote, margins, positions and market rules as exact decimals", async () => {
    const c = client();
    const t = await c.fetchTicker("RELIANCE");
    expect([t.symbol, t.last.toString(), t.bid?.toString(), t.ask?.toString()]).toEqual(["NSE:RELIANCE", "2901.45", "2901.4", "2901.55"]);
    const [b] = await c.fetchBalances();
    expect([b!.currency, b!.free.toString(), b!.locked.toString()]).toEqual(["INR", "99749.5", "250.5"]);
    const [p] = await c.fetchPositions();
    expect([p!.symbol, p!.quantity.toString(), p!.averagePrice.toString(), p!.pnl.toString()]).toEqual(["INFY", "-5", "1500.25", "51.25"]);
    const r = await c.marketRules("RELIANCE");
    expect([r.tickSize.toString(), r.lotStep.toString(), r.minNotional.toString()]).toEqual(["0.05", "1", "0"]);
  });

  it("places with the client id as tag, fetches, lists and cancels", async () => {
    const c = client();
    const o = await c.placeOrder(buy("t1"));
    expect(o).toMatchObject({ clientOrderId: "t1", status: "open", symbol: "RELIANCE", side: "buy", type: "limit" });
    expect(o.price?.toString()).toBe("2900.05");
    expect(o.createdAt).toBe(Date.UTC(2024, 0, 2, 4, 45));
    const sent = new URLSearchParams(fake.server.seen("/orders/regular")[0]!.body);
    expect(Object.fromEntries(sent)).toMatchObject({ exchange: "NSE", tradingsymbol: "RELIANCE", transaction_type: "BUY", quantity: "3", order_type: "LIMIT", price: "2900.05", tag: "t1", variety: "regular" });
    expect((await c.fetchOrder({ clientOrderId: "t1" }, "RELIANCE")).id).toBe(o.id);
    expect((await c.fetchOpenOrders("RELIANCE")).map((x) => x.id)).toEqual([o.id]);
    await c.cancelOrder({ id: o.id }, "RELIANCE");
    expect((await c.fetchOrder({ id: o.id }, "RELIANCE")).status).toBe("cancelled");
    await expect(c.fetchOrder({ id: "1" }, "RELIANCE")).rejects.toMatchObject({ code: "EXCHANGE_UNKNOWN_ORDER" });
    await expect(c.placeOrder(buy("t2", "1000"))).rejects.toMatchObject({ code: "EXCHANGE_INSUFFICIENT_FUNDS" });
    await expect(c.placeOrder(buy("not-alnum!"))).rejects.toMatchObject({ code: "EXCHANGE_REJECTED" });
    expect(fake.orders).toHaveLength(1);
  });

  it("retries reads through 429, 500, malformed JSON, timeouts and drops", async () => {
    const c = client({ resilience: { clock: fastClock(), rateLimiter: { rate: 1000 }, retry: { maxAttempts: 6, baseDelayMs: 1 } } });
    fake.server.inject("/user/margins", { kind: "status", status: 429, body: '{"status":"error","message":"Too many requests","error_type":"NetworkException"}' });
    fake.server.inject("/user/margins", { kind: "status", status: 500, body: '{"status":"error","message":"Something went wrong","error_type":"GeneralException"}' });
    fake.server.inject("/user/margins", { kind: "malformed" });
    fake.server.inject("/user/margins", { kind: "hang" });
    fake.server.inject("/user/margins", { kind: "drop" });
    expect((await c.fetchBalances())[0]!.currency).toBe("INR");
    expect(fake.server.seen("/user/margins/equity")).toHaveLength(6);
    fake.server.inject("/portfolio/positions", { kind: "malformed" }, 10);
    await expect(c.fetchPositions()).rejects.toMatchObject({ code: "EXCHANGE_BAD_RESPONSE" });
  });

  it.each(["drop", "hang", "status"] as const)("an order booked but answered with '%s' is found by tag, never placed twice", async (kind) => {
    const fault = kind === "status" ? ({ kind, status: 503, body: "<html>503</html>", after: true } as const) : ({ kind, after: true } as const);
    fake.server.inject("/orders/regular", fault);
    const o = await client().placeOrder(buy(`x${kind}`));
    expect(o.clientOrderId).toBe(`x${kind}`);
    expect(fake.orders).toHaveLength(1);
    expect(fake.server.seen("/orders/regular")).toHaveLength(1);
  });

  it("re-sends an order the day's book shows absent", async () => {
    fake.server.inject("/orders/regular", { kind: "drop" });
    await client().placeOrder(buy("absent"));
    expect(fake.orders).toHaveLength(1);
    expect(fake.server.seen("/orders/regular")).toHaveLength(2);
  });
});
