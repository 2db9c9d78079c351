import { ExchangeError } from "./errors";

/** A raw HTTP answer: status, headers and the whole body text. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** One HTTP request of a client. */
export interface HttpRequest {
  readonly exchange: string;
  readonly operation: string;
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

// Failures before any byte reached the exchange: the request certainly had no effect.
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

function causeCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Sends a request and reads the whole body. Transport failures become `EXCHANGE_NETWORK` (ambiguous unless the
 * connection was never made); the caller's own abort is rethrown as is. HTTP error statuses are returned, not
 * thrown: each exchange words its errors differently.
 */
export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const details = { exchange: req.exchange, operation: req.operation, url: req.url };
  try {
    const res = await fetch(req.url, {
      method: req.method,
      ...(req.headers ? { headers: req.headers } : {}),
      ...(req.body !== undefined ? { body: req.body } : {}),
      signal,
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  } catch (error) {
    if (req.signal?.aborted) throw req.signal.reason;
    if (timeout.aborted) {
      throw new ExchangeError("EXCHANGE_NETWORK", `${req.exchange}: ${req.operation} timed out after ${req.timeoutMs} ms`, details, {
        cause: error,
      });
    }
    const code = causeCode(error);
    const notSent = code !== undefined && NOT_SENT.has(code);
    throw new ExchangeError(
      "EXCHANGE_NETWORK",
      `${req.exchange}: ${req.operation} failed: ${error instanceof Error ? error.message : String(error)}${code ? ` (${code})` : ""}`,
      { ...details, ambiguous: !notSent },
      { cause: error },
    );
  }
}

/** Milliseconds asked by a `Retry-After` header (seconds or an HTTP date), if any. */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const v = headers.get("retry-after");
  if (v === null) return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Parses a JSON body, or throws `EXCHANGE_BAD_RESPONSE` quoting its start. */
export function parseJson(res: HttpResponse, exchange: string, operation: string): unknown {
  try {
    return JSON.parse(res.text) as unknown;
  } catch (error) {
    throw new ExchangeError(
      "EXCHANGE_BAD_RESPONSE",
      `${exchange}: ${operation} answered malformed JSON (HTTP ${res.status}): ${res.text.slice(0, 200)}`,
      { exchange, operation, status: res.status },
      { cause: error },
    );
  }
}
