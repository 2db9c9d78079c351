import { TradeloomError } from "@tradeloom/types";

/**
 * Stable codes of {@link ExchangeError}. Callers branch on these, never on messages.
 *
 * - `EXCHANGE_AUTH`: key, secret, signature or session refused.
 * - `EXCHANGE_RATE_LIMIT`: the exchange asked us to slow down (HTTP 429 / 418 or its own wording).
 * - `EXCHANGE_INSUFFICIENT_FUNDS`: the order cannot be paid for.
 * - `EXCHANGE_UNKNOWN_ORDER`: no order with that id or client order id.
 * - `EXCHANGE_UNKNOWN_MARKET`: the symbol is not listed on the exchange.
 * - `EXCHANGE_REJECTED`: any other refusal of a well-formed request (bad price, below minimum, ...).
 * - `EXCHANGE_NETWORK`: connection refused, reset, dropped mid-response, or timed out.
 * - `EXCHANGE_DOWN`: HTTP 5xx or a maintenance answer.
 * - `EXCHANGE_BAD_RESPONSE`: the answer is not what the API documents (malformed JSON, missing fields).
 * - `EXCHANGE_CIRCUIT_OPEN`: the circuit breaker refused the call without sending it.
 * - `EXCHANGE_ORDER_UNCERTAIN`: an order send failed ambiguously and its lookup failed too: the order may or may
 *   not exist; reconcile before trading again.
 */
export type ExchangeErrorCode =
  | "EXCHANGE_AUTH"
  | "EXCHANGE_RATE_LIMIT"
  | "EXCHANGE_INSUFFICIENT_FUNDS"
  | "EXCHANGE_UNKNOWN_ORDER"
  | "EXCHANGE_UNKNOWN_MARKET"
  | "EXCHANGE_REJECTED"
  | "EXCHANGE_NETWORK"
  | "EXCHANGE_DOWN"
  | "EXCHANGE_BAD_RESPONSE"
  | "EXCHANGE_CIRCUIT_OPEN"
  | "EXCHANGE_ORDER_UNCERTAIN";

/** What an {@link ExchangeError} knows about the failed call. */
export interface ExchangeErrorDetails {
  /** Exchange id (`coindcx`, `kite`, `binance`, ...). */
  readonly exchange: string;
  /** The client call that failed (`placeOrder`, `fetchCandles`, ...). */
  readonly operation?: string;
  /** HTTP status, when there was a response. */
  readonly status?: number;
  /** The exchange's own error text, verbatim. */
  readonly exchangeMessage?: string;
  /** How long the exchange asked us to wait (from `Retry-After`), milliseconds. */
  readonly retryAfterMs?: number;
  /**
   * True when the request may have taken effect although it failed (timeout, dropped connection, 5xx, unreadable
   * 2xx body). Defaults by code: network, exchange-down and bad-response errors are ambiguous.
   */
  readonly ambiguous?: boolean;
  /** Further facts for the user (symbol, client order id, ...). */
  readonly [key: string]: unknown;
}

const AMBIGUOUS_BY_DEFAULT: ReadonlySet<ExchangeErrorCode> = new Set(["EXCHANGE_NETWORK", "EXCHANGE_DOWN", "EXCHANGE_BAD_RESPONSE"]);
const RETRYABLE: ReadonlySet<ExchangeErrorCode> = new Set([
  "EXCHANGE_NETWORK",
  "EXCHANGE_DOWN",
  "EXCHANGE_BAD_RESPONSE",
  "EXCHANGE_RATE_LIMIT",
]);

/**
 * An exchange call failed. `code` says how (see {@link ExchangeErrorCode}); `exchangeMessage` keeps the exchange's
 * own words; `context` holds every detail for logs.
 *
 * @example
 * try { await client.placeOrder(req); }
 * catch (e) { if (e instanceof ExchangeError && e.code === "EXCHANGE_INSUFFICIENT_FUNDS") skipTrade(); else throw e; }
 */
export class ExchangeError extends TradeloomError {
  declare readonly code: ExchangeErrorCode;
  /** Exchange id. */
  readonly exchange: string;
  /** The exchange's own error text, if it sent one. */
  readonly exchangeMessage: string | undefined;
  /** HTTP status, if there was a response. */
  readonly status: number | undefined;
  /** Wait the exchange asked for, milliseconds. */
  readonly retryAfterMs: number | undefined;
  /** True when the failed request may nevertheless have taken effect. */
  readonly ambiguous: boolean;

  constructor(code: ExchangeErrorCode, message: string, details: ExchangeErrorDetails, options?: { cause?: unknown }) {
    super(code, message, { ...details }, options);
    this.exchange = details.exchange;
    this.exchangeMessage = details.exchangeMessage;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.ambiguous = details.ambiguous ?? AMBIGUOUS_BY_DEFAULT.has(code);
  }

  /** True for transient failures a read may retry: network, exchange down, bad response, rate limit. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}
