import { copyFile, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { formatCandleCsv } from "@tradeloom/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeBinance, type FakeKline } from "../../../../packages/exchanges/test/fakes/binance";
import type { CliIO } from "../io";
import { createDownloadCommand, run } from "./download";

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const FIXTURES = join(import.meta.dirname, "../../test/fixtures/download");

class Sink extends Writable {
  text = "";
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

let fake: FakeBinance;
let dir: string;
beforeEach(async () => {
  fake = await FakeBinance.start();
  dir = await mkdtemp(join(tmpdir(), "tradeloom-download-"));
});
afterEach(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

function io(opts: { signal?: AbortSignal; tty?: boolean; env?: Record<string, string> } = {}): CliIO & { stdout: Sink; stderr: Sink } {
  return { stdout: new Sink(), stderr: new Sink(opts.tty), env: opts.env ?? {}, cwd: dir, signal: opts.signal ?? new AbortController().signal };
}

const fastClock = { now: () => 0, sleep: async () => undefined };
/** The download command with a fixed "now" and instant retries. */
const at = (now: number) =>
  createDownloadCommand({ now: () => now, resilience: { clock: fastClock, rateLimiter: { rate: 1e6 }, retry: { maxAttempts: 5, baseDelayMs: 1 } } });
const file = (name: string) => readFile(join(dir, "data", name), "utf8");
const within = (ks: FakeKline[], from: number, to: number) => ks.filter((k) => k.time >= from && k.time <= to);

describe("tradeloom download", () => {
  it("writes exactly the served candles, asking only exchangeInfo and klines of TRADELOOM_BINANCE_URL", async () => {
    const btc1h = fake.generate("BTCUSDT", "1h", T0, 60 * 24);
    const btc4h = fake.generate("BTCUSDT", "4h", T0, 60 * 6, 2);
    const eth1h = fake.generate("ETHUSDT", "1h", T0, 60 * 24, 3);
    const eth4h = fake.generate("ETHUSDT", "4h", T0, 60 * 6, 4);
    const o = io({ env: { TRADELOOM_BINANCE_URL: fake.url } });
    const code = await run(["--symbols", "BTC,ETH", "--timeframes", "1h,4h", "--start", "2024-01-01", "--end", "2024-02-29 23:00:00"], o);
    expect(o.stdout.text).toContain("Successful: 4/4");
    expect(code).toBe(0);
    expect(await readdir(join(dir, "data"))).toEqual(["BTCINR_1h.csv", "BTCINR_4h.csv", "ETHINR_1h.csv", "ETHINR_4h.csv"]);
    const end = Date.UTC(2024, 1, 29, 23);
    expect(await file("BTCINR_1h.csv")).toBe(formatCandleCsv(within(btc1h, T0, end)));
    expect(await file("BTCINR_4h.csv")).toBe(formatCandleCsv(within(btc4h, T0, end)));
    expect(await file("ETHINR_1h.csv")).toBe(formatCandleCsv(within(eth1h, T0, end)));
    expect(await file("ETHINR_4h.csv")).toBe(formatCandleCsv(within(eth4h, T0, end)));
    expect(new Set(fake.server.requests.map((r) => r.path))).toEqual(new Set(["/api/v3/exchangeInfo", "/api/v3/klines"]));
    expect(fake.server.seen("/api/v3/klines").filter((r) => r.query.get("symbol") === "BTCUSDT" && r.query.get("interval") === "1h").length).toBe(2);
    expect(o.stderr.text).toBe("");
  });

  it("never writes the forming candle, and a second run adds only the new candles", async () => {
    fake.generate("BTCUSDT", "1h", T0, 48);
    const first = io();
    // "now" is half way through the 48th candle: it is still forming.
    expect(await at(T0 + 47.5 * H)(["-s", "BTC", "-t", "1h", "--days", "2", "--base-url", fake.url], first)).toBe(0);
    expect(await file("BTCINR_1h.csv")).toBe(formatCandleCsv(fake.klines.get("BTCUSDT 1h")!.slice(0, 47)));
    expect(first.stdout.text).toContain("BTCINR_1h.csv: 47 candles (+47 new)");

    fake.generate("BTCUSDT", "1h", T0 + 48 * H, 10);
    fake.server.requests.length = 0;
    const second = io();
    expect(await at(T0 + 58 * H)(["-s", "BTC", "-t", "1h", "--start", "2024-01-01", "--base-url", fake.url], second)).toBe(0);
    expect(await file("BTCINR_1h.csv")).toBe(formatCandleCsv(fake.klines.get("BTCUSDT 1h")!));
    expect(second.stdout.text).toContain("BTCINR_1h.csv: 58 candles (+11 new)");
    const asked = fake.server.seen("/api/v3/klines").map((r) => Number(r.query.get("startTime")));
    expect(asked[0]).toBe(T0 + 46 * H + 1);
  });

  it("merges with a file already there: saved candles kept, new ones appended, named as the user asks", async () => {
    const served = fake.generate("BTCUSDT", "1h", T0, 5);
    await import("node:fs/promises").then((fs) => fs.mkdir(join(dir, "data")));
    await copyFile(join(FIXTURES, "BTCINR_1h.csv"), join(dir, "data", "BTCINR_1h.csv"));
    const o = io();
    expect(await at(T0 + 5 * H)(["-s", "BTCINR", "-t", "1h", "--start", "2024-01-01", "--base-url", fake.url], o)).toBe(0);
    const fixture = await readFile(join(FIXTURES, "BTCINR_1h.csv"), "utf8");
    expect(await file("BTCINR_1h.csv")).toBe(fixture + formatCandleCsv(served.slice(2)).split("\n").slice(1).join("\n"));
    expect(await at(T0 + 5 * H)(["-s", "BTC", "-t", "1h", "--start", "2024-01-01", "--base-url", fake.url, "--name-as-pair"], io())).toBe(0);
    expect(await file("BTCUSDT_1h.csv")).toBe(formatCandleCsv(served));
  });

  it("rides out 429s, 500s, malformed pages and dropped connections", async () => {
    const served = fake.generate("BTCUSDT", "1h", T0, 2500);
    fake.server.inject("/api/v3/klines", { kind: "status", status: 429, body: '{"code":-1003,"msg":"Too many requests."}', headers: { "retry-after": "1" } });
    fake.server.inject("/api/v3/klines", { kind: "status", status: 500, body: "oops" });
    fake.server.inject("/api/v3/klines", { kind: "malformed" });
    fake.server.inject("/api/v3/klines", { kind: "drop" });
    expect(await at(T0 + 2499.5 * H)(["-s", "BTC", "-t", "1h", "--start", "2024-01-01", "--base-url", fake.url], io())).toBe(0);
    expect(await file("BTCINR_1h.csv")).toBe(formatCandleCsv(served.slice(0, 2499)));
  });

  it("keeps what it fetched when the exchange fails for good, reports it, and resumes later", async () => {
    const served = fake.generate("BTCUSDT", "1h", T0, 5000);
    let klines = 0;
    const route = fake.route.bind(fake);
    fake.route = (req) =>
      req.path === "/api/v3/klines" && ++klines > 3 ? { status: 503, json: { code: -1001, msg: "Internal error; unable to process your request. Please try again." } } : route(req);
    const o = io();
    const now = T0 + 4999.5 * H;
    expect(await at(now)(["-s", "BTC", "-t", "1h", "--start", "2024-01-01", "--base-url", fake.url], o)).toBe(1);
    expect(o.stdout.text).toMatch(/BTCINR_1h.csv: FAILED \[EXCHANGE_DOWN\]/);
    expect(await file("BTCINR_1h.csv")).toBe(formatCandleCsv(served.slice(0, 3000)));
    fake.route = route;
    expect(await at(now)(["-s", "BTC", "-t", "1h", "--start", "2024-01-01", "--base-url", fake.url], io())).toBe(0);
    expect(await file("BTCINR_1h.csv")).toBe(formatCandleCsv(served.slice(0, -1)));
  });

  it("can be interrupted and resumed without losing what it fetched", async () => {
    const served = fake.generate("BTCUSDT", "1h", T0, 3000);
    const ctl = new AbortController();
    const route = fake.route.bind(fake);
    let klines = 0;
    fake.route = (req) => {
      if (req.path === "/api/v3/klines" && ++klines === 2) ctl.abort();
      return route(req);
    };
    const o = io({ signal: ctl.signal });
    const now = T0 + 2999.5 * H;
    expect(await at(now)(["-s", "BTC,ETH", "-t", "1h", "--start", "2024-01-01", "--base-url", fake.url], o)).toBe(130);
    expect(o.stdout.text).toContain("DOWNLOAD INTERRUPTED");
    const partial = await file("BTCINR_1h.csv");
    expect(partial.startsWith(formatCandleCsv(served.slice(0, 1000)))).toBe(true);
    fake.route = route;
    expect(await at(now)(["-s", "BTC", "-t", "1h", "--start", "2024-01-01", "--base-url", fake.url], io())).toBe(0);
    expect(await file("BTCINR_1h.csv")).toBe(formatCandleCsv(served.slice(0, -1)));
  });

  it("reports gaps it could not fill", async () => {
    fake.generate("BTCUSDT", "1h", T0, 10);
    fake.klines.set("BTCUSDT 1h", fake.klines.get("BTCUSDT 1h")!.filter((k) => k.time !== T0 + 4 * H && k.time !== T0 + 5 * H));
    const o = io();
    expect(await at(T0 + 10 * H)(["-s", "BTC", "-t", "1h", "--start", "2024-01-01", "--base-url", fake.url], o)).toBe(0);
    expect(o.stdout.text).toContain("gap not filled: 2024-01-01 03:00:00 .. 2024-01-01 05:59:59 (2 candles missing)");
  });

  it("draws a progress bar on stderr only when it is a TTY", async () => {
    fake.generate("BTCUSDT", "1h", T0, 3);
    const tty = io({ tty: true });
    await at(T0 + 3 * H)(["-s", "BTC", "-t", "1h", "--start", "2024-01-01", "--base-url", fake.url], tty);
    expect(tty.stderr.text).toContain("1/1");
    expect(tty.stdout.text).not.toContain("\r");
  });

  it("rejects bad arguments as usage errors", async () => {
    await expect(run(["--days", "0"], io())).rejects.toMatchObject({ code: "USAGE" });
    await expect(run(["--days", "3", "--start", "2024-01-01"], io())).rejects.toMatchObject({ code: "USAGE" });
    await expect(run(["--timeframes", "7x"], io())).rejects.toMatchObject({ code: "CONFIG_INVALID" });
    const help = io();
    expect(await run(["--help"], help)).toBe(0);
    expect(help.stdout.text).toContain("--name-as-pair");
  });
});
