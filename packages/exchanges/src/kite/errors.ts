import { ExchangeError, type ExchangeErrorCode } from "../errors";

/**
 * Maps what kiteconnect rejects with (Kite's `{error_type, message}` body, or its own stand-in for transport
 * failures: `NetworkException` "No response from server ...") to an {@link ExchangeError}.
 */
export function fromKiteError(operation: string, error: unknown): ExchangeError {
  if (error instanceof ExchangeError) return error;
  const e = (typeof error === "object" && error !== null ? error : {}) as { error_type?: unknown; message?: unknown };
  const type = typeof e.error_type === "string" ? e.error_type : undefined;
  const message = typeof e.message === "string" ? e.message : String(error);
  let code: ExchangeErrorCode;
  if (type === "TokenException" || type === "PermissionException") code = "EXCHANGE_AUTH";
  else if (/too many requests/i.test(message)) code = "EXCHANGE_RATE_LIMIT";
  else if (type === "MarginException" || /insufficient/i.test(message)) code = "EXCHANGE_INSUFFICIENT_FUNDS";
  else if (/couldn't find|order.*not found/i.test(message)) code = "EXCHANGE_UNKNOWN_ORDER";
  else if (type === "NetworkException") code = /^No response from server/.test(message) ? "EXCHANGE_NETWORK" : "EXCHANGE_DOWN";
  else if (type === "GeneralException") code = "EXCHANGE_DOWN";
  else if (type === "InputException" || type === "OrderException") code = "EXCHANGE_REJECTED";
  // DataException, or a parser tripping over an unexpected body.
  else code = "EXCHANGE_BAD_RESPONSE";
  return new ExchangeError(code, `kite: ${operation} failed: ${message}`, { exchange: "kite", operation, exchangeMessage: message, ...(type ? { errorType: type } : {}) }, { cause: error });
}
