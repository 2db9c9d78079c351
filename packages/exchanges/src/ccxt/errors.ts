import type CcxtDefault from "ccxt";
import { ExchangeError, type ExchangeErrorCode } from "../errors";

type CcxtModule = typeof CcxtDefault;

/** The text an exchange put in a ccxt error: binance writes `binance {"code":-2013,"msg":"..."}`. */
function exchangeMessageOf(message: string): string {
  const json = message.indexOf("{");
  if (json >= 0) {
    try {
      const body = JSON.parse(message.slice(json)) as Record<string, unknown>;
      const m = body["msg"] ?? body["message"] ?? body["error"];
      if (typeof m === "string") return m;
    } catch {
      // The brace was part of plain text: fall through to the whole message.
    }
  }
  return message;
}

/** Maps an error thrown by a ccxt call to an {@link ExchangeError}; the ccxt error is kept as `cause`. */
export function fromCcxtError(
  ccxt: CcxtModule,
  exchange: string,
  operation: string,
  error: unknown,
  status: number | undefined,
  headers: Record<string, string> | undefined,
): ExchangeError {
  if (error instanceof ExchangeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // Most specific classes first: RateLimitExceeded and RequestTimeout are NetworkErrors too.
  const table: Array<[new (...a: never[]) => Error, ExchangeErrorCode]> = [
    [ccxt.AuthenticationError, "EXCHANGE_AUTH"],
    [ccxt.InsufficientFunds, "EXCHANGE_INSUFFICIENT_FUNDS"],
    [ccxt.OrderNotFound, "EXCHANGE_UNKNOWN_ORDER"],
    [ccxt.BadSymbol, "EXCHANGE_UNKNOWN_MARKET"],
    [ccxt.RateLimitExceeded, "EXCHANGE_RATE_LIMIT"],
    [ccxt.DDoSProtection, "EXCHANGE_RATE_LIMIT"],
    [ccxt.ExchangeNotAvailable, "EXCHANGE_DOWN"],
    [ccxt.NetworkError, "EXCHANGE_NETWORK"],
    [ccxt.BadResponse, "EXCHANGE_BAD_RESPONSE"],
    [ccxt.ExchangeError, "EXCHANGE_REJECTED"],
  ];
  // A non-ccxt error out of a ccxt call is a parser tripping over an answer it did not expect.
  const byClass = table.find(([cls]) => error instanceof cls)?.[1] ?? "EXCHANGE_BAD_RESPONSE";
  // The status outranks the exchange's error code: a 5xx is an outage whatever code its body carries.
  const code = status !== undefined && status >= 500 ? "EXCHANGE_DOWN" : status === 429 || status === 418 ? "EXCHANGE_RATE_LIMIT" : byClass;
  const retryAfter = code === "EXCHANGE_RATE_LIMIT" ? Number(headers?.["Retry-After"]) : NaN;
  return new ExchangeError(
    code,
    `${exchange}: ${operation} failed: ${message}`,
    {
      exchange,
      operation,
      exchangeMessage: exchangeMessageOf(message),
      ...(status !== undefined ? { status } : {}),
      ...(Number.isFinite(retryAfter) ? { retryAfterMs: retryAfter * 1000 } : {}),
    },
    { cause: error },
  );
}
