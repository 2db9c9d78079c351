import { Money, Timeframe } from "@tradeloom/types";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeBinance } from "../../test/fakes/binance";
import { fastClock } from "../../test/helpers";
import { fetchCandleHistory } from "../candle-history";
import { ExchangeError } from "../errors";
import { CcxtClient, createBinanceClient } from "./client";

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
let fake: FakeBinance;
let client: CcxtClient;
let clock: ReturnType<typeof fastClock>;

beforeAll(async () => {
  fake = await FakeBinance.start();
  fake.generate("BTCUSDT", "1h", T0, 2500);
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.server.requests.length = 0;
  clock = fastClock();
  client = await createBinanceClient({
    baseUrl: fake.url,
    apiKey: fake.apiKey,
    secret: fake.apiSecret,
    timeoutMs: 1500,
    orderSettleMs: 5,
    resilience: { clock, rateLimiter: { rate: 1000 }, retry: { baseDelayMs: 5 } },
  });
});

describe("Binance through ccxt", () => {
  it("asks only the base URL: spot exchangeInfo, then klines", async () => {
    const c = await client.fetchCandles("BTCUSDT", Timeframe.parse("1h"), { since: T0, limit: 3 });
    expect(c.map((x) => x.time)).toEqual([T0, T0 + H, T0 + 2 * H]);
    expect(c[0]).toEqual({ time: T0, open: fake.klines.get("BTCUSDT 1h")![0]!.open, high: expect.any(Number), low: expect.any(Number), close: expect.any(Number), volume: 0.0000001 });
    expect(fake.server.requests.map((r) => r.path)).toEqual(["/api/v3/exchangeInfo", "/api/v3/klines"]);
    const q = fake.server.seen("/api/v3/klines")[0]!.query;
    expect([q.get("symbol"), q.get("interval"), q.get("startTime"), q.get("limit")]).toEqual(["BTCUSDT", "1h", String(T0), "3"]);
  });

  it("pages fetchOHLCV across many pages, exactly the served candles", async () => {
    const pages: number[] = [];
    const all = await fetchCandleHistory(client, "BTC/USDT", Timeframe.parse("1h"), { since: T0 + 5 * H, until: T0 + 2400 * H, pageLimit: 500, onPage: (p) => void pages.push(p.length) });
    const served = fake.klines.get("BTCUSDT 1h")!.slice(5, 2401);
    expect(all).toEqual(served);
    expect(pages).toEqual([500, 500, 500, 500, 396]);
  });

  it("retries 429 (Retry-After), 500, malformed JSON, a timeout and a dropped connection", async () => {
    await client.marketRules("BTCUSDT");
    fake.server.inject("/api/v3/klines", { kind: "status", status: 429, body: '{"code":-1003,"msg":"Too many requests."}', headers: { "retry-after": "3" } });
    fake.server.inject("/api/v3/klines", { kind: "status", status: 500, body: "Internal error" });
    fake.server.inject("/api/v3/klines", { kind: "malformed" });
    const c = await client.fetchCandles("BTCUSDT", Timeframe.parse("1h"), { since: T0, limit: 2 });
    expect(c).toHaveLength(2);
    expect(clock.slept[0]).toBe(3000);
    fake.server.inject("/api/v3/klines", { kind: "hang" });
    fake.server.inject("/api/v3/klines", { kind: "drop" });
    expect(await client.fetchCandles("BTCUSDT", Timeframe.parse("1h"), { since: T0, limit: 2 })).toHaveLength(2);
  });

  it("fails typed when faults persist", async () => {
    await client.marketRules("BTCUSDT");
    fake.server.inject("/api/v3/klines", { kind: "malformed" }, 4);
    await expect(client.fetchCandles("BTCUSDT", Timeframe.parse("1h"))).rejects.toMatchObject({ code: "EXCHANGE_BAD_RESPONSE" });
    fake.server.inject("/api/v3/klines", { kind: "status", status: 503, body: "Service unavailable" }, 4);
    await expect(client.fetchCandles("BTCUSDT", Timeframe.parse("1h"))).rejects.toMatchObject({ code: "EXCHANGE_DOWN" });
    await expect(client.fetchCandles("DOGEUSDT", Timeframe.parse("1h"))).rejects.toMatchObject({ code: "EXCHANGE_UNKNOWN_MARKET" });
  });

  it("market rules come from exchangeInfo filters", async () => {
    const r = await client.marketRules("BTC/USDT");
    expect([r.tickSize.toString(), r.lotStep.toString(), r.minQuantity.toString(), r.minNotional.toString(), r.base, r.quote]).toEqual(["0.01", "0.00001", "0.00001", "5", "BTC", "USDT"]);
  });

  it("signed calls: balances, place, fetch, list, cancel; a wrong secret is an auth error", async () => {
    const b = await client.fetchBalances();
    expect(b.find((x) => x.currency === "USDT")?.free.toString()).toBe("1000.5");
    const o = await client.placeOrder({ symbol: "BTCUSDT", side: "buy", type: "limit", quantity: Money.of("0.001"), price: Money.of("90000"), clientOrderId: "bn-1" });
    expect(o).toMatchObject({ clientOrderId: "bn-1", status: "open", symbol: "BTC/USDT" });
    expect((await client.fetchOrder({ clientOrderId: "bn-1" }, "BTCUSDT")).id).toBe(o.id);
    expect((await client.fetchOpenOrders("BTCUSDT")).map((x) => x.id)).toEqual([o.id]);
    await client.cancelOrder({ id: o.id }, "BTCUSDT");
    expect((await client.fetchOrder({ id: o.id }, "BTCUSDT")).status).toBe("cancelled");
    await expect(client.fetchOrder({ clientOrderId: "nope" }, "BTCUSDT")).rejects.toMatchObject({ code: "EXCHANGE_UNKNOWN_ORDER" });
    await expect(
      client.placeOrder({ symbol: "BTCUSDT", side: "buy", type: "limit", quantity: Money.of("1"), price: Money.of("90000"), clientOrderId: "bn-2" }),
    ).rejects.toMatchObject({ code: "EXCHANGE_INSUFFICIENT_FUNDS" });
    const wrong = await createBinanceClient({ baseUrl: fake.url, apiKey: fake.apiKey, secret: "wrong", resilience: { retry: { maxAttempts: 1 } } });
    const e = await wrong.fetchBalances().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ExchangeError);
    expect(e).toMatchObject({ code: "EXCHANGE_AUTH", exchangeMessage: "Signature for this request is not valid." });
  });

  it("an order booked but whose answer was lost is found by origClientOrderId, placed once", async () => {
    fake.server.inject("/api/v3/order", { kind: "drop", after: true });
    const before = fake.orders.length;
    const o = await client.placeOrder({ symbol: "BTCUSDT", side: "buy", type: "limit", quantity: Money.of("0.002"), price: Money.of("90000"), clientOrderId: "bn-lost" });
    expect(o.clientOrderId).toBe("bn-lost");
    expect(fake.orders.length).toBe(before + 1);
    expect(fake.server.seen("/api/v3/order").filter((r) => r.method === "POST")).toHaveLength(1);
  });
});

