import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeKite } from "../../../../packages/exchanges/test/fakes/kite";
import { runCli } from "../../test/run-cli";

let fake: FakeKite;
beforeEach(async () => {
  fake = await FakeKite.start();
});
afterEach(() => fake.close());

describe("tradeloom kite-login against a local Kite server", () => {
  it("prints the login URL without a request token", async () => {
    const r = await runCli(["kite-login", "--api-key", "kite-key"], process.cwd());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("https://kite.zerodha.com/connect/login?v=3&api_key=kite-key");
  });

  it("exchanges the request token (checksum verified by the server) and writes the session file with mode 600", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tl-kite-"));
    const r = await runCli(
      ["kite-login", "--api-key", fake.apiKey, "--api-secret", fake.apiSecret, "--request-token", fake.requestToken, "--base-url", fake.url, "--out", "s.json"],
      dir,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "s.json"), "utf8"))).toEqual({ api_key: fake.apiKey, access_token: fake.accessToken, user_id: "AB1234" });
    expect(statSync(join(dir, "s.json")).mode & 0o777).toBe(0o600);
  });

  it("a wrong secret gets Kite's auth error and a non-zero exit", async () => {
    const r = await runCli(["kite-login", "--api-key", fake.apiKey, "--api-secret", "wrong", "--request-token", fake.requestToken, "--base-url", fake.url], process.cwd());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/EXCHANGE_AUTH/);
    expect(r.stderr).toMatch(/Token is invalid/);
  });
});
