import { createHash } from "node:crypto";
import { ExchangeError } from "../errors";
import { loadKite } from "./api";
import { fromKiteError } from "./errors";

/** What a completed Kite login yields. */
export interface KiteSession {
  /** Token for every later call; valid until about 6 am IST the next day. */
  readonly accessToken: string;
  readonly userId: string | undefined;
  readonly publicToken: string | undefined;
}

/** Settings of {@link createKiteSession}. */
export interface KiteSessionOptions {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** The `request_token` Kite appended to the redirect URL after the user logged in. */
  readonly requestToken: string;
  /** API root (default `https://api.kite.trade`). */
  readonly baseUrl?: string;
  readonly timeoutMs?: number;
}

/** Where to send the user to log in; Kite redirects back with `?request_token=...`. */
export function kiteLoginUrl(apiKey: string): string {
  return `https://kite.zerodha.com/connect/login?v=3&api_key=${encodeURIComponent(apiKey)}`;
}

/** Kite's session checksum: hex SHA-256 of `api_key + request_token + api_secret`. */
export function kiteChecksum(apiKey: string, requestToken: string, apiSecret: string): string {
  return createHash("sha256").update(apiKey + requestToken + apiSecret).digest("hex");
}

/**
 * Exchanges a request token for an access token (`POST /session/token` with the checksum). Sent once, never
 * retried: a request token is single-use.
 * @throws ExchangeError `EXCHANGE_AUTH` when Kite refuses the token or checksum.
 */
export async function createKiteSession(options: KiteSessionOptions): Promise<KiteSession> {
  const kite = await loadKite({ apiKey: options.apiKey, root: options.baseUrl ?? "https://api.kite.trade", timeoutMs: options.timeoutMs ?? 7000 });
  let data: unknown;
  try {
    data = await kite.generateSession(options.requestToken, options.apiSecret);
  } catch (e) {
    throw fromKiteError("createSession", e);
  }
  const d = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
  if (typeof d["access_token"] !== "string") {
    throw new ExchangeError("EXCHANGE_BAD_RESPONSE", "kite: createSession: answer has no access_token", { exchange: "kite", operation: "createSession" });
  }
  return {
    accessToken: d["access_token"],
    userId: typeof d["user_id"] === "string" ? d["user_id"] : undefined,
    publicToken: typeof d["public_token"] === "string" ? d["public_token"] : undefined,
  };
}