describe("generic ccxt adapter", () => {
  it("drives any ccxt exchange id at the base URL; scans open and closed orders to find a client id", async () => {
    const us = await CcxtClient.create({ exchangeId: "binanceus", baseUrl: fake.url, apiKey: fake.apiKey, secret: fake.apiSecret, orderSettleMs: 1, resilience: { clock: fastClock(), rateLimiter: { rate: 1000 } } });
    expect(us.id).toBe("binanceus");
    const c = await us.fetchCandles("BTC/USDT", Timeframe.parse("1h"), { since: T0, limit: 2 });
    expect(c.map((x) => x.time)).toEqual([T0, T0 + H]);
    fake.server.inject("/api/v3/order", { kind: "status", status: 502, body: "Bad gateway", after: true });
    const o = await us.placeOrder({ symbol: "BTC/USDT", side: "sell", type: "limit", quantity: Money.of("0.001"), price: Money.of("99000"), clientOrderId: "us-1" });
    expect((await us.fetchOrder({ clientOrderId: "us-1" }, "BTC/USDT")).id).toBe(o.id);
    expect(fake.orders.filter((x) => x.clientOrderId === "us-1")).toHaveLength(1);
    expect(fake.server.requests.every((r) => r.path.startsWith("/api/v3/"))).toBe(true);
    await expect(CcxtClient.create({ exchangeId: "nosuchexchange" })).rejects.toMatchObject({ code: "EXCHANGE_UNKNOWN_MARKET" });
  });
});
